"""The scheduler (gongkai.core.scheduler): each job once per slot however many schedulers run,
its task queued for the worker; and the retries of a failing task with backoff."""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections

from gongkai.core import scheduler, tasks
from gongkai.core.models import AuditEvent, ScheduledRun, Task, TaskStatus

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
CALLS: list[int] = []


@tasks.task("core.test_sched")
def sched(payload, progress):
    CALLS.append(1)


@tasks.task("core.test_flaky")
def flaky(payload, progress):
    CALLS.append(1)
    if len(CALLS) < 3:
        raise ConnectionError("the OCR host did not answer")


DAILY = scheduler.Job("core.test_sched", scheduler.DAY, at=time(8, 30))
FIVE = scheduler.Job("core.test_sched", 5)


@pytest.fixture(autouse=True)
def clean(settings):
    CALLS.clear()
    settings.GONGKAI_TASKS_MODE = "manual"


@pytest.mark.django_db
def test_a_daily_job_is_claimed_once_a_day():
    with time_machine.travel(NOW, tick=False):
        first = scheduler.run_due(jobs=(DAILY,))
        again = scheduler.run_due(jobs=(DAILY,))
    assert [(run.job, run.slot) for run in first] == [("core.test_sched", "2026-03-02")]
    assert again == []
    assert Task.objects.filter(name="core.test_sched").count() == 1
    assert first[0].task.status == TaskStatus.QUEUED  # the worker runs it, not the scheduler
    assert CALLS == []
    # the next day, once more
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert len(scheduler.run_due(jobs=(DAILY,))) == 1


@pytest.mark.django_db
def test_a_daily_job_waits_for_its_time_of_day():
    early = datetime(2026, 3, 2, 0, 29, tzinfo=UTC)  # 08:29 in Shanghai
    with time_machine.travel(early, tick=False):
        assert scheduler.run_due(jobs=(DAILY,)) == []
    with time_machine.travel(early + timedelta(minutes=1), tick=False):
        assert len(scheduler.run_due(jobs=(DAILY,))) == 1


@pytest.mark.django_db
def test_a_job_every_five_minutes_has_a_slot_per_period():
    with time_machine.travel(NOW + timedelta(minutes=7), tick=False):
        runs = scheduler.run_due(jobs=(FIVE,))
    assert [run.slot for run in runs] == ["2026-03-02T09:05"]
    with time_machine.travel(NOW + timedelta(minutes=9), tick=False):
        assert scheduler.run_due(jobs=(FIVE,)) == []
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        assert [run.slot for run in scheduler.run_due(jobs=(FIVE,))] == ["2026-03-02T09:10"]


@pytest.mark.django_db
def test_a_slot_claimed_by_another_scheduler_is_left_alone():
    """The other scheduler inserted the row between our look and our insert: the constraint
    refuses ours and no task is queued."""
    ScheduledRun.objects.create(job=DAILY.name, slot="2026-03-02")
    assert scheduler.claim(DAILY, "2026-03-02") is None
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_an_optional_job_without_its_task_is_skipped():
    missing = scheduler.Job("core.no_such_task", scheduler.DAY, optional=True)
    with time_machine.travel(NOW, tick=False):
        assert scheduler.run_due(jobs=(missing,)) == []
    assert not ScheduledRun.objects.exists()


def test_every_declared_job_but_the_optional_ones_is_registered():
    for job in scheduler.JOBS:
        assert job.optional or scheduler.registered(job), job.name


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_run_a_job_once():
    """Schedulers on several hosts look at the same moment: each in its own connection, they
    race for the same slots; every slot is claimed once, one task each."""
    if connection.vendor == "sqlite":
        pytest.skip("concurrent connections to the in-memory SQLite test database")
    barrier = threading.Barrier(4)
    claimed: list[list] = []
    errors: list[BaseException] = []

    def one_scheduler():
        try:
            barrier.wait()
            with time_machine.travel(NOW, tick=False):
                claimed.append(scheduler.run_due(jobs=(DAILY, FIVE)))
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted((r.job, r.slot) for runs in claimed for r in runs) == [
        ("core.test_sched", "2026-03-02"),
        ("core.test_sched", "2026-03-02T09:00"),
    ]
    assert Task.objects.count() == 2


@pytest.mark.django_db
def test_scheduler_once_on_the_command_line(capsys):
    with time_machine.travel(datetime(2026, 3, 2, 4, 0, tzinfo=UTC), tick=False):  # 12:00
        call_command("scheduler", "--once")
    names = set(Task.objects.values_list("name", flat=True))
    # the apps' jobs, declared from their AppConfig.ready (core imports no app)
    assert {
        "applications.clock_tick",
        "reports.deadline_reminders",
        "catalogue.publish_due",
        "search.reindex_stale",
        "compliance.check_all",
        "core.exports_expire",
    } <= names
    assert "applications.clock_tick" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_task_queued_under_its_former_core_name_still_runs(monkeypatch):
    """Rows queued before the jobs' functions moved from core to their apps (core.clock_tick …)
    run the app's function through core.tasks.ALIASES."""
    for old, new in tasks.ALIASES.items():
        assert tasks.lookup(old) is tasks.lookup(new), old
    ran = []
    monkeypatch.setattr(
        "gongkai.applications.services.applications_tick", lambda: ran.append(1) or {"open": 0}
    )
    queued = tasks.task_enqueue(name="core.clock_tick", payload={})
    tasks.run_pending()
    queued.refresh_from_db()
    assert queued.status == TaskStatus.DONE and ran == [1] and queued.progress == "open 0"


