"""Scoped reads of service matters, the public guides, and the statistics the reports quote."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db.models import Count, Prefetch, Q, QuerySet

from gongkai.core.models import Agency
from gongkai.core.selectors import agencies_visible_to

from .models import Material, Matter, MatterStatus, ServiceSector, Star, StarCriterion


def matters_visible_to(user) -> QuerySet[Matter]:
    return Matter.objects.filter(agency__in=agencies_visible_to(user)).select_related(
        "agency", "sector"
    )


def sectors_visible_to(user) -> QuerySet[ServiceSector]:
    return ServiceSector.objects.filter(agency__in=agencies_visible_to(user))


def star_criteria(agency: Agency) -> dict[int, str]:
    return dict(StarCriterion.objects.filter(agency=agency).values_list("star", "text"))


@dataclass(frozen=True)
class MatterFilters:
    q: str = ""
    status: str = ""
    matter_type: str = ""
    star: int | None = None  # 0: without a star level
    sector: int | None = None
    no_difference: bool | None = None


def filter_matters(matters: QuerySet[Matter], filters: MatterFilters) -> QuerySet[Matter]:
    if filters.q:
        matters = matters.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    if filters.status:
        matters = matters.filter(status=filters.status)
    if filters.matter_type:
        matters = matters.filter(matter_type=filters.matter_type)
    if filters.star == 0:
        matters = matters.filter(star__isnull=True)
    elif filters.star is not None:
        matters = matters.filter(star=filters.star)
    if filters.sector is not None:
        matters = matters.filter(sector_id=filters.sector)
    if filters.no_difference is not None:
        matters = matters.filter(no_difference=filters.no_difference)
    return matters


def with_materials(matters: QuerySet[Matter]) -> QuerySet[Matter]:
    return matters.prefetch_related(
        Prefetch("materials", queryset=Material.objects.order_by("position", "id"))
    )


# --- public ------------------------------------------------------------------------------


def public_matters(agency: Agency) -> QuerySet[Matter]:
    """The guides a visitor may read: the agency's published matters."""
    return Matter.objects.filter(agency=agency, status=MatterStatus.PUBLISHED).select_related(
        "agency", "sector"
    )


def all_public_matters() -> QuerySet[Matter]:
    return Matter.objects.filter(
        status=MatterStatus.PUBLISHED, agency__in=Agency.objects.active()
    ).select_related("agency", "sector")


def public_sectors(agency: Agency) -> list[ServiceSector]:
    return list(ServiceSector.objects.filter(agency=agency, is_active=True))


# --- statistics --------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorCount:
    sector: ServiceSector
    matters: int  # 无差别受理 matters of the sector


@dataclass(frozen=True)
class MatterStatistics:
    """The service hall on one day: the figures 年度报告 and 工作总结 quote."""

    agency: Agency
    on: date
    total: int  # 审批服务事项 in the hall
    by_star: dict[int, int]  # star level -> matters (every level, 0 when none)
    rated: int  # with a star level
    three_star_plus: int  # 三星级以上
    zero_visit: int  # 跑零次 / 零跑腿
    online: int  # 网上可办
    mobile: int  # 掌上可办 (移动办事事项目录)
    at_most_once: int  # 最多跑一次
    at_most_once_required: int  # 省定应当实现“最多跑一次”
    at_most_once_required_done: int  # … and achieved
    no_difference: int  # 无差别受理
    sectors: list[SectorCount] = field(default_factory=list)

    @property
    def stars(self) -> list[tuple[int, str, int]]:
        """(level, label, matters) from 一星 to 五星."""
        return [(level, Star(level).label, self.by_star[level]) for level in Star.values]

    @property
    def at_most_once_coverage(self) -> Fraction | None:
        """最多跑一次 coverage: achieved / required by the province; None when none required."""
        if not self.at_most_once_required:
            return None
        return Fraction(self.at_most_once_required_done, self.at_most_once_required)

    @property
    def at_most_once_coverage_percent(self) -> str:
        coverage = self.at_most_once_coverage
        return "—" if coverage is None else f"{float(coverage) * 100:.1f}%"

    @property
    def at_most_once_share(self) -> Fraction | None:
        """最多跑一次 matters among all the matters of the hall."""
        return Fraction(self.at_most_once, self.total) if self.total else None


def matter_statistics(agency: Agency, *, on: date) -> MatterStatistics:
    """The figures of the matters listed in the agency's hall on `on` (three queries)."""
    matters = Matter.objects.filter(agency=agency).in_hall_on(on)
    stars = {f"n_star_{s}": Count("id", filter=Q(star=s)) for s in Star.values}
    figures = matters.aggregate(
        n_total=Count("id"),
        n_rated=Count("id", filter=Q(star__isnull=False)),
        n_three_star_plus=Count("id", filter=Q(star__gte=Star.THREE)),
        n_zero_visit=Count("id", filter=Q(zero_visit=True)),
        n_online=Count("id", filter=Q(online=True)),
        n_mobile=Count("id", filter=Q(mobile=True)),
        n_at_most_once=Count("id", filter=Q(at_most_once=True)),
        n_required=Count("id", filter=Q(at_most_once_required=True)),
        n_required_done=Count("id", filter=Q(at_most_once_required=True, at_most_once=True)),
        n_no_difference=Count("id", filter=Q(no_difference=True)),
        **stars,
    )
    per_sector = dict(
        matters.filter(no_difference=True)
        .values_list("sector_id")
        .annotate(n=Count("id"))
        .values_list("sector_id", "n")
    )
    sectors = [
        SectorCount(sector, per_sector.get(sector.pk, 0))
        for sector in ServiceSector.objects.filter(agency=agency)
        if sector.is_active or per_sector.get(sector.pk)
    ]
    return MatterStatistics(
        agency=agency,
        on=on,
        total=figures["n_total"],
        by_star={s: figures[f"n_star_{s}"] for s in Star.values},
        rated=figures["n_rated"],
        three_star_plus=figures["n_three_star_plus"],
        zero_visit=figures["n_zero_visit"],
        online=figures["n_online"],
        mobile=figures["n_mobile"],
        at_most_once=figures["n_at_most_once"],
        at_most_once_required=figures["n_required"],
        at_most_once_required_done=figures["n_required_done"],
        no_difference=figures["n_no_difference"],
        sectors=sectors,
    )
