"""Deadlines that wait for a year's holiday schedule are recomputed the moment it is entered.

An app that stores such deadlines (an application's reply due date, say) registers a recompute
function in its AppConfig.ready(); `calendar_year_set` calls them all inside its transaction, so a
year is never entered without the deadlines that waited for it. One deadline that fails to
recompute is logged and left pending: it never stops the year being entered, nor the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Moved:
    """One deadline that was provisional and is now the legal date."""

    agency_id: int
    kind: str  # e.g. "application"
    label: str  # what it is, as staff know it (an application number)
    provisional: date | None
    due: date | None
    still_pending: int | None = None  # a later year it still waits for


Recompute = Callable[..., list[Moved]]
_recomputers: list[Recompute] = []


def register(recompute: Recompute) -> None:
    if recompute not in _recomputers:
        _recomputers.append(recompute)


def recompute_pending(*, year: int, actor=None) -> list[Moved]:
    moved: list[Moved] = []
    for recompute in _recomputers:
        moved += recompute(year=year, actor=actor)
    return moved
