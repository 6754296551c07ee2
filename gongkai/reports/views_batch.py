"""Staff pages of the supervisor's batch check, under /staff/reports/<agency>/checks/: start a
check (upload a ZIP of reports, or take the published reports of the agencies under the agency
for a year), follow its progress (the page reloads itself through a Refresh header until the
background task is over), read its results and download them as a workbook.

Only a user with a role that runs checks at the agency itself reaches these pages (another
agency, above or below, answers 404); the upload is never served.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from gongkai.core.models import Agency
from gongkai.core.storage import private_bytes_response
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key

from . import batch, permissions, selectors, services_batch
from .exports import CONTENT_TYPES
from .models import ReportCheckBatch

LIST_LENGTH = 50
REFRESH_SECONDS = 2
_STATUS_ORDER = {batch.FAILED: 0, batch.HAS_ERRORS: 1, batch.HAS_WARNINGS: 2, batch.PASSED: 3}


class UploadForm(forms.Form):
    archive = forms.FileField(
        label=gettext_lazy("ZIP of report files"),
        help_text=gettext_lazy(
            "Reports as .txt, .html, .docx or .pdf, in folders or not; one agency's reports of "
            "consecutive years are checked against each other."
        ),
    )


class PublishedForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2008, max_value=2100)


def _agency(request, key: str) -> Agency:
    found = agency_from_key(request, key)
    if not permissions.can_check_reports(request.user, found):
        raise Http404
    return found


def _batch(request, agency: Agency, pk: int) -> ReportCheckBatch:
    found = (
        selectors.report_checks_visible_to(request.user)
        .filter(agency=agency, pk=pk)
        .defer(None)
        .select_related("task")
        .first()
    )
    if found is None:
        raise Http404
    return found


@staff_required
@require_safe
def check_list(request, agency: str):
    """The agency's batch checks, newest first, and the forms that start one."""
    agency = _agency(request, agency)
    batches = selectors.report_checks_visible_to(request.user).filter(agency=agency)[:LIST_LENGTH]
    year = timezone.localdate().year - 1
    return render(
        request,
        "reports/check_list.html",
        {
            "agency": agency,
            "batches": batches,
            "upload_form": UploadForm(),
            "published_form": PublishedForm(initial={"year": year}),
            "max_mb": services_batch.max_upload_bytes() // 2**20,
        },
    )


@staff_required
@require_POST
def check_start(request, agency: str):
    agency = _agency(request, agency)
    upload = request.FILES.get("archive")
    try:
        if upload is not None:
            if upload.size > services_batch.max_upload_bytes():
                raise ValidationError(
                    _("The ZIP is larger than %(mb)d MB.")
                    % {"mb": services_batch.max_upload_bytes() // 2**20}
                )
            started = services_batch.report_check_start(
                actor=request.user, agency=agency, upload_name=upload.name, upload=upload.read()
            )
        else:
            form = PublishedForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Upload a ZIP of reports or choose a year."))
            started = services_batch.report_check_start(
                actor=request.user, agency=agency, year=form.cleaned_data["year"]
            )
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied):
            messages.error(request, _("You may not do that."))
        else:
            for text in exc.messages:
                messages.error(request, text)
        return redirect("reports:check-list", agency.slug)
    messages.success(request, _("The check has started."))
    return redirect("reports:check", agency.slug, started.pk)


@staff_required
@require_safe
def check_detail(request, agency: str, pk: int):
    """Progress while the check runs; then the reports (worst first) with their findings."""
    agency = _agency(request, agency)
    found = _batch(request, agency, pk)
    rows = sorted(
        batch.summary_rows(found.results or {}),
        key=lambda row: (_STATUS_ORDER[row["status"]], row["agency"], row["year"] or 0),
    )
    for row in rows:
        row["shown"] = [
            {**f, "label": batch.SEVERITY_LABELS.get(f.get("severity"), "")}
            for f in row["findings"]
            if f.get("severity") != batch.INFO
        ]
        row["notes"] = len(row["findings"]) - len(row["shown"])
    response = render(
        request,
        "reports/check_detail.html",
        {
            "agency": agency,
            "batch": found,
            "rows": rows,
            "progress": found.task.progress if found.task else "",
        },
    )
    if not found.finished:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@staff_required
@require_safe
def check_download(request, agency: str, pk: int):
    """The results as a workbook (a summary sheet and a sheet of findings)."""
    agency = _agency(request, agency)
    found = _batch(request, agency, pk)
    if not found.finished or not found.results:
        raise Http404
    return private_bytes_response(
        batch.workbook(found.results),
        filename=_("%(agency)s annual reports check %(number)s.xlsx")
        % {"agency": agency.name, "number": found.pk},
        content_type=CONTENT_TYPES["xlsx"],
    )
