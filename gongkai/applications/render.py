"""Rendering letters to DOCX (python-docx) and PDF (WeasyPrint), and storing the files.

Both formats lay a letter out the same way, after GB/T 9704 (党政机关公文格式) where it applies
to a notice: A4, type area 156 × 225 mm, the title centred in a larger face, the letter number
right-aligned under it, the salutation flush left, the body paragraphs indented two characters,
the issuing office and the date right-aligned at the end.

A letter's text is plain (letters.py): blocks separated by blank lines. The first block is the
salutation when it is a single line ending with a colon; the last block is the signature when its
last line is a date. Every other line is a paragraph of its own.

The PDF is rendered offline: WeasyPrint gets a fetcher that refuses every URL except inline
``data:``, and the fonts come from the system (Debian: fonts-noto-cjk, fonts-babelstone-han;
`make install` puts them there). BabelStone Han is last in the font list so that a rare character
in a name (CJK Extension B and beyond) still prints.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, time

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string

from .models import Letter

FORMATS = ("docx", "pdf")

# GB/T 9704-2012: A4, top 37 mm, bottom 35 mm, left (订口) 28 mm, right 26 mm; title 2号 (22 pt),
# body 3号 (16 pt), 22 lines a page (225 mm / 22 ≈ 29 pt a line).
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_PT = 22
BODY_PT = 16
LINE_PT = 29
# 红头: the agency's name in red (GB/T 9704 leaves the size to the agency; 26 pt here), a red rule.
LETTERHEAD_PT = 26
RED = "C00000"
# Room above the agency's name for the seal: GB/T 9704 puts the seal over the name and the date,
# its top within one line of the text above, so one blank line is enough.
SEAL_SPACE_PT = LINE_PT

# Word takes one face per script; the font table names a fallback for machines without it.
BODY_FONT = "仿宋_GB2312"
BODY_FONT_FALLBACK = "仿宋"  # FangSong
TITLE_FONT = "方正小标宋简体"
TITLE_FONT_FALLBACK = "黑体"  # SimHei
LATIN_FONT = "Times New Roman"

_DATE_LINE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年.{1,3}月.{1,3}日\s*$")
_BLOCKS = re.compile(r"\n[ \t\u3000]*\n+")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Layout:
    """The one description of a letter's page that the DOCX, the PDF and the on-screen preview
    are all made from, so that the three never say different things."""

    title: str
    number: str
    salutation: str
    paragraphs: list[str]
    signature: list[str]
    letterhead: str = ""  # the agency's name in red above a red rule; "" for none

    @property
    def body_paragraphs(self) -> list[str]:
        """The paragraphs before the closing one (which stays on the page of the signature)."""
        return self.paragraphs[:-1] if self.signature else self.paragraphs

    @property
    def closing_paragraph(self) -> str:
        return self.paragraphs[-1] if self.signature and self.paragraphs else ""

    def texts(self) -> list[str]:
        """Every line of the letter in reading order (what a reader of either file sees)."""
        head = [self.letterhead] if self.letterhead else []
        if self.letterhead:
            head += [self.number, self.title] if self.number else [self.title]
        else:
            head += [self.title] + ([self.number] if self.number else [])
        salutation = [self.salutation] if self.salutation else []
        return head + salutation + self.paragraphs + self.signature


def layout(letter: Letter) -> Layout:
    text = letter.body.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = [block.strip("\n") for block in _BLOCKS.split(text) if block.strip()]
    salutation = ""
    if blocks and "\n" not in blocks[0].strip() and blocks[0].strip().endswith(("：", ":")):
        salutation = blocks.pop(0).strip()
    signature: list[str] = []
    if blocks:
        last = [line.strip() for line in blocks[-1].split("\n") if line.strip()]
        if last and len(last) <= 3 and _DATE_LINE.match(last[-1]):
            signature = last
            blocks.pop()
    paragraphs = [line.strip() for block in blocks for line in block.split("\n") if line.strip()]
    return Layout(
        title=letter.title,
        number=letter.number,
        salutation=salutation,
        paragraphs=paragraphs,
        signature=signature,
        letterhead=getattr(letter, "letterhead", "") or "",
    )


# --- DOCX -----------------------------------------------------------------------------------


def render_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt, RGBColor

    parts = layout(letter)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])

    _docx_defaults(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal_format = normal.paragraph_format
    normal_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal_format.line_spacing = Pt(LINE_PT)
    normal_format.space_before = normal_format.space_after = Pt(0)
    normal_format.widow_control = True

    title_style = document.styles.add_style("GongkaiTitle", WD_STYLE_TYPE.PARAGRAPH)
    title_style.base_style = normal
    title_style.font.size = Pt(TITLE_PT)
    _set_fonts(title_style.element.get_or_add_rPr(), TITLE_FONT)
    title_style.paragraph_format.line_spacing = Pt(LINE_PT + 6)
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    if parts.letterhead:
        # 红头 (GB/T 9704 发文机关标志): the agency's name in red, centred; the number centred
        # under it; a red rule across the type area; then the title.
        head = document.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        head.paragraph_format.line_spacing = Pt(LETTERHEAD_PT + 12)
        run = head.add_run(parts.letterhead)
        run.font.size = Pt(LETTERHEAD_PT)
        run.font.color.rgb = RGBColor.from_string(RED)
        _set_fonts(run._r.get_or_add_rPr(), TITLE_FONT)
        if parts.number:
            number = document.add_paragraph(parts.number)
            number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _red_rule(number if parts.number else head)
        document.add_paragraph(parts.title, style=title_style).paragraph_format.space_before = Pt(
            LINE_PT
        )
        document.paragraphs[-1].paragraph_format.space_after = Pt(LINE_PT)
    else:
        document.add_paragraph(parts.title, style=title_style)
        if parts.number:
            number = document.add_paragraph(parts.number)
            number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            number.paragraph_format.space_after = Pt(LINE_PT)
    if parts.salutation:
        document.add_paragraph(parts.salutation)
    for text in parts.body_paragraphs:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _first_line_chars(paragraph, 2)
    if parts.closing_paragraph:
        # The room for the seal, the agency's name and the date stay on one page with at least
        # the last lines of this paragraph (widow control): GB/T 9704, a signature page never
        # stands without text.
        paragraph = document.add_paragraph(parts.closing_paragraph)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _first_line_chars(paragraph, 2)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.widow_control = True
    for index, text in enumerate(parts.signature):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(BODY_PT * 2)
        paragraph.paragraph_format.keep_together = True
        paragraph.paragraph_format.keep_with_next = index < len(parts.signature) - 1
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(SEAL_SPACE_PT)

    _page_number_footer(section)

    properties = document.core_properties
    properties.title = parts.title
    properties.subject = parts.number
    properties.author = properties.last_modified_by = letter.agency.name
    properties.keywords = properties.comments = ""
    stamp = datetime.combine(letter.issued_on, time(0, 0))
    properties.created = properties.modified = stamp
    properties.revision = 1

    _font_table_fallbacks(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_fonts(rpr, east_asian: str) -> None:
    """Latin text in Times New Roman, Chinese in `east_asian`: w:eastAsia is the attribute Word
    reads for Han characters (python-docx's font.name only sets ascii/hAnsi)."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _docx_defaults(document) -> None:
    """Document defaults: the body font instead of the template's theme fonts, Chinese as the
    East-Asian language (line breaking and punctuation compression in Word)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _set_fonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _page_number_footer(section) -> None:
    """ "— N —" centred under the type area (GB/T 9704: 4号 Arabic numerals, dashes each side)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 5)
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ").font.size = Pt(14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    number = paragraph.add_run("1")
    number.font.size = Pt(14)
    field.append(number._r)
    paragraph.add_run(" —").font.size = Pt(14)


