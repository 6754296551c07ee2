"""DOCX (python-docx): A4, the body and title faces of the application letters (East-Asian
fonts set on w:eastAsia, the fontTable fallbacks — gongkai/applications/render.py's helpers),
the tables from the layout grids with merged cells like the official layout."""

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

from . import ReportDocument
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
