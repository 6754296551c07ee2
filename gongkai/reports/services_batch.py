"""Writes of the supervisor's batch check: starting one (an uploaded ZIP, or the published
reports of the agencies under the agency for a year) and running it in the background
(gongkai/reports/tasks.py). Every write checks permission (starting) and is audited in the same
transaction; the run is idempotent (a rerun after an interruption computes the same results).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import tasks
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.core.safefile import FileRefused

from . import batch, permissions
from .models import CheckBatchSource, CheckBatchStatus, ReportCheckBatch
from .rollup import figures

CHECK_TASK = "reports.check_batch"
FIRST_YEAR = 2008  # 《政府信息公开条例》 in force from 2008-05-01


def max_upload_bytes() -> int:
    return settings.GONGKAI_REPORT_CHECK_MAX_BYTES


def _check_upload(name: str, data: bytes) -> int:
    """The number of report files in the ZIP; ValidationError (Chinese) when it is refused."""
    if len(data) > max_upload_bytes():
        raise ValidationError(
            _("The ZIP is larger than %(mb)d MB.") % {"mb": max_upload_bytes() // 2**20}
        )
    if not name.lower().endswith(".zip"):
        raise ValidationError(_("Upload a ZIP of report files."))
    try:
        sources = batch.sources_in_zip(data, name=name)
    except FileRefused as exc:
        raise ValidationError(str(exc), code=exc.code) from None
    if not sources:
        raise ValidationError(_("The ZIP holds no report files (.txt, .html, .docx, .pdf)."))
    return len(sources)


@transaction.atomic
def report_check_start(
    *,
    actor: User,
    agency: Agency,
    upload_name: str = "",
    upload: bytes | None = None,
    year: int | None = None,
) -> ReportCheckBatch:
    """Queue a batch check as `agency`: of the uploaded ZIP `upload` (checked against the safe
    reader's limits now, so that a hostile archive is refused to the person who sent it), or,
    without an upload, of the published (or imported) reports of the agencies under `agency`
    for `year`."""
    require(permissions.can_check_reports(actor, agency))
    if upload is not None:
        upload_name = (upload_name or "upload.zip")[:255]
        files = _check_upload(upload_name, upload)
        checked = ReportCheckBatch(
            agency=agency,
            source=CheckBatchSource.UPLOAD,
            upload_name=upload_name,
            created_by=actor,
        )
        checked.upload.save("upload.zip", ContentFile(upload), save=False)
        details = {"upload": upload_name, "files": files}
    else:
        this_year = timezone.localdate().year
        if not isinstance(year, int) or not FIRST_YEAR <= year < this_year:
            raise ValidationError(
                _("Choose a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": this_year - 1}
            )
        checked = ReportCheckBatch(
            agency=agency, source=CheckBatchSource.PUBLISHED, year=year, created_by=actor
        )
        details = {"year": year}
    checked.save()
    checked.task = tasks.task_enqueue(name=CHECK_TASK, payload={"batch": checked.pk})
    checked.save(update_fields=["task"])
    audit_record(
        actor=actor,
        verb="report.check_start",
        obj=checked,
        agency=agency,
        after={"source": checked.source, **details},
    )
    return checked


def _subordinates(agency: Agency) -> list[Agency]:
    """The active agencies under `agency` that owe a report of their own."""
    return list(
        Agency.objects.subtree_of(agency)
        .active()
        .exclude(pk=agency.pk)
        .filter(publishes_annual_report=True)
        .order_by("path")
    )


def _published_items(checked: ReportCheckBatch, progress) -> list[batch.CheckedReport]:
    year = checked.year
    if year is None:  # a batch of published reports always names its year (batch_check_published)
        raise ValueError("a check of published reports without its year")
    agencies = _subordinates(checked.agency)
    current = figures(agencies, year, compute=False)
    earlier = figures(agencies, year - 1, compute=False)
    items = [(f"{item.agency.name} {checked.year}", item.as_report()) for item in current.values()]
    previous = {item.agency.name: item.as_report() for item in earlier.values()}
    results = batch.check_reports(items, previous=previous, progress=progress)
    for agency in agencies:
        if agency.pk not in current:
            results.append(
                batch.CheckedReport(
                    file=f"{agency.name} {checked.year}",
                    agency=agency.name,
                    year=checked.year,
                    findings=[
                        {
                            "severity": batch.WARNING,
                            "code": "no_report",
                            "message": _(
                                "No report of this year is published or imported for this agency."
                            ),
                            "location": "",
                            "basis": "",
                            "expected": None,
                            "actual": None,
                        }
                    ],
                )
            )
    return results


def _finish(checked: ReportCheckBatch, *, status: str, payload: dict, error: str = "") -> None:
    rows = batch.summary_rows(payload)
    with transaction.atomic():
        checked.status = status
        checked.error = error
        checked.results = payload
        checked.report_count = len(rows)
        checked.error_count = sum(row["errors"] for row in rows)
        checked.warning_count = sum(row["warnings"] for row in rows)
        checked.finished_at = timezone.now()
        checked.save(
            update_fields=[
                "status",
                "error",
                "results",
                "report_count",
                "error_count",
                "warning_count",
                "finished_at",
            ]
        )
        audit_record(
            actor=None,
            verb="report.check_done" if status == CheckBatchStatus.DONE else "report.check_fail",
            obj=checked,
            agency=checked.agency,
            after={
                "reports": checked.report_count,
                "errors": checked.error_count,
                "warnings": checked.warning_count,
                **({"error": error[:500]} if error else {}),
            },
        )


def report_check_run(*, batch_id: int, progress: Callable[[str], None] | None = None) -> None:
    """Run the batch (the background task): every report imported and linted, the results
    stored on the batch. A refused archive or an unexpected failure marks the batch failed."""
    checked = ReportCheckBatch.objects.select_related("agency").get(pk=batch_id)
    ReportCheckBatch.objects.filter(pk=checked.pk).update(status=CheckBatchStatus.RUNNING)

    def step(done: int, total: int, name: str) -> None:
        if progress is not None:
            progress(
                _("Checked %(done)d of %(total)d: %(name)s")
                % {"done": done, "total": total, "name": name}
            )

    try:
        if checked.source == CheckBatchSource.UPLOAD:
            with checked.upload.open("rb") as handle:
                data = handle.read()
            sources = batch.sources_in_zip(data, name=checked.upload_name)
            results = batch.check_sources(sources, progress=step)
        else:
            results = _published_items(checked, step)
    except FileRefused as exc:
        _finish(checked, status=CheckBatchStatus.FAILED, payload={"reports": []}, error=str(exc))
        return
    except Exception:
        _finish(
            checked,
            status=CheckBatchStatus.FAILED,
            payload={"reports": []},
            error=_("The check failed; the administrators have the details."),
        )
        raise
    _finish(checked, status=CheckBatchStatus.DONE, payload=batch.results(results))
