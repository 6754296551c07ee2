# ruff: noqa: F811 — fixtures imported from the catalogue's conftest are test arguments
"""Wording findings on the item page, the reviewer's acknowledgement before approval, and the
item editor's live check."""

import pytest
from django.urls import reverse

from gongkai.catalogue import live_checks, services
from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.tests.conftest import (  # noqa: F401
    ALL_CHECKS,
    column,
    make_item,
    media_root,
    people,
)
from gongkai.core.models import AuditEvent
from gongkai.wording.items import item_findings

pytestmark = pytest.mark.django_db
CHECKS = {
    "approve-check_secrecy": "on",
    "approve-check_privacy": "on",
    "approve-check_wording": "on",
}
MISWRITTEN = "<p>根据《中华人民共和国政府公开信息条例》，现将扫黑险恶专项斗争情况公开如下。</p>"


def url(name, item):
    return reverse(f"catalogue:{name}", args=[item.agency.slug, item.pk])


@pytest.fixture
def pending(make_item, people):
    item = make_item(body=MISWRITTEN)
    return services.item_submit(actor=people.editor, item=item)


def test_the_item_page_shows_the_findings_beside_the_privacy_findings(client, pending, people):
    client.force_login(people.reviewer)
    response = client.get(url("item-detail", pending))
    page = response.content.decode()
    assert response.status_code == 200
    assert [(f.found, f.suggestion) for f in response.context["wording_findings"]] == [
        ("中华人民共和国政府公开信息条例", "中华人民共和国政府信息公开条例"),
        ("扫黑险恶", "扫黑除恶"),
    ]
    assert 'id="wording-findings"' in page
    assert "<mark>扫黑险恶</mark>" in page
    assert 'name="approve-acknowledge_wording"' in page


def test_approval_waits_for_the_reviewers_acknowledgement(client, pending, people):
    client.force_login(people.reviewer)
    response = client.post(url("item-approve", pending), CHECKS)
    assert response.status_code == 400
    assert "acknowledge_wording" in response.context["approve_form"].errors
    pending.refresh_from_db()
    assert pending.status == ItemStatus.PENDING
    assert not AuditEvent.objects.filter(verb="item.approve").exists()

    response = client.post(
        url("item-approve", pending), {**CHECKS, "approve-acknowledge_wording": "on"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ItemStatus.APPROVED
    event = AuditEvent.objects.get(verb="item.approve")
    assert event.after["wording_acknowledged"] is True
    assert [w["found"] for w in event.after["wording"]] == [
        "中华人民共和国政府公开信息条例",
        "扫黑险恶",
    ]


def test_an_item_without_findings_needs_no_acknowledgement(client, make_item, people):
    item = services.item_submit(actor=people.editor, item=make_item())
    client.force_login(people.reviewer)
    page = client.get(url("item-detail", item)).content.decode()
    assert 'id="wording-findings"' not in page
    assert 'name="approve-acknowledge_wording"' not in page
    assert client.post(url("item-approve", item), CHECKS).status_code == 302
    assert "wording" not in AuditEvent.objects.get(verb="item.approve").after


def test_a_system_approval_records_the_findings_without_asking(pending, people):
    services.item_approve(actor=people.reviewer, item=pending, checks=ALL_CHECKS)
    event = AuditEvent.objects.get(verb="item.approve")
    assert event.after["wording_acknowledged"] is False
    assert len(event.after["wording"]) == 2


def test_findings_in_title_summary_and_attachment_text(make_item):
    item = make_item(title="退伍军人事务局通知", summary="贯彻落实习近平新时期中国特色社会主义思想")
    fields = [(f.field, f.found) for f in item_findings(item)]
    assert fields == [
        ("title", "退伍军人事务局"),
        ("summary", "习近平新时期中国特色社会主义思想"),
    ]


def test_the_editor_sees_them_as_the_text_is_typed(people):
    agency = people.editor.memberships.get().agency
    found = live_checks.check_fields(
        agency,
        title="关于扫黑险恶工作的通知",
        summary="",
        body="<p>联系人电话13812345678，根据政府公开信息条例办理。</p>",
    )
    wording = [f for f in found if f["check"] == "wording"]
    assert [(f["field"], f["kind"] != "") for f in wording] == [("title", True), ("body", True)]
    assert "扫黑除恶" in wording[0]["suggestion"]
    # the excerpt never shows the personal data near the finding
    assert "13812345678" not in wording[1]["excerpt"]
    assert "政府公开信息条例" in wording[1]["excerpt"]
