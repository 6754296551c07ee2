"""The supervisor's roll-up matrix: who is expected (an internal office is not), where each
agency's figures come from (published, else imported, else 逾期未发布 / 未发布 against its due date
with the nearest ancestor's date winning), the indicators and their totals, the year-over-year
columns, the workbook, and a query count that does not grow with the agencies."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gongkai.core.models import AgencyLevel, Role
from gongkai.core.tests.factories import AgencyFactory, UserFactory
from gongkai.reports import matrix as m
from gongkai.reports.formats import FORMATS, get
from gongkai.reports.formats.indicators import INDICATORS, indicators_for
from gongkai.reports.imported import report_import_store
from gongkai.reports.models import Report, ReportDeadline, ReportStatus, ReportVersion

pytestmark = pytest.mark.django_db

NEW = "一、本年新收政府信息公开申请数量|总计"
CARRIED = "二、上年结转政府信息公开申请数量|总计"
REFUSED_1 = "1.属于国家秘密|总计"
REFUSED_4 = "4.保护第三方合法权益|总计"
REVIEW = "行政复议|总计"
DIRECT = "行政诉讼|未经复议直接起诉|总计"
AFTER = "行政诉讼|复议后起诉|总计"
FEE = "行政事业性收费|本年收费金额（单位：万元）"


@pytest.fixture(autouse=True)
def _frozen():
    # the 2025 reports: 乡镇 due 2026-01-31 (passed), the 区 2026-03-31 (not yet)
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        yield


def publish(agency, year, cells, *, fmt="2021", versions=1):
    """A published report whose latest version holds `cells` (earlier versions hold 999s)."""
    user = UserFactory()
    report = Report.objects.create(
        agency=agency, year=year, format=fmt, status=ReportStatus.PUBLISHED, version=versions
    )
    for number in range(1, versions + 1):
        figures = cells if number == versions else dict.fromkeys(cells, 999)
        ReportVersion.objects.create(report=report, number=number, cells=figures, published_by=user)
    return report


@pytest.fixture
def world(agency_tree, make_member):
    """2025: 六横镇 published, 虾峙镇 imported (published elsewhere), 桃花镇 nothing (overdue),
    the district nothing (not due yet); 六横镇's 党政办 is an internal office."""
    tree = dict(agency_tree)
    tree["department"].publishes_annual_report = False
    tree["department"].save()
    tree["xiazhi"] = AgencyFactory(
        name="虾峙镇人民政府", short_name="虾峙镇", slug="xiazhi", parent=tree["district"]
    )
    publish(
        tree["town"],
        2025,
        {NEW: 10, CARRIED: 1, REFUSED_1: 2, REFUSED_4: 3, REVIEW: 1, DIRECT: 2, FEE: "1.25"},
        versions=2,
    )
    report_import_store(
        actor=make_member(tree["xiazhi"], Role.OFFICER),
        agency=tree["xiazhi"],
        imported={"format": "2021", "year": 2025, "cells": {NEW: 5, AFTER: 1, FEE: 0.5}},
    )
    return tree


def column(matrix, key):
    return [i.key for i in matrix.indicators].index(key)


def by_slug(matrix):
    return {row.agency.slug: row for row in matrix.rows}


def test_statuses_published_imported_overdue_not_yet_and_internal_office_left_out(world):
    matrix = m.report_matrix(world["district"], 2025)
    rows = by_slug(matrix)
    assert list(rows) == ["putuo", "liuheng", "taohua", "xiazhi"]  # no 党政办
    assert rows["liuheng"].status == m.PUBLISHED
    assert rows["liuheng"].version == 2
    assert rows["xiazhi"].status == m.IMPORTED
    assert rows["taohua"].status == m.OVERDUE
    assert rows["taohua"].due == date(2026, 1, 31)
    assert str(rows["taohua"].label) == _("Overdue, not published")
    assert rows["putuo"].status == m.NOT_PUBLISHED  # a 区's report is due by 3月31日
    assert rows["putuo"].due == date(2026, 3, 31)
    assert matrix.overdue == 1
    assert matrix.with_figures == 2


