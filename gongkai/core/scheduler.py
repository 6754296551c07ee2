"""Periodic jobs, declared in one place (JOBS), run by `gongkai scheduler`.

Each job, when its time comes, queues a task (gongkai.core.tasks) that the worker runs with its
retries; the scheduler itself does no work. "Once per slot however many schedulers": a job's
run for a slot (a day for daily jobs, a period for shorter ones) is claimed by inserting the
unique row (job, slot) of ScheduledRun in the transaction that queues the task; a second
scheduler's insert fails on the constraint and it moves on. So several app servers may each run
a scheduler (systemd units on every host) and a daily job still runs once a day.

A daily job is due from its time of day (Asia/Shanghai) until midnight: a scheduler started at
noon runs the 00:05 tick of that day; a day the scheduler never ran is not made up (the jobs
work on "today").
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import tasks
from .models import ScheduledRun

logger = logging.getLogger(__name__)

DAY = "day"
KEEP_RUNS = timedelta(days=90)
REMINDER_DAYS = 10


@dataclass(frozen=True)
class Job:
    name: str  # the task it queues
    every: str | int  # DAY, or minutes (dividing 24 h)
    at: time = time(0, 0)  # daily jobs: not before this local time
    payload: dict = field(default_factory=dict)
    optional: bool = False  # skipped while no task of that name is registered

    def slot(self, now: datetime) -> str | None:
        """The slot `now` falls in when the job is due then, else None."""
        local = timezone.localtime(now)
        if self.every == DAY:
            return local.date().isoformat() if local.time() >= self.at else None
        minutes = local.hour * 60 + local.minute
        start = minutes - minutes % int(self.every)
        return f"{local.date().isoformat()}T{start // 60:02d}:{start % 60:02d}"


JOBS: tuple[Job, ...] = (
    # flags near-due and overdue applications (RULES A.2); early, before the office opens
    Job("core.clock_tick", DAY, at=time(0, 5)),
    Job("core.report_deadline_reminders", DAY, at=time(8, 0)),
    Job("core.search_reindex_stale", DAY, at=time(3, 0)),
    # the compliance monitor's nightly snapshots (then it queues compliance.check_links)
    Job("compliance.check_all", DAY, at=time(2, 0)),
    # the portal's self-probe behind 站点无法访问 (the indicator visits 20+ times a day; the
    # task does nothing while GONGKAI_PUBLIC_BASE_URL is empty)
    Job("compliance.probe_sites", 30),
    # scheduled publication of approved items: a few minutes late at most
    Job("core.publish_due", 5),
    # files uploaded on item forms that were never saved (catalogue.services.DRAFT_MAX_AGE)
    Job("catalogue.expire_drafts", DAY, at=time(4, 0)),
    # staff exports' files past their keeping time (gongkai.core.exports)
    Job("core.exports_expire", 60),
)


def registered(job: Job) -> bool:
    try:
        tasks.lookup(job.name)
    except LookupError:
        return False
    return True


def claim(job: Job, slot: str) -> ScheduledRun | None:
    """Claim (job, slot) and queue its task in one transaction; None when another scheduler
    claimed it first."""
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=job.name, slot=slot)
            run.task = tasks.task_enqueue(name=job.name, payload=dict(job.payload))
            run.save(update_fields=["task"])
    except IntegrityError:
        return None
    return run


def run_due(*, now: datetime | None = None, jobs: tuple[Job, ...] = JOBS) -> list[ScheduledRun]:
    """Claim and queue every job due at `now` whose slot nobody claimed yet; the runs claimed."""
    now = now or timezone.now()
    claimed = []
    for job in jobs:
        slot = job.slot(now)
        if slot is None:
            continue
        if job.optional and not registered(job):
            continue
        # the common case, already claimed, costs one read and no failed insert
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
            continue
        run = claim(job, slot)
        if run is not None:
            logger.info(
                "scheduler: %s %s queued as task #%s",
                job.name,
                slot,
                run.task_id,
                extra={"job": job.name, "slot": slot, "task_id": run.task_id},
            )
            claimed.append(run)
            if job.every == DAY:
                ScheduledRun.objects.filter(claimed_at__lt=now - KEEP_RUNS).delete()
    return claimed


def scheduler_loop(*, stop: threading.Event, interval: float = 30.0) -> None:
    """`gongkai scheduler`: run_due every `interval` seconds until `stop` is set."""
    from django.db import connections

    while not stop.is_set():
        try:
            run_due()
        except Exception:  # noqa: BLE001 — the scheduler outlives a database outage
            logger.exception("the scheduler failed; trying again")
            connections.close_all()
        stop.wait(interval)
    connections.close_all()


def report_reminders(*, today=None) -> list[dict]:
    """Agencies owing last year's annual report that is not published and due within
    REMINDER_DAYS days or late; each logged as a warning (agency and dates only)."""
    from gongkai.core.models import Agency
    from gongkai.reports import deadlines

    today = today or timezone.localdate()
    year = today.year - 1
    agencies = Agency.objects.filter(publishes_annual_report=True)
    reminders = []
    for agency_id, status in deadlines.report_statuses(agencies, year, today=today).items():
        if status.status == deadlines.PUBLISHED:
            continue
        days_left = (status.due - today).days
        if days_left > REMINDER_DAYS:
            continue
        reminder = {
            "agency_id": agency_id,
            "year": year,
            "due": status.due.isoformat(),
            "days_left": days_left,
            "late": status.is_late,
        }
        logger.warning(
            "annual report %s of agency %s %s (due %s)",
            year,
            agency_id,
            "late" if status.is_late else f"due in {days_left} days",
            status.due,
            extra=reminder,
        )
        reminders.append(reminder)
    return reminders
