"""Masking inside an attachment (issue 14, point 3): the editor confirms, the masked copy replaces
the file, the uploaded original is kept private until publication and removed then; audited
with counts, never with the personal data."""

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from gongkai.catalogue import services, shield
from gongkai.catalogue.models import Attachment, ItemStatus, OcrStatus
from gongkai.catalogue.tests.factories import make_docx, make_png, make_xlsx
from gongkai.core.audit_display import verb_label
from gongkai.core.models import AuditEvent, Role
from gongkai.core.storage import private_storage
from gongkai.privacy import detect
from gongkai.privacy.findings import ID_CARD, MOBILE

pytestmark = pytest.mark.django_db

RAW_ID = "330902198001011233"
RAW_MOBILE = "13805808000"
OTHER_MOBILE = "13905808001"
AUTHOR = "周晓梅"  # the document's author in its properties: a name, masked too
NOW = datetime(2026, 3, 4, 2, 30, tzinfo=UTC)
DOCX = make_docx(
    "六横镇临时救助申请公示",
    f"申请人身份证号码：{RAW_ID}",
    f"联系手机：{RAW_MOBILE}",
    author=AUTHOR,
)
PERSONAL = (RAW_ID, RAW_MOBILE, AUTHOR)


def read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )


@pytest.fixture
def attached(attach):
    """A draft with a DOCX carrying an ID number, a mobile and its author's name."""
    attachment = attach("救助申请.docx", DOCX)
    return attachment.item, attachment


def mask(people, attachment) -> Attachment:
    return services.attachment_mask(actor=people.editor, attachment=attachment)


# --- the service ----------------------------------------------------------------------------


def test_the_masked_copy_replaces_the_file_and_the_original_is_kept_private(
    attached, people, django_capture_on_commit_callbacks
):
    item, attachment = attached
    uploaded_name = attachment.file.name
    assert shield.item_findings(item)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        masked = mask(people, attachment)
    masked.refresh_from_db()

    data = read(masked.file)
    xml = all_xml(data)
    for value in PERSONAL:
        assert value not in xml and value not in masked.text
    assert RAW_ID[:6] + "*" * 8 + RAW_ID[-4:] in xml  # masked as the text fields are
    assert "六横镇临时救助申请公示" in xml  # the rest of the document is kept
    assert masked.size == len(data) and masked.sha256 != attachment.sha256
    assert masked.file.name.startswith(f"attachments/{item.agency_id}/{item.pk}/")
    assert masked.sha256[:16] in masked.file.name
    assert masked.masked_at == NOW
    assert not masked.metadata_stripped  # a new file: publication strips it again
    # the uploaded original stays where it was, private, and nothing else points at it
    assert masked.original_file.name == uploaded_name
    assert read(masked.original_file) == DOCX
    assert private_storage().exists(uploaded_name) and not default_storage.exists(uploaded_name)
    # the item no longer carries findings, and the editor is now one of its content authors
    assert shield.item_findings(item) == []
    assert item.content_authors.filter(pk=people.editor.pk).exists()
    services.item_submit(actor=people.editor, item=item)


def test_masking_again_keeps_the_true_original(
    attached, people, monkeypatch, django_capture_on_commit_callbacks
):
    item, attachment = attached
    # a first finder that knew ID numbers only (as when the shield learns a type later)
    monkeypatch.setattr(
        shield,
        "item_finder",
        lambda _item: lambda text: [f for f in detect.scan(text) if f.type == ID_CARD],
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = mask(people, attachment)
    first_copy = first.file.name
    assert RAW_MOBILE in all_xml(read(first.file))
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):
        second = mask(people, first)
    second.refresh_from_db()
    assert RAW_MOBILE not in all_xml(read(second.file))
    assert read(second.original_file) == DOCX  # the upload, not the first masked copy
    assert not private_storage().exists(first_copy)  # the intermediate copy is gone
    events = AuditEvent.objects.filter(verb="attachment.mask", object_id=str(item.pk))
    assert [e.after["counts"] for e in events.order_by("id")] == [
        {ID_CARD: 1},
        {MOBILE: 1, "person_name": 2},  # creator and lastModifiedBy,
    ]


