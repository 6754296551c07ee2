"""Factories for read-side tests (selectors). Workflow tests go through the services instead."""

from datetime import date

import factory

from gongkai.catalogue.models import Channel, Column, Item, ItemStatus, Publication
from gongkai.catalogue.taxonomy import ChannelKind, ColumnType, Genre
from gongkai.core.tests.factories import AgencyFactory, UserFactory


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Column

    agency = factory.SubFactory(AgencyFactory)
    parent = None
    name = factory.Sequence(lambda n: f"栏目{n}")
    column_type = ColumnType.NEWS
    position = 0


class ItemFactory(factory.django.DjangoModelFactory):
    """An item written straight to the table, in any status (no workflow, no audit)."""

    class Meta:
        model = Item

    column = factory.SubFactory(ColumnFactory)
    agency = factory.SelfAttribute("column.agency")
    title = factory.Sequence(lambda n: f"六横镇工作动态第{n}期")
    formed_on = date(2026, 3, 2)
    genre = Genre.WORK_NEWS
    status = ItemStatus.DRAFT
    created_by = factory.SubFactory(UserFactory)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    agency = factory.SubFactory(AgencyFactory)
    kind = ChannelKind.WEIBO
    name = factory.Sequence(lambda n: f"政务账号{n}")


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    item = factory.SubFactory(ItemFactory, status=ItemStatus.PUBLISHED)
    channel = factory.SubFactory(ChannelFactory, agency=factory.SelfAttribute("..item.agency"))
    published_on = date(2026, 3, 3)
    source = Publication.Source.MANUAL


# --- real documents, built in memory ---------------------------------------------------------

_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


def make_docx(*paragraphs: str, author: str = "张三", company: str = "六横镇党政办") -> bytes:
    """A minimal but well-formed Word document with an author in its core properties."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    body = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        f"<dc:creator>{escape(author)}</dc:creator><cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy>"
        "</cp:coreProperties>"
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Company>{escape(company)}</Company></Properties>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("docProps/core.xml", core)
        archive.writestr("docProps/app.xml", app)
    return out.getvalue()


def make_xlsx(rows: list[list], *, author: str = "张三") -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.properties.creator = author
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _pdf_text(value: str) -> str:
    """A PDF text string: UTF-16BE with a byte-order mark, written in hex."""
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


def make_pdf(text: str, *, author: str | None = "张三") -> bytes:
    """A one-page PDF written by hand: `text` (ASCII) in Helvetica, and an /Info dictionary."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if author is not None:
        objects.append(f"<< /Author {_pdf_text(author)} /Title {_pdf_text('测试')} >>".encode())
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info = b" /Info %d 0 R" % len(objects) if author is not None else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, info)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def make_png(*, text: dict[str, str] | None = None, mode: str = "RGB") -> bytes:
    import io

    from PIL import Image, PngImagePlugin

    image = Image.new(mode, (4, 3), 1 if mode == "P" else (200, 30, 30))
    if mode == "P":
        image.putpalette([255, 0, 0, 0, 128, 255] * 128)
        image.putpixel((0, 0), 0)
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_itxt(key, value)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


EXIF_ARTIST = 0x013B
EXIF_ORIENTATION = 0x0112


def make_jpeg(*, artist: str | None = "Zhang San", orientation: int | None = None) -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", (6, 4), (20, 120, 200))
    exif = Image.Exif()
    if artist:
        exif[EXIF_ARTIST] = artist
    if orientation:
        exif[EXIF_ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"scanned by zhangsan")
    return out.getvalue()
