"""Staff pages of the annual reports, mounted at /staff/reports/.

Each view resolves the agency through the scoped selector (another agency answers 404), parses
its input, calls one service, and renders. Service errors are shown as messages, never as a
server error.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from gongkai.core import selectors as core_selectors
from gongkai.core.converters import ID_MAX
from gongkai.core.exports import export_start
from gongkai.core.models import Agency
from gongkai.core.params import int_param
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key, report_error

from . import exports, exports_queue, permissions, selectors, services
from .compute import compute_report
from .exports.html import sections
from .exports.layout import shown
from .formats import KEYS, for_year
from .lint import lint_agency
from .models import Report, ReportStatus
from .narrative_editor import figures
from .workflow import MACHINE

ACTIONS = {
    "submit": gettext_lazy("Submit for review"),
    "return": gettext_lazy("Return to draft"),
    "publish": gettext_lazy("Publish"),
    "reopen": gettext_lazy("Reopen for a correction"),
}
# built in the request: they cost what the report page costs; DOCX and PDF are exports built
# in the background (exports_queue.BACKGROUND_KINDS, the report-export view)
STAFF_DOWNLOADS = ("xlsx", "html", "json")


class StartForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2008, max_value=2100)
    fmt = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("", gettext_lazy("(the format due that year)"))] + [(k, k) for k in KEYS],
        required=False,
    )


class EntryForm(forms.Form):
    cell_key = forms.CharField(max_length=300, widget=forms.HiddenInput)
    value = forms.CharField(label=gettext_lazy("Value"), max_length=30, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class NarrativeForm(forms.Form):
    section = forms.CharField(max_length=200, widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.Textarea)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(k, k) for k in ACTIONS])
    correction_note = forms.CharField(
        label=gettext_lazy("Correction note"), required=False, widget=forms.Textarea
    )


def _error(request, exc: Exception) -> None:
    # a refusal reads the same whatever the predicate said; the rest as every app shows them
    if isinstance(exc, PermissionDenied):
        messages.error(request, _("You may not do that."))
        return
    report_error(request, exc)


@staff_required
@require_safe
def index(request):
    """The agencies the user may see, with how many reports each has per status."""
    agencies = (
        core_selectors.agencies_visible_to(request.user)
        .annotate(
            drafts=Count("reports", filter=Q(reports__status=ReportStatus.DRAFT)),
            in_review=Count("reports", filter=Q(reports__status=ReportStatus.IN_REVIEW)),
            published=Count("reports", filter=Q(reports__version__gt=0)),
        )
        .order_by("name")
    )
    return render(request, "reports/index.html", {"agencies": agencies})


@staff_required
@require_safe
def report_list(request, agency: str):
    """The agency's reports: year, format, status, last published version."""
    agency = agency_from_key(request, agency)
    reports = (
        selectors.reports_visible_to(request.user)
        .filter(agency=agency)
        .annotate(versions_count=Count("versions"))
        .order_by("-year")
    )
    year = timezone.localdate().year - 1
    form = StartForm(initial={"year": year})
    return render(
        request,
        "reports/report_list.html",
        {
            "agency": agency,
            "reports": reports,
            "form": form,
            "can_start": permissions.can_enter_report_figures(request.user, agency),
        },
    )


@staff_required
@require_POST
def report_start(request, agency: str):
    agency = agency_from_key(request, agency)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a year."))
        return redirect("reports:report-list", agency.slug)
    year = form.cleaned_data["year"]
    fmt = form.cleaned_data["fmt"] or for_year(year).key
    try:
        services.report_start(actor=request.user, agency=agency, year=year, fmt=fmt)
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
        return redirect("reports:report-list", agency.slug)
    return redirect("reports:report", agency.slug, year)


def _state(request, agency: Agency, year: int):
    report = Report.objects.filter(agency=agency, year=year).select_related("submitted_by").first()
    fmt = report.format if report else request.GET.get("format", "")
    if fmt not in KEYS:
        fmt = for_year(year).key
    return report, fmt


def _names_unit(label: str, unit: str) -> bool:
    return bool(unit) and (f"单位：{unit}" in label or f"（{unit}）" in label)


@staff_required
@require_safe
def report_detail(request, agency: str, year: int):
    """The report as computed now: every table with the source of each cell, the entered cells
    editable while it is a draft, the lint findings, the lifecycle actions and the downloads."""
    agency = agency_from_key(request, agency)
    report, fmt = _state(request, agency, year)
    computed = compute_report(agency, year, fmt)
    doc = exports.from_computed(computed, report.narrative if report else {})
    editable = (report is None or report.status == ReportStatus.DRAFT) and (
        permissions.can_enter_report_figures(request.user, agency)
    )
    entries = []
    if editable:
        index = doc.format.cell_index()
        for key, (row, _column) in index.items():
            if row.entered:
                value = computed.cells.get(key)
                entries.append(
                    {
                        "key": key,
                        # a column label that names its unit ("本年收费金额（单位：万元）") is
                        # not followed by it a second time
                        "unit": "" if _names_unit(key, row.unit) else row.unit,
                        "form": EntryForm(
                            initial={
                                "cell_key": key,
                                "value": shown(value),
                                "note": computed.entry_notes.get(key, ""),
                            }
                        ),
                    }
                )
    _report, findings = lint_agency(agency, year, fmt)
    actions = []
    if report is not None:
        # the steps the user may take now: the guards report_transition applies
        actions = [(action, ACTIONS[action]) for action in MACHINE.actions(request.user, report)]
    versions = report.versions.order_by("-number") if report else []
    narrative_forms, narrative_figures = [], []
    if report is not None and permissions.can_edit_report(request.user, report):
        # a section whose text the service refused comes back as the officer wrote it
        unsaved = request.session.pop(UNSAVED_NARRATIVE, None) or {}
        refused = unsaved.get("section") if unsaved.get("report") == report.pk else None
        for section in doc.format.sections:
            mine = refused is not None and section.title == refused
            narrative_forms.append(
                {
                    "title": section.title,
                    "text": unsaved["text"] if mine else report.narrative.get(section.title, ""),
                    "error": unsaved.get("error", "") if mine else "",
                }
            )
        narrative_figures = figures(doc.format, doc.cells)
    parts = sections(doc, computed.sources)
    for part in parts:
        for grid in part.grids:
            grid.row_sources = [
                (
                    row.label or grid.table.title,
                    _("entered by staff") if row.entered else row.source,
                )
                for row in grid.table.data_rows()
            ]
    return render(
        request,
        "reports/report_detail.html",
        {
            "agency": agency,
            "year": year,
            "fmt": doc.format,
            "report": report,
            "doc": doc,
            "title": doc.title,
            "sections": parts,
            "notes": computed.provisional_notes,
            "entries": entries,
            "findings": findings,
            "actions": actions,
            "versions": versions,
            "narrative_forms": narrative_forms,
            "narrative_figures": narrative_figures,
            "downloads": STAFF_DOWNLOADS,
            "exports": exports_queue.BACKGROUND_KINDS,
            "can_start": report is None
            and permissions.can_enter_report_figures(request.user, agency),
            "start_form": StartForm(initial={"year": year, "fmt": fmt}),
        },
    )


