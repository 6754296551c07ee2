"""The demo agency's records computed in each format: the 2018 report in the pre-2019 format
gives the seed's 统计表 (seeds/000_dcb72101f199030d.txt), cell by cell; the 2025 report in the
2021 format passes every check rule."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from gongkai.core.models import Agency
from gongkai.reports.compute import compute_report
from gongkai.reports.formats import get

pytestmark = pytest.mark.django_db

NOW = "2026-11-26 10:00 +0800"

# The seed's table: every data row, by row key, with the figure it prints. The seed prints a
# zero as a blank cell (the format's zero_shown_blank): a blank is 0 here.
SEED = {
    "一（一）": 1132,
    "一（二）1": 614,
    "一（二）2": 200,
    "一（二）3": 318,
    "三（一）": 8,
    "三（一）4": 8,
    "三（二）": 8,
    "三（三）2": 5,
    "三（三）5": 3,
    "八（一）": 1,
    "八（二）1": 1,
}
# Cells the seed leaves blank although its own figures fill them (the records agree with the
# figures, not with the blanks): 8 applications concluded, none extended, so 8 on time; 申请答复数
# is the sum of its rows (5 + 3); 从事…人员数 is 专职 + 兼职 (1 + 0).
SEED_BLANK_BUT_DERIVED = {"三（二）1": 8, "三（三）": 8, "八（二）": 1}


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=False):
        call_command("demo", stdout=StringIO())
        yield Agency.objects.get(slug="liuheng")


def test_2018_pre2019_reproduces_the_seed_table(demo):
    fmt = get("pre2019")
    report = compute_report(demo, 2018, "pre2019")
    expected = {}
    for row in fmt.data_rows():
        [(_column, key)] = fmt.cells_of(row)
        expected[key] = SEED.get(row.key, SEED_BLANK_BUT_DERIVED.get(row.key, 0))
    assert report.cells == expected
    assert fmt.evaluate(report.cells) == []


def test_2025_computes_in_the_2021_format_with_every_check_passing(demo):
    fmt = get("2021")
    report = compute_report(demo, 2025, "2021")
    assert fmt.evaluate(report.cells) == []
    assert report.cells["一、本年新收政府信息公开申请数量|总计"] > 0
    # 2025's carry-out is 2026's carry-in (the cross-year rule)
    later = compute_report(demo, 2026, "2021")
    for column in ("自然人", "总计"):
        assert (
            report.cells[f"四、结转下年度继续办理|{column}"]
            == later.cells[f"二、上年结转政府信息公开申请数量|{column}"]
        )
