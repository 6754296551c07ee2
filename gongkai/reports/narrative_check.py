"""Checks on the narrative (the text sections) of an annual report. Pure Python.

1. Narrative arithmetic: a sentence that states a total and enumerates its parts —
   "共614条，其中工作动态122条，政策文件80条，…" — whose parts do not add up. The total is a
   quantity whose label says 共/共计/合计/总计/累计, or the quantity just before an enumerator
   (其中, 包括, 分别为, "：") . The parts are the quantities of the same unit after the
   enumerator, up to the end of the clause: a sentence ends a list, and so does a "；" after
   parts separated by "，"/"、" (a list written with "；" between its parts goes on) and a part
   that opens a new subject ("；因政府信息公开引起的行政复议案件2件"). Counting units of
   documents and cases (条/件/个/篇/项/宗/起) are one unit: "信息47条，其中部门文件22件，通知
   公告16条" is one list; 次, 人, 场… are not added to them. An enumeration with no total of its
   own (a list under a sub-heading, "信息类别：A 1条；B 180条，新增31条；…") belongs to the last
   total of the same unit stated earlier in the same section. Quantities labelled 新增 form a
   second series with its own total ("共615条，今年新增94条"). A part's stated share ("42件，
   占51.9%") is checked against part ÷ total (``narrative_percentages``).
2. Narrative vs table: a number the text states for a quantity one table cell holds
   ("新收政府信息公开申请8件", "现行有效行政规范性文件393件", "行政复议2件") that differs from
   that cell. ``strength`` says how surely the words name the cell: "exact" (the table's own
   wording: 新收, 上年结转, 结转下年度, 制发, 废止, 现行有效), "loose" (受理, 收到, 办结,
   行政复议…, which a report may use for a wider count). "收到/受理 N件" where N = 新收 +
   上年结转 is the known way of counting the carried-over applications in (``with_carry``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.reports.formats import normalize

COUNT_UNITS = "条|件|次|篇|个|项|宗|起|场|期|家|人次|人|处"
_ITEM = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>" + COUNT_UNITS + r")(?![\d])")
_ENUMERATOR = re.compile(r"(其中|包括|包含|分别为|分别是|具体为|具体是|主要有|：)$")
_TOTAL_WORD = re.compile(
    r"(共计|合计|总计|累计|总共|共有|(?<!公)共(?!享|同|建|产|青|性|识|赢|治|商))"
)
_STOP_WORD = re.compile(r"(均|全部|都已|占比|同比|比上年|较上年)")
_SECONDARY = re.compile(r"^(其中|今年|本年|年内)?(新增|新发布|新公开)")
_DELIMS = "，、；：。,;:"
# documents and cases are counted in any of these units within one list
_ITEM_UNITS = frozenset("条件个篇项宗起")
# a part that opens a new subject ends a list ("…其他处理2件；因政府信息公开引起的行政复议…")
_NEW_SUBJECT = re.compile(
    r"^(因|另|另外|此外|同时|全年|本年度|今年|年内|上年|我(镇|乡|街道|局|委|办|区|县|市)|收到|"
    r"受理|办结|新收|结转)"
)
_PERCENT = re.compile(r"^[，,]?(?:占比|占总数的?|占全部[^，。；]{0,8}的|占)(\d+(?:\.\d+)?)[%％]")
_PARENS = re.compile(r"（[^（）]*）")


@dataclass
class Item:
    label: str
    number: int | Decimal
    unit: str
    start: int
    end: int
    enumerator_before: bool = False  # an enumerator word ends the text before its label
    gap: str = ""  # the text between the previous quantity and this one's label


@dataclass
class Total:
    item: Item
    series: str  # "" (main) or "新增"
    section: str
    excerpt: str
    parts: list[Item] = field(default_factory=list)
    sentence: str = ""


@dataclass(frozen=True)
class SumMismatch:
    section: str
    excerpt: str
    label: str
    unit: str
    stated: int | Decimal
    computed: int | Decimal
    parts: tuple[tuple[str, int | Decimal], ...]


def _number(text: str) -> int | Decimal:
    return Decimal(text) if "." in text else int(text)


def items_of(sentence: str) -> list[Item]:
    """Every "<label><number><unit>" quantity of a sentence (normalised text)."""
    items: list[Item] = []
    previous_end = 0
    for match in _ITEM.finditer(sentence):
        before = sentence[previous_end : match.start()]
        # the label: the text since the last delimiter
        cut = max((before.rfind(d) for d in _DELIMS), default=-1)
        label = before[cut + 1 :]
        head = before[: cut + 1] if cut >= 0 else ""
        enumerated = bool(_ENUMERATOR.search(head.rstrip("，,、") or "")) or bool(
            re.search(r"(其中|包括|分别为|分别是)", label)
        )
        items.append(
            Item(
                label=label,
                number=_number(match["num"]),
                unit=match["unit"],
                start=match.start(),
                end=match.end(),
                enumerator_before=enumerated,
                gap=head,
            )
        )
        previous_end = match.end()
    return items


def unit_group(unit: str) -> str:
    """Units that count the same things: documents and cases in 条/件/个/篇… are one."""
    return "items" if unit in _ITEM_UNITS else unit


def _series(item: Item) -> str:
    label = re.sub(r"^(其中|包括|分别为)", "", item.label)
    return "新增" if _SECONDARY.match(label) else ""


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?])", text) if s.strip()]


def _excerpt(sentence: str, limit: int = 60) -> str:
    sentence = sentence.strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def narrative_sums(narrative: dict[str, str]) -> list[SumMismatch]:
    """Every stated total whose enumerated parts add up to something else."""
    out: list[SumMismatch] = []
    for section, text in narrative.items():
        totals: list[Total] = []
        for paragraph in normalize_text(text).split("\n"):
            for sentence in _sentences(paragraph):
                _scan_sentence(sentence, section, totals)
        for total in totals:
            if len(total.parts) < 2:
                continue
            units = {unit_group(p.unit) for p in total.parts}
            if units != {unit_group(total.item.unit)}:
                continue
            computed = sum((p.number for p in total.parts), start=0)
            if computed != total.item.number:
                out.append(
                    SumMismatch(
                        section=section,
                        excerpt=total.excerpt,
                        label=total.item.label,
                        unit=total.item.unit,
                        stated=total.item.number,
                        computed=computed,
                        parts=tuple((p.label, p.number) for p in total.parts),
                    )
                )
    return out


def normalize_text(text: str) -> str:
    """Simplified characters and full-width punctuation, line by line (spaces dropped);
    parenthesised qualifiers ("网站（含转发）319条") are left out."""
    lines = [normalize(line) for line in (text or "").split("\n")]
    return "\n".join(_PARENS.sub("", line) for line in lines)


def _scan_sentence(sentence: str, section: str, totals: list[Total]) -> None:
    items = items_of(sentence)
    if not items:
        return
    current: dict[str, Total] = {}  # series → the total the parts of this sentence go to
    enumerating = False
    separator = ""  # "；" or "，" once the list's parts have shown how they are separated
    for i, item in enumerate(items):
        series = _series(item)
        if enumerating and _ends_list(item, series, separator):
            enumerating = False
            current = {}
        is_total = bool(_TOTAL_WORD.search(item.label)) and not item.enumerator_before
        nxt = items[i + 1] if i + 1 < len(items) else None
        before_enumerator = nxt is not None and nxt.enumerator_before and not enumerating
        secondary = series == "新增" and "" in current and series not in current
        if is_total or before_enumerator or (secondary and not enumerating):
            total = Total(item, series, section, _excerpt(sentence), sentence=sentence)
            totals.append(total)
            current[series] = total
            enumerating = False
            separator = ""
            continue
        if item.enumerator_before:
            if not enumerating:
                separator = ""
            enumerating = True
            if not current:
                # a list with no total of its own: the last totals stated earlier in the section
                for earlier in reversed(totals):
                    current.setdefault(earlier.series, earlier)
                    if "" in current and "新增" in current:
                        break
        elif enumerating and series == "" and not separator:
            separator = "；" if "；" in item.gap else "，"
        if not enumerating:
            continue
        if _STOP_WORD.search(item.label):
            enumerating = False
            continue
        target = current.get(series)
        if target is not None and unit_group(target.item.unit) == unit_group(item.unit):
            target.parts.append(item)


def _ends_list(item: Item, series: str, separator: str) -> bool:
    """Whether `item` is past the end of the list being read: a "；" after parts separated by
    "，"/"、", or a part that opens a new subject."""
    if item.enumerator_before:
        return False
    if "；" in item.gap and separator == "，":
        return True
    label = re.sub(r"^(其中|包括|分别为)", "", item.label)
    return series == "" and bool(_NEW_SUBJECT.match(label))


@dataclass(frozen=True)
class PercentMismatch:
    section: str
    excerpt: str
    label: str
    stated: Decimal
    computed: Decimal


def narrative_percentages(narrative: dict[str, str]) -> list[PercentMismatch]:
    """Every part whose stated share of its total ("予以公开42件，占51.9%") is not part ÷ total
    to the precision written (a share truncated instead of rounded passes)."""
    out: list[PercentMismatch] = []
    for section, text in narrative.items():
        totals: list[Total] = []
        for paragraph in normalize_text(text).split("\n"):
            for sentence in _sentences(paragraph):
                _scan_sentence(sentence, section, totals)
        for total in totals:
            if not total.item.number or not total.sentence:
                continue
            for part in total.parts:
                match = _PERCENT.match(total.sentence[part.end :])
                if not match:
                    continue
                stated = Decimal(match[1])
                exact = Decimal(part.number) * 100 / Decimal(total.item.number)
                places = len(match[1].partition(".")[2])
                step = Decimal(1).scaleb(-places)
                if not (stated - step <= exact <= stated + step):
                    out.append(
                        PercentMismatch(
                            section=section,
                            excerpt=total.excerpt,
                            label=part.label,
                            stated=stated,
                            computed=exact.quantize(Decimal("0.1")),
                        )
                    )
    return out


# --- narrative vs table ----------------------------------------------------------------------

_APPLY = r"(?:政府信息公开|依申请公开|信息公开)?(?:的)?(?:申请)?(?:数量)?(?:共计|共|总计)?"
# (quantity, pattern on normalised text, cell keys whose sum the stated number is, strength)
_T3 = (
    (
        "new",
        r"新收(?:到)?" + _APPLY + r"(\d+)件",
        ("一、本年新收政府信息公开申请数量|总计",),
        "exact",
    ),
    (
        "received",
        r"(?<![新已])(?:受理|收到)" + _APPLY + r"(\d+)件",
        ("一、本年新收政府信息公开申请数量|总计",),
        "loose",
    ),
    (
        "carried_in",
        r"上年(?:度)?结转" + _APPLY + r"(\d+)件",
        ("二、上年结转政府信息公开申请数量|总计",),
        "exact",
    ),
    (
        "carried_out",
        r"结转(?:至|到)?下(?:一)?年度?(?:继续办理)?(?:的)?" + _APPLY + r"(\d+)件",
        ("四、结转下年度继续办理|总计",),
        "exact",
    ),
    ("concluded", r"(?<![按时期限内])办结" + _APPLY + r"(\d+)件", ("（七）总计|总计",), "loose"),
    ("disclosed", r"(?<![不])予以公开(\d+)件", ("（一）予以公开|总计",), "loose"),
    (
        "partial",
        r"(?<![及和与、])部分公开(\d+)件",
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）|总计",),
        "loose",
    ),
    ("review", r"行政复议(?:案件)?(\d+)件", ("行政复议|总计",), "loose"),
    (
        "litigation",
        r"行政诉讼(?:案件)?(\d+)件",
        ("行政诉讼|未经复议直接起诉|总计", "行政诉讼|复议后起诉|总计"),
        "loose",
    ),
)
_DOCUMENTS = {
    "规章": r"规章",
    "行政规范性文件": r"(?:行政)?规范性文件",
    "规范性文件": r"规范性文件",
}
_T2_2021 = (
    tuple(
        item
        for row, words in _DOCUMENTS.items()
        if row != "规范性文件"
        for item in (
            (
                "in_force",
                r"现行有效(?:的)?(?:件数)?" + words + r"(?:共计|共|总数|数量)?(?:为)?(\d+)件",
                (f"{row}|现行有效件数",),
                "exact",
            ),
            (
                "issued",
                r"(?:本年|全年|今年|年内)?制发(?:了)?" + words + r"(?:共计|共)?(\d+)件",
                (f"{row}|本年制发件数",),
                "exact",
            ),
            (
                "repealed",
                r"废止(?:了)?" + words + r"(?:共计|共)?(\d+)件",
                (f"{row}|本年废止件数",),
                "exact",
            ),
        )
    )
    + tuple(
        (
            "decisions",
            row + r"(?:处理)?决定(?:数量)?(?:共计|共)?(?:为)?(\d+)(?:件|个)",
            (f"{row}|本年处理决定数量",),
            "loose",
        )
        for row in ("行政许可", "行政处罚", "行政强制")
    )
    + (
        (
            "fees",
            r"行政事业性收费(?:金额)?(?:共计|共)?(?:为)?(\d+(?:\.\d+)?)万元",
            ("行政事业性收费|本年收费金额（单位：万元）",),
            "loose",
        ),
    )
)
NARRATIVE_CELLS: dict[str, tuple[tuple[str, str, tuple[str, ...], str], ...]] = {
    "pre2019": (
        (
            "received",
            r"(?:受理|收到)(?:政府信息)?(?:依申请公开|公开申请|信息公开申请|申请)(?:申请)?(?:共计|共)?(\d+)件",
            ("（一）收到申请数|统计数",),
            "loose",
        ),
        (
            "proactive",
            r"主动公开政府信息(?:共计|共)?(\d+)条",
            ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）|统计数",),
            "loose",
        ),
    ),
    "2019": _T3,
    "2021": _T3 + _T2_2021,
}
_NEW = "一、本年新收政府信息公开申请数量|总计"
_CARRIED = "二、上年结转政府信息公开申请数量|总计"
# "本年制发件数：规章0件、行政规范性文件2件。" — the column named first, then its rows
_COLUMN_LIST = re.compile(r"(?P<column>[^，。；：]+?)[：，](?P<rest>[^。；]*)")


@dataclass(frozen=True)
class CellMismatch:
    section: str
    excerpt: str
    quantity: str
    cell: str
    table_value: int | Decimal
    stated: int | Decimal
    strength: str = "exact"  # "exact" | "loose" (see the module docstring)
    with_carry: bool = False  # stated = 新收 + 上年结转, where the words say 收到/受理


def _sentences_of(narrative: dict[str, str]):
    for section, text in narrative.items():
        for paragraph in normalize_text(text).split("\n"):
            for sentence in _sentences(paragraph):
                yield section, sentence


def narrative_vs_cells(
    format_key: str, narrative: dict[str, str], cells: dict
) -> list[CellMismatch]:
    """Every figure the text states for a quantity a table cell holds and that differs from
    the cell (a blank cell is not compared)."""
    out: list[CellMismatch] = []
    for quantity, pattern, keys, strength in NARRATIVE_CELLS.get(format_key, ()):
        values = [cells.get(k) for k in keys]
        if any(v is None for v in values):
            continue
        table_value = sum(values, start=0)
        regex = re.compile(pattern)
        for section, sentence in _sentences_of(narrative):
            for match in regex.finditer(sentence):
                stated = _number(match[1])
                if stated == table_value:
                    continue
                with_carry = (
                    quantity in ("received", "new")
                    and cells.get(_CARRIED) is not None
                    and stated == table_value + cells[_CARRIED]
                )
                out.append(
                    CellMismatch(
                        section=section,
                        excerpt=_excerpt(sentence),
                        quantity=quantity,
                        cell=" + ".join(keys),
                        table_value=table_value,
                        stated=stated,
                        strength=strength,
                        with_carry=with_carry,
                    )
                )
    out += _column_lists(format_key, narrative, cells)
    return out


def _column_lists(format_key: str, narrative: dict[str, str], cells: dict) -> list[CellMismatch]:
    """ "<column label>：<row label>N件、<row label>M件" for the documents table (二（一）)."""
    if format_key not in ("2019", "2021"):
        return []
    from gongkai.reports.formats import get

    fmt = get(format_key)
    table = fmt.table("二（一）")
    out = []
    for section, sentence in _sentences_of(narrative):
        for match in _COLUMN_LIST.finditer(sentence):
            column = next((c for c in table.columns if match["column"].endswith(c.label)), None)
            if column is None:
                continue
            for row in table.data_rows():
                found = re.search(
                    r"(?<![行政])" + _DOCUMENTS[row.label] + r"(\d+)件"
                    if row.label == "规范性文件"
                    else _DOCUMENTS[row.label] + r"(\d+)件",
                    match["rest"],
                )
                key = fmt.cell_key(row, column)
                if found is None or cells.get(key) is None:
                    continue
                stated = _number(found[1])
                if stated != cells[key]:
                    out.append(
                        CellMismatch(
                            section=section,
                            excerpt=_excerpt(sentence),
                            quantity=column.key,
                            cell=key,
                            table_value=cells[key],
                            stated=stated,
                        )
                    )
    return out
