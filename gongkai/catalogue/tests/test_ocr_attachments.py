"""Scans attached to an item: read by OCR in the background (eager in the tests), blocking the
item while unread, feeding the privacy shield and search.

OCR takes about a second a page: the scan is read for real once in the module (`read_scan`) and
once through the task (`test_a_scan_is_read_in_the_background...`); the other tests give the
service that result (`fake_ocr`)."""

import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from PIL import Image

from gongkai.catalogue import services
from gongkai.catalogue.models import Attachment, ItemStatus, OcrStatus
from gongkai.catalogue.tests.conftest import ALL_CHECKS
from gongkai.core import ocr
from gongkai.core.models import AuditEvent, Task, TaskStatus
from gongkai.core.tests import scans
from gongkai.search import indexing as search_indexing
from gongkai.search import selectors as search_selectors

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CLEAN_LINES = ["六横镇渔船安全检查通报", "本次检查渔船四十二艘，发现隐患三处，已全部整改。"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(scope="module")
def scan_pdf() -> bytes:
    return scans.image_pdf(scans.notice_png())


@pytest.fixture(scope="module")
def read_scan(scan_pdf) -> ocr.OcrResult:
    return ocr.recognise(scan_pdf, "pdf")


@pytest.fixture
def fake_ocr(monkeypatch):
    """fake_ocr(result or exception) -> the calls; recognise answers with it instead of reading."""
    calls = []

    def install(answer):
        def recognise(data, kind, *, name="", progress=None):
            calls.append((kind, name))
            if progress:
                progress(1, 1)
            if isinstance(answer, Exception):
                raise answer
            return answer

        monkeypatch.setattr(ocr, "recognise", recognise)
        return calls

    return install


def upload(attach, item, data, name="处罚决定书.pdf", capture=None) -> Attachment:
    """`attach` (the shared fixture) adds it; `capture` runs the on-commit OCR task."""
    if capture is None:
        return attach(name, data, item=item)
    with capture(execute=True):
        attachment = attach(name, data, item=item)
    attachment.refresh_from_db()
    return attachment


def test_an_upload_of_a_scan_waits_for_ocr_and_blocks_the_item(
    attach, people, make_item, scan_pdf, fake_ocr
):
    calls = fake_ocr(pytest.fail)  # the upload itself never reads the scan
    item = make_item()
    attachment = upload(attach, item, scan_pdf)  # the test's transaction never commits
    assert calls == []
    assert attachment.ocr_status == OcrStatus.PENDING
    task = Task.objects.get()
    assert (task.name, task.payload, task.status) == (
        "catalogue.ocr_attachment",
        {"attachment": attachment.pk},
        TaskStatus.QUEUED,
    )
    assert AuditEvent.objects.get(verb="attachment.add").after["ocr"] == "pending"
    with pytest.raises(services.ScanBlocked) as blocked:
        services.item_submit(actor=people.editor, item=item)
    assert "处罚决定书.pdf" in str(blocked.value)
    # asking for an exception does not pass a scan nobody has read
    with pytest.raises(services.ScanBlocked):
        services.item_submit(actor=people.editor, item=item, request_override=True)


def test_a_text_document_is_not_sent_to_ocr(attach, people, make_item):
    item = make_item()
    sentence = "The committee approved the annual report of the agency."
    attachment = upload(attach, item, scans.text_pdf(sentence), name="report.pdf")
    assert attachment.ocr_status == OcrStatus.NOT_NEEDED
    assert not Task.objects.exists()


def test_a_scan_is_read_in_the_background_and_its_personal_data_blocks_publication(
    attach, people, make_item, scan_pdf, django_capture_on_commit_callbacks
):
    item = make_item()
    attachment = upload(attach, item, scan_pdf, capture=django_capture_on_commit_callbacks)
    assert attachment.ocr_status == OcrStatus.DONE
    assert attachment.ocr_confidence >= 80
    assert scans.ID_NUMBER in attachment.text and scans.MOBILE in attachment.text
    assert attachment.ocr_layout[0]["words"]
    task = Task.objects.get()
    assert task.status == TaskStatus.DONE
    assert task.progress == "第 1/1 页已识别"
    event = AuditEvent.objects.get(verb="attachment.ocr")
    assert event.actor is None
    assert event.after["ocr"] == "done" and event.after["pages"] == 1
    assert scans.ID_NUMBER not in str(event.after)  # the audit keeps no personal data
    # the recognised text feeds the shield like any attachment text
    with pytest.raises(services.PrivacyBlocked) as blocked:
        services.item_submit(actor=people.editor, item=item)
    kinds = {f.finding.type for f in blocked.value.findings if f.attachment_id == attachment.pk}
    assert {"id_card", "mobile"} <= kinds


def test_a_scan_read_with_low_confidence_blocks_until_a_reviewer_checks_it(
    attach, people, make_item, scan_pdf, fake_ocr, settings, django_capture_on_commit_callbacks
):
    fake_ocr(ocr.OcrResult(text="\n".join(CLEAN_LINES), confidence=55.0, pages=[]))
    item = make_item()
    attachment = upload(attach, item, scan_pdf, capture=django_capture_on_commit_callbacks)
    assert attachment.ocr_status == OcrStatus.LOW_CONFIDENCE
    assert attachment.ocr_confidence == 55.0
    with pytest.raises(services.ScanBlocked, match="须人工核对|reviewer"):
        services.item_submit(actor=people.editor, item=item)
    # the uploader cannot vouch for their own scan; an officer or reviewer can
    with pytest.raises(PermissionDenied):
        services.attachment_ocr_checked(actor=people.editor, attachment=attachment)
    services.attachment_ocr_checked(actor=people.reviewer, attachment=attachment)
    attachment.refresh_from_db()
    assert attachment.ocr_status == OcrStatus.DONE
    event = AuditEvent.objects.get(verb="attachment.ocr_checked")
    assert event.actor == people.reviewer
    assert event.before == {"ocr": "low"}
    item = services.item_submit(actor=people.editor, item=item)
    assert item.status == ItemStatus.PENDING
    # once done there is nothing left to check
    with pytest.raises(PermissionDenied):
        services.attachment_ocr_checked(actor=people.reviewer, attachment=attachment)


def test_a_scan_ocr_cannot_read_is_failed_and_blocks(
    attach, people, make_item, scan_pdf, fake_ocr, django_capture_on_commit_callbacks
):
    fake_ocr(ocr.OcrUnavailable("OCR 不可用：未安装 tesseract"))
    item = make_item()
    attachment = upload(attach, item, scan_pdf, capture=django_capture_on_commit_callbacks)
    assert attachment.ocr_status == OcrStatus.FAILED
    assert AuditEvent.objects.get(verb="attachment.ocr").after["error"] == (
        "OCR 不可用：未安装 tesseract"
    )
    with pytest.raises(services.ScanBlocked):
        services.item_submit(actor=people.editor, item=item)
    services.attachment_ocr_checked(actor=people.officer, attachment=attachment)
    assert services.item_submit(actor=people.editor, item=item).status == ItemStatus.PENDING


def test_reading_again_changes_nothing(
    attach, people, make_item, scan_pdf, read_scan, fake_ocr, django_capture_on_commit_callbacks
):
    calls = fake_ocr(read_scan)
    item = make_item()
    attachment = upload(attach, item, scan_pdf, capture=django_capture_on_commit_callbacks)
    assert len(calls) == 1
    # an interrupted task run again: the attachment is read already
    services.attachment_ocr_apply(attachment_id=attachment.pk)
    assert len(calls) == 1
    assert AuditEvent.objects.filter(verb="attachment.ocr").count() == 1
    # removed before its turn came: nothing to read
    attachment.delete()
    assert services.attachment_ocr_apply(attachment_id=attachment.pk) is None


def test_a_published_item_is_searchable_by_the_words_of_its_scan(
    attach, people, make_item, advance, fake_ocr, django_capture_on_commit_callbacks
):
    fake_ocr(ocr.OcrResult(text="\n".join(CLEAN_LINES), confidence=91.0, pages=[]))
    item = make_item(title="检查通报")
    upload(
        attach, item, scans.notice_png(CLEAN_LINES), "通报.png", django_capture_on_commit_callbacks
    )
    item = advance(item, ItemStatus.PUBLISHED)
    hits = search_selectors.search(search_selectors.SearchQuery(text="渔船安全检查"))
    assert [hit.item.pk for hit in hits.hits] == [item.pk]


def test_a_published_item_is_indexed_again_when_its_scan_is_read(
    people, make_item, advance, fake_ocr
):
    """Publication waits for the scans; an item published another way (an import) before its scan
    was read gets its recognised words into search when it is read."""
    fake_ocr(ocr.OcrResult(text="\n".join(CLEAN_LINES), confidence=91.0, pages=[]))
    item = advance(make_item(title="检查通报"), ItemStatus.PUBLISHED)
    attachment = Attachment.objects.create(
        item=item,
        original_name="通报.png",
        kind="png",
        content_type="image/png",
        size=1,
        sha256="0" * 64,
        ocr_status=OcrStatus.PENDING,
        uploaded_by=people.editor,
        file="attachments/x.png",
    )
    attachment.file.save("通报.png", io.BytesIO(b"x"), save=True)
    search_indexing.index_item(item)
    assert search_selectors.search(search_selectors.SearchQuery(text="渔船")).hits == []
    services.attachment_ocr_apply(attachment_id=attachment.pk)
    hits = search_selectors.search(search_selectors.SearchQuery(text="渔船"))
    assert [hit.item.pk for hit in hits.hits] == [item.pk]


def test_approval_and_publication_wait_for_a_scan(people, make_item, advance, scan_pdf):
    """A scan waiting for OCR on an item further along (written some other way than an upload
    to a draft) holds back every later step too."""

    def waiting_scan(item):
        return Attachment.objects.create(
            item=item,
            original_name="补充.pdf",
            kind="pdf",
            content_type="application/pdf",
            size=len(scan_pdf),
            sha256="1" * 64,
            ocr_status=OcrStatus.PENDING,
            uploaded_by=people.editor,
        )

    pending = advance(make_item(), ItemStatus.PENDING)
    waiting_scan(pending)
    with pytest.raises(services.ScanBlocked):
        services.item_approve(actor=people.reviewer, item=pending, checks=ALL_CHECKS)
    approved = advance(make_item(), ItemStatus.APPROVED)
    approved.scheduled_at = NOW
    approved.save(update_fields=["scheduled_at"])
    scan = waiting_scan(approved)
    with pytest.raises(services.ScanBlocked):
        services.item_publish(actor=people.reviewer, item=approved)
    assert services.items_publish_due(now=NOW) == []  # skipped, not failed
    approved.refresh_from_db()
    assert approved.status == ItemStatus.APPROVED
    scan.delete()  # nothing waits any more
    assert [i.pk for i in services.items_publish_due(now=NOW)] == [approved.pk]


# --- the staff item page ---------------------------------------------------------------------


def page_url(item, name="item-detail", *args):
    return reverse(f"catalogue:{name}", args=[item.agency.slug, item.pk, *args])


def test_the_item_page_shows_the_scan_its_findings_and_their_page(
    attach,
    client,
    people,
    make_item,
    scan_pdf,
    read_scan,
    fake_ocr,
    django_capture_on_commit_callbacks,
):
    fake_ocr(read_scan)
    item = make_item()
    attachment = upload(attach, item, scan_pdf, capture=django_capture_on_commit_callbacks)
    client.force_login(people.editor)
    html = client.get(page_url(item)).content.decode()
    assert 'id="scans"' in html
    assert "已经文字识别" in html
    assert scans.MOBILE in html
    assert "第 1 页" in html
    image_url = page_url(item, "attachment-scan-page", attachment.pk, 1)
    assert image_url in html
    # the page image: a PNG with the findings outlined in red, private
    response = client.get(image_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    with Image.open(io.BytesIO(response.content)) as image:
        colours = image.convert("RGB").getcolors(maxcolors=2**24)
    reds = sum(n for n, (r, g, b) in colours if r > 180 and g < 60 and b < 60)
    assert reds > 500
    assert client.get(page_url(item, "attachment-scan-page", attachment.pk, 2)).status_code == 404
    # another agency's officer sees neither the page nor the image
    client.force_login(people.outsider)
    assert client.get(image_url).status_code == 404


def test_a_reviewer_checks_an_uncertain_scan_from_the_item_page(
    attach, client, people, make_item, scan_pdf, fake_ocr, django_capture_on_commit_callbacks
):
    fake_ocr(ocr.OcrResult(text="\n".join(CLEAN_LINES), confidence=40.0, pages=[]))
    item = make_item()
    attachment = upload(attach, item, scan_pdf, capture=django_capture_on_commit_callbacks)
    check_url = page_url(item, "attachment-ocr-checked", attachment.pk)
    client.force_login(people.editor)
    assert check_url not in client.get(page_url(item)).content.decode()
    assert client.post(check_url).status_code == 403
    client.force_login(people.reviewer)
    assert check_url in client.get(page_url(item)).content.decode()
    response = client.post(check_url)
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.ocr_status == OcrStatus.DONE


def test_a_tiff_scan_waits_for_ocr_like_a_png(attach, people, make_item, fake_ocr):
    calls = fake_ocr(pytest.fail)
    item = make_item()
    tiff = scans.tiff(scans.notice_png(lines=CLEAN_LINES[:1]), scans.tiny_png())
    attachment = upload(attach, item, tiff, name="通报.tif")
    assert calls == []
    assert (attachment.kind, attachment.content_type) == ("tiff", "image/tiff")
    assert attachment.ocr_status == OcrStatus.PENDING
    assert Task.objects.get().payload == {"attachment": attachment.pk}
    with pytest.raises(services.ScanBlocked, match="通报.tif"):
        services.item_submit(actor=people.editor, item=item)


def test_a_scanned_page_inside_a_text_pdf_is_read_and_the_text_kept_in_page_order(
    attach, people, make_item, fake_ocr, django_capture_on_commit_callbacks
):
    report = "The committee approved the annual report of the agency."
    mixed = scans.mixed_pdf(report, scans.notice_png(lines=CLEAN_LINES[:1]), report)
    page_text = f"{report}\n\n{CLEAN_LINES[0]}\n\n{report}"
    layout = [{"page": 2, "width": 1, "height": 1, "dpi": 200, "words": [], "offsets": []}]
    calls = fake_ocr(ocr.OcrResult(text=page_text, confidence=90.0, pages=layout))
    item = make_item()
    attachment = upload(attach, item, mixed, name="年报.pdf")
    assert attachment.ocr_status == OcrStatus.PENDING  # though most pages have text
    assert report in attachment.text
    attachment = upload(
        attach, make_item(), mixed, name="年报.pdf", capture=django_capture_on_commit_callbacks
    )
    assert calls == [("pdf", "年报.pdf")]
    assert attachment.ocr_status == OcrStatus.DONE
    assert attachment.text == page_text  # the text layer is not repeated after the OCR text
    assert [page["page"] for page in attachment.ocr_layout] == [2]


def test_the_page_image_of_a_tiff_is_its_own_page(
    attach, client, people, make_item, fake_ocr, django_capture_on_commit_callbacks
):
    first, second = scans.notice_png(lines=["一"]), scans.notice_png(lines=["二", "三"])
    with Image.open(io.BytesIO(second)) as image:
        size = image.size
    layout = [
        {"page": n, "width": 1, "height": 1, "dpi": 200, "words": [], "offsets": []} for n in (1, 2)
    ]
    fake_ocr(ocr.OcrResult(text="一\n\n二\n三", confidence=90.0, pages=layout))
    item = make_item()
    attachment = upload(
        attach,
        item,
        scans.tiff(first, second),
        name="传真.tif",
        capture=django_capture_on_commit_callbacks,
    )
    client.force_login(people.editor)
    response = client.get(page_url(item, "attachment-scan-page", attachment.pk, 2))
    assert response.status_code == 200
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == size  # the second frame, not the first
    assert client.get(page_url(item, "attachment-scan-page", attachment.pk, 3)).status_code == 404
