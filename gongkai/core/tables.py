"""Tables read from an uploaded CSV or XLSX file, for every app's imports (the catalogue's,
the matters', the operations'): the row-level errors, the headings, reading the file within
the safe reader's limits, parsing values, and writing every previewed row with one audit
event, all or nothing."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ValidationError,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import safefile
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User

MAX_ROWS = 5000
Progress = Callable[[int, int], None]  # (rows done, rows in all)


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem, with its message complete and translated ("第3行：成文日期…")."""

    row: int | None  # the spreadsheet row (headings = 1); None for the file as a whole
    field: str  # the field the problem is about, "" for the row or the file
    message: str  # with the row: "第3行：成文日期“2026-13-01”不是有效日期。"
    detail: str  # without it, for tables that show the row in a column of its own

    def __str__(self) -> str:
        return self.message


class ImportRejected(ValidationError):
    """Nothing was written; `row_errors` says why, row by row."""

    def __init__(self, errors: list[RowError]):
        self.row_errors = errors
        super().__init__([e.message for e in errors], code="import")


# --- the columns of each kind of file ---------------------------------------------------


@dataclass(frozen=True)
class Heading:
    name: str  # the field name, also accepted as a heading
    label: str  # the Chinese heading
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headings seen in agencies' own catalogues


def _normalise_heading(text: str) -> str:
    text = re.sub(r"\s+", "", text).strip("*＊")
    text = re.sub(r"[（(][^）)]*[）)]$", "", text)  # "标题（必填）"
    return text.lower()


def _heading_index(headings: tuple[Heading, ...]) -> dict[str, Heading]:
    index = {}
    for heading in headings:
        for name in (heading.name, heading.label, *heading.aliases):
            index[_normalise_heading(name)] = heading
    return index


# --- reading files -----------------------------------------------------------------------


class _FileUnreadable(Exception):
    pass


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise _FileUnreadable(_("The file says it is UTF-8 but is not.")) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _FileUnreadable(_("The file says it is UTF-16 but is not.")) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # what Excel writes for "CSV" on Chinese Windows
    except UnicodeDecodeError:
        raise _FileUnreadable(
            _("The file is neither UTF-8 nor GB18030 text. Save it as “CSV UTF-8” or as .xlsx.")
        ) from None


