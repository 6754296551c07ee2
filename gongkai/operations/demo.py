"""Demo operations records of 六横镇: its 2018 as the seed reports it, and a lighter 2025–2026.

The seed (2018 年度报告, 统计表 六–九 and section 三（二）): 1 专门机构 with 1 专职 staff member, no
兼职 staff, funds, meetings, trainings, 举报投诉 or fees (those rows are blank); "六横共有微博2个，
微信公众号6个，全年共发布信息518条" — 200 on 微博 and 318 on 微信 (统计表 一（二）2、3).

Idempotent: every record is looked up by its natural key first and created only when missing;
records dated after today are not created (they will be on a later run).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongkai.catalogue.models import Channel
from gongkai.catalogue.taxonomy import ChannelKind
from gongkai.core.models import Agency

from . import services
from .models import (
    AccountStatus,
    Complaint,
    ComplaintChannel,
    ComplaintStatus,
    Meeting,
    MeetingKind,
    NewMediaAccount,
    OfficeYear,
    Platform,
    PostCount,
    SpecialFund,
    Training,
)

AGENCY = "liuheng"
OFFICE_NAME = "六横镇党政综合办公室"

# (year, units, full-time, part-time)
OFFICES = [(2018, 1, 1, 0), (2025, 1, 1, 3), (2026, 1, 1, 4)]
# (year, 万元, purpose)
FUNDS = [
    (2025, Decimal("2.5"), "基层政务公开标准化规范化建设"),
    (2026, Decimal("1.8"), "政务公开专区设施维护"),
]
MEETINGS = [
    (date(2025, 3, 12), "2025年政务公开工作部署会", MeetingKind.WORK),
    (date(2025, 8, 20), "基层政务公开标准目录动态调整专题会", MeetingKind.SPECIAL),
    (date(2026, 3, 10), "2026年政务公开工作会议", MeetingKind.WORK),
]
TRAININGS = [
    (date(2025, 4, 17), "《政府信息公开条例》解读培训", 42),
    (date(2025, 10, 15), "依申请公开答复规范培训", 18),
    (date(2026, 5, 21), "政务新媒体内容审核培训", 25),
]


@dataclass(frozen=True)
class ComplaintSpec:
    received_on: date
    channel: str
    summary: str
    handling: str = ""
    closed_on: date | None = None


COMPLAINTS = [
    ComplaintSpec(
        date(2025, 6, 3),
        ComplaintChannel.ONLINE,
        "反映镇政府网站“通知公告”栏目更新不及时。",
        "已核实，督促相关办公室补发5条通知，并明确栏目更新责任人。",
        date(2025, 6, 10),
    ),
    ComplaintSpec(
        date(2026, 11, 2),
        ComplaintChannel.PHONE,
        "反映依申请公开答复书未按时收到。",
        "已调取邮寄记录，正在与邮政部门核实投递情况。",
    ),
]


@dataclass(frozen=True)
class AccountSpec:
    platform: str
    name: str
    account: str
    opened_on: date
    posts_2018: int = 0
    closed_on: date | None = None
    quarterly: int = 0  # posts a quarter in 2025–2026


# 2 微博 with 200 posts and 6 微信 with 318 posts in 2018; names as the catalogue's channels.
ACCOUNTS = [
    AccountSpec(Platform.WEIBO, "六横发布", "liuhengfabu", date(2013, 5, 20), 150, quarterly=30),
    AccountSpec(Platform.WEIBO, "六横应急", "liuhengyingji", date(2016, 7, 1), 50, quarterly=12),
    AccountSpec(Platform.WECHAT, "六横发布", "lh_fabu", date(2014, 3, 18), 120, quarterly=45),
    AccountSpec(Platform.WECHAT, "六横便民服务", "lh_bianmin", date(2015, 9, 1), 60, quarterly=20),
    AccountSpec(Platform.WECHAT, "六横党建", "lh_dangjian", date(2015, 11, 6), 48, quarterly=15),
    AccountSpec(Platform.WECHAT, "六横应急", "lh_yingji", date(2016, 7, 1), 30, quarterly=8),
    AccountSpec(
        Platform.WECHAT, "六横新时代文明实践", "lh_wenming", date(2017, 12, 1), 36, quarterly=10
    ),
    AccountSpec(
        Platform.WECHAT,
        "六横文旅",
        "lh_wenlv",
        date(2017, 4, 28),
        24,
        closed_on=date(2024, 6, 30),
    ),
    AccountSpec(Platform.DOUYIN, "六横发布", "liuheng_douyin", date(2021, 6, 1), quarterly=18),
]
CHANNEL_KINDS = {Platform.WEIBO: ChannelKind.WEIBO, Platform.WECHAT: ChannelKind.WECHAT}
QUARTERS = [((1, 1), (3, 31)), ((4, 1), (6, 30)), ((7, 1), (9, 30)), ((10, 1), (12, 31))]

Progress = Callable[[str], None]


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)


def demo_size() -> int:
    return (
        len(OFFICES) + len(FUNDS) + len(MEETINGS) + len(TRAININGS) + len(COMPLAINTS) + len(ACCOUNTS)
    )


def _quarter_counts(spec: AccountSpec, year: int, today: date) -> list[tuple[date, date, int]]:
    rows = []
    for number, ((m1, d1), (m2, d2)) in enumerate(QUARTERS, 1):
        start, end = date(year, m1, d1), date(year, m2, d2)
        if end > today or (spec.closed_on and end > spec.closed_on) or start < spec.opened_on:
            continue
        # A stable, slightly uneven count per quarter.
        rows.append((start, end, spec.quarterly + (number * 7 + len(spec.name)) % 9 - 4))
    return rows


@transaction.atomic
def load_operations_demo(*, progress: Progress | None = None) -> LoadResult:
    """Create the demo operations records of 六横镇; leave what exists alone."""
    step = progress or (lambda label: None)
    result = LoadResult()
    agency = Agency.objects.filter(slug=AGENCY).first()
    if agency is None:
        raise RuntimeError("Load the core demo first (missing agency liuheng).")
    today = timezone.localdate()

    for year, units, full_time, part_time in OFFICES:
        if not OfficeYear.objects.filter(agency=agency, year=year).exists():
            services.office_year_create(
                actor=None,
                agency=agency,
                year=year,
                name=OFFICE_NAME,
                units=units,
                full_time_staff=full_time,
                part_time_staff=part_time,
            )
            result.created["offices"] += 1
        step(str(year))

    for year, amount, purpose in FUNDS:
        exists = SpecialFund.objects.filter(agency=agency, year=year, purpose=purpose).exists()
        if not exists and year <= today.year:
            services.fund_create(
                actor=None, agency=agency, year=year, amount_wan=amount, purpose=purpose
            )
            result.created["funds"] += 1
        step(purpose)

    for held_on, title, kind in MEETINGS:
        exists = Meeting.objects.filter(agency=agency, held_on=held_on, title=title).exists()
        if not exists and held_on <= today:
            services.meeting_create(
                actor=None, agency=agency, held_on=held_on, title=title, kind=kind
            )
            result.created["meetings"] += 1
        step(title)

    for held_on, title, attendees in TRAININGS:
        exists = Training.objects.filter(agency=agency, held_on=held_on, title=title).exists()
        if not exists and held_on <= today:
            services.training_create(
                actor=None, agency=agency, held_on=held_on, title=title, attendees=attendees
            )
            result.created["trainings"] += 1
        step(title)

    for spec in COMPLAINTS:
        exists = Complaint.objects.filter(
            agency=agency, received_on=spec.received_on, summary=spec.summary
        ).exists()
        if not exists and spec.received_on <= today:
            complaint = services.complaint_create(
                actor=None,
                agency=agency,
                received_on=spec.received_on,
                channel=spec.channel,
                summary=spec.summary,
            )
            if spec.closed_on and spec.closed_on <= today:
                services.complaint_transition(
                    actor=None,
                    complaint=complaint,
                    to=ComplaintStatus.CLOSED,
                    handling=spec.handling,
                    on=spec.closed_on,
                )
            elif spec.handling:
                services.complaint_transition(
                    actor=None,
                    complaint=complaint,
                    to=ComplaintStatus.HANDLING,
                    handling=spec.handling,
                )
            result.created["complaints"] += 1
        step(spec.summary[:20])

    channels = {(c.kind, c.name): c for c in Channel.objects.filter(agency=agency)}
    for spec in ACCOUNTS:
        _load_account(agency, spec, channels, today, result)
        step(spec.name)
    return result


def _load_account(agency, spec: AccountSpec, channels, today: date, result: LoadResult) -> None:
    account = NewMediaAccount.objects.filter(
        agency=agency, platform=spec.platform, name=spec.name
    ).first()
    if account is None:
        account = services.account_create(
            actor=None,
            agency=agency,
            platform=spec.platform,
            name=spec.name,
            account=spec.account,
            opened_on=spec.opened_on,
            channel=channels.get((CHANNEL_KINDS.get(spec.platform), spec.name)),
        )
        result.created["accounts"] += 1
        if spec.closed_on:
            account = services.account_update(
                actor=None,
                account=account,
                data={"status": AccountStatus.CLOSED, "closed_on": spec.closed_on},
            )
    periods: list[tuple[date, date, int]] = []
    if spec.posts_2018:
        periods.append((date(2018, 1, 1), date(2018, 12, 31), spec.posts_2018))
    if spec.quarterly:
        for year in (2025, 2026):
            periods.extend(_quarter_counts(spec, year, today))
    recorded = set(PostCount.objects.filter(account=account).values_list("period_start", flat=True))
    for start, end, count in periods:
        if start not in recorded:
            services.post_count_record(
                actor=None, account=account, period_start=start, period_end=end, count=count
            )
            result.created["post_counts"] += 1
