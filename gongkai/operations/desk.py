"""Operations' declarations for the desk, the side menu and the officer's dashboard
(gongkai/core/desk.py explains the registry)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import desk
from gongkai.core.models import Agency

from . import selectors
from .permissions import can_handle_complaint, can_view_operations

desk.section(
    "operations",
    gettext_lazy("Disclosure operations"),
    url_name="operations:dashboard",
    order=60,
    applies=can_view_operations,
)


@desk.todo_card(
    "operations", gettext_lazy("Disclosure office"), order=60, applies=can_handle_complaint
)
def operations_tasks(user, agency: Agency, *, today: date) -> list[desk.Task]:
    open_complaints = (
        selectors.complaints_visible_to(user).filter(agency=agency).exclude(status="closed").count()
    )
    return [
        desk.Task(
            "complaints_open",
            _("Complaints open"),
            open_complaints,
            desk.link("operations:complaints-list", agency, status="open"),
        )
    ]


@desk.dashboard_card("operations", order=50)
def operations_figures(user, agency: Agency, *, today: date) -> list[desk.Card]:
    year = today.year
    card = desk.Card("operations", _("Disclosure office"))
    card.numbers.append(
        desk.Number(
            "complaints_open",
            _("Complaints open"),
            selectors.complaints_open(agency),
            desk.link("operations:complaints-list", agency, status="open"),
        )
    )
    card.numbers.append(
        desk.Number(
            "complaints_received",
            _("Complaints received this year"),
            selectors.complaints(agency, year),
            desk.link("operations:complaints-list", agency, year=year),
        )
    )
    card.numbers.append(
        desk.Number(
            "accounts_active",
            _("New-media accounts in operation"),
            selectors.account_status_counts(agency).get("active", 0),
            desk.link("operations:accounts-list", agency, status="active"),
        )
    )
    card.numbers.append(
        desk.Number(
            "posts",
            _("New-media posts this year"),
            selectors.posts(agency, year),
            desk.link("operations:posts-list", agency, year=year),
        )
    )
    return [card]
