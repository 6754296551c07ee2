"""Stale tasks: a running task whose process stopped goes back to the queue (the worker thread
looks too, not only `gongkai tasks run`), its attempts counted, and fails after the maximum;
and the read-only admin list of tasks. The clock is frozen."""

import os
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from gongkai.core import tasks
from gongkai.core.models import AuditEvent, Task, TaskStatus
from gongkai.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RUNS: list[dict] = []


@tasks.task("core.test_reclaim")
def record(payload, progress):
    progress("read page 1")
    RUNS.append(payload)


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.GONGKAI_TASKS_STALE_SECONDS = 900
    settings.GONGKAI_TASKS_MAX_ATTEMPTS = 3
    RUNS.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def running(*, attempts: int, silent: timedelta, payload=None) -> Task:
    return Task.objects.create(
        name="core.test_reclaim",
        payload=payload or {},
        status=TaskStatus.RUNNING,
        attempts=attempts,
        started_at=NOW - silent - timedelta(minutes=1),
        heartbeat_at=NOW - silent,
    )


def events(task: Task) -> list[tuple[str, dict]]:
    return [
        (e.verb, e.after)
        for e in AuditEvent.objects.filter(
            object_type="core.task", object_id=str(task.pk)
        ).order_by("id")
    ]


def test_a_stale_task_goes_back_to_the_queue_with_its_attempts_counted():
    stale = running(attempts=1, silent=timedelta(minutes=16))
    alive = running(attempts=1, silent=timedelta(minutes=14))  # within the limit: left alone
    assert tasks.reclaim_stale() == [stale]
    stale.refresh_from_db()
    assert stale.status == TaskStatus.QUEUED and stale.attempts == 1 and stale.progress == ""
    assert Task.objects.get(pk=alive.pk).status == TaskStatus.RUNNING
    assert events(stale) == [
        (
            "task.queue",
            {"name": "core.test_reclaim", "status": "queued", "attempts": 1, "stale": True},
        )
    ]
    # taken again, it counts one more attempt
    tasks.run_pending(reclaim=False)
    stale.refresh_from_db()
    assert stale.status == TaskStatus.DONE and stale.attempts == 2


def test_a_task_stale_after_the_last_attempt_fails():
    exhausted = running(attempts=3, silent=timedelta(hours=1))
    assert tasks.reclaim_stale() == [exhausted]
    exhausted.refresh_from_db()
    assert exhausted.status == TaskStatus.FAILED and exhausted.finished_at == NOW
    assert "3 attempts" in exhausted.error
    ((verb, after),) = events(exhausted)
    assert verb == "task.fail" and after["stale"] is True and after["attempts"] == 3
    assert tasks.run_pending() == [] and RUNS == []  # never run again


def test_the_stale_limit_follows_the_frozen_clock(frozen):
    task = running(attempts=1, silent=timedelta(minutes=10))
    assert tasks.reclaim_stale() == []
    frozen.shift(timedelta(minutes=5, seconds=1))
    assert tasks.reclaim_stale() == [task]


def test_three_interruptions_then_failure(frozen):
    """The same task interrupted again and again: queued, run (interrupted), … then failed."""
    task = running(attempts=1, silent=timedelta(minutes=20))
    for attempt in (2, 3):
        tasks.reclaim_stale()
        assert Task.objects.get(pk=task.pk).status == TaskStatus.QUEUED
        # a worker takes it and its process stops: it stays running, silent
        assert tasks._claim(task.pk) is not None
        assert Task.objects.get(pk=task.pk).attempts == attempt
        frozen.shift(timedelta(minutes=16))
    tasks.reclaim_stale()
    task.refresh_from_db()
    assert task.status == TaskStatus.FAILED and task.attempts == 3
    assert [verb for verb, _ in events(task)] == [
        "task.queue",
        "task.start",
        "task.queue",
        "task.start",
        "task.fail",
    ]


@pytest.mark.skipif(
    os.environ.get("GONGKAI_SHIFTED_CLOCK") == "1",
    reason="under libfaketime (make test-shifted) a timed wait never expires: Python measures it "
    "on the faked monotonic clock through sem_clockwait, which libfaketime does not intercept",
)
def test_the_worker_thread_reclaims_without_being_woken(settings, monkeypatch):
    """A look on the clock alone (GONGKAI_TASKS_POLL_SECONDS) runs a reclaiming pass."""
    settings.GONGKAI_TASKS_MODE = "thread"
    settings.GONGKAI_TASKS_POLL_SECONDS = 0.05
    passes = []
    looked = threading.Event()

    def run_pending(**kwargs):
        passes.append(kwargs)
        looked.set()

    monkeypatch.setattr(tasks, "run_pending", run_pending)
    worker = tasks._Worker()
    worker.wake()
    assert looked.wait(5)
    looked.clear()
    assert looked.wait(5)  # a second pass, with no wake()
    assert all(p == {"reclaim": True} for p in passes)
    # back in another mode (as after this test), the thread's looks on the clock do nothing
    settings.GONGKAI_TASKS_MODE = "eager"
    time.sleep(0.2)  # a pass under way when the mode changed ends
    looked.clear()
    assert not looked.wait(0.3)


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def root():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_the_admin_lists_tasks_read_only(client, root):
    done = Task.objects.create(name="catalogue.ocr", status=TaskStatus.DONE, attempts=1)
    running(attempts=2, silent=timedelta(minutes=1))
    done.progress = "第 3/3 页"
    done.save()
    client.force_login(root)
    listing = client.get(reverse("admin:core_task_changelist"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "catalogue.ocr" in html and "core.test_reclaim" in html and "第 3/3 页" in html
    filtered = client.get(reverse("admin:core_task_changelist"), {"status__exact": "done"})
    assert list(filtered.context["cl"].result_list) == [done]
    detail = client.get(reverse("admin:core_task_change", args=[done.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()  # nothing to save
    assert client.get(reverse("admin:core_task_add")).status_code == 403
    before = done.status
    response = client.post(
        reverse("admin:core_task_change", args=[done.pk]), {"status": "queued", "attempts": 0}
    )
    assert response.status_code == 403
    assert Task.objects.get(pk=done.pk).status == before
    assert (
        client.post(reverse("admin:core_task_delete", args=[done.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Task.objects.filter(pk=done.pk).exists()


def test_the_admin_list_columns(client, root):
    from gongkai.core.admin import TaskAdmin

    assert TaskAdmin.list_display == ["name", "status", "progress", "created_at", "attempts"]
    assert TaskAdmin.list_filter == ["status"]


def test_agency_staff_do_not_see_tasks(client, make_member, town):
    from gongkai.core.models import Role

    admin = make_member(town, Role.AGENCY_ADMIN, "lh-admin")
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("admin:core_task_changelist")).status_code == 403
