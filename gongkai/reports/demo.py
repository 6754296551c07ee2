"""The demo agency's 2025 annual report, in the 2021 format, published through the services:
the office enters the figures other systems hold, the officer submits, the head of the office
signs it off (four eyes). Idempotent: a report that exists is left as it is."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from gongkai.core import demodata
from gongkai.core.models import Agency, User

from . import services
from .demo_2018 import load_reports_demo_2018
from .formats import get
from .models import Report


@dataclass(frozen=True)
class EnteredSpec:
    row: str  # the format's row label
    value: Decimal
    note: str


# The report's settings, figures and text: demo_data/report_2025.toml.
_DATA = demodata.read(__package__, "report_2025.toml")
AGENCY: str = _DATA["agency"]
YEAR: int = _DATA["year"]
FORMAT: str = _DATA["format"]
OFFICER: str = _DATA["officer"]
HEAD: str = _DATA["head"]
# Cells no record here can give (表二: decisions and fees kept in other systems), with the note
# the office records for each.
ENTERED = {e.row: (e.value, e.note) for e in demodata.records(_DATA, "entered", EnteredSpec)}
# Section 五, which the draft leaves to the office (the demo's own wording).
PROBLEMS_TITLE: str = _DATA["problems"]["title"]
PROBLEMS: str = _DATA["problems"]["text"].strip()


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
        report = services.report_narrative_draft(actor=officer, report=report)
        report = services.report_narrative_set(
            actor=officer, report=report, narrative={PROBLEMS_TITLE: PROBLEMS}
        )
        report = services.report_transition(actor=officer, report=report, action="submit")
        services.report_transition(actor=head, report=report, action="publish")
    return True


def run_demo(out) -> None:
    """The reports' part of `gongkai demo` (registered in apps.py; core/demos.py): the 2018
    items the seed's report counts, then 六横镇's published report of 2025."""
    out.print(
        gettext("2018 items for the annual report: %(n)d created.")
        % {"n": load_reports_demo_2018()}
    )
    if load_reports_demo():
        out.print(gettext("Annual report 2025 of 六横镇 published."))
