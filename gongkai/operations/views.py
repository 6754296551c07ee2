"""Staff pages of the operations records, mounted at /staff/operations/.

Every record type has a list (filtered by year and, where it has them, status or platform), a
create page and an edit page; each view resolves the agency through the scoped selector (another
agency answers 404), parses its input with a form, calls one service and renders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai import privacy
from gongkai.catalogue.selectors import channels_visible_to
from gongkai.core import staging
from gongkai.core.models import Agency
from gongkai.core.params import int_param
from gongkai.core.tables import RowError
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import (
    agency_from_key,
    import_run_page,
    report_error,
    status_for,
)
from gongkai.privacy.findings import PERSON_NAME

from . import dashboard as dashboard_data
from . import forms, imports, imports_queue, permissions, selectors, services, workflow
from .models import (
    AccountStatus,
    Complaint,
    ComplaintStatus,
    Meeting,
    NewMediaAccount,
    OfficeYear,
    Platform,
    PostCount,
    SpecialFund,
    Training,
)

PAGE_SIZE = 50

# --- lookups -------------------------------------------------------------------------------


def _agency(request, key: str) -> Agency:
    """The agency named in the URL, if the user may read its operations records."""
    return agency_from_key(
        request, key, selectors.agencies_with_operations_visible_to(request.user)
    )


def _d(value: date | None) -> str:
    return date_format(value, "Y-m-d") if value else "—"


def _masked_name(name: str) -> str:
    return privacy.mask_value(PERSON_NAME, name) if name else "—"


# --- the record types ----------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How the generic pages show and write one record type."""

    slug: str
    title: object  # lazy text
    queryset: Callable  # selectors.<x>_visible_to(user)
    date_field: str  # "year" or the record's date, for the year filter
    headings: list
    cells: Callable  # (obj) -> list of cell texts
    form: type
    edit_form: type
    create: Callable  # (actor, agency, cleaned_data) -> obj
    update: Callable  # (actor, obj, cleaned_data) -> obj
    can_write: Callable = permissions.can_manage_operations
    form_kwargs: Callable = lambda request, agency: {}  # noqa: E731
    agency_path: str = "agency"
    filters: tuple[str, ...] = ()
    hint: object = ""
    extra: dict = field(default_factory=dict)


def _office_cells(o: OfficeYear) -> list:
    return [o.year, o.name or "—", o.units, o.full_time_staff, o.part_time_staff]


def _fund_cells(f: SpecialFund) -> list:
    return [f.year, f.purpose, f"{f.amount_wan.normalize():f}"]


def _meeting_cells(m: Meeting) -> list:
    return [_d(m.held_on), m.title, m.get_kind_display()]


def _training_cells(t: Training) -> list:
    return [_d(t.held_on), t.title, t.attendees]


def _complaint_cells(c: Complaint) -> list:
    return [
        _d(c.received_on),
        c.get_channel_display(),
        _masked_name(c.complainant),
        privacy.mask(c.summary)[:80],
        c.get_status_display(),
        _d(c.closed_on),
    ]


def _account_cells(a: NewMediaAccount) -> list:
    return [
        a.get_platform_display(),
        a.name,
        a.account or "—",
        a.get_status_display(),
        _d(a.opened_on),
        _d(a.closed_on),
    ]


def _post_cells(p: PostCount) -> list:
    return [str(p.account), _d(p.period_start), _d(p.period_end), p.count, p.get_source_display()]


def _channel_kwargs(request, agency):
    return {"channels": channels_visible_to(request.user).filter(agency=agency)}


