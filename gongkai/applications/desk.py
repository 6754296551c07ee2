"""依申请公开's declarations for the desk, the side menu and the officer's dashboard
(gongkai/core/desk.py explains the registry).

Every count is the length of the queue the task links to: the same selector
(`selectors.queue`) with the same filters the queue's form reads from the link.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import desk
from gongkai.core.models import Agency

from . import selectors
from .models import OPEN_STATUSES, Status
from .permissions import can_handle_application, can_view_applications

desk.section(
    "applications",
    gettext_lazy("Disclosure on request"),
    url_name="applications:queue",
    order=20,
    applies=can_view_applications,
)

# (key, label, queue filters, level): what the office has to act on, the most urgent first.
# The flags are set by the daily tick (`gongkai clock tick`), as the queue shows them.
TASKS = (
    ("overdue", gettext_lazy("Replies overdue"), {"flag": "overdue"}, desk.OVERDUE),
    ("near_due", gettext_lazy("Replies near due"), {"flag": "near_due"}, desk.SOON),
    (
        "registered",
        gettext_lazy("Receipt to be confirmed"),
        {"status": Status.REGISTERED},
        desk.WAITING,
    ),
    (
        "correction",
        gettext_lazy("Awaiting the applicant's correction (补正)"),
        {"status": Status.CORRECTION},
        desk.WAITING,
    ),
)


@desk.todo_card(
    "applications",
    gettext_lazy("Disclosure on request"),
    order=10,
    applies=can_handle_application,
)
def application_tasks(user, agency: Agency, *, today: date) -> list[desk.Task]:
    # One query: the open rows `selectors.queue(status="open", …)` lists, counted per filter.
    counts = (
        selectors.applications_visible_to(user)
        .filter(agency=agency)
        .open()
        .aggregate(**{key: Count("pk", filter=Q(**f)) for key, _label, f, _level in TASKS})
    )
    return [
        desk.Task(
            key,
            str(label),
            counts[key],
            desk.link("applications:queue", agency, **{"status": "open", **filters}),
            level=level,
        )
        for key, label, filters, level in TASKS
    ]


@desk.dashboard_card("applications", order=20)
def application_figures(user, agency: Agency, *, today: date) -> list[desk.Card]:
    if not can_view_applications(user, agency):
        return []
    queue = "applications:queue"
    card = desk.Card("applications", _("Applications (依申请公开)"))
    rows = selectors.applications_visible_to(user).filter(agency=agency)
    by_status = dict(
        rows.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    flags = dict(
        rows.open()
        .exclude(flag="")
        .order_by()
        .values_list("flag")
        .annotate(n=Count("id"))
        .values_list("flag", "n")
    )
    card.numbers.append(
        desk.Number(
            "open",
            _("Open applications"),
            sum(by_status.get(status, 0) for status in OPEN_STATUSES),
            desk.link(queue, agency, status="open"),
        )
    )
    card.numbers.append(
        desk.Number(
            "near_due",
            _("Replies near due"),
            flags.get("near_due", 0),
            desk.link(queue, agency, status="open", flag="near_due"),
        )
    )
    card.numbers.append(
        desk.Number(
            "overdue",
            _("Replies overdue"),
            flags.get("overdue", 0),
            desk.link(queue, agency, status="open", flag="overdue"),
        )
    )
    for code, label in Status.choices:
        card.numbers.append(
            desk.Number(
                code, str(label), by_status.get(code, 0), desk.link(queue, agency, status=code)
            )
        )
    return [card]
