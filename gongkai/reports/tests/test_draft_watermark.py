"""A draft's exports carry a 草稿 watermark (DOCX header and diagonal shape, PDF text on every
page, HTML overlay and banner, XLSX header/footer and title); a published version has none. The
files are opened the way a reader would open them."""

import dataclasses
from io import BytesIO

import pymupdf
import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from gongkai.core.models import Role
from gongkai.core.tests.export_helpers import fetch_export
from gongkai.reports import exports
from gongkai.reports.compute import compute_report
from gongkai.reports.exports import DRAFT_MARK, DRAFT_NOTE
from gongkai.reports.importers import import_file
from gongkai.reports.services import report_start, report_transition

from .test_exports import _numbers, sample_document


def _pair(key: str = "2021"):
    published = sample_document(key)
    return dataclasses.replace(published, draft=True), published


def _docx_marks(content: bytes) -> tuple[str, int]:
    """(the header's text, how many diagonal 草稿 shapes it holds); ("", 0) without a header."""
    header = Document(BytesIO(content)).sections[0].header
    if header.is_linked_to_previous:
        return "", 0
    text = "".join(p.text for p in header.paragraphs)
    return text, header._element.xml.count(f'string="{DRAFT_MARK}"')


def _pdf_pages(content: bytes) -> list[str]:
    with pymupdf.open(stream=content, filetype="pdf") as pdf:
        return [page.get_text() for page in pdf]


def test_docx_of_a_draft_has_the_header_and_the_diagonal_mark():
    draft, published = _pair()
    text, shapes = _docx_marks(exports.export(draft, "docx").content)
    assert text == DRAFT_NOTE and shapes == 1
    xml = Document(BytesIO(exports.export(draft, "docx").content)).sections[0].header._element.xml
    assert "rotation:315" in xml and "v:textpath" in xml
    assert _docx_marks(exports.export(published, "docx").content) == ("", 0)


def test_pdf_of_a_draft_has_the_mark_on_every_page():
    draft, published = _pair()
    pages = _pdf_pages(exports.export(draft, "pdf").content)
    assert len(pages) > 1
    assert all(DRAFT_MARK in text for text in pages)
    assert DRAFT_NOTE.replace("：", "") in pages[0].replace("\n", "").replace("：", "")
    assert not any(
        DRAFT_MARK in text for text in _pdf_pages(exports.export(published, "pdf").content)
    )


def test_html_of_a_draft_has_the_overlay_and_the_banner():
    draft, published = _pair()
    html = exports.export(draft, "html").content.decode()
    assert f'class="draft-watermark" aria-hidden="true">{DRAFT_MARK}<' in html
    assert f'class="draft-banner" role="note">{DRAFT_NOTE}<' in html
    assert "rotate(" in html
    plain = exports.export(published, "html").content.decode()
    assert DRAFT_MARK not in plain and "draft-watermark" not in plain


def test_xlsx_of_a_draft_says_so_in_the_header_footer_and_title_of_every_sheet():
    draft, published = _pair()
    book = load_workbook(BytesIO(exports.export(draft, "xlsx").content))
    assert book.worksheets
    for sheet in book.worksheets:
        assert sheet.oddHeader.center.text == DRAFT_MARK
        assert sheet.oddFooter.left.text == DRAFT_NOTE
        assert sheet["A1"].value.endswith(f"（{DRAFT_NOTE}）")
    book = load_workbook(BytesIO(exports.export(published, "xlsx").content))
    for sheet in book.worksheets:
        assert not sheet.oddHeader.center.text and not sheet.oddFooter.left.text
        assert DRAFT_MARK not in sheet["A1"].value


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_a_draft_still_imports_to_the_same_cells(kind, tmp_path):
    draft, published = _pair()
    path = tmp_path / f"draft.{kind}"
    path.write_bytes(exports.export(draft, kind).content)
    imported = import_file(path)
    assert _numbers(imported.cells) == _numbers(draft.cells)
    assert not [f for f in imported.findings if f.severity != "info"]
    assert {k: v for k, v in imported.narrative.items() if k} == draft.narrative


@time_machine.travel("2026-03-10 10:00 +0800", tick=False)
def test_staff_downloads_mark_the_draft_and_not_the_published_version(
    agency_tree, make_member, client
):
    town = agency_tree["town"]
    officer = make_member(town, Role.OFFICER)
    head = make_member(town, Role.OFFICE_HEAD)
    report = report_start(actor=officer, agency=town, year=2025, fmt="2021")
    assert exports.from_computed(compute_report(town, 2025, "2021")).draft

    def download(kind: str, query: str = "") -> bytes:
        if kind in ("docx", "pdf"):  # built in the background: started, then fetched
            url = reverse("reports:report-export", args=[town.slug, 2025, kind]) + query
            return fetch_export(client, client.post(url)).content
        url = reverse("reports:report-download", args=[town.slug, 2025, kind]) + query
        response = client.get(url)
        assert response.status_code == 200
        return response.content

    client.force_login(officer)
    assert _docx_marks(download("docx"))[1] == 1
    assert DRAFT_MARK in download("html").decode()
    report = report_transition(actor=officer, report=report, action="submit")
    report_transition(actor=head, report=report, action="publish")
    assert _docx_marks(download("docx", "?version=1")) == ("", 0)
    assert DRAFT_MARK not in download("html", "?version=1").decode()
    assert all(DRAFT_MARK not in text for text in _pdf_pages(download("pdf", "?version=1")))
    book = load_workbook(BytesIO(download("xlsx", "?version=1")))
    assert not book.worksheets[0].oddHeader.center.text
    # the public page of the version never shows the mark either
    page = client.get(
        reverse("portal:annual-report", kwargs={"agency": town.slug, "year": 2025})
    ).content.decode()
    assert DRAFT_MARK not in page