def _account_kwargs(request, agency):
    return {"accounts": selectors.accounts_visible_to(request.user).filter(agency=agency)}


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind(
            slug="office",
            title=gettext_lazy("Disclosure office and staff"),
            queryset=selectors.office_years_visible_to,
            date_field="year",
            headings=[
                "年度",
                gettext_lazy("Office name"),
                "专门机构数（个）",
                "专职人员数（人）",
                "兼职人员数（人）",
            ],
            cells=_office_cells,
            form=forms.OfficeYearForm,
            edit_form=forms.OfficeYearEditForm,
            create=lambda actor, agency, data: services.office_year_create(
                actor=actor, agency=agency, **data
            ),
            update=lambda actor, obj, data: services.office_year_update(
                actor=actor, office=obj, data=data
            ),
            hint=gettext_lazy("One record per year: the 统计表 section 八（一）（二）."),
        ),
        Kind(
            slug="funds",
            title=gettext_lazy("Special funds"),
            queryset=selectors.funds_visible_to,
            date_field="year",
            headings=["年度", gettext_lazy("Purpose"), "政府信息公开专项经费（万元）"],
            cells=_fund_cells,
            form=forms.FundForm,
            edit_form=forms.FundForm,
            create=lambda actor, agency, data: services.fund_create(
                actor=actor, agency=agency, **data
            ),
            update=lambda actor, obj, data: services.fund_update(actor=actor, fund=obj, data=data),
            hint=gettext_lazy(
                "Not including the costs of the government gazette and of the website (统计表 八（三））."
            ),
        ),
        Kind(
            slug="meetings",
            title=gettext_lazy("Meetings"),
            queryset=selectors.meetings_visible_to,
            date_field="held_on",
            headings=[gettext_lazy("Date"), gettext_lazy("Title"), gettext_lazy("Kind")],
            cells=_meeting_cells,
            form=forms.MeetingForm,
            edit_form=forms.MeetingForm,
            create=lambda actor, agency, data: services.meeting_create(
                actor=actor, agency=agency, **data
            ),
            update=lambda actor, obj, data: services.meeting_update(
                actor=actor, meeting=obj, data=data
            ),
        ),
        Kind(
            slug="trainings",
            title=gettext_lazy("Trainings"),
            queryset=selectors.trainings_visible_to,
            date_field="held_on",
            headings=[gettext_lazy("Date"), gettext_lazy("Title"), "接受培训人员数（人次）"],
            cells=_training_cells,
            form=forms.TrainingForm,
            edit_form=forms.TrainingForm,
            create=lambda actor, agency, data: services.training_create(
                actor=actor, agency=agency, **data
            ),
            update=lambda actor, obj, data: services.training_update(
                actor=actor, training=obj, data=data
            ),
        ),
        Kind(
            slug="complaints",
            title=gettext_lazy("Complaints and reports"),
            queryset=selectors.complaints_visible_to,
            date_field="received_on",
            headings=[
                gettext_lazy("Received on"),
                gettext_lazy("Channel"),
                gettext_lazy("Complainant"),
                gettext_lazy("Summary"),
                gettext_lazy("Status"),
                gettext_lazy("Closed on"),
            ],
            cells=_complaint_cells,
            form=forms.ComplaintForm,
            edit_form=forms.ComplaintForm,
            create=lambda actor, agency, data: services.complaint_create(
                actor=actor, agency=agency, **data
            ),
            update=lambda actor, obj, data: services.complaint_update(
                actor=actor, complaint=obj, data=data
            ),
            can_write=permissions.can_handle_complaint,
            filters=("status",),
        ),
        Kind(
            slug="accounts",
            title=gettext_lazy("New-media accounts"),
            queryset=selectors.accounts_visible_to,
            date_field="",
            headings=[
                gettext_lazy("Platform"),
                gettext_lazy("Name"),
                gettext_lazy("Account"),
                gettext_lazy("Status"),
                gettext_lazy("Opened on"),
                gettext_lazy("Closed on"),
            ],
            cells=_account_cells,
            form=forms.AccountForm,
            edit_form=forms.AccountEditForm,
            create=lambda actor, agency, data: services.account_create(
                actor=actor, agency=agency, **data
            ),
            update=lambda actor, obj, data: services.account_update(
                actor=actor, account=obj, data=data
            ),
            form_kwargs=_channel_kwargs,
            filters=("platform", "status"),
        ),
        Kind(
            slug="posts",
            title=gettext_lazy("Post counts"),
            queryset=selectors.post_counts_visible_to,
            date_field="period_start",
            headings=[
                gettext_lazy("Account"),
                gettext_lazy("Period start"),
                gettext_lazy("Period end"),
                gettext_lazy("Posts"),
                gettext_lazy("Source"),
            ],
            cells=_post_cells,
            form=forms.PostCountForm,
            edit_form=forms.PostCountEditForm,
            create=lambda actor, agency, data: services.post_count_record(actor=actor, **data),
            update=lambda actor, obj, data: services.post_count_update(
                actor=actor, post_count=obj, data=data
            ),
            form_kwargs=_account_kwargs,
            agency_path="account__agency",
            filters=("platform",),
        ),
    )
}


