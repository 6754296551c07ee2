"""The catalogue's declarations for the desk, the side menu and the officer's dashboard
(gongkai/core/desk.py explains the registry)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import desk
from gongkai.core.models import Agency
from gongkai.core.permissions import can_view_agency, has_role
from gongkai.core.selectors import current_work_calendar

from . import selectors
from .models import Item, ItemStatus
from .permissions import AUTHOR_ROLES, REVIEW_ROLES
from .taxonomy import ChannelKind

desk.section(
    "catalogue",
    gettext_lazy("Proactive disclosure"),
    url_name="catalogue:item-list",
    order=10,
    applies=can_view_agency,
)


def _works_on_items(user, agency: Agency) -> bool:
    return has_role(user, agency, *AUTHOR_ROLES, *REVIEW_ROLES)


@desk.todo_card(
    "catalogue", gettext_lazy("Proactive disclosure"), order=20, applies=_works_on_items
)
def catalogue_tasks(user, agency: Agency, *, today: date) -> list[desk.Task]:
    tasks = []
    # 第二十六条: past the 20 working days, the same list as the overdue page.
    overdue = selectors.overdue_items(
        user, agency=agency, calendar=current_work_calendar(), today=today
    )
    tasks.append(
        desk.Task(
            "overdue",
            _("Items past the 20-working-day limit (第二十六条)"),
            len(overdue),
            desk.link("catalogue:overdue", agency),
            level=desk.OVERDUE,
        )
    )
    if has_role(user, agency, *REVIEW_ROLES):
        tasks.append(
            desk.Task(
                "review",
                _("Items waiting for your review"),
                selectors.review_queue(user, agency=agency).count(),
                desk.link("catalogue:review-queue", agency),
            )
        )
    if has_role(user, agency, *AUTHOR_ROLES):
        tasks.append(
            desk.Task(
                "returned",
                _("Items returned for changes"),
                selectors.returned_items(user, agency=agency).count(),
                desk.link("catalogue:item-list", agency, status=ItemStatus.DRAFT, returned=1),
            )
        )
    return tasks


@desk.dashboard_card("catalogue", order=10)
def catalogue_figures(user, agency: Agency, *, today: date) -> list[desk.Card]:
    """Items published this year, per column and per channel."""
    start, end = date(today.year, 1, 1), today
    first = timezone.make_aware(datetime.combine(start, time.min))
    last = timezone.make_aware(datetime.combine(end, time.max))
    per_column = (
        Item.objects.filter(
            agency=agency, status=ItemStatus.PUBLISHED, published_at__range=(first, last)
        )
        .values("column_id", "column__name")
        .annotate(n=Count("id"))
        .order_by("-n", "column__name")
    )
    columns = desk.Card("columns", _("Items published, per column"))
    columns.numbers.append(
        desk.Number(
            "distinct",
            _("On any channel (one item counted once)"),
            selectors.distinct_items_published(agency, start, end),
            desk.link("catalogue:item-list", agency, status=ItemStatus.PUBLISHED, year=start.year),
        )
    )
    for row in per_column:
        columns.numbers.append(
            desk.Number(
                f"column-{row['column_id']}",
                row["column__name"],
                row["n"],
                desk.link(
                    "catalogue:item-list",
                    agency,
                    status=ItemStatus.PUBLISHED,
                    year=start.year,
                    column=row["column_id"],
                ),
            )
        )
    per_channel = selectors.publications_per_channel_kind(agency, start, end)
    channels = desk.Card("channels", _("Items published, per channel"))
    for code, label in ChannelKind.choices:
        channels.numbers.append(
            desk.Number(
                code, label, per_channel.get(code, 0), desk.link("catalogue:channels", agency)
            )
        )
    return [columns, channels]
