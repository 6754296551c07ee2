"""The matters API: public guides, staff endpoints through the services, tenancy."""

import json

import pytest

from gongkai.api import services as api_services
from gongkai.matters.models import Matter, MatterStatus

PUBLIC = "/api/v1/matters/public/guides"
STAFF = "/api/v1/matters/matters"
CHECKS = {"checks": {"secrecy": True, "privacy": True, "wording": True}}


def headers(user):
    _token, key = api_services.api_token_create(actor=None, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def send(client, method, url, user, body=None):
    if method == "get":
        return client.get(url, **headers(user))
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json", **headers(user)
    )


def test_public_guides_are_the_published_ones(client, make_matter):
    published = make_matter("published", code="P")
    make_matter(code="D")
    make_matter("retired", code="R")
    response = client.get(PUBLIC)
    assert [row["id"] for row in response.json()["items"]] == [published.pk]
    detail = client.get(f"{PUBLIC}/{published.pk}").json()
    assert detail["star_label"] == "四星" and detail["sector"] == "商事登记"
    assert [m["name"] for m in detail["materials"]] == ["申请表", "申请人身份证明", "授权委托书"]
    assert detail["materials"][1]["form_label"] == "原件和复印件"
    assert client.get(f"{PUBLIC}/{published.pk + 1}").status_code == 404
    assert client.get(PUBLIC, {"matter_type": "benefit"}).json()["items"] == []


def test_staff_create_update_publish(client, people, sectors):
    body = {
        "agency": "liuheng",
        "name": "车船税申报",
        "code": "LH-7",
        "matter_type": "other_power",
        "star": 3,
        "online": True,
        "online_application": True,
        "at_most_once": True,
        "sector": "税收服务",
        "no_difference": True,
        "materials": [{"name": "申请表"}, {"name": "行驶证", "form": "copy", "required": False}],
    }
    response = send(client, "post", STAFF, people.editor, body)
    assert response.status_code == 201, response.content
    matter_id = response.json()["id"]
    assert response.json()["status"] == "draft"
    response = send(client, "patch", f"{STAFF}/{matter_id}", people.editor, {"promised_days": 2})
    assert response.json()["promised_days"] == 2
    # Four eyes: the author cannot publish.
    assert (
        send(client, "post", f"{STAFF}/{matter_id}/publish", people.editor, CHECKS).status_code
        == 403
    )
    response = send(client, "post", f"{STAFF}/{matter_id}/publish", people.reviewer, CHECKS)
    assert response.status_code == 200
    assert response.json()["status"] == "published" and response.json()["item_id"]
    listed = send(client, "get", STAFF, people.supervisor)
    assert [row["id"] for row in listed.json()["items"]] == [matter_id]


def test_staff_errors_and_tenancy(client, people, make_matter, sectors):
    matter = make_matter()
    bad = {"agency": "liuheng", "name": "x", "code": "LH-0001", "matter_type": "licensing"}
    response = send(client, "post", STAFF, people.editor, bad)
    assert response.status_code == 400 and "code" in response.json()["errors"]
    assert send(client, "get", f"{STAFF}/{matter.pk}", people.outsider).status_code == 404
    assert send(client, "get", STAFF, people.outsider).json()["items"] == []
    response = send(client, "post", STAFF, people.outsider, {**bad, "code": "N"})
    assert response.status_code == 400 and "agency" in response.json()["errors"]
    assert client.get(STAFF).status_code == 401
    assert Matter.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "事项取消"])
def test_retire(client, people, make_matter, reason):
    matter = make_matter("published")
    response = send(
        client, "post", f"{STAFF}/{matter.pk}/retire", people.reviewer, {"reason": reason}
    )
    matter.refresh_from_db()
    if reason:
        assert response.status_code == 200 and matter.status == MatterStatus.RETIRED
    else:
        assert response.status_code == 400 and matter.status == MatterStatus.PUBLISHED