def _csv_rows(text: str) -> list[tuple[int, list[Any]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    limits = safefile.limits()
    rows, cells_read = [], 0
    try:
        for number, cells in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1
        ):
            if number > MAX_ROWS + 1:
                raise _FileUnreadable(_too_many_rows())
            while cells and not cells[-1].strip():
                cells.pop()  # trailing separators are not columns
            if len(cells) > limits.spreadsheet_columns:
                raise _FileUnreadable(_too_many_columns(number, limits.spreadsheet_columns))
            cells_read += len(cells)
            if cells_read > limits.spreadsheet_cells:
                raise _FileUnreadable(_too_many_cells(limits.spreadsheet_cells))
            rows.append((number, cells))
    except csv.Error as exc:
        raise _FileUnreadable(_("The CSV file cannot be read: %s.") % exc) from None
    return rows


def _xlsx_rows(file_name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    """The first sheet's rows, read through the safe reader: the archive's limits and the cells
    counted before openpyxl parses, the columns of every row, at most MAX_ROWS rows."""
    rows = []
    try:
        for number, cells in safefile.xlsx_rows(data, name=file_name, max_rows=MAX_ROWS + 1):
            if number > MAX_ROWS + 1:
                raise _FileUnreadable(_too_many_rows())
            rows.append((number, list(cells)))
    except safefile.FileRefused as exc:
        if exc.code == "damaged":
            raise _FileUnreadable(_("The Excel file cannot be read; it may be damaged.")) from None
        raise _FileUnreadable(str(exc)) from None
    return rows


def _too_many_columns(row: int, max_columns: int) -> str:
    return _(
        "Row %(row)d has cells beyond column %(max)d; delete the unused columns and save the "
        "file again."
    ) % {"row": row, "max": max_columns}


def _too_many_cells(max_cells: int) -> str:
    return _("The file has more than %(max)d cells; split it into several files.") % {
        "max": max_cells
    }


def _too_many_rows() -> str:
    return _("The file has more than %(max)d rows; split it into several files.") % {
        "max": MAX_ROWS
    }


def read_table(file_name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    """The non-blank rows of a CSV or XLSX file as (row number, cells)."""
    if not data.strip():
        raise _FileUnreadable(_("The file is empty."))
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _FileUnreadable(
            _("Files in the old Excel format (.xls) cannot be read. Save it as .xlsx or CSV.")
        )
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(file_name, data)
    elif file_name.lower().endswith((".xlsx", ".xlsm")):
        raise _FileUnreadable(_("The Excel file cannot be read; it may be damaged."))
    else:
        rows = _csv_rows(_decode(data))
    return [(number, cells) for number, cells in rows if any(cell_text(c) for c in cells)]


def cell_text(value: Any) -> str:
    """A cell as the text a person reads: a date as ISO, 12.0 as 12, blanks trimmed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().strip("\ufeff\u200b").strip()


# --- parsing values ----------------------------------------------------------------------

_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def choice_map(choices) -> dict[str, str]:
    """A model's choices keyed by code and by label (blanks removed), for a cell to name either."""
    mapping = {}
    for code, label in choices:
        mapping[code] = code
        mapping[re.sub(r"\s+", "", str(label))] = code
    return mapping


class TableRow:
    """Collects one row's values and errors. A column the file does not hold is named by
    `model`'s field, then by its heading in `known`; apps subclass it to set them."""

    model: Any = None
    known: tuple[Heading, ...] = ()

    def __init__(self, number: int, cells: dict[str, Any], headings: dict[str, str]):
        self.number = number
        self.cells = cells
        self.headings = headings  # field -> heading as written in the file
        self.errors: list[RowError] = []

    def text(self, name: str) -> str:
        return cell_text(self.cells.get(name))

    def heading(self, name: str) -> str:
        if name in self.headings:
            return self.headings[name]
        if self.model is not None:
            try:
                return str(self.model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                pass
        return next((h.label for h in self.known if h.name == name), name)

    def error(self, name: str, message: str) -> None:
        self.errors.append(row_error(self.number, name, message))

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            self.error(name, _("%(column)s must not be empty.") % {"column": self.heading(name)})
        return value

    def date(self, name: str, *, required: bool = False) -> date | None:
        raw = self.text(name)
        if not raw:
            if required:
                self.required(name)
            return None
        parsed = parse_date(self.cells.get(name))
        if parsed is None:
            self.error(
                name,
                _("%(column)s “%(value)s” is not a valid date.")
                % {"column": self.heading(name), "value": raw},
            )
        elif parsed > timezone.localdate():
            self.error(
                name,
                _("%(column)s “%(value)s” is in the future.")
                % {"column": self.heading(name), "value": raw},
            )
            return None
        return parsed

    def choice(self, name: str, mapping: dict[str, str], labels) -> str | None:
        raw = self.text(name)
        if not raw:
            return None
        code = mapping.get(re.sub(r"\s+", "", raw))
        if code is None:
            self.error(
                name,
                _("%(column)s “%(value)s” is not one of: %(choices)s.")
                % {"column": self.heading(name), "value": raw, "choices": "、".join(labels)},
            )
        return code

    def limited(self, name: str, max_length: int) -> str:
        value = self.text(name)
        if len(value) > max_length:
            self.error(
                name,
                _("%(column)s is too long: %(length)d characters, at most %(max)d.")
                % {"column": self.heading(name), "length": len(value), "max": max_length},
            )
        return value

    def service_errors(self, exc: ValidationError) -> None:
        """A service's ValidationError as this row's errors, named by the file's headings."""
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                for message in messages:
                    if name == NON_FIELD_ERRORS:
                        self.error("", message)
                    else:
                        self.error(
                            name,
                            _("%(column)s: %(message)s")
                            % {"column": self.heading(name), "message": message},
                        )
        else:
            for message in exc.messages:
                self.error("", message)


# A message quotes what the file holds; a cell of a million characters is not repeated whole.
MAX_MESSAGE_CHARS = 500
# An error page or listing shows this many errors, then how many more there are.
ERRORS_SHOWN = 100


def row_error(row: int | None, name: str, message: str) -> RowError:
    message = str(message)
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 1] + "…"
    if row is None:
        return RowError(row=None, field=name, message=message, detail=message)
    return RowError(
        row=row,
        field=name,
        message=_("Row %(row)d: %(message)s") % {"row": row, "message": message},
        detail=message,
    )


def table_rows(
    file_name: str,
    data: bytes,
    headings: tuple[Heading, ...],
    row_class: type[TableRow] = TableRow,
) -> tuple[list[Any], dict[str, str], list[RowError]]:
    """The rows of a file keyed by field name, the headings found, and any file-level errors."""
    try:
        table = read_table(file_name, data)
    except _FileUnreadable as exc:
        return [], {}, [row_error(None, "", str(exc))]
    if not table:
        return [], {}, [row_error(None, "", _("The file is empty."))]
    index = _heading_index(headings)
    heading_row, heading_cells = table[0]
    found: dict[str, str] = {}
    positions: dict[int, str] = {}
    errors = []
    for position, cell in enumerate(heading_cells):
        text = cell_text(cell)
        if not text:
            continue
        heading = index.get(_normalise_heading(text))
        if heading is None:
            errors.append(
                row_error(
                    heading_row,
                    "",
                    _("The heading “%(heading)s” is unknown. The headings are: %(known)s.")
                    % {"heading": text, "known": "、".join(h.label for h in headings)},
                )
            )
        elif heading.name in found:
            errors.append(
                row_error(
                    heading_row,
                    heading.name,
                    _("The column %(heading)s appears twice.") % {"heading": heading.label},
                )
            )
        else:
            found[heading.name] = text
            positions[position] = heading.name
    for heading in headings:
        if heading.required and heading.name not in found:
            errors.append(
                row_error(
                    heading_row,
                    heading.name,
                    _("The column %(heading)s is missing.") % {"heading": heading.label},
                )
            )
    rows = [
        row_class(
            number,
            {name: cells[pos] for pos, name in positions.items() if pos < len(cells)},
            found,
        )
        for number, cells in table[1:]
    ]
    if not errors and not rows:
        errors.append(row_error(None, "", _("The file has headings but no rows to import.")))
    return rows, found, errors


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_rows(
    rows: list,
    headings: dict[str, str],
    write: Callable[[Any], None],
    progress: Progress | None,
    row_class: type[TableRow] = TableRow,
) -> None:
    """Call `write` on every previewed row (each has `.row`); raise ImportRejected if any fail."""
    errors: list[RowError] = []
    total = len(rows)
    for done, parsed in enumerate(rows, 1):
        try:
            write(parsed)
        except ValidationError as exc:  # the records changed since the preview
            row = row_class(parsed.row, {}, headings)
            row.service_errors(exc)
            errors.extend(row.errors)
        if progress is not None:
            progress(done, total)
    if errors:
        raise ImportRejected(errors)


def audit_import(
    *, actor: User, verb: str, agency: Agency, model, file_name: str, data: bytes, **after: Any
) -> None:
    """Audit an import: the file, its hash, then `after`."""
    audit_record(
        actor=actor,
        verb=verb,
        agency=agency,
        object_type=model._meta.label_lower,
        object_repr=file_name,
        after={"file": file_name, "sha256": _sha256(data), **after},
    )