def _kind(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None


def _records(request, agency: Agency, kind: Kind) -> QuerySet:
    return kind.queryset(request.user).filter(**{kind.agency_path: agency})


def _nav(request, agency: Agency, current: str) -> dict:
    return {
        "agency": agency,
        "nav": current,
        "kinds": [(k.slug, k.title) for k in KINDS.values()],
        "can_manage": permissions.can_manage_operations(request.user, agency),
    }


def _year_param(request) -> int | None:
    return int_param(request.GET.get("year"), minimum=2000, maximum=2100)


# --- overview and dashboard ---------------------------------------------------------------


@require_GET
@staff_required
def overview(request, agency):
    """Sections 六–九 of the 统计表 and the 政务新媒体 figures for one year, with links."""
    agency = _agency(request, agency)
    year = _year_param(request) or timezone.localdate().year
    context = {
        **_nav(request, agency, "overview"),
        "year": year,
        "years": list(range(timezone.localdate().year, 2013, -1)),
        "rows": selectors.legacy_rows(agency, year),
        "platform_rows": [
            (
                Platform(code).label,
                selectors.accounts(agency, year, code),
                selectors.posts(agency, year, code),
                code,
            )
            for code in Platform.values
        ],
        "posts_total": selectors.posts(agency, year),
    }
    return render(request, "operations/overview.html", context)


@require_GET
@staff_required
def dashboard(request, agency):
    """The disclosure officer's dashboard: this year so far, every number a link."""
    agency = _agency(request, agency)
    data = dashboard_data.build(request.user, agency, today=timezone.localdate())
    return render(
        request, "operations/dashboard.html", {**_nav(request, agency, "dashboard"), "d": data}
    )


# --- lists, create, edit -------------------------------------------------------------------


@require_GET
@staff_required
def record_list(request, agency, kind):
    agency = _agency(request, agency)
    kind = _kind(kind)
    records = _records(request, agency, kind)
    year = _year_param(request)
    if kind.date_field:
        records = selectors.in_year(records, year, kind.date_field)
    statuses = {
        "complaints": [("open", _("Open")), *ComplaintStatus.choices],
        "accounts": AccountStatus.choices,
    }.get(kind.slug, [])
    status = request.GET.get("status", "")
    platform = request.GET.get("platform", "")
    # a status that names none of the choices filters nothing (NUL would fail on PostgreSQL)
    if "status" in kind.filters and status in dict(statuses):
        if kind.slug == "complaints" and status == "open":
            records = records.exclude(status=ComplaintStatus.CLOSED)
        else:
            records = records.filter(status=status)
    if "platform" in kind.filters and platform in Platform.values:
        field_name = "account__platform" if kind.slug == "posts" else "platform"
        records = records.filter(**{field_name: platform})
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_nav(request, agency, kind.slug),
        "kind": kind,
        "page": page,
        "rows": [(obj, kind.cells(obj)) for obj in page.object_list],
        "year": year,
        "years": list(range(timezone.localdate().year, 2013, -1)) if kind.date_field else [],
        "status": status,
        "statuses": statuses,
        "platform": platform,
        "platforms": Platform.choices if "platform" in kind.filters else [],
        "can_write": kind.can_write(request.user, agency),
    }
    return render(request, "operations/record_list.html", context)


