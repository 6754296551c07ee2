"""The background task queue (gongkai.core.tasks) and `gongkai tasks run`."""

import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from gongkai.core import tasks
from gongkai.core.models import AuditEvent, Task, TaskStatus

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RUNS: list[dict] = []


@tasks.task("core.test_record")
def record(payload, progress):
    progress("half way")
    RUNS.append(payload)


@tasks.task("core.test_fail")
def fail(payload, progress):
    raise RuntimeError("the scanner's file is gone")


@pytest.fixture(autouse=True)
def clean_runs():
    RUNS.clear()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def verbs(task: Task) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="core.task", object_id=str(task.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_eager_mode_runs_the_task_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.task_enqueue(name="core.test_record", payload={"attachment": 7})
        assert RUNS == []  # not before the commit
    assert RUNS == [{"attachment": 7}]
    queued.refresh_from_db()
    assert queued.status == TaskStatus.DONE
    assert queued.attempts == 1
    assert queued.progress == "half way"
    assert queued.started_at == NOW and queued.finished_at == NOW
    assert verbs(queued) == ["task.queue", "task.start", "task.done"]
    event = AuditEvent.objects.get(verb="task.done")
    assert event.actor is None
    assert event.after == {"name": "core.test_record", "status": "done", "attempts": 1}


def test_an_unknown_task_is_refused_when_queued():
    with pytest.raises(LookupError):
        tasks.task_enqueue(name="core.no_such_task", payload={})
    assert not Task.objects.exists()


def test_a_failing_task_is_recorded_as_failed_with_its_error(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.task_enqueue(name="core.test_fail", payload={})
    queued.refresh_from_db()
    assert queued.status == TaskStatus.FAILED
    assert queued.error == "RuntimeError: the scanner's file is gone"
    assert verbs(queued) == ["task.queue", "task.start", "task.fail"]
    assert AuditEvent.objects.get(verb="task.fail").after["error"] == queued.error


def test_manual_mode_waits_for_the_command(settings, django_capture_on_commit_callbacks):
    settings.GONGKAI_TASKS_MODE = "manual"
    settings.GONGKAI_TASKS_MAX_ATTEMPTS = 1  # no retry here (test_scheduler.py has those)
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.task_enqueue(name="core.test_record", payload={"n": 1})
        second = tasks.task_enqueue(name="core.test_fail", payload={})
    assert RUNS == []
    assert Task.objects.get(pk=first.pk).status == TaskStatus.QUEUED
    out, err = io.StringIO(), io.StringIO()
    call_command("tasks", "run", "--once", stdout=out, stderr=err)
    assert RUNS == [{"n": 1}]
    assert Task.objects.get(pk=first.pk).status == TaskStatus.DONE
    assert Task.objects.get(pk=second.pk).status == TaskStatus.FAILED
    assert "1" in out.getvalue() and "RuntimeError" in err.getvalue()
    # nothing left: a second run does nothing
    call_command("tasks", "run", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    assert RUNS == [{"n": 1}]


def test_a_task_left_running_by_an_interrupted_process_is_run_again(settings, frozen):
    settings.GONGKAI_TASKS_STALE_SECONDS = 900
    interrupted = Task.objects.create(
        name="core.test_record",
        payload={"n": 2},
        status=TaskStatus.RUNNING,
        attempts=1,
        started_at=NOW - timedelta(hours=1),
        heartbeat_at=NOW - timedelta(minutes=20),
    )
    busy = Task.objects.create(  # another worker is on it right now
        name="core.test_record",
        payload={"n": 3},
        status=TaskStatus.RUNNING,
        attempts=1,
        started_at=NOW - timedelta(minutes=1),
        heartbeat_at=NOW - timedelta(seconds=30),
    )
    call_command("tasks", "run", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    assert RUNS == [{"n": 2}]
    interrupted.refresh_from_db()
    assert interrupted.status == TaskStatus.DONE and interrupted.attempts == 2
    assert Task.objects.get(pk=busy.pk).status == TaskStatus.RUNNING
    # the same task, silent past the limit, is taken too
    frozen.shift(timedelta(minutes=15))
    call_command("tasks", "run", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    assert RUNS == [{"n": 2}, {"n": 3}]


def test_a_task_is_taken_once(django_capture_on_commit_callbacks, settings):
    settings.GONGKAI_TASKS_MODE = "manual"
    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.task_enqueue(name="core.test_record", payload={})
    assert tasks.run_task(queued.pk) is not None
    assert tasks.run_task(queued.pk) is None  # done: nothing to take
    assert len(RUNS) == 1


def test_thread_mode_wakes_one_worker_thread(monkeypatch):
    ran = threading.Event()
    threads = []

    def run_pending(**kwargs):
        threads.append(threading.current_thread())
        ran.set()

    monkeypatch.setattr(tasks, "run_pending", run_pending)
    worker = tasks._Worker()
    worker.wake()
    assert ran.wait(5)
    ran.clear()
    worker.wake()
    assert ran.wait(5)
    assert len(set(threads)) == 1
    assert threads[0] is not threading.current_thread() and threads[0].daemon


@pytest.mark.django_db(transaction=True)
def test_thread_mode_runs_a_committed_task_in_the_worker_thread(settings, monkeypatch):
    """The default mode end to end: the commit wakes the process's worker thread, which takes
    the task from the database with its own connection and closes it when done."""
    settings.GONGKAI_TASKS_MODE = "thread"
    worker = tasks._Worker()
    monkeypatch.setattr(tasks, "_worker", worker)
    finished = threading.Event()
    threads = []

    @tasks.task("core.test_thread")
    def in_thread(payload, progress):
        threads.append(threading.current_thread())
        finished.set()

    # The test reads the task only once the worker's pass is over: SQLite's shared in-memory
    # database refuses a read while another connection writes ("table is locked").
    idle = threading.Event()
    run_pending = tasks.run_pending

    def run_then_signal(**kwargs):
        try:
            return run_pending(**kwargs)
        finally:
            idle.set()

    monkeypatch.setattr(tasks, "run_pending", run_then_signal)

    queued = tasks.task_enqueue(name="core.test_thread", payload={})  # its own transaction
    assert finished.wait(10)
    assert threads[0] is worker._thread
    assert idle.wait(10)  # the worker records the end just after the function returns
    queued.refresh_from_db()
    assert queued.status == TaskStatus.DONE
