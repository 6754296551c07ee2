"""回应解读 and 找错's declarations for the desk, the side menu and the officer's dashboard
(gongkai/core/desk.py explains the registry)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import desk
from gongkai.core.models import Agency
from gongkai.core.permissions import can_view_agency

from . import selectors
from .permissions import can_handle_error_report, can_record_engagement
from .taxonomy import ErrorStatus, IncidentStatus

desk.section(
    "engagement",
    gettext_lazy("Responses and interpretation"),
    url_name="engagement:overview",
    order=30,
    applies=can_view_agency,
)


def _answers_the_public(user, agency: Agency) -> bool:
    return can_record_engagement(user, agency) or can_handle_error_report(user, agency)


@desk.todo_card(
    "engagement",
    gettext_lazy("Public opinion and website errors"),
    order=30,
    applies=_answers_the_public,
)
def engagement_tasks(user, agency: Agency, *, today: date) -> list[desk.Task]:
    tasks = []
    if can_handle_error_report(user, agency):
        # Awaiting a reply: not yet given to anyone, or given and not answered. One query: the
        # rows the error list shows for each status.
        waiting = (
            (ErrorStatus.SUBMITTED, _("Website error reports (找错) not yet assigned")),
            (ErrorStatus.ASSIGNED, _("Website error reports (找错) awaiting a reply")),
        )
        counts = selectors.agency_error_reports(user, agency=agency).aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status, _label in waiting}
        )
        for status, label in waiting:
            tasks.append(
                desk.Task(
                    f"errors_{status}",
                    label,
                    counts[status],
                    desk.link("engagement:error-list", agency, status=status),
                )
            )
    if can_record_engagement(user, agency):
        tasks.append(
            desk.Task(
                "incidents_open",
                _("Incidents (舆情) awaiting a response"),
                selectors.agency_incidents(user, agency=agency, status=IncidentStatus.OPEN)
                .order_by()
                .count(),
                desk.link("engagement:incident-list", agency, status=IncidentStatus.OPEN),
            )
        )
    return tasks


@desk.dashboard_card("engagement", order=30)
def engagement_figures(user, agency: Agency, *, today: date) -> list[desk.Card]:
    card = desk.Card("engagement", _("Public opinion and website errors"))
    # Incidents not closed, by status: each number is exactly the list its link opens.
    for code, label in IncidentStatus.choices:
        if code == IncidentStatus.CLOSED:
            continue
        card.numbers.append(
            desk.Number(
                f"incidents_{code}",
                _("Incidents: %(status)s") % {"status": label},
                selectors.agency_incidents(user, agency=agency, status=code).count(),
                desk.link("engagement:incident-list", agency, status=code),
            )
        )
    card.numbers.append(
        desk.Number(
            "error_reports_open",
            _("Website error reports open (找错)"),
            selectors.error_reports_open(agency),
            desk.link("engagement:error-list", agency, status="open"),
        )
    )
    return [card]
