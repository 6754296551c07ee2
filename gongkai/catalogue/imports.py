"""Bulk imports into the catalogue from CSV or XLSX files, all or nothing.

- `items_preview` / `items_import`: catalogue items, written as drafts through
  `services.item_create` (so every rule of the staff form applies to every row);
- `publications_preview` / `publications_import`: an external account's posts (政务微博, 政务微信 …),
  recorded through `services.publication_record` on one channel.

A preview parses and checks every row without writing anything. An import runs the preview and
then writes every row in one transaction; if any row fails, nothing is written and
`ImportRejected` carries every row's error. Rows are numbered as a spreadsheet numbers them (the
heading row is row 1), so "第3行" is the row the user sees as 3.

The first row holds the headings: the Chinese labels (栏目, 标题, 成文日期 …) or the English
field names (column, title, formed_on …). Values are the Chinese labels of the official
vocabularies (体裁 “行政规范性文件”, 有效性 “有效” …); their codes are accepted too.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ValidationError,
)
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import safefile
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require

from . import permissions, services
from .models import Channel, Column, Item, ItemStatus, Publication
from .selectors import columns_visible_to, items_visible_to
from .taxonomy import TOPICS, ChannelKind, Genre, Validity

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


@dataclass
class ItemRow:
    row: int
    values: dict[str, Any]  # keyword arguments of services.item_create (column is a Column)


@dataclass
class ItemsPreview:
    rows: list[ItemRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)  # field -> heading in the file

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class PublicationRow:
    row: int
    item: Item
    published_on: date
    url: str
    already_recorded: bool  # the item is already recorded on this channel: the row is skipped


@dataclass
class PublicationsPreview:
    channel: Channel
    rows: list[PublicationRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)  # field -> heading in the file

    @property
    def ok(self) -> bool:
        return not self.errors


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


ITEM_HEADINGS = (
    Heading("column", "栏目", required=True, aliases=("所属栏目", "目录")),
    Heading("title", "标题", required=True, aliases=("名称", "信息名称")),
    Heading("formed_on", "成文日期", required=True, aliases=("生成日期", "发文日期")),
    Heading("genre", "体裁", required=True),
    Heading("document_number", "文号", aliases=("发文字号", "文件编号")),
    Heading("publisher", "发布机构", aliases=("发文机关", "发文机构")),
    Heading("topic", "主题分类"),
    Heading("validity", "有效性"),
    Heading("valid_from", "生效日期"),
    Heading("invalid_on", "失效日期", aliases=("废止日期",)),
    Heading("summary", "内容概述", aliases=("摘要",)),
    Heading("body", "正文"),
)

PUBLICATION_HEADINGS = (
    Heading("index_number", "索引号"),
    Heading("title", "标题", aliases=("名称", "信息名称")),
    Heading("published_on", "发布日期", required=True, aliases=("发布时间",)),
    Heading("url", "链接", aliases=("网址", "地址")),
)


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
    return [(number, cells) for number, cells in rows if any(_text(c) for c in cells)]


def _text(value: Any) -> str:
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
_PATH_SEPARATORS = re.compile(r"\s*[/／\\>＞]\s*")


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _choice_map(choices) -> dict[str, str]:
    mapping = {}
    for code, label in choices:
        mapping[code] = code
        mapping[re.sub(r"\s+", "", str(label))] = code
    return mapping


GENRES = _choice_map(Genre.choices)
VALIDITIES = _choice_map(Validity.choices)


def _body_html(text: str) -> str:
    """Plain text becomes paragraphs; HTML is kept (the service sanitises it)."""
    if re.search(r"<[a-zA-Z/][^>]*>", text):
        return text
    return "".join(
        f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip()
    )


class _Row:
    """Collects one row's values and errors."""

    def __init__(self, number: int, cells: dict[str, Any], headings: dict[str, str]):
        self.number = number
        self.cells = cells
        self.headings = headings  # field -> heading as written in the file
        self.errors: list[RowError] = []

    def text(self, name: str) -> str:
        return _text(self.cells.get(name))

    def heading(self, name: str) -> str:
        if name in self.headings:
            return self.headings[name]
        try:
            return str(Item._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return name

    def error(self, name: str, message: str) -> None:
        self.errors.append(_row_error(self.number, name, message))

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
        parsed = _parse_date(self.cells.get(name))
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


def _row_error(row: int | None, name: str, message: str) -> RowError:
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


def _table(
    file_name: str, data: bytes, headings: tuple[Heading, ...]
) -> tuple[list[_Row], dict[str, str], list[RowError]]:
    """The rows of a file keyed by field name, the headings found, and any file-level errors."""
    try:
        table = read_table(file_name, data)
    except _FileUnreadable as exc:
        return [], {}, [_row_error(None, "", str(exc))]
    if not table:
        return [], {}, [_row_error(None, "", _("The file is empty."))]
    index = _heading_index(headings)
    heading_row, heading_cells = table[0]
    found: dict[str, str] = {}
    positions: dict[int, str] = {}
    errors = []
    for position, cell in enumerate(heading_cells):
        text = _text(cell)
        if not text:
            continue
        heading = index.get(_normalise_heading(text))
        if heading is None:
            errors.append(
                _row_error(
                    heading_row,
                    "",
                    _("The heading “%(heading)s” is unknown. The headings are: %(known)s.")
                    % {"heading": text, "known": "、".join(h.label for h in headings)},
                )
            )
        elif heading.name in found:
            errors.append(
                _row_error(
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
                _row_error(
                    heading_row,
                    heading.name,
                    _("The column %(heading)s is missing.") % {"heading": heading.label},
                )
            )
    rows = [
        _Row(
            number,
            {name: cells[pos] for pos, name in positions.items() if pos < len(cells)},
            found,
        )
        for number, cells in table[1:]
    ]
    if not errors and not rows:
        errors.append(_row_error(None, "", _("The file has headings but no rows to import.")))
    return rows, found, errors


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_rows(
    rows: list, headings: dict[str, str], write: Callable[[Any], None], progress: Progress | None
) -> None:
    """Call `write` on every previewed row (each has `.row`); raise ImportRejected if any fail."""
    errors: list[RowError] = []
    total = len(rows)
    for done, parsed in enumerate(rows, 1):
        try:
            write(parsed)
        except ValidationError as exc:  # the records changed since the preview
            row = _Row(parsed.row, {}, headings)
            row.service_errors(exc)
            errors.extend(row.errors)
        if progress is not None:
            progress(done, total)
    if errors:
        raise ImportRejected(errors)


def _audit_import(
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


# --- items -------------------------------------------------------------------------------


class _Columns:
    """The agency's columns, found by name or by path ("一级/二级")."""

    def __init__(self, columns: list[Column]):
        by_id = {c.pk: c for c in columns}
        self.by_name: dict[str, list[Column]] = {}
        self.by_path: dict[str, Column] = {}
        for column in columns:
            names, parent = [column.name], column.parent_id
            while parent is not None and parent in by_id:
                names.insert(0, by_id[parent].name)
                parent = by_id[parent].parent_id
            column.import_path = "/".join(names)
            self.by_path[column.import_path] = column
            self.by_name.setdefault(column.name, []).append(column)

    def find(self, row: _Row, value: str) -> Column | None:
        heading = row.heading("column")
        named = self.by_name.get(value, [])
        if len(named) == 1:
            column = named[0]
        elif len(named) > 1:
            row.error(
                "column",
                _("%(column)s “%(value)s” is ambiguous: give its path, such as “%(example)s”.")
                % {"column": heading, "value": value, "example": named[0].import_path},
            )
            return None
        else:
            column = self.by_path.get("/".join(_PATH_SEPARATORS.split(value)))
            if column is None:
                row.error(
                    "column",
                    _("%(column)s “%(value)s” does not exist.")
                    % {"column": heading, "value": value},
                )
                return None
        if not column.is_active:
            row.error(
                "column",
                _("%(column)s “%(value)s” is no longer in use.")
                % {"column": heading, "value": value},
            )
            return None
        return column


def _item_values(row: _Row, columns: _Columns) -> dict[str, Any]:
    values: dict[str, Any] = {}
    column_name = row.required("column")
    title = row.required("title")
    if title:
        title = row.limited("title", Item._meta.get_field("title").max_length)
    formed_on = row.date("formed_on", required=True)
    genre_raw = row.required("genre")
    genre = row.choice("genre", GENRES, Genre.labels) if genre_raw else None
    column = columns.find(row, column_name) if column_name else None
    values.update(column=column, title=title, formed_on=formed_on, genre=genre)

    for name in ("document_number", "publisher"):
        if row.text(name):
            values[name] = row.limited(name, Item._meta.get_field(name).max_length)
    if row.text("topic"):
        topic = row.text("topic")
        if topic in TOPICS:
            values["topic"] = topic
        else:
            row.error(
                "topic",
                _("%(column)s “%(value)s” is not one of: %(choices)s.")
                % {"column": row.heading("topic"), "value": topic, "choices": "、".join(TOPICS)},
            )
    validity = row.choice("validity", VALIDITIES, Validity.labels)
    if validity:
        values["validity"] = validity
    for name in ("valid_from", "invalid_on"):
        parsed = row.date(name)
        if parsed:
            values[name] = parsed
    if row.text("summary"):
        values["summary"] = row.text("summary")
    if row.text("body"):
        values["body"] = _body_html(_text(row.cells.get("body")))
    return values


def items_preview(*, actor: User, agency: Agency, file_name: str, data: bytes) -> ItemsPreview:
    """Parse and check every row of an items file; writes nothing."""
    require(permissions.can_create_item(actor, agency))
    rows, found, errors = _table(file_name, data, ITEM_HEADINGS)
    preview = ItemsPreview(errors=errors, headings=found)
    if errors:
        return preview
    columns = _Columns(list(columns_visible_to(actor).filter(agency=agency)))
    seen: dict[tuple, int] = {}
    parsed: list[tuple[_Row, dict[str, Any]]] = []
    for row in rows:
        values = _item_values(row, columns)
        if not row.errors:
            try:
                services.item_validate(agency=agency, **values)
            except ValidationError as exc:
                row.service_errors(exc)
        key = (values["title"], values["formed_on"], values.get("document_number", ""))
        if not row.errors:
            if key in seen:
                row.error("", _("This row repeats row %(first)d.") % {"first": seen[key]})
            else:
                seen[key] = row.number
        parsed.append((row, values))

    existing = {
        (title, formed_on, document_number): pk
        for pk, title, formed_on, document_number in Item.objects.filter(
            agency=agency, title__in={values["title"] for _row, values in parsed}
        ).values_list("pk", "title", "formed_on", "document_number")
    }
    for row, values in parsed:
        key = (values["title"], values["formed_on"], values.get("document_number", ""))
        if not row.errors and key in existing:
            row.error(
                "",
                _(
                    "The catalogue already has an item with this title, date of formation and "
                    "document number (item %(id)d)."
                )
                % {"id": existing[key]},
            )
        preview.errors.extend(row.errors)
        if not row.errors:
            preview.rows.append(ItemRow(row=row.number, values=values))
    return preview


@transaction.atomic
def items_import(
    *,
    actor: User,
    agency: Agency,
    file_name: str,
    data: bytes,
    progress: Progress | None = None,
) -> list[Item]:
    """Create every row of the file as a draft, or nothing (raises ImportRejected)."""
    preview = items_preview(actor=actor, agency=agency, file_name=file_name, data=data)
    if preview.errors:
        raise ImportRejected(preview.errors)
    items: list[Item] = []
    _write_rows(
        preview.rows,
        preview.headings,
        lambda item_row: items.append(
            services.item_create(actor=actor, agency=agency, **item_row.values)
        ),
        progress,
    )
    _audit_import(
        actor=actor,
        verb="item.import",
        agency=agency,
        model=Item,
        file_name=file_name,
        data=data,
        rows=len(preview.rows),
        items=[item.pk for item in items],
    )
    return items


def items_template() -> bytes:
    """An empty items file (XLSX) to fill in: the headings on the first sheet, and the values
    体裁, 有效性 and 主题分类 accept on a second one (offered as drop-down lists)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Items")
    sheet.append([heading.label for heading in ITEM_HEADINGS])
    sheet.freeze_panes = "A2"
    wide = {"column": 24, "title": 48, "publisher": 24, "topic": 20, "summary": 40, "body": 60}
    for position, heading in enumerate(ITEM_HEADINGS, 1):
        color = "B00020" if heading.required else None  # required columns in red
        sheet.cell(row=1, column=position).font = Font(bold=True, color=color)
        sheet.column_dimensions[get_column_letter(position)].width = wide.get(heading.name, 14)

    values = workbook.create_sheet(_("Allowed values"))
    lists = {"genre": list(Genre.labels), "validity": list(Validity.labels), "topic": TOPICS}
    for position, (name, labels) in enumerate(lists.items(), 1):
        label = next(h.label for h in ITEM_HEADINGS if h.name == name)
        values.cell(row=1, column=position, value=label).font = Font(bold=True)
        for offset, text in enumerate(labels, 2):
            values.cell(row=offset, column=position, value=text)
        letter = get_column_letter(position)
        values.column_dimensions[letter].width = 20
        target = get_column_letter(
            next(i for i, h in enumerate(ITEM_HEADINGS, 1) if h.name == name)
        )
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(values.title)}!${letter}$2:${letter}${len(labels) + 1}",
            allow_blank=True,
        )
        validation.add(f"{target}2:{target}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- publications on an external channel -------------------------------------------------


def _check_channel(channel: Channel) -> None:
    if channel.kind == ChannelKind.WEBSITE:
        raise ValidationError(
            _(
                "Publications on the agency's own website are recorded when items are "
                "published; choose another channel."
            ),
            code="website",
        )


def publications_preview(
    *, actor: User, channel: Channel, file_name: str, data: bytes
) -> PublicationsPreview:
    """Parse and check every row of an account's posts; writes nothing."""
    require(permissions.can_record_publication(actor, channel.agency))
    _check_channel(channel)
    rows, found, errors = _table(file_name, data, PUBLICATION_HEADINGS)
    preview = PublicationsPreview(channel=channel, errors=errors, headings=found)
    if not errors and "index_number" not in found and "title" not in found:
        preview.errors.append(
            _row_error(
                1,
                "index_number",
                _("The file needs a column %(index)s or %(title)s.")
                % {"index": "索引号", "title": "标题"},
            )
        )
    if preview.errors:
        return preview

    index_numbers = {row.text("index_number") for row in rows} - {""}
    titles = {row.text("title") for row in rows} - {""}
    candidates = list(
        items_visible_to(actor)
        .filter(agency=channel.agency)
        .filter(Q(index_number__in=index_numbers) | Q(title__in=titles))
        .only("pk", "title", "index_number", "status", "agency", "column")
    )
    by_index = {item.index_number: item for item in candidates if item.index_number}
    by_title: dict[str, list[Item]] = {}
    for item in candidates:
        by_title.setdefault(item.title, []).append(item)
    recorded = set(Publication.objects.filter(channel=channel).values_list("item_id", flat=True))
    validate_url = URLValidator(schemes=["http", "https"])
    url_max = Publication._meta.get_field("url").max_length
    seen: dict[int, int] = {}

    for row in rows:
        item = _publication_item(row, by_index, by_title)
        published_on = row.date("published_on", required=True)
        url = row.text("url")
        if url:
            try:
                if len(url) > url_max:
                    raise ValidationError("too long")
                validate_url(url)
            except ValidationError:
                row.error(
                    "url",
                    _("%(column)s “%(value)s” is not a valid web address.")
                    % {"column": row.heading("url"), "value": url[:100]},
                )
        if item is not None:
            if item.pk in seen:
                row.error(
                    "",
                    _("This row repeats row %(first)d (the same item).") % {"first": seen[item.pk]},
                )
            else:
                seen[item.pk] = row.number
        preview.errors.extend(row.errors)
        if not row.errors:
            preview.rows.append(
                PublicationRow(
                    row=row.number,
                    item=item,
                    published_on=published_on,
                    url=url,
                    already_recorded=item.pk in recorded,
                )
            )
    return preview


def _publication_item(
    row: _Row, by_index: dict[str, Item], by_title: dict[str, list[Item]]
) -> Item | None:
    index_number, title = row.text("index_number"), row.text("title")
    if index_number:
        item = by_index.get(index_number)
        if item is None:
            row.error(
                "index_number",
                _("No item has the %(column)s “%(value)s”.")
                % {"column": row.heading("index_number"), "value": index_number},
            )
            return None
    elif title:
        matches = by_title.get(title, [])
        published = [item for item in matches if item.status == ItemStatus.PUBLISHED]
        if len(published) > 1:
            row.error(
                "title",
                _("Several items have the %(column)s “%(value)s”: give the %(index)s instead.")
                % {"column": row.heading("title"), "value": title, "index": "索引号"},
            )
            return None
        if not matches:
            row.error(
                "title",
                _("No item has the %(column)s “%(value)s”.")
                % {"column": row.heading("title"), "value": title},
            )
            return None
        item = published[0] if published else matches[0]
    else:
        row.error(
            "index_number",
            _("Give the %(index)s or the %(title)s of the item.")
            % {"index": "索引号", "title": "标题"},
        )
        return None
    if item.status != ItemStatus.PUBLISHED:
        row.error(
            "",
            _("“%(title)s” is not published (it is “%(status)s”).")
            % {"title": item.title, "status": item.get_status_display()},
        )
        return None
    return item


@transaction.atomic
def publications_import(
    *,
    actor: User,
    channel: Channel,
    file_name: str,
    data: bytes,
    progress: Progress | None = None,
) -> list[Publication]:
    """Record every row on `channel`, or nothing (raises ImportRejected).

    Items already recorded on the channel are skipped, so a whole account's export can be
    imported again as it grows.
    """
    preview = publications_preview(actor=actor, channel=channel, file_name=file_name, data=data)
    if preview.errors:
        raise ImportRejected(preview.errors)
    publications: list[Publication] = []

    def write(publication_row: PublicationRow) -> None:
        if not publication_row.already_recorded:
            publications.append(
                services.publication_record(
                    actor=actor,
                    item=publication_row.item,
                    channel=channel,
                    published_on=publication_row.published_on,
                    url=publication_row.url,
                    source=Publication.Source.IMPORTED,
                )
            )

    _write_rows(preview.rows, preview.headings, write, progress)
    total = len(preview.rows)
    _audit_import(
        actor=actor,
        verb="publication.import",
        agency=channel.agency,
        model=Publication,
        file_name=file_name,
        data=data,
        channel=channel.pk,
        rows=total,
        recorded=[p.pk for p in publications],
        already_recorded=total - len(publications),
    )
    return publications
