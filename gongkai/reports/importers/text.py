"""Plain text: labels and values on separate lines (the seed), table rows as "a | b | c" lines
(a page flattened by a search service, Markdown, OCR), "|" on lines of their own between the
cells, and a row whose cells were printed on the lines after it ("label | 25 |", "|", "|",
"| 25 |"; "label |", "0 |", "0 |")."""

from __future__ import annotations

import re

from .base import Block, ImportedReport
from .values import parse_value
from .walk import parse_blocks

_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*")


def _clean(line: str) -> str:
    line = _MARKDOWN_HEADING.sub("", line)
    return _EMPHASIS.sub(r"\1", line)


def _continues(row: str, line: str) -> bool:
    """Is `line` the rest of the pipe row `row`, its cells printed on the next lines ("label |",
    "|", "0 |")? Only for a row that does not open with "|" (a Markdown row is one line) and
    ends with one, followed by a line of blank or value cells that opens or ends with "|"."""
    if not row.rstrip().endswith(("|", "｜")) or row.lstrip().startswith(("|", "｜")):
        return False
    stripped = line.strip().replace("｜", "|")
    if not (stripped.startswith("|") or stripped.endswith("|")):
        return False
    return all(parse_value(cell) is not None for cell in stripped.split("|"))


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(1-based number of the first physical line, text) of every logical line."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = _clean(raw)
        if _MARKDOWN_RULE.match(line) and "-" in line:
            continue
        if lines and _continues(lines[-1][1], line):
            lines[-1] = (lines[-1][0], lines[-1][1].rstrip() + line.strip())
            continue
        lines.append((number, line))
    return lines


def _double_spaced(lines: list[tuple[int, str]]) -> bool:
    """Is every line of the text followed by one empty line (paragraphs copied from a page)? Then
    an empty line more is a blank cell: "12", "", "", "", "", "", "", "12" is 12, five blanks, 12."""
    gaps: list[int] = []
    run = 0
    seen = False
    for _number, line in lines:
        if line.strip():
            if seen:
                gaps.append(run)
            seen, run = True, 0
        else:
            run += 1
    return len(gaps) >= 20 and sum(1 for gap in gaps if gap == 1) >= 0.8 * len(gaps)


def blocks_from_text(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = _logical_lines(text)
    double = _double_spaced(lines)
    run = 0
    for number, line in lines:
        if not line.strip():
            run += 1
            continue
        if double and run > 1:
            blocks.extend(Block([""], line=number, blank=True) for _ in range(run - 1))
        run = 0
        if "|" in line or "｜" in line:
            cells = [c.strip() for c in line.replace("｜", "|").split("|")]
            while cells and not cells[0]:
                cells.pop(0)
            while cells and not cells[-1]:
                cells.pop()
            filled = [c for c in cells if c]
            if len(filled) <= 1 and len(cells) <= 1:
                blocks.append(Block([filled[0] if filled else ""], line=number))
            else:
                blocks.append(Block(cells, table=True, line=number))
        else:
            blocks.append(Block([line], line=number))
    return blocks


def import_text(text: str, *, format_key: str | None = None) -> ImportedReport:
    return parse_blocks(blocks_from_text(text), format_key=format_key)
