"""Staff exports built by the task queue (gongkai.core.exports): the service (permission, audit),
the task (once, rerun after a crash, a role taken away meanwhile), the page and the file (the
starter's alone, X-Accel behind nginx), and the expiry of the files."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.core import exports, services
from gongkai.core.models import AuditEvent, Membership, Role, Task, TaskStatus
from gongkai.core.permissions import can_view_agency
from gongkai.core.tasks import run_task

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=CST)
KIND = "core.test_export"
CALLS: list[dict] = []


def _back(agency, params) -> str:
    return reverse("core:agency-detail", args=[agency.pk])


@exports.export_kind(
    KIND,
    label=lambda params: f"测试导出 {params.get('rows', 0)}",
    allowed=can_view_agency,
    back=_back,
)
def build(*, actor, agency, params, progress) -> exports.ExportFile:
    CALLS.append(params)
    rows = int(params.get("rows", 0))
    for done in range(rows + 1):
        progress(done, rows)
    if params.get("crash"):
        raise RuntimeError("worker killed")
    return exports.ExportFile(
        content=("行\n" * rows).encode(),
        file_name=f"{agency.short_name}导出.csv",
        content_type="text/csv",
    )


@pytest.fixture(autouse=True)
def fixed_now(time_machine):
    time_machine.move_to(NOW, tick=False)
    CALLS.clear()


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


@pytest.fixture
def officer(town, make_member):
    return make_member(town, Role.OFFICER)


def _started(officer, town, **params) -> Task:
    return exports.export_start(actor=officer, agency=town, kind=KIND, params=params)


def test_start_checks_the_permission_and_records_who_asked(officer, town, agency_tree, make_member):
    task = _started(officer, town, rows=3)
    assert task.status == TaskStatus.QUEUED and task.name == KIND
    assert task.payload["user"] == officer.pk and task.payload["params"] == {"rows": 3}
    event = AuditEvent.objects.get(verb="export.start")
    assert event.actor == officer and event.agency == town
    assert event.after == {"kind": KIND, "params": {"rows": 3}}
    outsider = make_member(agency_tree["other_town"], Role.OFFICER)
    with pytest.raises(PermissionDenied):
        _started(outsider, town)
    assert Task.objects.count() == 1
    with pytest.raises(LookupError):
        exports.export_start(actor=officer, agency=town, kind="core.ping")


def test_the_task_builds_the_file_once_and_keeps_it_privately(officer, town, private_root):
    task = _started(officer, town, rows=4)
    assert run_task(task.pk).status == TaskStatus.DONE
    task.refresh_from_db()
    result = task.payload["result"]
    assert task.progress == "4 / 4" and result["size"] == len("行\n".encode()) * 4
    assert result["file_name"] == "六横镇导出.csv" and result["file"].startswith("exports/")
    assert (private_root / result["file"]).read_bytes() == "行\n".encode() * 4
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.QUEUED)  # as if taken again
    assert run_task(task.pk).status == TaskStatus.DONE
    assert len(CALLS) == 1 and len(list((private_root / "exports").iterdir())) == 1


def test_a_crashed_export_fails_then_a_rerun_writes_the_same_file(
    officer, town, private_root, settings
):
    settings.GONGKAI_TASKS_MODE = "manual"  # retried with backoff, as by the worker
    task = _started(officer, town, rows=2, crash=True)
    assert run_task(task.pk) is not None
    task.refresh_from_db()
    assert task.status == TaskStatus.QUEUED and task.run_after > NOW  # waits for its retry
    assert "worker killed" in task.error and "result" not in task.payload
    # a previous attempt left its file behind before the result was stored
    (private_root / "exports").mkdir(parents=True, exist_ok=True)
    (private_root / "exports" / task.payload["token"]).write_bytes(b"half")
    payload = {**task.payload, "params": {"rows": 2}}
    Task.objects.filter(pk=task.pk).update(payload=payload, run_after=None)
    assert run_task(task.pk).status == TaskStatus.DONE
    task.refresh_from_db()
    assert task.payload["result"]["file"] == f"exports/{task.payload['token']}"
    assert (private_root / task.payload["result"]["file"]).read_bytes() == "行\n".encode() * 2


def test_a_role_taken_away_before_the_task_runs_builds_nothing(officer, town, private_root):
    task = _started(officer, town, rows=1)
    Membership.objects.filter(user=officer).delete()
    assert run_task(task.pk).status == TaskStatus.DONE
    task.refresh_from_db()
    assert task.payload["result"] == {"refused": True} and CALLS == []


def test_the_page_and_the_file_are_the_starters_alone(
    client, officer, town, make_member, agency_tree, private_root
):
    task = _started(officer, town, rows=2)
    page = reverse("core:export", args=[task.pk])
    file = reverse("core:export-file", args=[task.pk])
    client.force_login(officer)
    waiting = client.get(page)
    assert waiting.status_code == 200 and waiting.headers["Refresh"] == "2"
    assert 'id="export-running"' in waiting.content.decode()
    assert client.get(file).status_code == 404  # not built yet
    run_task(task.pk)
    ready = client.get(page)
    assert "Refresh" not in ready.headers and file in ready.content.decode()
    # the breadcrumbs name the export's agency (not the agency whose pk is the task's)
    crumbs = ready.content.decode().split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert town.name in crumbs
    got = client.get(file)
    assert got.status_code == 200 and got["Cache-Control"].startswith("private, no-store")
    assert b"".join(got.streaming_content) == "行\n".encode() * 2
    assert AuditEvent.objects.filter(verb="export.download", actor=officer).count() == 1
    # a colleague of the same agency, the supervisor above, the platform administrator: 404
    colleague = make_member(town, Role.OFFICE_HEAD)
    supervisor = make_member(agency_tree["district"], Role.SUPERVISOR)
    for other in (colleague, supervisor):
        client.force_login(other)
        assert client.get(page).status_code == 404 and client.get(file).status_code == 404
    # the starter whose role was taken away: 404 as well
    Membership.objects.filter(user=officer).delete()
    services.membership_grant(
        actor=None, user=officer, agency=agency_tree["other_town"], role=Role.OFFICER
    )
    client.force_login(officer)
    assert client.get(file).status_code == 404


def test_behind_nginx_the_file_is_sent_by_x_accel(client, officer, town, settings, private_root):
    settings.GONGKAI_PRIVATE_ACCEL_PREFIX = "/_private/"
    task = _started(officer, town, rows=1)
    run_task(task.pk)
    task.refresh_from_db()
    client.force_login(officer)
    got = client.get(reverse("core:export-file", args=[task.pk]))
    assert got.status_code == 200 and got.content == b""
    assert got["X-Accel-Redirect"] == f"/_private/{task.payload['result']['file']}"


def test_files_expire_after_their_keeping_time(
    client, officer, town, settings, private_root, time_machine
):
    settings.GONGKAI_EXPORTS_KEEP_SECONDS = 3600
    task = _started(officer, town, rows=1)
    run_task(task.pk)
    task.refresh_from_db()
    stored = private_root / task.payload["result"]["file"]
    client.force_login(officer)
    assert exports.exports_expire() == 0 and stored.exists()
    time_machine.move_to(NOW + timedelta(minutes=61), tick=False)
    client.force_login(officer)  # the session of an hour ago has ended
    # past its time the file is no longer served, even before the job removed it
    assert client.get(reverse("core:export-file", args=[task.pk])).status_code == 404
    assert exports.exports_expire() == 1 and not stored.exists()
    assert exports.exports_expire() == 0  # rerunnable
    page = client.get(reverse("core:export", args=[task.pk]))
    assert page.status_code == 200 and 'id="export-expired"' in page.content.decode()
    assert run_task(exports_task_pk()).status == TaskStatus.DONE


def exports_task_pk() -> int:
    from gongkai.core.tasks import task_enqueue

    return task_enqueue(name="core.exports_expire", payload={}).pk
