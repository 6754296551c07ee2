"""Letters rendered to DOCX and PDF, read back the way a person's tools would read them."""

import io
import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest
import time_machine
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from gongkai.applications import render, services
from gongkai.applications.models import Letter
from gongkai.applications.outcomes import Outcome
from gongkai.applications.tests.conftest import person

pytestmark = pytest.mark.django_db

# 𪚥 (U+2A6A5, CJK Extension B) is not in Noto CJK: only the BabelStone Han fallback has it.
RARE = "\U0002a6a5"
NAME = f"王{RARE}"


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} is missing: install Debian's poppler-utils (`make install-test` does)")
    return found


def pdf_tool(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(  # noqa: S603 - a fixed local tool on a file we wrote
        [poppler(tool), *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reply(office):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        app = services.application_submit(
            agency=office["agency"],
            data=person(applicant_name=NAME),
            channel="in_person",
            actor=office["officer"],
        ).application
        services.application_reply(
            actor=office["officer"],
            application=app,
            outcome=Outcome.PARTIAL,
            reason="部分内容涉及商业秘密，第三方不同意公开",
        )
    return Letter.objects.get(application=app, kind="reply")


def test_layout_splits_salutation_body_and_signature(reply):
    parts = render.layout(reply)
    assert parts.salutation == f"{NAME}："
    assert parts.signature == ["六横镇人民政府", "2026年3月2日"]
    assert any("行政复议" in text for text in parts.paragraphs)
    assert not any(text == parts.salutation or text in parts.signature for text in parts.paragraphs)


def test_layout_keeps_a_letter_without_salutation_or_signature_whole():
    letter = SimpleNamespace(title="T", number="N", body="第一段\n第二行\n\n第二段")
    parts = render.layout(letter)
    assert parts.salutation == "" and parts.signature == []
    assert parts.paragraphs == ["第一段", "第二行", "第二段"]


def test_docx_is_a4_with_east_asian_fonts(reply):
    document = Document(io.BytesIO(render.render_docx(reply)))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert abs(section.top_margin - Mm(37)) < Mm(0.5)
    assert abs(section.left_margin - Mm(28)) < Mm(0.5)

    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == render.BODY_FONT
    title_style = document.styles["GongkaiTitle"].element.rPr.rFonts
    assert title_style.get(qn("w:eastAsia")) == render.TITLE_FONT

    paragraphs = document.paragraphs
    assert paragraphs[0].text == reply.title and paragraphs[0].style.name == "GongkaiTitle"
    assert paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (
        paragraphs[1].text == reply.number and paragraphs[1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    )
    assert (
        paragraphs[2].text == f"{NAME}："
        and paragraphs[2].paragraph_format.first_line_indent is None
    )
    remedies = next(p for p in paragraphs if "行政复议" in p.text)
    assert "行政诉讼" in remedies.text
    assert remedies._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert reply.application.number in "".join(p.text for p in paragraphs)
    assert [p.text for p in paragraphs[-2:]] == ["六横镇人民政府", "2026年3月2日"]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in paragraphs[-2:])
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and "— " in footer


def test_pdf_text_holds_number_remedies_and_the_rare_name(reply, tmp_path):
    pdf = render.render_pdf(reply)
    assert pdf.startswith(b"%PDF")
    text = pdf_tool("pdftotext", pdf, tmp_path, "-enc", "UTF-8")
    flat = "".join(text.split())
    assert reply.application.number in flat
    assert reply.number in flat
    assert "行政复议" in flat and "行政诉讼" in flat
    assert NAME in flat
    # pdffonts: "ABCDEF+BabelStone-Han  CID TrueType  Identity-H  yes yes yes  23  0"
    rows = pdf_tool("pdffonts", pdf, tmp_path).splitlines()[2:]
    embedded = {row.split()[0].split("+")[-1] for row in rows if row.split()[-5] == "yes"}
    assert {"BabelStone-Han", "Noto-Serif-CJK-SC"} <= embedded
    info = pdf_tool("pdfinfo", pdf, tmp_path)
    assert "(A4)" in info and re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    assert re.search(r"^Title:\s+政府信息公开申请答复告知书$", info, re.MULTILINE)


def test_pdf_rendering_fetches_nothing():
    fetcher = render._offline_fetcher()
    for url in ("https://example.com/logo.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_ensure_files_stores_both_once(reply, media, monkeypatch):
    assert not reply.docx and not reply.pdf
    render.ensure_files(reply)
    stored = Letter.objects.get(pk=reply.pk)
    number = reply.application.number
    assert stored.pdf.name == f"letters/2026/{number}-reply-{reply.pk}.pdf"
    assert stored.docx.name == f"letters/2026/{number}-reply-{reply.pk}.docx"
    assert stored.pdf.read(4) == b"%PDF"
    stored.pdf.close()
    assert (reply.pdf.name, reply.docx.name) == (stored.pdf.name, stored.docx.name)

    def refuse(letter):
        raise AssertionError("rendered again")

    monkeypatch.setattr(render, "_RENDERERS", {"docx": refuse, "pdf": refuse})
    render.ensure_files(Letter.objects.get(pk=reply.pk))
    again = Letter.objects.get(pk=reply.pk)
    assert (again.pdf.name, again.docx.name) == (stored.pdf.name, stored.docx.name)
    assert render.letter_file(again, "pdf").name == stored.pdf.name


def test_ensure_files_renders_again_what_went_missing_from_storage(reply, media):
    render.ensure_files(reply)
    stored = Letter.objects.get(pk=reply.pk)
    docx_name = stored.docx.name
    stored.pdf.storage.delete(stored.pdf.name)
    render.ensure_files(stored)
    again = Letter.objects.get(pk=reply.pk)
    assert again.docx.name == docx_name
    assert again.pdf.storage.exists(again.pdf.name)


def test_letter_file_refuses_other_formats(reply, media):
    with pytest.raises(ValueError):
        render.letter_file(reply, "odt")
    assert not Letter.objects.get(pk=reply.pk).pdf
