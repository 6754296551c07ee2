"""Annual reports' declarations for the desk, the side menu and the officer's dashboard
(gongkai/core/desk.py explains the registry)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import desk
from gongkai.core.models import Agency
from gongkai.core.permissions import has_role

from . import deadlines
from .formats import for_year, get
from .models import Report, ReportEntry
from .permissions import EDIT_ROLES, REVIEW_ROLES, can_view_report

desk.section(
    "reports",
    gettext_lazy("Annual reports"),
    url_name="reports:report-list",
    order=50,
    applies=can_view_report,
)

# From this day of the year, once last year's report is out, this year's is the one to prepare.
NEXT_REPORT_FROM = (11, 1)
# A deadline this close is shown as near.
NEAR_DEADLINE = timedelta(days=30)


def _works_on_report(user, agency: Agency) -> bool:
    return agency.publishes_annual_report and has_role(user, agency, *EDIT_ROLES, *REVIEW_ROLES)


def report_in_hand(agency: Agency, today: date) -> deadlines.DeadlineStatus:
    """The report the office works on now: last year's until it is published, then, from
    November, this year's."""
    status = deadlines.report_status(agency, today.year - 1, today=today)
    if status.status == deadlines.PUBLISHED and (today.month, today.day) >= NEXT_REPORT_FROM:
        status = deadlines.report_status(agency, today.year, today=today)
    return status


def missing_entries(agency: Agency, year: int) -> int:
    """Cells of the report's format that staff enter and nobody has filled yet."""
    key = Report.objects.filter(agency=agency, year=year).values_list("format", flat=True).first()
    fmt = get(key) if key else for_year(year)
    keys = [cell for row in fmt.entered_rows() for _column, cell in fmt.cells_of(row)]
    if not keys:
        return 0
    filled = ReportEntry.objects.filter(
        agency=agency, year=year, format=fmt.key, cell_key__in=keys, value__isnull=False
    ).count()
    return len(keys) - filled


@desk.todo_card("annual_report", gettext_lazy("Annual report"), order=50, applies=_works_on_report)
def report_tasks(user, agency: Agency, *, today: date) -> list[desk.Task]:
    status = report_in_hand(agency, today)
    if status.report_status == deadlines.PUBLISHED:
        return []
    page = reverse("reports:report", kwargs={"agency": agency.slug, "year": status.year})
    level = (
        desk.OVERDUE
        if status.is_late
        else desk.SOON
        if status.due - today <= NEAR_DEADLINE
        else desk.WAITING
    )
    if status.is_late:
        note = _("Late: was due by %(date)s") % {"date": status.due.isoformat()}
    else:
        note = _("%(status)s, due by %(date)s") % {
            "status": deadlines.STATUS_LABELS[status.report_status],
            "date": status.due.isoformat(),
        }
    tasks = [
        desk.Task(
            "report",
            _("Annual report of %(year)s to publish") % {"year": status.year},
            1,
            page,
            level=level,
            note=note,
        )
    ]
    editable = status.report_status in (deadlines.NOT_STARTED, deadlines.DRAFT)
    if editable and has_role(user, agency, *EDIT_ROLES):
        tasks.append(
            desk.Task(
                "missing_entries",
                _("Figures staff enter, not filled yet"),
                missing_entries(agency, status.year),
                f"{page}#entries",
                level=level,
            )
        )
    if status.report_status == deadlines.IN_REVIEW and has_role(user, agency, *REVIEW_ROLES):
        tasks.append(desk.Task("in_review", _("Report waiting for review"), 1, f"{page}#lifecycle"))
    return tasks


@desk.dashboard_card("annual_report", order=60)
def report_figures(user, agency: Agency, *, today: date) -> list[desk.Card]:
    """Last year's annual report: published, or due by its date, or late (RULES A.5). A
    constant three queries (the report, an imported report, the deadline overrides)."""
    year = today.year - 1
    status = deadlines.report_status(agency, year, today=today)
    due = status.due.isoformat()
    if status.is_late:
        value = _("Late: was due by %(date)s") % {"date": due}
    elif status.status == "published":
        value = str(status.label)
    else:
        value = _("%(status)s, due by %(date)s") % {"status": status.label, "date": due}
    url = reverse("reports:report", kwargs={"agency": agency.slug, "year": year})
    card = desk.Card("annual_report", _("Annual report"))
    card.numbers.append(  # key: the status (not_started, draft, in_review, published, late)
        desk.Number(status.status, _("Report of %(year)s") % {"year": year}, value, url)
    )
    return [card]
