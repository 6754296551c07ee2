"""Roll-up of a subtree's reports (figures published, else imported, else computed; status
against the deadline; lint counts), the scoping of its page, its query counts, and the
year-over-year comparison."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.core.models import AgencyLevel, Role
from gongkai.core.tests.factories import AgencyFactory, UserFactory
from gongkai.reports import rollup
from gongkai.reports.compute import compute_report, compute_reports
from gongkai.reports.imported import report_import_store
from gongkai.reports.models import Report, ReportEntry, ReportStatus, ReportVersion
from gongkai.reports.tests.records import make_application

pytestmark = pytest.mark.django_db
PERMIT = "行政许可|本年处理决定数量"
FEE = "行政事业性收费|本年收费金额（单位：万元）"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        yield


def _publish(agency, year, cells, *, fmt="2021", earlier=None):
    """A published report whose latest version holds `cells` (`earlier`: a version before)."""
    user = UserFactory()
    versions = [earlier, cells] if earlier is not None else [cells]
    report = Report.objects.create(
        agency=agency,
        year=year,
        format=fmt,
        status=ReportStatus.PUBLISHED,
        version=len(versions),
    )
    for number, figures in enumerate(versions, start=1):
        ReportVersion.objects.create(report=report, number=number, cells=figures, published_by=user)
    return report


def _enter(agency, year, key, value):
    ReportEntry.objects.create(
        agency=agency, year=year, format="2021", cell_key=key, value=value, entered_by=UserFactory()
    )


@pytest.fixture
def mixed(agency_tree, make_member):
    """2025: 六横镇 published, 桃花镇 imported, 党政办 and the district computed."""
    town, other = agency_tree["town"], agency_tree["other_town"]
    _publish(town, 2025, {PERMIT: 3, FEE: "1.25"}, earlier={PERMIT: 99})
    report_import_store(
        actor=make_member(other, Role.OFFICER),
        agency=other,
        imported={"format": "2021", "year": 2025, "cells": {PERMIT: 5, FEE: 0.5}},
    )
    _enter(agency_tree["department"], 2025, PERMIT, Decimal("7"))
    return agency_tree


def test_aggregate_sums_published_imported_and_computed(mixed):
    cells, sources = rollup.aggregate(mixed["district"], 2025, "2021")
    by_slug = {item.agency.slug: item.source for item in sources.values()}
    assert by_slug == {
        "putuo": rollup.COMPUTED,
        "liuheng": rollup.PUBLISHED,
        "liuheng-dzb": rollup.COMPUTED,
        "taohua": rollup.IMPORTED,
    }
    assert cells[PERMIT] == 3 + 5 + 7  # the latest version only, never 99
    assert cells[FEE] == Decimal("1.75")
    assert sources[mixed["town"].pk].version == 2
    # a town's own roll-up covers its subtree only
    cells, sources = rollup.aggregate(mixed["town"], 2025, "2021")
    assert cells[PERMIT] == 10 and len(sources) == 2


def test_figures_in_another_format_are_not_added_up(agency_tree):
    _publish(agency_tree["town"], 2025, {"规章|本年制发件数": 1}, fmt="2019")
    cells, sources = rollup.aggregate(agency_tree["town"], 2025, "2021")
    assert sources[agency_tree["town"].pk].source == rollup.OTHER_FORMAT
    assert cells[PERMIT] is None  # 党政办 computed: no entry for it


def test_rollup_page_is_scoped(client, mixed, make_member):
    url = reverse("reports:rollup", args=["putuo", 2025])
    officer = make_member(mixed["town"], Role.OFFICER)
    client.force_login(officer)
    assert client.get(url).status_code == 404
    own = client.get(reverse("reports:rollup", args=["liuheng", 2025]))
    assert own.status_code == 200
    assert [row["agency"].slug for row in own.context["rows"]] == ["liuheng"]
    client.force_login(make_member(mixed["district"], Role.SUPERVISOR))
    response = client.get(url)
    assert response.status_code == 200
    rows = {row["agency"].slug: row for row in response.context["rows"]}
    assert set(rows) == {"putuo", "liuheng", "liuheng-dzb", "taohua"}
    assert rows["liuheng"]["status"].status == "published"
    assert rows["taohua"]["status"].status == "published"  # imported
    assert rows["liuheng-dzb"]["status"].is_late  # due 2026-01-31, never started
    assert not rows["putuo"]["status"].is_late  # the district's is due by 3月31日
    assert rows["liuheng"]["lint"].errors == 0
    assert response.context["late"] == 1
    html = response.content.decode()
    assert "2026-03-31" in html and "status-late" in html
    assert dict(response.context["total"])[PERMIT] == 15
    assert client.get(url + "?format=nope").status_code == 404


def test_rollup_counts_lint_findings(agency_tree, make_member):
    carried = "四、结转下年度继续办理|总计"
    _publish(agency_tree["town"], 2024, {carried: 4})
    _publish(agency_tree["town"], 2025, {"二、上年结转政府信息公开申请数量|总计": 1})
    current = rollup.figures([agency_tree["town"]], 2025)
    previous = rollup.figures([agency_tree["town"]], 2024, compute=False)
    counts = rollup.lint_counts(current, previous)[agency_tree["town"].pk]
    assert [f.rule for f in counts.findings if f.rule == "cross_year"] == ["cross_year"]
    assert counts.errors >= 1


def _tree(n: int, *, published: bool):
    root = AgencyFactory(level=AgencyLevel.COUNTY)
    children = [AgencyFactory(parent=root) for _ in range(n - 1)]
    if published:
        for agency in [root, *children]:
            _publish(agency, 2025, {PERMIT: 1})
    return root


@pytest.mark.parametrize("n", [5, 10])
def test_stored_figures_cost_a_constant_number_of_queries(n, django_assert_max_num_queries):
    root = _tree(n, published=True)
    with django_assert_max_num_queries(4):  # subtree, reports, versions, imported
        cells, sources = rollup.aggregate(root, 2025, "2021", agencies=None)
    assert cells[PERMIT] == n and len(sources) == n


def test_computed_figures_cost_what_one_computation_costs(django_assert_max_num_queries):
    """Agencies with nothing stored are computed together: the roll-up costs one agency's
    computation plus a constant, however many agencies."""
    probe = AgencyFactory(level=AgencyLevel.COUNTY)
    with CaptureQueriesContext(connection) as one:
        compute_report(probe, 2025, "2021")
    per_report = len(one.captured_queries)
    assert per_report <= 8  # the pinned cost of computing one agency's report
    for n in (5, 10):
        root = _tree(n, published=False)
        with django_assert_max_num_queries(4 + per_report):
            _cells, sources = rollup.aggregate(root, 2025, "2021")
        assert {item.source for item in sources.values()} == {rollup.COMPUTED}


def test_computing_together_gives_each_agency_its_own_figures(agency_tree):
    """compute_reports over several agencies = compute_report of each (the set-based selectors
    keep every agency's records apart)."""
    town, other = agency_tree["town"], agency_tree["other_town"]
    for agency, outcomes in ((town, ["disclosed", "disclosed", "partial"]), (other, ["not_exist"])):
        for outcome in outcomes:
            make_application(
                agency, received=date(2025, 3, 2), concluded=date(2025, 3, 20), outcome=outcome
            )
    make_application(other, received=date(2025, 12, 20))  # carried over
    together = compute_reports([town, other], 2025, "2021")
    for agency in (town, other):
        assert together[agency.pk].cells == compute_report(agency, 2025, "2021").cells
    assert together[town.pk].cells["（一）予以公开|总计"] == 2
    assert together[other.pk].cells["（一）予以公开|总计"] == 0
    assert together[other.pk].cells["四、结转下年度继续办理|总计"] == 1


@pytest.mark.parametrize("n", [5, 10])
def test_rollup_page_query_count(client, n, make_member, django_assert_max_num_queries):
    root = _tree(n, published=True)
    client.force_login(make_member(root, Role.SUPERVISOR))
    url = reverse("reports:rollup", args=[root.slug, 2025])
    with django_assert_max_num_queries(19):  # the same for 5 and 10 agencies
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["rows"]) == n


