"""Hostile files through the catalogue's pages: the attachment upload and the imports refuse
archive bombs and hostile spreadsheets fast, in little memory, with a Chinese message, storing
nothing; long error lists are cut to what a page can show."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.catalogue import services
from gongkai.catalogue.models import Attachment
from gongkai.core.models import AuditEvent
from gongkai.core.tests import hostile

MB = 2**20
SECONDS, PEAK = 2.0, 200 * MB
ITEM_HEADINGS = ["栏目", "标题", "成文日期", "体裁"]


@pytest.fixture
def roots(settings, tmp_path):
    """Every place a file could be stored, empty at the start."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT, settings.GONGKAI_PRIVATE_ROOT


def url(name, agency, *args):
    return reverse(f"catalogue:{name}", args=[agency.slug, *args])


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


@pytest.fixture
def draft(make_item):
    return make_item()


def test_the_docx_bomb_is_refused_by_the_attachment_upload(client, town, people, draft, roots):
    client.force_login(people.editor)
    bomb = hostile.docx_bomb()  # word/document.xml: 1 GiB
    target = url("attachment-add", town, draft.pk)
    client.get(url("item-edit", town, draft.pk))  # templates compiled before the measure
    with hostile.measured() as cost:
        response = client.post(target, {"upload-file": SimpleUploadedFile("会议纪要.docx", bomb)})
    assert response.status_code == 400
    assert "“会议纪要.docx”中的“word/document.xml”解压后超过 50 MB，无法安全读取。" in (
        response.content.decode()
    )
    assert cost.seconds < SECONDS and cost.peak_bytes < PEAK, cost
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(verb="attachment.add").exists()
    assert hostile.files_under(*roots) == []


@pytest.mark.parametrize(
    "name, make",
    [
        ("方案.docx", hostile.ratio_bomb),  # 40 MB of text in 40 KB
        ("说明.docx", hostile.declared_size_lie),
        ("附件.docx", lambda: hostile.zip_with_members(3000)),
        ("现场.png", hostile.png_bomb),
        ("扫描.tif", hostile.tiff_bomb),  # 900 megapixels in its header
        ("传真.tiff", hostile.tiff_pages),  # 5,000 pages
    ],
    ids=["ratio", "declared-size-lie", "members", "pixels", "tiff-pixels", "tiff-pages"],
)
def test_hostile_attachments_store_nothing(people, draft, roots, name, make):
    with pytest.raises(services.ValidationError) as caught:
        services.attachment_add(actor=people.editor, item=draft, name=name, data=make())
    assert name in str(caught.value)
    assert not Attachment.objects.exists()
    assert hostile.files_under(*roots) == []


# --- imports ----------------------------------------------------------------------------------


def test_the_findings_spreadsheet_is_refused_by_the_item_import(client, town, people, roots):
    """300 rows × 16,384 columns: 71 s, 1.1 GB and a 5 MB error page before."""
    client.force_login(people.editor)
    wide = SimpleUploadedFile("宽表.xlsx", hostile.xlsx_wide())
    client.get(url("item-import", town))  # templates compiled: the request is what is measured
    with hostile.measured() as cost:
        response = client.post(url("item-import", town), {"file": wide})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('class="import-error"') == 1
    assert "无法安全读取" in page
    assert len(response.content) < 100_000
    assert cost.seconds < SECONDS and cost.peak_bytes < PEAK, cost
    assert hostile.files_under(*roots) == []  # nothing staged


def test_a_heading_row_of_thousands_of_columns_gives_one_error(client, town, people, roots):
    client.force_login(people.editor)
    cells = b"".join(b'<c t="inlineStr"><is><t>%d</t></is></c>' % n for n in range(16_384))
    wide = hostile.xlsx_raw(lambda: [b'<row r="1">' + cells + b"</row>"])
    response = client.post(url("item-import", town), {"file": SimpleUploadedFile("宽.xlsx", wide)})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('class="import-error"') == 1
    assert "第1行在第 256 列之后还有单元格" in page


def csv_upload(rows, name="items.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def test_long_error_lists_are_cut_on_the_page(client, town, people, column, roots):
    client.force_login(people.editor)
    rows = [ITEM_HEADINGS] + [["工作动态", "", "2026-03-02", "工作动态"]] * 150  # no title
    response = client.post(url("item-import", town), {"file": csv_upload(rows)})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('class="import-error"') == 100
    assert "另有 50 处错误未列出" in page


def test_a_huge_cell_is_not_repeated_whole_in_the_errors(client, town, people, column, roots):
    client.force_login(people.editor)
    rows = [ITEM_HEADINGS + ["未知" * 50_000], ["工作动态", "标题", "2026-03-02", "工作动态", "x"]]
    response = client.post(url("item-import", town), {"file": csv_upload(rows)})
    assert response.status_code == 400
    assert len(response.content) < 50_000
