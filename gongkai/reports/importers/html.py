"""HTML: tables (with rowspan/colspan, as the official layout merges label cells) and the text
around them. Standard library only (html.parser)."""

from __future__ import annotations

from html.parser import HTMLParser

from .base import Block, ImportedReport
from .walk import parse_blocks

_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "section", "article",
    "header", "footer", "title", "caption", "tr", "table", "blockquote", "pre",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "head", "noscript", "template"}


class _Cell:
    def __init__(self, rowspan: int, colspan: int):
        self.rowspan = max(1, rowspan)
        self.colspan = max(1, colspan)
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


class _Table:
    def __init__(self):
        self.rows: list[list[_Cell]] = []
        self.lines: list[int] = []  # the source line of each row's <tr>


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.line: list[str] = []
        self.tables: list[_Table] = []
        self.cell: list[_Cell | None] = []
        self.skip = 0
        self.start = 1  # the source line where the current text line starts

    def _flush(self) -> None:
        text = "".join(self.line).strip()
        self.line = []
        if text:
            self.blocks.append(Block([text], line=self.start))
        self.start = self.getpos()[0]

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
            return
        attrs = dict(attrs)
        if tag == "table":
            if not self.tables:
                self._flush()
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
            self.tables[-1].lines.append(self.getpos()[0])
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            if not table.rows:
                table.rows.append([])
                table.lines.append(self.getpos()[0])
            cell = _Cell(_int(attrs.get("rowspan")), _int(attrs.get("colspan")))
            table.rows[-1].append(cell)
            self.cell.append(cell)
        elif tag == "br":
            self._text("\n")
        elif tag in _BLOCK_TAGS and not self.tables:
            self._flush()

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "table" and self.tables:
            table = self.tables.pop()
            self.blocks.extend(_grid_blocks(table))
        elif tag in ("td", "th") and self.cell:
            self.cell.pop()
        elif tag in _BLOCK_TAGS and not self.tables:
            self._flush()

    def handle_data(self, data):
        if self.skip:
            return
        self._text(data)

    def _text(self, data: str) -> None:
        if self.cell:
            self.cell[-1].parts.append(data if data != "\n" else " ")
        elif self.tables:
            return  # text between cells (whitespace)
        elif data == "\n":
            self._flush()
        else:
            self.line.append(data)

    def close(self):
        super().close()
        while self.tables:
            self.blocks.extend(_grid_blocks(self.tables.pop()))
        self._flush()


def _int(value) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 1


def _grid_blocks(table: _Table) -> list[Block]:
    """One block per row holding the cells that start in that row, in column order; cells
    covered by a rowspan from above are left out (their label was seen in the first row)."""
    occupied: dict[tuple[int, int], bool] = {}
    blocks: list[Block] = []
    for r, row in enumerate(table.rows):
        col = 0
        cells: list[str] = []
        for cell in row:
            while occupied.get((r, col)):
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied[(r + dr, col + dc)] = True
            cells.append(cell.text)
            col += cell.colspan
        if any(c for c in cells):
            filled = [c for c in cells if c]
            line = table.lines[r] if r < len(table.lines) else 0
            if len(cells) == 1 or len(filled) == 1 and len(filled[0]) > 60:
                blocks.append(Block([filled[0]], line=line))
            else:
                blocks.append(Block(cells, table=True, line=line))
    return blocks


def blocks_from_html(html: str) -> list[Block]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.blocks


def import_html(html: str, *, format_key: str | None = None) -> ImportedReport:
    return parse_blocks(blocks_from_html(html), format_key=format_key)
