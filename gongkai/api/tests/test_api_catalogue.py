"""The catalogue API: public reads, the staff workflow with a token, tenancy and errors."""

import json
from datetime import date

import pytest
from django.test import Client

from gongkai.catalogue.models import Item, ItemStatus
from gongkai.catalogue.taxonomy import DisclosureMode, Genre, NonDisclosureGround
from gongkai.core.models import AuditEvent, Role

PUBLIC = "/api/v1/catalogue/public/items"
STAFF = "/api/v1/catalogue/items"
MOBILE = "13812345678"


def post(client, url, staff, body=None, **extra):
    return client.post(
        url,
        data=json.dumps(body or {}),
        content_type="application/json",
        **staff.headers,
        **extra,
    )


def patch(client, url, staff, body):
    return client.patch(
        url, data=json.dumps(body), content_type="application/json", **staff.headers
    )


def ids(response):
    return [row["id"] for row in response.json()["items"]]


# --- public ------------------------------------------------------------------------------


@pytest.fixture
def catalogue(make_item):
    """One item in every status, plus a published item that is not proactively disclosed."""
    return {
        "draft": make_item("draft", title="草稿"),
        "pending": make_item("pending", title="待审核"),
        "approved": make_item("approved", title="已通过"),
        "published": make_item("published", title="已发布"),
        "withdrawn": make_item("withdrawn", title="已撤回"),
        "not_public": make_item(
            "published",
            title="不予公开",
            disclosure_mode=DisclosureMode.NOT_PUBLIC,
            non_disclosure_ground=NonDisclosureGround.INTERNAL,
        ),
    }


def test_public_list_shows_only_published_proactive_items(client, catalogue):
    response = client.get(PUBLIC)
    assert response.status_code == 200
    assert ids(response) == [catalogue["published"].pk]
    assert response.json()["count"] == 1
    row = response.json()["items"][0]
    assert row["title"] == "已发布"
    assert row["genre"] == "other_document"
    assert row["genre_label"] == "其他文件"
    assert row["agency"]["slug"] == "liuheng"
    assert row["index_number"]
    assert "body" not in row and "status" not in row


def test_public_detail_serves_published_and_hides_everything_else(client, catalogue):
    response = client.get(f"{PUBLIC}/{catalogue['published'].pk}")
    assert response.status_code == 200
    assert response.json()["title"] == "已发布"
    assert "body" in response.json()
    for key in ("draft", "pending", "approved", "withdrawn", "not_public"):
        response = client.get(f"{PUBLIC}/{catalogue[key].pk}")
        assert response.status_code == 404, key
        assert response.json()["code"] == "not_found"
    assert client.get(f"{PUBLIC}/999999").status_code == 404


