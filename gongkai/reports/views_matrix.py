"""The supervising office's pages for the annual reports of its subtree (issue 15 part 4):

- the roll-up matrix (agencies × key indicators, totals, 逾期未发布, year-over-year) and its XLSX,
  both read through `matrix.report_matrix`;
- which agencies publish their own report (`core.services.agency_set_publishes_annual_report`);
- the dates the 乡镇/街道 under it publish by (`deadlines.report_deadline_set`);
- a report published elsewhere, uploaded, imported and stored (`imported.report_import_store`).

Each view resolves the agency through the scoped selector (another agency answers 404), parses
its input, calls one service, and redirects with a message; refusals are messages too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from gongkai.core import permissions as core_permissions
from gongkai.core import selectors as core_selectors
from gongkai.core import services as core_services
from gongkai.core.converters import ID_MAX
from gongkai.core.models import Agency, AgencyLevel
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key, error_texts

from . import permissions
from .deadlines import (
    SUPERVISED_LEVELS,
    can_set_report_deadline,
    deadline_overrides,
    report_deadline,
    report_deadline_set,
)
from .formats import KEYS
from .imported import report_import_store
from .importers import ReportImportError, import_file
from .matrix import OVERDUE, expected_agencies, matrix_xlsx, report_matrix
from .models import ImportedReport, ReportDeadline

UPLOAD_SUFFIXES = (".docx", ".pdf", ".html", ".htm", ".txt", ".md")
UPLOAD_MAX = 20 * 2**20


def _compare(request) -> bool:
    return request.GET.get("compare") == "1"


@staff_required
@require_safe
def matrix(request, agency: str, year: int):
    """The agencies of the subtree that owe their own report × the format's key indicators,
    with totals; ?compare=1 puts the previous year and the change beside each."""
    agency = agency_from_key(request, agency)
    data = report_matrix(
        agency,
        year,
        visible=core_selectors.agencies_visible_to(request.user),
        compare=_compare(request),
    )
    return render(
        request,
        "reports/matrix.html",
        {
            "agency": agency,
            "year": year,
            "matrix": data,
            "overdue": OVERDUE,
            "today": timezone.localdate(),
        },
    )


@staff_required
@require_safe
def matrix_download(request, agency: str, year: int):
    """The same matrix (the same ?compare=) as an XLSX workbook."""
    agency = agency_from_key(request, agency)
    data = report_matrix(
        agency,
        year,
        visible=core_selectors.agencies_visible_to(request.user),
        compare=_compare(request),
    )
    response = HttpResponse(
        matrix_xlsx(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    if data.compare:
        name = _("%(agency)s %(year)s annual reports matrix, year on year.xlsx")
    else:
        name = _("%(agency)s %(year)s annual reports matrix.xlsx")
    response["Content-Disposition"] = content_disposition_header(
        True, name % {"agency": agency.name, "year": year}
    )
    return response


# --- which agencies publish their own report ----------------------------------------------------


class PublishesForm(forms.Form):
    target = forms.IntegerField(min_value=1, max_value=ID_MAX, widget=forms.HiddenInput)
    value = forms.TypedChoiceField(
        choices=[("1", gettext_lazy("Yes")), ("0", gettext_lazy("No"))],
        coerce=lambda text: text == "1",
    )


def _subtree_target(agency: Agency, pk: int) -> Agency:
    found = Agency.objects.subtree_of(agency).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def publishing(request, agency: str):
    """The agency and every active agency under it, whether each owes its own annual report;
    an administrator above an agency changes it (an internal office of a town does not)."""
    agency = agency_from_key(request, agency)
    if request.method == "POST":
        form = PublishesForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an agency and yes or no."))
            return redirect("reports:publishing", agency.slug)
        target = _subtree_target(agency, form.cleaned_data["target"])
        try:
            core_services.agency_set_publishes_annual_report(
                actor=request.user, agency=target, value=form.cleaned_data["value"]
            )
        except (PermissionDenied, ValidationError) as exc:
            for text in error_texts(exc):
                messages.error(request, text)
        else:
            messages.success(request, _("Saved: %(agency)s.") % {"agency": target.name})
        return redirect("reports:publishing", agency.slug)
    rows = list(Agency.objects.subtree_of(agency).active().order_by("path"))
    # the agency itself is decided above it; those under it by its administrators and above
    may_self = core_permissions.can_set_publishes_annual_report(request.user, agency)
    may_below = core_permissions.can_change_agency(request.user, agency)
    return render(
        request,
        "reports/publishing.html",
        {
            "agency": agency,
            "rows": [
                {
                    "agency": row,
                    "prefix": "\u3000" * (row.depth - agency.depth),
                    "may_set": may_self if row.pk == agency.pk else may_below,
                }
                for row in rows
            ],
        },
    )


# --- the dates the 乡镇/街道 under the agency publish by ---------------------------------------


class DeadlineForm(forms.Form):
    level = forms.ChoiceField(
        label=gettext_lazy("Applies to"),
        choices=[(level.value, level.label) for level in map(AgencyLevel, SUPERVISED_LEVELS)],
    )
    month = forms.IntegerField(label=gettext_lazy("Month"), min_value=1, max_value=12)
    day = forms.IntegerField(label=gettext_lazy("Day"), min_value=1, max_value=31)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def deadlines(request, agency: str):
    """The dates set here for the 乡镇/街道 under the agency (RULES A.5: the supervising
    agency sets them; without one, or one set higher up, the nearest ancestor's date holds,
    else 1月31日), and the form its administrator sets one with."""
    agency = agency_from_key(request, agency)
    may_set = can_set_report_deadline(request.user, agency)
    if request.method == "POST":
        form = DeadlineForm(request.POST)
        if form.is_valid():
            try:
                report_deadline_set(
                    actor=request.user,
                    agency=agency,
                    level=form.cleaned_data["level"],
                    month=form.cleaned_data["month"],
                    day=form.cleaned_data["day"],
                )
            except (PermissionDenied, ValidationError) as exc:
                for text in error_texts(exc):
                    messages.error(request, text)
            else:
                messages.success(request, _("The date is set."))
            return redirect("reports:deadlines", agency.slug)
        if not may_set:
            messages.error(request, _("You do not have permission to do this."))
            return redirect("reports:deadlines", agency.slug)
    else:
        form = DeadlineForm()
    year = timezone.localdate().year - 1
    own = {row.applies_to_level: row for row in ReportDeadline.objects.filter(agency=agency)}
    # what a 乡镇/街道 directly under the agency would be due by (own date, else inherited)
    overrides = deadline_overrides([Agency(path=f"{agency.path}0/", pk=0)])
    levels = []
    for level in SUPERVISED_LEVELS:
        probe = Agency(path=f"{agency.path}0/", pk=0, level=level)
        levels.append(
            {
                "label": AgencyLevel(level).label,
                "own": own.get(level),
                "due": report_deadline(probe, year, overrides),
            }
        )
    return render(
        request,
        "reports/deadlines.html",
        {"agency": agency, "form": form, "may_set": may_set, "levels": levels, "year": year},
    )


# --- a report published elsewhere ----------------------------------------------------------------


class ImportForm(forms.Form):
    target = forms.TypedChoiceField(label=gettext_lazy("Agency"), coerce=int)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2008, max_value=2100)
    fmt = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("", gettext_lazy("(found from the report)"))] + [(k, k) for k in KEYS],
        required=False,
    )
    file = forms.FileField(label=gettext_lazy("Published report (DOCX, PDF, HTML or text)"))

    def __init__(self, *args, agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(a.pk, a.name) for a in agencies]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise ValidationError(_("Upload a DOCX, PDF, HTML or text file."))
        if upload.size > UPLOAD_MAX:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload


def _read_upload(upload, fmt_key: str | None):
    """The importer's reading of the uploaded file (kept on disk only while it is read, under
    its own name so that the importer's messages name it; never the server's folder)."""
    name = Path(upload.name).name or "report"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return import_file(path, format_key=fmt_key or None)
        except ReportImportError as exc:
            raise ReportImportError(str(exc).replace(f"{folder}/", "")) from None


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def imported_upload(request, agency: str):
    """Upload a report an agency of the subtree published elsewhere: it is imported and stored as
    that agency's report of the year, so that the matrix shows its figures."""
    agency = agency_from_key(request, agency)
    may_self = permissions.can_store_imported_report(request.user, agency)
    may_below = permissions.can_store_imported_reports_under(request.user, agency)
    agencies = [
        a for a in expected_agencies(agency) if (may_self if a.pk == agency.pk else may_below)
    ]
    if request.method == "POST":
        target_id = request.POST.get("target", "")
        target = next((a for a in agencies if str(a.pk) == target_id), None)
        if target is None:
            # an agency of the subtree the user may not store for, or none at all
            messages.error(request, _("You do not have permission to do this."))
            return redirect("reports:import", agency.slug)
        form = ImportForm(request.POST, request.FILES, agencies=agencies)
        if form.is_valid():
            stored = _store(request, target, form)
            if stored is not None:
                return redirect("reports:matrix", agency.slug, stored.year)
            return redirect("reports:import", agency.slug)
    else:
        form = ImportForm(agencies=agencies, initial={"year": timezone.localdate().year - 1})
    recent = (
        ImportedReport.objects.filter(agency__in=expected_agencies(agency))
        .select_related("agency")
        .order_by("-imported_at")[:20]
    )
    return render(
        request,
        "reports/import_upload.html",
        {"agency": agency, "form": form, "may_store": bool(agencies), "recent": recent},
    )


def _store(request, target: Agency, form: ImportForm) -> ImportedReport | None:
    year = form.cleaned_data["year"]
    try:
        read = _read_upload(form.cleaned_data["file"], form.cleaned_data["fmt"])
    except (ReportImportError, ValueError) as exc:
        messages.error(request, _("The file could not be read: %(error)s") % {"error": exc})
        return None
    imported = read.as_dict()
    if imported.get("year") not in (None, year):
        messages.error(
            request,
            _("The file is the report of %(found)s, not of %(year)s.")
            % {"found": imported["year"], "year": year},
        )
        return None
    imported["year"] = year
    try:
        row = report_import_store(
            actor=request.user,
            agency=target,
            imported=imported,
            source_name=Path(form.cleaned_data["file"].name).name,
        )
    except (PermissionDenied, ValidationError) as exc:
        for text in error_texts(exc):
            messages.error(request, text)
        return None
    messages.success(
        request,
        _("Stored: the %(year)s report of %(agency)s (%(cells)s figures).")
        % {
            "year": year,
            "agency": target.name,
            "cells": sum(1 for v in row.cells.values() if v is not None),
        },
    )
    return row
