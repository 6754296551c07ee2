"""Periodic jobs, declared by the apps (`declare`, from their AppConfig.ready) into JOBS, run by
`gongkai scheduler`.

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


# Filled at start-up: core's own jobs below, then each app's from its AppConfig.ready (core
# imports no app). A job's name is the task it queues (gongkai.<app>.tasks registers it).
JOBS: list[Job] = []


def declare(job: Job) -> Job:
    """Add a periodic job (once: a second declaration of the same name replaces the first)."""
    JOBS[:] = [known for known in JOBS if known.name != job.name]
    JOBS.append(job)
    return job


# staff exports' files past their keeping time (gongkai.core.exports)
declare(Job("core.exports_expire", 60))


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


def run_due(
    *, now: datetime | None = None, jobs: tuple[Job, ...] | None = None
) -> list[ScheduledRun]:
    """Claim and queue every job due at `now` whose slot nobody claimed yet; the runs claimed."""
    now = now or timezone.now()
    claimed = []
    for job in tuple(JOBS) if jobs is None else jobs:
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