_AFTER_PBDR = tuple(
    f"w:{tag}"
    for tag in (
        "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
        "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
        "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId "
        "cnfStyle rPr sectPr pPrChange"
    ).split()
)


def _red_rule(paragraph) -> None:
    """A red line under `paragraph` across the type area (w:pBdr bottom, 1.5 pt)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")  # eighths of a point
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), RED)
    border.append(bottom)
    # w:pBdr has its place in w:pPr's sequence (before spacing, indent and alignment)
    ppr.insert_element_before(border, *_AFTER_PBDR)


def _first_line_chars(paragraph, chars: int) -> None:
    """First-line indent in characters (w:firstLineChars, hundredths of a character), with the
    equivalent in twips for readers that ignore the character unit."""
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLine"), str(chars * BODY_PT * 20))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _font_table_fallbacks(document) -> None:
    """Declare the Chinese faces in word/fontTable.xml with an alternative name and the GB2312
    character set, so that Word or WPS on a machine without them substitutes a Chinese face."""
    from lxml import etree

    part = next(
        (
            rel.target_part
            for rel in document.part.rels.values()
            if rel.reltype.endswith("/fontTable")
        ),
        None,
    )
    if part is None:
        return
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def w(tag: str) -> str:
        return f"{{{namespace}}}{tag}"

    root = etree.fromstring(part.blob)  # noqa: S320 - python-docx's own template
    for name, alternative, family in (
        (BODY_FONT, BODY_FONT_FALLBACK, "modern"),
        (TITLE_FONT, TITLE_FONT_FALLBACK, "roman"),
    ):
        font = etree.SubElement(root, w("font"), {w("name"): name})
        etree.SubElement(font, w("altName"), {w("val"): alternative})
        etree.SubElement(font, w("charset"), {w("val"): "86"})
        etree.SubElement(font, w("family"), {w("val"): family})
        etree.SubElement(font, w("pitch"), {w("val"): "fixed"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- PDF ------------------------------------------------------------------------------------


def _offline_fetcher():
    """A WeasyPrint URL fetcher that fetches nothing but inline data: URLs. A refused URL is a
    warning and the resource is left out; nothing reaches the network or the file system."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def render_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML

    parts = layout(letter)
    html = render_to_string(
        "applications/letter_pdf.html",
        {
            "layout": parts,
            "letter": letter,
            "agency_name": letter.agency.name,
            "page_mm": PAGE_MM,
            "margins_mm": MARGINS_MM,
            "title_pt": TITLE_PT,
            "body_pt": BODY_PT,
            "line_pt": LINE_PT,
            "letterhead_pt": LETTERHEAD_PT,
            "seal_space_pt": SEAL_SPACE_PT,
            "red": RED,
        },
    )
    return HTML(string=html, base_url="about:blank", url_fetcher=_offline_fetcher()).write_pdf()


