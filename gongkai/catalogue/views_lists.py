"""The item list's actions: several items submitted or withdrawn at once, and the filtered list
as an Excel file."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from gongkai.core import selectors as core_selectors
from gongkai.core.permissions import has_role
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key

from . import forms, permissions, selectors, services
from .models import ItemStatus
from .views import _columns, filtered_items

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_POST
@staff_required
def item_bulk(request, agency):
    """Submit or withdraw the ticked items, each through its own service (audited one by
    one); what failed is listed item by item, the rest is done."""
    agency = agency_from_key(request, agency)
    user = request.user
    if not has_role(user, agency, *permissions.AUTHOR_ROLES, *permissions.REVIEW_ROLES):
        raise PermissionDenied
    form = forms.BulkForm(request.POST)
    back = redirect("catalogue:item-list", agency=agency.slug)
    if not form.is_valid():
        messages.error(request, _("Tick the items and choose an action."))
        return _back(back, request)
    data = form.cleaned_data
    if data["action"] == "withdraw" and not data["reason"].strip():
        messages.error(request, _("Give the reason for withdrawing the items."))
        return _back(back, request)
    items = list(
        selectors.items_visible_to(user).filter(agency=agency, pk__in=data["items"]).order_by("pk")
    )
    outcomes = services.items_bulk(
        actor=user, items=items, action=data["action"], reason=data["reason"]
    )
    done = sum(1 for o in outcomes if o.ok)
    if done:
        text = (
            ngettext("%(n)d item submitted for review.", "%(n)d items submitted for review.", done)
            if data["action"] == "submit"
            else ngettext("%(n)d item withdrawn.", "%(n)d items withdrawn.", done)
        )
        messages.success(request, text % {"n": done})
    for outcome in outcomes:
        if not outcome.ok:
            messages.error(
                request,
                _("“%(title)s” was not changed: %(reason)s")
                % {"title": outcome.item.title, "reason": " ".join(outcome.errors)},
            )
    return _back(back, request)


def _back(response, request):
    """Back to the list as it was filtered (only a query string of the list is kept)."""
    query = request.POST.get("next", "")
    if query and "\n" not in query and "\r" not in query and not query.startswith(("/", "?")):
        response["Location"] += "?" + query
    return response


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


@require_GET
@staff_required
def item_export(request, agency):
    """The list as filtered (every page, in its order) as an XLSX file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    agency = agency_from_key(request, agency)
    user = request.user
    form = forms.ItemFilterForm(
        request.GET or None,
        columns=_columns(request, agency),
        years=selectors.item_years(user, agency=agency),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    calendar = core_selectors.current_work_calendar()
    items = filtered_items(user, agency, filters, calendar)
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Items")[:31]
    sheet.append([label() for _name, label in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    statuses = dict(ItemStatus.choices)
    for item in items.iterator(chunk_size=500):
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
    for column, width in zip("ABCDEFGHI", (30, 50, 16, 10, 10, 24, 24, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    name = _("%(agency)s items %(date)s.xlsx") % {
        "agency": agency.name,
        "date": timezone.localdate().isoformat(),
    }
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
