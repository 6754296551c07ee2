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

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue.taxonomy import ColumnType
from gongkai.operations.models import Platform
from gongkai.reports.deadlines import LATE, PUBLISHED

from .check import ERROR, WARNING, Finding

if TYPE_CHECKING:
    from .check import ColumnRecord, Records

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


# --- helpers ------------------------------------------------------------------------------

TWO_WEEKS = 14
NEWS_WARNING_DAYS = 10  # OUR CHOICE: amber when 4 days are left of the 2 weeks
STALE_COUNT = 5  # 累计超过(含)5个未更新
EMPTY_COUNT = 5  # 空白栏目数量超过(含)5个
LONG_STALE_COUNT = 10  # 应更新但长期未更新的栏目数量超过(含)10个
# OUR CHOICE (the text does not define 长期): 12 months; the column types that should be updated
# (其他 may be static information such as 机构职能; 年度报告 has its own rule).
LONG_STALE_MONTHS = 12
SHOULD_UPDATE = (
    ColumnType.NEWS,
    ColumnType.NOTICE,
    ColumnType.POLICY,
    ColumnType.PERSONNEL,
    ColumnType.PLAN,
    ColumnType.FINANCE,
    ColumnType.EMERGENCY,
)
# OUR CHOICE (unverified): 5 calendar days to reply to a 找错 report; amber 1 day before.
ERROR_REPLY_DAYS = 5
REPORT_WARNING_DAYS = 30  # OUR CHOICE: amber a month before the annual report's deadline


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it has no such day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _column_url(records: Records, column_id: int) -> str:
    return reverse("catalogue:column-edit", kwargs={"agency": records.agency.slug, "pk": column_id})


def _columns_url(records: Records) -> str:
    return reverse("catalogue:columns", kwargs={"agency": records.agency.slug})


def _age(records: Records, day: date | None) -> int | None:
    return None if day is None else (records.today - day).days


def _stale_news(records: Records) -> list[tuple[ColumnRecord, str]]:
    """(column, ERROR | WARNING) for 动态要闻 columns at or past the amber line."""
    out = []
    for column in records.columns:
        if column.column_type != ColumnType.NEWS:
            continue
        age = None if column.last_published is None else (records.today - column.last_published)
        if age is None or age.days >= TWO_WEEKS:
            out.append((column, ERROR))
        elif age.days >= NEWS_WARNING_DAYS:
            out.append((column, WARNING))
    return out


def _stale_notice_policy(records: Records) -> list[tuple[ColumnRecord, str]]:
    """(column, ERROR | WARNING) for 一级 通知公告/政策文件 columns (a child's update counts)."""
    red_line = months_before(records.today, 6)
    amber_line = months_before(records.today, 5)
    out = []
    for column in records.columns:
        if column.parent_id is not None or column.column_type not in (
            ColumnType.NOTICE,
            ColumnType.POLICY,
        ):
            continue
        last = column.last_published
        if last is None or last <= red_line:
            out.append((column, ERROR))
        elif last <= amber_line:
            out.append((column, WARNING))
    return out


# --- the computations ---------------------------------------------------------------------


def homepage_not_updated(records: Records) -> list[Finding]:
    """The home page lists the agency's latest published items: its newest one dates it.
    An agency with no column publishes nothing of its own here (an internal office): skipped."""
    if not records.columns:
        return []
    days = [c.last_published for c in records.columns if c.last_published]
    last = max(days) if days else None
    age = None if last is None else (records.today - last).days
    if age is not None and age < NEWS_WARNING_DAYS:
        return []
    severity = ERROR if age is None or age >= TWO_WEEKS else WARNING
    if last is None:
        message = _("Nothing has been published on the home page.")
    elif severity == ERROR:
        message = _("Nothing published on the home page for %(days)s days (limit: 14).")
    else:
        message = _("Home page last updated %(days)s days ago: %(left)s days left.")
    return [
        Finding(
            rule="homepage_not_updated",
            severity=severity,
            message=message % {"days": age, "left": TWO_WEEKS - (age or 0)},
            object=str(records.agency),
            url=_columns_url(records),
            since=last,
        )
    ]


