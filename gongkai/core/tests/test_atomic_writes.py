"""Every writing request is all or nothing (issue 13, finding 6; gongkai.core.transactions).

A test-only step renames an agency through its service and then fails to answer: nothing it
saved stays, its on_commit work never runs, its "saved" message is not shown, and the retry
goes through. Reads run outside any transaction of their own (SQLite's write lock).
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from gongkai.core.models import Agency, AuditEvent

from . import urls_atomic


@pytest.fixture(autouse=True)
def test_urls(settings):
    settings.ROOT_URLCONF = "gongkai.core.tests.urls_atomic"
    urls_atomic.COMMITTED.clear()


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


def rename(client, town, answer, name="六横镇政府（改）"):
    return client.post(f"/test-atomic/rename/{town.pk}/", {"name": name, "answer": answer})


@pytest.mark.parametrize("answer", ["raise", "503"])
def test_a_step_whose_answer_fails_leaves_nothing(answer, town, django_capture_on_commit_callbacks):
    client = Client(raise_request_exception=False)
    name = town.name
    with django_capture_on_commit_callbacks(execute=True):
        response = rename(client, town, answer)
    assert response.status_code >= 500
    assert Agency.objects.get(pk=town.pk).name == name
    assert not AuditEvent.objects.filter(verb="agency.update").exists()
    assert urls_atomic.COMMITTED == []
    # The message queued before the failure is not shown on the next page.
    follow = client.get("/test-atomic/depth/")
    assert [str(m) for m in get_messages(follow.wsgi_request)] == []

    # The retry goes through, and its on_commit work runs once it committed.
    with django_capture_on_commit_callbacks(execute=True):
        assert rename(client, town, "ok").status_code == 200
    assert Agency.objects.get(pk=town.pk).name == "六横镇政府（改）"
    assert AuditEvent.objects.filter(verb="agency.update").count() == 1
    assert urls_atomic.COMMITTED == [town.pk]


def test_the_exception_still_reaches_the_error_handling(town):
    with pytest.raises(urls_atomic.AnswerFailed):
        rename(Client(), town, "raise")
    assert not AuditEvent.objects.filter(verb="agency.update").exists()


def test_only_writing_requests_open_a_transaction(client, db):
    reading = int(client.get("/test-atomic/depth/").content)
    for method in ("post", "put", "patch", "delete"):
        writing = int(getattr(client, method)("/test-atomic/depth/").content)
        assert writing == reading + 1, method
    assert int(client.head("/test-atomic/depth/").status_code) == 200