def test_publication_removes_the_original(
    attached, people, advance, client, django_capture_on_commit_callbacks
):
    item, attachment = attached
    masked = mask(people, attachment)
    original = masked.original_file.name
    with django_capture_on_commit_callbacks(execute=True):
        item = advance(item, ItemStatus.PUBLISHED)
    masked.refresh_from_db()
    assert not masked.original_file and not private_storage().exists(original)
    assert private_storage().exists(masked.file.name)
    publish = AuditEvent.objects.get(verb="item.publish", object_id=str(item.pk))
    assert publish.after["originals_removed"] == [masked.pk]
    # the portal serves the masked copy (its metadata stripped at publication)
    response = client.get(reverse("portal:attachment", args=["liuheng", item.pk, masked.pk]))
    assert response.status_code == 200
    xml = all_xml(b"".join(response.streaming_content))
    assert not any(value in xml for value in PERSONAL)


def test_a_publication_without_masked_attachments_records_no_removal(item_in):
    item = item_in(ItemStatus.PUBLISHED)
    publish = AuditEvent.objects.get(verb="item.publish", object_id=str(item.pk))
    assert "originals_removed" not in (publish.after or {})


def test_removing_an_attachment_removes_its_original(
    attached, people, django_capture_on_commit_callbacks
):
    _item, attachment = attached
    masked = mask(people, attachment)
    names = [masked.file.name, masked.original_file.name]
    assert all(private_storage().exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=people.editor, attachment=masked)
    assert not any(private_storage().exists(name) for name in names)


def test_the_audit_event_holds_counts_and_no_personal_data(attached, people):
    item, attachment = attached
    mask(people, attachment)
    event = AuditEvent.objects.get(verb="attachment.mask")
    assert (event.actor, event.agency, event.object_id) == (
        people.editor,
        item.agency,
        str(item.pk),
    )
    assert event.after["attachment"] == attachment.pk
    assert event.after["counts"] == {ID_CARD: 1, MOBILE: 1, "person_name": 2}
    recorded = json.dumps([event.before, event.after], ensure_ascii=False)
    assert not any(value in recorded for value in PERSONAL)


def test_an_xlsx_roster_is_masked_in_every_cell(attach, make_item, people):
    item = make_item()
    data = make_xlsx(
        [["序号", "身份证号", "手机", "金额（元）"], [1, RAW_ID, OTHER_MOBILE, 1200]],
        author="六横镇",
    )
    attachment = attach("名单.xlsx", data, item=item)
    masked = mask(people, attachment)
    xml = all_xml(read(masked.file))
    assert RAW_ID not in xml and OTHER_MOBILE not in xml
    assert "1200" in xml  # the numbers that are not personal data stay


