"""The demo agency's 2025 annual report, in the 2021 format, published through the services:
the office enters the figures other systems hold, the officer submits, the head of the office
signs it off (four eyes). Idempotent: a report that exists is left as it is."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from gongkai.core.models import Agency, User

from . import services
from .formats import get
from .models import Report

AGENCY = "liuheng"
YEAR = 2025
FORMAT = "2021"
OFFICER = "lh_officer"
HEAD = "lh_head"

# Cells no record here can give (表二: decisions and fees kept in other systems), with the note
# the office records for each.
ENTERED = {
    "行政许可": (Decimal(126), "据浙江政务服务网办件统计"),
    "行政处罚": (Decimal(37), "据综合行政执法队台账"),
    "行政强制": (Decimal(2), "据综合行政执法队台账"),
    "行政事业性收费": (Decimal("0.86"), "据财政所非税收入统计"),
}


def load_reports_demo() -> bool:
    """Create and publish the 2025 report once; True when it was made now."""
    agency = Agency.objects.get(slug=AGENCY)
    if Report.objects.filter(agency=agency, year=YEAR).exists():
        return False
    officer = User.objects.get(username=OFFICER)
    head = User.objects.get(username=HEAD)
    format_ = get(FORMAT)
    with transaction.atomic():
        report = services.report_start(actor=officer, agency=agency, year=YEAR, fmt=FORMAT)
        for row in format_.entered_rows():
            value, note = ENTERED[row.label]
            for _column, cell_key in format_.cells_of(row):
                services.report_entry_set(
                    actor=officer,
                    agency=agency,
                    year=YEAR,
                    fmt=FORMAT,
                    cell_key=cell_key,
                    value=value,
                    note=note,
                )
        services.report_narrative_draft(actor=officer, report=report)
        report.refresh_from_db()
        report = services.report_transition(actor=officer, report=report, action="submit")
        services.report_transition(actor=head, report=report, action="publish")
    return True
