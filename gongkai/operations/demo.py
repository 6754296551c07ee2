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
from django.utils.translation import gettext

from gongkai.catalogue.models import Channel
from gongkai.catalogue.taxonomy import ChannelKind
from gongkai.core import demodata
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


@dataclass(frozen=True)
class OfficeSpec:
    year: int
    units: int
    full_time: int
    part_time: int


@dataclass(frozen=True)
class FundSpec:
    year: int
    amount: Decimal  # 万元
    purpose: str


@dataclass(frozen=True)
class MeetingSpec:
    held_on: date
    title: str
    kind: str = field(metadata=demodata.choices(MeetingKind))


@dataclass(frozen=True)
class TrainingSpec:
    held_on: date
    title: str
    attendees: int


@dataclass(frozen=True)
class ComplaintSpec:
    received_on: date
    channel: str = field(metadata=demodata.choices(ComplaintChannel))
    summary: str
    handling: str = ""
    closed_on: date | None = None


@dataclass(frozen=True)
class AccountSpec:
    platform: str = field(metadata=demodata.choices(Platform))
    name: str
    account: str
    opened_on: date
    posts_2018: int = 0
    closed_on: date | None = None
    quarterly: int = 0  # posts a quarter in 2025–2026


# The records themselves: demo_data/operations.toml.
_DATA = demodata.read(__package__, "operations.toml")
AGENCY: str = _DATA["agency"]
OFFICE_NAME: str = _DATA["office_name"]
OFFICES = demodata.records(_DATA, "office", OfficeSpec)
FUNDS = demodata.records(_DATA, "fund", FundSpec)
MEETINGS = demodata.records(_DATA, "meeting", MeetingSpec)
TRAININGS = demodata.records(_DATA, "training", TrainingSpec)
COMPLAINTS = demodata.records(_DATA, "complaint", ComplaintSpec)
ACCOUNTS = demodata.records(_DATA, "account", AccountSpec)
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

    for office in OFFICES:
        if not OfficeYear.objects.filter(agency=agency, year=office.year).exists():
            services.office_year_create(
                actor=None,
                agency=agency,
                year=office.year,
                name=OFFICE_NAME,
                units=office.units,
                full_time_staff=office.full_time,
                part_time_staff=office.part_time,
            )
            result.created["offices"] += 1
        step(str(office.year))

    for fund in FUNDS:
        exists = SpecialFund.objects.filter(
            agency=agency, year=fund.year, purpose=fund.purpose
        ).exists()
        if not exists and fund.year <= today.year:
            services.fund_create(
                actor=None,
                agency=agency,
                year=fund.year,
                amount_wan=fund.amount,
                purpose=fund.purpose,
            )
            result.created["funds"] += 1
        step(fund.purpose)

    for meeting in MEETINGS:
        exists = Meeting.objects.filter(
            agency=agency, held_on=meeting.held_on, title=meeting.title
        ).exists()
        if not exists and meeting.held_on <= today:
            services.meeting_create(
                actor=None,
                agency=agency,
                held_on=meeting.held_on,
                title=meeting.title,
                kind=meeting.kind,
            )
            result.created["meetings"] += 1
        step(meeting.title)

    for training in TRAININGS:
        exists = Training.objects.filter(
            agency=agency, held_on=training.held_on, title=training.title
        ).exists()
        if not exists and training.held_on <= today:
            services.training_create(
                actor=None,
                agency=agency,
                held_on=training.held_on,
                title=training.title,
                attendees=training.attendees,
            )
            result.created["trainings"] += 1
        step(training.title)

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


def run_demo(out) -> None:
    """The operations' part of `gongkai demo` (registered in apps.py; core/demos.py)."""
    operations = load_operations_demo()
    out.print(
        gettext("Operations: %(n)d records created.") % {"n": sum(operations.created.values())}
    )
