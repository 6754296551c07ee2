"""A Word (.docx) document as an item's body: its text as the body's HTML, its pictures as files.

The upload is opened by the safe reader first (gongkai.core.safefile: every member streamed
within the archive limits, so a ZIP bomb is refused before mammoth sees it), and an XML part
declaring a DOCTYPE or an entity is refused (Word and WPS never write one; it is how XML
entity expansion and external entities are smuggled in). mammoth (BSD-2-Clause) converts the
document with its own files only (external_file_access=False), and the HTML goes through the
same sanitiser as every saved body. The body allows no <img>: each picture is replaced by a
line naming the attachment it becomes.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gongkai.core import safefile

from . import files, richtext

# Word's built-in heading styles keep their English names inside the file (also in a Chinese
# Word or WPS); the body's headings start at h2 (h1 is the page's title).
STYLE_MAP = """
p[style-name='Title'] => h2:fresh
p[style-name='heading 1'] => h2:fresh
p[style-name='Heading 1'] => h2:fresh
p[style-name='heading 2'] => h3:fresh
p[style-name='Heading 2'] => h3:fresh
p[style-name='heading 3'] => h4:fresh
p[style-name='Heading 3'] => h4:fresh
p[style-name='heading 4'] => h4:fresh
p[style-name='Heading 4'] => h4:fresh
"""

IMAGE_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/tiff": "tif",
}
_PLACEHOLDER = "gongkai-image:"
_IMG = re.compile(r"<img\b[^>]*?src=\"" + _PLACEHOLDER + r"(\d+)\"[^>]*>", re.IGNORECASE)
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class DocxImage:
    name: str
    data: bytes
    content_type: str


@dataclass
class ConvertedDocx:
    body: str  # sanitised HTML
    images: list[DocxImage] = field(default_factory=list)
    # pictures in a format attachments do not take (EMF, WMF, GIF …): named, not kept
    skipped: list[str] = field(default_factory=list)


def _refuse_declarations(data: bytes, *, name: str) -> None:
    with safefile.SafeZip(data, name=name) as archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            # a declaration sits in the prolog, before the root element: the head is enough,
            # but a long comment could push it down, so read the whole (bounded) part
            if _DECLARATION.search(archive.read(info)):
                raise safefile.FileRefused(
                    _(
                        "“%(name)s” contains XML declarations (DOCTYPE or ENTITY) that Word "
                        "never writes; it cannot be read safely."
                    )
                    % {"name": name},
                    code="xml_declaration",
                )


def convert_docx(data: bytes, *, name: str) -> ConvertedDocx:
    """The document's body as sanitised HTML and its pictures. Raises safefile.FileRefused
    (translated) for a file that is not a .docx, past the limits, or hostile."""
    import mammoth

    if files.sniff(data, name=name) is not files.DOCX:
        raise safefile.FileRefused(
            _("“%(name)s” is not a Word document (.docx); save it as .docx and try again.")
            % {"name": name},
            code="not_docx",
        )
    safefile.check_zip(data, name=name)
    _refuse_declarations(data, name=name)

    stem = re.sub(r"\.docx$", "", name, flags=re.IGNORECASE) or "document"
    images: list[DocxImage] = []
    skipped: list[str] = []
    labels: dict[int, tuple[str, bool]] = {}  # placeholder number: (file name, kept)

    def image_source(image) -> dict:
        number = len(labels) + 1
        extension = IMAGE_EXTENSIONS.get((image.content_type or "").lower())
        label = f"{stem}-{number}.{extension or 'img'}"
        labels[number] = (label, extension is not None)
        if extension is None:
            skipped.append(label)
        else:
            with image.open() as stream:
                images.append(DocxImage(label, stream.read(), image.content_type))
        return {"src": f"{_PLACEHOLDER}{number}"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(image_source),
            external_file_access=False,
        )
    except safefile.FileRefused:
        raise
    except Exception:  # noqa: BLE001 — mammoth, zipfile and expat each raise their own errors
        raise safefile.damaged(name) from None

    def placeholder(match: re.Match) -> str:
        label, kept = labels.get(int(match.group(1)), ("", False))
        text = (
            _("[Picture: see the attachment “%(name)s”]")
            if kept
            else _("[Picture “%(name)s” left out: its format cannot be attached]")
        )
        return html.escape(text % {"name": label})

    body = _IMG.sub(placeholder, result.value)
    return ConvertedDocx(body=richtext.sanitize(body), images=images, skipped=skipped)
