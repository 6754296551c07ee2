"""A year's applications as CSV or XLSX, built by the task queue (gongkai.core.exports).

The rows come from the existing service (`services.applications_export`: the permission, the
masked document numbers and its `application.export` audit event), called by the task with the
user who started the export; this module only turns them into the file."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.core.exports import ExportFile, Progress, export_kind
from gongkai.core.models import Agency, User

from . import exports, permissions

APPLICATIONS_EXPORT = "applications.export_applications"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _label(params: dict) -> str:
    return _("Applications of %(year)s (%(format)s)") % {
        "year": params.get("year", ""),
        "format": str(params.get("format", "")).upper(),
    }


def _back(agency: Agency, params: dict) -> str:
    return reverse("applications:queue", args=[agency.slug])


@export_kind(
    APPLICATIONS_EXPORT,
    label=_label,
    allowed=permissions.can_export_applications,
    back=_back,
)
def applications_file(
    *, actor: User, agency: Agency, params: dict, progress: Progress
) -> ExportFile:
    from . import services

    year, fmt = int(params["year"]), params["format"]
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown export format: {fmt!r}")
    rows = services.applications_export(actor=actor, agency=agency, year=year, fmt=fmt)
    progress(0, len(rows))
    content = exports.to_xlsx(rows, title=str(year)) if fmt == "xlsx" else exports.to_csv(rows)
    progress(len(rows), len(rows))
    return ExportFile(
        content=content,
        file_name=f"applications-{agency.slug}-{year}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
