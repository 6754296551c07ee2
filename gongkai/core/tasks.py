"""A small background task queue: work that must not run inside a request (OCR of a scan).

A task is a row (core.Task) naming a registered function and its JSON payload. `task_enqueue`
stores it and, once the transaction commits, hands it to a worker according to
GONGKAI_TASKS_MODE:

- "thread" (default): one daemon thread a process takes queued tasks one after another;
- "eager" (tests): the task runs on commit, in the committing thread;
- "manual": nothing runs until `gongkai tasks run`.

`gongkai tasks run` also takes tasks left "running" by a process that stopped (no progress for
GONGKAI_TASKS_STALE_SECONDS), so task functions must be idempotent: rerunning one after an
interruption is the recovery. Every state change is an audit event (actor None, the system).
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
    value = getattr(settings, "GONGKAI_TASKS_MODE", "thread")
    if value not in MODES:
        raise ValueError(f"GONGKAI_TASKS_MODE must be one of {MODES}, not {value!r}")
    return value


def _stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "GONGKAI_TASKS_STALE_SECONDS", 900)))


def _record(task_: Task, verb: str) -> None:
    after = {"name": task_.name, "status": task_.status, "attempts": task_.attempts}
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


def claimable(*, reclaim: bool, now=None) -> Q:
    """Queued tasks, and with `reclaim` running ones silent for longer than the stale limit."""
    condition = Q(status=TaskStatus.QUEUED)
    if reclaim:
        cutoff = (now or timezone.now()) - _stale_after()
        condition |= Q(status=TaskStatus.RUNNING, heartbeat_at__lt=cutoff)
    return condition


def _claim(pk: int, *, reclaim: bool) -> Task | None:
    """Mark the task running if it still may be taken (one UPDATE, so two workers cannot both
    take it)."""
    now = timezone.now()
    with transaction.atomic():
        taken = Task.objects.filter(claimable(reclaim=reclaim, now=now), pk=pk).update(
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


def run_task(
    pk: int, *, reclaim: bool = False, on_progress: Callable[[Task, str], None] | None = None
) -> Task | None:
    """Take the task and run it; None when it was not there to take (done, or taken by another
    worker). A failure is recorded on the task (status failed, the error), not raised."""
    claimed = _claim(pk, reclaim=reclaim)
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


def run_pending(
    *, reclaim: bool = True, on_start=None, on_progress=None, on_end=None
) -> list[Task]:
    """Run every task that may be taken now, oldest first; the tasks run."""
    done = []
    skipped: set[int] = set()
    while True:
        pk = (
            Task.objects.filter(claimable(reclaim=reclaim))
            .exclude(pk__in=skipped)
            .order_by("id")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            return done
        if on_start:
            on_start(pk)
        finished = run_task(pk, reclaim=reclaim, on_progress=on_progress)
        skipped.add(pk)
        if finished is not None:
            done.append(finished)
            if on_end:
                on_end(finished)


class _Worker:
    """The daemon thread of "thread" mode: woken after each commit that queued a task, it runs
    queued tasks until none is left. Started on first use in each process (after a fork too)."""

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
            self._event.wait()
            self._event.clear()
            try:
                run_pending(reclaim=False)
            except Exception:  # noqa: BLE001 — the thread must outlive a database outage
                logger.exception("the task worker thread failed")
            finally:
                # this thread's own connections: not closed by any request cycle
                connections.close_all()


_worker = _Worker()
