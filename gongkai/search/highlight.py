"""Highlighting in the original text: <mark> around the query's words, everything escaped.

The words are looked up in a normalised copy of the text (NFKC, lower case) whose characters
map back to the original, so "ＡＰＰ" in a title is marked for the query "app".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_LENGTH = 120
SNIPPET_LEAD = 24


def _normalised(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for out in unicodedata.normalize("NFKC", ch).lower():
            chars.append(out)
            origin.append(index)
    return "".join(chars), origin


def spans(text: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping [start, end) ranges of `text` where a needle occurs, in order."""
    if not text:
        return []
    norm, origin = _normalised(text)
    found: list[tuple[int, int]] = []
    for needle in sorted({n for n in needles if n}, key=len, reverse=True):
        start = norm.find(needle)
        while start != -1:
            end = start + len(needle)
            found.append((origin[start], origin[end - 1] + 1))
            start = norm.find(needle, end)
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _render(
    text: str, ranges: Sequence[tuple[int, int]], lo: int = 0, hi: int | None = None
) -> str:
    hi = len(text) if hi is None else hi
    out: list[str] = []
    position = lo
    for start, end in ranges:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        out.append(escape(text[position:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        position = end
    out.append(escape(text[position:hi]))
    return "".join(out)


def mark(text: str, needles: Iterable[str]) -> SafeString:
    """The whole text, escaped, with the needles marked."""
    return mark_safe(_render(text, spans(text, needles)))  # noqa: S308 — every piece escaped


def snippet(
    text: str, needles: Iterable[str], *, length: int = SNIPPET_LENGTH
) -> SafeString | None:
    """About `length` characters around the first match, or None when nothing matches."""
    text = " ".join(text.split())
    ranges = spans(text, needles)
    if not ranges:
        return None
    lo = max(0, ranges[0][0] - SNIPPET_LEAD)
    hi = min(len(text), lo + length)
    if hi - lo < length:
        lo = max(0, hi - length)
    # Never cut a marked word in half at the end.
    for start, end in ranges:
        if start < hi < end:
            hi = end
    body = _render(text, ranges, lo, hi)
    return mark_safe(("…" if lo else "") + body + ("…" if hi < len(text) else ""))  # noqa: S308


def head(text: str, *, length: int = SNIPPET_LENGTH) -> SafeString:
    """The beginning of the text, escaped (when the query matched only the title)."""
    text = " ".join(text.split())
    cut = text[:length]
    return mark_safe(escape(cut) + ("…" if len(text) > length else ""))  # noqa: S308
