"""Masking inside an attachment through the API: a preview that writes nothing, the masked copy
as a download, and the confirmation, through the same services as the staff pages, with the
API's bearer tokens (no session, no CSRF), tenancy (404) and permissions (403)."""

import hashlib
import io
import json
import zipfile

import pytest
from django.test import Client

from gongkai.catalogue import services
from gongkai.catalogue.models import Attachment
from gongkai.catalogue.tests.factories import make_docx, make_png
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db

RAW_ID = "330902198001011233"
RAW_MOBILE = "13805808000"
DOCX = make_docx(
    "六横镇临时救助申请公示", f"申请人身份证号码：{RAW_ID}", f"联系手机：{RAW_MOBILE}", author=""
)


def url(attachment, suffix="") -> str:
    return f"/api/v1/catalogue/items/{attachment.item_id}/attachments/{attachment.pk}/mask{suffix}"


def post(client, address, staff, body=None):
    return client.post(
        address, data=json.dumps(body or {}), content_type="application/json", **staff.headers
    )


def xml_of(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(n).decode() for n in archive.namelist() if n.endswith((".xml", ".rels"))
        )


@pytest.fixture
def attachment(make_item, editor):
    item = make_item()
    return services.attachment_add(actor=editor.user, item=item, name="救助申请.docx", data=DOCX)


def test_the_preview_counts_what_would_be_masked_and_writes_nothing(client, attachment, editor):
    response = client.get(url(attachment), **editor.headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["attachment"] == attachment.pk and body["name"] == "救助申请.docx"
    assert {c["type"]: c["count"] for c in body["counts"]} == {"id_card": 1, "mobile": 1}
    assert body["total"] == 2
    assert {f["type"] for f in body["findings"]} == {"id_card", "mobile"}
    assert RAW_ID not in response.content.decode() and RAW_MOBILE not in response.content.decode()
    # the copy the preview describes is the one the download gives
    download = client.get(url(attachment, "/file"), **editor.headers)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == body["sha256"]
    assert len(download.content) == body["size"]
    assert RAW_ID not in xml_of(download.content)
    assert "no-store" in download["Cache-Control"]
    attachment.refresh_from_db()
    assert not attachment.original_file and attachment.masked_at is None
    assert not AuditEvent.objects.filter(verb="attachment.mask").exists()


def test_confirming_stores_the_previewed_copy_and_audits_it(client, attachment, editor):
    preview = client.get(url(attachment), **editor.headers).json()
    response = post(client, url(attachment), editor, {"sha256": preview["sha256"]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == attachment.pk and body["sha256"] == preview["sha256"]
    assert body["original_kept"] is True and body["masked_at"]
    stored = Attachment.objects.get(pk=attachment.pk)
    with stored.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == preview["sha256"]
    (event,) = AuditEvent.objects.filter(verb="attachment.mask")
    assert event.actor == editor.user and event.after["counts"] == {"id_card": 1, "mobile": 1}
    # a body is optional
    again = post(client, url(attachment), editor)
    assert again.status_code == 400 and again.json()["code"] == "invalid"  # nothing left


def test_a_stale_preview_is_refused_and_nothing_is_kept(client, attachment, editor):
    response = post(client, url(attachment), editor, {"sha256": "0" * 64})
    assert response.status_code == 400
    assert "sha256" in response.json()["errors"]
    attachment.refresh_from_db()
    assert not attachment.original_file and attachment.masked_at is None
    with attachment.file.open("rb") as handle:
        assert handle.read() == DOCX
    assert not AuditEvent.objects.filter(verb="attachment.mask").exists()


def test_a_scan_cannot_be_masked_and_says_why(client, make_item, editor):
    image = services.attachment_add(
        actor=editor.user, item=make_item(), name="名单.png", data=make_png()
    )
    for response in (client.get(url(image), **editor.headers), post(client, url(image), editor)):
        assert response.status_code == 400
        assert "扫描件" in response.json()["detail"]


def test_tenancy_and_permissions(client, attachment, reviewer, other_editor):
    # another town's editor does not see the item at all
    assert client.get(url(attachment), **other_editor.headers).status_code == 404
    assert post(client, url(attachment), other_editor).status_code == 404
    # a reviewer reads the item but may not change its files
    assert client.get(url(attachment), **reviewer.headers).status_code == 403
    assert client.get(url(attachment, "/file"), **reviewer.headers).status_code == 403
    assert post(client, url(attachment), reviewer).status_code == 403
    attachment.refresh_from_db()
    assert attachment.masked_at is None


def test_another_items_attachment_is_a_404(client, attachment, make_item, editor):
    other = make_item(title="另一条信息")
    address = f"/api/v1/catalogue/items/{other.pk}/attachments/{attachment.pk}/mask"
    assert client.get(address, **editor.headers).status_code == 404


def test_a_session_is_not_accepted_so_no_csrf_is_needed(attachment, editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor.user)
    assert browser.get(url(attachment)).status_code == 401
    response = browser.post(url(attachment), data="{}", content_type="application/json")
    assert response.status_code == 401
    attachment.refresh_from_db()
    assert attachment.masked_at is None


def test_the_schema_documents_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    mask = paths["/api/v1/catalogue/items/{item_id}/attachments/{attachment_id}/mask"]
    assert set(mask) == {"get", "post"}
    assert "sha256" in json.dumps(mask["post"])
    assert "/api/v1/catalogue/items/{item_id}/attachments/{attachment_id}/mask/file" in paths
