"""Reads of the annual reports: staff reads are scoped to the agencies the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gongkai.core.models import Agency
from gongkai.core.selectors import agencies_visible_to

from .models import Report, ReportCheckBatch, ReportEntry, ReportStatus, ReportVersion


def resolve_agency(text: str) -> Agency | None:
    """An agency by URL name, full or short name, or 统一社会信用代码 (the CLI's --agency)."""
    text = (text or "").strip()
    if not text:
        return None
    return Agency.objects.filter(
        Q(slug=text) | Q(name=text) | Q(short_name=text) | Q(uscc=text.upper())
    ).first()


def reports_visible_to(user) -> QuerySet[Report]:
    return Report.objects.filter(agency__in=agencies_visible_to(user)).select_related("agency")


def entries_visible_to(user) -> QuerySet[ReportEntry]:
    return ReportEntry.objects.filter(agency__in=agencies_visible_to(user))


def published_version(agency: Agency, year: int) -> ReportVersion | None:
    """The latest published version of the agency's report of the year (what the public sees)."""
    return (
        ReportVersion.objects.filter(report__agency=agency, report__year=year)
        .select_related("report")
        .order_by("-number")
        .first()
    )


def published_reports(agency: Agency) -> QuerySet[Report]:
    return Report.objects.filter(agency=agency, version__gt=0).order_by("-year")


def report_status_counts(agencies) -> dict[str, int]:
    rows = Report.objects.filter(agency__in=agencies).values_list("status", flat=True)
    counts = dict.fromkeys(ReportStatus.values, 0)
    for status in rows:
        counts[status] += 1
    return counts


def report_checks_visible_to(user) -> QuerySet[ReportCheckBatch]:
    """The batch checks of the agencies where the user holds a role that runs them (an agency
    sees its own batches only); the results (large JSON) deferred."""
    from gongkai.core.models import Membership

    from .permissions import CHECK_ROLES

    if not (user and user.is_authenticated and user.is_active):
        return ReportCheckBatch.objects.none()
    rows = ReportCheckBatch.objects.defer("results").select_related("agency", "created_by")
    if user.is_superuser:
        return rows
    agencies = Membership.objects.filter(user=user, role__in=CHECK_ROLES).values("agency_id")
    return rows.filter(agency_id__in=agencies)