def text_pdf(*, scan_page: bool = False) -> bytes:
    """A PDF with a text layer (enough text a page that it is not sent to OCR), and with
    `scan_page` a second page that is only an image, too small to hold a line of text (a
    larger one makes the page a scanned page, read by OCR: gongkai.core.ocr.scanned_pages)."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page()
    for i in range(6):
        page.insert_text((72, 100 + 20 * i), f"Line {i}: contact mobile {RAW_MOBILE}, room 30{i}.")
    if scan_page:
        scan = document.new_page()
        pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 12, 12), False)
        scan.insert_image(scan.rect, pixmap=pixmap)
    return document.tobytes()


def test_a_pdfs_text_layer_is_masked(attach, make_item, people):
    import pymupdf

    attachment = attach("通知.pdf", text_pdf())
    assert attachment.ocr_status == OcrStatus.NOT_NEEDED
    masked = mask(people, attachment)
    with pymupdf.open(stream=read(masked.file), filetype="pdf") as document:
        text = "".join(page.get_text() for page in document)
    assert RAW_MOBILE not in text and "room 305" in text
    assert RAW_MOBILE not in masked.text
    assert AuditEvent.objects.get(verb="attachment.mask").after["counts"] == {MOBILE: 6}


def _refusal(people, attachment) -> str:
    with pytest.raises(ValidationError) as raised:
        mask(people, attachment)
    [message] = raised.value.messages
    return message


def test_a_scan_read_by_ocr_is_refused_in_chinese(attached, people):
    _item, attachment = attached
    # a PDF whose text came from OCR: the text is not in the file
    Attachment.objects.filter(pk=attachment.pk).update(kind="pdf", ocr_status=OcrStatus.DONE)
    attachment.refresh_from_db()
    message = _refusal(people, attachment)
    assert "扫描件" in message and "救助申请.docx" in message
    assert read(attachment.file) == DOCX
    assert not AuditEvent.objects.filter(verb="attachment.mask").exists()


def test_an_image_an_old_office_file_and_an_archive_are_refused_in_chinese(
    attach, make_item, people
):
    image = attach("名单.png", make_png())
    item = image.item
    assert "扫描件" in _refusal(people, image)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("名单.txt", f"手机：{RAW_MOBILE}")
    for name, data in (
        ("名单.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512),
        ("名单.zip", archive.getvalue()),
    ):
        attachment = attach(name, data, item=item)
        message = _refusal(people, attachment)
        assert "无法在此遮蔽" in message and ".docx" in message, message


def test_a_pdf_with_a_page_without_text_layer_is_refused_in_chinese(attach, make_item, people):
    attachment = attach("通知.pdf", text_pdf(scan_page=True))
    assert "文字层" in _refusal(people, attachment)
    attachment.refresh_from_db()
    assert not attachment.original_file


def test_a_file_with_nothing_to_mask_is_refused(attach, make_item, people):
    attachment = attach("通知.docx", make_docx("会议通知", author=""))
    assert "未在" in _refusal(people, attachment)


def test_only_the_items_editors_may_mask(attached, people, make_member, agency_tree):
    item, attachment = attached
    for actor in (people.reviewer, people.outsider, people.supervisor):
        with pytest.raises(PermissionDenied):
            services.attachment_mask(actor=actor, attachment=attachment)
        with pytest.raises(PermissionDenied):
            services.attachment_mask_preview(actor=actor, attachment=attachment)
    other_editor = make_member(agency_tree["other_town"], Role.EDITOR, "th-editor")
    with pytest.raises(PermissionDenied):
        services.attachment_mask(actor=other_editor, attachment=attachment)
    services.item_submit(actor=people.editor, item=item, request_override=True)
    with pytest.raises(PermissionDenied):  # no longer a draft
        mask(people, attachment)
    attachment.refresh_from_db()
    assert not attachment.original_file and attachment.masked_at is None


# --- the pages ------------------------------------------------------------------------------


def page_url(name: str, item, attachment=None, agency: str = "liuheng") -> str:
    args = [agency, item.pk] + ([attachment.pk] if attachment is not None else [])
    return reverse(f"catalogue:{name}", args=args)


def test_the_item_page_offers_the_button_for_a_maskable_attachment_only(client, attached, people):
    item, attachment = attached
    Attachment.objects.create(
        item=item,
        original_name="扫描名单.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        text=f"联系手机：{OTHER_MOBILE}",
        ocr_status=OcrStatus.DONE,
        file="attachments/x/scan.pdf",
        uploaded_by=people.editor,
    )
    client.force_login(people.editor)
    response = client.get(page_url("item-detail", item))
    html = response.content.decode()
    rows = {row.attachment.original_name: row for row in response.context["attachments"]}
    assert (rows["救助申请.docx"].findings, rows["救助申请.docx"].maskable) == (2, True)
    assert (rows["扫描名单.pdf"].findings, rows["扫描名单.pdf"].maskable) == (1, False)
    assert html.count(page_url("attachment-mask", item, attachment)) == 2
    assert "/mask/" not in html.replace(page_url("attachment-mask", item, attachment), "").replace(
        page_url("item-mask", item), ""
    )
    assert response.context["can_mask"] is False  # the text fields have nothing to mask
    client.force_login(people.reviewer)
    assert (
        page_url("attachment-mask", item, attachment)
        not in client.get(page_url("item-detail", item)).content.decode()
    )


def test_the_confirmation_page_lists_what_will_be_masked(client, attached, people):
    item, attachment = attached
    client.force_login(people.editor)
    response = client.get(page_url("attachment-mask", item, attachment))
    assert response.status_code == 200
    html = response.content.decode()
    findings = response.context["findings"]
    assert {(f.kind, f.match, f.masked) for f in findings} >= {
        ("身份证号码", RAW_ID, "330902********1233"),
        ("手机号码", RAW_MOBILE, "138****8000"),
    }
    assert "330902********1233" in html and "138****8000" in html
    assert dict(response.context["counts"]) == {"身份证号码": 1, "手机号码": 1, "姓名": 2}
    assert page_url("attachment-mask-preview", item, attachment) in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "确认替换" in html
    attachment.refresh_from_db()
    assert read(attachment.file) == DOCX and not attachment.original_file  # GET writes nothing


def test_the_confirmation_page_escapes_the_file_name_and_the_text(
    attach, client, make_item, people
):
    attachment = attach(
        "<b>名单</b>.docx", make_docx(f"<script>alert(1)</script>手机：{RAW_MOBILE}", author="")
    )
    item = attachment.item
    client.force_login(people.editor)
    html = client.get(page_url("attachment-mask", item, attachment)).content.decode()
    assert "</script>手机" not in html and "alert(1)&lt;/script&gt;手机" in html
    assert "<b>名单</b>" not in html


def test_the_confirmation_page_says_why_a_scan_cannot_be_masked(client, attached, people):
    item, attachment = attached
    Attachment.objects.filter(pk=attachment.pk).update(
        kind="pdf", ocr_status=OcrStatus.LOW_CONFIDENCE
    )
    client.force_login(people.editor)
    response = client.get(page_url("attachment-mask", item, attachment))
    assert response.status_code == 200
    assert "扫描件" in response.context["error"]
    assert "确认替换" not in response.content.decode()
    response = client.post(page_url("attachment-mask", item, attachment))
    assert response.status_code == 400 and "扫描件" in response.context["error"]
    response = client.get(page_url("attachment-mask-preview", item, attachment))
    assert response.status_code == 302
    assert response["Location"] == page_url("attachment-mask", item, attachment)


def test_the_preview_download_is_the_masked_copy_and_private(client, attached, people):
    item, attachment = attached
    client.force_login(people.editor)
    response = client.get(page_url("attachment-mask-preview", item, attachment))
    assert response.status_code == 200
    xml = all_xml(response.content)
    assert not any(value in xml for value in PERSONAL)
    assert response["Content-Disposition"].startswith("attachment")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    attachment.refresh_from_db()
    assert read(attachment.file) == DOCX  # computed for the download only
    assert not AuditEvent.objects.filter(verb="attachment.mask").exists()


def test_confirming_replaces_the_file_and_the_page_shows_it(client, attached, people):
    item, attachment = attached
    with time_machine.travel(NOW, tick=False):  # the session's clock too (idle timeout)
        client.force_login(people.editor)
        response = client.post(page_url("attachment-mask", item, attachment))
        assert response.status_code == 302
        assert response["Location"] == page_url("item-detail", item)
        attachment.refresh_from_db()
        assert attachment.masked_at == NOW and read(attachment.original_file) == DOCX

        page = client.get(page_url("item-detail", item))
        html = page.content.decode()
        assert page.context["findings"] == []
        assert "2026-03-04 10:30" in html  # masked at, local time
        original_url = page_url("attachment-original", item, attachment)
        assert original_url in html
        [row] = [r for r in page.context["timeline"] if r.event.verb == "attachment.mask"]
        assert "救助申请.docx" in row.notes[0] and "身份证号码 1" in row.notes[0]
        assert not any(value in html for value in PERSONAL)

        download = client.get(original_url)
        assert download.status_code == 200 and b"".join(download.streaming_content) == DOCX
        assert "no-store" in download["Cache-Control"]


def test_the_original_is_for_the_items_authors_only(client, attached, people, advance):
    item, attachment = attached
    mask(people, attachment)
    original_url = page_url("attachment-original", item, attachment)
    client.force_login(people.reviewer)
    assert client.get(original_url).status_code == 403
    assert original_url not in client.get(page_url("item-detail", item)).content.decode()
    client.force_login(people.outsider)
    assert client.get(original_url).status_code == 404
    client.force_login(people.officer)
    assert client.get(original_url).status_code == 200
    advance(item, ItemStatus.PUBLISHED)
    assert client.get(original_url).status_code == 404  # removed at publication


def test_downloading_the_original_is_audited(client, attached, people):
    item, attachment = attached
    mask(people, attachment)
    original_url = page_url("attachment-original", item, attachment)
    with time_machine.travel(NOW, tick=False):
        client.force_login(people.officer)
        response = client.get(original_url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == DOCX
        (event,) = AuditEvent.objects.filter(verb="attachment.download")
        assert event.actor == people.officer and event.created_at == NOW
        assert event.object_type == "catalogue.item" and event.object_id == str(item.pk)
        assert event.agency == item.agency
        assert event.after == {
            "attachment": attachment.pk,
            "name": "救助申请.docx",
            "original": True,
        }
        assert not any(value in json.dumps(event.after, ensure_ascii=False) for value in PERSONAL)
        # the item's history says who took the original
        page = client.get(page_url("item-detail", item))
        [row] = [r for r in page.context["timeline"] if r.event.verb == "attachment.download"]
        assert row.label == verb_label("attachment.download")
        assert row.notes == ["救助申请.docx"]


def test_a_refused_download_of_the_original_is_not_audited(client, attached, people):
    item, attachment = attached
    mask(people, attachment)
    original_url = page_url("attachment-original", item, attachment)
    client.force_login(people.reviewer)
    assert client.get(original_url).status_code == 403
    client.force_login(people.outsider)
    assert client.get(original_url).status_code == 404
    # nor is the masked copy's download (the original's alone is)
    client.force_login(people.editor)
    assert client.get(page_url("attachment-download", item, attachment)).status_code == 200
    assert not AuditEvent.objects.filter(verb="attachment.download").exists()


def test_the_service_refuses_a_non_author(attached, people):
    item, attachment = attached
    mask(people, attachment)
    with pytest.raises(PermissionDenied):
        services.attachment_original_download(actor=people.reviewer, attachment=attachment)
    assert not AuditEvent.objects.filter(verb="attachment.download").exists()


def test_another_agencys_attachment_is_a_404(client, attached, people, make_member, agency_tree):
    item, attachment = attached
    other_editor = make_member(agency_tree["other_town"], Role.EDITOR, "th-editor")
    client.force_login(other_editor)
    for name in ("attachment-mask", "attachment-mask-preview"):
        assert client.get(page_url(name, item, attachment)).status_code == 404
        # under the user's own agency's address, too
        assert client.get(page_url(name, item, attachment, agency="taohua")).status_code == 404
    assert client.post(page_url("attachment-mask", item, attachment)).status_code == 404
    # an attachment of another item, under this item's address
    client.force_login(people.editor)
    other = services.attachment_add(
        actor=people.editor,
        item=services.item_create(
            actor=people.editor,
            agency=item.agency,
            column=item.column,
            title="另一条信息",
            formed_on=item.formed_on,
            genre=item.genre,
        ),
        name="另一个.docx",
        data=DOCX,
    )
    assert client.get(page_url("attachment-mask", item, other)).status_code == 404
    attachment.refresh_from_db()
    assert not attachment.original_file


def test_a_reviewer_cannot_open_the_confirmation_page(client, attached, people):
    item, attachment = attached
    client.force_login(people.reviewer)
    assert client.get(page_url("attachment-mask", item, attachment)).status_code == 403
    assert client.post(page_url("attachment-mask", item, attachment)).status_code == 403
    assert client.get(page_url("attachment-mask-preview", item, attachment)).status_code == 403


def test_confirming_needs_the_csrf_token(attached, people):
    item, attachment = attached
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.editor)
    assert client.post(page_url("attachment-mask", item, attachment)).status_code == 403
    attachment.refresh_from_db()
    assert not attachment.original_file


# the same for one attachment or four: the shield and the table share the prefetched rows;
# one more reads the names the agency knows (staff, applicants) for the shield
QUERIES = 22


@pytest.mark.parametrize("n", [1, 4])
def test_the_item_page_reads_the_attachments_once(
    attach, client, make_item, people, django_assert_max_num_queries, n
):
    item = make_item()
    for i in range(n):
        attachment = attach(f"名单{i}.docx", DOCX, item=item)
    mask(people, attachment)
    client.force_login(people.editor)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(page_url("item-detail", item))
    assert len(response.context["attachments"]) == n
