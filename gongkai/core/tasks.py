"""A small background task queue: work that must not run inside a request (OCR of a scan).

A task is a row (core.Task) naming a registered function and its JSON payload. `task_enqueue`
stores it and, once the transaction commits, hands it to a worker according to
GONGKAI_TASKS_MODE:

- "thread" (default): one daemon thread a process takes queued tasks one after another;
- "eager" (tests): the task runs on commit, in the committing thread;
- "manual": nothing runs in the process that queued it: the worker process
  (`gongkai tasks worker`, started by `gongkai serve` and its systemd unit) or
  `gongkai tasks run` takes it.

A task that raises is tried again with exponential backoff (GONGKAI_TASKS_RETRY_SECONDS, then
twice that, …, at most an hour: the task waits in the queue with `run_after`) until it has been
started GONGKAI_TASKS_MAX_ATTEMPTS times; then it fails for good (`gongkai_task_failures` in
/metrics). In "eager" mode (the tests) the first failure is final, so a test sees the outcome
when its transaction commits.

A task left "running" by a process that stopped (no progress for GONGKAI_TASKS_STALE_SECONDS)
goes back to the queue, taken again by `gongkai tasks run` and by the worker thread (which also
looks every GONGKAI_TASKS_POLL_SECONDS); after GONGKAI_TASKS_MAX_ATTEMPTS attempts it fails
instead. Task functions must be idempotent: rerunning one after an interruption is the
recovery. Every state change is an audit event (actor None, the system).
Why our own queue and not django-tasks: see DESIGN "Decisions of the second stage"
(background work).

A task function is registered with `@task("app.name")` in the module gongkai.<app>.tasks (imported
when a task of that app is first enqueued or run) and called as `function(payload, progress)`;
`progress(text)` records how far it got.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from .audit import audit_record
from .logs import current_request_id, request_id_var, scrub
from .models import Task, TaskStatus

logger = logging.getLogger(__name__)

TaskFunction = Callable[[dict, Callable[[str], None]], None]
_REGISTRY: dict[str, TaskFunction] = {}
MODES = ("thread", "eager", "manual")


def task(name: str) -> Callable[[TaskFunction], TaskFunction]:
    """Register a task function under `name` ("app.action")."""

    def register(function: TaskFunction) -> TaskFunction:
        _REGISTRY[name] = function
        return function

    return register


# Names the tasks had before their functions moved from core to their apps: rows queued under
# the old name (a retry waiting for its backoff, a queue kept over an upgrade) still run.
ALIASES: dict[str, str] = {
    "core.clock_tick": "applications.clock_tick",
    "core.publish_due": "catalogue.publish_due",
    "core.search_reindex_stale": "search.reindex_stale",
    "core.report_deadline_reminders": "reports.deadline_reminders",
}


def lookup(name: str) -> TaskFunction:
    """The function registered as `name`, importing gongkai.<app>.tasks if needed."""
    name = ALIASES.get(name, name)
    if name not in _REGISTRY:
        app = name.split(".", 1)[0]
        try:
            importlib.import_module(f"gongkai.{app}.tasks")
        except ModuleNotFoundError:
            pass
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"no task function is registered as {name!r}") from None


def mode() -> str:
    value = settings.GONGKAI_TASKS_MODE
    if value not in MODES:
        raise ValueError(f"GONGKAI_TASKS_MODE must be one of {MODES}, not {value!r}")
    return value


def _stale_after() -> timedelta:
    return timedelta(seconds=int(settings.GONGKAI_TASKS_STALE_SECONDS))


def _max_attempts() -> int:
    return max(1, int(settings.GONGKAI_TASKS_MAX_ATTEMPTS))


def _poll_seconds() -> float:
    return float(settings.GONGKAI_TASKS_POLL_SECONDS)


MAX_BACKOFF = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """How long a task that failed its `attempts`-th attempt waits: the base, doubled at each
    further attempt, at most an hour."""
    base = float(settings.GONGKAI_TASKS_RETRY_SECONDS)
    return min(timedelta(seconds=base * 2 ** max(0, attempts - 1)), MAX_BACKOFF)


def _record(task_: Task, verb: str, **extra) -> None:
    after = {"name": task_.name, "status": task_.status, "attempts": task_.attempts, **extra}
    if task_.error:
        after["error"] = task_.error[:500]
    audit_record(actor=None, verb=verb, obj=task_, after=after)


@transaction.atomic
def task_enqueue(*, name: str, payload: dict) -> Task:
    """Queue `name(payload)`; a worker takes it once the current transaction commits (a rollback
    leaves no task behind)."""
    lookup(name)  # an unknown name fails now, in the caller's request, not later in a worker
    rid = current_request_id()
    queued = Task.objects.create(name=name, payload=payload, request_id="" if rid == "-" else rid)
    _record(queued, "task.queue")
    transaction.on_commit(lambda: _dispatch(queued.pk))
    return queued


def _dispatch(pk: int) -> None:
    current = mode()
    if current == "eager":
        run_task(pk)
    elif current == "thread":
        _worker.wake()


def claimable(now=None) -> Q:
    """Tasks a worker may take: queued ones whose backoff is over (stale running ones are put
    back first, see reclaim_stale)."""
    now = now or timezone.now()
    return Q(status=TaskStatus.QUEUED) & (Q(run_after__isnull=True) | Q(run_after__lte=now))


def _claim(pk: int) -> Task | None:
    """Mark the task running if it still may be taken (one UPDATE, so two workers cannot both
    take it)."""
    now = timezone.now()
    with transaction.atomic():
        taken = Task.objects.filter(claimable(now), pk=pk).update(
            status=TaskStatus.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            progress="",
            error="",
        )
        if not taken:
            return None
        claimed = Task.objects.get(pk=pk)
        _record(claimed, "task.start")
    return claimed


def _finish(claimed: Task, status: str, error: str = "") -> None:
    with transaction.atomic():
        claimed.status = status
        claimed.error = error
        claimed.finished_at = timezone.now()
        claimed.run_after = None
        claimed.save(update_fields=["status", "error", "finished_at", "run_after"])
        _record(claimed, "task.done" if status == TaskStatus.DONE else "task.fail")


def _retry_later(claimed: Task, error: str) -> None:
    """Back to the queue, not before the backoff is over; the error stays visible meanwhile."""
    with transaction.atomic():
        claimed.status = TaskStatus.QUEUED
        claimed.error = error
        claimed.run_after = timezone.now() + retry_delay(claimed.attempts)
        claimed.save(update_fields=["status", "error", "run_after"])
        _record(claimed, "task.retry", run_after=claimed.run_after.isoformat())


def _may_retry(claimed: Task) -> bool:
    return mode() != "eager" and claimed.attempts < _max_attempts()


def run_task(pk: int, *, on_progress: Callable[[Task, str], None] | None = None) -> Task | None:
    """Take the task and run it; None when it was not there to take (done, or taken by another
    worker). A failure is recorded on the task (status failed, the error), not raised."""
    claimed = _claim(pk)
    if claimed is None:
        return None

    def progress(text: str) -> None:
        text = str(text)[:200]
        Task.objects.filter(pk=claimed.pk).update(progress=text, heartbeat_at=timezone.now())
        claimed.progress = text
        if on_progress:
            on_progress(claimed, text)

    # the task's log lines carry the id of the request that queued it
    token = request_id_var.set(claimed.request_id or f"task-{claimed.pk}")
    try:
        _call(claimed, progress)
    finally:
        request_id_var.reset(token)
    return claimed


def _call(claimed: Task, progress) -> None:
    try:
        function = lookup(claimed.name)
        function(claimed.payload, progress)
    except Exception as exc:  # noqa: BLE001 — any failure of a task is recorded on it
        logger.exception(
            "task %s #%s failed (attempt %s)", claimed.name, claimed.pk, claimed.attempts
        )
        # shown in the admin and the audit trail: personal data in the message is masked
        error = scrub(f"{type(exc).__name__}: {exc}")
        if _may_retry(claimed):
            _retry_later(claimed, error)
        else:
            _finish(claimed, TaskStatus.FAILED, error)
    else:
        _finish(claimed, TaskStatus.DONE)


def reclaim_stale(*, now=None) -> list[Task]:
    """Running tasks silent for longer than the stale limit belong to a process that stopped:
    each goes back to the queue (its attempts stay counted), or fails once it has been started
    GONGKAI_TASKS_MAX_ATTEMPTS times. Each change is one conditional UPDATE, so a task another
    worker reclaims or finishes meanwhile is left alone. The tasks changed."""
    now = now or timezone.now()
    cutoff = now - _stale_after()
    limit = _max_attempts()
    stale = Q(status=TaskStatus.RUNNING, heartbeat_at__lt=cutoff)
    changed = []
    for pk in Task.objects.filter(stale).order_by("id").values_list("pk", flat=True):
        with transaction.atomic():
            given_up = Task.objects.filter(stale, pk=pk, attempts__gte=limit).update(
                status=TaskStatus.FAILED,
                finished_at=now,
                error=f"stopped without finishing after {limit} attempts (no sign of life "
                f"for {_stale_after()})",
            )
            requeued = (
                0
                if given_up
                else Task.objects.filter(stale, pk=pk, attempts__lt=limit).update(
                    status=TaskStatus.QUEUED, progress=""
                )
            )
            if not (given_up or requeued):
                continue
            found = Task.objects.get(pk=pk)
            if given_up:
                _record(found, "task.fail", stale=True)
            else:
                _record(found, "task.queue", stale=True)
        changed.append(found)
    return changed


def run_pending(
    *, reclaim: bool = True, on_start=None, on_progress=None, on_end=None
) -> list[Task]:
    """Run every task that may be taken now, oldest first; the tasks run. With `reclaim`,
    stale running tasks are put back in the queue (or failed) first, see reclaim_stale."""
    if reclaim:
        reclaim_stale()
    done: list[Task] = []
    skipped: set[int] = set()
    while True:
        pk = (
            Task.objects.filter(claimable())
            .exclude(pk__in=skipped)
            .order_by("id")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            return done
        if on_start:
            on_start(pk)
        finished = run_task(pk, on_progress=on_progress)
        skipped.add(pk)
        if finished is not None:
            done.append(finished)
            if on_end:
                on_end(finished)


def worker_loop(*, stop: threading.Event, poll: float = 1.0, on_end=None) -> int:
    """The worker process's loop (`gongkai tasks worker`): put stale tasks back, run every task
    that may be taken, wait `poll` seconds (or until `stop` is set), again; a task under way
    finishes before the loop returns. The number of tasks run."""
    ran = 0
    last_reclaim = 0.0
    while not stop.is_set():
        try:
            # looking for stale tasks costs a query: every poll interval of the thread mode
            if time.monotonic() - last_reclaim >= _poll_seconds():
                reclaim_stale()
                last_reclaim = time.monotonic()
            while not stop.is_set():
                pk = (
                    Task.objects.filter(claimable())
                    .order_by("id")
                    .values_list("pk", flat=True)
                    .first()
                )
                if pk is None:
                    break
                finished = run_task(pk)
                if finished is not None:
                    ran += 1
                    if on_end:
                        on_end(finished)
        except Exception:  # noqa: BLE001 — the worker outlives a database outage
            logger.exception("the task worker failed; trying again")
            connections.close_all()
        stop.wait(poll)
    connections.close_all()
    return ran


@task("core.ping")
def ping(payload: dict, progress) -> None:
    """Does nothing but answer: checks that a worker takes tasks (`gongkai tasks ping`)."""
    progress("pong")


class _Worker:
    """The daemon thread of "thread" mode: woken after each commit that queued a task, and
    every GONGKAI_TASKS_POLL_SECONDS, it puts stale tasks back in the queue and runs queued
    tasks until none is left. Started on first use in each process (after a fork too)."""

    def __init__(self):
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def wake(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                self._pid = os.getpid()
                self._event = threading.Event()
                self._thread = threading.Thread(
                    target=self._loop, name="gongkai-tasks", daemon=True
                )
                self._thread.start()
        self._event.set()

    def _loop(self) -> None:
        while True:
            woken = self._event.wait(timeout=_poll_seconds())
            self._event.clear()
            if not woken and mode() != "thread":
                continue  # the mode changed (tests): a look on the clock alone does nothing
            try:
                run_pending(reclaim=True)
            except Exception:  # noqa: BLE001 — the thread must outlive a database outage
                logger.exception("the task worker thread failed")
            finally:
                # this thread's own connections: not closed by any request cycle
                connections.close_all()


_worker = _Worker()


# --- core's own job (gongkai.core.scheduler declares when; the apps declare theirs) ----------
# A thin wrapper around a service that is idempotent on its own, so a retry is harmless.


@task("core.exports_expire")
def exports_expire(payload: dict, progress) -> None:
    """Remove the files of staff exports past GONGKAI_EXPORTS_KEEP_SECONDS (hourly)."""
    from gongkai.core.exports import exports_expire as expire

    progress(f"removed {expire()}")
