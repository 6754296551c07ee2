"""Attachments: type sniffing by content, text extraction, metadata removal at publication."""

import hashlib
import io
import zipfile

import docx
import pytest
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from gongkai.catalogue import files, services
from gongkai.catalogue.models import ItemStatus
from gongkai.core.tests import scans

from .factories import (
    EXIF_ARTIST,
    EXIF_ORIENTATION,
    make_docx,
    make_jpeg,
    make_pdf,
    make_png,
    make_xlsx,
)

LIMIT = 1024 * 1024


def zip_of(**members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


# --- sniffing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (make_pdf("hello"), files.PDF),
        (make_docx("你好"), files.DOCX),
        (make_xlsx([["你好"]]), files.XLSX),
        (make_png(), files.PNG),
        (make_jpeg(), files.JPEG),
        (scans.tiff(scans.tiny_png()), files.TIFF),
        (b"MM\0*\0\0\0\x08", files.TIFF),  # big-endian
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, files.OLE),
        (zip_of(**{"readme.txt": "x"}), files.ZIP),
        (b"<html><script>alert(1)</script></html>", None),
        (b"PK\x03\x04 but not really a zip archive", None),
        (b"MZ\x90\x00 an executable", None),
    ],
    ids=[
        "pdf",
        "docx",
        "xlsx",
        "png",
        "jpeg",
        "tiff",
        "tiff-mm",
        "ole",
        "zip",
        "html",
        "broken-zip",
        "exe",
    ],
)
def test_sniff_reads_the_content_not_the_name(data, expected):
    assert files.sniff(data) is expected


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("通知.pdf", make_pdf("x")),
        ("通知.PDF", make_pdf("x")),
        ("要点.docx", make_docx("x")),
        ("预算.xlsx", make_xlsx([[1]])),
        ("现场.png", make_png()),
        ("现场.jpg", make_jpeg()),
        ("现场.JPEG", make_jpeg()),
        ("扫描.tif", scans.tiff(scans.tiny_png())),
        ("扫描.TIFF", scans.tiff(scans.tiny_png(), scans.tiny_png())),
    ],
)
def test_check_upload_accepts_matching_files(name, data):
    assert files.check_upload(name, data, max_bytes=LIMIT) is files.sniff(data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("扫描件.pdf", make_png(), "does not match"),  # a PNG renamed to .pdf
        ("要点.xlsx", make_docx("x"), "does not match"),
        ("无扩展名", make_pdf("x"), "does not match"),
        ("脚本.pdf", b"<script>alert(1)</script>", "not an accepted file type"),
        ("空文件.pdf", b"", "is empty"),
        ("大文件.pdf", make_pdf("x") + b"\0" * LIMIT, "attachments may be at most"),
    ],
    ids=["png-as-pdf", "docx-as-xlsx", "no-extension", "script", "empty", "too-large"],
)
def test_check_upload_rejects(name, data, message):
    with translation.override("en"), pytest.raises(files.AttachmentError, match=message):
        files.check_upload(name, data, max_bytes=LIMIT)


def test_the_size_limit_is_inclusive():
    data = make_pdf("x")
    assert files.check_upload("a.pdf", data, max_bytes=len(data)) is files.PDF
    with pytest.raises(files.AttachmentError):
        files.check_upload("a.pdf", data, max_bytes=len(data) - 1)


@pytest.mark.django_db
def test_attachment_add_applies_the_settings_limit(make_item, people, settings):
    data = make_pdf("x")
    settings.GONGKAI_ATTACHMENT_MAX_BYTES = len(data) - 1
    with pytest.raises(services.ValidationError) as raised:
        services.attachment_add(actor=people.editor, item=make_item(), name="a.pdf", data=data)
    assert raised.value.code == "attachment"


# --- text extraction ---------------------------------------------------------------------------


def test_extract_text_from_docx():
    data = make_docx(
        "六横镇临时救助申请表", "申请人：林国庆 & 家属", "身份证号码：11010519491231002X"
    )
    text = files.extract_text(files.DOCX, data)
    assert text.splitlines() == [
        "六横镇临时救助申请表",
        "申请人：林国庆 & 家属",
        "身份证号码：11010519491231002X",
    ]


