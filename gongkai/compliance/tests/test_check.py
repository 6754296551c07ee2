"""Each indicator firing and not firing, at a frozen time (2026-06-30 10:00, Asia/Shanghai)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.taxonomy import ColumnType
from gongkai.catalogue.tests.factories import (
    ChannelFactory,
    ColumnFactory,
    ItemFactory,
    PublicationFactory,
)
from gongkai.compliance.check import ERROR, WARNING, check_agency
from gongkai.compliance.rules import RULES, months_before
from gongkai.core.models import AgencyLevel
from gongkai.core.tests.factories import AgencyFactory, UserFactory
from gongkai.engagement.models import ErrorReport
from gongkai.engagement.taxonomy import ErrorStatus, ErrorType
from gongkai.operations.models import AccountStatus, NewMediaAccount, Platform, PostCount
from gongkai.portal.models import PortalSettings
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
def agency():
    """A town (under a county) whose 2025 annual report is published (so only the rule under test speaks)."""
    county = AgencyFactory(slug="putuo-test", level=AgencyLevel.COUNTY)
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


def test_rules_are_data_with_a_basis():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids)) >= 8
    assert sum(rule.veto for rule in RULES) >= 5
    for rule in RULES:
        assert rule.basis and rule.title and rule.threshold and callable(rule.compute)


def test_months_before_clamps_to_month_end():
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 6, 30), 6) == date(2025, 12, 30)


# --- 首页不更新 ---------------------------------------------------------------------------


def test_homepage_fresh_raises_nothing(agency):
    published(ColumnFactory(agency=agency), TODAY - timedelta(days=3))
    assert of(check_agency(agency, now=NOW), "homepage_not_updated") == []


def test_homepage_two_weeks_without_update_is_a_veto(agency):
    published(ColumnFactory(agency=agency), TODAY - timedelta(days=14))
    [finding] = of(check_agency(agency, now=NOW), "homepage_not_updated")
    assert finding.severity == ERROR
    assert finding.since == TODAY - timedelta(days=14)
    assert "14" in finding.message


def test_homepage_near_the_limit_is_amber(agency):
    published(ColumnFactory(agency=agency), TODAY - timedelta(days=11))
    [finding] = of(check_agency(agency, now=NOW), "homepage_not_updated")
    assert finding.severity == WARNING
    assert "3" in finding.message  # days left


def test_draft_items_do_not_count_as_updates(agency):
    ItemFactory(column=ColumnFactory(agency=agency), status=ItemStatus.APPROVED)
    [finding] = of(check_agency(agency, now=NOW), "homepage_not_updated")
    assert finding.severity == ERROR and finding.since is None
    assert "None" not in finding.message


def test_agency_without_columns_has_no_website_findings(agency):
    findings = check_agency(agency, now=NOW)
    assert of(findings, "homepage_not_updated") == []
    assert of(findings, "site_marks_missing") == []


# --- 栏目不更新 ---------------------------------------------------------------------------


def test_news_column_stale_and_fresh(agency):
    stale = ColumnFactory(agency=agency, name="镇街动态", column_type=ColumnType.NEWS)
    fresh = ColumnFactory(agency=agency, name="要闻", column_type=ColumnType.NEWS)
    published(stale, TODAY - timedelta(days=15))
    published(fresh, TODAY - timedelta(days=1))
    [finding] = of(check_agency(agency, now=NOW), "news_column_stale")
    assert finding.object == "镇街动态" and finding.severity == ERROR
    assert finding.url == f"/staff/catalogue/{agency.slug}/columns/{stale.pk}/"


def test_policy_column_six_months_red_five_months_amber(agency):
    policy = ColumnFactory(agency=agency, name="政策文件", column_type=ColumnType.POLICY)
    notice = ColumnFactory(agency=agency, name="通知公告", column_type=ColumnType.NOTICE)
    other = ColumnFactory(agency=agency, name="人事信息", column_type=ColumnType.PERSONNEL)
    published(policy, date(2025, 12, 30))  # exactly 6 months before
    published(notice, date(2026, 1, 20))  # 5 months and 10 days
    published(other, date(2024, 1, 1))  # no 6-month rule for it
    findings = {
        f.object: f for f in of(check_agency(agency, now=NOW), "notice_policy_column_stale")
    }
    assert set(findings) == {"政策文件", "通知公告"}
    assert findings["政策文件"].severity == ERROR
    assert findings["通知公告"].severity == WARNING
    assert "1" in findings["通知公告"].message


def test_policy_column_updated_through_a_child_is_not_stale(agency):
    root = ColumnFactory(agency=agency, name="政策文件", column_type=ColumnType.POLICY)
    child = ColumnFactory(
        agency=agency, parent=root, name="镇政府文件", column_type=ColumnType.POLICY
    )
    published(child, TODAY - timedelta(days=30))
    findings = check_agency(agency, now=NOW)
    assert of(findings, "notice_policy_column_stale") == []
    assert of(findings, "columns_empty") == []


def test_five_stale_columns_is_a_veto_four_is_amber(agency):
    columns = [
        ColumnFactory(agency=agency, name=f"动态{n}", column_type=ColumnType.NEWS) for n in range(5)
    ]
    for column in columns[:4]:
        published(column, TODAY - timedelta(days=20))
    published(columns[4], TODAY - timedelta(days=2))
    [finding] = of(check_agency(agency, now=NOW), "columns_stale_count")
    assert finding.severity == WARNING and "4" in finding.message
    published(columns[4], TODAY - timedelta(days=40), title="旧稿")  # still fresh: latest counts
    assert of(check_agency(agency, now=NOW), "columns_stale_count")[0].severity == WARNING
    columns[4].items.update(published_at=NOW - timedelta(days=30))
    [finding] = of(check_agency(agency, now=NOW), "columns_stale_count")
    assert finding.severity == ERROR and "5" in finding.message


def test_three_stale_columns_raise_no_count_finding(agency):
    for n in range(3):
        column = ColumnFactory(agency=agency, name=f"动态{n}", column_type=ColumnType.NEWS)
        published(column, TODAY - timedelta(days=20))
    assert of(check_agency(agency, now=NOW), "columns_stale_count") == []


def test_ten_long_stale_columns_is_a_veto_nine_amber_static_ones_ignored(agency):
    columns = [
        ColumnFactory(agency=agency, name=f"财政{n}", column_type=ColumnType.FINANCE)
        for n in range(10)
    ]
    for column in columns:
        published(column, date(2025, 6, 30))  # exactly 12 months before
    static = ColumnFactory(agency=agency, name="机构职能", column_type=ColumnType.OTHER)
    published(static, date(2020, 1, 1))
    [finding] = of(check_agency(agency, now=NOW), "columns_long_stale_count")
    assert finding.severity == ERROR and "机构职能" not in finding.message
    published(columns[0], date(2025, 7, 1))  # 1 day inside the year
    [finding] = of(check_agency(agency, now=NOW), "columns_long_stale_count")
    assert finding.severity == WARNING
    published(columns[1], date(2026, 1, 1))
    assert of(check_agency(agency, now=NOW), "columns_long_stale_count") == []


# --- 空白栏目 -----------------------------------------------------------------------------


def test_five_empty_columns_is_a_veto(agency):
    for n in range(5):
        ColumnFactory(agency=agency, name=f"空栏目{n}", column_type=ColumnType.OTHER)
    [finding] = of(check_agency(agency, now=NOW), "columns_empty")
    assert finding.severity == ERROR and "空栏目4" in finding.message


def test_four_empty_columns_is_amber_three_is_nothing(agency):
    columns = [
        ColumnFactory(agency=agency, name=f"空栏目{n}", column_type=ColumnType.OTHER)
        for n in range(4)
    ]
    [finding] = of(check_agency(agency, now=NOW), "columns_empty")
    assert finding.severity == WARNING
    published(columns[0], TODAY - timedelta(days=400))  # old, but not empty
    assert of(check_agency(agency, now=NOW), "columns_empty") == []


def test_inactive_columns_are_not_checked(agency):
    for n in range(5):
        ColumnFactory(agency=agency, name=f"停用{n}", is_active=False)
    assert of(check_agency(agency, now=NOW), "columns_empty") == []


# --- 找错 ---------------------------------------------------------------------------------


def error_report(agency, submitted_at, status=ErrorStatus.SUBMITTED, serial=1):
    return ErrorReport.objects.create(
        agency=agency,
        reference=f"ZC2026{serial:04d}",
        year=2026,
        serial=serial,
        error_type=ErrorType.TYPO,
        description="错别字",
        status=status,
        submitted_at=submitted_at,
    )


def test_error_report_overdue_amber_and_answered(agency):
    late = error_report(agency, NOW - timedelta(days=6), serial=1)
    error_report(agency, NOW - timedelta(days=4, hours=2), serial=2)
    error_report(agency, NOW - timedelta(days=1), serial=3)
    error_report(agency, NOW - timedelta(days=30), status=ErrorStatus.REPLIED, serial=4)
    findings = {f.object: f for f in of(check_agency(agency, now=NOW), "error_report_overdue")}
    assert set(findings) == {"ZC20260001", "ZC20260002"}
    assert findings["ZC20260001"].severity == ERROR
    assert findings["ZC20260001"].since == date(2026, 6, 24)
    assert findings["ZC20260001"].url == f"/staff/engagement/{agency.slug}/errors/{late.pk}/"
    assert findings["ZC20260002"].severity == WARNING


# --- 年度报告 -----------------------------------------------------------------------------


def test_annual_report_late_when_not_published():
    town = AgencyFactory(level=AgencyLevel.TOWNSHIP)
    Report.objects.create(agency=town, year=2025, format="2021", status=ReportStatus.DRAFT)
    [finding] = of(check_agency(town, now=NOW), "annual_report_late")
    assert finding.severity == ERROR
    assert finding.since == date(2026, 1, 31)


def test_annual_report_amber_before_its_deadline_and_quiet_when_published():
    county = AgencyFactory(level=AgencyLevel.COUNTY)
    march = datetime(2026, 3, 10, 9, 0, tzinfo=SH)
    [finding] = of(check_agency(county, now=march), "annual_report_late")
    assert finding.severity == WARNING and "2026-03-31" in finding.message
    assert (
        of(check_agency(county, now=datetime(2026, 2, 10, tzinfo=SH)), "annual_report_late") == []
    )
    Report.objects.create(
        agency=county, year=2025, format="2021", status=ReportStatus.PUBLISHED, version=1
    )
    assert of(check_agency(county, now=NOW), "annual_report_late") == []


# --- 政务新媒体 ---------------------------------------------------------------------------


def account(agency, name, **extra):
    return NewMediaAccount.objects.create(
        agency=agency, platform=Platform.WECHAT, name=name, **extra
    )


def test_new_media_stale_fresh_amber_closed_and_new(agency):
    stale = account(agency, "六横发布")
    PostCount.objects.create(
        account=stale, period_start=date(2026, 5, 1), period_end=date(2026, 5, 31), count=12
    )
    PostCount.objects.create(
        account=stale, period_start=date(2026, 6, 1), period_end=date(2026, 6, 29), count=0
    )
    fresh = account(agency, "六横微政务")
    PostCount.objects.create(
        account=fresh, period_start=date(2026, 6, 1), period_end=date(2026, 6, 28), count=3
    )
    amber = account(agency, "六横文旅")
    channel = ChannelFactory(agency=agency, kind="wechat", name="六横文旅")
    amber.channel = channel
    amber.save()
    PublicationFactory(channel=channel, published_on=TODAY - timedelta(days=11))
    account(agency, "六横旧号", status=AccountStatus.CLOSED, closed_on=date(2025, 1, 1))
    account(agency, "六横新号", opened_on=TODAY - timedelta(days=3))
    findings = {f.object: f for f in of(check_agency(agency, now=NOW), "new_media_stale")}
    assert set(findings) == {"微信·六横发布", "微信·六横文旅"}
    assert findings["微信·六横发布"].severity == ERROR
    assert findings["微信·六横发布"].since == date(2026, 5, 31)
    assert findings["微信·六横文旅"].severity == WARNING


def test_new_media_counts_that_stop_are_amber_not_red(agency):
    """Counts entered quarterly say nothing of the last weeks: no false red."""
    quarterly = account(agency, "六横发布")
    PostCount.objects.create(
        account=quarterly, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), count=40
    )
    [finding] = of(check_agency(agency, now=NOW), "new_media_stale")
    assert finding.severity == WARNING
    assert finding.since == date(2026, 3, 31)
    PostCount.objects.create(
        account=quarterly, period_start=date(2026, 4, 1), period_end=date(2026, 6, 15), count=0
    )
    [finding] = of(check_agency(agency, now=NOW), "new_media_stale")
    assert finding.severity == ERROR


# --- 网站标识码 / ICP ---------------------------------------------------------------------


def test_site_marks_missing_and_present(agency):
    ColumnFactory(agency=agency)
    [finding] = of(check_agency(agency, now=NOW), "site_marks_missing")
    assert "网站标识码" in finding.message and "ICP备案号" in finding.message
    PortalSettings.objects.create(agency=agency, site_code="3309030001")
    [finding] = of(check_agency(agency, now=NOW), "site_marks_missing")
    assert "ICP备案号" in finding.message and "网站标识码" not in finding.message
    PortalSettings.objects.filter(agency=agency).update(icp_record="浙ICP备00000000号-1")
    assert of(check_agency(agency, now=NOW), "site_marks_missing") == []


# --- queries ------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_columns(agency, django_assert_num_queries):
    user = UserFactory()
    for n in range(40):
        column = ColumnFactory(agency=agency, name=f"栏目{n}", column_type=ColumnType.NEWS)
        if n % 2:
            published(column, TODAY - timedelta(days=n), created_by=user)
            ColumnFactory(agency=agency, parent=column, name=f"子栏目{n}")
    for n in range(5):
        error_report(agency, NOW - timedelta(days=10), serial=n + 1)
        account(agency, f"账号{n}")
    # columns 1, 找错 1, annual report 3 (reports, imported, deadline overrides), accounts 1,
    # portal footer 1, probes 1, links 2 (count, broken), guide's structure 1, 目录's items 1,
    # the wording check 3 (its administrator's terms, published items' text, attachments' text)
    with django_assert_num_queries(15):
        findings = check_agency(agency, now=NOW)
    assert of(findings, "columns_empty") and of(findings, "error_report_overdue")
