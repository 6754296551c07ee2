# ruff: noqa: F811 — fixtures imported from the API's conftest are test arguments
"""Approving through the API: a reviewer acknowledges the wording findings as on the page."""

import json

import pytest

from gongkai.api.tests.conftest import (  # noqa: F401
    columns,
    editor,
    make_item,
    reviewer,
    staff,
)
from gongkai.catalogue.models import ItemStatus
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db
CHECKS = {"secrecy": True, "privacy": True, "wording": True}


def approve(client, item, reviewer, **body):
    return client.post(
        f"/api/v1/catalogue/items/{item.pk}/approve",
        data=json.dumps({"checks": CHECKS, **body}),
        content_type="application/json",
        **reviewer.headers,
    )


def test_the_api_asks_for_the_acknowledgement(client, make_item, reviewer):
    item = make_item("pending", body="<p>转发国务院办公庁关于做好防汛工作的通知。</p>")
    response = approve(client, item, reviewer)
    assert response.status_code == 400, response.content
    assert "acknowledge_wording" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING

    response = approve(client, item, reviewer, acknowledge_wording=True)
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.get(verb="item.approve", object_id=str(item.pk))
    assert event.after["wording"][0]["found"] == "国务院办公庁"
    assert event.after["wording_acknowledged"] is True


def test_an_item_without_findings_needs_nothing_more(client, make_item, reviewer):
    item = make_item("pending", body="<p>转发国务院办公厅关于做好防汛工作的通知。</p>")
    assert approve(client, item, reviewer).status_code == 200
