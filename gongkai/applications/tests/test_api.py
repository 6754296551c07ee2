"""The applications API: staff steps with a token through the services, tenancy, errors, and the
public submit / status / correction endpoints."""

import json
from datetime import date

import pytest
import time_machine

from gongkai.api import services as api_services
from gongkai.applications import services
from gongkai.applications.models import Application, Status
from gongkai.applications.tests.conftest import person
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db

BASE = "/api/v1/applications/"
PUBLIC = BASE + "public/"
ID_NUMBER = "330902199001011238"

APPLICANT = {
    "agency": "liuheng",
    "applicant_type": "natural_person",
    "applicant_name": "王小明",
    "id_type": "resident_id",
    "id_number": ID_NUMBER,
    "phone": "13800138000",
    "information": "2025年六横镇海塘加固工程的招标文件和中标公告",
    "forms": ["email"],
    "delivery": "email",
    "email": "wang@example.com",
}


class Staff:
    def __init__(self, user):
        self.user = user
        _token, key = api_services.api_token_create(actor=None, user=user, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def staff(office):
    return {key: Staff(user) for key, user in office.items() if key != "agency"}


def post(client, url, body=None, staff=None, **extra):
    headers = staff.headers if staff else {}
    return client.post(
        url, data=json.dumps(body or {}), content_type="application/json", **headers, **extra
    )


def registered(office, **kwargs):
    return services.application_submit(
        agency=office["agency"],
        data=person(),
        channel="in_person",
        actor=office["officer"],
        **kwargs,
    ).application


# --- schema and authentication -------------------------------------------------------------


def test_openapi_schema_lists_the_application_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/applications/public/submit" in paths
    assert "/api/v1/applications/public/status" in paths
    assert "/api/v1/applications/{application_id}/reply" in paths
    assert "/api/v1/catalogue/items" in paths  # the other router is still there


def test_staff_endpoints_need_a_token(client, office):
    app = registered(office)
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}{app.pk}").status_code == 401
    assert post(client, f"{BASE}{app.pk}/assign", {"handler": "x"}).status_code == 401


# --- reads: scope, masking, pagination -------------------------------------------------------


