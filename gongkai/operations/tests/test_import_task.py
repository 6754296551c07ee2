"""The post counts import, upload → preview → confirm, written by a background task
(operations.import_posts): its page while it runs and after, a rerun that changes nothing, a
crash that leaves nothing and reruns whole, and the page is its author's alone."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core import imports_queue as core_queue
from gongkai.core.models import AuditEvent, Task, TaskStatus
from gongkai.core.tasks import run_task
from gongkai.operations import imports_queue, services
from gongkai.operations.models import Platform, PostCount

pytestmark = pytest.mark.django_db
STAGED_KEY = "staging.operations.posts"

GOOD = (
    "平台,账号名称,开始日期,结束日期,发布数\n"
    "微博,六横发布,2026-01-01,2026-01-31,31\n"
    "微博,六横发布,2026-02-01,2026-02-28,28\n"
).encode()


def url(name, agency, **kwargs):
    return reverse(f"operations:{name}", kwargs={"agency": agency.slug, **kwargs})


def staged_files(private_root) -> list:
    folder = private_root / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def account(town):
    return services.account_create(
        actor=None,
        agency=town,
        platform=Platform.WEIBO,
        name="六横发布",
        opened_on=date(2015, 1, 1),
    )


def _previewed(client, town, user, data: bytes = GOOD):
    client.force_login(user)
    return client.post(url("posts-import", town), {"file": SimpleUploadedFile("发文.csv", data)})


def _confirmed(client, town, people) -> Task:
    """The officer previews GOOD and confirms; the task is queued, not run yet."""
    page = _previewed(client, town, people.officer)
    assert page.status_code == 200
    sha = client.session[STAGED_KEY]["sha256"]
    done = client.post(url("posts-import-confirm", town), {"sha256": sha})
    assert done.status_code == 302
    task = Task.objects.get(name=imports_queue.IMPORT_POSTS_TASK)
    assert done.url == url("posts-import-run", town, pk=task.pk)
    return task


def test_the_preview_lists_the_rows_and_records_nothing(
    client, town, people, account, private_root
):
    page = _previewed(client, town, people.officer)
    body = page.content.decode()
    assert [row.count for row in page.context["preview"].rows] == [31, 28]
    assert 'data-row="2"' in body and 'data-row="3"' in body
    assert url("posts-import-confirm", town) in body
    assert len(staged_files(private_root)) == 1 and not PostCount.objects.exists()
    assert not Task.objects.filter(name=imports_queue.IMPORT_POSTS_TASK).exists()


def test_a_wrong_row_rejects_the_file_with_its_error_in_chinese(
    client, town, people, account, private_root
):
    bad = GOOD + "微博,六横发布,2026-02-15,2026-03-31,abc\n".encode()
    page = _previewed(client, town, people.officer, bad)
    assert page.status_code == 400 and page.context["confirm_form"] is None
    rows = {error["row"]: error for error in page.context["errors"]}
    assert set(rows) == {4} and rows[4]["column"] == "发布数"
    assert rows[4]["message"] == "发布数“abc”不是0至1000000之间的整数。"
    assert staged_files(private_root) == [] and STAGED_KEY not in client.session


def test_the_page_refreshes_while_the_import_waits(client, town, people, account, private_root):
    task = _confirmed(client, town, people)  # no commit in this test: the task stays queued
    assert task.status == TaskStatus.QUEUED and STAGED_KEY not in client.session
    assert task.payload["user"] == people.officer.pk and task.payload["agency"] == town.pk
    (staged,) = staged_files(private_root)  # kept, private, for the task
    assert task.payload["file"] == f"imports/{staged.name}"
    page = client.get(url("posts-import-run", town, pk=task.pk))
    assert page.status_code == 200 and page.headers["Refresh"] == "2"
    assert 'id="import-running"' in page.content.decode() and not PostCount.objects.exists()


def test_a_confirmation_counts_once(client, town, people, account, private_root):
    task = _confirmed(client, town, people)
    again = client.post(url("posts-import-confirm", town), {"sha256": task.payload["sha256"]})
    assert again.status_code == 400
    assert Task.objects.filter(name=imports_queue.IMPORT_POSTS_TASK).count() == 1


def test_a_finished_import_run_again_changes_nothing(client, town, people, account, private_root):
    task = _confirmed(client, town, people)
    assert run_task(task.pk).status == TaskStatus.DONE
    task.refresh_from_db()
    assert task.progress == "2 / 2" and len(task.payload["result"]["post_counts"]) == 2
    assert staged_files(private_root) == []
    page = client.get(url("posts-import-run", town, pk=task.pk))
    assert page.status_code == 200 and "Refresh" not in page.headers
    assert page.context["recorded"] == 2 and 'id="import-done"' in page.content.decode()
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.QUEUED)  # as if taken again
    assert run_task(task.pk).status == TaskStatus.DONE
    assert PostCount.objects.filter(source=PostCount.Source.IMPORTED).count() == 2
    (event,) = AuditEvent.objects.filter(verb="post_count.import")
    assert event.actor == people.officer


def test_a_crashed_import_leaves_nothing_and_reruns_whole(
    client, town, people, account, private_root, monkeypatch
):
    task = _confirmed(client, town, people)
    store = core_queue._store

    def crash(*args, **kwargs):  # the process dies after writing the rows, before committing
        raise RuntimeError("worker killed")

    monkeypatch.setattr(core_queue, "_store", crash)
    assert run_task(task.pk).status == TaskStatus.FAILED  # eager: the first failure is final
    assert not PostCount.objects.exists()
    assert not AuditEvent.objects.filter(verb="post_count.import").exists()
    assert len(staged_files(private_root)) == 1  # the file stays for the rerun
    page = client.get(url("posts-import-run", town, pk=task.pk))
    assert page.status_code == 200 and page.context["failed"]
    assert 'id="import-failed"' in page.content.decode()

    monkeypatch.setattr(core_queue, "_store", store)
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.QUEUED)
    assert run_task(task.pk).status == TaskStatus.DONE
    assert sorted(PostCount.objects.values_list("count", flat=True)) == [28, 31]
    assert AuditEvent.objects.filter(verb="post_count.import").count() == 1
    assert staged_files(private_root) == []


def test_rows_rejected_when_the_task_runs_are_shown_and_nothing_is_recorded(
    client, town, people, account, private_root
):
    task = _confirmed(client, town, people)
    # recorded by hand between the preview and the task: the file's January now overlaps
    services.post_count_record(
        actor=None,
        account=account,
        period_start=date(2026, 1, 15),
        period_end=date(2026, 1, 20),
        count=3,
    )
    assert run_task(task.pk).status == TaskStatus.DONE
    page = client.get(url("posts-import-run", town, pk=task.pk))
    assert page.status_code == 400 and [e["row"] for e in page.context["errors"]] == [2]
    assert 'class="import-error"' in page.content.decode()
    assert PostCount.objects.count() == 1


def test_the_run_page_is_its_authors_alone(client, town, people, account, private_root):
    task = _confirmed(client, town, people)
    run_page = url("posts-import-run", town, pk=task.pk)
    client.force_login(people.head)  # may import too, did not confirm this one
    assert client.get(run_page).status_code == 404
    client.force_login(people.editor)  # no operations at all
    assert client.get(run_page).status_code == 404
    client.force_login(people.officer)
    other = Task.objects.create(name="catalogue.import_items", payload=task.payload)
    assert client.get(url("posts-import-run", town, pk=other.pk)).status_code == 404
    assert client.get(run_page).status_code == 200


def test_a_file_of_another_tab_or_user_is_not_confirmed(
    client, town, people, account, private_root
):
    _previewed(client, town, people.officer)
    record = client.session[STAGED_KEY]
    # a stale confirmation (another preview's hash) keeps the staged file
    stale = client.post(url("posts-import-confirm", town), {"sha256": "0" * 64})
    assert stale.status_code == 400 and len(staged_files(private_root)) == 1
    session = client.session
    session[STAGED_KEY] = {**record, "user": people.head.pk}
    session.save()
    refused = client.post(url("posts-import-confirm", town), {"sha256": record["sha256"]})
    assert refused.status_code == 400 and staged_files(private_root) == []
    assert not Task.objects.filter(name=imports_queue.IMPORT_POSTS_TASK).exists()
