"""Reads of the operations records.

Staff lists start from `agencies_with_operations_visible_to(user)` (another agency → 404 in the
views). The figure selectors — one per row of the pre-2019 统计表 sections 六–九, plus the report
text's 政务新媒体 figures — take an agency and a year and count its records; a row nobody recorded
anything for is 0 (the seed leaves such rows blank).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from gongkai.core.models import Agency
from gongkai.core.selectors import agencies_reached_by

from . import permissions
from .models import (
    AccountStatus,
    Complaint,
    ComplaintStatus,
    Meeting,
    NewMediaAccount,
    OfficeYear,
    Platform,
    PostCount,
    SpecialFund,
    Training,
)

YUAN_PER_WAN = Decimal(10000)


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --- scoped reads (staff pages, API) --------------------------------------------------------


def agencies_with_operations_visible_to(user) -> QuerySet[Agency]:
    """The set form of permissions.can_view_operations, as one query."""
    return agencies_reached_by(user, permissions.READER_ROLES)


def _scoped(model, user) -> QuerySet:
    return model.objects.filter(agency__in=agencies_with_operations_visible_to(user))


def office_years_visible_to(user) -> QuerySet[OfficeYear]:
    return _scoped(OfficeYear, user).select_related("agency")


def funds_visible_to(user) -> QuerySet[SpecialFund]:
    return _scoped(SpecialFund, user).select_related("agency")


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return _scoped(Meeting, user).select_related("agency")


def trainings_visible_to(user) -> QuerySet[Training]:
    return _scoped(Training, user).select_related("agency")


def complaints_visible_to(user) -> QuerySet[Complaint]:
    return _scoped(Complaint, user).select_related("agency")


def accounts_visible_to(user) -> QuerySet[NewMediaAccount]:
    return _scoped(NewMediaAccount, user).select_related("agency", "channel")


def post_counts_visible_to(user) -> QuerySet[PostCount]:
    return PostCount.objects.filter(
        account__agency__in=agencies_with_operations_visible_to(user)
    ).select_related("account", "account__agency")


def in_year(rows: QuerySet, year: int | None, field: str) -> QuerySet:
    """Rows whose date `field` (or year field "year") falls in `year`; all rows when None."""
    if not year:
        return rows
    if field == "year":
        return rows.filter(year=year)
    return rows.filter(**{f"{field}__range": _bounds(year)})


def fees_visible_to(user, *, agency: Agency, year: int):
    """The applications' fees paid in the year (for the fees page), if the user may read the
    applications of the agency; otherwise none."""
    from gongkai.applications.models import Fee
    from gongkai.applications.selectors import agencies_with_applications_visible_to

    return (
        Fee.objects.filter(
            application__agency__in=agencies_with_applications_visible_to(user),
            application__agency=agency,
            paid_on__range=_bounds(year),
        )
        .select_related("application")
        .order_by("paid_on", "id")
    )


# --- figures: 统计表 六 ----------------------------------------------------------------------


def complaints(agency: Agency, year: int) -> int:
    """六、举报投诉数量: complaints received in the year."""
    return Complaint.objects.filter(agency=agency, received_on__range=_bounds(year)).count()


def complaints_open(agency: Agency) -> int:
    return Complaint.objects.filter(agency=agency).exclude(status=ComplaintStatus.CLOSED).count()


# --- 七 ------------------------------------------------------------------------------------


def fees_collected_yuan(agency: Agency, year: int) -> int:
    """Fees (信息处理费) of the agency's applications paid in the year, in yuan."""
    from gongkai.applications.models import Fee

    total = Fee.objects.filter(application__agency=agency, paid_on__range=_bounds(year)).aggregate(
        total=Sum("amount")
    )["total"]
    return int(total or 0)


def fees_collected_wan(agency: Agency, year: int) -> Decimal:
    """七、依申请公开信息收取的费用 (万元): the fees paid in the year, exactly (no rounding)."""
    return Decimal(fees_collected_yuan(agency, year)) / YUAN_PER_WAN


# --- 八 ------------------------------------------------------------------------------------


def office_year(agency: Agency, year: int) -> OfficeYear | None:
    return OfficeYear.objects.filter(agency=agency, year=year).first()


def office_units(agency: Agency, year: int) -> int:
    """八（一）政府信息公开工作专门机构数 (个)."""
    office = office_year(agency, year)
    return office.units if office else 0


def staff_full_time(agency: Agency, year: int) -> int:
    """八（二）1.专职人员数 (人)."""
    office = office_year(agency, year)
    return office.full_time_staff if office else 0


def staff_part_time(agency: Agency, year: int) -> int:
    """八（二）2.兼职人员数 (人)."""
    office = office_year(agency, year)
    return office.part_time_staff if office else 0


def staff_total(agency: Agency, year: int) -> int:
    """专职 + 兼职. The 统计表 row 八（二） itself is a heading with no figure of its own (the seed
    leaves it blank), so it is not among LEGACY_ROWS."""
    office = office_year(agency, year)
    return office.full_time_staff + office.part_time_staff if office else 0


