"""The daily tick: open applications flagged near due or overdue."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q

from gongkai.core.audit import audit_record
from gongkai.core.selectors import current_work_calendar

from ..models import Application, ApplicationSettings
from .common import _locked, logger, today

# --- the daily tick ------------------------------------------------------------------------


NEAR_DUE, OVERDUE = "near_due", "overdue"


def applications_tick(*, on: date | None = None, log=None) -> dict[str, int]:
    """Flag open applications near their due date or past it; record each change once. Run daily
    (`gongkai clock tick`); running it twice a day changes nothing the second time.

    A due date pending a year's holiday schedule is flagged from its provisional date, but only
    as near due: whether the legal date has passed is not known yet. One application that fails
    is logged and counted (`errors`), never stops the others."""
    on = on or today()
    calendar = current_work_calendar().lenient()
    counts = {NEAR_DUE: 0, OVERDUE: 0, "cleared": 0, "errors": 0}
    candidates = (
        Application.objects.open()
        .filter(Q(due_on__isnull=False) | Q(due_provisional__isnull=False))
        .select_related("agency")
    )
    # One settings read per agency, not per application.
    near_by_agency = dict(ApplicationSettings.objects.values_list("agency_id", "near_due_workdays"))
    default_near = ApplicationSettings._meta.get_field("near_due_workdays").default
    for application in candidates.iterator():
        try:
            flag = _tick_flag(
                application, on, calendar, near_by_agency.get(application.agency_id, default_near)
            )
            if flag == application.flag:
                if flag:
                    counts[flag] += 1
                continue
            with transaction.atomic():
                locked = _locked(application)
                locked.flag = flag
                locked.save(update_fields=["flag"])
                audit_record(
                    actor=None,
                    verb="application.flag",
                    obj=locked,
                    agency=locked.agency,
                    before={"flag": application.flag},
                    after={"flag": flag, "due_on": locked.deadline_on, "on": on},
                )
            counts[flag or "cleared"] += 1
        except Exception as exc:  # noqa: BLE001 - one bad row never stops the batch
            counts["errors"] += 1
            logger.exception("daily tick: application %s failed", application.pk)
            if log is not None:
                log(application, exc)
    return counts


def _tick_flag(application: Application, on: date, calendar, near: int) -> str:
    due = application.deadline_on
    left = calendar.workdays_between(on, due)
    if application.due_on is None:
        return NEAR_DUE if left <= near else ""
    return OVERDUE if on > due else NEAR_DUE if left <= near else ""
