"""The building blocks of an annual-report format, as data (DESIGN.md "Report formats are data").

A format is sections, tables, rows and columns with verbatim labels and units, which cells are
computed (a named source, see gongkai/reports/compute.py) and which are entered by staff, and the
check rules (勾稽关系) of each table. Compute, lint, render and import are generic over a format.

Cell keys. A report's figures travel as ``cells: {cell key: int | Decimal | None}``. The key of a
cell is ``"<row label>|<column label>"`` with canonical labels, e.g.
``"一、本年新收政府信息公开申请数量|自然人"``, ``"规章|本年制发件数"``,
``"（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）|统计数"``. Two exceptions:
- a row with an empty label (表四's single data row) gives keys that are the column label alone,
  and column labels may hold "|" themselves: ``"行政诉讼|未经复议直接起诉|结果维持"``;
- a row label that occurs more than once in a format (the pre-2019 table repeats
  "（一）维持具体行政行为数" under 四 and 五) is qualified by its parent's label:
  ``"四、因政府信息公开引起的行政复议数量/（二）被依法纠错数|统计数"``.

Labels are stored in their canonical (normalised) form: full-width brackets and colons, no
spaces, simplified characters — ``normalize()`` of the text as printed.

Pure Python: nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

# --- label normalisation ---------------------------------------------------------------------

_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})
_SPACES = re.compile(r"[\s\u3000\u00a0]+")

# Traditional → simplified, for the characters of the report labels (mirrors of real reports
# are sometimes in traditional characters, e.g. samples/reports/2016_kaiping-shatang-town.txt).
_TRADITIONAL = (
    "開开報报資资訊讯數数請请機机關关處处結结轉转總总計计與与體体規规範范廢废現现發发許许強强"
    "製制費费額额萬万業业務务組组織织學学會会團团況况決决維维糾纠審审訴诉議议復复經经個个據据"
    "護护權权屬属國国穩稳內内類类過过執执詢询項项沒没補补後后確确訪访舉举複复無无當当認认獲获"
    "區区別别這这辦办繼继續续應应網网條条讀读熱热點点輿舆參参聞闻佈布負负責责傳传時时覆复圍围"
    "隱隐險险濟济徑径為为錯错訟讼駁驳構构設设門门專专職职員员編编輯辑題题訓训進进單单統统標标"
    "採采購购對对減减罰罚實实際际絡络電电話话郵邮號号問问剛刚態态動动檔档級级種种產产歸归稅税"
    "範范圍围說说覽览辭辞樣样優优質质鎮镇縣县區区於于並并將将從从來来頁页濟济衛卫營营務务"
)
_T2S = str.maketrans({_TRADITIONAL[i]: _TRADITIONAL[i + 1] for i in range(0, len(_TRADITIONAL), 2)})


def normalize(text: str) -> str:
    """The canonical spelling of a label: simplified characters, full-width brackets, colons and
    commas, no whitespace. Idempotent."""
    text = _SPACES.sub("", text or "")
    text = text.translate(_WIDTH).translate(_T2S)
    # "（一）、" and "一." are common slips of "（一）" and "一、"; keep the digit-dot of sub-rows.
    text = re.sub(r"^([一二三四五六七八九十]+)[\.．]", r"\1、", text)
    return text.replace("．", ".")


# --- the structure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    group: str = ""  # a merged header above the column (e.g. "法人或其他组织")


@dataclass(frozen=True)
class Row:
    key: str  # unique in the format, e.g. "三（三）1" (the outcome row keys of applications)
    label: str  # canonical, verbatim modulo normalize()
    unit: str = ""
    aliases: tuple[str, ...] = ()
    source: str | None = None  # a compute function's name (gongkai/reports/compute.py SOURCES)
    entered: bool = False  # staff enter the figures (other systems hold them)
    blank_means_zero: bool = True  # a blank cell in a published report means 0
    parent: str | None = None  # row key
    header: bool = False  # a label-only row: no cells
    columns: tuple[str, ...] = ()  # column keys of this row; empty = every column of the table

    @property
    def has_cells(self) -> bool:
        return not self.header


@dataclass(frozen=True)
class Check:
    """One 勾稽关系. Rules:

    - ``sum_of_rows``: for every column in ``columns`` (empty = all), the cell of row ``target``
      equals the sum of the cells of rows ``parts``.
    - ``sum_of_columns``: for every row in ``rows`` (empty = every data row of the table), the
      cell in column ``target`` equals the sum of the cells in columns ``parts``.
    - ``column_identity``: for every column, the sum over rows ``target`` (a tuple) equals the sum
      over rows ``parts`` (表三: 一 + 二 = 三（七）+ 四).
    - ``at_most``: per column, the cell of row ``target`` is at most the sum of rows ``parts``.
    - ``at_least``: per column, the cell of row ``target`` is at least the sum of rows ``parts``.
    - ``at_least_each``: per column, the cell of row ``target`` is at least each of rows
      ``parts``.

    ``message`` is Chinese (it is the text of a lint finding). ``evaluate`` gives failures with
    ``expected`` (the sum of the parts, or the bound) and ``actual`` (the target's figure).
    """

    rule: str
    message: str  # Chinese, for the lint finding
    target: tuple[str, ...] | str
    parts: tuple[str, ...]
    table: str = ""
    columns: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    # checked only when the target and at least one part hold a figure (blank parts then count
    # as 0): published pre-2019 tables often leave a total or its breakdown blank
    when_filled: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    checks: tuple[Check, ...] = ()
    aliases: tuple[str, ...] = ()
    caption: str = ""  # e.g. "第二十条第（一）项" or the column-check note of 表三

    def data_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.has_cells)

    def row_columns(self, row: Row) -> tuple[Column, ...]:
        if not row.columns:
            return self.columns
        return tuple(c for c in self.columns if c.key in row.columns)


@dataclass(frozen=True)
class Section:
    key: str  # "一" … "六" (2019/2021) or "一" … "九" (pre2019)
    title: str
    aliases: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()  # table keys shown in this section

    @property
    def table(self) -> str | None:
        return self.tables[0] if self.tables else None


@dataclass(frozen=True)
class CheckFailure:
    rule: str
    message: str
    location: str  # the cell key checked (the target cell)
    expected: int | Decimal
    actual: int | Decimal | None
    table: str


@dataclass(frozen=True)
class Format:
    key: str  # "2021" | "2019" | "pre2019"
    name: str
    basis: str
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    # variant → canonical, applied to whole labels and to label endings (e.g. 合计 → 总计)
    replacements: tuple[tuple[str, str], ...] = ()
    # the published table shows a zero as a blank cell (the pre-2019 practice, see the seed)
    zero_shown_blank: bool = False
    distinctive: tuple[str, ...] = field(default=())  # labels that identify the format (detect)

    def __post_init__(self):
        index: dict[str, tuple[Table, Row]] = {}
        for table in self.tables:
            for row in table.rows:
                if row.key in index:
                    raise ValueError(f"duplicate row key {row.key!r} in format {self.key}")
                index[row.key] = (table, row)
        object.__setattr__(self, "_rows", index)
        counts: dict[str, int] = {}
        for table in self.tables:
            for row in table.data_rows():
                counts[row.label] = counts.get(row.label, 0) + 1
        object.__setattr__(self, "_label_counts", counts)
        aliases: dict[str, str] = {}
        for table in self.tables:
            for row in table.rows:
                for text in (row.label, *row.aliases):
                    aliases.setdefault(self._norm(text), row.key)
        object.__setattr__(self, "_row_aliases", aliases)
        object.__setattr__(self, "_cells", {})
        column_aliases: dict[str, str] = {}
        for table in self.tables:
            for column in table.columns:
                for text in (column.label, *column.aliases):
                    column_aliases.setdefault(self._norm(text), column.label)
        object.__setattr__(self, "_column_aliases", column_aliases)

    # --- labels ---

    def _norm(self, text: str) -> str:
        text = normalize(text)
        for variant, canonical in self.replacements:
            if text == variant or text.endswith(variant):
                text = text[: len(text) - len(variant)] + canonical
        return text

    def canonical_label(self, text: str) -> str:
        """The canonical label of a row, column or section title given as printed (any known
        variant); the normalised text when it is none of them."""
        norm = self._norm(text)
        if norm in self._row_aliases:
            return self._rows[self._row_aliases[norm]][1].label
        if norm in self._column_aliases:
            return self._column_aliases[norm]
        for section in self.sections:
            if norm in {self._norm(t) for t in (section.title, *section.aliases)}:
                return section.title
        return norm

    def row(self, label_or_alias: str) -> Row | None:
        """A row by key, canonical label or alias."""
        if label_or_alias in self._rows:
            return self._rows[label_or_alias][1]
        key = self._row_aliases.get(self._norm(label_or_alias))
        return self._rows[key][1] if key else None

    def column(self, label_or_alias: str, table: str | None = None) -> Column | None:
        norm = self._norm(label_or_alias)
        for t in self.tables:
            if table and t.key != table:
                continue
            for column in t.columns:
                if column.key == label_or_alias or norm in {
                    self._norm(x) for x in (column.label, *column.aliases)
                }:
                    return column
        return None

    def section(self, title_or_alias: str) -> Section | None:
        norm = self._norm(title_or_alias)
        for section in self.sections:
            if norm in {self._norm(t) for t in (section.title, *section.aliases)}:
                return section
        return None

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def table_of(self, row_key: str) -> Table:
        return self._rows[row_key][0]

    # --- cells ---

    def row_label_for_key(self, row: Row) -> str:
        """The row part of the row's cell keys (qualified by the parent when not unique)."""
        if self._label_counts.get(row.label, 0) > 1 and row.parent:
            return f"{self._rows[row.parent][1].label}/{row.label}"
        return row.label

    def cell_key(self, row: Row | str, column: Column | str) -> str:
        if isinstance(row, str):
            row = self._rows[row][1]
        if isinstance(column, str):
            table = self.table_of(row.key)
            column = next(c for c in table.columns if c.key == column)
        label = self.row_label_for_key(row)
        return f"{label}|{column.label}" if label else column.label

    def cells_of(self, row: Row) -> list[tuple[Column, str]]:
        # a format is fixed data: each row's cells are worked out once (a roll-up asks for
        # them once per row and agency)
        cached = self._cells.get(row.key)
        if cached is None:
            table = self.table_of(row.key)
            cached = [(c, self.cell_key(row, c)) for c in table.row_columns(row)]
            self._cells[row.key] = cached
        return list(cached)

    def cell_keys(self) -> list[str]:
        """Every cell key of the format, in table order (rows, then columns)."""
        return [
            key
            for table in self.tables
            for row in table.data_rows()
            for _column, key in self.cells_of(row)
        ]

    def cell_index(self) -> dict[str, tuple[Row, Column]]:
        """{cell key: (row, column)}."""
        return {
            key: (row, column)
            for table in self.tables
            for row in table.data_rows()
            for column, key in self.cells_of(row)
        }

    def canonical_cell_key(self, row_text: str, column_text: str) -> str | None:
        """The cell key of a (row label, column label) pair as printed, or None if unknown."""
        row = self.row(row_text)
        if row is None or row.header:
            return None
        table = self.table_of(row.key)
        column = self.column(column_text, table.key)
        if column is None:
            return None
        return self.cell_key(row, column)

    def empty_cells(self) -> dict[str, None]:
        return dict.fromkeys(self.cell_keys())

    def data_rows(self) -> list[Row]:
        return [row for table in self.tables for row in table.data_rows()]

    def computed_rows(self) -> list[Row]:
        return [row for row in self.data_rows() if not row.entered]

    def entered_rows(self) -> list[Row]:
        return [row for row in self.data_rows() if row.entered]

    def cell_is_entered(self, cell_key: str) -> bool:
        entry = self.cell_index().get(cell_key)
        return bool(entry and entry[0].entered)

    # --- checks ---

    def evaluate(self, cells: dict[str, int | Decimal | None]) -> list[CheckFailure]:
        """Every check rule of every table over `cells`; blank (None or missing) counts as 0
        where the row says blank means zero. Returns the failures."""
        failures: list[CheckFailure] = []
        for table in self.tables:
            for check in table.checks:
                failures.extend(self._evaluate(table, check, cells))
        return failures

    def omitted_totals(self, cells: dict[str, int | Decimal | None]) -> dict[str, int | Decimal]:
        """Total cells left blank although the parts of their ``when_filled`` sum check hold
        figures (the seed's 申请答复数 with 5 + 3 below it): cell key → the parts' sum."""
        omitted: dict[str, int | Decimal] = {}
        for table in self.tables:
            columns = table.columns
            for check in table.checks:
                if not (check.when_filled and check.rule == "sum_of_rows"):
                    continue
                if not isinstance(check.target, str):
                    continue
                for column in columns:
                    if check.columns and column.key not in check.columns:
                        continue
                    key = self.cell_key(self._rows[check.target][1], column)
                    parts = [cells.get(self.cell_key(r, column)) for r in check.parts]
                    if cells.get(key) is None and any(parts):
                        omitted[key] = sum(v for v in parts if v is not None)
        return omitted

    def _value(self, cells, row_key: str, column: Column):
        row = self._rows[row_key][1]
        value = cells.get(self.cell_key(row, column))
        if value is None and row.blank_means_zero:
            return 0
        return value

    def _evaluate(self, table: Table, check: Check, cells) -> list[CheckFailure]:
        out: list[CheckFailure] = []
        columns = [c for c in table.columns if not check.columns or c.key in check.columns]
        if check.rule == "sum_of_columns":
            target = next(c for c in table.columns if c.key == check.target)
            parts = [c for c in table.columns if c.key in check.parts]
            rows = [r for r in table.data_rows() if not check.rows or r.key in check.rows]
            for row in rows:
                values = [self._value(cells, row.key, c) for c in parts]
                actual = self._value(cells, row.key, target)
                if None in values:
                    continue
                expected = sum(values)
                if actual != expected:
                    key = self.cell_key(row, target)
                    out.append(
                        CheckFailure(check.rule, check.message, key, expected, actual, table.key)
                    )
            return out
        targets = (check.target,) if isinstance(check.target, str) else tuple(check.target)
        for column in columns:
            if check.when_filled:
                raw_left = [cells.get(self.cell_key(r, column)) for r in targets]
                raw_right = [cells.get(self.cell_key(r, column)) for r in check.parts]
                if None in raw_left or all(v is None for v in raw_right):
                    continue
                left = raw_left
                right = [v or 0 for v in raw_right]
            else:
                left = [self._value(cells, r, column) for r in targets]
                right = [self._value(cells, r, column) for r in check.parts]
            if None in left or None in right:
                continue
            key = self.cell_key(targets[0], column)
            if check.rule in ("sum_of_rows", "column_identity"):
                ok = sum(left) == sum(right)
                expected, actual = sum(right), sum(left)
            elif check.rule == "at_most":
                ok = sum(left) <= sum(right)
                expected, actual = sum(right), sum(left)
            elif check.rule == "at_least":
                ok = sum(left) >= sum(right)
                expected, actual = sum(right), sum(left)
            elif check.rule == "at_least_each":
                ok = all(left[0] >= v for v in right)
                expected, actual = max(right, default=0), left[0]
            else:
                raise ValueError(f"unknown check rule {check.rule!r}")
            if not ok:
                out.append(
                    CheckFailure(check.rule, check.message, key, expected, actual, table.key)
                )
        return out
