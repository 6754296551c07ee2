"""Staff pages of the compliance monitor, mounted at /staff/compliance/. `agency` is the slug,
resolved through the scoped selector (an agency the user may not read answers 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gongkai.core import selectors as core_selectors
from gongkai.core.models import Agency
from gongkai.core.tasks import task_enqueue
from gongkai.core.views import staff_required

from . import selectors
from .check import check_agency
from .exports import matrix_xlsx
from .services import snapshot_take


def _agency(request, key: str) -> Agency:
    found = core_selectors.agencies_visible_to(request.user).filter(slug=key).first()
    if found is None:
        raise Http404
    return found


@staff_required
@require_safe
def agency_page(request, agency: str):
    """The agency's findings now, grouped by indicator (red, amber, then the passed ones), its
    broken links per item and its red/amber counts over the last months."""
    agency = _agency(request, agency)
    now = timezone.now()
    findings = check_agency(agency, now=now)
    return render(
        request,
        "compliance/agency.html",
        {
            "agency": agency,
            "now": now,
            "rules": selectors.rule_statuses(findings),
            "broken": selectors.broken_links_by_item(agency),
            "links": selectors.link_counts(agency),
            "trend": selectors.agency_trend(agency, today=timezone.localdate(now)),
            "may_run": selectors.can_run_check(request.user, agency),
        },
    )


@staff_required
@require_POST
def check_now(request, agency: str):
    """Take today's snapshot of the agency now, or (all=1) queue the check of its whole subtree."""
    agency = _agency(request, agency)
    if not selectors.can_run_check(request.user, agency):
        raise PermissionDenied
    if request.POST.get("all") == "1":
        task_enqueue(name="compliance.check_all", payload={"root": agency.pk})
        messages.success(request, _("The check of every agency under it has been queued."))
        return redirect("compliance:matrix", agency.slug)
    snapshot = snapshot_take(agency=agency, actor=request.user)
    messages.success(
        request,
        _("Checked: %(errors)s red, %(warnings)s amber.")
        % {"errors": snapshot.errors, "warnings": snapshot.warnings},
    )
    return redirect("compliance:agency", agency.slug)


def _matrix(request, agency: Agency):
    return selectors.compliance_matrix(
        agency,
        visible=core_selectors.agencies_visible_to(request.user),
        today=timezone.localdate(),
    )


@staff_required
@require_safe
def matrix(request, agency: str):
    """The agencies under `agency` the user may read × the indicators, at their latest check."""
    agency = _agency(request, agency)
    return render(
        request,
        "compliance/matrix.html",
        {
            "agency": agency,
            "matrix": _matrix(request, agency),
            "may_run": selectors.can_run_check(request.user, agency),
        },
    )


@staff_required
@require_safe
def matrix_download(request, agency: str):
    agency = _agency(request, agency)
    response = HttpResponse(
        matrix_xlsx(_matrix(request, agency)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"{agency.short_name}网站检查矩阵-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
