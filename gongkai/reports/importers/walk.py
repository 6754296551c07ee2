"""The format-generic part of importing a published annual report.

Every importer (plain text, HTML, DOCX, PDF) turns its input into a sequence of ``Block``s: a
narrative line is a block of one cell, a table row is a block of its cells (empty strings for
blank cells; cells covered by a rowspan/colspan are left out). ``parse_blocks`` then

1. detects the format (``formats.detect`` on every cell; the report year as a fallback),
2. walks the blocks: a cell that is a row label of the format opens that row, the value cells
   that follow fill its columns in order (blank → None, never 0; "1132条" → 1132 with the unit
   checked against the row's; "——" marks a header), and
3. collects the narrative: headings "一、…" open a section, other text lines are its text.

The result is the import schema of the issue: ``{"format", "year", "agency", "cells",
"narrative", "findings"}`` with canonical cell keys (``Format.cell_key``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.reports.formats import Format, Row, detect, for_year, get, normalize

from .base import Block, Finding, ImportedReport, Number, ReportImportError
from .headings import (
    _AGENCY_IN_TEXT,
    _INLINE_HEADING,
    _SOURCE_LINE,
    _TITLE,
    _YEAR,
    agency_from_title,
    split_heading,
)
from .labels import LabelIndex
from .values import _PAGE_NUMBER, Value, _split_trailing_values, _trailing_values, parse_value

# --- the walk ---------------------------------------------------------------------------------

# Headings every annual report has, whatever its format and year ("二、主动公开政府信息情况",
# "三、因政府信息公开申请行政复议、提起行政诉讼的情况"); a notice's headings have none of them.
_REPORT_HEADING = re.compile(r"主动公开|依申请公开|收到和处理政府信息公开申请|行政复议")
_REPORT_WORDS = re.compile(r"年度?报告|年报|年度工作报告")
_NOTICE_TITLE = re.compile(r"(?:通知|公告|公示|纪要|批复|函)$")


@dataclass
class _State:
    row: Row | None = None
    columns: tuple = ()
    position: int = 0
    last: int = -1  # order of the last row matched


def detect_format(blocks: list[Block], year: int | None) -> tuple[str, bool]:
    """(format key, detected from labels?)."""
    texts = [cell for block in blocks for cell in block.cells if cell and cell.strip()]
    key = detect(texts)
    if key:
        return key, True
    if year:
        return for_year(year).key, False
    return "2021", False


def parse_blocks(blocks: Iterable[Block], *, format_key: str | None = None) -> ImportedReport:
    """The report the blocks hold; ReportImportError (a translated message) when they hold no
    text at all, or nothing of an annual report: no row label of the format's tables, no
    section of it and no heading a report has (a notice, a letter uploaded by mistake)."""
    blocks = [_expand_inline(b) for b in blocks]
    blocks = [b for group in blocks for b in group]
    if not any(cell.strip() for block in blocks for cell in block.cells):
        raise ReportImportError(_("The file has no text to read."))
    title, year, agency = _title_year_agency(blocks)
    findings: list[Finding] = []
    if format_key:
        key = format_key
    else:
        key, detected = detect_format(blocks, year)
        if not detected:
            findings.append(
                Finding(
                    "format_inferred",
                    "info",
                    _("No table labels found: format %(format)s assumed from the year.")
                    % {"format": key},
                    location=title,
                )
            )
    fmt = get(key)
    walker = _Walker(fmt, findings)
    for block in blocks:
        walker.feed(block)
    walker.finish()
    if not walker.recognised and not _says_report(blocks):
        raise ReportImportError(
            _(
                "This is not an annual report on government information disclosure: none of "
                "the report's tables, sections or headings was found in it."
            )
        )
    if year is None:
        findings.append(Finding("year_unknown", "warning", _("The report year was not found.")))
    if not agency:
        findings.append(Finding("agency_unknown", "info", _("The agency was not found.")))
    return ImportedReport(
        format=key,
        year=year,
        agency=agency,
        cells=walker.cells,
        narrative=walker.narrative,
        findings=findings,
    )


def _says_report(blocks: list[Block]) -> bool:
    """Does the opening of the text say it is an annual report (a report cut short before its
    tables and sections: "本年度报告根据《条例》…编制")? A notice about reports does not count
    ("关于做好2021年政府信息公开工作年度报告编制发布工作的通知")."""
    lines = [normalize(c.strip()) for b in blocks[:40] for c in b.cells if c and c.strip()][:12]
    if any(len(line) <= 80 and _NOTICE_TITLE.search(line.rstrip("。:：")) for line in lines):
        return False  # a title line of a notice, an announcement, minutes
    return any("政府信息公开" in line and _REPORT_WORDS.search(line) for line in lines)


def _expand_inline(block: Block) -> list[Block]:
    """A text line holding several sections ("… 一、… 二、…", pages flattened to one line) is
    split before each section number."""
    if block.table or len(block.cells) != 1:
        return [block]
    line = block.cells[0]
    parts = [p for p in _INLINE_HEADING.split(line) if p.strip()]
    if len(parts) <= 1:
        return [block]
    return [Block([p], line=block.line) for p in parts]


def _title_year_agency(blocks: list[Block]) -> tuple[str, int | None, str]:
    title = ""
    lines = [c.strip() for b in blocks[:40] for c in b.cells if c and c.strip()]
    for line in lines:
        if _TITLE.search(line) and _YEAR.search(line) and len(line) <= 80:
            title = line
            break
    year = None
    if title:
        year = int(_YEAR.search(title)[1])
    else:
        counts: dict[int, int] = {}
        for line in lines:
            for found in _YEAR.findall(line):
                counts[int(found)] = counts.get(int(found), 0) + 1
        if counts:
            year = max(counts, key=lambda y: (counts[y], -y))
    agency = agency_from_title(title) if title else ""
    if not agency:
        for line in lines[:12]:
            flat = re.sub(r"[\s\u3000]+", "", normalize(line))
            source = _SOURCE_LINE.match(flat)
            if source:
                agency = source[1]
                break
            if (
                len(flat) <= 30
                and not _YEAR.search(flat)
                and re.search(r"(人民政府|街道办事处)$", flat)
            ):
                agency = flat
                break
    if not agency:
        for line in lines:
            found = _AGENCY_IN_TEXT.search(normalize(line))
            if found:
                agency = found[1]
                break
    return title, year, agency


class _Walker:
    def __init__(self, fmt: Format, findings: list[Finding]):
        self.fmt = fmt
        self.labels = LabelIndex(fmt)
        self.cells: dict[str, Number | None] = fmt.empty_cells()
        self.seen: set[str] = set()
        self.state = _State()
        self.findings = findings
        self.narrative: dict[str, str] = {}
        self.section: str | None = None
        self.lines: list[str] = []
        self.preamble: list[str] = []
        self.in_table = False  # the last block was part of a table
        self.filled: dict[str, int] = {}  # row key → columns filled so far
        self.last_put: Row | None = None  # the row a figure was last put in
        self.line = 0  # the line of the block being read
        self.pending = ""  # the last unmatched short line (the first half of a wrapped label)
        self.recognised = False  # a row label, a section or a report's heading was seen
        self.opened: set[str] = set()  # rows whose label was seen
        self.ends_in_table = False  # nothing but table content after the last figure

    # narrative

    def _text(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if self.in_table and len(line) <= 6 and not re.search(r"[。，；：]", normalize(line)):
            return  # a label broken over lines inside a table ("商业" / "企业", "（三）")
        self.in_table = False
        heading = None if self._is_table_label(line) else split_heading(line)
        if heading:
            self._close_section()
            title, body = heading
            canonical = self.fmt.section(title) or self.labels.section(title)
            self.section = canonical.title if canonical else normalize(title)
            if canonical is not None or _REPORT_HEADING.search(normalize(title)):
                self.recognised = True
            if canonical is None or not canonical.tables:
                self.ends_in_table = False  # a section after the tables: the text goes on
            self.lines = [body] if body else []
            return
        (self.lines if self.section is not None else self.preamble).append(line)
        if self.section is not None and len(line) > 6:
            self.ends_in_table = False  # narrative after the tables: the text goes on

    def _close_section(self) -> None:
        if self.section is not None:
            text = "\n".join(self.lines).strip()
            if self.section in self.narrative and text:
                text = self.narrative[self.section] + "\n" + text
            self.narrative[self.section] = text or self.narrative.get(self.section, "")

    def finish(self) -> None:
        self._close_section()
        self._check_truncated()
        preamble = "\n".join(self.preamble).strip()
        if preamble:
            self.narrative = {"": preamble, **self.narrative}

    def _is_table_label(self, text: str) -> bool:
        return self.labels.row(text, self.state.last) is not None

    # table

    def _open(self, row: Row) -> None:
        self.in_table = True
        self.recognised = True
        self.opened.add(row.key)
        self.state.last = self.labels.order[row.key]
        if row.header:
            self.state.row, self.state.columns, self.state.position = None, (), 0
            return
        table = self.fmt.table_of(row.key)
        self.state.row = row
        self.state.columns = table.row_columns(row)
        self.state.position = 0
        if not row.label:
            # 表四's one row: a header repeated before each group ("行政复议" then its values,
            # "行政诉讼（未经复议直接起诉）" then its values) goes on where the values stopped.
            filled = self.filled.get(row.key, 0)
            if 0 < filled < len(self.state.columns):
                self.state.position = filled

    def _put(self, value: Value, where: str) -> None:
        row = self.state.row
        if row is None:
            if value.kind == "number":
                self._unplaced(value.number)
            return
        if value.kind == "unit":
            self._check_unit(row, value.unit, where)
            return
        if self.state.position >= len(self.state.columns):
            if value.kind == "number":
                self.findings.append(
                    Finding(
                        "extra_value",
                        "warning",
                        _("A value with no column left in its row was ignored."),
                        actual=value.number,
                        location=self.fmt.row_label_for_key(row) or where,
                    )
                )
            return
        column = self.state.columns[self.state.position]
        self.ends_in_table = True
        self.state.position += 1
        self.filled[row.key] = self.state.position
        self.last_put = row
        key = self.fmt.cell_key(row, column)
        if value.kind == "number":
            self._check_unit(row, value.unit, key)
            if key in self.seen and self.cells.get(key) not in (None, value.number):
                self.findings.append(
                    Finding(
                        "duplicate_cell",
                        "warning",
                        _("A cell is given twice with different values; the first is kept."),
                        expected=self.cells[key],
                        actual=value.number,
                        location=key,
                    )
                )
            else:
                self.cells[key] = value.number
        self.seen.add(key)
        if self.state.position >= len(self.state.columns):
            self.state.row = None

    def _check_truncated(self) -> None:
        """A text that stops inside the tables (a page stored or copied in part, a file cut short):
        its last figure is followed by no narrative, and the format's rows after it are empty.
        Said in a finding, so that a person knows the missing cells were never printed here."""
        row = self.last_put
        if row is None:
            if self.fmt.tables:
                self.findings.append(
                    Finding(
                        "no_figures",
                        "warning",
                        _(
                            "No figure of the report's tables was found: the text may stop "
                            "before them, or print them as images."
                        ),
                    )
                )
            return
        if not self.ends_in_table:
            return
        rows = self.fmt.data_rows()
        later = rows[rows.index(row) + 1 :]
        columns = self.fmt.table_of(row.key).row_columns(row)
        if self.filled.get(row.key, 0) >= len(columns) and not later:
            return  # the last cell of the last table: the report is complete
        if any(r.key in self.filled or r.key in self.opened for r in later):
            return  # later rows are printed (blank or not): the text goes on
        self.findings.append(
            Finding(
                "truncated",
                "warning",
                _(
                    "The text stops inside the tables, after this row: the cells after it are "
                    "empty because they are not in the file. Is the file complete?"
                ),
                location=self.fmt.row_label_for_key(row) or self.fmt.table_of(row.key).title,
            )
        )

    def _check_unit(self, row: Row, unit: str, location: str) -> None:
        if unit and row.unit and unit != row.unit:
            self.findings.append(
                Finding(
                    "unit_mismatch",
                    "warning",
                    _("The unit printed differs from the unit of the row."),
                    expected=row.unit,
                    actual=unit,
                    location=location,
                )
            )

    def _place_by_order(self, values: list[Value]) -> bool:
        """A row of figures printed away from its label (a PDF's text layer puts a label of
        several lines above or below its figures): it is the row that follows the last row
        filled, in the format's order, when that row has no figure yet and exactly as many
        columns as there are figures. Said in a finding, for a person to check."""
        if self.last_put is None:
            return False
        rows = self.fmt.data_rows()
        following = rows[rows.index(self.last_put) + 1 :]
        if not following or following[0].key in self.filled:
            return False
        row = following[0]
        if len(self.fmt.table_of(row.key).row_columns(row)) != len(values):
            return False
        self._open(row)
        for value in values:
            self._put(value, "")
        self.state.row = None
        self.findings.append(
            Finding(
                "placed_by_order",
                "info",
                _(
                    "Figures printed without their row label were put in the row that follows "
                    "in the table's order; check them against the original."
                ),
                location=(self.fmt.row_label_for_key(row) or self.fmt.table_of(row.key).title)
                + (" " + _("line %(line)d") % {"line": self.line} if self.line else ""),
            )
        )
        return True

    def _unplaced(self, number) -> None:
        """A figure no row is open for: reported with its line, never put anywhere."""
        self.findings.append(
            Finding(
                "unplaced_value",
                "warning",
                _("A figure could not be placed in any row of the tables and was left out.")
                + (_(" (line %(line)d)") % {"line": self.line} if self.line else ""),
                actual=number,
                location=_("line %(line)d") % {"line": self.line} if self.line else "",
            )
        )

    def feed(self, block: Block) -> None:
        self.line = block.line
        if block.blank:  # an empty line standing for a blank cell: only inside an open row
            if self.state.row is not None:
                self._put(Value("blank"), "")
            return
        cells = block.cells
        if len(cells) == 1 and not block.table:
            self._single(cells[0])
            return
        # a table row: the last row label opens the row, the cells after it are its values
        label_at = None
        for i, cell in enumerate(cells):
            if parse_value(cell) is None and self._is_table_label(cell):
                label_at = i
        if label_at is not None:
            for cell in cells[:label_at]:
                row = self.labels.row(cell, self.state.last)
                if row is not None:
                    self._open(row)
            self._open(self.labels.row(cells[label_at], self.state.last))
            values = cells[label_at + 1 :]
            for cell in values:
                value = parse_value(cell)
                if value is None:
                    break
                self._put(value, cells[label_at])
            self.state.row = None
            return
        values = [parse_value(c) for c in cells]
        if all(v is not None for v in values) and any(v.kind == "number" for v in values):
            if self.state.row is None and self._place_by_order(values):
                return
            for value in values:
                self._put(value, "")
            return
        trailing = _trailing_values(values)
        if (
            block.table
            and self.state.row is None
            and len(trailing) < len(values)
            and sum(1 for v in trailing if v.kind == "number") >= 2
            and not any(self.labels.is_column_label(c) for c in cells[: len(cells) - len(trailing)])
            and self._place_by_order(trailing)
        ):
            return  # "| 行政机关不再处理其政府信息公 | 40 | 1 | … |": a label cut by a page
        for cell in cells:
            norm = self.labels.norm(cell)
            if norm in self.labels.headless:
                self._open(self.labels.headless[norm])
        if not any(self.labels.norm(c) in self.labels.headless for c in cells):
            if not all(self.labels.is_column_label(c) or not c.strip() for c in cells):
                if not block.table:
                    self._text(" ".join(c.strip() for c in cells if c.strip()))
                else:  # a table row no label of the format opens: its figures are not guessed
                    for value in values:
                        if value is not None and value.kind == "number":
                            self._unplaced(value.number)

    def _single(self, text: str) -> None:
        if not text.strip():
            return
        self._next_pending = ""
        self._single_line(text)
        self.pending = self._next_pending

    def _single_line(self, text: str) -> None:
        if _PAGE_NUMBER.match(text.strip()):
            return  # "— 4 —", "- 5 -", "第 3 页": a page's number, not a figure
        value = parse_value(text)
        if value is not None:
            self._put(value, text)
            return
        tokens = text.split()
        if len(tokens) > 1:  # figures separated by spaces: "1 0 0 0 1 0 0 0 0 0 0 0 0 0 0"
            values = [parse_value(token) for token in tokens]
            if all(v is not None for v in values) and any(v.kind == "number" for v in values):
                if self.state.row is None and self._place_by_order(values):
                    return
                for value in values:
                    self._put(value, text)
                return
        row = self.labels.row(text, self.state.last)
        if row is not None:
            self._open(row)
            return
        norm = self.labels.norm(text)
        if norm in self.labels.headless:
            self._open(self.labels.headless[norm])
            return
        section = self.labels.section(text)
        if section is not None:
            self.in_table = False
            self._text(text)
            for table_key in section.tables:
                for row in self.fmt.table(table_key).data_rows():
                    if not row.label:
                        self._open(row)
            return
        if self.labels.is_column_label(text):
            self.in_table = True
            for word in self.labels.header_run(norm) or ():
                if word in self.labels.headless:  # "结果维持结果纠正其他结果尚未审结总计"
                    self._open(self.labels.headless[word])
                    break
            return
        for label, values in _split_trailing_values(text):
            if self.labels.row(label, self.state.last) is None and self.pending:
                joined = self.pending + label  # a label wrapped over two lines (PDF text)
                if self.labels.row(joined, self.state.last) is not None:
                    self._drop_pending()
                    label = joined
            if self.labels.row(label, self.state.last) is not None:
                self.feed(Block([label, *values], table=True))
                return
        if self.pending and self.labels.row(self.pending + text, self.state.last) is not None:
            self._drop_pending()
            self._open(self.labels.row(self.pending + text, self.state.last))
            return
        self.state.row = None
        self._text(text)
        self._next_pending = text.strip() if len(text.strip()) <= 30 else ""

    def _drop_pending(self) -> None:
        for lines in (self.lines, self.preamble):
            if lines and lines[-1] == self.pending:
                lines.pop()
                break
