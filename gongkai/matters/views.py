"""Staff pages of the service matters, mounted at /staff/matters/<agency>/.

Each view resolves the agency through the scoped selector (another agency answers 404), parses
its input with a form, calls one service or selector, and renders. Service errors are shown on
the page, never as a server error.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.catalogue.services import ReviewChecks
from gongkai.core import imports_queue, staging
from gongkai.core.models import Agency
from gongkai.core.tables import RowError
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import (
    agency_from_key,
    import_run_page,
    report_error,
    status_for,
)

from . import forms, guide, imports, permissions, selectors, services
from .models import Matter
from .tasks import IMPORT_TASK
from .workflow import MACHINE

PAGE_SIZE = 30


def _matter(request, agency: Agency, pk: int) -> Matter:
    matters = selectors.matters_visible_to(request.user).filter(agency=agency)
    return get_object_or_404(matters, pk=pk)


def _nav_context(request, agency: Agency, nav: str) -> dict:
    return {
        "agency": agency,
        "nav": nav,
        "can_create_matter": permissions.can_create_matter(request.user, agency),
        "can_configure": permissions.can_configure_matters(request.user, agency),
    }


# --- list, detail --------------------------------------------------------------------------


@staff_required
def matter_list(request, agency):
    agency = agency_from_key(request, agency)
    form = forms.MatterFilterForm(request.GET or None, agency=agency)
    filters = selectors.MatterFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.MatterFilters(
            q=data["q"].strip(),
            status=data["status"],
            matter_type=data["matter_type"],
            star=data["star"],
            sector=data["sector"],
        )
    matters = selectors.filter_matters(
        selectors.matters_visible_to(request.user).filter(agency=agency), filters
    ).order_by("code", "id")
    page = Paginator(matters, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matters/matter_list.html",
        {**_nav_context(request, agency, "list"), "form": form, "page": page, "query": query},
    )


@staff_required
def matter_detail(request, agency, pk):
    agency = agency_from_key(request, agency)
    matter = _matter(request, agency, pk)
    return _detail_page(request, agency, matter)


def _detail_page(request, agency, matter, *, publish_form=None, retire_form=None, status=200):
    user = request.user
    actions = MACHINE.actions(user, matter)
    context = {
        **_nav_context(request, agency, "list"),
        **guide.context(matter),
        "can_edit": permissions.can_edit_matter(user, matter),
        "can_publish": "publish" in actions,
        "own_version": "publish" in MACHINE.possible(matter.status)
        and permissions.is_own_version(user, matter),
        "can_retire": "retire" in actions,
        "can_reopen": "reopen" in actions,
        "publish_form": publish_form or forms.PublishForm(),
        "retire_form": retire_form or forms.RetireForm(),
    }
    return render(request, "matters/matter_detail.html", context, status=status)


# --- create, edit --------------------------------------------------------------------------


def _materials_initial(matter: Matter) -> list[dict]:
    return [
        {"name": m.name, "copies": m.copies, "form": m.form, "required": m.required, "note": m.note}
        for m in matter.materials.all()
    ]


@require_http_methods(["GET", "POST"])
@staff_required
def matter_create(request, agency):
    agency = agency_from_key(request, agency)
    if not permissions.can_create_matter(request.user, agency):
        raise PermissionDenied
    services.sectors_ensure_defaults(agency)
    form = forms.MatterForm(request.POST or None, agency=agency)
    formset = forms.MaterialFormSet(request.POST or None, prefix="materials")
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            try:
                matter = services.matter_create(
                    actor=request.user,
                    agency=agency,
                    materials=forms.materials_data(formset),
                    **form.service_data(),
                )
            except (ValidationError, PermissionDenied) as exc:
                report_error(request, exc, form)
            else:
                messages.success(request, _("The matter was saved as a draft."))
                return redirect("matters:matter-detail", agency=agency.slug, pk=matter.pk)
        status = 400
    return render(
        request,
        "matters/matter_form.html",
        {**_nav_context(request, agency, "new"), "form": form, "formset": formset},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def matter_edit(request, agency, pk):
    agency = agency_from_key(request, agency)
    matter = _matter(request, agency, pk)
    if not permissions.can_edit_matter(request.user, matter):
        raise PermissionDenied
    form = forms.MatterForm(request.POST or None, instance=matter, agency=agency)
    formset = forms.MaterialFormSet(
        request.POST or None, prefix="materials", initial=_materials_initial(matter)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            was_published = matter.status == "published"
            try:
                matter = services.matter_update(
                    actor=request.user,
                    matter=matter,
                    data=form.service_data(),
                    materials=forms.materials_data(formset),
                )
            except (ValidationError, PermissionDenied) as exc:
                report_error(request, exc, form)
            else:
                if was_published and matter.status == "draft":
                    messages.success(
                        request,
                        _(
                            "Saved. The published version stays online until a reviewer "
                            "publishes this one."
                        ),
                    )
                else:
                    messages.success(request, _("Saved."))
                return redirect("matters:matter-detail", agency=agency.slug, pk=matter.pk)
        status = 400
    return render(
        request,
        "matters/matter_form.html",
        {
            **_nav_context(request, agency, "list"),
            "form": form,
            "formset": formset,
            "matter": matter,
        },
        status=status,
    )


# --- workflow ----------------------------------------------------------------------------


@require_POST
@staff_required
def matter_publish(request, agency, pk):
    agency = agency_from_key(request, agency)
    matter = _matter(request, agency, pk)
    form = forms.PublishForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    checks = ReviewChecks(
        secrecy=bool(data.get("check_secrecy")),
        privacy=bool(data.get("check_privacy")),
        wording=bool(data.get("check_wording")),
    )
    try:
        services.matter_publish(actor=request.user, matter=matter, checks=checks)
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc)
        return _detail_page(request, agency, matter, publish_form=form, status=status_for(exc))
    messages.success(request, _("Published: the guide is online and in the catalogue."))
    return redirect("matters:matter-detail", agency=agency.slug, pk=matter.pk)


@require_POST
@staff_required
def matter_retire(request, agency, pk):
    agency = agency_from_key(request, agency)
    matter = _matter(request, agency, pk)
    form = forms.RetireForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, agency, matter, retire_form=form, status=400)
    try:
        services.matter_retire(
            actor=request.user,
            matter=matter,
            reason=form.cleaned_data["reason"],
            retired_on=form.cleaned_data["retired_on"],
        )
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form)
        return _detail_page(request, agency, matter, retire_form=form, status=status_for(exc))
    messages.success(request, _("The matter was retired."))
    return redirect("matters:matter-detail", agency=agency.slug, pk=matter.pk)


@require_POST
@staff_required
def matter_reopen(request, agency, pk):
    agency = agency_from_key(request, agency)
    matter = _matter(request, agency, pk)
    try:
        services.matter_reopen(actor=request.user, matter=matter)
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc)
        return _detail_page(request, agency, matter, status=status_for(exc))
    messages.success(request, _("The matter is a draft again."))
    return redirect("matters:matter-detail", agency=agency.slug, pk=matter.pk)


# --- statistics ----------------------------------------------------------------------------


@staff_required
def statistics(request, agency):
    agency = agency_from_key(request, agency)
    form = forms.StatisticsForm(request.GET or None)
    on = timezone.localdate()
    if form.is_bound and form.is_valid():
        if form.cleaned_data["on"]:
            on = form.cleaned_data["on"]
        elif form.cleaned_data["year"]:
            on = date(form.cleaned_data["year"], 12, 31)
    figures = selectors.matter_statistics(agency, on=on)
    return render(
        request,
        "matters/statistics.html",
        {**_nav_context(request, agency, "statistics"), "form": form, "figures": figures},
    )


# --- configuration -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def configuration(request, agency):
    """The agency's 无差别受理 板块 and the criteria of each star level."""
    agency = agency_from_key(request, agency)
    if not permissions.can_configure_matters(request.user, agency):
        raise PermissionDenied
    sectors = services.sectors_ensure_defaults(agency)
    criteria = selectors.star_criteria(agency)
    stars_form = forms.StarCriteriaForm(
        request.POST if "stars-submit" in request.POST else None, criteria=criteria
    )
    sector_form = forms.SectorForm(request.POST if "sector-submit" in request.POST else None)
    status = 200
    if request.method == "POST":
        try:
            if "stars-submit" in request.POST and stars_form.is_valid():
                for star in range(1, 6):
                    text = stars_form.cleaned_data[f"star_{star}"].strip()
                    if text and text != criteria.get(star):
                        services.star_criterion_set(
                            actor=request.user, agency=agency, star=star, text=text
                        )
                messages.success(request, _("The star criteria were saved."))
                return redirect("matters:configuration", agency=agency.slug)
            if "sector-submit" in request.POST and sector_form.is_valid():
                services.sector_create(
                    actor=request.user,
                    agency=agency,
                    name=sector_form.cleaned_data["name"],
                    position=len(sectors) + 1,
                )
                messages.success(request, _("The sector was added."))
                return redirect("matters:configuration", agency=agency.slug)
            if "toggle" in request.POST:
                sector = get_object_or_404(
                    selectors.sectors_visible_to(request.user).filter(agency=agency),
                    pk=request.POST.get("toggle"),
                )
                services.sector_update(
                    actor=request.user, sector=sector, data={"is_active": not sector.is_active}
                )
                return redirect("matters:configuration", agency=agency.slug)
        except (ValidationError, PermissionDenied) as exc:
            report_error(request, exc, sector_form if "sector-submit" in request.POST else None)
        status = 400
    return render(
        request,
        "matters/configuration.html",
        {
            **_nav_context(request, agency, "configuration"),
            "sectors": sectors,
            "stars_form": stars_form,
            "sector_form": sector_form,
        },
        status=status,
    )


