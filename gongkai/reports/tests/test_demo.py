"""The demo's 2025 report: computed in the 2021 format, every check rule passing, published."""

import pytest
import time_machine
from django.core.management import call_command

from gongkai.core.models import Agency
from gongkai.reports.formats import get
from gongkai.reports.models import Report, ReportEntry, ReportStatus

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-26 10:00 +0800", tick=False)
def test_the_demo_publishes_the_2025_report_with_every_check_passing():
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)  # idempotent
    agency = Agency.objects.get(slug="liuheng")
    report = Report.objects.get(agency=agency, year=2025)
    assert report.status == ReportStatus.PUBLISHED and report.version == 1
    assert ReportEntry.objects.filter(agency=agency, year=2025).count() == 4
    version = report.versions.get()
    cells = version.cells
    assert cells["行政许可|本年处理决定数量"] == 126
    assert get("2021").evaluate(cells) == []
    # 一 + 二 = 三（七）+ 四 holds with real figures, not an empty table.
    assert any(v not in (None, 0, "0") for k, v in cells.items() if k.startswith("一、"))