def test_extract_text_from_docx_reads_headers_footers_and_comments():
    """What a reader of the file sees beside the body is scanned too (made with python-docx)."""
    document = docx.Document()
    paragraph = document.add_paragraph("六横镇临时救助审批表")
    section = document.sections[0]
    section.header.paragraphs[0].text = "经办人：林国庆 13912345678"
    section.footer.paragraphs[0].text = "身份证号码：11010519491231002X"
    document.add_comment(paragraph.runs, text="请核对申请人王小红的住址", author="张三")
    out = io.BytesIO()
    document.save(out)
    text = files.extract_text(files.DOCX, out.getvalue())
    assert "六横镇临时救助审批表" in text
    for hidden in ("13912345678", "11010519491231002X", "王小红"):
        assert hidden in text


def test_extract_text_from_xlsx():
    data = make_xlsx([["姓名", "联系电话", "金额"], ["林国庆", 13912345678, 3000]])
    text = files.extract_text(files.XLSX, data)
    for expected in ("姓名", "联系电话", "林国庆", "13912345678", "3000"):
        assert expected in text


def test_extract_text_from_pdf():
    text = files.extract_text(files.PDF, make_pdf("ID 11010519491231002X mobile 13912345678"))
    assert "11010519491231002X" in text and "13912345678" in text


@pytest.mark.parametrize(
    ("file_type", "data"),
    [
        (files.DOCX, zip_of(**{"word/document.xml": "<w:document><w:t>未闭合"})),
        (files.DOCX, zip_of(**{"word/other.xml": "x"})),
        (files.PDF, b"%PDF-1.4 truncated"),
        (files.PNG, make_png()),
    ],
    ids=["bad-xml", "no-document", "bad-pdf", "image"],
)
def test_extract_text_gives_empty_text_for_what_it_cannot_read(file_type, data):
    assert files.extract_text(file_type, data) == ""


# --- metadata removal ---------------------------------------------------------------------------


def docx_part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


@pytest.mark.django_db
def test_publishing_removes_the_author_from_a_docx(make_item, advance, people, private_root):
    item = make_item()
    data = make_docx("六横镇2026年政务公开工作要点", author="张三", company="六横镇党政办")
    assert "张三" in docx_part(data, "docProps/core.xml")
    attachment = services.attachment_add(
        actor=people.editor, item=item, name="要点.docx", data=data
    )
    assert not attachment.metadata_stripped

    advance(item, ItemStatus.PUBLISHED)

    attachment.refresh_from_db()
    assert attachment.metadata_stripped
    stored = (private_root / attachment.file.name).read_bytes()
    assert "张三" not in docx_part(stored, "docProps/core.xml")
    assert "六横镇党政办" not in docx_part(stored, "docProps/app.xml")
    assert files.extract_text(files.DOCX, stored) == "六横镇2026年政务公开工作要点\n"
    assert files.sniff(stored) is files.DOCX
    assert attachment.size == len(stored)
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert attachment.file.name.split("/")[-1].startswith(attachment.sha256[:16])


