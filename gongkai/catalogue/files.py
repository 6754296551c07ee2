"""Attachments: type sniffing from content, text extraction for the privacy shield, and removal
of authoring metadata before publication.

Every file is opened through gongkai.core.safefile: an archive, PDF or image past its limits is
refused (`AttachmentError`, translated) before anything parses it or stores it."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.core import safefile

# The refusal of an upload: its type, its size or one of the safe reader's limits.
AttachmentError = safefile.FileRefused


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("pdf", "application/pdf", (".pdf",))
DOCX = FileType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileType(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
PNG = FileType("png", "image/png", (".png",))
JPEG = FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"))
TIFF = FileType("tiff", "image/tiff", (".tif", ".tiff"))
OLE = FileType("ole", "application/msword", (".doc", ".xls", ".wps", ".et"))
ZIP = FileType("zip", "application/zip", (".zip",))
ACCEPTED = (PDF, DOCX, XLSX, PNG, JPEG, TIFF, OLE, ZIP)
IMAGES = (PNG, JPEG, TIFF)


def sniff(data: bytes, *, name: str = "") -> FileType | None:
    """The file's type by its content, not its name. An archive past the member limits is
    refused (AttachmentError) before its directory is read."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(safefile.TIFF_MAGIC):
        return TIFF
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if data.startswith(b"PK\x03\x04"):
        try:
            with safefile.SafeZip(data, name=name or _("the file")) as archive:
                names = set(archive.namelist())
        except AttachmentError as exc:
            if exc.code == "damaged":
                return None
            raise
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        return ZIP
    return None


def check_upload(name: str, data: bytes, *, max_bytes: int) -> FileType:
    if len(data) > max_bytes:
        raise AttachmentError(
            _("“%(name)s” is %(size).1f MB; attachments may be at most %(limit).0f MB.")
            % {"name": name, "size": len(data) / 2**20, "limit": max_bytes / 2**20}
        )
    if not data:
        raise AttachmentError(_("“%(name)s” is empty.") % {"name": name})
    file_type = sniff(data, name=name)
    if file_type is None:
        raise AttachmentError(
            _("“%(name)s” is not an accepted file type (PDF, Word, Excel, PNG, JPEG, TIFF, ZIP).")
            % {"name": name}
        )
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in file_type.extensions:
        raise AttachmentError(
            _("“%(name)s” does not match its content (%(kind)s); rename or convert it.")
            % {"name": name, "kind": file_type.kind.upper()}
        )
    check_content(file_type, data, name=name)
    return file_type


def check_content(file_type: FileType, data: bytes, *, name: str) -> None:
    """Refuse a file past the safe reader's limits: an archive with every member streamed, a
    PDF's pages, an image's pixels (a TIFF's every page, and its page count)."""
    if file_type in (DOCX, XLSX, ZIP):
        safefile.check_zip(data, name=name)
    elif file_type is PDF:
        with safefile.pdf_limits():
            safefile.open_pdf(data, name=name)
    elif file_type in IMAGES:
        safefile.check_image(data, name=name)


@dataclass(frozen=True)
class Inspected:
    file_type: FileType
    text: str  # what the privacy shield scans


def inspect_upload(name: str, data: bytes, *, max_bytes: int) -> Inspected:
    """An upload checked (type, size, limits) and its text: what every upload path stores, and
    what `gongkai privacy scan` reads. Raises AttachmentError; the caller stores nothing then."""
    file_type = check_upload(name, data, max_bytes=max_bytes)
    return Inspected(file_type, extract_text(file_type, data, name=name))


def extract_text(file_type: FileType, data: bytes, *, name: str = "") -> str:
    """Text the privacy shield scans. Best effort: an unreadable file yields ''; a file past the
    safe reader's limits (its archive, its pages, its length of text) is refused."""
    name = name or _("the file")
    try:
        text = _extract_text(file_type, data, name)
    except AttachmentError as exc:
        if exc.code == "damaged":
            return ""
        raise
    except Exception:  # noqa: BLE001 — a damaged file is kept; the reviewer sees it has no text
        return ""
    return safefile.check_text(text, name=name)


def docx_text(data: bytes, *, name: str) -> str:
    """A Word file's text as attachments are read: sniffed by content ('' when it is not a Word
    file or is damaged) and refused past the safe reader's limits. Registered in apps.py as
    core.safefile's "docx" reader (the holiday notice of `gongkai workdays notice`)."""
    if sniff(data, name=name) is not DOCX:
        return ""
    check_content(DOCX, data, name=name)
    return extract_text(DOCX, data, name=name)


