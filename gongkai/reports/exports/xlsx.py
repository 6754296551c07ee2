"""XLSX (openpyxl): one sheet per table of the format, drawn from the layout grids (merged
cells like the official layout; figures as numbers, blank cells empty). A draft's sheets say
草稿 in their printed header and footer and after their title line."""

from __future__ import annotations

import io
import re

from . import DRAFT_MARK, DRAFT_NOTE, ReportDocument
from .layout import grids

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def render_xlsx(doc: ReportDocument) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    side = Side(style="thin", color="000000")
    border = Border(left=side, right=side, top=side, bottom=side)
    font = Font(name="宋体", size=10)
    bold = Font(name="宋体", size=11, bold=True)

    book = Workbook()
    book.remove(book.active)
    book.properties.title = doc.title
    book.properties.creator = doc.agency_name
    for key, grid in grids(doc.format, doc.cells).items():
        sheet = book.create_sheet(_SHEET_UNSAFE.sub("_", key)[:31] or "table")
        title = f"{doc.title} · {grid.table.title}"
        if doc.draft:
            title += f"（{DRAFT_NOTE}）"
            for header_footer in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
                header_footer.center.text = DRAFT_MARK
                header_footer.center.size = 28
                header_footer.center.color = "C00000"
            sheet.oddFooter.left.text = DRAFT_NOTE
        sheet.cell(row=1, column=1, value=title).font = bold
        offset = 2
        if grid.caption:
            sheet.cell(row=2, column=1, value=grid.caption).font = font
            offset = 3
        for cell in grid.cells:
            row, column = cell.row + offset, cell.col + 1
            target = sheet.cell(row=row, column=column)
            target.value = cell.value if cell.cell_key else (cell.text or None)
            target.font = font
            target.alignment = Alignment(
                wrap_text=True,
                vertical="center",
                horizontal="right" if cell.cell_key else "left",
            )
            for r in range(row, row + cell.rowspan):
                for c in range(column, column + cell.colspan):
                    sheet.cell(row=r, column=c).border = border
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=row + cell.rowspan - 1,
                    end_column=column + cell.colspan - 1,
                )
        label_columns = min((c.col for c in grid.cells if c.cell_key), default=1)
        for c in range(1, grid.n_cols + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 40 if c <= label_columns else 12
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
