"""The monitored indicators (站点无法访问, 外部链接, 指南/目录), the snapshots and their trend, the
supervisor's matrix and the desk alerts, at a frozen time (2026-06-30 10:00, Asia/Shanghai)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongkai.catalogue.models import Item, ItemStatus
from gongkai.catalogue.taxonomy import ColumnType
from gongkai.catalogue.tests.factories import ColumnFactory, ItemFactory
from gongkai.compliance import selectors
from gongkai.compliance.check import ERROR, WARNING, check_agency
from gongkai.compliance.models import CheckSnapshot, LinkCheck, SiteProbe
from gongkai.compliance.rules import RULES
from gongkai.compliance.services import snapshot_take, url_hash
from gongkai.core.models import Agency, AgencyLevel, AuditEvent
from gongkai.core.tests.factories import AgencyFactory
from gongkai.reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 30, 10, 0, tzinfo=SH)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def county():
    return AgencyFactory(slug="putuo-test", level=AgencyLevel.COUNTY)


@pytest.fixture
def agency(county):
    town = AgencyFactory(slug="liuheng-test", level=AgencyLevel.TOWNSHIP, parent=county)
    Report.objects.create(
        agency=town, year=2025, format="2021", status=ReportStatus.PUBLISHED, version=1
    )
    return town


def published(column, day: date, **extra):
    at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=SH)
    return ItemFactory(column=column, status=ItemStatus.PUBLISHED, published_at=at, **extra)


def of(findings, rule):
    return [finding for finding in findings if finding.rule == rule]


def test_at_least_12_indicators_5_of_them_veto_each_with_a_basis():
    assert len(RULES) >= 12
    assert sum(rule.veto for rule in RULES) >= 5
    assert all("《" in rule.basis for rule in RULES)
    ids = {rule.id for rule in RULES}
    assert {"site_unreachable", "broken_links", "guide_outdated", "catalogue_outdated"} <= ids


# --- 站点无法访问 --------------------------------------------------------------------------


def probes(agency, *, ok: int, failed: int, days_ago: float = 1):
    at = NOW - timedelta(days=days_ago)
    for n in range(ok + failed):
        SiteProbe.objects.create(
            agency=agency,
            url="http://127.0.0.1/gk/x/",
            probed_at=at - timedelta(minutes=n),
            ok=n >= failed,
            status=200 if n >= failed else None,
            error="" if n >= failed else "timed out",
        )


@pytest.fixture
def site(agency):
    published(ColumnFactory(agency=agency), TODAY - timedelta(days=1))
    return agency


def test_five_percent_of_probes_failing_over_a_week_is_a_veto(site):
    probes(site, ok=19, failed=1)
    [finding] = of(check_agency(site, now=NOW), "site_unreachable")
    assert finding.severity == ERROR
    assert "1" in finding.message and "20" in finding.message
    assert finding.since == TODAY - timedelta(days=1)


def test_half_the_share_is_amber(site):
    probes(site, ok=39, failed=1)
    [finding] = of(check_agency(site, now=NOW), "site_unreachable")
    assert finding.severity == WARNING


def test_a_rare_failure_passes(site):
    probes(site, ok=99, failed=1)
    assert of(check_agency(site, now=NOW), "site_unreachable") == []


def test_too_few_probes_cannot_prove_the_veto(site):
    probes(site, ok=9, failed=1)
    [finding] = of(check_agency(site, now=NOW), "site_unreachable")
    assert finding.severity == WARNING


def test_probes_older_than_a_week_do_not_count(site):
    probes(site, ok=0, failed=20, days_ago=8)
    probes(site, ok=20, failed=0)
    assert of(check_agency(site, now=NOW), "site_unreachable") == []


def test_no_probe_says_nothing(site):
    assert of(check_agency(site, now=NOW), "site_unreachable") == []


# --- 外部链接 ---------------------------------------------------------------------------


def links(agency, *, ok: int, broken: int, unchecked: int = 0):
    for n in range(ok + broken + unchecked):
        url = f"http://example.test/{n}"
        checked = n < ok + broken
        LinkCheck.objects.create(
            agency=agency,
            url=url,
            url_hash=url_hash(url),
            checked_at=NOW if checked else None,
            ok=(n >= broken) if checked else None,
            status=(404 if n < broken else 200) if checked else None,
        )


def test_broken_links_over_the_share_are_red(site):
    links(site, ok=9, broken=1, unchecked=30)
    [finding] = of(check_agency(site, now=NOW), "broken_links")
    assert finding.severity == ERROR
    assert (
        "1" in finding.message
        and "10" in finding.message
        and "http://example.test/0" in (finding.message)
    )


def test_a_broken_link_under_the_share_is_amber(site):
    links(site, ok=29, broken=1)
    [finding] = of(check_agency(site, now=NOW), "broken_links")
    assert finding.severity == WARNING


def test_working_links_pass(site):
    links(site, ok=5, broken=0, unchecked=3)
    assert of(check_agency(site, now=NOW), "broken_links") == []


# --- 指南 and 目录 out of date ---------------------------------------------------------------


def test_guide_unchanged_for_a_year_is_red_eleven_months_amber(site):
    Agency.objects.filter(pk=site.pk).update(updated_at=NOW - timedelta(days=400))
    site.refresh_from_db()
    [finding] = of(check_agency(site, now=NOW), "guide_outdated")
    assert finding.severity == ERROR and finding.since == (NOW - timedelta(days=400)).date()

    Agency.objects.filter(pk=site.pk).update(updated_at=NOW - timedelta(days=340))
    site.refresh_from_db()
    [finding] = of(check_agency(site, now=NOW), "guide_outdated")
    assert finding.severity == WARNING

    Agency.objects.filter(pk=site.pk).update(updated_at=NOW - timedelta(days=30))
    site.refresh_from_db()
    assert of(check_agency(site, now=NOW), "guide_outdated") == []


def test_a_column_change_dates_the_guide(site):
    from gongkai.catalogue import services as catalogue_services

    Agency.objects.filter(pk=site.pk).update(updated_at=NOW - timedelta(days=400))
    site.refresh_from_db()
    catalogue_services.column_create(
        actor=None, agency=site, name="新栏目", column_type=ColumnType.NEWS
    )
    assert of(check_agency(site, now=NOW), "guide_outdated") == []


def test_catalogue_unchanged_for_a_year_is_red(site):
    Item.objects.filter(agency=site).update(updated_at=NOW - timedelta(days=370))
    [finding] = of(check_agency(site, now=NOW), "catalogue_outdated")
    assert finding.severity == ERROR
    Item.objects.filter(agency=site).update(updated_at=NOW - timedelta(days=3))
    assert of(check_agency(site, now=NOW), "catalogue_outdated") == []


def test_an_agency_without_columns_has_no_website_findings(agency):
    Agency.objects.filter(pk=agency.pk).update(updated_at=NOW - timedelta(days=400))
    agency.refresh_from_db()
    probes(agency, ok=0, failed=30)
    findings = check_agency(agency, now=NOW)
    assert not of(findings, "guide_outdated") and not of(findings, "site_unreachable")


# --- snapshots, trend, matrix -------------------------------------------------------------


def test_snapshot_stores_the_status_of_every_rule_and_is_audited(site):
    column = ColumnFactory(agency=site, name="政策文件", column_type=ColumnType.POLICY)
    published(column, TODAY - timedelta(days=200))
    snapshot = snapshot_take(agency=site, now=NOW)
    assert set(snapshot.statuses) == {rule.id for rule in RULES}
    assert snapshot.statuses["notice_policy_column_stale"] == ERROR
    assert snapshot.statuses["site_unreachable"] == "ok"
    assert snapshot.errors >= 1 and snapshot.findings
    assert AuditEvent.objects.filter(verb="compliance.check", agency=site).count() == 1
    # the same day again replaces it
    snapshot_take(agency=site, now=NOW + timedelta(hours=1))
    assert CheckSnapshot.objects.filter(agency=site).count() == 1


def test_the_trend_takes_each_months_last_snapshot(site):
    for day, errors in ((date(2026, 4, 3), 5), (date(2026, 4, 28), 3), (date(2026, 6, 1), 1)):
        CheckSnapshot.objects.create(
            agency=site,
            day=day,
            checked_at=datetime.combine(day, datetime.min.time(), tzinfo=SH),
            errors=errors,
            warnings=2,
        )
    trend = selectors.agency_trend(site, today=TODAY)
    assert [point.month for point in trend] == [date(2026, m, 1) for m in range(1, 7)]
    assert [point.errors for point in trend] == [None, None, None, 3, None, 1]


def test_matrix_shows_the_visible_subtree_at_the_latest_snapshot(county, agency, site):
    other = AgencyFactory(slug="taohua-test", level=AgencyLevel.TOWNSHIP, parent=county)
    snapshot_take(agency=site, now=NOW - timedelta(days=40))
    CheckSnapshot.objects.create(
        agency=site,
        day=TODAY,
        checked_at=NOW,
        statuses={"columns_empty": WARNING, "homepage_not_updated": "ok"},
        errors=0,
        warnings=1,
    )
    visible = Agency.objects.filter(pk__in=[county.pk, site.pk])  # not the other town
    data = selectors.compliance_matrix(county, visible=visible, today=TODAY)
    assert [row.agency for row in data.rows] == [county, site]
    assert other not in [row.agency for row in data.rows]
    row = data.rows[1]
    cells = {cell.rule.id: cell.status for cell in row.cells}
    assert cells["columns_empty"] == WARNING and cells["homepage_not_updated"] == "ok"
    assert cells["site_unreachable"] is None  # not in that snapshot
    assert data.rows[0].checked_at is None and data.unchecked == 1
    assert [point.errors is not None for point in row.trend] == [False] * 4 + [True, True]


def test_matrix_queries_do_not_grow_with_agencies(county, django_assert_num_queries):
    for n in range(12):
        town = AgencyFactory(slug=f"town-{n}", level=AgencyLevel.TOWNSHIP, parent=county)
        CheckSnapshot.objects.create(agency=town, day=TODAY, checked_at=NOW, errors=n)
    visible = Agency.objects.all()
    with django_assert_num_queries(3):  # agencies, the trend's snapshots, the latest ones
        data = selectors.compliance_matrix(county, visible=visible, today=TODAY)
    assert len(data.rows) == 13


# --- the desk -----------------------------------------------------------------------------


def test_desk_alerts_warn_before_the_policy_column_fails(site):
    column = ColumnFactory(agency=site, name="政策文件", column_type=ColumnType.POLICY)
    published(column, date(2026, 1, 20))  # 5 months and 10 days ago
    alerts = selectors.desk_alerts(site, now=NOW)
    [alert] = [alert for alert in alerts if alert.rule == "notice_policy_column_stale"]
    assert alert.object == "政策文件" and alert.since == date(2026, 1, 20)
    assert not alert.veto and alert.url
    # once past 6 months it is a failure, no longer an alert
    alerts = selectors.desk_alerts(site, now=NOW + timedelta(days=40))
    assert not [alert for alert in alerts if alert.rule == "notice_policy_column_stale"]
    assert of(check_agency(site, now=NOW + timedelta(days=40)), "notice_policy_column_stale")
