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

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.core.tables import (
    MAX_ROWS,
    Heading,
    ImportRejected,
    Progress,
    audit_import,
    cell_text,
    row_error,
    table_rows,
    write_rows,
)

from . import permissions, services
from .models import Channel, Column, Item, ItemStatus, Publication
from .selectors import columns_visible_to, items_visible_to
from .tables import (
    GENRES,
    PATH_SEPARATORS,
    VALIDITIES,
    ItemRow,
    ItemsPreview,
    ItemTableRow,
    PublicationRow,
    PublicationsPreview,
    body_html,
)
from .taxonomy import TOPICS, ChannelKind, Genre, Validity

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

    def find(self, row: ItemTableRow, value: str) -> Column | None:
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
            column = self.by_path.get("/".join(PATH_SEPARATORS.split(value)))
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


def _item_values(row: ItemTableRow, columns: _Columns) -> dict[str, Any]:
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
        values["body"] = body_html(cell_text(row.cells.get("body")))
    return values


def items_preview(*, actor: User, agency: Agency, file_name: str, data: bytes) -> ItemsPreview:
    """Parse and check every row of an items file; writes nothing."""
    require(permissions.can_create_item(actor, agency))
    rows, found, errors = table_rows(file_name, data, ITEM_HEADINGS, ItemTableRow)
    preview = ItemsPreview(errors=errors, headings=found)
    if errors:
        return preview
    columns = _Columns(list(columns_visible_to(actor).filter(agency=agency)))
    seen: dict[tuple, int] = {}
    parsed: list[tuple[ItemTableRow, dict[str, Any]]] = []
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
    write_rows(
        preview.rows,
        preview.headings,
        lambda item_row: items.append(
            services.item_create(actor=actor, agency=agency, **item_row.values)
        ),
        progress,
        ItemTableRow,
    )
    audit_import(
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
    rows, found, errors = table_rows(file_name, data, PUBLICATION_HEADINGS, ItemTableRow)
    preview = PublicationsPreview(channel=channel, errors=errors, headings=found)
    if not errors and "index_number" not in found and "title" not in found:
        preview.errors.append(
            row_error(
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
    row: ItemTableRow, by_index: dict[str, Item], by_title: dict[str, list[Item]]
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

    write_rows(preview.rows, preview.headings, write, progress, ItemTableRow)
    total = len(preview.rows)
    audit_import(
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