def _extract_text(file_type: FileType, data: bytes, name: str) -> str:
    # Tables are written a row a line with their cells separated by a TAB (a cell's own
    # paragraphs by a space), so that a header such as 姓名 or 身份证号 marks its column for the
    # shield; the masking of files reads the same text (gongkai.privacy.documents).
    from gongkai.privacy import documents

    if file_type is DOCX:
        # the body, then what Word shows beside it and a reader of the file sees too:
        # headers, footers, foot- and endnotes, reviewers' comments, and link addresses
        return documents.docx_text(data, name=name)
    if file_type is XLSX:
        # every sheet in the workbook's order, cells in column order, shared strings resolved
        return documents.xlsx_text(data, name=name)
    if file_type is PDF:
        return safefile.pdf_text(data, name=name)
    return ""


_CORE_PROPS = "docProps/core.xml"
_APP_PROPS = "docProps/app.xml"
_EMPTY_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_EMPTY_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)


_RENDERING_INFO = ("transparency", "icc_profile")
_CUSTOM_REFERENCES = {
    "_rels/.rels": re.compile(r"<Relationship[^>]*Target=\"docProps/custom\.xml\"[^>]*/>"),
    "[Content_Types].xml": re.compile(r"<Override[^>]*PartName=\"/docProps/custom\.xml\"[^>]*/>"),
}


def strip_metadata(file_type: FileType, data: bytes, *, name: str = "") -> bytes:
    """The same document without author, company, revision and time stamps (read within the
    safe reader's limits)."""
    name = name or _("the file")
    if file_type in (DOCX, XLSX):
        out = io.BytesIO()
        with (
            safefile.SafeZip(data, name=name) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                if info.filename.startswith("docProps/custom"):
                    continue
                content = source.read(info)
                if info.filename == _CORE_PROPS:
                    content = _EMPTY_CORE.encode()
                elif info.filename == _APP_PROPS:
                    content = _EMPTY_APP.encode()
                elif info.filename in _CUSTOM_REFERENCES:
                    # the package relationship to docProps/custom.xml and its content type go
                    # with the part
                    content = _CUSTOM_REFERENCES[info.filename].sub("", content.decode("utf-8"))
                    content = content.encode()
                target.writestr(info.filename, content)
        return out.getvalue()
    if file_type is PDF:
        from pypdf import PdfWriter

        with safefile.pdf_limits():
            writer = PdfWriter(clone_from=safefile.open_pdf(data, name=name))
            writer.metadata = None
            if "/Metadata" in writer.root_object:
                del writer.root_object["/Metadata"]
            out = io.BytesIO()
            writer.write(out)
        return out.getvalue()
    if file_type in (PNG, JPEG):
        from PIL import Image, ImageOps

        safefile.check_image(data, name=name)

        with Image.open(io.BytesIO(data)) as image:
            # A copy keeps the pixels and a palette image's palette. The EXIF orientation is
            # baked into the pixels, since the tag goes with the rest of EXIF; then only what
            # rendering needs is kept: no EXIF, XMP, comments or text chunks are written.
            clean = ImageOps.exif_transpose(image)
            clean.info = {k: image.info[k] for k in _RENDERING_INFO if k in image.info}
            out = io.BytesIO()
            clean.save(out, format="PNG" if file_type is PNG else "JPEG", quality=95)
        return out.getvalue()
    if file_type is TIFF:
        return _strip_tiff(data, name=name)
    return data


# What a TIFF page keeps: its compression, resolution and colour profile. Everything else in its
# directory goes: EXIF, XMP, IPTC, Photoshop resources, ImageDescription, Artist, Software,
# DateTime, HostComputer, Copyright, DocumentName and the like.
_TIFF_INFO = ("compression", "icc_profile", "dpi")
# what Pillow can write for any mode, when a page's own compression cannot be written again
_TIFF_FALLBACK = {"1": "group4"}


def _strip_tiff(data: bytes, *, name: str) -> bytes:
    """A TIFF without its metadata, every page kept (each decoded and written again: Pillow
    copies XMP, IPTC and Photoshop tags from a page it writes as it is, not from a copy)."""
    from PIL import Image, ImageOps, ImageSequence

    safefile.check_image(data, name=name)  # every page's size and the page count first
    with Image.open(io.BytesIO(data)) as image:
        pages = []
        for frame in ImageSequence.Iterator(image):
            page = ImageOps.exif_transpose(frame).copy()  # a plain image: no TIFF directory
            page.info = {k: frame.info[k] for k in _TIFF_INFO if k in frame.info}
            pages.append(page)
    dpi = pages[0].info.get("dpi")
    options = {"dpi": dpi} if dpi else {}
    out = io.BytesIO()
    try:
        pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:], **options)
    except (OSError, ValueError, KeyError):
        for page in pages:
            page.info["compression"] = _TIFF_FALLBACK.get(page.mode, "tiff_lzw")
        out = io.BytesIO()
        pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:], **options)
    return out.getvalue()