def test_public_list_filters(client, make_item, columns):
    policy = make_item("published", title="政策", genre=Genre.NORMATIVE)
    notice = make_item(
        "published", title="公告", column=columns["notice"], formed_on=date(2025, 6, 1)
    )
    assert ids(client.get(PUBLIC, {"genre": "normative"})) == [policy.pk]
    assert ids(client.get(PUBLIC, {"year": 2025})) == [notice.pk]
    # A column includes its sub-columns.
    assert ids(client.get(PUBLIC, {"column": columns["root"].pk})) == [policy.pk]
    assert ids(client.get(PUBLIC, {"column": columns["notice"].pk})) == [notice.pk]
    assert ids(client.get(PUBLIC, {"column": 999999})) == []
    assert set(ids(client.get(PUBLIC, {"agency": "liuheng"}))) == {policy.pk, notice.pk}
    assert ids(client.get(PUBLIC, {"agency": "taohua"})) == []
    response = client.get(PUBLIC, {"genre": "no-such-genre"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "genre" in response.json()["errors"]


def test_public_list_is_paginated_newest_first(client, make_item):
    items = [make_item("published", title=f"信息{n}") for n in range(3)]
    response = client.get(PUBLIC, {"page_size": 2})
    assert response.json()["count"] == 3
    assert ids(response) == [items[2].pk, items[1].pk]
    assert ids(client.get(PUBLIC, {"page_size": 2, "page": 2})) == [items[0].pk]


def test_public_list_query_count_does_not_grow_with_rows(
    client, make_item, django_assert_num_queries
):
    for n in range(5):
        make_item("published", title=f"信息{n}")
    with django_assert_num_queries(2):  # count + one page with agency and column joined
        response = client.get(PUBLIC)
    assert len(response.json()["items"]) == 5


# --- staff reads -------------------------------------------------------------------------


def test_staff_list_needs_a_token(client, catalogue):
    response = client.get(STAFF)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthorized"


def test_staff_list_shows_every_status_of_own_agency_only(
    client, catalogue, editor, other_editor, columns
):
    from gongkai.catalogue import services

    theirs = services.item_create(
        actor=other_editor.user,
        agency=columns["other"].agency,
        column=columns["other"],
        title="桃花镇草稿",
        formed_on=date(2026, 3, 1),
        genre=Genre.NOTICE,
    )
    response = client.get(STAFF, **editor.headers)
    assert response.status_code == 200
    assert set(ids(response)) == {item.pk for item in catalogue.values()}
    assert theirs.pk not in ids(response)
    assert ids(client.get(STAFF, **other_editor.headers)) == [theirs.pk]
    draft = client.get(STAFF, {"status": "draft"}, **editor.headers)
    assert ids(draft) == [catalogue["draft"].pk]
    assert draft.json()["items"][0]["status_label"]


def test_supervisor_reads_the_subtree(client, catalogue, staff, agency_tree):
    supervisor = staff(agency_tree["district"], Role.SUPERVISOR, "pt_supervisor")
    assert set(ids(client.get(STAFF, **supervisor.headers))) == {
        item.pk for item in catalogue.values()
    }


def test_staff_list_query_count_does_not_grow_with_rows(
    client, make_item, editor, django_assert_num_queries
):
    for n in range(5):
        make_item("draft", title=f"草稿{n}")
    client.get(STAFF, **editor.headers)  # marks the token as used
    # token, memberships (scope), count, one page with agency and column joined
    with django_assert_num_queries(4):
        response = client.get(STAFF, **editor.headers)
    assert len(response.json()["items"]) == 5


def test_another_agencys_item_is_404(client, make_item, other_editor):
    item = make_item("draft")
    response = client.get(f"{STAFF}/{item.pk}", **other_editor.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    for action in ("submit", "publish"):
        assert post(client, f"{STAFF}/{item.pk}/{action}", other_editor).status_code == 404
    assert patch(client, f"{STAFF}/{item.pk}", other_editor, {"title": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT and item.title != "x"


def test_staff_detail(client, make_item, editor):
    item = make_item("draft", body="<p>正文</p>")
    response = client.get(f"{STAFF}/{item.pk}", **editor.headers)
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["body"] == "<p>正文</p>"


# --- writes ------------------------------------------------------------------------------


def create_body(columns, **overrides):
    body = {
        "agency": "liuheng",
        "column": columns["policy"].pk,
        "title": "关于开展安全生产大检查的通知",
        "formed_on": "2026-03-05",
        "genre": "notice",
    }
    body.update(overrides)
    return body


def test_create_makes_an_audited_draft(client, editor, columns):
    response = post(
        client, STAFF, editor, create_body(columns, document_number="六政发〔2026〕3号")
    )
    assert response.status_code == 201, response.content
    data = response.json()
    item = Item.objects.get(pk=data["id"])
    assert item.status == ItemStatus.DRAFT
    assert item.created_by == editor.user
    assert item.document_number == "六政发〔2026〕3号"
    assert item.publisher == "六横镇人民政府"
    event = AuditEvent.objects.get(verb="item.create", object_id=str(item.pk))
    assert event.actor == editor.user


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"genre": "novel"}, "genre"),
        ({"title": ""}, "title"),
        ({"formed_on": "2026-13-01"}, "formed_on"),
        ({"column": 999999}, "column"),
        ({"agency": "taohua"}, "agency"),
        ({"genre": "rule"}, "genre"),  # a town cannot issue 规章 (service rule)
        ({"validity": "repealed"}, "invalid_on"),  # service rule: give the date
    ],
)
def test_create_rejects_invalid_input_with_field_errors(client, editor, columns, overrides, field):
    response = post(client, STAFF, editor, create_body(columns, **overrides))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]
    assert not Item.objects.exists()


def test_create_refuses_another_agencys_column(client, editor, columns):
    response = post(client, STAFF, editor, create_body(columns, column=columns["other"].pk))
    assert response.status_code == 400
    assert "column" in response.json()["errors"]


def test_create_needs_an_author_role(client, reviewer, columns):
    response = post(client, STAFF, reviewer, create_body(columns), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "您没有执行此操作的权限。",
        "errors": {},
        "findings": [],
    }
    assert not Item.objects.exists()