def news_column_stale(records: Records) -> list[Finding]:
    findings = []
    for column, severity in _stale_news(records):
        last = column.last_published
        if last is None:
            message = _("The news column “%(name)s” has never been updated.")
        elif severity == ERROR:
            message = _("The news column “%(name)s” has not been updated for %(days)s days.")
        else:
            message = _("The news column “%(name)s” was last updated %(days)s days ago.")
        findings.append(
            Finding(
                rule="news_column_stale",
                severity=severity,
                message=message % {"name": column.name, "days": _age(records, last)},
                object=column.name,
                url=_column_url(records, column.id),
                since=last,
            )
        )
    return findings


def notice_policy_column_stale(records: Records) -> list[Finding]:
    findings = []
    for column, severity in _stale_notice_policy(records):
        last = column.last_published
        if severity == ERROR:
            message = _("The column “%(name)s” has not been updated for 6 months.")
        else:
            message = _("The column “%(name)s” was last updated 5 months ago: 1 month left.")
        findings.append(
            Finding(
                rule="notice_policy_column_stale",
                severity=severity,
                message=message % {"name": column.name},
                object=column.name,
                url=_column_url(records, column.id),
                since=last,
            )
        )
    return findings


def _count_finding(
    records: Records, *, rule: str, names: list[str], limit: int, failed: str, near: str
) -> list[Finding]:
    """One finding for an agency-wide count: red at `limit`, amber one short of it."""
    if len(names) < limit - 1:
        return []
    severity = ERROR if len(names) >= limit else WARNING
    message = failed if severity == ERROR else near
    return [
        Finding(
            rule=rule,
            severity=severity,
            message=message % {"count": len(names), "names": "、".join(names)},
            object=str(records.agency),
            url=_columns_url(records),
        )
    ]


def columns_stale_count(records: Records) -> list[Finding]:
    stale = [
        column.name
        for column, severity in _stale_news(records) + _stale_notice_policy(records)
        if severity == ERROR
    ]
    return _count_finding(
        records,
        rule="columns_stale_count",
        names=stale,
        limit=STALE_COUNT,
        failed=_("%(count)s columns not updated within their period (veto at 5): %(names)s"),
        near=_("%(count)s columns not updated within their period; one more fails: %(names)s"),
    )


def columns_empty(records: Records) -> list[Finding]:
    return _count_finding(
        records,
        rule="columns_empty",
        names=[column.name for column in records.columns if column.published == 0],
        limit=EMPTY_COUNT,
        failed=_("%(count)s empty columns (veto at 5): %(names)s"),
        near=_("%(count)s empty columns; one more fails: %(names)s"),
    )


def columns_long_stale_count(records: Records) -> list[Finding]:
    """Columns that have content but none published in the last 12 months (empty ones are
    counted by `columns_empty`)."""
    line = months_before(records.today, LONG_STALE_MONTHS)
    stale = [
        column.name
        for column in records.columns
        if column.column_type in SHOULD_UPDATE
        and column.last_published is not None
        and column.last_published <= line
    ]
    return _count_finding(
        records,
        rule="columns_long_stale_count",
        names=stale,
        limit=LONG_STALE_COUNT,
        failed=_("%(count)s columns not updated for a year (veto at 10): %(names)s"),
        near=_("%(count)s columns not updated for a year; one more fails: %(names)s"),
    )


def error_report_overdue(records: Records) -> list[Finding]:
    findings = []
    for report in records.open_error_reports:
        submitted = records.now - report.submitted_at
        if submitted >= timedelta(days=ERROR_REPLY_DAYS):
            severity = ERROR
            message = _("找错 report %(reference)s has had no reply for %(days)s days.")
        elif submitted >= timedelta(days=ERROR_REPLY_DAYS - 1):
            severity = WARNING
            message = _("找错 report %(reference)s must be answered within a day.")
        else:
            continue
        findings.append(
            Finding(
                rule="error_report_overdue",
                severity=severity,
                message=message % {"reference": report.reference, "days": submitted.days},
                object=report.reference,
                url=reverse(
                    "engagement:error-detail",
                    kwargs={"agency": records.agency.slug, "pk": report.pk},
                ),
                since=timezone.localdate(report.submitted_at),
            )
        )
    return findings