def test_docx_custom_properties_are_dropped_with_their_relationship():
    data = make_docx("正文")
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["docProps/custom.xml"] = (
        "<Properties><property name='owner'>张三</property></Properties>".encode()
    )
    members["_rels/.rels"] = members["_rels/.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    cleaned = files.strip_metadata(files.DOCX, out.getvalue())
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        assert "docProps/custom.xml" not in archive.namelist()
        assert b"custom.xml" not in archive.read("_rels/.rels")
        assert "张三" not in "".join(archive.read(n).decode() for n in archive.namelist())


def test_xlsx_creator_is_removed():
    data = make_xlsx([["预算"]], author="张三")
    assert "张三" in docx_part(data, "docProps/core.xml")
    cleaned = files.strip_metadata(files.XLSX, data)
    assert "张三" not in docx_part(cleaned, "docProps/core.xml")
    assert "预算" in files.extract_text(files.XLSX, cleaned)


@pytest.mark.django_db
def test_publishing_removes_the_author_from_a_pdf(make_item, advance, people, private_root):
    data = make_pdf("Liuheng notice", author="张三")
    assert PdfReader(io.BytesIO(data)).metadata["/Author"] == "张三"
    item = make_item()
    attachment = services.attachment_add(actor=people.editor, item=item, name="通知.pdf", data=data)
    advance(item, ItemStatus.PUBLISHED)
    attachment.refresh_from_db()
    stored = (private_root / attachment.file.name).read_bytes()
    metadata = PdfReader(io.BytesIO(stored)).metadata
    assert metadata is None or "/Author" not in metadata
    assert "Liuheng notice" in files.extract_text(files.PDF, stored)


def test_png_text_chunks_are_removed_and_pixels_kept():
    data = make_png(text={"Author": "张三", "Comment": "联系电话13912345678"})
    with Image.open(io.BytesIO(data)) as before:
        assert before.text["Author"] == "张三"
        pixels = before.convert("RGB").tobytes()
    cleaned = files.strip_metadata(files.PNG, data)
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.text == {}
        assert after.convert("RGB").tobytes() == pixels
    assert "张三".encode() not in cleaned and b"13912345678" not in cleaned


def test_a_palette_png_keeps_its_colours():
    data = make_png(mode="P", text={"Author": "张三"})
    with Image.open(io.BytesIO(data)) as before:
        pixels = before.convert("RGB").tobytes()
    cleaned = files.strip_metadata(files.PNG, data)
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.convert("RGB").tobytes() == pixels
        assert after.text == {}


def test_jpeg_exif_and_comments_are_removed():
    data = make_jpeg(artist="Zhang San")
    with Image.open(io.BytesIO(data)) as before:
        assert before.getexif()[EXIF_ARTIST] == "Zhang San"
        assert before.info["comment"]
    cleaned = files.strip_metadata(files.JPEG, data)
    with Image.open(io.BytesIO(cleaned)) as after:
        assert dict(after.getexif()) == {}
        assert "comment" not in after.info and "exif" not in after.info
        assert after.size == (6, 4)
    assert b"Zhang San" not in cleaned and b"zhangsan" not in cleaned


def test_jpeg_orientation_is_applied_before_the_exif_goes():
    # Orientation 6: the camera was turned; viewers rotate the 6x4 pixels to 4x6.
    cleaned = files.strip_metadata(files.JPEG, make_jpeg(artist=None, orientation=6))
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.size == (4, 6)
        assert EXIF_ORIENTATION not in after.getexif()


@pytest.mark.django_db
def test_publishing_strips_images_once(make_item, advance, people, private_root):
    item = make_item()
    attachment = services.attachment_add(
        actor=people.editor, item=item, name="现场.jpg", data=make_jpeg(artist="Zhang San")
    )
    advance(item, ItemStatus.PUBLISHED)
    attachment.refresh_from_db()
    stored = (private_root / attachment.file.name).read_bytes()
    assert attachment.metadata_stripped and b"Zhang San" not in stored
    assert files.sniff(stored) is files.JPEG


def test_the_accepted_types_are_listed_in_chinese():
    with translation.override("zh-hans"), pytest.raises(files.AttachmentError) as caught:
        files.check_upload("脚本.pdf", b"<script>", max_bytes=LIMIT)
    assert str(caught.value) == (
        "“脚本.pdf”不是允许上传的文件类型（PDF、Word、Excel、PNG、JPEG、TIFF、ZIP）。"
    )


def test_tiff_metadata_is_removed_and_every_page_kept():
    from PIL import ImageSequence

    first = scans.notice_png(lines=["一"], size=12)
    second = scans.notice_png(lines=["二", "三"], size=12)
    data = scans.tiff(
        first,
        second,
        tags={
            270: "张三的扫描件 13912345678",  # ImageDescription
            305: "ScanSoft 9",  # Software
            315: "Zhang San",  # Artist
            306: "2026:03:02 09:00:00",  # DateTime
            700: b"<x:xmpmeta>zhangsan</x:xmpmeta>",  # XMP
        },
    )
    with Image.open(io.BytesIO(data)) as before:
        assert before.tag_v2[315] == "Zhang San"
        pages = [frame.convert("1").tobytes() for frame in ImageSequence.Iterator(before)]
    cleaned = files.strip_metadata(files.TIFF, data, name="扫描.tif")
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.n_frames == 2
        kept = []
        for frame in ImageSequence.Iterator(after):
            assert not {270, 305, 306, 315, 700} & set(frame.tag_v2)
            assert frame.info["dpi"] == (200, 200)
            kept.append(frame.convert("1").tobytes())
    assert kept == pages
    for secret in ("张三".encode(), b"13912345678", b"Zhang San", b"ScanSoft", b"zhangsan"):
        assert secret not in cleaned
    assert files.sniff(cleaned) is files.TIFF