def test_year_over_year(client, agency_tree, make_member):
    town = agency_tree["town"]
    _publish(town, 2025, {PERMIT: 5, FEE: "1.5"})
    report_import_store(
        actor=make_member(town, Role.OFFICER),
        agency=town,
        imported={"format": "2021", "year": 2024, "cells": {PERMIT: 2, FEE: 2}},
    )
    current, previous, changes = rollup.year_over_year(town, 2025)
    assert (current.source, previous.source) == (rollup.PUBLISHED, rollup.IMPORTED)
    rows = {row.key: row for row in changes}
    assert (rows[PERMIT].previous, rows[PERMIT].current, rows[PERMIT].change) == (2, 5, 3)
    assert rows[FEE].change == Decimal("-0.5")
    # 2023: nothing stored, computed now from the records
    current, previous, _changes = rollup.year_over_year(town, 2024)
    assert (current.source, previous.source) == (rollup.IMPORTED, rollup.COMPUTED)

    client.force_login(make_member(agency_tree["other_town"], Role.OFFICER))
    url = reverse("reports:yoy", args=["liuheng"])
    assert client.get(url + "?year=2025").status_code == 404
    client.force_login(make_member(town, Role.OFFICER))
    response = client.get(url + "?year=2025")
    assert response.status_code == 200
    assert "+3" in response.content.decode()
    assert client.get(url + "?year=abc").status_code == 404


def test_index_shows_due_and_late_badges(client, agency_tree, make_member):
    client.force_login(make_member(agency_tree["district"], Role.SUPERVISOR))
    html = client.get(reverse("reports:index")).content.decode()
    assert "2026-03-31" in html  # the district's, not late yet
    assert "status-late" in html  # the towns' were due by 2026-01-31
    assert reverse("reports:rollup", args=["putuo", 2025]) in html
