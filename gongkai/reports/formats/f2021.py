"""The 2021 format: 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号), used
from the 2021 reports on. Labels verbatim from RULES C §2.2–2.5."""

from __future__ import annotations

from .base import Column, Format, Row, Table
from .common import SECTIONS, TOTAL_ALIASES, table3, table4

_CATALOGUE = "catalogue"

TABLE2_1 = Table(
    key="二（一）",
    title="第二十条第（一）项",
    caption="第二十条第（一）项",
    columns=(
        Column("issued", "本年制发件数"),
        Column("repealed", "本年废止件数"),
        Column("in_force", "现行有效件数"),
    ),
    rows=(
        Row("规章", "规章", "件", source=f"{_CATALOGUE}.rules_2021"),
        Row(
            "行政规范性文件",
            "行政规范性文件",
            "件",
            # printed so in real 2021-format reports (the 2019 label), e.g. 上海市科委 2024
            aliases=("规范性文件",),
            source=f"{_CATALOGUE}.normative_2021",
        ),
    ),
)

# 行政许可, 行政处罚, 行政强制 decisions and 行政事业性收费 amounts are held by other systems
# (审批, 执法, 财政): staff enter them, with a note.
TABLE2_5 = Table(
    key="二（五）",
    title="第二十条第（五）项",
    caption="第二十条第（五）项",
    columns=(Column("decisions", "本年处理决定数量"),),
    rows=(Row("行政许可", "行政许可", "件", entered=True, blank_means_zero=False),),
)
TABLE2_6 = Table(
    key="二（六）",
    title="第二十条第（六）项",
    caption="第二十条第（六）项",
    columns=(Column("decisions", "本年处理决定数量"),),
    rows=(
        Row("行政处罚", "行政处罚", "件", entered=True, blank_means_zero=False),
        Row("行政强制", "行政强制", "件", entered=True, blank_means_zero=False),
    ),
)
TABLE2_8 = Table(
    key="二（八）",
    title="第二十条第（八）项",
    caption="第二十条第（八）项",
    columns=(
        Column(
            "amount", "本年收费金额（单位：万元）", aliases=("本年收费金额", "本年收费金额（万元）")
        ),
    ),
    rows=(Row("行政事业性收费", "行政事业性收费", "万元", entered=True, blank_means_zero=False),),
)

FORMAT = Format(
    key="2021",
    name="中华人民共和国政府信息公开工作年度报告格式",
    basis="国办公开办函〔2021〕30号",
    sections=SECTIONS,
    tables=(TABLE2_1, TABLE2_5, TABLE2_6, TABLE2_8, table3(other_processing_split=True), table4()),
    replacements=tuple((variant, "总计") for variant in TOTAL_ALIASES),
    distinctive=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量"),
)
