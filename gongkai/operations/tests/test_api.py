"""The operations API: list and create each record type with a token, scoped."""

import json

import pytest

from gongkai.api import services as api_services
from gongkai.core.models import AuditEvent
from gongkai.operations.models import Complaint, Meeting

pytestmark = pytest.mark.django_db
BASE = "/api/v1/operations/"


def headers(user):
    _token, key = api_services.api_token_create(actor=None, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, path, user, body):
    return client.post(
        BASE + path, data=json.dumps(body), content_type="application/json", **headers(user)
    )


CREATES = {
    "offices": {"year": 2026, "units": 1, "full_time_staff": 1, "part_time_staff": 2},
    "funds": {"year": 2026, "amount_wan": "1.25", "purpose": "专区建设"},
    "meetings": {"held_on": "2026-03-01", "title": "工作会议", "kind": "work"},
    "trainings": {"held_on": "2026-04-01", "title": "培训", "attendees": 30},
    "complaints": {
        "received_on": "2026-05-01",
        "channel": "phone",
        "summary": "投诉",
        "complainant": "王小明",
        "contact": "13812345678",
    },
    "accounts": {"platform": "weibo", "name": "六横发布", "opened_on": "2013-05-20"},
}


@pytest.mark.parametrize("path", list(CREATES))
def test_create_then_list(client, town, other_town, people, path):
    response = post(client, path, people.officer, {"agency": town.slug, **CREATES[path]})
    assert response.status_code == 201, response.content
    # The neighbouring town's officer neither sees it nor may write to the town.
    listed = client.get(BASE + path, **headers(people.outsider)).json()
    assert listed["count"] == 0
    response = post(client, path, people.outsider, {"agency": town.slug, **CREATES[path]})
    assert response.status_code == 400 and "agency" in response.json()["errors"]
    listed = client.get(BASE + path, {"agency": town.slug}, **headers(people.supervisor)).json()
    assert listed["count"] == 1


def test_complaints_are_masked(client, town, people):
    post(client, "complaints", people.officer, {"agency": town.slug, **CREATES["complaints"]})
    [row] = client.get(BASE + "complaints", **headers(people.head)).json()["items"]
    assert row["complainant"] == "王*明" and "13812345678" not in row["contact"]
    assert Complaint.objects.get().complainant == "王小明"


def test_supervisor_cannot_write(client, town, people):
    response = post(
        client, "meetings", people.supervisor, {"agency": town.slug, **CREATES["meetings"]}
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_post_counts_and_figures(client, town, people):
    account = post(client, "accounts", people.officer, {"agency": town.slug, **CREATES["accounts"]})
    account_id = account.json()["id"]
    body = {
        "account": account_id,
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "count": 200,
    }
    assert post(client, "post-counts", people.officer, body).status_code == 201
    overlapping = {**body, "period_start": "2025-06-01"}
    response = post(client, "post-counts", people.officer, overlapping)
    assert response.status_code == 400
    assert post(client, "post-counts", people.outsider, body).status_code == 400  # not theirs
    figures = client.get(
        BASE + "figures", {"agency": town.slug, "year": 2025}, **headers(people.officer)
    ).json()
    assert figures["posts"]["weibo"] == 200 and figures["weibo_accounts"] == 1
    assert [row["key"] for row in figures["rows"]][0] == "六"
    assert AuditEvent.objects.filter(verb="post_count.create").count() == 1


def test_invalid_input_is_a_400(client, town, people):
    response = post(
        client,
        "meetings",
        people.officer,
        {"agency": town.slug, "held_on": "x", "title": "t", "kind": "work"},
    )
    assert response.status_code == 400
    response = post(
        client,
        "meetings",
        people.officer,
        {"agency": town.slug, "held_on": "2026-01-01", "title": "t", "kind": "party"},
    )
    assert response.status_code == 400
