"""A small background task queue: work that must not run inside a request (OCR of a scan).

A task is a row (core.Task) naming a registered function and its JSON payload. `task_enqueue`
stores it and, once the transaction commits, hands it to a worker according to
GONGKAI_TASKS_MODE:

- "thread" (default): one daemon thread a process takes queued tasks one after another;
- "eager" (tests): the task runs on commit, in the committing thread;
- "manual": nothing runs until `gongkai tasks run`.

A task left "running" by a process that stopped (no progress for GONGKAI_TASKS_STALE_SECONDS)
goes back to the queue, taken again by `gongkai tasks run` and by the worker thread (which also
looks every GONGKAI_TASKS_POLL_SECONDS); after GONGKAI_TASKS_MAX_ATTEMPTS attempts it fails
instead. Task functions must be idempotent: rerunning one after an interruption is the
recovery. Every state change is an audit event (actor None, the system).
The production setup will move this to a real worker; the interface (`@task`, `task_enqueue`)
stays.

A task function is registered with `@task("app.name")` in the module gongkai.<app>.tasks (imported
when a task of that app is first enqueued or run) and called as `function(payload, progress)`;
`progress(text)` records how far it got.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from .audit import audit_record
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


def lookup(name: str) -> TaskFunction:
    """The function registered as `name`, importing gongkai.<app>.tasks if needed."""
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
    queued = Task.objects.create(name=name, payload=payload)
    _record(queued, "task.queue")
    transaction.on_commit(lambda: _dispatch(queued.pk))
    return queued


def _dispatch(pk: int) -> None:
    current = mode()
    if current == "eager":
        run_task(pk)
    elif current == "thread":
        _worker.wake()


def claimable() -> Q:
    """Tasks a worker may take: queued ones (stale running ones are put back first, see
    reclaim_stale)."""
    return Q(status=TaskStatus.QUEUED)


def _claim(pk: int) -> Task | None:
    """Mark the task running if it still may be taken (one UPDATE, so two workers cannot both
    take it)."""
    now = timezone.now()
    with transaction.atomic():
        taken = Task.objects.filter(claimable(), pk=pk).update(
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
        claimed.save(update_fields=["status", "error", "finished_at"])
        _record(claimed, "task.done" if status == TaskStatus.DONE else "task.fail")


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

    try:
        function = lookup(claimed.name)
        function(claimed.payload, progress)
    except Exception as exc:  # noqa: BLE001 — any failure of a task is recorded on it
        logger.exception("task %s #%s failed", claimed.name, claimed.pk)
        _finish(claimed, TaskStatus.FAILED, f"{type(exc).__name__}: {exc}")
    else:
        _finish(claimed, TaskStatus.DONE)
    return claimed


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
    done = []
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
