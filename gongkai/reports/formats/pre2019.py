"""The pre-2019 统计表 (政府信息公开情况统计表, 2014–2018; 国办发〔2014〕32号), exactly as the seed
prints it (RULES Part B): sections 一、主动公开情况 … 九、政府信息公开会议和培训情况, every row with
its unit, including the rows the seed leaves blank. One value column, 统计数.

Labels are the seed's, in canonical spelling (full-width brackets and colons: ``normalize()``
of the printed text). Rows printed with "——" in the 单位 column are header rows (no cell).
The seed prints a zero as a blank cell (``zero_shown_blank``). The seed prints no unit for the
rows it leaves blank; where the row's family has one we give it (二: 次, the 政策解读稿件 row: 条).
"""

from __future__ import annotations

from .base import Check, Column, Format, Row, Section, Table

VALUE = (Column("value", "统计数"),)
_C, _E, _A, _O = "catalogue", "engagement", "applications", "operations"


def _row(key, label, unit, source, parent=None, **kw) -> Row:
    return Row(key, label, unit, source=source, parent=parent, **kw)


def _head(key, label, parent=None) -> Row:
    return Row(key, label, header=True, parent=parent)


ROWS = (
    _head("一", "一、主动公开情况"),
    _row(
        "一（一）",
        "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）",
        "条",
        f"{_C}.distinct_items",
        "一",
        aliases=("（一）主动公开政府信息数",),
    ),
    _head("一（二）", "（二）通过不同渠道和方式公开政府信息的情况", "一"),
    _row("一（二）1", "1.政府网站公开政府信息数", "条", f"{_C}.channel.website", "一（二）"),
    _row("一（二）2", "2.政务微博公开政府信息数", "条", f"{_C}.channel.weibo", "一（二）"),
    _row("一（二）3", "3.政务微信公开政府信息数", "条", f"{_C}.channel.wechat", "一（二）"),
    _row("一（二）4", "4.其他方式公开政府信息数", "条", f"{_C}.channel.other", "一（二）"),
    _head("二", "二、回应解读情况"),
    _row(
        "二（一）",
        "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）",
        "次",
        f"{_E}.responded",
        "二",
        aliases=("（一）回应公众关注热点或重大舆情数",),
    ),
    _head("二（二）", "（二）通过不同渠道和方式回应解读的情况", "二"),
    _row("二（二）1", "1.参加或举办新闻发布会总次数", "次", f"{_E}.conferences", "二（二）"),
    _row(
        "二（二）1a",
        "其中：主要负责同志参加新闻发布会次数",
        "次",
        f"{_E}.conferences_principal",
        "二（二）1",
    ),
    _row("二（二）2", "2.政策解读稿件发布数", "条", f"{_E}.interpretations", "二（二）"),
    _row("二（二）3", "3.微博微信回应事件数", "次", f"{_E}.weibo_wechat", "二（二）"),
    _row("二（二）4", "4.其他方式回应事件数", "次", f"{_E}.other_channels", "二（二）"),
    _head("三", "三、依申请公开情况"),
    _row("三（一）", "（一）收到申请数", "件", f"{_A}.legacy_received", "三"),
    _row("三（一）1", "1.当面申请数", "件", f"{_A}.legacy_channel", "三（一）"),
    _row("三（一）2", "2.传真申请数", "件", f"{_A}.legacy_channel", "三（一）"),
    _row("三（一）3", "3.网络申请数", "件", f"{_A}.legacy_channel", "三（一）"),
    _row("三（一）4", "4.信函申请数", "件", f"{_A}.legacy_channel", "三（一）"),
    _row("三（二）", "（二）申请办结数", "件", f"{_A}.legacy_concluded", "三"),
    _row("三（二）1", "1.按时办结数", "件", f"{_A}.legacy_on_time", "三（二）"),
    _row("三（二）2", "2.延期办结数", "件", f"{_A}.legacy_extended", "三（二）"),
    _row("三（三）", "（三）申请答复数", "件", f"{_A}.legacy_replies", "三"),
    _row("三（三）1", "1.属于已主动公开范围数", "件", f"{_A}.legacy_outcome", "三（三）"),
    _row("三（三）2", "2.同意公开答复数", "件", f"{_A}.legacy_outcome", "三（三）"),
    _row("三（三）3", "3.同意部分公开答复数", "件", f"{_A}.legacy_outcome", "三（三）"),
    _row("三（三）4", "4.不同意公开答复数", "件", f"{_A}.legacy_refused", "三（三）"),
    _row("三（三）4a", "其中：涉及国家秘密", "件", f"{_A}.legacy_outcome", "三（三）4"),
    _row("三（三）4b", "涉及商业秘密", "件", f"{_A}.legacy_outcome", "三（三）4"),
    _row("三（三）4c", "涉及个人隐私", "件", f"{_A}.legacy_outcome", "三（三）4"),
    _row(
        "三（三）4d",
        "危及国家安全、公共安全、经济安全和社会稳定",
        "件",
        f"{_A}.legacy_outcome",
        "三（三）4",
    ),
    _row("三（三）4e", "不是《条例》所指政府信息", "件", f"{_A}.legacy_outcome", "三（三）4"),
    _row("三（三）4f", "法律法规规定的其他情形", "件", f"{_A}.legacy_outcome", "三（三）4"),
    _row("三（三）5", "5.不属于本行政机关公开数", "件", f"{_A}.legacy_outcome", "三（三）"),
    _row("三（三）6", "6.申请信息不存在数", "件", f"{_A}.legacy_outcome", "三（三）"),
    _row("三（三）7", "7.告知作出更改补充数", "件", f"{_A}.legacy_outcome", "三（三）"),
    _row("三（三）8", "8.告知通过其他途径办理数", "件", f"{_A}.legacy_outcome", "三（三）"),
    _row("四", "四、因政府信息公开引起的行政复议数量", "件", f"{_A}.legacy_appeals"),
    _row("四（一）", "（一）维持具体行政行为数", "件", f"{_A}.legacy_appeals", "四"),
    _row("四（二）", "（二）被依法纠错数", "件", f"{_A}.legacy_appeals", "四"),
    _row("四（三）", "（三）其他情形数", "件", f"{_A}.legacy_appeals", "四"),
    _row("五", "五、因政府信息公开引起的行政诉讼数量", "件", f"{_A}.legacy_appeals"),
    _row(
        "五（一）",
        "（一）维持具体行政行为或者驳回原告诉讼请求数",
        "件",
        f"{_A}.legacy_appeals",
        "五",
    ),
    _row("五（二）", "（二）被依法纠错数", "件", f"{_A}.legacy_appeals", "五"),
    _row("五（三）", "（三）其他情形数", "件", f"{_A}.legacy_appeals", "五"),
    _row("六", "六、举报投诉数量", "件", f"{_O}.complaints"),
    _row("七", "七、依申请公开信息收取的费用", "万元", f"{_O}.fees_collected_wan"),
    _head("八", "八、机构建设和保障经费情况"),
    _row("八（一）", "（一）政府信息公开工作专门机构数", "个", f"{_O}.office_units", "八"),
    _row(
        "八（二）",
        "（二）从事政府信息公开工作人员数（默认为兼职）",
        "人",
        f"{_O}.staff_total",
        "八",
        aliases=("（二）从事政府信息公开工作人员数",),
    ),
    _row(
        "八（二）1",
        "1.专职人员数（不包括政府公报及政府网站工作人员数）",
        "人",
        f"{_O}.staff_full_time",
        "八（二）",
        aliases=("1.专职人员数",),
    ),
    _row("八（二）2", "2.兼职人员数", "人", f"{_O}.staff_part_time", "八（二）"),
    _row(
        "八（三）",
        "（三）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
        "万元",
        f"{_O}.funds_wan",
        "八",
        aliases=("（三）政府信息公开专项经费",),
    ),
    _head("九", "九、政府信息公开会议和培训情况"),
    _row("九（一）", "（一）召开政府信息公开工作会议或专题会议数", "次", f"{_O}.meetings", "九"),
    _row("九（二）", "（二）举办各类培训班数", "次", f"{_O}.training_sessions", "九"),
    _row("九（三）", "（三）接受培训人员数", "人次", f"{_O}.training_attendance", "九"),
)

