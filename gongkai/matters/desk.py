"""政务服务事项's declarations for the side menu and the officer's dashboard
(gongkai/core/desk.py explains the registry)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import desk
from gongkai.core.models import Agency
from gongkai.core.permissions import can_view_agency

from .selectors import matter_statistics

desk.section(
    "matters",
    gettext_lazy("Service matters"),
    url_name="matters:matter-list",
    order=40,
    applies=can_view_agency,
)


@desk.dashboard_card("matters", order=40)
def matter_figures(user, agency: Agency, *, today: date) -> list[desk.Card]:
    figures = matter_statistics(agency, on=today)
    card = desk.Card("matters", _("Service matters by star"))
    for level, label, count in reversed(figures.stars):
        card.numbers.append(
            desk.Number(
                f"star_{level}",
                str(label),
                count,
                desk.link("matters:matter-list", agency, status="published", star=level),
            )
        )
    card.numbers.append(
        desk.Number(
            "three_star_plus",
            "三星级以上",
            figures.three_star_plus,
            desk.link("matters:statistics", agency),
        )
    )
    return [card]
