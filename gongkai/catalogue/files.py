"""Attachments: type sniffing from content, text extraction for the privacy shield, and removal
of authoring metadata before publication."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _


class AttachmentError(ValueError):
    pass


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
OLE = FileType("ole", "application/msword", (".doc", ".xls", ".wps", ".et"))
ZIP = FileType("zip", "application/zip", (".zip",))
ACCEPTED = (PDF, DOCX, XLSX, PNG, JPEG, OLE, ZIP)


def sniff(data: bytes) -> FileType | None:
    """The file's type by its content, not its name."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
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
    file_type = sniff(data)
    if file_type is None:
        raise AttachmentError(
            _("“%(name)s” is not an accepted file type (PDF, Word, Excel, PNG, JPEG, ZIP).")
            % {"name": name}
        )
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in file_type.extensions:
        raise AttachmentError(
            _("“%(name)s” does not match its content (%(kind)s); rename or convert it.")
            % {"name": name, "kind": file_type.kind.upper()}
        )
    return file_type


_W_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|</w:p>")
_DOCX_TEXT_PARTS = re.compile(r"word/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_XLSX_SHARED = re.compile(r"<t(?:\s[^>]*)?>([^<]*)</t>")


def extract_text(file_type: FileType, data: bytes) -> str:
    """Text the privacy shield scans. Best effort: an unreadable file yields ''."""
    import html

    try:
        if file_type is DOCX:
            # the body, then what Word shows beside it and a reader of the file sees too:
            # headers, footers, foot- and endnotes, and reviewers' comments
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = ["word/document.xml"] + sorted(
                    n for n in archive.namelist() if _DOCX_TEXT_PARTS.fullmatch(n)
                )
                xmls = [archive.read(n).decode("utf-8") for n in names]
            return html.unescape(
                "".join(
                    m.group(1) if m.group(1) is not None else "\n"
                    for xml in xmls
                    for m in _W_TEXT.finditer(xml)
                )
            )
        if file_type is XLSX:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = [
                    n
                    for n in archive.namelist()
                    if n == "xl/sharedStrings.xml" or n.startswith("xl/worksheets/")
                ]
                chunks = [archive.read(n).decode("utf-8") for n in parts]
            texts = [html.unescape(m.group(1)) for c in chunks for m in _XLSX_SHARED.finditer(c)]
            numbers = [v for c in chunks for v in re.findall(r"<v>([^<]*)</v>", c)]
            return "\n".join(texts + numbers)
        if file_type is PDF:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            return "\n".join((page.extract_text() or "") for page in reader.pages)
    except Exception:  # noqa: BLE001 — a damaged file is kept; the reviewer sees it has no text
        return ""
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


def strip_metadata(file_type: FileType, data: bytes) -> bytes:
    """The same document without author, company, revision and time stamps."""
    if file_type in (DOCX, XLSX):
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == _CORE_PROPS:
                    content = _EMPTY_CORE.encode()
                elif info.filename == _APP_PROPS:
                    content = _EMPTY_APP.encode()
                elif info.filename.startswith("docProps/custom"):
                    continue
                target.writestr(info.filename, content)
        cleaned = out.getvalue()
        return _drop_custom_relationship(cleaned)
    if file_type is PDF:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.metadata = None
        if "/Metadata" in writer.root_object:
            del writer.root_object["/Metadata"]
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    if file_type in (PNG, JPEG):
        from PIL import Image, ImageOps

        with Image.open(io.BytesIO(data)) as image:
            # A copy keeps the pixels and a palette image's palette. The EXIF orientation is
            # baked into the pixels, since the tag goes with the rest of EXIF; then only what
            # rendering needs is kept: no EXIF, XMP, comments or text chunks are written.
            clean = ImageOps.exif_transpose(image)
            clean.info = {k: image.info[k] for k in _RENDERING_INFO if k in image.info}
            out = io.BytesIO()
            clean.save(out, format="PNG" if file_type is PNG else "JPEG", quality=95)
        return out.getvalue()
    return data


def _drop_custom_relationship(data: bytes) -> bytes:
    """Remove the package relationship to docProps/custom.xml after the part itself is gone."""
    source = zipfile.ZipFile(io.BytesIO(data))
    if "_rels/.rels" not in source.namelist():
        return data
    rels = source.read("_rels/.rels").decode("utf-8")
    cleaned_rels = re.sub(r"<Relationship[^>]*Target=\"docProps/custom\.xml\"[^>]*/>", "", rels)
    content_types = source.read("[Content_Types].xml").decode("utf-8")
    cleaned_types = re.sub(
        r"<Override[^>]*PartName=\"/docProps/custom\.xml\"[^>]*/>", "", content_types
    )
    if cleaned_rels == rels and cleaned_types == content_types:
        return data
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "_rels/.rels":
                content = cleaned_rels.encode()
            elif info.filename == "[Content_Types].xml":
                content = cleaned_types.encode()
            target.writestr(info.filename, content)
    return out.getvalue()
