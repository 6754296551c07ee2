"""Export of an agency's applications (CSV, XLSX) and the masking of document numbers for lists.

The rows are built here from a queryset the caller has scoped; `services.applications_export`
checks the permission, builds them and records the export. Document numbers are masked: an
export leaves the system, and no column of it needs the full number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .clock import provisional_label
from .masking import masked_id
from .outcomes import ROWS_2021, RULES


@dataclass(frozen=True)
class ExportRow:
    number: str
    submitted_on: date
    received_on: date | None
    channel: str
    applicant_type: str
    id_type: str
    id_number_masked: str
    status: str
    outcome: str
    row_2021: str
    due_on: date | str | None  # a pending due date as "YYYY-MM-DD（预估…）"
    concluded_on: date | None
    on_time: bool | None

    def values(self) -> list:
        return [
            self.number,
            self.submitted_on,
            self.received_on,
            self.channel,
            self.applicant_type,
            self.id_type,
            self.id_number_masked,
            self.status,
            self.outcome,
            self.row_2021,
            self.due_on,
            self.concluded_on,
            self.on_time,
        ]


def headings() -> list[str]:
    return [
        _("Application number"),
        _("Submitted on"),
        _("Date of receipt"),
        _("Channel of application"),
        _("Applicant type"),
        _("Identity document"),
        _("Identity document number (masked)"),
        _("Status"),
        _("Outcome"),
        _("Row of table 3 (2021 format)"),
        _("Reply due"),
        _("Concluded on"),
        _("Replied on time"),
    ]


def _row_2021(outcome: str) -> str:
    if not outcome:
        return ""
    key = RULES[outcome].row_2021
    return f"{key} {ROWS_2021.get(key, '')}".strip()


def build_rows(applications) -> list[ExportRow]:
    rows = []
    for app in applications:
        on_time = None
        if app.concluded_on and app.due_on:
            on_time = app.concluded_on <= app.due_on
        elif app.concluded_on and app.due_provisional and app.concluded_on <= app.due_provisional:
            on_time = True  # the legal date is never earlier than the provisional one
        due = app.due_on
        if due is None and app.due_provisional:
            due = provisional_label(app.due_provisional, app.due_pending_year)
        rows.append(
            ExportRow(
                number=app.number,
                submitted_on=timezone.localdate(app.submitted_at),
                received_on=app.received_on,
                channel=app.get_channel_display(),
                applicant_type=app.get_applicant_type_display(),
                id_type=app.get_id_type_display(),
                id_number_masked=masked_id(app.id_type, app.id_number),
                status=str(app.get_status_display()),
                outcome=app.get_outcome_display() if app.outcome else "",
                row_2021=_row_2021(app.outcome),
                due_on=due,
                concluded_on=app.concluded_on,
                on_time=on_time,
            )
        )
    return rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @ would be a formula in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(rows: list[ExportRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings())
    for row in rows:
        writer.writerow([_cell(value) for value in row.values()])
    # With a byte-order mark, Excel opens the Chinese text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[ExportRow], *, title: str = "") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = (title or _("Applications"))[:31]
    sheet.append(headings())
    for row in rows:
        sheet.append([_cell(value) for value in row.values()])
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLM", (18, 12, 12, 14, 12, 16, 22, 18, 36, 30, 12, 12, 8), strict=True
    ):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
