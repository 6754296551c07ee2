"""The replica router (issue 18, item 5): public reads to the replica, everything else to the
primary, and the primary when the replica is unreachable or behind.

The test settings declare the alias `replica` as a mirror of the test database (Django's TEST
MIRROR): another connection to the same database, as a streaming replica is to the primary.
Transactional tests, so that rows written by one connection are seen by the other.
"""

from __future__ import annotations

import time

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.core import dbrouter
from gongkai.core.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def replica_reads(settings):
    settings.GONGKAI_REPLICA_READS = True
    settings.GONGKAI_REPLICA_MAX_LAG_SECONDS = 30
    settings.GONGKAI_REPLICA_CHECK_SECONDS = 5
    dbrouter.state.reset()
    yield
    dbrouter.state.reset()


@pytest.fixture
def unreachable_replica():
    """The replica's alias pointed at a database that cannot be opened."""
    conn = connections["replica"]
    conn.close()
    if conn.connection is not None:  # SQLite keeps an in-memory database's connection open
        conn.connection.close()
        conn.connection = None
    saved = dict(conn.settings_dict)
    if conn.vendor == "postgresql":
        conn.settings_dict.update(HOST="127.0.0.1", PORT="9", OPTIONS={"connect_timeout": 2})
    else:
        conn.settings_dict["NAME"] = "/nonexistent-directory/replica.sqlite3"
    yield conn
    conn.close()
    conn.settings_dict.clear()
    conn.settings_dict.update(saved)


def replica_queries(client, path, method="get", **kwargs):
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        with CaptureQueriesContext(connections["default"]) as on_primary:
            response = getattr(client, method)(path, **kwargs)
    return response, len(on_replica.captured_queries), len(on_primary.captured_queries)


def test_a_public_page_reads_from_the_replica(client, agency_tree):
    response, replica, _primary = replica_queries(client, "/gk/liuheng/")
    assert response.status_code == 200
    assert replica > 0


def test_search_and_feeds_read_from_the_replica(client, agency_tree):
    for path in ("/search/?q=通知", "/gk/liuheng/feed/rss.xml"):
        response, replica, _primary = replica_queries(client, path)
        assert response.status_code == 200, path
        assert replica > 0, path


def test_without_the_setting_everything_reads_from_the_primary(client, agency_tree, settings):
    settings.GONGKAI_REPLICA_READS = False
    response, replica, primary = replica_queries(client, "/gk/liuheng/")
    assert response.status_code == 200
    assert (replica, primary > 0) == (0, True)


def test_staff_pages_and_sessions_never_read_from_the_replica(client, agency_tree):
    user = UserFactory(username="replica-staff")
    MembershipFactory(user=user, agency=agency_tree["town"])
    client.force_login(user)
    for path in ("/staff/", "/gk/liuheng/"):
        response, replica, primary = replica_queries(client, path)
        assert response.status_code == 200, path
        # the session and the user come from the primary even on a public page
        assert primary > 0, path
    response, replica, _ = replica_queries(client, "/staff/")
    assert replica == 0


def test_the_citizens_lookups_and_writes_use_the_primary(client, agency_tree):
    # the status look-up reads an application (not public data): not a public read
    for method, path in (("get", "/gk/liuheng/apply/status/"), ("post", "/search/")):
        response, replica, _ = replica_queries(client, path, method=method)
        assert response.status_code < 500, path
        assert replica == 0, path


def test_a_replica_too_far_behind_is_left_out(client, agency_tree, settings):
    # the mirror is never behind: a negative bound makes any lag too much
    settings.GONGKAI_REPLICA_MAX_LAG_SECONDS = -1
    response, replica, primary = replica_queries(client, "/gk/liuheng/")
    assert response.status_code == 200
    assert replica <= 1  # the lag check itself (PostgreSQL), nothing else
    assert primary > 0
    assert dbrouter.state.usable is False and dbrouter.state.lag == 0


def test_the_state_is_asked_at_most_every_few_seconds(client, agency_tree):
    client.get("/gk/liuheng/")
    checked = dbrouter.state.checked_at
    client.get("/gk/liuheng/")
    assert dbrouter.state.checked_at == checked
    # a while later it is asked again
    dbrouter.state.checked_at -= 6
    client.get("/gk/liuheng/")
    assert dbrouter.state.checked_at > checked


def test_an_unreachable_replica_falls_back_to_the_primary(client, agency_tree, unreachable_replica):
    started = time.monotonic()
    response = client.get("/gk/liuheng/")
    assert response.status_code == 200
    assert dbrouter.state.usable is False
    assert time.monotonic() - started < 10


def test_a_replica_failing_during_a_request_is_answered_from_the_primary(
    agency_tree, unreachable_replica
):
    # the last check said usable: the replica stops under a request
    dbrouter.state.usable, dbrouter.state.checked_at = True, time.monotonic()
    # (the test client would raise the first attempt's error, which Django still logs)
    response = Client(raise_request_exception=False).get("/gk/liuheng/")
    assert response.status_code == 200
    assert b"liuheng" in response.content
    assert dbrouter.state.usable is False


def test_reads_inside_a_transaction_use_the_primary(agency_tree):
    from django.db import transaction

    from gongkai.core.models import Agency

    token = dbrouter._public.set(True)
    try:
        assert dbrouter.ReplicaRouter().db_for_read(Agency) == "replica"
        with transaction.atomic():
            assert dbrouter.ReplicaRouter().db_for_read(Agency) is None
        from gongkai.core.models import User

        assert dbrouter.ReplicaRouter().db_for_read(User) is None
    finally:
        dbrouter._public.reset(token)
    assert dbrouter.ReplicaRouter().db_for_read(Agency) is None
