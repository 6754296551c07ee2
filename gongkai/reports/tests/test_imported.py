"""Storing an imported report as an agency's record of a past year; the cross-year lint rule
uses it as the baseline when nothing was published."""

from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent, Role
from gongkai.reports.formats import get
from gongkai.reports.imported import imported_baseline, report_import_store
from gongkai.reports.importers import import_file
from gongkai.reports.lint import lint_agency
from gongkai.reports.models import ImportedReport

pytestmark = pytest.mark.django_db
SEED = Path(__file__).parent / "fixtures" / "000_dcb72101f199030d.txt"
PERMIT = "行政许可|本年处理决定数量"
FEE = "行政事业性收费|本年收费金额（单位：万元）"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        yield


@pytest.fixture
def officer(town, make_member):
    return make_member(town, Role.OFFICER)


def _carry(fmt_key, row):
    fmt = get(fmt_key)
    return dict((column.key, key) for column, key in fmt.cells_of(fmt.row(row)))


def test_seed_is_stored_as_the_towns_2018_record(town, officer):
    imported = import_file(SEED).as_dict()
    row = report_import_store(
        actor=officer, agency=town, imported=imported, source_name="000_dcb72101f199030d.txt"
    )
    assert (row.year, row.format, row.source_name) == (2018, "pre2019", "000_dcb72101f199030d.txt")
    assert row.cells["3.政务微信公开政府信息数|统计数"] == 318
    assert row.imported_by == officer
    event = AuditEvent.objects.get(verb="report.import_store")
    assert event.agency == town and event.after["year"] == 2018
    assert imported_baseline(town, 2018)["cells"] == row.cells


def test_importing_again_replaces_the_record(town, officer):
    first = {"format": "2021", "year": 2024, "cells": {PERMIT: 3, FEE: 1.5}}
    report_import_store(actor=officer, agency=town, imported=first)
    row = report_import_store(
        actor=officer,
        agency=town,
        imported={**first, "cells": {PERMIT: 4}},
        source_name="again.docx",
    )
    assert ImportedReport.objects.filter(agency=town, year=2024).count() == 1
    row.refresh_from_db()
    assert row.cells == {PERMIT: 4} and row.source_name == "again.docx"
    event = AuditEvent.objects.get(verb="report.import_replace")
    assert event.before["cells"] == {PERMIT: 3, FEE: "1.5"}


@pytest.mark.parametrize(
    "imported",
    [
        {"format": "1999", "year": 2024, "cells": {PERMIT: 1}},
        {"format": "2021", "year": None, "cells": {PERMIT: 1}},
        {"format": "2021", "year": 2026, "cells": {PERMIT: 1}},  # not a past year
        {"format": "2021", "year": 2024, "cells": {"没有这一格|总计": 1}},
        {"format": "2021", "year": 2024, "cells": {PERMIT: "三"}},
        {"format": "2021", "year": 2024, "cells": {PERMIT: None}},  # no figure at all
        {"format": "2021", "year": 2024, "cells": {PERMIT: 1}, "narrative": ["x"]},
    ],
)
def test_bad_input_is_refused_and_nothing_stored(town, officer, imported):
    with pytest.raises(ValidationError):
        report_import_store(actor=officer, agency=town, imported=imported)
    assert not ImportedReport.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="report.import").exists()


def test_only_staff_of_the_agency_may_store(town, other_town, make_member):
    stranger = make_member(other_town, Role.OFFICER)
    editor = make_member(town, Role.EDITOR)
    for actor in (stranger, editor):
        with pytest.raises(PermissionDenied):
            report_import_store(
                actor=actor,
                agency=town,
                imported={"format": "2021", "year": 2024, "cells": {PERMIT: 1}},
            )
    assert not ImportedReport.objects.exists()


def test_cross_year_lint_uses_the_imported_baseline(town, officer):
    carried_out = _carry("2021", "四")
    report_import_store(
        actor=officer,
        agency=town,
        imported={"format": "2021", "year": 2024, "cells": {carried_out["total"]: 2}},
    )
    _report, findings = lint_agency(town, 2025)
    cross = [f for f in findings if f.rule == "cross_year"]
    carried_in = _carry("2021", "二")
    assert [(f.expected, f.actual, f.location) for f in cross] == [
        (2, 0, f"2025:{carried_in['total']}")
    ]
