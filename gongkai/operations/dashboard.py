"""The disclosure officer's dashboard: this year so far, every number a link to its records.

The cards come from the apps' declarations in the registry of gongkai/core/desk.py (each app's
`desk.py`, `@desk.dashboard_card`), in their declared order: catalogue, applications,
engagement, matters, operations, annual report. No app is looked up by name here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.core import desk
from gongkai.core.desk import Card, Number, link  # noqa: F401 — the dashboard's vocabulary
from gongkai.core.models import Agency


@dataclass
class Dashboard:
    agency: Agency
    start: date
    end: date
    cards: list[Card]
    left_out: list[str]  # kept for the template: a declared card is never missing


def build(user, agency: Agency, *, today: date) -> Dashboard:
    cards: list[Card] = []
    for spec in desk.dashboard_cards():
        cards.extend(spec.build(user, agency, today=today))
    return Dashboard(
        agency=agency, start=date(today.year, 1, 1), end=today, cards=cards, left_out=[]
    )
