"""The item list's actions: several items submitted or withdrawn at once, and the filtered list
as an Excel file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gongkai.core.exports import export_start
from gongkai.core.permissions import has_role
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key

from . import exports_queue, forms, permissions, selectors, services


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


@require_POST
@staff_required
def item_export(request, agency):
    """Start the XLSX of the list as filtered (its query string: every page, in its order),
    built in the background (catalogue.exports_queue); the export's page shows its progress and
    then the file."""
    agency = agency_from_key(request, agency)
    query = request.GET.copy()
    query.pop("page", None)
    try:
        queued = export_start(
            actor=request.user,
            agency=agency,
            kind=exports_queue.ITEMS_EXPORT,
            params={"query": query.urlencode()},
        )
    except PermissionDenied:
        raise Http404 from None
    return redirect("core:export", pk=queued.pk)
