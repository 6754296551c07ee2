"""The catalogue's settings page: the pattern of the agency's 索引号 (index numbers), which
numbers every item approved from then on and which the 政府信息公开指南 shows. Written through
services.catalogue_settings_update (permission, pattern check, audit)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key, report_error, status_for

from . import forms, indexing, permissions, services


@require_http_methods(["GET", "POST"])
@staff_required
def catalogue_settings(request, agency):
    agency = agency_from_key(request, agency)
    if not permissions.can_manage_columns(request.user, agency):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = forms.CatalogueSettingsForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.catalogue_settings_update(
                    actor=request.user,
                    agency=agency,
                    index_pattern=form.cleaned_data["index_pattern"],
                )
            except (ValidationError, PermissionDenied) as exc:
                report_error(request, exc, form, all_on_form=True)
                status = status_for(exc)
            else:
                messages.success(request, _("Catalogue settings saved."))
                return redirect("catalogue:settings", agency=agency.slug)
    else:
        form = forms.CatalogueSettingsForm(
            initial={"index_pattern": indexing.agency_index_pattern(agency)}
        )
    context = {
        "agency": agency,
        "nav": "settings",
        "can_create_item": permissions.can_create_item(request.user, agency),
        "form": form,
    }
    return render(request, "catalogue/settings.html", context, status=status)