def test_list_is_scoped_masked_and_paginated(client, office, staff):
    for _ in range(3):
        registered(office)
    response = client.get(BASE + "?page_size=2", **staff["officer"].headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and len(body["items"]) == 2
    row = body["items"][0]
    assert row["id_number"] == "330902********1238"
    assert row["phone"] == "138****8000"
    assert row["agency"] == "liuheng" and row["status"] == "received"
    assert ID_NUMBER not in response.content.decode()
    # Another town's officer sees nothing; an editor of the same town neither.
    assert client.get(BASE, **staff["other_officer"].headers).json()["count"] == 0
    assert client.get(BASE, **staff["editor"].headers).json()["count"] == 0
    # The district supervisor reads the town's applications.
    assert client.get(BASE, **staff["supervisor"].headers).json()["count"] == 3


def test_list_filters(client, office, staff):
    first = registered(office)
    registered(office)
    services.application_withdraw(actor=office["officer"], application=first, note="撤回")
    headers = staff["officer"].headers
    assert client.get(BASE + "?status=open", **headers).json()["count"] == 1
    assert client.get(BASE + "?status=concluded", **headers).json()["count"] == 1
    found = client.get(BASE + f"?q={first.number}", **headers).json()
    assert [row["id"] for row in found["items"]] == [first.pk]


def test_detail_shows_the_clock_and_hides_other_agencies(client, office, staff):
    with time_machine.travel("2026-09-28 10:00 +0800", tick=False):
        app = registered(office)
    response = client.get(f"{BASE}{app.pk}", **staff["officer"].headers)
    assert response.status_code == 200
    body = response.json()
    assert body["due_on"] == "2026-10-30"
    assert body["clock"]["steps"][-1]["due"] == "2026-10-30"
    assert body["id_number"] == "330902********1238"
    assert "request_correction" in body["allowed_actions"]
    assert client.get(f"{BASE}{app.pk}", **staff["other_officer"].headers).status_code == 404
    assert client.get(f"{BASE}{app.pk + 1000}", **staff["officer"].headers).status_code == 404


def test_allowed_actions_are_the_users_own(client, office, staff):
    # the machine's guards with the request's user: a reader is offered no step
    app = registered(office)
    handler = client.get(f"{BASE}{app.pk}", **staff["officer"].headers).json()["allowed_actions"]
    reader = client.get(f"{BASE}{app.pk}", **staff["supervisor"].headers)
    assert reader.status_code == 200
    assert {"request_correction", "reply", "withdraw"} <= set(handler)
    assert "extend" not in handler  # a clock step, not a status step
    assert reader.json()["allowed_actions"] == []


# --- writes -----------------------------------------------------------------------------------


def test_full_workflow_through_the_api(client, office, staff):
    officer, head = staff["officer"], staff["head"]
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        body = {**APPLICANT, "channel": "in_person", "received_on": "2026-03-02"}
        response = post(client, BASE, body, officer)
        assert response.status_code == 201, response.json()
        pk = response.json()["id"]
        assert response.json()["status"] == "received"
        response = post(client, f"{BASE}{pk}/assign", {"handler": officer.user.username}, head)
        assert response.json()["status"] == "processing"
        assert response.json()["handler"] == officer.user.username
        response = post(client, f"{BASE}{pk}/notes", {"text": "电话核实了身份"}, officer)
        assert response.json()["events"][-1]["public"] is False
        response = post(
            client, f"{BASE}{pk}/correction/request", {"items": "请说明工程名称"}, officer
        )
        assert response.json()["status"] == "correction"
        assert response.json()["due_on"] is None
    with time_machine.travel("2026-03-06 10:00 +0800", tick=False):
        response = post(
            client, f"{BASE}{pk}/correction/receive", {"text": "海塘加固工程（二期）"}, officer
        )
        assert response.json()["due_on"] == "2026-04-03"
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        response = post(
            client,
            f"{BASE}{pk}/consultations",
            {"kind": "third_party", "addressee": "舟山演示建设有限公司"},
            officer,
        )
        assert response.json()["status"] == "consulting"
        assert response.json()["clock"]["provisional"] is True
        consultation = response.json()["consultations"][0]["id"]
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        response = post(
            client,
            f"{BASE}{pk}/consultations/{consultation}/close",
            {"reply": "agree"},
            officer,
        )
        assert response.json()["status"] == "processing"
        # 8 working days paused (03-11…03-13, 03-16…03-20): 28 from 03-06 → 04-16.
        assert response.json()["due_on"] == "2026-04-16"
        refused = post(client, f"{BASE}{pk}/extend", {"days": 10, "reason": "档案多"}, officer)
        assert refused.status_code == 403
        response = post(client, f"{BASE}{pk}/extend", {"days": 10, "reason": "档案多"}, head)
        assert response.status_code == 200
        assert response.json()["clock"]["extension_workdays"] == 10
        quote = client.get(
            f"{BASE}{pk}/fee-quote?schedule=per_page&pages=120", **officer.headers
        ).json()
        assert quote["amount"] == 1100
        response = post(
            client, f"{BASE}{pk}/fee/notify", {"schedule": "per_page", "pages": 120}, officer
        )
        assert response.json()["status"] == "awaiting_payment"
        assert response.json()["fee"]["amount"] == 1100
        again = post(client, f"{BASE}{pk}/fee/notify", {"schedule": "per_item"}, officer)
        assert again.status_code == 409
        response = post(client, f"{BASE}{pk}/fee/pay", {"receipt_number": "R-9"}, officer)
        assert response.json()["fee"]["paid_on"] == "2026-03-20"
    with time_machine.travel("2026-04-15 10:00 +0800", tick=False):
        reply = {"outcome": "partial", "reason": "部分内容涉及商业秘密"}
        # the agency requires the head's sign-off: no reply at once, a draft signed off first
        assert post(client, f"{BASE}{pk}/reply", reply, officer).status_code == 409
        assert post(client, f"{BASE}{pk}/reply-draft", reply, officer).status_code == 200
        assert post(client, f"{BASE}{pk}/reply-draft/issue", None, officer).status_code == 409
        assert post(client, f"{BASE}{pk}/reply-draft/submit", None, officer).status_code == 200
        assert post(client, f"{BASE}{pk}/reply-draft/sign", None, officer).status_code == 403
        assert post(client, f"{BASE}{pk}/reply-draft/sign", None, head).status_code == 200
        response = post(client, f"{BASE}{pk}/reply-draft/issue", None, officer)
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "concluded" and body["outcome_row_2021"] == "三（二）"
        assert {letter["kind"] for letter in body["letters"]} >= {"correction", "reply"}
        response = post(client, f"{BASE}{pk}/archive", None, officer)
        assert response.json()["status"] == "archived"
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        response = post(
            client,
            f"{BASE}{pk}/appeals",
            {"kind": "review", "filed_on": "2026-05-18", "body": "舟山市普陀区人民政府"},
            officer,
        )
        appeal = response.json()["appeals"][0]
        assert appeal["result"] == "pending"
        response = post(
            client,
            f"{BASE}{pk}/appeals/{appeal['id']}/decide",
            {"result": "maintained", "decided_on": "2026-05-20"},
            officer,
        )
        assert response.json()["appeals"][0]["result_label"] == "结果维持"
    verbs = set(AuditEvent.objects.filter(object_id=str(pk)).values_list("verb", flat=True))
    assert {"application.submit", "application.extend", "application.archive"} <= verbs


def test_validation_errors_are_400_with_fields(client, office, staff):
    app = registered(office)
    response = post(client, f"{BASE}{app.pk}/reply", {"outcome": "privacy"}, staff["officer"])
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "reason" in response.json()["errors"]
    response = post(
        client, BASE, {**APPLICANT, "channel": "in_person", "phone": "12"}, staff["officer"]
    )
    assert response.status_code == 400 and "phone" in response.json()["errors"]
    response = post(client, f"{BASE}{app.pk}/extend", {"days": 25, "reason": "x"}, staff["head"])
    assert response.status_code == 400 and "days" in response.json()["errors"]


def test_illegal_steps_are_409(client, office, staff):
    app = registered(office)
    response = post(client, f"{BASE}{app.pk}/confirm", {}, staff["officer"])
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert post(client, f"{BASE}{app.pk}/archive", None, staff["officer"]).status_code == 409


def test_permissions_are_403_and_scope_404(client, office, staff):
    app = registered(office)
    # The supervisor may read but not handle; another town's officer does not see it at all.
    assert client.get(f"{BASE}{app.pk}", **staff["supervisor"].headers).status_code == 200
    response = post(client, f"{BASE}{app.pk}/withdraw", {"note": "x"}, staff["supervisor"])
    assert response.status_code == 403
    response = post(client, f"{BASE}{app.pk}/withdraw", {"note": "x"}, staff["other_officer"])
    assert response.status_code == 404
    response = post(client, f"{BASE}{app.pk}/assign", {"handler": "nobody"}, staff["officer"])
    assert response.status_code == 400 and "handler" in response.json()["errors"]
    app.refresh_from_db()
    assert app.status == Status.RECEIVED


def test_staff_cannot_register_for_another_agency(client, office, staff):
    body = {**APPLICANT, "channel": "in_person", "agency": "taohua"}
    response = post(client, BASE, body, staff["officer"])
    assert response.status_code == 403
    assert not Application.objects.exists()


# --- public -----------------------------------------------------------------------------------


def submit(client, body=None, ip="10.0.0.1"):
    return post(client, PUBLIC + "submit", body or APPLICANT, REMOTE_ADDR=ip)


def test_public_submit_returns_number_and_code(client, office):
    response = submit(client, {**APPLICANT, "submission_token": "abc"})
    assert response.status_code == 201
    body = response.json()
    assert body["number"].startswith("YSQ-") and len(body["query_code"]) == 8
    assert body["status"] == "registered" and body["created"] is True
    app = Application.objects.get()
    assert app.channel == "online" and app.registered_by is None
    assert services.query_code_matches(app, body["query_code"])
    again = submit(client, {**APPLICANT, "submission_token": "abc"})
    assert again.status_code == 200
    assert again.json()["number"] == body["number"] and again.json()["query_code"] is None
    assert Application.objects.count() == 1


def test_public_submit_validates_like_the_form(client, office):
    response = submit(client, {**APPLICANT, "id_number": "330902199001011233", "forms": []})
    assert response.status_code == 400
    assert {"id_number", "forms"} <= set(response.json()["errors"])
    response = submit(client, {**APPLICANT, "agency": "nowhere"})
    assert response.status_code == 400 and "agency" in response.json()["errors"]
    assert not Application.objects.exists()


def test_public_submit_is_rate_limited_per_ip(client, office):
    for _ in range(services.SUBMISSIONS_PER_IP_PER_HOUR):
        assert submit(client, ip="10.0.0.7").status_code == 201
    response = submit(client, ip="10.0.0.7")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert submit(client, ip="10.0.0.8").status_code == 201


@pytest.mark.parametrize("trusted", [True, False])
def test_public_limit_is_per_client_behind_a_trusted_proxy(client, office, settings, trusted):
    """Finding 7 of issue 13: behind a proxy the API counted the proxy's address, so every
    applicant shared one quota. The address now comes from X-Forwarded-For when (and only
    when) the proxy is trusted."""
    settings.GONGKAI_TRUST_X_FORWARDED_FOR = trusted

    def submit_from(address):
        return post(
            client,
            PUBLIC + "submit",
            APPLICANT,
            REMOTE_ADDR="10.9.9.9",  # the proxy
            HTTP_X_FORWARDED_FOR=address,
        )

    for _ in range(services.SUBMISSIONS_PER_IP_PER_HOUR):
        assert submit_from("203.0.113.1").status_code == 201
    assert submit_from("203.0.113.1").status_code == 429
    # Trusted, another client has its own quota; untrusted, the header is the client's own
    # writing and is ignored: the request counts against REMOTE_ADDR's spent quota.
    assert submit_from("203.0.113.2").status_code == (201 if trusted else 429)


def test_public_status_by_number_and_code(client, office, staff):
    with time_machine.travel("2026-09-25 10:00 +0800", tick=False):
        created = submit(client).json()
    app = Application.objects.get()
    with time_machine.travel("2026-09-28 10:00 +0800", tick=False):
        services.application_confirm_receipt(actor=office["officer"], application=app)
        services.application_note(actor=office["officer"], application=app, text="内部备注：勿外传")
    lookup = {"agency": "liuheng", "number": created["number"], "query_code": created["query_code"]}
    response = post(client, PUBLIC + "status", lookup)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "received" and body["due_on"] == "2026-10-30"
    assert body["applicant"] == "王*明"
    assert body["timeline"] and body["clock_steps"]
    content = response.content.decode()
    for secret in (ID_NUMBER, "13800138000", "wang@example.com", "王小明", "内部备注"):
        assert secret not in content
    # A wrong code and an unknown number get the same answer.
    wrong = post(client, PUBLIC + "status", {**lookup, "query_code": "AAAAAAAA"})
    unknown = post(client, PUBLIC + "status", {**lookup, "number": "YSQ-2026-9999"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    elsewhere = post(client, PUBLIC + "status", {**lookup, "agency": "taohua"})
    assert elsewhere.status_code == 404


def test_public_correction(client, office):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        created = submit(client).json()
        app = Application.objects.get()
        services.application_confirm_receipt(actor=office["officer"], application=app)
        services.application_request_correction(
            actor=office["officer"], application=app, items="请说明工程名称"
        )
    lookup = {"agency": "liuheng", "number": created["number"], "query_code": created["query_code"]}
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        status = post(client, PUBLIC + "status", lookup).json()
        assert status["correction_requested"] is True
        assert status["correction_due"] == "2026-03-16"  # 10 working days from 03-02
        assert [letter["kind"] for letter in status["letters"]] == ["correction"]
        response = post(client, PUBLIC + "correction", {**lookup, "text": "海塘加固工程（二期）"})
    assert response.status_code == 200
    assert response.json()["status"] == "processing"
    assert response.json()["due_on"] == date(2026, 4, 1).isoformat()  # 20 from 03-04
    again = post(client, PUBLIC + "correction", {**lookup, "text": "再补充"})
    assert again.status_code == 409
    wrong = post(client, PUBLIC + "correction", {**lookup, "query_code": "AAAAAAAA", "text": "x"})
    assert wrong.status_code == 404
