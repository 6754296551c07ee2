"""The shared part of the applications' services: the query code, the submission limit, the
workflow's error, the lock, the events and the clock recomputed from them."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import codes, intake, throttle
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.core.selectors import current_work_calendar

from .. import clock, letters, permissions
from ..clock import ClockEvent, ClockState, EventKind
from ..models import Application, ApplicationEvent, ApplicationSettings
from ..workflow import MACHINE

QUERY_CODE_PURPOSE = "applications.query-code"  # the hashes' key salt: do not change
QUERY_CODE = intake.LookupCode(purpose=QUERY_CODE_PURPOSE, field="query_code_hash")
SUBMISSIONS_PER_IP_PER_HOUR = 5
SUBMIT_RATE = throttle.Rate(
    scope="applications.submit",
    limit=SUBMISSIONS_PER_IP_PER_HOUR,
    window=timedelta(hours=1),
    message=gettext_lazy(
        "Too many applications from this network in the last hour; try again later."
    ),
)


class WorkflowError(ValidationError):
    """A move the transitions table does not allow from the application's status."""


# One limiter for every public submission and look-up (gongkai.core.throttle).
RateLimited = throttle.RateLimited


# the name the daily tick and the recomputation have always logged under
logger = logging.getLogger("gongkai.applications.services")


def today() -> date:
    return timezone.localdate()


# --- helpers ------------------------------------------------------------------------------


def settings_for(agency: Agency) -> ApplicationSettings:
    return letters.settings_for(agency)


def query_code_matches(application: Application, code: str) -> bool:
    return QUERY_CODE.matches(application, code)


def hash_ip(ip: str) -> str:
    return codes.hash_ip("applications", ip)


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=application.pk)
    )


def _event(
    application: Application,
    kind: str,
    *,
    on: date,
    actor: User | None = None,
    text: str = "",
    public: bool = True,
    days: int = 0,
    ref: str = "",
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        on=on,
        days=days,
        ref=ref,
        text=text,
        public=public,
        actor=actor if actor is not None and actor.is_authenticated else None,
    )


def clock_events(application: Application) -> list[ClockEvent]:
    """The application's clock events in legal order (date, then the order recorded)."""
    rows = application.events.filter(kind__in=list(EventKind)).order_by("on", "id")
    return [ClockEvent(row.kind, row.on, days=row.days, ref=row.ref) for row in rows]


def compute_clock(application: Application, *, on: date | None = None) -> clock.Clock:
    return clock.compute(
        clock_events(application),
        current_work_calendar(),
        today=on or today(),
        fee_pauses=settings_for(application.agency).fee_pauses_clock,
    )


def _clock_fields(application: Application) -> clock.Clock:
    """The due date and the clock's state recomputed from the events, on the application in
    memory (the step that follows saves them)."""
    result = compute_clock(application)
    started = result.state != ClockState.NOT_RECEIVED
    pending = result.pending_year if started else None
    # A due date waiting for a year's holiday schedule is not the legal date: keep it apart.
    application.due_on = result.due_on if started and pending is None else None
    application.due_pending_year = pending
    application.due_provisional = result.due_on if pending is not None else None
    application.clock_paused = result.state in (ClockState.PAUSED, ClockState.AWAITING_CORRECTION)
    if result.state == ClockState.CONCLUDED:
        application.flag = ""
    return result


def _refresh_clock(application: Application) -> clock.Clock:
    """The clock recomputed and saved, where no step of the machine follows."""
    result = _clock_fields(application)
    application.save(
        update_fields=[
            "due_on",
            "due_pending_year",
            "due_provisional",
            "clock_paused",
            "flag",
            "status",
            "updated_at",
        ]
    )
    return result


def _check(actor: User | None, application: Application, action: str) -> None:
    """Refuse the step before anything is written: who acts (the handling office; actor None
    is the applicant or the system, which the permission does not bind), then the status."""
    MACHINE.check(application, action, actor=actor)


def _apply(application: Application, action: str, *, actor: User | None, **after) -> clock.Clock:
    """Take the step once its events are written: the clock recomputed from them, then the
    machine sets the status the step leads to, saves the application and writes the audit
    event (the step was checked with `_check` first)."""
    result = _clock_fields(application)
    MACHINE.apply(application, action, actor=actor, after=after, check_permission=False)
    return result


def _audit(actor, verb: str, application: Application, **after) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        obj=application,
        agency=application.agency,
        after={"status": application.status, **after},
    )


def _require_handler(actor: User, application: Application) -> None:
    require(permissions.can_handle_application(actor, application.agency))


def _not_future(on: date) -> None:
    if on > today():
        raise ValidationError(_("The date cannot be in the future."), code="date")
