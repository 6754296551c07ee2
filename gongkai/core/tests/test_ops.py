"""/healthz, /readyz and /metrics (gongkai.core.ops, gongkai.core.metrics)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from gongkai.applications import services as applications
from gongkai.applications.tests.conftest import person
from gongkai.core.metrics import REGISTRY
from gongkai.core.models import Role, Task, TaskStatus

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _broken_cache(tmp_path) -> dict:
    """A file cache whose folder lies under a regular file: every write fails for real."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocker / "cache"),
        }
    }


def test_healthz_answers_without_the_database(client):
    # No `db` fixture: any database access would raise here.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response


@override_settings(CACHES=LOCMEM)
def test_readyz_ok_reports_each_check_and_the_queue(client, db):
    Task.objects.create(name="core.noop", status=TaskStatus.QUEUED)
    Task.objects.create(name="core.noop", status=TaskStatus.DONE)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {
            "database": {"ok": True},
            "cache": {"ok": True},
            "queue": {"ok": True, "queued": 1},
        },
    }
    assert "no-cache" in response["Cache-Control"]


def test_readyz_503_names_a_cache_that_fails(client, db, tmp_path):
    with override_settings(CACHES=_broken_cache(tmp_path)):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"] == {"ok": False}
    assert body["checks"]["database"] == {"ok": True}
    # nothing of the failure's detail (here a path; elsewhere an address) leaves the server
    assert str(tmp_path) not in response.content.decode()


@override_settings(CACHES=LOCMEM)
def test_readyz_503_names_the_database_when_it_cannot_be_reached(client):
    # No `db` fixture: pytest-django refuses every query, as a database that is down would.
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["database", "queue"]
    assert body["checks"]["cache"] == {"ok": True}


def _gauges(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
def deadlines(agency_tree, make_member):
    """Three open applications of the town: one past due on 2026-11-23, one near due, one not."""
    town = agency_tree["town"]
    officer = make_member(town, Role.OFFICER)
    made = []
    for moment in ("2026-09-01 10:00 +0800", "2026-10-29 10:00 +0800", "2026-11-20 10:00 +0800"):
        with time_machine.travel(moment, tick=False):
            made.append(
                applications.application_submit(
                    agency=town, data=person(), channel="in_person", actor=officer
                ).application
            )
    # due 2026-09-29 and 2026-11-26 (test_commands.py); the third in December
    assert [a.due_on for a in made[:2]] == [date(2026, 9, 29), date(2026, 11, 26)]
    return made


def test_metrics_gauges_count_tasks_and_deadlines(client, deadlines):
    for status, n in ((TaskStatus.QUEUED, 2), (TaskStatus.RUNNING, 1), (TaskStatus.FAILED, 3)):
        for _ in range(n):
            Task.objects.create(name="core.noop", status=status)
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False):
        before_tick = _gauges(client.get("/metrics").content.decode())
        applications.applications_tick()
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    gauges = _gauges(response.content.decode())
    # the overdue count reads the dates: right before the day's tick too
    assert before_tick[("gongkai_applications_overdue", ())] == 1
    assert before_tick[("gongkai_applications_near_due", ())] == 0
    assert gauges[("gongkai_applications_open", ())] == 3
    assert gauges[("gongkai_applications_overdue", ())] == 1
    assert gauges[("gongkai_applications_near_due", ())] == 1
    assert gauges[("gongkai_task_queue_depth", (("status", "queued"),))] == 2
    assert gauges[("gongkai_task_queue_depth", (("status", "running"),))] == 1
    assert gauges[("gongkai_task_failures", ())] == 3


def test_metrics_scrape_is_a_few_queries(client, deadlines, django_assert_max_num_queries):
    # tasks by status, tasks retrying, the scheduler's last runs, the deadlines
    with django_assert_max_num_queries(4):
        assert client.get("/metrics").status_code == 200


def test_metrics_refused_from_an_address_not_allowed(client, db):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


@override_settings(GONGKAI_METRICS_ALLOWED_IPS=["10.1.0.0/16"])
def test_metrics_allowed_network_only(client, db):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 404
    assert client.get("/metrics").status_code == 404  # loopback too, once the setting says so


def test_latency_histogram_counts_a_request_by_view_name(client, db):
    # db: reading a sample the registry has not seen yet runs the database collector too
    def observed(view):
        labels = {"view": view}
        return REGISTRY.get_sample_value("gongkai_http_request_duration_seconds_count", labels) or 0

    def answered(status_class):
        labels = {"status_class": status_class}
        return REGISTRY.get_sample_value("gongkai_http_requests_total", labels) or 0

    before = observed("core:healthz"), answered("2xx"), answered("4xx")
    client.get("/healthz")
    client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    client.get("/no-such-page-anywhere/")
    after = observed("core:healthz"), answered("2xx"), answered("4xx")
    assert after[0] - before[0] == 2
    assert after[1] - before[1] == 2
    assert after[2] - before[2] == 1
    # the unknown path is counted under one label, not its own
    assert REGISTRY.get_sample_value(
        "gongkai_http_request_duration_seconds_count", {"view": "<unresolved>"}
    )


def test_metrics_count_retrying_tasks_and_the_schedulers_last_runs(client, db):
    from datetime import UTC, datetime

    from gongkai.core.models import ScheduledRun

    Task.objects.create(name="core.noop", status=TaskStatus.QUEUED, attempts=1)
    Task.objects.create(name="core.noop", status=TaskStatus.QUEUED)
    ScheduledRun.objects.create(
        job="core.clock_tick", slot="2026-03-02", claimed_at=datetime(2026, 3, 1, 16, 5, tzinfo=UTC)
    )
    gauges = _gauges(client.get("/metrics").content.decode())
    assert gauges[("gongkai_task_retrying", ())] == 1
    last = gauges[("gongkai_scheduler_last_run_timestamp_seconds", (("job", "core.clock_tick"),))]
    assert last == datetime(2026, 3, 1, 16, 5, tzinfo=UTC).timestamp()