# --- Storage --------------------------------------------------------------------------------

_RENDERERS = {"docx": render_docx, "pdf": render_pdf}


def file_name(letter: Letter, fmt: str) -> str:
    """<application number>-<kind>-<letter id>.<fmt>, reduced to ASCII letters, digits and dashes
    (letter numbers such as 六横依申〔2026〕第3号 make poor file names)."""
    stem = _UNSAFE_NAME.sub("-", f"{letter.application.number}-{letter.kind}").strip("-")
    return f"{stem or 'letter'}-{letter.pk}.{fmt}"


def download_name(letter: Letter, fmt: str) -> str:
    """The name a downloaded letter gets: its number and title, as the officer files it
    (六横依申〔2026〕第1号政府信息公开申请答复告知书.pdf); sent RFC 5987-encoded."""
    name = re.sub(r'[\x00-\x1f\\/:*?"<>|]+', "-", f"{letter.number}{letter.title}").strip("-")
    return f"{name or letter.pk}.{fmt}"


def _present(field: FieldFile) -> bool:
    return bool(field.name) and field.storage.exists(field.name)


def ensure_files(letter: Letter) -> Letter:
    """Render and store the DOCX and PDF of `letter` when they are missing (never stored, or
    gone from storage). Idempotent: a letter whose files are there is left as it is. The row is
    locked while rendering so that two first downloads store one pair of files."""
    if all(_present(getattr(letter, fmt)) for fmt in FORMATS):
        return letter
    with transaction.atomic():
        locked = Letter.objects.select_for_update().select_related("application", "agency")
        current = locked.get(pk=letter.pk)
        missing = [fmt for fmt in FORMATS if not _present(getattr(current, fmt))]
        for fmt in missing:
            content = _RENDERERS[fmt](current)
            getattr(current, fmt).save(file_name(current, fmt), ContentFile(content), save=False)
        if missing:
            current.save(update_fields=missing)
    for fmt in FORMATS:
        setattr(letter, fmt, getattr(current, fmt).name)
    return letter


def letter_file(letter: Letter, fmt: str) -> FieldFile:
    """The stored DOCX or PDF of `letter`, rendered first if needed (for the download views)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown letter format: {fmt!r}")
    ensure_files(letter)
    return getattr(letter, fmt)