CHANNEL_ROWS = ("一（二）1", "一（二）2", "一（二）3", "一（二）4")

# Published pre-2019 tables often leave a total or its breakdown blank (the seed: 申请办结数 8 with
# 按时/延期 blank; 申请答复数 blank with 5 + 3 below it). A sum check therefore runs only when
# the total and at least one part are filled in ("when_filled"); blank parts then count as 0.
CHECKS = (
    Check(
        "at_most",
        "主动公开政府信息数（不同渠道公开相同信息计1条）不应大于各渠道公开数之和",
        target="一（一）",
        parts=CHANNEL_ROWS,
        table="统计表",
    ),
    Check(
        "at_least_each",
        "主动公开政府信息数不应小于任一渠道的公开数",
        target="一（一）",
        parts=CHANNEL_ROWS,
        table="统计表",
    ),
    Check(
        "at_most",
        "主要负责同志参加新闻发布会次数不应大于新闻发布会总次数",
        target="二（二）1a",
        parts=("二（二）1",),
        table="统计表",
    ),
    Check(
        "sum_of_rows",
        "收到申请数应等于各渠道申请数之和",
        target="三（一）",
        parts=("三（一）1", "三（一）2", "三（一）3", "三（一）4"),
        table="统计表",
        when_filled=True,
    ),
    Check(
        "sum_of_rows",
        "申请办结数应等于按时办结数与延期办结数之和",
        target="三（二）",
        parts=("三（二）1", "三（二）2"),
        table="统计表",
        when_filled=True,
    ),
    Check(
        "sum_of_rows",
        "申请答复数应等于各类答复数之和",
        target="三（三）",
        parts=tuple(f"三（三）{n}" for n in range(1, 9)),
        table="统计表",
        when_filled=True,
    ),
    Check(
        "sum_of_rows",
        "不同意公开答复数应等于其中各项之和",
        target="三（三）4",
        parts=tuple(f"三（三）4{x}" for x in "abcdef"),
        table="统计表",
        when_filled=True,
    ),
    Check(
        "at_least",
        "行政复议数量不应小于各结果之和（尚未审结的不计入结果）",
        target="四",
        parts=("四（一）", "四（二）", "四（三）"),
        table="统计表",
        when_filled=True,
    ),
    Check(
        "at_least",
        "行政诉讼数量不应小于各结果之和（尚未审结的不计入结果）",
        target="五",
        parts=("五（一）", "五（二）", "五（三）"),
        table="统计表",
        when_filled=True,
    ),
    Check(
        "sum_of_rows",
        "从事政府信息公开工作人员数应等于专职与兼职人员数之和",
        target="八（二）",
        parts=("八（二）1", "八（二）2"),
        table="统计表",
        when_filled=True,
    ),
)

TABLE = Table(
    key="统计表",
    title="政府信息公开情况统计表",
    columns=VALUE,
    rows=ROWS,
    checks=CHECKS,
    aliases=("政府信息公开工作情况统计表",),
)

SECTIONS = (
    Section("一", "一、主动公开情况", tables=("统计表",)),
    Section("二", "二、回应解读情况"),
    Section("三", "三、依申请公开情况"),
    Section("四", "四、因政府信息公开引起的行政复议数量"),
    Section("五", "五、因政府信息公开引起的行政诉讼数量"),
    Section("六", "六、举报投诉数量"),
    Section("七", "七、依申请公开信息收取的费用"),
    Section("八", "八、机构建设和保障经费情况"),
    Section("九", "九、政府信息公开会议和培训情况"),
)

FORMAT = Format(
    key="pre2019",
    name="政府信息公开情况统计表",
    basis="国办发〔2014〕32号",
    sections=SECTIONS,
    tables=(TABLE,),
    zero_shown_blank=True,
    distinctive=(
        "政府信息公开情况统计表",
        "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）",
        "（二）申请办结数",
        "七、依申请公开信息收取的费用",
    ),
)
