"""DOCX (python-docx): A4, the body and title faces of the application letters (East-Asian
fonts set on w:eastAsia, the fontTable fallbacks — gongkai/applications/render.py's helpers),
the tables from the layout grids with merged cells like the official layout. A draft's header
holds a 草稿 line and the diagonal text shape Word and LibreOffice draw as a watermark on every
page (VML ``v:textpath``, as Word writes its own watermarks)."""

from __future__ import annotations

import io
from datetime import date, datetime, time

from gongkai.applications.render import (
    BODY_FONT,
    MARGINS_MM,
    PAGE_MM,
    TITLE_FONT,
    _docx_defaults,
    _first_line_chars,
    _font_table_fallbacks,
    _page_number_footer,
    _set_fonts,
)

from . import DRAFT_MARK, DRAFT_NOTE, ReportDocument
from .html import sections
from .layout import Grid

BODY_PT = 14
TITLE_PT = 20
HEADING_FONT = "黑体"
TABLE_PT = 9


def render_docx(doc: ReportDocument) -> bytes:
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

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
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)

    title_style = document.styles.add_style("GongkaiReportTitle", WD_STYLE_TYPE.PARAGRAPH)
    title_style.base_style = normal
    title_style.font.size = Pt(TITLE_PT)
    _set_fonts(title_style.element.get_or_add_rPr(), TITLE_FONT)
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.paragraph_format.space_after = Pt(BODY_PT)

    heading_style = document.styles.add_style("GongkaiReportHeading", WD_STYLE_TYPE.PARAGRAPH)
    heading_style.base_style = normal
    _set_fonts(heading_style.element.get_or_add_rPr(), HEADING_FONT)
    heading_style.paragraph_format.space_before = Pt(BODY_PT / 2)
    heading_style.paragraph_format.keep_with_next = True

    table_style = document.styles.add_style("GongkaiReportTable", WD_STYLE_TYPE.PARAGRAPH)
    table_style.base_style = normal
    table_style.font.size = Pt(TABLE_PT)

    document.add_paragraph(doc.title, style=title_style)
    if doc.correction_note:
        document.add_paragraph("更正说明", style=heading_style)
        document.add_paragraph(doc.correction_note)
    for part in sections(doc):
        if part.title:
            document.add_paragraph(part.title, style=heading_style)
        for text in part.paragraphs:
            paragraph = document.add_paragraph(text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _first_line_chars(paragraph, 2)
        for grid in part.grids:
            _table(document, grid, table_style)
            document.add_paragraph("")

    _page_number_footer(section)
    if doc.draft:
        _draft_watermark(section)
    properties = document.core_properties
    properties.title = doc.title
    properties.author = properties.last_modified_by = doc.agency_name
    properties.keywords = properties.comments = properties.subject = ""
    stamp = doc.published_at or datetime.combine(date(doc.year + 1, 1, 1), time(0, 0))
    properties.created = properties.modified = stamp.replace(tzinfo=None)
    properties.revision = doc.version or 1
    _font_table_fallbacks(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, grid: Grid, style) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if grid.caption:
        document.add_paragraph(grid.caption, style=style)
    table = document.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = "Table Grid"
    for cell in grid.cells:
        target = table.cell(cell.row, cell.col)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(
                table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1)
            )
        paragraph = target.paragraphs[0]
        paragraph.style = style
        paragraph.text = cell.text
        if cell.cell_key:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif not cell.header or cell.row < _header_rows(grid):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _header_rows(grid: Grid) -> int:
    return min((c.row for c in grid.cells if c.cell_key), default=grid.n_rows)


# Word's text-effect shape type (o:spt 136: text along a plain path), which a VML watermark uses
_TEXT_SHAPE_TYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(
        f'<v:f eqn="{eqn}"/>'
        for eqn in (
            "sum #0 0 10800",
            "prod #0 2 1",
            "sum 21600 0 @1",
            "sum 0 0 @2",
            "sum 21600 0 @3",
            "if @0 @3 0",
            "if @0 21600 @1",
            "if @0 0 @2",
            "if @0 @4 21600",
            "mid @5 @6",
            "mid @8 @5",
            "mid @7 @8",
            "mid @6 @7",
            "sum @6 0 @5",
        )
    )
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom"'
    ' o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/>'
    "</v:shapetype>"
)


def _draft_watermark(section) -> None:
    """The header of a draft: a 草稿 line, and the mark drawn diagonally behind the text."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Pt, RGBColor

    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(DRAFT_NOTE)
    run.font.size = Pt(10.5)
    run.font.color.rgb = RGBColor(0xA0, 0x00, 0x00)
    shape = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        "<w:rPr><w:noProof/></w:rPr><w:pict>"
        + _TEXT_SHAPE_TYPE
        + '<v:shape id="GongkaiDraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136"'
        ' style="position:absolute;margin-left:0;margin-top:0;width:400pt;height:160pt;'
        "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#c00000"'
        ' stroked="f"><v:fill opacity=".2"/>'
        '<v:textpath style="font-family:&quot;宋体&quot;;font-size:1pt" string="'
        + DRAFT_MARK
        + '"/></v:shape></w:pict></w:r>'
    )
    paragraph._p.append(parse_xml(shape))
