"""The supervisor's matrix as an XLSX workbook: one row per agency, one column per indicator
(红/黄/绿 in words and colour), the red and amber counts, then the trend by month."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from .check import ERROR, WARNING
from .selectors import OK, Matrix

WORDS = {ERROR: "红", WARNING: "黄", OK: "绿", None: "—"}
FILLS = {ERROR: "F4B6B6", WARNING: "FCE3A6", OK: "C8E6C9"}


def matrix_xlsx(matrix: Matrix) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "检查矩阵"
    title = _("Website inspection of %(agency)s and the agencies under it") % {
        "agency": matrix.root.name
    }
    book.properties.title = title
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
    headers = [
        "单位",
        "检查时间",
        *[f"{rule.title}{'（单项否决）' if rule.veto else ''}" for rule in matrix.rules],
        "红",
        "黄",
        *[f"{month:%Y-%m} 红/黄" for month in matrix.months],
    ]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=2, column=column, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    line = 3
    for row in matrix.rows:
        checked = (
            timezone.localtime(row.checked_at).replace(tzinfo=None) if row.checked_at else None
        )
        values = [
            row.agency.name,
            checked,
            *[WORDS[cell.status] for cell in row.cells],
            row.errors if row.checked_at else None,
            row.warnings if row.checked_at else None,
            *[
                f"{point.errors}/{point.warnings}" if point.errors is not None else "—"
                for point in row.trend
            ],
        ]
        for column, value in enumerate(values, start=1):
            target = sheet.cell(row=line, column=column, value=value)
            if column == 2 and value is not None:
                target.number_format = "yyyy-mm-dd hh:mm"
        for offset, cell in enumerate(row.cells, start=3):
            if cell.status in FILLS:
                sheet.cell(row=line, column=offset).fill = PatternFill(
                    "solid", fgColor=FILLS[cell.status]
                )
        line += 1
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 17
    for column in range(3, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