# --- import --------------------------------------------------------------------------------
# The file waits between its preview and the confirmation in gongkai.core.staging.

STAGING = "matters"


def _import_page(request, agency, *, form=None, preview=None, digest="", status=200):
    errors = preview.errors if preview else []
    return render(
        request,
        "matters/import.html",
        {
            **_nav_context(request, agency, "import"),
            "form": form or forms.ImportFileForm(),
            "preview": preview,
            "errors": errors,
            "confirm_form": forms.ImportConfirmForm(initial={"sha256": digest}) if digest else None,
            "headings": imports.MATTER_HEADINGS,
            "max_bytes": settings.GONGKAI_ATTACHMENT_MAX_BYTES,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def matter_import(request, agency):
    """GET: the upload form. POST: the preview of the uploaded file (nothing saved)."""
    agency = agency_from_key(request, agency)
    if not permissions.can_import_matters(request.user, agency):
        raise PermissionDenied
    if request.method == "GET":
        return _import_page(request, agency)
    staging.discard(request, STAGING)
    form = forms.ImportFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, agency, form=form, status=400)
    file = form.cleaned_data["file"]
    data = file.read()
    preview = imports.matters_preview(
        actor=request.user, agency=agency, file_name=file.name, data=data
    )
    if preview.errors:
        return _import_page(request, agency, preview=preview, status=400)
    staged = staging.stage(request, STAGING, agency=agency, file_name=file.name, data=data)
    return _import_page(request, agency, preview=preview, digest=staged.sha256)


@require_POST
@staff_required
def matter_import_confirm(request, agency):
    agency = agency_from_key(request, agency)
    if not permissions.can_import_matters(request.user, agency):
        raise PermissionDenied
    form = forms.ImportConfirmForm(request.POST)
    confirmed = form.cleaned_data["sha256"] if form.is_valid() else ""
    try:
        staged, _data = staging.load(request, STAGING, agency=agency, confirmed=confirmed)
    except staging.StagedFileRefused:
        messages.error(request, _("The file to import is no longer available; upload it again."))
        return _import_page(request, agency, status=400)
    # the task owns the file now; the session forgets it, so it is confirmed once only
    staging.hand_over(request, STAGING)
    queued = imports_queue.import_queue(
        name=IMPORT_TASK,
        actor=request.user,
        agency=agency,
        file=staged.name,
        file_name=staged.file_name,
        sha256=staged.sha256,
    )
    return redirect("matters:matter-import-run", agency=agency.slug, pk=queued.pk)


@require_GET
@staff_required
def matter_import_run(request, agency, pk):
    """The confirmed import, written by a background task: "n / N rows" while it runs (the
    page reloads itself through a Refresh header), then the result or the rows rejected."""
    agency = agency_from_key(request, agency)
    if not permissions.can_import_matters(request.user, agency):
        raise PermissionDenied
    found = imports_queue.import_task_for(user=request.user, agency=agency, pk=pk, name=IMPORT_TASK)
    if found is None:
        raise Http404
    result = (found.payload or {}).get("result") or {}
    return import_run_page(
        request,
        task=found,
        template="matters/import_run.html",
        context={
            **_nav_context(request, agency, "import"),
            "created": len(result.get("created", [])),
            "updated": len(result.get("updated", [])),
        },
        errors_of=lambda rows: [RowError(**row) for row in rows],
    )