def annual_report_late(records: Records) -> list[Finding]:
    status = records.annual_report
    if status is None or status.status == PUBLISHED:
        return []
    left = (status.due - records.today).days
    if status.status == LATE:
        severity = ERROR
        message = _("The %(year)s annual report was due on %(due)s and is not published.")
    elif left <= REPORT_WARNING_DAYS:
        severity = WARNING
        message = _("The %(year)s annual report is due on %(due)s: %(left)s days left.")
    else:
        return []
    return [
        Finding(
            rule="annual_report_late",
            severity=severity,
            message=message % {"year": status.year, "due": status.due.isoformat(), "left": left},
            object=_("%(year)s annual report") % {"year": status.year},
            url=reverse("reports:report-list", kwargs={"agency": records.agency.slug}),
            since=status.due if severity == ERROR else None,
        )
    ]


def new_media_stale(records: Records) -> list[Finding]:
    """Red only when the records prove it: post counts recorded (with no posts) for 2 weeks or
    more after the last post. When the counts simply stop (entered monthly or quarterly, say),
    the records cannot tell: amber, asking for the recent counts."""
    findings = []
    for account in records.accounts:
        last = account.last_active
        if last is None and account.opened_on and (records.today - account.opened_on).days < 14:
            continue  # opened less than 2 weeks ago
        age = _age(records, last)
        if age is not None and age < NEWS_WARNING_DAYS:
            continue
        counted = account.counted_until
        proven = counted is not None and (
            (last is None and account.opened_on and (counted - account.opened_on).days >= 14)
            or (last is not None and (counted - last).days >= TWO_WEEKS)
        )
        if age is not None and age < TWO_WEEKS:
            severity = WARNING
            message = _("The account “%(name)s” last posted %(days)s days ago.")
        elif proven:
            severity = ERROR
            if last is None:
                message = _("The account “%(name)s” has no post on record.")
            else:
                message = _("The account “%(name)s” has not posted for %(days)s days.")
        else:
            severity = WARNING
            message = _(
                "No post of the account “%(name)s” is recorded in the last 2 weeks: "
                "enter its recent post counts."
            )
        label = f"{Platform(account.platform).label}·{account.name}"
        findings.append(
            Finding(
                rule="new_media_stale",
                severity=severity,
                message=message % {"name": label, "days": age},
                object=label,
                since=last,
            )
        )
    return findings


def site_marks_missing(records: Records) -> list[Finding]:
    """The portal's footer shows the 网站标识码 and the ICP备案号 the agency entered (only for
    an agency that publishes a catalogue of its own: one with columns)."""
    if not records.columns:
        return []
    labels = {"site_code": "网站标识码", "icp_record": "ICP备案号"}
    missing = [label for key, label in labels.items() if not records.site_marks.get(key)]
    if not missing:
        return []
    return [
        Finding(
            rule="site_marks_missing",
            severity=ERROR,
            message=_("The portal shows no %(marks)s.") % {"marks": "、".join(missing)},
            object=str(records.agency),
        )
    ]


PROBE_FAIL_SHARE = 0.05  # 超过(含)15秒仍打不开的次数累计占比超过(含)5%
PROBE_WARN_SHARE = 0.025  # OUR CHOICE: amber at half the share
PROBE_MIN_TOTAL = 20  # 每天…访问20次以上: fewer probes cannot prove the veto (amber instead)
BROKEN_LINK_SHARE = 0.05  # OUR CHOICE: red when 5 % of the checked external links are broken
OUTDATED_MONTHS = 12  # OUR CHOICE: 指南/目录 unchanged for a year are out of date
OUTDATED_WARNING_MONTHS = 11


