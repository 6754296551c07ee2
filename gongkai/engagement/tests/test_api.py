"""The engagement API: staff list/create through the services with a token, tenancy, the
public 找错 intake and status, errors."""

import json
from datetime import date

import pytest
import time_machine
from django.test import Client

from gongkai.api import services as api_services
from gongkai.engagement import services
from gongkai.engagement.models import ErrorReport, Incident

pytestmark = pytest.mark.django_db

BASE = "/api/v1/engagement"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-06-30 10:00 +0800", tick=False):
        yield


def headers(user):
    _token, key = api_services.api_token_create(actor=None, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def test_incident_create_respond_list(town, other_town, people):
    client = Client()
    auth = headers(people.officer)
    response = post(
        client,
        f"{BASE}/incidents",
        {
            "agency": "liuheng",
            "topic": "网传停水",
            "source": "wechat",
            "first_seen_on": "2026-06-01",
        },
        **auth,
    )
    assert response.status_code == 201, response.json()
    incident_id = response.json()["id"]
    response = post(
        client,
        f"{BASE}/incidents/{incident_id}/responses",
        {"channel": "wechat", "responded_on": "2026-06-02", "summary": "辟谣"},
        **auth,
    )
    assert response.status_code == 201
    assert response.json()["status"] == "responded"
    services.incident_create(
        actor=None, agency=other_town, topic="桃花", source="weibo", first_seen_on=date(2026, 6, 1)
    )
    listed = client.get(f"{BASE}/incidents", **auth).json()
    assert [row["topic"] for row in listed["items"]] == ["网传停水"]
    assert listed["items"][0]["responses"][0]["channel_label"] == "政务微信"


def test_incident_errors(town, people):
    client = Client()
    auth = headers(people.officer)
    assert client.get(f"{BASE}/incidents").status_code == 401
    future = post(
        client,
        f"{BASE}/incidents",
        {"agency": "liuheng", "topic": "x", "source": "wechat", "first_seen_on": "2026-07-30"},
        **auth,
    )
    assert future.status_code == 400 and "first_seen_on" in future.json()["errors"]
    elsewhere = post(
        client,
        f"{BASE}/incidents",
        {"agency": "taohua", "topic": "x", "source": "wechat", "first_seen_on": "2026-06-01"},
        **auth,
    )
    assert elsewhere.status_code == 400 and "agency" in elsewhere.json()["errors"]
    closed = services.incident_create(
        actor=None, agency=town, topic="y", source="weibo", first_seen_on=date(2026, 6, 1)
    )
    services.incident_close(actor=None, incident=closed, handling="处置")
    again = post(client, f"{BASE}/incidents/{closed.pk}/close", {"handling": "x"}, **auth)
    assert again.status_code == 409
    outsider = headers(people.outsider)
    assert post(client, f"{BASE}/incidents/{closed.pk}/close", {}, **outsider).status_code == 404
    assert Incident.objects.count() == 1


def test_conferences_and_interpretations(town, people, publish_item):
    client = Client()
    auth = headers(people.editor)
    response = post(
        client,
        f"{BASE}/conferences",
        {
            "agency": "liuheng",
            "held_on": "2026-04-23",
            "topic": "发布会",
            "speakers": "镇长",
            "principal_attended": True,
        },
        **auth,
    )
    assert response.status_code == 201 and response.json()["principal_attended"]
    policy = publish_item(town, "甲办法")
    response = post(
        client,
        f"{BASE}/interpretations",
        {
            "agency": "liuheng",
            "policy_id": policy.pk,
            "form": "graphic",
            "title": "一图读懂甲办法",
            "published_on": "2026-03-03",
        },
        **auth,
    )
    assert response.status_code == 201 and response.json()["form_label"] == "图解"
    assert client.get(f"{BASE}/conferences", **auth).json()["count"] == 1
    assert client.get(f"{BASE}/interpretations", **auth).json()["count"] == 1
    figures = client.get(f"{BASE}/figures?agency=liuheng&year=2026", **auth).json()
    values = {row["code"]: row["value"] for row in figures["rows"]}
    assert values["conferences"] == 1 and values["conferences_principal"] == 1
    assert values["interpretations"] == 1


def test_public_intake_and_status_then_staff_reply(town, people):
    visitor = Client()
    response = post(
        visitor,
        f"{BASE}/public/liuheng/error-reports",
        {"error_type": "typo", "description": "错别字", "contact": "13912345678"},
        REMOTE_ADDR="192.0.2.55",
    )
    assert response.status_code == 201
    reference, code = response.json()["reference"], response.json()["check_code"]
    assert reference == "ZC-2026-0001"

    staff = Client()
    auth = headers(people.officer)
    listed = staff.get(f"{BASE}/error-reports", **auth).json()["items"]
    assert listed[0]["contact_masked"] == "139****5678"
    assert "13912345678" not in json.dumps(listed)
    report_id = listed[0]["id"]
    assert (
        post(
            staff, f"{BASE}/error-reports/{report_id}/assign", {"assignee": "lh-editor"}, **auth
        ).json()["status"]
        == "assigned"
    )
    post(staff, f"{BASE}/error-reports/{report_id}/reply", {"reply": "已更正"}, **auth)
    closed = post(staff, f"{BASE}/error-reports/{report_id}/close", {"outcome": "fixed"}, **auth)
    assert closed.json()["status"] == "closed"

    status = post(
        visitor,
        f"{BASE}/public/liuheng/error-reports/status",
        {"reference": reference, "code": code},
    )
    assert status.status_code == 200
    assert (status.json()["reply"], status.json()["status_label"]) == ("已更正", "已办结")
    wrong = post(
        visitor,
        f"{BASE}/public/taohua/error-reports/status",
        {"reference": reference, "code": code},
    )
    assert wrong.status_code == 404


def test_public_rate_limit_is_429(town):
    visitor = Client()
    body = {"error_type": "link", "description": "链接错误"}
    for _ in range(services.REPORTS_PER_IP_PER_HOUR):
        assert (
            post(
                visitor, f"{BASE}/public/liuheng/error-reports", body, REMOTE_ADDR="192.0.2.9"
            ).status_code
            == 201
        )
    limited = post(visitor, f"{BASE}/public/liuheng/error-reports", body, REMOTE_ADDR="192.0.2.9")
    assert limited.status_code == 429
    assert ErrorReport.objects.count() == services.REPORTS_PER_IP_PER_HOUR


def test_public_status_lookup_is_limited(town):
    submitted = services.error_report_submit(
        agency=town, error_type="typo", description="错别字", ip="192.0.2.1"
    )
    visitor = Client()
    url = f"{BASE}/public/liuheng/error-reports/status"
    wrong = {"reference": submitted.report.reference, "code": "AAAAAAAA"}
    for _ in range(services.LOOKUP_FAILURES_PER_HOUR):
        assert post(visitor, url, wrong, REMOTE_ADDR="192.0.2.30").status_code == 404
    right = {**wrong, "code": submitted.check_code}
    assert post(visitor, url, right, REMOTE_ADDR="192.0.2.30").status_code == 429
    assert post(visitor, url, right, REMOTE_ADDR="192.0.2.31").status_code == 200
