"""Four eyes by author through the API (issue 13, finding 5): an officer returned an item,
rewrote its title and body through the API, let the editor resubmit, and approved it. Whoever
changed the content since the last approval cannot approve it."""

import json

from gongkai.catalogue.models import Item, ItemStatus
from gongkai.core.models import AuditEvent, Role

CHECKS = {"secrecy": True, "privacy": True, "wording": True}

STAFF = "/api/v1/catalogue/items"


def post(client, url, staff, body=None):
    return client.post(
        url, data=json.dumps(body or {}), content_type="application/json", **staff.headers
    )


def test_the_officer_who_rewrote_an_item_cannot_approve_it(
    client, make_item, editor, reviewer, staff, town
):
    officer = staff(town, Role.OFFICER, "lh_officer")
    item = make_item("pending")
    response = post(client, f"{STAFF}/{item.pk}/reject", officer, {"comment": "请修改"})
    assert response.status_code == 200, response.content
    response = client.patch(
        f"{STAFF}/{item.pk}",
        data=json.dumps({"title": "专员改写的标题", "body": "<p>专员改写的正文。</p>"}),
        content_type="application/json",
        **officer.headers,
    )
    assert response.status_code == 200, response.content
    assert post(client, f"{STAFF}/{item.pk}/submit", editor).status_code == 200

    response = post(client, f"{STAFF}/{item.pk}/approve", officer, {"checks": CHECKS})
    assert response.status_code == 403
    assert "上次审核通过后修改过其内容" in response.json()["detail"]
    item = Item.objects.get(pk=item.pk)
    assert item.status == ItemStatus.PENDING and item.approved_by is None
    assert not AuditEvent.objects.filter(verb="item.approve", object_id=str(item.pk)).exists()

    # Another reviewer can.
    response = post(client, f"{STAFF}/{item.pk}/approve", reviewer, {"checks": CHECKS})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
