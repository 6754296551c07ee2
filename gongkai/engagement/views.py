"""Staff pages of 回应解读 and 找错, mounted at /staff/engagement/. `agency` is the slug.

Each view resolves the agency through the scoped selector (another agency answers 404), parses
its input with a form, calls one service and renders; service errors are shown on the page.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.core import selectors as core_selectors
from gongkai.core.models import Agency
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key, report_error, status_for

from . import forms, permissions, selectors, services
from .taxonomy import ErrorStatus, ResponseChannel
from .workflow import ERROR_REPORTS, INCIDENTS

PAGE_SIZE = 30


def _nav(request, agency: Agency, current: str) -> dict:
    return {
        "agency": agency,
        "nav": current,
        "can_record": permissions.can_record_engagement(request.user, agency),
        "can_handle": permissions.can_handle_error_report(request.user, agency),
    }


def _year(request) -> int:
    form = forms.YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return timezone.localdate().year


# --- overview ------------------------------------------------------------------------------


@require_GET
@staff_required
def overview(request, agency):
    """The period's figures (统计表 二、回应解读情况 and the counts the report text quotes)."""
    agency = agency_from_key(request, agency)
    year = _year(request)
    start, end = date(year, 1, 1), date(year, 12, 31)
    summary = selectors.period_summary(agency, start, end)
    channels = [
        (label, summary.per_channel.get(code, 0)) for code, label in ResponseChannel.choices
    ]
    context = {
        **_nav(request, agency, "overview"),
        "year": year,
        "summary": summary,
        "channels": channels,
        "incidents_open": selectors.incidents_open(agency),
        "errors_open": selectors.error_reports_open(agency),
    }
    return render(request, "engagement/overview.html", context)


# --- incidents -----------------------------------------------------------------------------


@require_GET
@staff_required
def incident_list(request, agency):
    agency = agency_from_key(request, agency)
    form = forms.IncidentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    incidents = selectors.agency_incidents(
        request.user, agency=agency, status=filters.get("status", ""), year=filters.get("year")
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_nav(request, agency, "incidents"),
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "engagement/incident_list.html", context)


