"""Value cells: "1132条" → 1132 with its unit, blanks and dashes, values trailing a label."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .base import Number

# --- value cells ----------------------------------------------------------------------------

UNITS = ("人次", "万元", "条", "次", "件", "个", "人", "篇", "宗", "项", "元", "起", "场", "期")
_UNIT_T2S = str.maketrans({"條": "条", "個": "个", "項": "项", "萬": "万", "場": "场"})
_DIGITS = str.maketrans("０１２３４５６７８９．＋－，", "0123456789.+-,")
_NUMBER = re.compile(
    r"^(?P<sign>[+\-−])?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<unit>"
    + "|".join(UNITS)
    + r")?$"
)
_DASH = re.compile(r"^[—\-－─–/／_＿]+$")
_NONE_WORDS = {"无", "/", "空"}


@dataclass(frozen=True)
class Value:
    kind: str  # "number" | "blank" | "dash" | "unit"
    number: Number | None = None
    unit: str = ""


def parse_value(text: str) -> Value | None:
    """A value cell, or None when the text is not one (a label, narrative)."""
    tokens = (text or "").translate(_DIGITS).split()
    if sum(1 for token in tokens if token[:1].isdigit() or token[:2][-1:].isdigit()) > 1:
        return None  # "1 0 0 0 1": several values, not one
    raw = re.sub(r"[\s\u3000\u00a0]+", "", text or "").translate(_DIGITS).translate(_UNIT_T2S)
    if raw == "":
        return Value("blank")
    if _DASH.match(raw):
        return Value("dash")
    if raw in _NONE_WORDS:
        return Value("blank")
    if raw in UNITS:
        return Value("unit", unit=raw)
    match = _NUMBER.match(raw)
    if not match:
        return None
    digits = match["num"].replace(",", "")
    if match["frac"]:
        try:
            number: Number = Decimal(digits + match["frac"])
        except InvalidOperation:  # pragma: no cover - the regex admits only digits
            return None
    else:
        number = int(digits)
    if match["sign"] in ("-", "−"):
        number = -number
    return Value("number", number, match["unit"] or "")


_TRAILING = re.compile(
    r"^(?P<label>.*?\S)(?P<values>(?:[ \t\u3000]+[+\-]?[\d.,]+[^\s\d]{0,2})+)\s*$"
)


_PAGE_NUMBER = re.compile(
    r"^(?:[—\-－–]\s*\d{1,3}\s*[—\-－–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?)$"
)


def _trailing_values(values: list[Value | None]) -> list[Value]:
    """The value cells at the end of a row, in order."""
    trailing: list[Value] = []
    for value in reversed(values):
        if value is None:
            break
        trailing.insert(0, value)
    return trailing


# OCR joins a label and the first figure when the gap between them is narrow: "行政许可36",
# "行政规范性文件2 1 15".
_GLUED = re.compile(
    r"^(?P<label>.*?[^\d\s.,+\-])(?P<values>[+\-]?\d[\d.,]*[^\s\d]{0,2}"
    r"(?:[ \t\u3000]+[+\-]?[\d.,]+[^\s\d]{0,2})*)\s*$"
)


def _split_trailing_values(text: str) -> list[tuple[str, list[str]]]:
    """ "（一）收到申请数 8件" / "规章 0 0 0" (a PDF text layer) / "行政许可36", "行政规范性文件2
    1 15" (OCR) → the ways to read it as (label, values); the caller keeps the first whose label
    is a row's."""
    splits = []
    for pattern in (_TRAILING, _GLUED):
        match = pattern.match(text.strip())
        if not match:
            continue
        values = match["values"].split()
        if not all(parse_value(v) is not None for v in values):
            continue
        label = match["label"]
        parts = label.split()
        splits.append(((parts[-1] if len(parts) > 1 else label), values))
    return splits