def funds_wan(agency: Agency, year: int) -> Decimal:
    """八（三）政府信息公开专项经费 (万元): the sum of the year's allocations."""
    total = SpecialFund.objects.filter(agency=agency, year=year).aggregate(total=Sum("amount_wan"))[
        "total"
    ]
    # Stored to 4 places; SQLite's sum adds them as floats (1.80000000000000).
    return Decimal(total or 0).quantize(Decimal("0.0001"))


# --- 九 ------------------------------------------------------------------------------------


def meetings(agency: Agency, year: int, *, kind: str | None = None) -> int:
    """九（一）召开政府信息公开工作会议或专题会议数 (次)."""
    rows = Meeting.objects.filter(agency=agency, held_on__range=_bounds(year))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.count()


def training_sessions(agency: Agency, year: int) -> int:
    """九（二）举办各类培训班数 (次)."""
    return Training.objects.filter(agency=agency, held_on__range=_bounds(year)).count()


def training_attendance(agency: Agency, year: int) -> int:
    """九（三）接受培训人员数 (人次)."""
    total = Training.objects.filter(agency=agency, held_on__range=_bounds(year)).aggregate(
        total=Sum("attendees")
    )["total"]
    return int(total or 0)


# --- 政务新媒体 (report text: "六横共有微博2个，微信公众号6个，全年共发布信息518条") -----------


def operating_in(rows: QuerySet[NewMediaAccount], year: int) -> QuerySet[NewMediaAccount]:
    first, last = _bounds(year)
    return rows.filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=last),
        Q(closed_on__isnull=True) | Q(closed_on__gte=first),
    )


def accounts_in_operation(agency: Agency, year: int, platform: str | None = None):
    """Accounts that operated at some time in the year: opened by its end (or opening date
    unknown) and not closed before it began."""
    rows = operating_in(NewMediaAccount.objects.filter(agency=agency), year)
    if platform:
        rows = rows.filter(platform=platform)
    return rows


def accounts(agency: Agency, year: int, platform: str | None = None) -> int:
    return accounts_in_operation(agency, year, platform).count()


def weibo_accounts(agency: Agency, year: int) -> int:
    return accounts(agency, year, Platform.WEIBO)


def weixin_accounts(agency: Agency, year: int) -> int:
    return accounts(agency, year, Platform.WECHAT)


def posts(agency: Agency, year: int, platform: str | None = None) -> int:
    """Posts of the agency's accounts in the year (all platforms, or one). Periods never cross
    a year's end (the service refuses it), so a period belongs to the year it starts in."""
    rows = PostCount.objects.filter(account__agency=agency, period_start__year=year)
    if platform:
        rows = rows.filter(account__platform=platform)
    return int(rows.aggregate(total=Sum("count"))["total"] or 0)


def posts_by_platform(agency: Agency, year: int) -> dict[str, int]:
    rows = (
        PostCount.objects.filter(account__agency=agency, period_start__year=year)
        .values("account__platform")
        .annotate(total=Sum("count"))
    )
    return {row["account__platform"]: row["total"] for row in rows}


def posts_by_account(agency: Agency, year: int) -> dict[int, int]:
    rows = (
        PostCount.objects.filter(account__agency=agency, period_start__year=year)
        .values("account_id")
        .annotate(total=Sum("count"))
    )
    return {row["account_id"]: row["total"] for row in rows}


def account_status_counts(agency: Agency) -> dict[str, int]:
    rows = NewMediaAccount.objects.filter(agency=agency).values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in AccountStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- the 统计表 rows, as the annual report reads them --------------------------------------


@dataclass(frozen=True)
class LegacyRow:
    key: str
    label: str  # verbatim from the pre-2019 统计表
    unit: str
    value: int | Decimal


LEGACY_ROWS: tuple[tuple[str, str, str, Callable[[Agency, int], int | Decimal]], ...] = (
    ("六", "六、举报投诉数量", "件", complaints),
    ("七", "七、依申请公开信息收取的费用", "万元", fees_collected_wan),
    ("八.一", "（一）政府信息公开工作专门机构数", "个", office_units),
    ("八.二.1", "1.专职人员数（不包括政府公报及政府网站工作人员数）", "人", staff_full_time),
    ("八.二.2", "2.兼职人员数", "人", staff_part_time),
    (
        "八.三",
        "（三）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
        "万元",
        funds_wan,
    ),
    ("九.一", "（一）召开政府信息公开工作会议或专题会议数", "次", meetings),
    ("九.二", "（二）举办各类培训班数", "次", training_sessions),
    ("九.三", "（三）接受培训人员数", "人次", training_attendance),
)


def legacy_rows(agency: Agency, year: int) -> list[LegacyRow]:
    """Sections 六–九 of the pre-2019 统计表 for the agency and year."""
    return [
        LegacyRow(key=key, label=label, unit=unit, value=figure(agency, year))
        for key, label, unit, figure in LEGACY_ROWS
    ]
