"""When an agency's annual report is due, and where each agency stands (RULES A.5, 第四十九条).

- 县级以上人民政府部门 (and their 派出机构): 1月31日 of the next year;
- a county-level government (区/县): its report is published by the 主管部门 by 3月31日;
- 乡镇 and 街道: the date their supervising agency sets (a `ReportDeadline` row on any ancestor,
  the nearest one winning), else 1月31日.

`report_deadline` is pure when given the overrides (`deadline_overrides` loads them for many
agencies in one query); `report_statuses` gives the status of many agencies in three queries.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, AgencyLevel, Role, User
from gongkai.core.permissions import has_role, require

from .models import ImportedReport, Report, ReportDeadline, ReportStatus

# levels whose deadline the supervising agency sets
SUPERVISED_LEVELS = (AgencyLevel.TOWNSHIP, AgencyLevel.SUBDISTRICT)
DEFAULT = (1, 31)  # 1月31日
COUNTY = (3, 31)  # 3月31日

NOT_STARTED, DRAFT, IN_REVIEW, PUBLISHED, LATE = (
    "not_started",
    ReportStatus.DRAFT.value,
    ReportStatus.IN_REVIEW.value,
    ReportStatus.PUBLISHED.value,
    "late",
)
STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("Not started"),
    DRAFT: gettext_lazy("Draft"),
    IN_REVIEW: gettext_lazy("In review"),
    PUBLISHED: gettext_lazy("Published"),
    LATE: gettext_lazy("Late"),
}

# {(ancestor agency id, level): (month, day)}
Overrides = dict[tuple[int, str], tuple[int, int]]


def _ancestor_ids(agency: Agency) -> list[int]:
    """Ids above the agency, nearest first (from its materialised path)."""
    ids = [int(part) for part in agency.path.split("/") if part]
    return [pk for pk in reversed(ids) if pk != agency.pk]


def deadline_overrides(agencies: Iterable[Agency]) -> Overrides:
    """The `ReportDeadline` rows that may apply to any of `agencies` (one query)."""
    ids = {pk for agency in agencies for pk in _ancestor_ids(agency)}
    if not ids:
        return {}
    rows = ReportDeadline.objects.filter(agency_id__in=ids).values_list(
        "agency_id", "applies_to_level", "month", "day"
    )
    return {(agency_id, level): (month, day) for agency_id, level, month, day in rows}


def _on(year: int, month: int, day: int) -> date:
    """The date, 29 February (or a 31st) falling back to the month's last day."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def report_deadline(agency: Agency, year: int, overrides: Overrides | None = None) -> date:
    """The day the agency's report of `year` is due (in year + 1). Pass `overrides` (from
    `deadline_overrides`) to make it pure; without it the overrides are read (one query, only
    for a 乡镇/街道)."""
    if agency.level == AgencyLevel.COUNTY:
        return _on(year + 1, *COUNTY)
    if agency.level in SUPERVISED_LEVELS:
        if overrides is None:
            overrides = deadline_overrides([agency])
        for ancestor in _ancestor_ids(agency):
            found = overrides.get((ancestor, agency.level))
            if found:
                return _on(year + 1, *found)
    return _on(year + 1, *DEFAULT)


@dataclass(frozen=True)
class DeadlineStatus:
    agency_id: int
    year: int
    due: date
    status: str  # NOT_STARTED | DRAFT | IN_REVIEW | PUBLISHED | LATE
    report_status: str  # the same without "late": where the work stands
    imported: bool = False  # published elsewhere: a stored imported report stands for it

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def is_late(self) -> bool:
        return self.status == LATE


def _status(
    agency: Agency,
    year: int,
    report: Report | None,
    imported: bool,
    today: date,
    overrides: Overrides,
) -> DeadlineStatus:
    due = report_deadline(agency, year, overrides)
    if imported or (report is not None and report.version > 0):
        current = PUBLISHED
    elif report is None:
        current = NOT_STARTED
    else:
        current = report.status
    status = LATE if current != PUBLISHED and today > due else current
    return DeadlineStatus(agency.pk, year, due, status, current, imported)


def report_statuses(
    agencies: Iterable[Agency], year: int, *, today: date | None = None
) -> dict[int, DeadlineStatus]:
    """{agency id: status} for the reports of `year` (three queries however many agencies).
    A report once published stays published while it is reopened for a correction; a stored
    imported report counts as published."""
    agencies = list(agencies)
    today = today or timezone.localdate()
    ids = [agency.pk for agency in agencies]
    reports = {r.agency_id: r for r in Report.objects.filter(agency_id__in=ids, year=year)}
    imported = set(
        ImportedReport.objects.filter(agency_id__in=ids, year=year).values_list(
            "agency_id", flat=True
        )
    )
    overrides = deadline_overrides(agencies)
    return {
        agency.pk: _status(
            agency, year, reports.get(agency.pk), agency.pk in imported, today, overrides
        )
        for agency in agencies
    }


def report_status(agency: Agency, year: int, *, today: date | None = None) -> DeadlineStatus:
    return report_statuses([agency], year, today=today)[agency.pk]


# --- the supervisor's date -----------------------------------------------------------------
# (a service of its own module: services.py is another change's)


def can_set_report_deadline(user, agency: Agency) -> bool:
    return has_role(user, agency, Role.AGENCY_ADMIN)


def report_deadline_set(
    *, actor: User, agency: Agency, level: str, month: int, day: int
) -> ReportDeadline:
    """Set the date the 乡镇/街道 under `agency` publish their reports by (audited)."""
    require(can_set_report_deadline(actor, agency))
    if level not in SUPERVISED_LEVELS:
        raise ValidationError(
            {"applies_to_level": _("Only townships and subdistricts have a date set for them.")}
        )
    try:
        date(2001, month, day)  # not a leap year: 29 February is refused
    except (TypeError, ValueError):
        raise ValidationError({"day": _("Enter a date that exists every year.")}) from None
    with transaction.atomic():
        row = ReportDeadline.objects.filter(agency=agency, applies_to_level=level).first()
        before = {"month": row.month, "day": row.day} if row else None
        if row is None:
            row = ReportDeadline.objects.create(
                agency=agency, applies_to_level=level, month=month, day=day
            )
        else:
            row.month, row.day = month, day
            row.save(update_fields=["month", "day"])
        audit_record(
            actor=actor,
            verb="report.deadline_set",
            obj=row,
            agency=agency,
            before=before,
            after={"level": level, "month": month, "day": day},
        )
    return row