def test_update_changes_only_the_fields_sent(client, make_item, editor, columns):
    item = make_item("draft", summary="原概述")
    response = patch(
        client, f"{STAFF}/{item.pk}", editor, {"title": "新标题", "column": columns["notice"].pk}
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert (item.title, item.column, item.summary) == ("新标题", columns["notice"], "原概述")
    event = AuditEvent.objects.get(verb="item.update", object_id=str(item.pk))
    assert event.after == {"title": "新标题", "column": columns["notice"].pk}


def test_update_of_a_pending_item_is_forbidden(client, make_item, editor):
    item = make_item("pending")
    response = patch(client, f"{STAFF}/{item.pk}", editor, {"title": "改"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title != "改"


def test_update_refuses_another_agencys_column(client, make_item, editor, columns):
    item = make_item("draft")
    response = patch(client, f"{STAFF}/{item.pk}", editor, {"column": columns["other"].pk})
    assert response.status_code == 400
    assert "column" in response.json()["errors"]


# --- the workflow ------------------------------------------------------------------------

CHECKS = {"secrecy": True, "privacy": True, "wording": True}


def test_the_whole_workflow_through_the_api(client, make_item, editor, reviewer):
    item = make_item("draft")
    response = post(client, f"{STAFF}/{item.pk}/submit", editor)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "pending"

    response = post(client, f"{STAFF}/{item.pk}/approve", reviewer, {"checks": CHECKS})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    item.refresh_from_db()
    assert item.index_number and response.json()["index_number"] == item.index_number

    response = post(client, f"{STAFF}/{item.pk}/publish", reviewer)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert client.get(f"{PUBLIC}/{item.pk}").status_code == 200

    response = post(client, f"{STAFF}/{item.pk}/withdraw", reviewer, {"reason": "已被新文件替代"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert response.json()["withdrawn_reason"] == "已被新文件替代"
    assert client.get(f"{PUBLIC}/{item.pk}").status_code == 404

    verbs = list(
        AuditEvent.objects.filter(object_id=str(item.pk), verb__startswith="item.")
        .order_by("id")
        .values_list("verb", "actor__username")
    )
    assert verbs == [
        ("item.create", "lh_editor"),
        ("item.submit", "lh_editor"),
        ("item.approve", "lh_reviewer"),
        ("item.publish", "lh_reviewer"),
        ("item.withdraw", "lh_reviewer"),
    ]


def test_approve_can_publish_at_once(client, make_item, reviewer):
    item = make_item("pending")
    response = post(
        client, f"{STAFF}/{item.pk}/approve", reviewer, {"checks": CHECKS, "publish_now": True}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert response.json()["published_at"]


def test_reject_returns_the_item(client, make_item, reviewer):
    item = make_item("pending")
    response = post(client, f"{STAFF}/{item.pk}/reject", reviewer, {"comment": "文号有误"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"


@pytest.mark.parametrize(
    ("status", "action", "body"),
    [
        ("draft", "publish", None),
        ("draft", "approve", {"checks": CHECKS}),
        ("draft", "withdraw", {"reason": "x"}),
        ("published", "submit", None),
        ("published", "approve", {"checks": CHECKS}),
        ("withdrawn", "publish", None),
    ],
)
def test_illegal_transitions_are_409(client, make_item, reviewer, status, action, body):
    item = make_item(status)
    response = post(client, f"{STAFF}/{item.pk}/{action}", reviewer, body)
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "illegal_transition"
    assert response.json()["detail"]
    item.refresh_from_db()
    assert item.status == status


def test_four_eyes_the_submitter_cannot_approve(client, make_item, staff, town):
    officer = staff(town, Role.OFFICER, "lh_officer")
    item = make_item("pending", author=officer.user)
    response = post(client, f"{STAFF}/{item.pk}/approve", officer, {"checks": CHECKS})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


def test_approve_needs_every_check(client, make_item, reviewer):
    item = make_item("pending")
    response = post(client, f"{STAFF}/{item.pk}/approve", reviewer, {"checks": {"secrecy": True}})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


def test_editor_cannot_publish(client, make_item, editor):
    item = make_item("approved")
    response = post(client, f"{STAFF}/{item.pk}/publish", editor)
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED


def test_withdraw_needs_a_reason(client, make_item, reviewer):
    item = make_item("published")
    response = post(client, f"{STAFF}/{item.pk}/withdraw", reviewer, {"reason": " "})
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_supervisor_reads_but_cannot_write(client, make_item, staff, agency_tree):
    supervisor = staff(agency_tree["district"], Role.SUPERVISOR, "pt_supervisor")
    item = make_item("pending")
    assert client.get(f"{STAFF}/{item.pk}", **supervisor.headers).status_code == 200
    response = post(client, f"{STAFF}/{item.pk}/approve", supervisor, {"checks": CHECKS})
    assert response.status_code == 403


# --- privacy -----------------------------------------------------------------------------


def test_privacy_block_describes_findings_without_the_personal_data(client, make_item, editor):
    item = make_item("draft", body=f"<p>联系电话：{MOBILE}</p>")
    response = post(client, f"{STAFF}/{item.pk}/submit", editor)
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["code"] == "privacy"
    assert data["detail"]
    assert len(data["findings"]) == 1
    finding = data["findings"][0]
    assert finding["field"] == "body"
    assert finding["type"] == "mobile"
    assert finding["masked"] != MOBILE and "****" in finding["masked"]
    assert MOBILE not in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_privacy_override_on_approval(client, make_item, editor, reviewer):
    item = make_item("draft", body=f"<p>{MOBILE}</p>")
    response = post(client, f"{STAFF}/{item.pk}/submit", editor, {"request_override": True})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "pending"
    url = f"{STAFF}/{item.pk}/approve"
    response = post(client, url, reviewer, {"checks": CHECKS})
    assert response.status_code == 422
    assert MOBILE not in response.content.decode()
    response = post(client, url, reviewer, {"checks": CHECKS, "privacy_override": "disciplinary"})
    assert response.status_code == 200, response.content
    assert response.json()["privacy_override"] == "disciplinary"


def test_an_attachments_name_is_masked_too():
    """An attachment's finding is labelled with the file name, which may itself name a person."""
    from gongkai.api.catalogue import finding_payload
    from gongkai.catalogue.shield import ItemFinding
    from gongkai.privacy import scan

    text = f"申请人电话{MOBILE}"
    (finding,) = scan(text)
    payload = finding_payload(
        ItemFinding(field="attachment:7", label=f"{MOBILE}回执.pdf", text=text, finding=finding)
    )
    assert payload["field"] == "attachment:7"
    assert MOBILE not in str(payload)
    assert payload["label"].endswith("回执.pdf")


# --- transport ---------------------------------------------------------------------------


def test_token_writes_need_no_csrf_token(make_item, editor):
    item = make_item("draft")
    response = post(Client(enforce_csrf_checks=True), f"{STAFF}/{item.pk}/submit", editor)
    assert response.status_code == 200


def test_a_session_is_not_accepted(client, make_item, editor):
    """Writes through the API need a token: a logged-in browser cannot be made to write."""
    item = make_item("draft")
    client.force_login(editor.user)
    response = client.post(f"{STAFF}/{item.pk}/submit")
    assert response.status_code == 401
    assert client.get(STAFF).status_code == 401
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_openapi_schema_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/catalogue/public/items" in schema["paths"]
    assert "/api/v1/catalogue/items/{item_id}/approve" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert any(s["type"] == "http" and s["scheme"] == "bearer" for s in schemes.values())
    public = schema["paths"]["/api/v1/catalogue/public/items"]["get"]
    assert "security" not in public
    assert schema["paths"]["/api/v1/catalogue/items"]["get"]["security"]


def test_malformed_json_is_400(client, make_item, reviewer):
    item = make_item("pending")
    response = client.post(
        f"{STAFF}/{item.pk}/approve",
        data="{not json",
        content_type="application/json",
        **reviewer.headers,
    )
    assert response.status_code == 400


def test_actions_without_a_body(client, make_item, editor, reviewer):
    """`curl -X POST -H "Authorization: Bearer …" …/submit` sends no body at all."""
    item = make_item("draft")
    response = client.generic("POST", f"{STAFF}/{item.pk}/submit", b"", **editor.headers)
    assert response.status_code == 200, response.content
    approved = make_item("approved")
    response = client.generic("POST", f"{STAFF}/{approved.pk}/publish", b"", **reviewer.headers)
    assert response.status_code == 200, response.content


def test_a_scan_not_yet_read_blocks_with_its_own_code_naming_the_file(
    client, make_item, editor, reviewer
):
    from gongkai.catalogue.models import Attachment, OcrStatus

    item = make_item("draft")
    Attachment.objects.create(
        item=item,
        original_name="罚款名单.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=1,
        sha256="2" * 64,
        ocr_status=OcrStatus.PENDING,
        uploaded_by=editor.user,
    )
    response = post(client, f"{STAFF}/{item.pk}/submit", editor, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["code"] == "scan_unread"
    assert data["detail"] == "扫描件“罚款名单.pdf”尚在识别，请待识别完成后再操作。"
    assert data["findings"] == []
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    # read too unreliably: approval waits for a person
    Attachment.objects.filter(item=item).update(ocr_status=OcrStatus.LOW_CONFIDENCE)
    pending = make_item("pending")
    Attachment.objects.filter(item=item).update(item=pending)
    response = post(client, f"{STAFF}/{pending.pk}/approve", reviewer, {"checks": CHECKS})
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "scan_unread"
    assert "罚款名单.pdf" in response.json()["detail"]
