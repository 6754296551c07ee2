"""Due dates recomputed when a year's holiday schedule is entered."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.deadlines import Moved
from gongkai.core.models import User

from .. import clock
from ..models import NOTE, Application
from .common import _event, _locked, _refresh_clock, logger, today

# --- deadlines recomputed when a holiday schedule is entered ------------------------------


def applications_recompute_pending(*, year: int, actor: User | None = None) -> list[Moved]:
    """Recompute every due date that waited for a holiday schedule (registered with
    core.deadlines, called when `year` is entered). Each change is audited and noted in the
    application's internal timeline, so its handler sees what moved."""
    moved = []
    for application in Application.objects.filter(due_pending_year__isnull=False).order_by("id"):
        try:
            with transaction.atomic():
                locked = _locked(application)
                before = (locked.due_provisional, locked.due_pending_year)
                _refresh_clock(locked)
                if (locked.due_provisional, locked.due_pending_year) == before:
                    continue
                entry = Moved(
                    agency_id=locked.agency_id,
                    kind="application",
                    label=locked.number,
                    provisional=before[0],
                    due=locked.due_on,
                    still_pending=locked.due_pending_year,
                )
                _event(
                    locked,
                    NOTE,
                    on=today(),
                    text=_(
                        "The %(year)d holiday schedule was entered: the reply due date is now "
                        "%(due)s (it was estimated as %(before)s)."
                    )
                    % {
                        "year": year,
                        "due": clock.provisional_label(locked.deadline_on, locked.due_pending_year),
                        "before": before[0].isoformat() if before[0] else "—",
                    },
                    public=False,
                )
                audit_record(
                    actor=actor,
                    verb="application.due_recomputed",
                    obj=locked,
                    agency=locked.agency,
                    before={"due_provisional": before[0], "due_pending_year": before[1]},
                    after={
                        "due_on": locked.due_on,
                        "due_provisional": locked.due_provisional,
                        "due_pending_year": locked.due_pending_year,
                        "calendar_year": year,
                    },
                )
                moved.append(entry)
        except Exception:  # noqa: BLE001 - one application never stops the year being entered
            logger.exception("due date of application %s not recomputed", application.pk)
    return moved
