"""The inspection indicators as data: each with its source, whether it is 单项否决, its threshold
and the function computing its findings from `check.Records`.

Sources (texts as reproduced in ../shared/domain/RULES.md §5.2; quoted only where verified):
- [WEB2019] 《政府网站与政务新媒体检查指标》, issued by 《国务院办公厅秘书局关于印发政府网站与政务
  新媒体检查指标、监管工作年度考核指标的通知》(国办秘函〔2019〕19号) — the number as cited by the
  国管局 2019 self-check (cpxtsg.com mirror) and 辽政办公开〔2019〕15号; "国办函〔2019〕80号" could
  not be confirmed anywhere. Part one 单项否决, part two 扣分.
- [GUIDE2017] 《政府网站发展指引》国办发〔2017〕47号.
- [REG2019] 《中华人民共和国政府信息公开条例》第四十九条 (the annual report's dates).

- 政务新媒体 "2 weeks": the indicator's own text is UNVERIFIED; inspectors' reports count it so
  (浙江省 2021 Q4 通报, "监测点前两周内未更新", as reproduced at
  www.51yunjiance.com/pucha/detail-87.html; 渭南 2020 Q4 "超过2周未更新"; 北京 2019 Q4
  "超过2周不更新", RULES.md).

Thresholds marked OUR CHOICE are not in a text we could verify.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .check import Finding
from .indicators import (
    ERROR_REPLY_DAYS,
    annual_report_late,
    broken_links,
    catalogue_outdated,
    columns_empty,
    columns_long_stale_count,
    columns_stale_count,
    error_report_overdue,
    guide_outdated,
    homepage_not_updated,
    months_before,  # noqa: F401  (re-exported: selectors and tests read it here)
    new_media_stale,
    news_column_stale,
    notice_policy_column_stale,
    serious_wording_error,
    site_marks_missing,
    site_unreachable,
)

if TYPE_CHECKING:
    from .check import Records

WEB2019 = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号印发）"


GUIDE2017 = "《政府网站发展指引》（国办发〔2017〕47号）"
REG2019 = "《中华人民共和国政府信息公开条例》第四十九条"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # Chinese, the indicator's wording where verified
    veto: bool  # 单项否决
    basis: str  # document and clause
    threshold: str  # Chinese, human-readable
    period: str  # the monitoring window, Chinese
    compute: Callable[[Records], list[Finding]]
    verified: bool = True  # False: the threshold or the clause could not be checked in a text

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "veto": self.veto,
            "basis": self.basis,
            "threshold": self.threshold,
            "period": self.period,
            "verified": self.verified,
        }


RULES: tuple[Rule, ...] = (
    Rule(
        id="homepage_not_updated",
        title="首页不更新",
        veto=True,
        basis=WEB2019
        + " 第一部分 单项否决指标 · 首页不更新：“监测 2 周，首页无信息更新的，即单项否决。”",
        threshold="2周内首页无信息更新",
        period="2周",
        compute=homepage_not_updated,
    ),
    Rule(
        id="news_column_stale",
        title="动态、要闻类栏目未更新",
        veto=False,
        basis=WEB2019 + " 第一部分 · 栏目不更新 第1项：“监测时间点前 2 周内的动态、要闻类栏目……”",
        threshold="2周内未更新（计入“累计5个”）",
        period="2周",
        compute=news_column_stale,
    ),
    Rule(
        id="notice_policy_column_stale",
        title="通知公告、政策文件类一级栏目未更新",
        veto=False,
        basis=WEB2019
        + " 第一部分 · 栏目不更新 第1项：“……以及监测时间点前 6 个月内的通知公告、政策文件类一级栏目”；"
        "第二部分 扣分指标（2019年自查表所见，未核对全文）：“监测时间点前6个月内，政策文件类一级栏目未更新，扣5分”",
        threshold="6个月内未更新（计入“累计5个”）",
        period="6个月",
        compute=notice_policy_column_stale,
    ),
    Rule(
        id="columns_stale_count",
        title="栏目不更新",
        veto=True,
        basis=WEB2019 + " 第一部分 · 栏目不更新 第1项：“……累计超过(含)5 个未更新。”",
        threshold="≥5个",
        period="2周 / 6个月",
        compute=columns_stale_count,
    ),
    Rule(
        id="columns_long_stale_count",
        title="应更新但长期未更新的栏目",
        veto=True,
        basis=WEB2019
        + " 第一部分 · 栏目不更新 第2项：“应更新但长期未更新的栏目数量超过(含)10 个。”"
        "（“长期”未定义，本平台按12个月计）",
        threshold="≥10个（12个月未更新）",
        period="12个月",
        compute=columns_long_stale_count,
    ),
    Rule(
        id="columns_empty",
        title="空白栏目",
        veto=True,
        basis=WEB2019 + " 第一部分 · 栏目不更新 第3项：“空白栏目数量超过(含)5 个。”",
        threshold="≥5个",
        period="监测时点",
        compute=columns_empty,
    ),
    Rule(
        id="error_report_overdue",
        title="“我为政府网站找错”留言未按时答复",
        veto=False,
        basis=GUIDE2017 + "（答复时限条款未核实）",
        threshold=f"{ERROR_REPLY_DAYS}日内未答复（本平台设定，未核实）",
        period=f"{ERROR_REPLY_DAYS}日",
        compute=error_report_overdue,
        verified=False,
    ),
    Rule(
        id="annual_report_late",
        title="政府信息公开工作年度报告未按期公布",
        veto=False,
        basis=REG2019 + "：县级以上人民政府部门每年1月31日前公布；县级人民政府3月31日前",
        threshold="逾期未公布",
        period="每年",
        compute=annual_report_late,
    ),
    Rule(
        id="new_media_stale",
        title="政务新媒体内容不更新",
        veto=True,
        basis=WEB2019 + " 政务新媒体单项否决指标（安全问题、内容更新、互动回应）· 内容更新"
        "（指标原文未核实；浙江省2021年第四季度通报按“监测点前两周内未更新”计）",
        threshold="2周内无更新",
        period="2周",
        compute=new_media_stale,
        verified=False,
    ),
    Rule(
        id="site_marks_missing",
        title="未展示政府网站标识码、ICP备案编号",
        veto=False,
        basis=GUIDE2017
        + "：开设网站须“开办审批、申请党政机关网站标识、ICP备案、公安机关备案和申请政府网站标识码”"
        "（据临沂市政府网站转述，指引原文条款未核实）",
        threshold="缺任一项",
        period="监测时点",
        compute=site_marks_missing,
        verified=False,
    ),
    Rule(
        id="site_unreachable",
        title="站点无法访问",
        veto=True,
        basis=WEB2019
        + " 第一部分 单项否决指标 · 站点无法访问：“监测 1 周，每天间隔性访问 20 次以上，"
        "超过(含)15 秒网站仍打不开的次数累计占比超过(含)5%，即单项否决。”（本平台以自身对门户首页的定时探测计）",
        threshold="1周内打不开（15秒）的次数占比≥5%",
        period="1周",
        compute=site_unreachable,
    ),
    Rule(
        id="broken_links",
        title="外部链接不可用",
        veto=False,
        basis=WEB2019
        + " 第二部分 扣分指标 · 功能设计 · 可用性（2019年自查表所见检查项；扣分细则未核实）",
        threshold="已检查外链中不可用的占比≥5%（本平台设定，未核实）",
        period="每日检查",
        compute=broken_links,
        verified=False,
    ),
    Rule(
        id="guide_outdated",
        title="政府信息公开指南未及时更新",
        veto=False,
        basis="《中华人民共和国政府信息公开条例》第十二条：“行政机关编制、公布的政府信息公开指南和政府信息公开目录"
        "应当及时更新。”；第五十三条（二）“不及时更新公开的政府信息内容、政府信息公开指南和政府信息公开目录”",
        threshold="12个月未更新（本平台设定，条例未规定期限）",
        period="12个月",
        compute=guide_outdated,
        verified=False,
    ),
    Rule(
        id="catalogue_outdated",
        title="政府信息公开目录未及时更新",
        veto=False,
        basis="《中华人民共和国政府信息公开条例》第十二条：“行政机关编制、公布的政府信息公开指南和政府信息公开目录"
        "应当及时更新。”；第五十三条（二）",
        threshold="12个月未更新（本平台设定，条例未规定期限）",
        period="12个月",
        compute=catalogue_outdated,
        verified=False,
    ),
    Rule(
        id="serious_wording_error",
        title="出现严重表述错误（严重错别字）",
        veto=True,
        basis=WEB2019
        + " 第一部分 单项否决指标 · 安全、泄密事故等严重问题 第1项：“出现严重表述错误。”"
        "（2015年第一次全国政府网站普查将严重错别字列入“严重错误”，考察“国名、国家机构名称，"
        "以及党和国家领导人姓名写错”等，据衡阳市2018年通报的报道；本平台以用语核查的术语表"
        "及其近似写法判断，见 gongkai/wording）",
        threshold="已发布信息中出现1处（审核人确认为有意的，标黄）",
        period="监测时点",
        compute=serious_wording_error,
    ),
)

RULES_BY_ID = {rule.id: rule for rule in RULES}