def site_unreachable(records: Records) -> list[Finding]:
    """The platform's own probes of the agency's portal home over the last 7 days (they time
    out at 15 s). No probe recorded (no public address configured): nothing to say."""
    probes = records.probes
    if not records.columns or probes.total == 0 or probes.failed == 0:
        return []
    share = probes.failed / probes.total
    if share >= PROBE_FAIL_SHARE and probes.total >= PROBE_MIN_TOTAL:
        severity = ERROR
        message = _(
            "The portal did not open in %(failed)s of %(total)s probes over 7 days "
            "(%(share)s; veto at 5%%)."
        )
    elif share >= PROBE_WARN_SHARE:
        severity = WARNING
        message = _(
            "The portal did not open in %(failed)s of %(total)s probes over 7 days "
            "(%(share)s; the veto is at 5%%)."
        )
    else:
        return []
    return [
        Finding(
            rule="site_unreachable",
            severity=severity,
            message=message
            % {"failed": probes.failed, "total": probes.total, "share": f"{share:.1%}"},
            object=str(records.agency),
            url=reverse("portal:agency-home", kwargs={"agency": records.agency.slug}),
            since=timezone.localdate(probes.last_failure) if probes.last_failure else None,
        )
    ]


def broken_links(records: Records) -> list[Finding]:
    """External links of published items that did not answer or answered an error at their
    last check (the link checker's results; the staff page lists them per item)."""
    broken = records.broken_links
    if not broken or not records.links_checked:
        return []
    share = len(broken) / records.links_checked
    severity = ERROR if share >= BROKEN_LINK_SHARE else WARNING
    first = "、".join(link.url for link in broken[:5])
    return [
        Finding(
            rule="broken_links",
            severity=severity,
            message=_("%(count)s of %(total)s external links are broken (%(share)s): %(first)s")
            % {
                "count": len(broken),
                "total": records.links_checked,
                "share": f"{share:.1%}",
                "first": first,
            },
            object=str(records.agency),
            url=reverse("compliance:agency", kwargs={"agency": records.agency.slug}) + "#links",
        )
    ]


def _outdated(
    records: Records, *, rule: str, last: datetime | None, name: str, url: str
) -> list[Finding]:
    if not records.columns or last is None:
        return []
    day = timezone.localdate(last)
    if day <= months_before(records.today, OUTDATED_MONTHS):
        severity = ERROR
        message = _("The %(name)s has not changed since %(day)s (over a year).")
    elif day <= months_before(records.today, OUTDATED_WARNING_MONTHS):
        severity = WARNING
        message = _("The %(name)s last changed on %(day)s: review it within a month.")
    else:
        return []
    return [
        Finding(
            rule=rule,
            severity=severity,
            message=message % {"name": name, "day": day.isoformat()},
            object=name,
            url=url,
            since=day,
        )
    ]


def guide_outdated(records: Records) -> list[Finding]:
    return _outdated(
        records,
        rule="guide_outdated",
        last=records.guide_updated,
        name="政府信息公开指南",
        url=reverse("portal:guide", kwargs={"agency": records.agency.slug}),
    )


def catalogue_outdated(records: Records) -> list[Finding]:
    return _outdated(
        records,
        rule="catalogue_outdated",
        last=records.catalogue_updated,
        name="政府信息公开目录",
        url=reverse("portal:catalogue", kwargs={"agency": records.agency.slug}),
    )


def serious_wording_error(records: Records) -> list[Finding]:
    """Published items carrying miswritten names of bodies, laws, titles or official terms
    (gongkai.wording). Red unless the reviewer confirmed each as intended when approving (a
    quotation, another body's name): then amber, to be looked at again."""
    findings = []
    for row in records.wording:
        shown = "、".join(f"{found}→{right}" for found, right in row.found[:5])
        if row.acknowledged:
            severity = WARNING
            message = _("“%(title)s” carries terms its reviewer confirmed as intended: %(found)s")
        else:
            severity = ERROR
            message = _("“%(title)s” carries miswritten terms: %(found)s")
        findings.append(
            Finding(
                rule="serious_wording_error",
                severity=severity,
                message=message % {"title": row.title, "found": shown},
                object=row.title,
                url=reverse(
                    "catalogue:item-detail",
                    kwargs={"agency": records.agency.slug, "pk": row.item_id},
                ),
            )
        )
    return findings


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
