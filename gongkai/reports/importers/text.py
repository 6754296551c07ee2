"""Plain text: labels and values on separate lines (the seed), or table rows as "a | b | c"
lines (a page flattened by a search service)."""

from __future__ import annotations

from .base import Block, ImportedReport, parse_blocks


def blocks_from_text(text: str) -> list[Block]:
    blocks: list[Block] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "|" in line or "｜" in line:
            cells = [c.strip() for c in line.replace("｜", "|").split("|")]
            while cells and not cells[0]:
                cells.pop(0)
            while cells and not cells[-1]:
                cells.pop()
            filled = [c for c in cells if c]
            if len(filled) <= 1:
                blocks.append(Block([filled[0] if filled else ""]))
            else:
                blocks.append(Block(cells, table=True))
        else:
            blocks.append(Block([line]))
    return blocks


def import_text(text: str, *, format_key: str | None = None) -> ImportedReport:
    return parse_blocks(blocks_from_text(text), format_key=format_key)
