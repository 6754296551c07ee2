"""The text version (文字版) of a published scan: what OCR read, for readers of screen readers."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Attachment, ItemStatus, OcrStatus
from gongkai.catalogue.tests import conftest as catalogue_fixtures
from gongkai.core import ocr
from gongkai.core.tests import scans

media_root = catalogue_fixtures.media_root
people = catalogue_fixtures.people
column = catalogue_fixtures.column
make_item = catalogue_fixtures.make_item
advance = catalogue_fixtures.advance

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
READ = "六横镇渔船安全检查通报\n本次检查渔船四十二艘。\n\n附：检查人员名单"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scanned(people, make_item, advance, monkeypatch, django_capture_on_commit_callbacks):
    """scanned(status) -> (item, attachment): a scan read by OCR on an item brought to `status`."""
    monkeypatch.setattr(
        ocr,
        "recognise",
        lambda data, kind, **kw: ocr.OcrResult(text=READ, confidence=92.0, pages=[]),
    )

    def make(status=ItemStatus.PUBLISHED):
        item = make_item(title="渔船安全检查通报")
        with django_capture_on_commit_callbacks(execute=True):
            attachment = catalogue_services.attachment_add(
                actor=people.editor, item=item, name="通报.png", data=scans.notice_png(["通报"])
            )
        attachment.refresh_from_db()
        assert attachment.ocr_status == OcrStatus.DONE
        return advance(item, status), attachment

    return make


def urls(item, attachment):
    args = [item.agency.slug, item.pk]
    return (
        reverse("portal:item", args=args),
        reverse("portal:attachment-text", args=[*args, attachment.pk]),
    )


def test_a_published_scan_has_a_text_version_beside_its_download(client, scanned):
    item, attachment = scanned()
    item_url, text_url = urls(item, attachment)
    html = client.get(item_url).content.decode()
    assert f'href="{text_url}"' in html
    assert "文字版" in html and 'aria-label="通报.png的文字版"' in html
    response = client.get(text_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>通报.png的文字版</h1>" in page
    # a paragraph per block, a line break per recognised line
    assert "<p>六横镇渔船安全检查通报<br>本次检查渔船四十二艘。</p>" in page
    assert "<p>附：检查人员名单</p>" in page


def test_the_text_is_escaped_and_masked_once_more(client, scanned):
    item, attachment = scanned()
    # published with an exception for personal data, or read badly: the page masks it anyway
    Attachment.objects.filter(pk=attachment.pk).update(
        text=f"<script>alert(1)</script>\n公民身份号码：{scans.ID_NUMBER}"
    )
    page = client.get(urls(item, attachment)[1]).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert scans.ID_NUMBER not in page
    assert scans.ID_NUMBER[:6] in page  # masked, not removed


def test_no_text_version_where_there_is_no_download(client, scanned, people):
    draft, attachment = scanned(ItemStatus.DRAFT)
    assert client.get(urls(draft, attachment)[1]).status_code == 404
    item, attachment = scanned()
    catalogue_services.item_withdraw(actor=people.reviewer, item=item, reason="过时")
    assert client.get(urls(item, attachment)[1]).status_code == 404


def test_no_text_version_for_a_file_not_read_by_ocr(client, scanned):
    item, attachment = scanned()
    Attachment.objects.filter(pk=attachment.pk).update(ocr_status=OcrStatus.NOT_NEEDED)
    item_url, text_url = urls(item, attachment)
    assert client.get(text_url).status_code == 404
    assert text_url not in client.get(item_url).content.decode()
