"""An annual report as DOCX or PDF, built by the task queue (gongkai.core.exports).

Rendering the layout to DOCX or PDF takes a second or more per report (bench/exports_timing.py),
so the report page's DOCX and PDF buttons start an export; XLSX, HTML and JSON cost about what
the report page itself costs (the same computation) and stay direct downloads."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.core.exports import ExportFile, Progress, export_kind
from gongkai.core.models import Agency, User

from . import exports, permissions
from .compute import compute_report
from .models import Report

REPORT_EXPORT = "reports.export_report"
# the kinds built in the background; the others stay direct downloads (see above)
BACKGROUND_KINDS = ("docx", "pdf")


def _label(params: dict) -> str:
    if params.get("version"):
        return _("Annual report %(year)s, version %(version)s (%(kind)s)") % {
            "year": params.get("year"),
            "version": params["version"],
            "kind": str(params.get("kind", "")).upper(),
        }
    return _("Annual report %(year)s (%(kind)s)") % {
        "year": params.get("year"),
        "kind": str(params.get("kind", "")).upper(),
    }


def _back(agency: Agency, params: dict) -> str:
    return reverse("reports:report", args=[agency.slug, params["year"]])


@export_kind(REPORT_EXPORT, label=_label, allowed=permissions.can_view_report, back=_back)
def report_file(*, actor: User, agency: Agency, params: dict, progress: Progress) -> ExportFile:
    kind, year = params["kind"], int(params["year"])
    if kind not in BACKGROUND_KINDS:
        raise ValueError(f"not a background report export: {kind!r}")
    progress(0, 2)
    report = Report.objects.filter(agency=agency, year=year).first()
    if params.get("version"):
        if report is None:
            raise LookupError(f"no report of {year}")
        doc = exports.from_version(report.versions.get(number=int(params["version"])))
    else:
        computed = compute_report(agency, year, params["format"])
        doc = exports.from_computed(computed, report.narrative if report else {})
    progress(1, 2)
    out = exports.export(doc, kind)
    progress(2, 2)
    return ExportFile(content=out.content, file_name=out.filename, content_type=out.content_type)