def test_the_district_is_overdue_after_its_date(world):
    with time_machine.travel("2026-04-01 09:00 +0800", tick=False):
        rows = by_slug(m.report_matrix(world["district"], 2025))
    assert rows["putuo"].status == m.OVERDUE


def test_indicator_values_sum_their_cells_and_the_latest_version_only(world):
    matrix = m.report_matrix(world["district"], 2025)
    rows = by_slug(matrix)
    town = rows["liuheng"].values
    assert town[column(matrix, "new")].current == 10  # never the first version's 999
    assert town[column(matrix, "refused")].current == 5  # 1. + 4.
    assert town[column(matrix, "litigation")].current == 2
    assert town[column(matrix, "granted")].current is None  # nothing given
    xiazhi = rows["xiazhi"].values
    assert xiazhi[column(matrix, "litigation")].current == 1  # 复议后起诉 counts too
    assert all(v.current is None for v in rows["taohua"].values)


def test_totals_per_column(world):
    matrix = m.report_matrix(world["district"], 2025)
    assert matrix.totals[column(matrix, "new")].current == 15
    assert matrix.totals[column(matrix, "litigation")].current == 3
    assert matrix.totals[column(matrix, "fees")].current == Decimal("1.75")
    assert matrix.totals[column(matrix, "granted")].current is None
    assert matrix.totals[column(matrix, "review")].current == 1


def test_a_subtree_only_and_within_what_the_user_may_see(world, make_member):
    town_matrix = m.report_matrix(world["town"], 2025)
    assert [row.agency.slug for row in town_matrix.rows] == ["liuheng"]
    officer = make_member(world["town"], Role.OFFICER)
    from gongkai.core.selectors import agencies_visible_to

    seen = m.report_matrix(world["district"], 2025, visible=agencies_visible_to(officer))
    assert [row.agency.slug for row in seen.rows] == ["liuheng"]


def test_nearest_ancestors_deadline_wins():
    city = AgencyFactory(name="舟山市人民政府", slug="zhoushan", level=AgencyLevel.DEPARTMENT)
    district = AgencyFactory(
        name="普陀区人民政府", slug="putuo", level=AgencyLevel.COUNTY, parent=city
    )
    town = AgencyFactory(name="六横镇人民政府", slug="liuheng", parent=district)
    ReportDeadline.objects.create(agency=city, applies_to_level="township", month=2, day=28)
    rows = by_slug(m.report_matrix(district, 2025))
    assert rows["liuheng"].due == date(2026, 2, 28)
    assert rows["liuheng"].status == m.OVERDUE
    ReportDeadline.objects.create(agency=district, applies_to_level="township", month=4, day=30)
    rows = by_slug(m.report_matrix(district, 2025))
    assert rows["liuheng"].due == date(2026, 4, 30)
    assert rows["liuheng"].status == m.NOT_PUBLISHED
    assert town.pk == rows["liuheng"].agency.pk


def test_year_over_year_previous_and_change(world):
    publish(world["town"], 2024, {NEW: 4, FEE: "2"})
    matrix = m.report_matrix(world["district"], 2025, compare=True)
    town = by_slug(matrix)["liuheng"].values
    new = town[column(matrix, "new")]
    assert (new.current, new.previous, new.change) == (10, 4, 6)
    fee = town[column(matrix, "fees")]
    assert fee.change == Decimal("-0.75")
    assert matrix.totals[column(matrix, "new")].previous == 4
    assert matrix.totals[column(matrix, "new")].change == 11
    plain = m.report_matrix(world["district"], 2025)
    assert plain.rows[1].values[column(plain, "new")].previous is None


