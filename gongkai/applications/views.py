"""Staff pages of 依申请公开, mounted at /staff/applications/<agency>/ (slug or primary key).

Each view resolves the agency through the scoped selector (an agency whose applications the user
may not read answers 404), parses its input with a form, calls one service or selector, and
renders. Every action on an application is a POST to one URL per action: one service, then a
message and a redirect; a refusal (validation, workflow, permission) is shown on the page with
the form as it was filled in, never as a server error.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.core.exports import export_start
from gongkai.core.models import Agency
from gongkai.core.selectors import current_work_calendar
from gongkai.core.storage import private_file_response
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key, report_error, status_for

from . import (
    defaults,
    exports_queue,
    forms,
    masking,
    permissions,
    presenters,
    reply_views,
    selectors,
    services,
)
from . import render as letter_render
from .models import (
    Application,
    Fee,
)
from .services import ApplicationInput
from .taxonomy import AppealResult, InformationForm
from .view_actions import ACTIONS, _panel
from .workflow import EXTEND, MACHINE, Action, awaiting_correction

PAGE_SIZE = 30
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# --- lookups (scoped: anything outside what the user may read is a 404) ------------------


def _agency(request, key: str) -> Agency:
    """The agency named in the URL, if the user may read its applications."""
    return agency_from_key(
        request, key, selectors.agencies_with_applications_visible_to(request.user)
    )


def _application(request, agency: Agency, pk: int) -> Application:
    rows = selectors.applications_visible_to(request.user).filter(agency=agency)
    return get_object_or_404(rows.select_related("registered_by"), pk=pk)


def _detail_url(agency: Agency, application: Application):
    return redirect("applications:detail", agency=agency.slug, pk=application.pk)


def _nav(request, agency: Agency, current: str) -> dict:
    user = request.user
    return {
        "agency": agency,
        "nav": current,
        "can_handle": permissions.can_handle_application(user, agency),
        "can_manage_templates": permissions.can_manage_letter_templates(user, agency),
        "can_export": permissions.can_export_applications(user, agency),
    }


# --- the queue ---------------------------------------------------------------------------


@require_GET
@staff_required
def queue(request, agency):
    agency = _agency(request, agency)
    handlers = selectors.handlers_for(agency).order_by("last_name", "first_name", "username")
    form = forms.QueueFilterForm(request.GET or None, handlers=handlers)
    filters = form.filters()
    rows = selectors.queue(request.user, agency, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = current_work_calendar()
    today = services.today()
    near = services.settings_for(agency).near_due_workdays
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_nav(request, agency, "queue"),
        "form": form,
        "page": page,
        "rows": [
            (app, presenters.deadline(app, calendar, today, near), masking.masked_phone(app.phone))
            for app in page
        ],
        "query": query.urlencode(),
        "sorts": _sort_links(request.GET, filters["sort"]),
        "export_form": forms.ExportForm(initial={"year": today.year}),
    }
    return render(request, "applications/staff/queue.html", context)


@dataclass(frozen=True)
class SortLink:
    href: str  # the query string that sorts by this column (or reverses it)
    aria: str  # aria-sort of the column header: ascending, descending or none


def _sort_links(params, current: str) -> dict[str, SortLink]:
    """For each sortable column, the link its header carries: ascending first, reversed when
    it is already the sort; the other filters are kept, the page starts again at 1."""
    links = {}
    for key in forms.SORT_KEYS:
        query = params.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if current == key else key
        aria = {key: "ascending", f"-{key}": "descending"}.get(current, "none")
        links[key] = SortLink("?" + query.urlencode(), aria)
    return links


# --- registration by the office ----------------------------------------------------------


def _register_page(request, agency, form, status=200):
    context = {**_nav(request, agency, "new"), "form": form}
    return render(request, "applications/staff/register.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def register(request, agency):
    agency = _agency(request, agency)
    if not permissions.can_handle_application(request.user, agency):
        raise PermissionDenied
    if request.method == "GET":
        return _register_page(request, agency, forms.RegisterForm())
    form = forms.RegisterForm(request.POST)
    if not form.is_valid():
        return _register_page(request, agency, form, status=400)
    try:
        result = services.application_submit(
            agency=agency,
            data=ApplicationInput(**form.applicant_data()),
            channel=form.cleaned_data["channel"],
            actor=request.user,
            received_on=form.cleaned_data["received_on"],
            submission_token=form.cleaned_data["submission_token"],
        )
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form)
        return _register_page(request, agency, form, status=status_for(exc))
    application = result.application
    if not result.created:
        messages.info(request, _("This application was already registered."))
        return _detail_url(agency, application)
    messages.success(
        request,
        _("Application %(number)s registered.") % {"number": application.number},
    )
    # The query code exists only now (it is stored hashed): show it once, on this response.
    application = _application(request, agency, application.pk)
    return _detail_page(request, agency, application, new_code=result.query_code)


# --- the application page ----------------------------------------------------------------


def _can(user, agency, application, result, *, fee, open_consultations, pending_appeals) -> dict:
    """Which action forms the page shows: the workflow allows the move and the user may make it.
    The services check both again; this only keeps impossible buttons off the page."""
    handle = permissions.can_handle_application(user, agency)
    allowed = set(MACHINE.actions(user, application))  # the machine's guards
    correction_asked = result is not None and result.correction_requested_on is not None
    return {
        "confirm_receipt": Action.CONFIRM_RECEIPT in allowed,
        "assign": handle and application.is_open,
        "note": handle,
        "request_correction": Action.REQUEST_CORRECTION in allowed and not correction_asked,
        "receive_correction": Action.RECEIVE_CORRECTION in allowed,
        "lapse_correction": Action.LAPSE_CORRECTION in allowed,
        "start_consultation": Action.START_CONSULTATION in allowed,
        "close_consultation": handle and open_consultations,
        "extend": EXTEND in allowed,
        "fee_notify": Action.NOTIFY_FEE in allowed and fee is None,
        "record_payment": Action.RECORD_PAYMENT in allowed,
        "lapse_fee": Action.LAPSE_FEE in allowed,
        # a reply before the head of the office is redrafted only after it is returned
        "reply": Action.REPLY in allowed and reply_views.open_for_drafting(application),
        "withdraw": Action.WITHDRAW in allowed,
        "archive": Action.ARCHIVE in allowed,
        "file_add": handle and application.is_open,
        "record_appeal": handle and not application.is_open,
        "decide_appeal": handle and pending_appeals,
        "reset_code": handle,
        "reveal": handle,
    }


def _detail_page(
    request,
    agency,
    application,
    *,
    status=200,
    bound: dict | None = None,
    revealed: str = "",
    new_code: str = "",
    quote: dict | None = None,
):
    user = request.user
    bound = bound or {}
    calendar = current_work_calendar()
    today = services.today()
    config = services.settings_for(agency)
    result = services.compute_clock(application, on=today)
    events = list(application.events.select_related("actor").order_by("on", "id"))
    consultations = list(application.consultations.all())
    appeals = list(application.appeals.all())
    fee = Fee.objects.filter(application=application).first()
    letters = list(application.letters.all())
    can = _can(
        user,
        agency,
        application,
        result,
        fee=fee,
        open_consultations=any(c.is_open for c in consultations),
        pending_appeals=any(a.result == AppealResult.PENDING for a in appeals),
    )
    action_forms = {
        name: bound.get(name) or spec.make_form(application, prefix=name)
        for name, spec in ACTIONS.items()
        if can.get(name)
    }
    reply_letter = reply_views.section(user, agency, application)
    reply_next = reply_views.next_step(reply_letter)
    next_step, other_actions = _panel(action_forms, reply_first=reply_next is not None)
    context = {
        **_nav(request, agency, "queue"),
        "application": application,
        "next_step": next_step,
        "other_actions": other_actions,
        # a refused form or a fee quote (bound too) in the folded part opens it, so it shows
        "others_open": any(a.name in bound for a in other_actions),
        "masked_id": masking.masked_id(application.id_type, application.id_number),
        "revealed_id": revealed,
        "new_code": new_code,
        "deadline": presenters.deadline(application, calendar, today, config.near_due_workdays),
        "clock": result,
        "clock_state": presenters.CLOCK_STATES.get(result.state, result.state) if result else "",
        "forms_wanted": [
            InformationForm(v).label for v in application.forms if v in InformationForm.values
        ],
        "correction_notice": presenters.correction_notice(application, result, calendar, today),
        "correction_deadline": services.correction_deadline(application)
        if awaiting_correction(application)
        else None,
        "timeline": presenters.timeline(events),
        "consultations": consultations,
        "fee": fee,
        "quote": quote,
        "letters": letters,
        "reply_letter": reply_letter,
        "reply_next": reply_next,
        "letter_tasks": reply_views.render_states(letters),
        "files": list(application.files.select_related("uploaded_by")),
        "appeals": appeals,
        "can": can,
        "any_action": any(can[name] for name in ACTIONS if name not in ("note", "file_add")),
        "action_forms": action_forms,
    }
    return render(request, "applications/staff/detail.html", context, status=status)


@require_GET
@staff_required
def detail(request, agency, pk):
    agency = _agency(request, agency)
    return _detail_page(request, agency, _application(request, agency, pk))


@require_POST
@staff_required
def action(request, agency, pk, name):
    if name in reply_views.STEPS:
        return reply_views.step(request, agency, pk, name)
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404
    agency = _agency(request, agency)
    application = _application(request, agency, pk)
    form = spec.make_form(application, data=request.POST, files=request.FILES, prefix=name)
    if not form.is_valid():
        messages.error(request, _("Not saved: please correct the errors marked below."))
        return _detail_page(request, agency, application, status=400, bound={name: form})
    try:
        spec.run(request.user, application, form)
    except (ValidationError, PermissionDenied) as exc:  # WorkflowError is a ValidationError
        report_error(request, exc, form)
        return _detail_page(
            request, agency, application, status=status_for(exc), bound={name: form}
        )
    messages.success(request, str(spec.done))
    return _detail_url(agency, application)


@require_POST
@staff_required
def fee_quote(request, agency, pk):
    """The fee a notice would ask for, with its breakdown, before it is sent (nothing written)."""
    agency = _agency(request, agency)
    application = _application(request, agency, pk)
    form = forms.FeeNoticeForm(request.POST, prefix="fee_notify")
    if not permissions.can_handle_application(request.user, agency):
        raise PermissionDenied
    if not form.is_valid():
        return _detail_page(request, agency, application, status=400, bound={"fee_notify": form})
    try:
        amount, breakdown = services.fee_quote(
            application,
            schedule=form.cleaned_data["schedule"],
            pages=form.cleaned_data["pages"] or 0,
        )
    except ValidationError as exc:
        report_error(request, exc, form)
        return _detail_page(request, agency, application, status=400, bound={"fee_notify": form})
    quote = {"amount": amount, "text": services.describe_fee(breakdown)}
    return _detail_page(request, agency, application, bound={"fee_notify": form}, quote=quote)


@require_POST
@staff_required
def reveal_identity(request, agency, pk):
    """The full document number, shown on this response only; the look is audited."""
    agency = _agency(request, agency)
    application = _application(request, agency, pk)
    try:
        number = services.application_reveal_identity(actor=request.user, application=application)
    except PermissionDenied as exc:
        report_error(request, exc)
        return _detail_page(request, agency, application, status=403)
    return _detail_page(request, agency, application, revealed=number)


@require_POST
@staff_required
def reset_code(request, agency, pk):
    """A new query code for the applicant, shown once (only its hash is stored)."""
    agency = _agency(request, agency)
    application = _application(request, agency, pk)
    try:
        code = services.application_reset_query_code(actor=request.user, application=application)
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc)
        return _detail_page(request, agency, application, status=status_for(exc))
    messages.success(request, _("A new query code was made; the old one no longer works."))
    return _detail_page(request, agency, application, new_code=code)


@require_GET
@staff_required
def letter_download(request, agency, pk, letter, fmt):
    if fmt not in ("docx", "pdf"):
        raise Http404
    agency = _agency(request, agency)
    application = _application(request, agency, pk)
    letter = get_object_or_404(application.letters.select_related("application"), pk=letter)
    filename = letter_render.download_name(letter, fmt)
    try:
        response = private_file_response(
            letter_render.letter_file(letter, fmt),
            filename=filename,
            content_type=CONTENT_TYPES[fmt],
        )
    except FileNotFoundError:
        raise Http404 from None
    services.application_download(
        actor=request.user, application=application, what="letter", name=filename
    )
    return response


@require_GET
@staff_required
def file_download(request, agency, pk, file):
    agency = _agency(request, agency)
    application = _application(request, agency, pk)
    stored = get_object_or_404(application.files.all(), pk=file)
    try:
        response = private_file_response(
            stored.file, filename=stored.original_name, content_type=stored.content_type
        )
    except FileNotFoundError:
        raise Http404 from None
    services.application_download(
        actor=request.user, application=application, what="file", name=stored.original_name
    )
    return response


# --- export ------------------------------------------------------------------------------


@require_POST
@staff_required
def export(request, agency):
    agency = _agency(request, agency)
    form = forms.ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year and a format to export."))
        return redirect("applications:queue", agency=agency.slug)
    year, fmt = form.cleaned_data["year"], form.cleaned_data["format"]
    try:
        # built in the background (exports_queue); its page shows the progress, then the file
        queued = export_start(
            actor=request.user,
            agency=agency,
            kind=exports_queue.APPLICATIONS_EXPORT,
            params={"year": year, "format": fmt},
        )
    except PermissionDenied as exc:
        report_error(request, exc)
        return redirect("applications:queue", agency=agency.slug)
    return redirect("core:export", pk=queued.pk)


# --- letter templates (their rows and placeholders: presenters) ---------------------------


def _require_template_manager(request, agency) -> None:
    if not permissions.can_manage_letter_templates(request.user, agency):
        raise PermissionDenied


@require_GET
@staff_required
def letter_templates(request, agency):
    agency = _agency(request, agency)
    _require_template_manager(request, agency)
    context = {**_nav(request, agency, "templates"), "rows": presenters.template_rows(agency)}
    return render(request, "applications/staff/letter_templates.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def letter_template_edit(request, agency, key):
    agency = _agency(request, agency)
    _require_template_manager(request, agency)
    row = next((r for r in presenters.template_rows(agency) if r.key == key), None)
    if row is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = forms.LetterTemplateForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                template = services.letter_template_update(
                    actor=request.user,
                    agency=agency,
                    kind=row.kind,
                    family=row.family,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except (ValidationError, PermissionDenied) as exc:
                report_error(request, exc, form)
                status = status_for(exc)
            else:
                messages.success(
                    request,
                    _("Version %(n)d saved; letters from now on use it.") % {"n": template.version},
                )
                return redirect("applications:letter-template", agency=agency.slug, key=key)
    else:
        form = forms.LetterTemplateForm(initial={"title": row.title, "body": row.body})
    builtin = presenters.placeholders_in(defaults.template(row.kind, row.family)[1])
    names = presenters.COMMON_PLACEHOLDERS + [
        n for n in builtin if n not in presenters.COMMON_PLACEHOLDERS
    ]
    context = {
        **_nav(request, agency, "templates"),
        "row": row,
        "form": form,
        "history": selectors.letter_template_history(agency, row.kind, row.family),
        "placeholders": [(name, presenters.PLACEHOLDERS.get(name, "")) for name in names],
    }
    return render(request, "applications/staff/letter_template_edit.html", context, status=status)
