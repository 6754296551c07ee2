"""The figure selectors (one per 统计表 row) and the scoped reads (tenancy)."""

from datetime import date
from decimal import Decimal

import pytest

from gongkai.operations import selectors, services
from gongkai.operations.models import (
    AccountStatus,
    ComplaintChannel,
    ComplaintStatus,
    MeetingKind,
    Platform,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(town, other_town):
    """Two years of records for the town, and one of each for the other town (must not count)."""
    for agency in (town, other_town):
        services.office_year_create(
            actor=None, agency=agency, year=2025, units=1, full_time_staff=2, part_time_staff=5
        )
        services.fund_create(
            actor=None, agency=agency, year=2025, amount_wan=Decimal("1.2"), purpose="建设"
        )
        services.meeting_create(
            actor=None, agency=agency, held_on=date(2025, 3, 1), title="会", kind=MeetingKind.WORK
        )
        services.training_create(
            actor=None, agency=agency, held_on=date(2025, 4, 1), title="训", attendees=30
        )
        services.complaint_create(
            actor=None,
            agency=agency,
            received_on=date(2025, 5, 1),
            channel=ComplaintChannel.PHONE,
            summary="投诉",
        )
    services.fund_create(
        actor=None, agency=town, year=2025, amount_wan=Decimal("0.3"), purpose="培训"
    )
    services.fund_create(actor=None, agency=town, year=2024, amount_wan=Decimal("9"), purpose="旧")
    services.meeting_create(
        actor=None, agency=town, held_on=date(2025, 9, 1), title="专题", kind=MeetingKind.SPECIAL
    )
    services.meeting_create(
        actor=None, agency=town, held_on=date(2024, 12, 31), title="去年", kind=MeetingKind.WORK
    )
    services.training_create(
        actor=None, agency=town, held_on=date(2025, 12, 31), title="年末", attendees=12
    )
    services.training_create(
        actor=None, agency=town, held_on=date(2026, 1, 1), title="次年", attendees=99
    )
    services.complaint_create(
        actor=None,
        agency=town,
        received_on=date(2025, 12, 31),
        channel=ComplaintChannel.LETTER,
        summary="年末投诉",
    )


def test_section_eight(town, records):
    assert selectors.office_units(town, 2025) == 1
    assert selectors.staff_full_time(town, 2025) == 2
    assert selectors.staff_part_time(town, 2025) == 5
    assert selectors.staff_total(town, 2025) == 7
    assert selectors.funds_wan(town, 2025) == Decimal("1.5")
    assert selectors.funds_wan(town, 2024) == Decimal("9")
    # No record of the year: the row is 0 (the seed leaves it blank).
    assert selectors.office_units(town, 2019) == 0
    assert selectors.funds_wan(town, 2019) == Decimal("0")


def test_section_nine(town, records):
    assert selectors.meetings(town, 2025) == 2
    assert selectors.meetings(town, 2025, kind=MeetingKind.SPECIAL) == 1
    assert selectors.meetings(town, 2024) == 1
    assert selectors.training_sessions(town, 2025) == 2
    assert selectors.training_attendance(town, 2025) == 42
    assert selectors.training_attendance(town, 2026) == 99


def test_section_six_counts_by_receipt_date(town, records):
    assert selectors.complaints(town, 2025) == 2
    assert selectors.complaints(town, 2026) == 0
    assert selectors.complaints_open(town) == 2


def test_section_seven_fees_from_the_applications(town, other_town, make_fee):
    make_fee(town, 1100, date(2025, 3, 2))
    make_fee(town, 3000, date(2025, 12, 31))
    make_fee(town, 700, date(2026, 1, 1))
    make_fee(town, 500, None, notified_on=date(2025, 6, 1))  # notified, never paid
    make_fee(other_town, 2000, date(2025, 5, 5))
    assert selectors.fees_collected_yuan(town, 2025) == 4100
    assert selectors.fees_collected_wan(town, 2025) == Decimal("0.41")
    assert selectors.fees_collected_wan(town, 2026) == Decimal("0.07")
    assert selectors.fees_collected_wan(town, 2024) == Decimal("0")


def test_legacy_rows_list_sections_six_to_nine(town, records, make_fee):
    make_fee(town, 1100, date(2025, 3, 2))
    rows = {row.key: (row.label, row.unit, row.value) for row in selectors.legacy_rows(town, 2025)}
    assert rows == {
        "六": ("六、举报投诉数量", "件", 2),
        "七": ("七、依申请公开信息收取的费用", "万元", Decimal("0.11")),
        "八.一": ("（一）政府信息公开工作专门机构数", "个", 1),
        "八.二.1": ("1.专职人员数（不包括政府公报及政府网站工作人员数）", "人", 2),
        "八.二.2": ("2.兼职人员数", "人", 5),
        "八.三": (
            "（三）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
            "万元",
            Decimal("1.5"),
        ),
        "九.一": ("（一）召开政府信息公开工作会议或专题会议数", "次", 2),
        "九.二": ("（二）举办各类培训班数", "次", 2),
        "九.三": ("（三）接受培训人员数", "人次", 42),
    }


def test_accounts_count_when_they_operated(town, other_town):
    def add(platform, name, opened, closed=None, agency=town):
        account = services.account_create(
            actor=None, agency=agency, platform=platform, name=name, opened_on=opened
        )
        if closed:
            services.account_update(
                actor=None,
                account=account,
                data={"status": AccountStatus.CLOSED, "closed_on": closed},
            )
        return account

    a = add(Platform.WEIBO, "甲", date(2013, 1, 1))
    add(Platform.WEIBO, "乙", date(2019, 2, 1))
    add(Platform.WECHAT, "丙", date(2014, 1, 1), closed=date(2018, 1, 1))
    add(Platform.WECHAT, "丁", date(2014, 1, 1), closed=date(2017, 12, 31))
    add(Platform.WECHAT, "戊", None)
    add(Platform.WEIBO, "己", date(2013, 1, 1), agency=other_town)
    assert selectors.weibo_accounts(town, 2018) == 1
    assert selectors.weibo_accounts(town, 2019) == 2
    assert selectors.weixin_accounts(town, 2018) == 2  # 丙 (closed on 2018-01-01) and 戊
    assert selectors.weixin_accounts(town, 2019) == 1
    services.post_count_record(
        actor=None, account=a, period_start=date(2018, 1, 1), period_end=date(2018, 6, 30), count=7
    )
    services.post_count_record(
        actor=None, account=a, period_start=date(2018, 7, 1), period_end=date(2018, 12, 31), count=8
    )
    services.post_count_record(
        actor=None, account=a, period_start=date(2019, 1, 1), period_end=date(2019, 1, 31), count=1
    )
    assert selectors.posts(town, 2018) == 15
    assert selectors.posts(town, 2018, Platform.WEIBO) == 15
    assert selectors.posts(town, 2018, Platform.WECHAT) == 0
    assert selectors.posts_by_platform(town, 2018) == {"weibo": 15}


def test_scoped_reads(town, other_town, people, records):
    for who, expected in (
        ("officer", {town.pk}),
        ("head", {town.pk}),
        ("admin", {town.pk}),
        ("editor", set()),
        ("outsider", {other_town.pk}),
        ("supervisor", {town.pk, other_town.pk}),
    ):
        user = getattr(people, who)
        for read in (
            selectors.office_years_visible_to,
            selectors.funds_visible_to,
            selectors.meetings_visible_to,
            selectors.trainings_visible_to,
            selectors.complaints_visible_to,
        ):
            assert set(read(user).values_list("agency_id", flat=True)) == expected, (who, read)


def test_complaints_open_excludes_closed(town):
    complaint = services.complaint_create(
        actor=None,
        agency=town,
        received_on=date(2025, 5, 1),
        channel=ComplaintChannel.PHONE,
        summary="x",
    )
    services.complaint_transition(
        actor=None,
        complaint=complaint,
        to=ComplaintStatus.CLOSED,
        handling="ok",
        on=date(2025, 5, 2),
    )
    assert selectors.complaints_open(town) == 0
    assert selectors.complaints(town, 2025) == 1
