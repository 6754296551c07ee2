"""Core's own declarations for the desk and the side menu (gongkai/core/desk.py explains the
registry): the agency's page, and next year's holiday schedule while it is missing."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import desk, permissions, selectors

desk.section(
    "core",
    gettext_lazy("Agency and staff"),
    url_name="core:agency-detail",
    order=90,
    applies=permissions.can_view_agency,
    by_pk=True,
)


def _is_staff(user, _agency) -> bool:
    return permissions.can_use_staff_pages(user)


@desk.todo_card(
    "calendar",
    gettext_lazy("Working-day calendar"),
    order=0,
    applies=_is_staff,
    per_agency=False,
)
def calendar_tasks(user, _agency, *, today: date) -> list[desk.Task]:
    """From 1 November, while next year's schedule is missing: deadlines reaching it are only
    provisional (预估). The platform administrator enters it; everyone else is told."""
    year = selectors.missing_next_year_schedule(today)
    if year is None:
        return []
    label = (
        _("Enter the %(year)d holiday schedule")
        if permissions.can_change_calendar(user)
        else _("The %(year)d holiday schedule is not entered yet: deadlines in it are provisional")
    )
    return [
        desk.Task(
            "next_year_missing",
            label % {"year": year},
            1,
            desk.link("core:calendar", anchor="notice"),
            level=desk.SOON,
            note=str(year),
        )
    ]