@staff_required
@require_POST
def entry_set(request, agency: str, year: int):
    agency = agency_from_key(request, agency)
    report, fmt = _state(request, agency, year)
    form = EntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The figure was not understood."))
        return redirect("reports:report", agency.slug, year)
    try:
        services.report_entry_set(
            actor=request.user,
            agency=agency,
            year=year,
            fmt=fmt,
            cell_key=form.cleaned_data["cell_key"],
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("reports:report", agency.slug, year)


def _own_report(request, agency: Agency, year: int) -> Report:
    report = selectors.reports_visible_to(request.user).filter(agency=agency, year=year).first()
    if report is None:
        raise Http404
    return report


# the session key of a narrative section the service refused, shown again by report_detail
UNSAVED_NARRATIVE = "reports.narrative_unsaved"


@staff_required
@require_POST
def narrative_set(request, agency: str, year: int):
    """Save the text of one section of the narrative."""
    agency = agency_from_key(request, agency)
    report = _own_report(request, agency, year)
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The text was not understood."))
        return redirect("reports:report", agency.slug, year)
    try:
        services.report_narrative_set(
            actor=request.user,
            report=report,
            narrative={form.cleaned_data["section"]: form.cleaned_data["text"]},
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
        if isinstance(exc, ValidationError):
            # nothing the officer wrote is lost: the page shows the refused text again
            request.session[UNSAVED_NARRATIVE] = {
                "report": report.pk,
                "section": form.cleaned_data["section"],
                "text": form.cleaned_data["text"],
                "error": " ".join(exc.messages),
            }
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("reports:report", args=[agency.slug, year]) + "#narrative")


@staff_required
@require_POST
def narrative_draft(request, agency: str, year: int):
    """Fill the empty sections of the narrative with a draft written from the records."""
    agency = agency_from_key(request, agency)
    report = _own_report(request, agency, year)
    try:
        services.report_narrative_draft(actor=request.user, report=report)
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The empty sections were drafted from the records."))
    return redirect(reverse("reports:report", args=[agency.slug, year]) + "#narrative")


@staff_required
@require_POST
def report_transition(request, agency: str, year: int):
    agency = agency_from_key(request, agency)
    report = selectors.reports_visible_to(request.user).filter(agency=agency, year=year).first()
    if report is None:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("reports:report", agency.slug, year)
    try:
        services.report_transition(
            actor=request.user,
            report=report,
            action=form.cleaned_data["action"],
            correction_note=form.cleaned_data["correction_note"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("reports:report", agency.slug, year)


@staff_required
@require_POST
def report_export(request, agency: str, year: int, kind: str):
    """Start the DOCX or PDF of the report as computed now (a draft), or with ?version=N of a
    published version, built in the background; the export's page shows it when ready."""
    agency = agency_from_key(request, agency)
    if kind not in exports_queue.BACKGROUND_KINDS:
        raise Http404
    report, fmt = _state(request, agency, year)
    params: dict = {"year": year, "kind": kind, "format": fmt, "version": None}
    raw = request.GET.get("version", "")
    if raw:
        number = int_param(raw, minimum=1, maximum=ID_MAX)
        if report is None or number is None or not report.versions.filter(number=number).exists():
            raise Http404
        params["version"] = number
    try:
        queued = export_start(
            actor=request.user, agency=agency, kind=exports_queue.REPORT_EXPORT, params=params
        )
    except PermissionDenied:
        raise Http404 from None
    return redirect("core:export", pk=queued.pk)


@staff_required
@require_safe
def report_download(request, agency: str, year: int, kind: str):
    """The report as computed now (a draft), or with ?version=N a published version."""
    agency = agency_from_key(request, agency)
    if kind not in STAFF_DOWNLOADS:
        raise Http404
    report, fmt = _state(request, agency, year)
    raw = request.GET.get("version", "")
    if raw:
        number = int_param(raw, minimum=1, maximum=ID_MAX)
        if report is None or number is None:
            raise Http404
        version = report.versions.filter(number=number).first()
        if version is None:
            raise Http404
        doc = exports.from_version(version)
    else:
        computed = compute_report(agency, year, fmt)
        doc = exports.from_computed(computed, report.narrative if report else {})
    out = exports.export(doc, kind)
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = content_disposition_header(True, out.filename)
    return response
