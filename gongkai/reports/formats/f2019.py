"""The 2019 (试行) format: 《中华人民共和国政府信息公开工作年度报告格式（试行）》
(国办公开办函〔2019〕60号), used for the 2019 and 2020 reports. Labels verbatim from RULES C §2.3–2.5.
Every 表二 cell except 规章 / 规范性文件 is entered by staff (项目数量 and decisions live in other
systems); the unit of 采购总金额 is not confirmed (RULES: UNCONFIRMED) — we read it as 万元."""

from __future__ import annotations

from .base import Column, Format, Row, Table
from .common import SECTIONS, TOTAL_ALIASES, table3, table4

_CATALOGUE = "catalogue"
_MATTERS = (
    Column("last_year", "上一年项目数量"),
    Column("change", "本年增/减", aliases=("本年增／减", "本年增减")),
    Column("decisions", "处理决定数量"),
)


def _entered(key: str, unit: str = "件", columns: tuple[str, ...] = ()) -> Row:
    return Row(key, key, unit, entered=True, blank_means_zero=False, columns=columns)


TABLE2_1 = Table(
    key="二（一）",
    title="第二十条第（一）项",
    caption="第二十条第（一）项",
    columns=(
        Column("made", "本年新制作数量"),
        Column("published", "本年新公开数量"),
        Column("total", "对外公开总数量"),
    ),
    rows=(
        Row("规章", "规章", "件", source=f"{_CATALOGUE}.rules_2019"),
        Row(
            "规范性文件",
            "规范性文件",
            "件",
            aliases=("行政规范性文件",),
            source=f"{_CATALOGUE}.normative_2019",
        ),
    ),
)
TABLE2_5 = Table(
    key="二（五）",
    title="第二十条第（五）项",
    caption="第二十条第（五）项",
    columns=_MATTERS,
    rows=(_entered("行政许可"), _entered("其他对外管理服务事项")),
)
TABLE2_6 = Table(
    key="二（六）",
    title="第二十条第（六）项",
    caption="第二十条第（六）项",
    columns=_MATTERS,
    rows=(_entered("行政处罚"), _entered("行政强制")),
)
TABLE2_8 = Table(
    key="二（八）",
    title="第二十条第（八）项",
    caption="第二十条第（八）项",
    columns=_MATTERS[:2],
    rows=(_entered("行政事业性收费", "项"),),
)
TABLE2_9 = Table(
    key="二（九）",
    title="第二十条第（九）项",
    caption="第二十条第（九）项",
    columns=(Column("projects", "采购项目数量"), Column("amount", "采购总金额")),
    rows=(_entered("政府集中采购", "项"),),
)

SECTIONS_2019 = tuple(
    s if s.key != "二" else type(s)(s.key, s.title, s.aliases, (*s.tables, "二（九）"))
    for s in SECTIONS
)

FORMAT = Format(
    key="2019",
    name="中华人民共和国政府信息公开工作年度报告格式（试行）",
    basis="国办公开办函〔2019〕60号",
    sections=SECTIONS_2019,
    tables=(
        TABLE2_1,
        TABLE2_5,
        TABLE2_6,
        TABLE2_8,
        TABLE2_9,
        table3(other_processing_split=False),
        table4(),
    ),
    replacements=tuple((variant, "总计") for variant in TOTAL_ALIASES),
    distinctive=(
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "政府集中采购",
    ),
)
