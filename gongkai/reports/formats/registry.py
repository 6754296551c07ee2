"""The formats by key, and format detection from the labels of a published report."""

from __future__ import annotations

from collections.abc import Iterable

from . import f2019, f2021, pre2019
from .base import Format, normalize

FORMATS: dict[str, Format] = {
    "2021": f2021.FORMAT,
    "2019": f2019.FORMAT,
    "pre2019": pre2019.FORMAT,
}
KEYS = tuple(FORMATS)


def get(key: str) -> Format:
    try:
        return FORMATS[key]
    except KeyError:
        raise KeyError(f"unknown report format {key!r}; one of {', '.join(KEYS)}") from None


def for_year(year: int) -> Format:
    """The format a report of `year` was due in: pre2019 up to 2018, 2019 for 2019–2020, 2021
    from 2021 (RULES C §2.1)."""
    if year <= 2018:
        return FORMATS["pre2019"]
    if year <= 2020:
        return FORMATS["2019"]
    return FORMATS["2021"]


def detect(text_labels: Iterable[str]) -> str | None:
    """The format key whose distinctive labels occur most among `text_labels` (labels or whole
    lines of a report, in any spelling); None when none occurs. A label occurring inside a
    longer line counts."""
    lines = [normalize(t) for t in text_labels if t and t.strip()]
    best, best_score = None, 0
    for key, fmt in FORMATS.items():
        marks = {normalize(label) for label in fmt.distinctive}
        score = sum(1 for mark in marks if any(mark in line for line in lines))
        if score > best_score:
            best, best_score = key, score
    return best
