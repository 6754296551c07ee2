"""The item list's XLSX export, built by the task queue (gongkai.core.exports).

The list's filters travel as its query string (the parameters "query"); the task reads them
again through the list's own form, with the columns and years the user sees, so the file holds
exactly the rows the list showed (every page, in its order)."""

from __future__ import annotations

import io

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import selectors as core_selectors
from gongkai.core.exports import ExportFile, Progress, export_kind
from gongkai.core.models import Agency, User
from gongkai.core.permissions import can_view_agency

from . import forms, selectors
from .models import ItemStatus

ITEMS_EXPORT = "catalogue.export_items"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXPORT_COLUMNS = (
    ("index_number", lambda: _("Index number")),
    ("title", lambda: _("Title")),
    ("column", lambda: _("Column")),
    ("status", lambda: _("Status")),
    ("genre", lambda: _("Genre")),
    ("document_number", lambda: _("Document number")),
    ("publisher", lambda: _("Issuing agency")),
    ("formed_on", lambda: _("Date of formation")),
    ("published_at", lambda: _("Publication date")),
)


def _back(agency: Agency, params: dict) -> str:
    query = params.get("query", "")
    return reverse("catalogue:item-list", args=[agency.slug]) + (f"?{query}" if query else "")


def filters_for(user: User, agency: Agency, query: str) -> dict:
    """The list's filters parsed from its query string as the list parses them (a filter it
    does not understand is ignored, as on the page)."""
    form = forms.ItemFilterForm(
        QueryDict(query) if query else None,
        columns=selectors.columns_visible_to(user).filter(agency=agency),
        years=selectors.item_years(user, agency=agency),
    )
    return form.cleaned_data if form.is_valid() else {}


@export_kind(
    ITEMS_EXPORT,
    label=lambda params: _("Items list (Excel)"),
    allowed=can_view_agency,
    back=_back,
)
def items_xlsx(*, actor: User, agency: Agency, params: dict, progress: Progress) -> ExportFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .views import filtered_items

    filters = filters_for(actor, agency, params.get("query", ""))
    items = filtered_items(actor, agency, filters, core_selectors.current_work_calendar())
    total = items.count()
    progress(0, total)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Items")[:31]
    sheet.append([label() for _name, label in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    statuses = dict(ItemStatus.choices)
    for done, item in enumerate(items.iterator(chunk_size=500), start=1):
        sheet.append(
            [
                item.index_number,
                item.title,
                item.column.name,
                str(statuses.get(item.status, item.status)),
                item.get_genre_display(),
                item.document_number,
                item.publisher,
                item.formed_on,
                timezone.localtime(item.published_at).date() if item.published_at else None,
            ]
        )
        progress(done, total)
    for column, width in zip("ABCDEFGHI", (30, 50, 16, 10, 10, 24, 24, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    name = _("%(agency)s items %(date)s.xlsx") % {
        "agency": agency.name,
        "date": timezone.localdate().isoformat(),
    }
    return ExportFile(content=out.getvalue(), file_name=name, content_type=XLSX)
