"""The confirmed publications import as a background task (catalogue.import_publications): a
rerun changes nothing, rows rejected when it runs are shown on its page, and the page is its
author's alone."""

from datetime import date

import pytest

from gongkai.catalogue import services
from gongkai.catalogue.imports_queue import IMPORT_PUBLICATIONS_TASK
from gongkai.catalogue.models import Item, ItemStatus, Publication
from gongkai.catalogue.tests.test_views_import import (
    PUB_HEADINGS,
    PUBLICATIONS_KEY,
    confirm,
    csv_file,
    html,
    staged_files,
    upload,
    url,
)
from gongkai.core.models import AuditEvent, Task, TaskStatus
from gongkai.core.tasks import run_task


@pytest.fixture
def weibo(town):
    return services.channel_create(actor=None, agency=town, kind="weibo", name="六横发布")


@pytest.fixture
def posted(item_in):
    return [item_in(ItemStatus.PUBLISHED, title="关于春季森林防火的通告")]


def _confirmed(client, town, people, weibo, posted) -> Task:
    client.force_login(people.editor)
    rows = [PUB_HEADINGS, [posted[0].index_number, "", "2026-03-05", "https://weibo.com/1"]]
    upload(client, url("publication-import", town, weibo.pk), csv_file(rows))
    sha = client.session[PUBLICATIONS_KEY]["sha256"]
    done = confirm(client, url("publication-import-confirm", town, weibo.pk), sha)
    assert done.status_code == 302
    return Task.objects.get(name=IMPORT_PUBLICATIONS_TASK)


def test_a_finished_publications_import_run_again_changes_nothing(
    client, town, people, weibo, posted, private_root
):
    task = _confirmed(client, town, people, weibo, posted)
    assert task.payload["channel"] == weibo.pk and task.payload["user"] == people.editor.pk
    assert run_task(task.pk).status == TaskStatus.DONE
    task.refresh_from_db()
    assert task.progress == "1 / 1" and len(task.payload["result"]["publications"]) == 1
    assert staged_files(private_root) == []
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.QUEUED)  # as if taken again
    assert run_task(task.pk).status == TaskStatus.DONE
    assert Publication.objects.get(channel=weibo).published_on == date(2026, 3, 5)
    assert AuditEvent.objects.filter(verb="publication.import").count() == 1


def test_rows_rejected_when_the_task_runs_are_shown_and_nothing_is_recorded(
    client, town, people, weibo, posted, private_root
):
    task = _confirmed(client, town, people, weibo, posted)
    # the catalogue changed between the preview and the task: the index number is gone
    Item.objects.filter(pk=posted[0].pk).update(index_number="LH-2026-99999")
    assert run_task(task.pk).status == TaskStatus.DONE
    page = client.get(url("publication-import-run", town, weibo.pk, task.pk))
    assert page.status_code == 400 and [e.row for e in page.context["errors"]] == [2]
    assert 'class="import-error"' in html(page)
    assert not Publication.objects.filter(channel=weibo).exists()


def test_the_run_page_is_its_authors_alone(client, town, people, weibo, posted, private_root):
    task = _confirmed(client, town, people, weibo, posted)
    run_page = url("publication-import-run", town, weibo.pk, task.pk)
    client.force_login(people.reviewer)  # may record publications, did not start this one
    assert client.get(run_page).status_code == 404
    client.force_login(people.editor)
    other = Task.objects.create(name="catalogue.import_items", payload=task.payload)
    assert client.get(url("publication-import-run", town, weibo.pk, other.pk)).status_code == 404
