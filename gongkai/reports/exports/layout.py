"""One grid per table of a format, laid out like the official tables: merged column headers
(法人或其他组织, 行政诉讼 / 未经复议直接起诉), merged row labels (三、本年度办理结果 over its rows,
（三）不予公开 over its eight rows), and for the pre-2019 统计表 the 统计指标 | 单位 | 统计数 list
with "——" on its header rows. HTML, DOCX and XLSX draw the same grid."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.reports.formats import Format, Row, Table

# formats printed as a flat list with a unit column (the pre-2019 统计表, as the seed prints it)
LIST_FORMATS = ("pre2019",)
DASH = "——"


@dataclass
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    header: bool = False  # a column header or a row label (drawn as th)
    cell_key: str | None = None  # a value cell
    value: int | Decimal | None = None
    entered: bool = False
    source: str | None = None


@dataclass
class Grid:
    table: Table
    n_rows: int = 0
    n_cols: int = 0
    cells: list[Cell] = field(default_factory=list)
    caption: str = ""  # a full-width line above the grid (第二十条第（一）项)

    def add(self, cell: Cell) -> Cell:
        self.cells.append(cell)
        self.n_rows = max(self.n_rows, cell.row + cell.rowspan)
        self.n_cols = max(self.n_cols, cell.col + cell.colspan)
        return cell

    def rows(self) -> list[list[Cell]]:
        """The cells starting in each grid row, in column order."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        for row in out:
            row.sort(key=lambda c: c.col)
        return out


def shown(value) -> str:
    """A figure as printed: blank for None, a zero as 0, decimals without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, float):
        return shown(Decimal(str(value)))
    return str(value)


def grids(fmt: Format, cells: dict, sources: dict | None = None) -> dict[str, Grid]:
    """{table key: grid}."""
    return {table.key: grid(fmt, table, cells, sources or {}) for table in fmt.tables}


def grid(fmt: Format, table: Table, cells: dict, sources: dict) -> Grid:
    if fmt.key in LIST_FORMATS:
        return _list_grid(fmt, table, cells, sources)
    return _nested_grid(fmt, table, cells, sources)


def _value_cell(fmt, row: Row, key: str, r: int, c: int, cells, sources) -> Cell:
    return Cell(
        shown(cells.get(key)),
        r,
        c,
        cell_key=key,
        value=cells.get(key),
        entered=row.entered,
        source=sources.get(key, "entered" if row.entered else row.source),
    )


def _list_grid(fmt: Format, table: Table, cells: dict, sources: dict) -> Grid:
    out = Grid(table)
    out.add(Cell("统计指标", 0, 0, header=True))
    out.add(Cell("单位", 0, 1, header=True))
    for i, column in enumerate(table.columns):
        out.add(Cell(column.label, 0, 2 + i, header=True))
    for r, row in enumerate(table.rows, start=1):
        out.add(Cell(row.label, r, 0, header=True))
        if row.header:
            out.add(Cell(DASH, r, 1))
            for i in range(len(table.columns)):
                out.add(Cell("", r, 2 + i))
            continue
        out.add(Cell(row.unit, r, 1))
        by_column = dict(fmt.cells_of(row))
        for i, column in enumerate(table.columns):
            key = by_column.get(column)
            if key is None:
                out.add(Cell("", r, 2 + i))
            else:
                out.add(_value_cell(fmt, row, key, r, 2 + i, cells, sources))
    return out


def _column_paths(table: Table) -> list[list[str]]:
    paths = []
    for column in table.columns:
        parts = column.label.split("|")
        if column.group and "|" not in column.label:
            parts = [column.group, *parts]
        paths.append(parts)
    return paths


def _row_paths(fmt: Format, table: Table) -> dict[str, list[Row]]:
    """Each data row's label path: its header-row ancestors in the table, then itself."""
    by_key = {row.key: row for row in table.rows}
    paths: dict[str, list[Row]] = {}
    for row in table.data_rows():
        path = [row]
        parent = row.parent
        while parent and parent in by_key and by_key[parent].header:
            path.insert(0, by_key[parent])
            parent = by_key[parent].parent
        paths[row.key] = path
    return paths


def _nested_grid(fmt: Format, table: Table, cells: dict, sources: dict) -> Grid:
    grouped = any(c.group for c in table.columns)
    out = Grid(table, caption="" if grouped else table.caption)
    paths = _row_paths(fmt, table)
    labelled = any(row.label for row in table.data_rows())
    depth = max((len(p) for p in paths.values()), default=1) if labelled else 0
    column_paths = _column_paths(table)
    height = max(len(p) for p in column_paths)
    if depth:
        corner = table.caption if grouped and table.caption else "信息内容"
        out.add(Cell(corner, 0, 0, rowspan=height, colspan=depth, header=True))
    # column headers: at each level, neighbouring columns with the same prefix merge
    for level in range(height):
        c = 0
        while c < len(column_paths):
            path = column_paths[c]
            if level >= len(path):
                c += 1
                continue
            span = 1
            while (
                c + span < len(column_paths)
                and len(column_paths[c + span]) > level
                and column_paths[c + span][: level + 1] == path[: level + 1]
            ):
                span += 1
            rowspan = height - level if level == len(path) - 1 else 1
            out.add(Cell(path[level], level, depth + c, rowspan, span, header=True))
            c += span
    # data rows: a header ancestor spans the rows under it, opened at its first row
    data_rows = table.data_rows()
    opened: set[str] = set()
    for i, row in enumerate(data_rows):
        r = height + i
        path = paths[row.key]
        for level, ancestor in enumerate(path[:-1]):
            if ancestor.key in opened:
                continue
            opened.add(ancestor.key)
            span = sum(1 for other in data_rows if ancestor in paths[other.key][:-1])
            out.add(Cell(ancestor.label, r, level, rowspan=span, header=True))
        if depth:
            level = len(path) - 1
            out.add(Cell(row.label, r, level, colspan=depth - level, header=True))
        by_column = dict(fmt.cells_of(row))
        for c, column in enumerate(table.columns):
            key = by_column.get(column)
            if key is None:
                out.add(Cell("", r, depth + c))
            else:
                out.add(_value_cell(fmt, row, key, r, depth + c, cells, sources))
    return out
