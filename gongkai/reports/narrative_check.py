"""Checks on the narrative (the text sections) of an annual report. Pure Python.

1. Narrative arithmetic: a sentence that states a total and enumerates its parts —
   "共614条，其中工作动态122条，政策文件80条，…" — whose parts do not add up. The total is a
   quantity whose label says 共/共计/合计/总计/累计, or the quantity just before an enumerator
   (其中, 包括, 分别为, "：") . The parts are the quantities of the same unit after the
   enumerator, up to the end of the sentence. An enumeration with no total of its own (a list
   under a sub-heading, "信息类别：A 1条；B 180条，新增31条；…") belongs to the last total of the
   same unit stated earlier in the same section. Quantities labelled 新增 form a second series
   with its own total ("共615条，今年新增94条").
2. Narrative vs table: a number the text states for a labelled quantity ("受理依申请公开8件")
   that differs from its cell (表三 一、本年新收… 总计 / pre2019 （一）收到申请数).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.reports.formats import normalize

COUNT_UNITS = "条|件|次|篇|个|项|宗|起|场|期|家|人次|人"
_ITEM = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>" + COUNT_UNITS + r")(?![\d])")
_ENUMERATOR = re.compile(r"(其中|包括|包含|分别为|分别是|具体为|具体是|主要有|：)$")
_TOTAL_WORD = re.compile(
    r"(共计|合计|总计|累计|总共|共有|(?<!公)共(?!享|同|建|产|青|性|识|赢|治|商))"
)
_STOP_WORD = re.compile(r"(均|全部|都已|占比|同比|比上年|较上年)")
_SECONDARY = re.compile(r"^(其中|今年|本年|年内)?(新增|新发布|新公开)")
_DELIMS = "，、；：。,;:"
_PARENS = re.compile(r"（[^（）]*）")


@dataclass
class Item:
    label: str
    number: int | Decimal
    unit: str
    start: int
    end: int
    enumerator_before: bool = False  # an enumerator word ends the text before its label


@dataclass
class Total:
    item: Item
    series: str  # "" (main) or "新增"
    section: str
    excerpt: str
    parts: list[Item] = field(default_factory=list)


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
            )
        )
        previous_end = match.end()
    return items


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
            units = {p.unit for p in total.parts}
            if units != {total.item.unit}:
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
    for i, item in enumerate(items):
        series = _series(item)
        is_total = bool(_TOTAL_WORD.search(item.label)) and not item.enumerator_before
        nxt = items[i + 1] if i + 1 < len(items) else None
        before_enumerator = nxt is not None and nxt.enumerator_before and not enumerating
        secondary = series == "新增" and "" in current and series not in current
        if is_total or before_enumerator or (secondary and not enumerating):
            total = Total(item, series, section, _excerpt(sentence))
            totals.append(total)
            current[series] = total
            enumerating = False
            continue
        if item.enumerator_before:
            enumerating = True
            if not current:
                # a list with no total of its own: the last totals stated earlier in the section
                for earlier in reversed(totals):
                    current.setdefault(earlier.series, earlier)
                    if "" in current and "新增" in current:
                        break
        if not enumerating:
            continue
        if _STOP_WORD.search(item.label):
            enumerating = False
            continue
        target = current.get(series)
        if target is not None and target.item.unit == item.unit:
            target.parts.append(item)


# --- narrative vs table ----------------------------------------------------------------------

# (pattern on normalised text, the cell keys whose sum the stated number is) per format
_RECEIVED_2019 = ("一、本年新收政府信息公开申请数量|总计",)
NARRATIVE_CELLS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "pre2019": (
        (
            "received",
            r"(?:受理|收到)(?:政府信息)?(?:依申请公开|公开申请|信息公开申请|申请)(?:申请)?(?:共计|共)?(\d+)件",
            ("（一）收到申请数|统计数",),
        ),
        (
            "proactive",
            r"主动公开政府信息(?:共计|共)?(\d+)条",
            ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）|统计数",),
        ),
    ),
    "2019": (
        (
            "received",
            r"(?:新收|受理|收到)(?:政府信息公开|依申请公开|信息公开)?(?:申请)?(?:共计|共)?(\d+)件",
            _RECEIVED_2019,
        ),
        ("review", r"行政复议(?:案件)?(\d+)件", ("行政复议|总计",)),
        (
            "litigation",
            r"行政诉讼(?:案件)?(\d+)件",
            ("行政诉讼|未经复议直接起诉|总计", "行政诉讼|复议后起诉|总计"),
        ),
    ),
}
NARRATIVE_CELLS["2021"] = NARRATIVE_CELLS["2019"]


@dataclass(frozen=True)
class CellMismatch:
    section: str
    excerpt: str
    quantity: str
    cell: str
    table_value: int | Decimal
    stated: int | Decimal


def narrative_vs_cells(
    format_key: str, narrative: dict[str, str], cells: dict
) -> list[CellMismatch]:
    out: list[CellMismatch] = []
    for quantity, pattern, keys in NARRATIVE_CELLS.get(format_key, ()):
        values = [cells.get(k) for k in keys]
        if any(v is None for v in values):
            continue
        table_value = sum(values, start=0)
        regex = re.compile(pattern)
        for section, text in narrative.items():
            for paragraph in normalize_text(text).split("\n"):
                for sentence in _sentences(paragraph):
                    for match in regex.finditer(sentence):
                        stated = _number(match[1])
                        if stated != table_value:
                            out.append(
                                CellMismatch(
                                    section=section,
                                    excerpt=_excerpt(sentence),
                                    quantity=quantity,
                                    cell=" + ".join(keys),
                                    table_value=table_value,
                                    stated=stated,
                                )
                            )
    return out