def _form_page(request, agency, template, nav, status=200, **context):
    return render(request, template, {**_nav(request, agency, nav), **context}, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def incident_create(request, agency):
    agency = agency_from_key(request, agency)
    if not permissions.can_record_engagement(request.user, agency):
        raise PermissionDenied
    if request.method == "GET":
        form = forms.IncidentForm(initial={"first_seen_on": timezone.localdate()})
        return _form_page(request, agency, "engagement/incident_form.html", "incidents", form=form)
    form = forms.IncidentForm(request.POST)
    if form.is_valid():
        try:
            incident = services.incident_create(
                actor=request.user, agency=agency, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            report_error(request, exc, form, all_on_form=True)
            return _form_page(
                request,
                agency,
                "engagement/incident_form.html",
                "incidents",
                status=status_for(exc),
                form=form,
            )
        messages.success(request, _("Incident recorded."))
        return redirect("engagement:incident-detail", agency=agency.slug, pk=incident.pk)
    return _form_page(
        request, agency, "engagement/incident_form.html", "incidents", status=400, form=form
    )


def _incident(request, agency, pk):
    incident = selectors.incident_with_responses(request.user, agency=agency, pk=pk)
    if incident is None:
        raise Http404
    return incident


def _incident_page(request, agency, incident, status=200, **bound):
    context = {
        **_nav(request, agency, "incidents"),
        "incident": incident,
        "actions": INCIDENTS.actions(request.user, incident),
        "response_form": bound.get("response_form")
        or forms.ResponseForm(initial={"responded_on": timezone.localdate()}),
        "close_form": bound.get("close_form")
        or forms.IncidentCloseForm(
            initial={"closed_on": timezone.localdate(), "handling": incident.handling}
        ),
        "timeline": selectors.record_timeline(request.user, incident),
    }
    return render(request, "engagement/incident_detail.html", context, status=status)


@require_GET
@staff_required
def incident_detail(request, agency, pk):
    agency = agency_from_key(request, agency)
    return _incident_page(request, agency, _incident(request, agency, pk))


@require_http_methods(["GET", "POST"])
@staff_required
def incident_edit(request, agency, pk):
    agency = agency_from_key(request, agency)
    incident = _incident(request, agency, pk)
    if not permissions.can_record_engagement(request.user, agency):
        raise PermissionDenied
    template = "engagement/incident_form.html"
    if request.method == "GET":
        form = forms.IncidentForm.for_incident(incident)
        return _form_page(request, agency, template, "incidents", form=form, incident=incident)
    form = forms.IncidentForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.incident_update(actor=request.user, incident=incident, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            report_error(request, exc, form, all_on_form=True)
            status = status_for(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("engagement:incident-detail", agency=agency.slug, pk=incident.pk)
    return _form_page(
        request, agency, template, "incidents", status=status, form=form, incident=incident
    )


@require_POST
@staff_required
def incident_respond(request, agency, pk):
    agency = agency_from_key(request, agency)
    incident = _incident(request, agency, pk)
    form = forms.ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.incident_respond(actor=request.user, incident=incident, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            report_error(request, exc, form, all_on_form=True)
            return _incident_page(
                request, agency, incident, status=status_for(exc), response_form=form
            )
        messages.success(request, _("Response recorded."))
        return redirect("engagement:incident-detail", agency=agency.slug, pk=incident.pk)
    return _incident_page(request, agency, incident, status=400, response_form=form)


@require_POST
@staff_required
def incident_close(request, agency, pk):
    agency = agency_from_key(request, agency)
    incident = _incident(request, agency, pk)
    form = forms.IncidentCloseForm(request.POST)
    if form.is_valid():
        try:
            services.incident_close(actor=request.user, incident=incident, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            report_error(request, exc, form, all_on_form=True)
            return _incident_page(
                request, agency, incident, status=status_for(exc), close_form=form
            )
        messages.success(request, _("Incident closed."))
        return redirect("engagement:incident-detail", agency=agency.slug, pk=incident.pk)
    return _incident_page(request, agency, incident, status=400, close_form=form)


@require_POST
@staff_required
def incident_reopen(request, agency, pk):
    agency = agency_from_key(request, agency)
    incident = _incident(request, agency, pk)
    try:
        services.incident_reopen(actor=request.user, incident=incident)
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc)
        return _incident_page(request, agency, incident, status=status_for(exc))
    messages.success(request, _("Incident reopened."))
    return redirect("engagement:incident-detail", agency=agency.slug, pk=incident.pk)


# --- press conferences ---------------------------------------------------------------------


@require_GET
@staff_required
def conference_list(request, agency):
    agency = agency_from_key(request, agency)
    form = forms.YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    conferences = selectors.agency_conferences(request.user, agency=agency, year=year)
    page = Paginator(conferences, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {**_nav(request, agency, "conferences"), "form": form, "page": page}
    return render(request, "engagement/conference_list.html", context)


def _conference_form(request, agency, data=None, initial=None):
    incidents = selectors.incidents_visible_to(request.user).filter(agency=agency)
    return forms.ConferenceForm(data, initial=initial, incidents=incidents)


@require_http_methods(["GET", "POST"])
@staff_required
def conference_edit(request, agency, pk=None):
    agency = agency_from_key(request, agency)
    if not permissions.can_record_engagement(request.user, agency):
        raise PermissionDenied
    conference = None
    if pk is not None:
        conference = get_object_or_404(
            selectors.conferences_visible_to(request.user).filter(agency=agency), pk=pk
        )
    template = "engagement/conference_form.html"
    if request.method == "GET":
        initial = (
            {name: getattr(conference, name) for name in forms.ConferenceForm.base_fields}
            if conference
            else {"held_on": timezone.localdate()}
        )
        form = _conference_form(request, agency, initial=initial)
        return _form_page(
            request, agency, template, "conferences", form=form, conference=conference
        )
    form = _conference_form(request, agency, request.POST)
    status = 400
    if form.is_valid():
        try:
            if conference is None:
                services.conference_create(actor=request.user, agency=agency, **form.cleaned_data)
            else:
                services.conference_update(
                    actor=request.user, conference=conference, data=form.cleaned_data
                )
        except (ValidationError, PermissionDenied) as exc:
            report_error(request, exc, form, all_on_form=True)
            status = status_for(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("engagement:conference-list", agency=agency.slug)
    return _form_page(
        request, agency, template, "conferences", status=status, form=form, conference=conference
    )


# --- interpretations -----------------------------------------------------------------------


@require_GET
@staff_required
def interpretation_list(request, agency):
    agency = agency_from_key(request, agency)
    form = forms.YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    found = selectors.agency_interpretations(request.user, agency=agency, year=year)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {**_nav(request, agency, "interpretations"), "form": form, "page": page}
    return render(request, "engagement/interpretation_list.html", context)


@require_GET
@staff_required
def interpretation_check(request, agency):
    """Each published 行政规范性文件: interpreted or not, and how many working days later."""
    agency = agency_from_key(request, agency)
    form = forms.YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    checks = selectors.normative_interpretation_checks(
        request.user,
        agency=agency,
        calendar=core_selectors.current_work_calendar(),
        year=year,
    )
    context = {
        **_nav(request, agency, "check"),
        "form": form,
        "checks": checks,
        "threshold": selectors.INTERPRETATION_SYNC_WORKDAYS,
    }
    return render(request, "engagement/interpretation_check.html", context)


def _interpretation_form(agency, data=None, initial=None):
    return forms.InterpretationEditForm(
        data,
        initial=initial,
        policies=selectors.policies_of(agency),
        items=selectors.interpretation_items_of(agency),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def interpretation_edit(request, agency, pk=None):
    agency = agency_from_key(request, agency)
    if not permissions.can_record_engagement(request.user, agency):
        raise PermissionDenied
    interpretation = None
    if pk is not None:
        interpretation = get_object_or_404(
            selectors.interpretations_visible_to(request.user).filter(agency=agency), pk=pk
        )
    template = "engagement/interpretation_form.html"
    if request.method == "GET":
        if interpretation:
            initial = {
                name: getattr(interpretation, name)
                for name in forms.InterpretationEditForm.base_fields
            }
        else:
            initial = {"policy": request.GET.get("policy")}
        form = _interpretation_form(agency, initial=initial)
        return _form_page(
            request,
            agency,
            template,
            "interpretations",
            form=form,
            interpretation=interpretation,
        )
    form = _interpretation_form(agency, request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            if interpretation is None:
                services.interpretation_create(actor=request.user, agency=agency, **data)
            else:
                services.interpretation_update(
                    actor=request.user, interpretation=interpretation, data=data
                )
        except (ValidationError, PermissionDenied) as exc:
            report_error(request, exc, form, all_on_form=True)
            status = status_for(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("engagement:interpretation-list", agency=agency.slug)
    return _form_page(
        request,
        agency,
        template,
        "interpretations",
        status=status,
        form=form,
        interpretation=interpretation,
    )


# --- 找错 queue ----------------------------------------------------------------------------


@require_GET
@staff_required
def error_list(request, agency):
    agency = agency_from_key(request, agency)
    form = forms.ErrorFilterForm(request.GET or {"status": "open"})
    filters = form.cleaned_data if form.is_valid() else {"status": "open"}
    reports = selectors.agency_error_reports(
        request.user, agency=agency, status=filters.get("status", ""), mine=filters.get("mine")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(report, services.masked_contact(report.contact)) for report in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_nav(request, agency, "errors"),
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
    }
    return render(request, "engagement/error_list.html", context)


def _error(request, agency, pk):
    return get_object_or_404(
        selectors.error_reports_visible_to(request.user).filter(agency=agency), pk=pk
    )


def _error_page(request, agency, report, status=200, **bound):
    today = timezone.localdate()
    context = {
        **_nav(request, agency, "errors"),
        "report": report,
        "contact": services.masked_contact(report.contact),
        "actions": ERROR_REPORTS.actions(request.user, report),
        "assign_form": bound.get("assign_form")
        or forms.AssignForm(
            initial={"assignee": report.assignee_id},
            users=selectors.assignable_users(agency),
        ),
        "reply_form": bound.get("reply_form") or forms.ReplyForm(initial={"reply": report.reply}),
        "close_form": bound.get("close_form") or forms.ErrorCloseForm(initial={"closed_on": today}),
        "timeline": selectors.record_timeline(request.user, report),
        "closed": report.status == ErrorStatus.CLOSED,
    }
    return render(request, "engagement/error_detail.html", context, status=status)


@require_GET
@staff_required
def error_detail(request, agency, pk):
    agency = agency_from_key(request, agency)
    return _error_page(request, agency, _error(request, agency, pk))


def _error_action(request, agency, pk, *, form_name, make_form, run, done):
    agency = agency_from_key(request, agency)
    report = _error(request, agency, pk)
    form = make_form(request.POST, agency) if make_form else None
    if form is not None and not form.is_valid():
        return _error_page(request, agency, report, status=400, **{form_name: form})
    try:
        run(report, form.cleaned_data if form is not None else {})
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form, all_on_form=True)
        bound = {form_name: form} if form is not None else {}
        return _error_page(request, agency, report, status=status_for(exc), **bound)
    messages.success(request, done)
    return redirect("engagement:error-detail", agency=agency.slug, pk=report.pk)


@require_POST
@staff_required
def error_assign(request, agency, pk):
    return _error_action(
        request,
        agency,
        pk,
        form_name="assign_form",
        make_form=lambda data, a: forms.AssignForm(data, users=selectors.assignable_users(a)),
        run=lambda report, data: services.error_report_assign(
            actor=request.user, report=report, assignee=data["assignee"]
        ),
        done=_("Report assigned."),
    )


@require_POST
@staff_required
def error_reply(request, agency, pk):
    return _error_action(
        request,
        agency,
        pk,
        form_name="reply_form",
        make_form=lambda data, a: forms.ReplyForm(data),
        run=lambda report, data: services.error_report_reply(
            actor=request.user, report=report, reply=data["reply"]
        ),
        done=_("Reply saved; the reporter can read it now."),
    )


@require_POST
@staff_required
def error_rework(request, agency, pk):
    return _error_action(
        request,
        agency,
        pk,
        form_name="",
        make_form=None,
        run=lambda report, data: services.error_report_rework(actor=request.user, report=report),
        done=_("Report taken back for more work."),
    )


@require_POST
@staff_required
def error_close(request, agency, pk):
    return _error_action(
        request,
        agency,
        pk,
        form_name="close_form",
        make_form=lambda data, a: forms.ErrorCloseForm(data),
        run=lambda report, data: services.error_report_close(
            actor=request.user, report=report, **data
        ),
        done=_("Report closed."),
    )