def test_year_over_year_across_formats_compares_the_shared_indicators(agency_tree):
    town = agency_tree["town"]
    publish(town, 2021, {NEW: 7, REVIEW: 1})
    publish(town, 2020, {NEW: 3, REVIEW: 2}, fmt="2019")
    matrix = m.report_matrix(agency_tree["district"], 2021, compare=True)
    values = by_slug(matrix)["liuheng"].values
    assert values[column(matrix, "new")].change == 4
    assert values[column(matrix, "review")].change == -1
    # 行政事业性收费 amounts are not in the 2019 format's indicators
    assert values[column(matrix, "fees")].previous is None


@pytest.mark.parametrize("fmt_key", list(FORMATS))
def test_every_indicator_names_cells_of_its_format(fmt_key):
    fmt = get(fmt_key)
    known = set(fmt.cell_keys())
    indicators = indicators_for(fmt_key)
    assert len({i.key for i in indicators}) == len(indicators)
    for indicator in indicators:
        assert indicator.label and indicator.unit
        assert set(indicator.cell_keys(fmt)) <= known, indicator.key
    assert set(INDICATORS) == set(FORMATS)


def _count(agency, year):
    with CaptureQueriesContext(connection) as queries:
        m.report_matrix(agency, year, compare=True)
    return len(queries)


def test_query_count_does_not_grow_with_the_agencies(world, django_assert_max_num_queries):
    few = _count(world["district"], 2025)
    for n in range(12):
        town = AgencyFactory(name=f"第{n}镇人民政府", slug=f"town-{n}", parent=world["district"])
        if n % 3 == 0:
            publish(town, 2025, {NEW: n})
        if n % 3 == 1:
            publish(town, 2024, {NEW: n})
    assert _count(world["district"], 2025) == few
    with django_assert_max_num_queries(8):
        matrix = m.report_matrix(world["district"], 2025, compare=True)
    assert len(matrix.rows) == 16


def test_workbook_headers_rows_status_and_totals(world):
    publish(world["town"], 2024, {NEW: 4})
    matrix = m.report_matrix(world["district"], 2025, compare=True)
    book = load_workbook(BytesIO(m.matrix_xlsx(matrix)))
    sheet = book.active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert world["district"].name in rows[0][0]
    headers = rows[1]
    assert headers[:3] == [_("Agency"), _("Status"), _("Due date")]
    new_at = headers.index(_("%(name)s %(year)s") % {"name": "本年新收申请（件）", "year": 2025})
    assert headers[new_at + 2] == _("%(name)s change") % {"name": "本年新收申请（件）"}
    body = {r[0]: r for r in rows[2:-1]}
    assert set(body) == {
        a.name for a in (world["district"], world["town"], world["other_town"], world["xiazhi"])
    }
    town = body[world["town"].name]
    assert town[1] == _("Published")
    assert town[new_at : new_at + 3] == [10, 4, 6]
    assert body[world["other_town"].name][1] == _("Overdue, not published")
    assert body[world["other_town"].name][2].date() == date(2026, 1, 31)
    assert body[world["district"].name][1] == _("Not published")
    overdue_fill = sheet.cell(row=2 + 1 + list(body).index(world["other_town"].name), column=2)
    assert overdue_fill.fill.fgColor.rgb.endswith("F8D7DA")
    totals = rows[-1]
    assert totals[0] == _("Total")
    assert totals[new_at : new_at + 3] == [15, 4, 11]
    fees = headers.index(_("%(name)s %(year)s") % {"name": "行政事业性收费（万元）", "year": 2025})
    assert Decimal(str(totals[fees])) == Decimal("1.75")


def test_workbook_without_comparison_has_one_column_per_indicator(world):
    matrix = m.report_matrix(world["district"], 2025)
    sheet = load_workbook(BytesIO(m.matrix_xlsx(matrix))).active
    headers = [c.value for c in sheet[2]]
    assert headers[3:] == [f"{i.label}（{i.unit}）" for i in matrix.indicators]