def test_declaring_a_job_twice_keeps_one():
    before = list(scheduler.JOBS)
    try:
        scheduler.declare(scheduler.Job("core.test_sched", scheduler.DAY))
        scheduler.declare(scheduler.Job("core.test_sched", 5))
        assert [job.every for job in scheduler.JOBS if job.name == "core.test_sched"] == [5]
    finally:
        scheduler.JOBS[:] = before


@pytest.mark.django_db
def test_a_failing_task_is_retried_with_backoff_then_succeeds(settings):
    settings.GONGKAI_TASKS_RETRY_SECONDS = 30
    settings.GONGKAI_TASKS_MAX_ATTEMPTS = 3
    with time_machine.travel(NOW, tick=False) as clock:
        queued = tasks.task_enqueue(name="core.test_flaky", payload={})
        tasks.run_pending()
        queued.refresh_from_db()
        assert queued.status == TaskStatus.QUEUED and queued.attempts == 1
        assert queued.run_after == NOW + timedelta(seconds=30)
        assert "ConnectionError" in queued.error
        assert tasks.run_pending() == []  # not before its time
        clock.move_to(NOW + timedelta(seconds=30))
        tasks.run_pending()
        queued.refresh_from_db()
        assert queued.attempts == 2 and queued.run_after == NOW + timedelta(seconds=90)
        clock.move_to(NOW + timedelta(seconds=90))
        tasks.run_pending()
    queued.refresh_from_db()
    assert queued.status == TaskStatus.DONE and queued.attempts == 3 and queued.error == ""
    verbs = list(
        AuditEvent.objects.filter(object_type="core.task", object_id=str(queued.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs.count("task.retry") == 2 and verbs[-1] == "task.done"


@pytest.mark.django_db
def test_a_task_failing_every_attempt_fails_for_good(settings):
    settings.GONGKAI_TASKS_MAX_ATTEMPTS = 2
    settings.GONGKAI_TASKS_RETRY_SECONDS = 10
    with time_machine.travel(NOW, tick=False) as clock:
        queued = tasks.task_enqueue(name="core.test_flaky", payload={})
        tasks.run_pending()
        clock.move_to(NOW + timedelta(seconds=10))
        tasks.run_pending()
    queued.refresh_from_db()
    assert queued.status == TaskStatus.FAILED and queued.attempts == 2


def test_the_backoff_doubles_up_to_an_hour(settings):
    settings.GONGKAI_TASKS_RETRY_SECONDS = 30
    assert [tasks.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert tasks.retry_delay(20) == timedelta(hours=1)


@pytest.mark.django_db
def test_the_worker_loop_runs_queued_tasks_until_stopped():
    stop = threading.Event()
    tasks.task_enqueue(name="core.test_sched", payload={})
    done = []

    def on_end(task):
        done.append(task.status)
        stop.set()

    assert tasks.worker_loop(stop=stop, poll=0.01, on_end=on_end) == 1
    assert done == ["done"] and CALLS == [1]


@tasks.task("core.test_leaky")
def leaky(payload, progress):
    raise ValueError("no such applicant 330902198001011233")


@pytest.mark.django_db
def test_a_tasks_error_is_kept_without_personal_data(settings):
    settings.GONGKAI_TASKS_MAX_ATTEMPTS = 1
    queued = tasks.task_enqueue(name="core.test_leaky", payload={})
    tasks.run_pending()
    queued.refresh_from_db()
    assert queued.status == TaskStatus.FAILED
    assert "ValueError" in queued.error and "330902198001011233" not in queued.error
    fail = AuditEvent.objects.get(verb="task.fail", object_id=str(queued.pk))
    assert "330902198001011233" not in fail.after["error"]


@tasks.task("core.test_log_id")
def log_id(payload, progress):
    from gongkai.core.logs import current_request_id

    CALLS.append(current_request_id())


@pytest.mark.django_db
def test_a_task_carries_the_request_id_that_queued_it():
    from gongkai.core.logs import request_id_var

    token = request_id_var.set("req-0123456789ab")
    try:
        queued = tasks.task_enqueue(name="core.test_log_id", payload={})
    finally:
        request_id_var.reset(token)
    other = tasks.task_enqueue(name="core.test_log_id", payload={})  # outside a request
    tasks.run_pending()
    assert queued.request_id == "req-0123456789ab" and other.request_id == ""
    assert CALLS == ["req-0123456789ab", f"task-{other.pk}"]
