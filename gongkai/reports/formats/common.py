"""Parts shared by the 2019 (试行) and 2021 formats: sections, 表三's columns and rows, 表四."""

from __future__ import annotations

from .base import Check, Column, Row, Section, Table

SECTIONS = (
    Section("一", "一、总体情况"),
    Section(
        "二", "二、主动公开政府信息情况", tables=("二（一）", "二（五）", "二（六）", "二（八）")
    ),
    Section("三", "三、收到和处理政府信息公开申请情况", tables=("三",)),
    Section(
        "四",
        "四、政府信息公开行政复议、行政诉讼情况",
        aliases=("四、因政府信息公开工作被申请行政复议提起行政诉讼情况",),
        tables=("四",),
    ),
    Section(
        "五",
        "五、存在的主要问题及改进情况",
        aliases=("五、政府信息公开工作存在的主要问题及改进情况",),
    ),
    Section("六", "六、其他需要报告的事项"),
)

TOTAL_ALIASES = ("合计",)

APPLICANT_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业", group="法人或其他组织"),
    Column("research", "科研机构", group="法人或其他组织"),
    Column("public_interest", "社会公益组织", group="法人或其他组织"),
    Column("legal_service", "法律服务机构", group="法人或其他组织"),
    Column("other_org", "其他", group="法人或其他组织"),
    Column("total", "总计", aliases=TOTAL_ALIASES),
)
APPLICANT_PARTS = (
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_service",
    "other_org",
)  # column keys = gongkai.applications.taxonomy.ApplicantType values

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

_A = "applications"  # source prefix, see compute.py


def table3_rows(*, other_processing_split: bool) -> tuple[Row, ...]:
    """表三's rows. 2021 splits （六）其他处理 into three sub-rows; 2019 keeps it one row."""

    def outcome(key: str, label: str, parent: str, aliases=()) -> Row:
        return Row(key, label, "件", aliases=aliases, source=f"{_A}.outcome", parent=parent)

    rows = [
        Row("一", "一、本年新收政府信息公开申请数量", "件", source=f"{_A}.new"),
        Row("二", "二、上年结转政府信息公开申请数量", "件", source=f"{_A}.carried_in"),
        Row("三", "三、本年度办理结果", header=True),
        outcome("三（一）", "（一）予以公开", "三"),
        outcome(
            "三（二）",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "三",
            aliases=("（二）部分公开",),
        ),
        Row("三（三）", "（三）不予公开", header=True, parent="三"),
        outcome("三（三）1", "1.属于国家秘密", "三（三）"),
        outcome("三（三）2", "2.其他法律行政法规禁止公开", "三（三）"),
        outcome("三（三）3", "3.危及“三安全一稳定”", "三（三）", aliases=('3.危及"三安全一稳定"',)),
        outcome("三（三）4", "4.保护第三方合法权益", "三（三）"),
        outcome("三（三）5", "5.属于三类内部事务信息", "三（三）"),
        outcome("三（三）6", "6.属于四类过程性信息", "三（三）"),
        outcome("三（三）7", "7.属于行政执法案卷", "三（三）"),
        outcome("三（三）8", "8.属于行政查询事项", "三（三）"),
        Row("三（四）", "（四）无法提供", header=True, parent="三"),
        outcome("三（四）1", "1.本机关不掌握相关政府信息", "三（四）"),
        outcome("三（四）2", "2.没有现成信息需要另行制作", "三（四）"),
        outcome("三（四）3", "3.补正后申请内容仍不明确", "三（四）"),
        Row("三（五）", "（五）不予处理", header=True, parent="三"),
        outcome("三（五）1", "1.信访举报投诉类申请", "三（五）"),
        outcome("三（五）2", "2.重复申请", "三（五）"),
        outcome("三（五）3", "3.要求提供公开出版物", "三（五）"),
        outcome("三（五）4", "4.无正当理由大量反复申请", "三（五）"),
        outcome("三（五）5", "5.要求行政机关确认或重新出具已获取信息", "三（五）"),
    ]
    if other_processing_split:
        rows += [
            Row("三（六）", "（六）其他处理", header=True, parent="三"),
            outcome(
                "三（六）1",
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "三（六）",
                aliases=("1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",),
            ),
            outcome(
                "三（六）2",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "三（六）",
                aliases=(
                    "2.申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请",
                ),
            ),
            outcome("三（六）3", "3.其他", "三（六）"),
        ]
    else:
        rows.append(outcome("三（六）", "（六）其他处理", "三"))
    rows += [
        Row(
            "三（七）",
            "（七）总计",
            "件",
            aliases=("（七）合计",),
            source=f"{_A}.concluded",
            parent="三",
        ),
        Row("四", "四、结转下年度继续办理", "件", source=f"{_A}.carried_out"),
    ]
    return tuple(rows)


def outcome_row_keys(rows: tuple[Row, ...]) -> tuple[str, ...]:
    return tuple(r.key for r in rows if r.source == f"{_A}.outcome")


def table3(*, other_processing_split: bool) -> Table:
    rows = table3_rows(other_processing_split=other_processing_split)
    return Table(
        key="三",
        title="三、收到和处理政府信息公开申请情况",
        caption=TABLE3_NOTE,
        columns=APPLICANT_COLUMNS,
        rows=rows,
        checks=(
            Check(
                "column_identity",
                "第一项加第二项之和，应等于第三项加第四项之和",
                target=("一", "二"),
                parts=("三（七）", "四"),
                table="三",
            ),
            Check(
                "sum_of_rows",
                "（七）总计应等于各项办理结果之和",
                target="三（七）",
                parts=outcome_row_keys(rows),
                table="三",
            ),
            Check(
                "sum_of_columns",
                "总计应等于自然人与法人或其他组织各列之和",
                target="total",
                parts=APPLICANT_PARTS,
                table="三",
            ),
        ),
    )


# --- 表四 (the same in 2019 and 2021) ----------------------------------------------------------

RESULTS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
GROUPS = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼|未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼|复议后起诉"),
)


def table4() -> Table:
    columns = tuple(
        Column(
            f"{group}.{result}",
            f"{group_label}|{result_label}",
            aliases=(f"{group_label}|合计",) if result == "total" else (),
            group=group_label,
        )
        for group, group_label in GROUPS
        for result, result_label in RESULTS
    )
    checks = tuple(
        Check(
            "sum_of_columns",
            f"{group_label.replace('|', '')}总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
            target=f"{group}.total",
            parts=tuple(f"{group}.{r}" for r, _ in RESULTS if r != "total"),
            table="四",
        )
        for group, group_label in GROUPS
    )
    return Table(
        key="四",
        title="四、政府信息公开行政复议、行政诉讼情况",
        columns=columns,
        rows=(Row("复议诉讼", "", "件", source="appeals"),),
        checks=checks,
    )
