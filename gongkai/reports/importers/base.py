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
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gongkai.reports.formats import Format, Row, detect, for_year, get, normalize

Number = int | Decimal


@dataclass(frozen=True)
class Finding:
    """One problem found in a report (import, lint). ``message`` is translated (English msgid)."""

    rule: str
    severity: str  # "error" | "warning" | "info"
    message: str
    expected: Number | str | None = None
    actual: Number | str | None = None
    location: str = ""

    def as_dict(self) -> dict:
        return {key: json_number(value) for key, value in asdict(self).items()}


@dataclass
class Block:
    cells: list[str]
    table: bool = False  # a row of a real table (HTML, DOCX, "a | b | c" text)
    line: int = 0  # where the block starts in the input (1-based line or paragraph; 0 unknown)


@dataclass
class ImportedReport:
    format: str
    year: int | None
    agency: str
    cells: dict[str, Number | None]
    narrative: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "format": self.format,
            "year": self.year,
            "agency": self.agency,
            "cells": {key: json_number(value) for key, value in self.cells.items()},
            "narrative": dict(self.narrative),
            "findings": [f.as_dict() for f in self.findings],
        }


def json_number(value):
    """Decimals as JSON numbers: an int when integral, else a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class ReportImportError(ValueError):
    """The input cannot be read as a report at all."""


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


# --- labels -----------------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[\.、．]|其中：)"
)
# A remark printed after a row label: "规章（县级无此项）", "规范性文件（指各行政机关印发的有正式
# 文号的文件）" — tried only when the whole label is not a row's.
_REMARK = re.compile(r"（[^（）]*）$")
# Slips seen in real reports that change no meaning: 的/之, a missing or extra 其中, 、 and
# quotes, 行政法复议 for 行政复议.
_LOOSE_DROP = re.compile(r"[的之、，。：“”\"'‘’《》]|其中")
_LOOSE_FIX = (("行政法复议", "行政复议"), ("行政法诉讼", "行政诉讼"))


def loose(text: str) -> str:
    for wrong, right in _LOOSE_FIX:
        text = text.replace(wrong, right)
    return _LOOSE_DROP.sub("", text)


class LabelIndex:
    """Row labels of a format (and their aliases) → rows; a repeated label (pre2019 四/五's
    "（二）被依法纠错数") resolves to the first occurrence after the last row matched."""

    def __init__(self, fmt: Format):
        self.fmt = fmt
        self.order: dict[str, int] = {}
        self.by_label: dict[str, list[Row]] = {}
        self.by_stem: dict[str, list[Row]] = {}
        self.by_loose: dict[str, list[Row]] = {}
        position = 0
        for table in fmt.tables:
            for row in table.rows:
                self.order[row.key] = position
                position += 1
                if not row.label:
                    continue
                for text in (row.label, *row.aliases):
                    norm = self.norm(text)
                    self.by_label.setdefault(norm, [])
                    if row not in self.by_label[norm]:
                        self.by_label[norm].append(row)
                    stem = _NUMBERING.sub("", norm)
                    if stem and len(stem) >= 4:
                        self.by_stem.setdefault(stem, [])
                        if row not in self.by_stem[stem]:
                            self.by_stem[stem].append(row)
                    for key in {loose(norm), loose(stem)}:
                        if len(key) >= 4:  # never a bare "其他" or "总计"
                            self.by_loose.setdefault(key, [])
                            if row not in self.by_loose[key]:
                                self.by_loose[key].append(row)
        self.parents = sorted(
            {self.norm(r.label) for t in fmt.tables for r in t.rows if r.header and r.label},
            key=len,
            reverse=True,
        )
        self.columns: set[str] = set()
        self.headless: dict[str, Row] = {}  # column-header word → the label-less row it heads
        for table in fmt.tables:
            for column in table.columns:
                for text in (column.label, *column.aliases):
                    self.columns.add(self.norm(text))
                    for part in text.split("|"):
                        self.columns.add(self.norm(part))
                if column.group:
                    self.columns.add(self.norm(column.group))
            for row in table.data_rows():
                if row.label:
                    continue
                for column in table.columns:
                    for part in column.label.split("|"):
                        if self.norm(part) not in ("总计", "合计"):
                            self.headless[self.norm(part)] = row
            for text in (table.title, table.caption, *table.aliases):
                if text:
                    self.columns.add(self.norm(text))
        self.sections = {}
        self.section_stems = {}  # title without its number: "三、…行政复议…" printed for "四、…"
        for section in fmt.sections:
            for text in (section.title, *section.aliases):
                self.sections[self.norm(text)] = section
                self.section_stems[loose(_NUMBERING.sub("", self.norm(text)))] = section
        self.header_words = sorted(
            {w for w in self.columns if w and "|" not in w and len(w) <= 12}
            | {w for w in _SPLIT_HEADER_WORDS},
            key=len,
            reverse=True,
        )

    def norm(self, text: str) -> str:
        text = normalize(text)
        for variant, canonical in self.fmt.replacements:
            if text == variant or text.endswith(variant):
                text = text[: len(text) - len(variant)] + canonical
        return text

    def row(self, text: str, after: int) -> Row | None:
        norm = self.norm(text)
        if not norm:
            return None
        candidates = self._candidates(norm)
        if not candidates:
            bare = _REMARK.sub("", norm)
            if bare != norm and len(bare) >= 2:
                candidates = self._candidates(bare)
        if not candidates:
            # a sub-row printed after its parent in one cell: "（五）不予处理5.要求…"
            for parent in self.parents:
                if norm.startswith(parent) and len(norm) > len(parent) + 1:
                    candidates = self._candidates(norm[len(parent) :])
                    if candidates:
                        break
        if not candidates:
            return None
        for row in candidates:
            if self.order[row.key] > after:
                return row
        return candidates[0]

    def _candidates(self, norm: str) -> list[Row] | None:
        candidates = self.by_label.get(norm)
        if not candidates:
            stem = _NUMBERING.sub("", norm)
            candidates = self.by_stem.get(stem) if stem else None
            if not candidates and stem:
                candidates = self.by_loose.get(loose(stem)) or self.by_loose.get(loose(norm))
        return candidates

    def section(self, text: str):
        norm = self.norm(text)
        found = self.sections.get(norm)
        if found is None and _NUMBERING.match(norm):
            found = self.section_stems.get(loose(_NUMBERING.sub("", norm)))
        return found

    def is_column_label(self, text: str) -> bool:
        norm = self.norm(text)
        return bool(norm) and (
            norm in self.columns or _CAPTION.match(norm) is not None or self.is_header_run(norm)
        )

    def header_run(self, norm: str) -> list[str] | None:
        """The column words a header printed run together is made of ("结果维持结果纠正其他结果
        尚未审结总计", "行政复议行政诉讼", "维持纠正结果审结"), or None when the text is not
        wholly made of them."""
        words: list[str] = []
        rest = re.sub(r"[（）()\[\]【】\s]", "", loose(norm))
        while rest:
            for word in self.header_words:
                if rest.startswith(word):
                    words.append(word)
                    rest = rest[len(word) :]
                    break
            else:
                return None
        return words if len(words) >= 2 or (words and words[0] in _SPLIT_HEADER_WORDS) else None

    def is_header_run(self, norm: str) -> bool:
        return self.header_run(norm) is not None


# Pieces of 表四's header when a PDF's text layer splits its two-line cells ("结果" / "维持").
_SPLIT_HEADER_WORDS = ("结果", "维持", "纠正", "其他", "尚未", "审结", "总计", "合计")

_CAPTION = re.compile(
    r"^(?:统计指标|单位|统计数|信息内容|申请人情况|第二十条第（[一二三四五六七八九十]+）项|"
    r"（本列数据的勾稽关系为.*|（?\d{4}年度?）?|政府信息公开(?:工作)?情况统计表|"
    r"序号|指标|备注|（单位：.*）)$"
)

# --- headings, title, year, agency -----------------------------------------------------------

_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、\.．]\s*(.+)$")
_INLINE_HEADING = re.compile(r"\s+(?=[一二三四五六七八九十]{1,2}、\S)")
_TITLE = re.compile(r"(?:年度?报告|年报)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_AGENCY_SUFFIX = re.compile(r"(人民政府|街道办事处|办事处|委员会|政府|局|委|办|镇|乡|街道)$")
_AGENCY_IN_TEXT = re.compile(
    r"([\u4e00-\u9fff]{1,10}?(?:镇|乡)人民政府|[\u4e00-\u9fff]{1,10}?街道办事处)"
)
_SOURCE_LINE = re.compile(r"^(?:信息来源|来源|发布单位|发布机构|发文机关)[：:]\s*([^\s|｜]+)")


def split_heading(line: str) -> tuple[str, str] | None:
    """(title, rest of the line) when the line opens a top-level section "一、…"."""
    match = _HEADING.match(line)
    if not match:
        return None
    rest = match[2].strip()
    body = ""
    parts = re.split(r"\s+", rest, maxsplit=1)
    if len(rest) > 40 or (len(parts) == 2 and len(parts[0]) <= 40 and "。" in parts[1]):
        if len(parts) == 2 and len(parts[0]) <= 40:
            rest, body = parts
        else:
            return None
    title = match[1] + "、" + re.sub(r"[\s\u3000]+", "", rest)
    return title, body


def agency_from_title(title: str) -> str:
    t = re.sub(r"[\s\u3000]+", "", normalize(title))
    match = _YEAR.search(t)
    if not match:
        return ""
    before = t[: match.start()].strip("《》")
    if before:
        return before
    after = t[match.end() :]
    after = re.sub(r"^度", "", after)
    cut = after.find("政府信息公开")
    if cut > 0:
        candidate = after[:cut]
        if _AGENCY_SUFFIX.search(candidate):
            return candidate
    return ""


def agency_level(name: str) -> str | None:
    """The level of an agency from its name: "township" (镇/乡) or "subdistrict" (街道), the
    values of core.AgencyLevel; None when the name says neither."""
    name = normalize(name or "")
    name = re.sub(r"(人民政府|政府)$", "", name)
    if re.search(r"(街道办事处|街道|办事处)$", name):
        return "subdistrict"
    if re.search(r"(镇|乡)$", name):
        return "township"
    return None


# --- the walk ---------------------------------------------------------------------------------


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
    blocks = [_expand_inline(b) for b in blocks]
    blocks = [b for group in blocks for b in group]
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
            self.lines = [body] if body else []
            return
        (self.lines if self.section is not None else self.preamble).append(line)

    def _close_section(self) -> None:
        if self.section is not None:
            text = "\n".join(self.lines).strip()
            if self.section in self.narrative and text:
                text = self.narrative[self.section] + "\n" + text
            self.narrative[self.section] = text or self.narrative.get(self.section, "")

    def finish(self) -> None:
        self._close_section()
        preamble = "\n".join(self.preamble).strip()
        if preamble:
            self.narrative = {"": preamble, **self.narrative}

    def _is_table_label(self, text: str) -> bool:
        return self.labels.row(text, self.state.last) is not None

    # table

    def _open(self, row: Row) -> None:
        self.in_table = True
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