def _form_page(request, agency, kind, form, obj=None, status=200, **extra):
    context = {
        **_nav(request, agency, kind.slug),
        "kind": kind,
        "form": form,
        "object": obj,
        **extra,
    }
    return render(request, "operations/record_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def record_create(request, agency, kind):
    agency = _agency(request, agency)
    kind = _kind(kind)
    if not kind.can_write(request.user, agency):
        raise PermissionDenied
    form_kwargs = kind.form_kwargs(request, agency)
    if request.method == "GET":
        initial = {"year": timezone.localdate().year} if kind.date_field == "year" else {}
        return _form_page(request, agency, kind, kind.form(initial=initial, **form_kwargs))
    form = kind.form(request.POST, **form_kwargs)
    if not form.is_valid():
        return _form_page(request, agency, kind, form, status=400)
    try:
        kind.create(request.user, agency, form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form)
        return _form_page(request, agency, kind, form, status=status_for(exc))
    messages.success(request, _("Saved."))
    return redirect(f"operations:{kind.slug}-list", agency=agency.slug)


@require_http_methods(["GET", "POST"])
@staff_required
def record_edit(request, agency, kind, pk):
    agency = _agency(request, agency)
    kind = _kind(kind)
    obj = get_object_or_404(_records(request, agency, kind), pk=pk)
    can_write = kind.can_write(request.user, agency)
    form_kwargs = kind.form_kwargs(request, agency)
    move_form = None
    if kind.slug == "complaints":
        move_form = forms.ComplaintMoveForm(initial={"on": timezone.localdate()})
        move_form.fields["to"].choices = [
            (code, ComplaintStatus(code).label)
            for code in sorted(workflow.MACHINE.actions(request.user, obj))
        ]
    extra = {"can_write": can_write, "move_form": move_form}
    if request.method == "GET":
        form = kind.edit_form(instance=obj, **form_kwargs)
        return _form_page(request, agency, kind, form, obj, **extra)
    if not can_write:
        raise PermissionDenied
    form = kind.edit_form(request.POST, instance=obj, **form_kwargs)
    if not form.is_valid():
        return _form_page(request, agency, kind, form, obj, status=400, **extra)
    try:
        kind.update(request.user, obj, form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        obj.refresh_from_db()
        report_error(request, exc, form)
        return _form_page(request, agency, kind, form, obj, status=status_for(exc), **extra)
    messages.success(request, _("Saved."))
    return redirect(f"operations:{kind.slug}-list", agency=agency.slug)


@require_POST
@staff_required
def complaint_move(request, agency, pk):
    agency = _agency(request, agency)
    kind = KINDS["complaints"]
    complaint = get_object_or_404(_records(request, agency, kind), pk=pk)
    form = forms.ComplaintMoveForm(request.POST)
    form.fields["to"].choices = ComplaintStatus.choices
    edit_url = reverse("operations:complaints-edit", kwargs={"agency": agency.slug, "pk": pk})
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(edit_url)
    try:
        services.complaint_transition(
            actor=request.user,
            complaint=complaint,
            to=form.cleaned_data["to"],
            handling=form.cleaned_data["handling"],
            on=form.cleaned_data["on"],
        )
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc)
        return redirect(edit_url)
    messages.success(request, _("Status changed."))
    return redirect(edit_url)


# --- fees (read from the applications) -----------------------------------------------------


@require_GET
@staff_required
def fees(request, agency):
    agency = _agency(request, agency)
    year = _year_param(request) or timezone.localdate().year
    rows = list(selectors.fees_visible_to(request.user, agency=agency, year=year))
    context = {
        **_nav(request, agency, "fees"),
        "year": year,
        "years": list(range(timezone.localdate().year, 2013, -1)),
        "fees": rows,
        "total_yuan": sum(fee.amount for fee in rows),
        "total_wan": selectors.fees_collected_wan(agency, year),
    }
    return render(request, "operations/fees.html", context)


# --- import of post counts -----------------------------------------------------------------


def _post_import_agency(request, key: str) -> Agency:
    agency = _agency(request, key)
    if not permissions.can_manage_operations(request.user, agency):
        raise PermissionDenied
    return agency


def _import_errors(row_errors) -> list[dict]:
    labels = {h.name: h.label for h in imports.HEADINGS}
    return [
        {"row": e.row, "column": labels.get(e.field, e.field), "message": e.detail}
        for e in row_errors
    ]


def _post_import_page(request, agency, *, form=None, preview=None, staged=None, status=200):
    context = {
        **_nav(request, agency, "posts"),
        "headings": imports.HEADINGS,
        "form": form or forms.ImportFileForm(),
        "preview": preview,
        "errors": _import_errors(preview.errors) if preview else [],
        "staged": staged,
        "confirm_form": forms.ImportConfirmForm(initial={"sha256": staged.sha256})
        if staged
        else None,
    }
    return render(request, "operations/post_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def post_import(request, agency):
    """GET: the upload form of a CSV/XLSX of post counts. POST: its preview (nothing saved);
    every row is checked, and only a file without errors can be confirmed."""
    agency = _post_import_agency(request, agency)
    if request.method == "GET":
        return _post_import_page(request, agency)
    staging.discard(request, imports_queue.STAGING)
    form = forms.ImportFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _post_import_page(request, agency, form=form, status=400)
    file = form.cleaned_data["file"]
    data = file.read()
    preview = imports.post_counts_preview(
        actor=request.user, agency=agency, file_name=file.name, data=data
    )
    if preview.errors:
        return _post_import_page(request, agency, form=form, preview=preview, status=400)
    staged = staging.stage(
        request, imports_queue.STAGING, agency=agency, file_name=file.name, data=data
    )
    return _post_import_page(request, agency, preview=preview, staged=staged)


@require_POST
@staff_required
def post_import_confirm(request, agency):
    """Queue the import of the previewed file (all or nothing), then show its run page."""
    agency = _post_import_agency(request, agency)
    form = forms.ImportConfirmForm(request.POST)
    confirmed = form.cleaned_data["sha256"] if form.is_valid() else ""
    try:
        staged, _data = staging.load(
            request, imports_queue.STAGING, agency=agency, confirmed=confirmed
        )
    except staging.StagedFileRefused:
        messages.error(request, _("The file to import is no longer available; upload it again."))
        return _post_import_page(request, agency, status=400)
    # the task owns the file now; the session forgets it, so it is confirmed once only
    staging.hand_over(request, imports_queue.STAGING)
    queued = imports_queue.post_counts_import_queue(
        actor=request.user, agency=agency, staged=staged
    )
    return redirect("operations:posts-import-run", agency=agency.slug, pk=queued.pk)


@require_GET
@staff_required
def post_import_run(request, agency, pk):
    """The confirmed import, written by a background task: "n / N rows" while it runs (the
    page reloads itself through a Refresh header), then how many were recorded or the rows
    rejected. Only the user who confirmed it sees it."""
    agency = _post_import_agency(request, agency)
    found = imports_queue.post_counts_task_for(user=request.user, agency=agency, pk=pk)
    if found is None:
        raise Http404
    result = (found.payload or {}).get("result") or {}
    return import_run_page(
        request,
        task=found,
        template="operations/post_import_run.html",
        context={**_nav(request, agency, "posts"), "recorded": len(result.get("post_counts", []))},
        errors_of=lambda rows: _import_errors(RowError(**row) for row in rows),
    )
