"""The confirmed items import as a background task (catalogue.import_items): its page while it
runs and after, a rerun that changes nothing, a crash that leaves nothing and reruns whole."""

from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection, connections

from gongkai.catalogue import imports_queue
from gongkai.catalogue.models import Item
from gongkai.catalogue.tests.test_views_import import (
    GOOD_ITEMS,
    ITEMS_KEY,
    confirm,
    csv_file,
    html,
    staged_files,
    upload,
    url,
)
from gongkai.core import imports_queue as core_queue
from gongkai.core.models import AuditEvent, Task, TaskStatus
from gongkai.core.tasks import run_task

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=CST)


@pytest.fixture(autouse=True)
def fixed_now(time_machine):
    time_machine.move_to(NOW)


def _confirmed(client, town, people) -> Task:
    """The editor previews GOOD_ITEMS and confirms; the task is queued, not run yet."""
    client.force_login(people.editor)
    upload(client, url("item-import", town), csv_file(GOOD_ITEMS))
    sha = client.session[ITEMS_KEY]["sha256"]
    done = confirm(client, url("item-import-confirm", town), sha)
    assert done.status_code == 302
    return Task.objects.get(name=imports_queue.IMPORT_ITEMS_TASK)


def test_the_page_refreshes_while_the_import_waits(client, town, people, column, private_root):
    task = _confirmed(client, town, people)  # no commit in this test: the task stays queued
    assert task.status == TaskStatus.QUEUED and ITEMS_KEY not in client.session
    (staged,) = staged_files(private_root)  # kept, private, for the task
    assert task.payload["file"] == f"imports/{staged.name}"
    page = client.get(url("item-import-run", town, task.pk))
    assert page.status_code == 200 and page.headers["Refresh"] == "2"
    assert 'id="import-running"' in html(page) and not Item.objects.exists()


def test_a_finished_import_run_again_changes_nothing(client, town, people, column, private_root):
    task = _confirmed(client, town, people)
    assert run_task(task.pk).status == TaskStatus.DONE
    task.refresh_from_db()
    assert task.progress == "2 / 2" and len(task.payload["result"]["items"]) == 2
    assert staged_files(private_root) == []
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.QUEUED)  # as if taken again
    assert run_task(task.pk).status == TaskStatus.DONE
    assert Item.objects.count() == 2
    assert AuditEvent.objects.filter(verb="item.import").count() == 1


def test_a_crashed_import_leaves_nothing_shows_the_failure_and_reruns_whole(
    client, town, people, column, private_root, monkeypatch
):
    task = _confirmed(client, town, people)
    store = core_queue._store

    def crash(*args, **kwargs):  # the process dies after writing the rows, before committing
        raise RuntimeError("worker killed")

    monkeypatch.setattr(core_queue, "_store", crash)
    assert run_task(task.pk).status == TaskStatus.FAILED  # eager: the first failure is final
    assert not Item.objects.exists() and not AuditEvent.objects.filter(verb="item.import")
    assert len(staged_files(private_root)) == 1  # the file stays for the rerun
    page = client.get(url("item-import-run", town, task.pk))
    assert page.status_code == 200 and "Refresh" not in page.headers
    assert page.context["failed"] and 'id="import-failed"' in html(page)

    monkeypatch.setattr(core_queue, "_store", store)
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.QUEUED)
    assert run_task(task.pk).status == TaskStatus.DONE
    assert Item.objects.count() == 2 and staged_files(private_root) == []
    assert client.get(url("item-import-run", town, task.pk)).context["created"] == 2


def test_only_the_user_who_confirmed_sees_the_import(client, town, people, column, private_root):
    task = _confirmed(client, town, people)
    client.force_login(people.officer)  # may import too, but did not queue this one
    assert client.get(url("item-import-run", town, task.pk)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_outside_while_the_rows_are_written(
    client, town, people, column, private_root, monkeypatch, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the progress shows at the end")
    settings.GONGKAI_TASKS_MODE = "manual"  # committed and queued; run below
    task = _confirmed(client, town, people)
    seen = []
    side_progress = core_queue._side_progress

    def watched(task_pk):
        report, side = side_progress(task_pk)

        def look(text):  # what another request sees after each row: progress, no item yet
            report(text)
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT progress FROM core_task WHERE id = %s", [task_pk])
                    progress = cursor.fetchone()[0]
                    cursor.execute("SELECT count(*) FROM catalogue_item")
                    seen.append((progress, cursor.fetchone()[0]))
            finally:
                other.close()

        return look, side

    monkeypatch.setattr(core_queue, "_side_progress", watched)
    assert run_task(task.pk).status == TaskStatus.DONE
    assert seen == [("1 / 2", 0), ("2 / 2", 0)]
    assert Item.objects.count() == 2
