"""Reads of the compliance monitor: an agency's page, the supervisor's matrix, the desk alerts.

Scoping: callers pass the agencies the user may read (`core.selectors.agencies_visible_to`);
an agency's staff see their agency, a supervisor the subtree under theirs (as the reports'
matrix does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.core.models import Agency, Role
from gongkai.core.permissions import has_role, is_active_user

from .check import ERROR, WARNING, Finding, check_agency
from .models import CheckSnapshot, LinkCheck
from .rules import RULES, RULES_BY_ID, Rule, months_before

OK = "ok"
TREND_MONTHS = 6
RUN_ROLES = (Role.OFFICER, Role.OFFICE_HEAD, Role.AGENCY_ADMIN)


def can_run_check(user, agency: Agency) -> bool:
    """Take a snapshot now (the nightly run does it anyway): the agency's disclosure officer,
    office head or administrator, or the platform administrator; a supervisor only reads."""
    if not is_active_user(user):
        return False
    return user.is_superuser or has_role(user, agency, *RUN_ROLES)


# --- an agency's page ---------------------------------------------------------------------


@dataclass
class RuleStatus:
    rule: Rule
    status: str  # ERROR | WARNING | OK
    findings: list[Finding] = field(default_factory=list)


def rule_statuses(findings: list[Finding]) -> list[RuleStatus]:
    """Every rule with its findings, the failing ones first (red, amber, then the rest in the
    rules' order)."""
    rows = {rule.id: RuleStatus(rule, OK) for rule in RULES}
    for finding in findings:
        row = rows[finding.rule]
        row.findings.append(finding)
        if row.status != ERROR:
            row.status = finding.severity
    order = {ERROR: 0, WARNING: 1, OK: 2}
    return sorted(rows.values(), key=lambda row: order[row.status])


@dataclass
class BrokenItem:
    item_id: int
    title: str
    links: list[LinkCheck]


def broken_links_by_item(agency: Agency) -> list[BrokenItem]:
    """The broken external links of the agency's published items, per item (2 queries)."""
    broken = list(
        LinkCheck.objects.filter(agency=agency, ok=False).prefetch_related("items").order_by("url")
    )
    by_item: dict[int, BrokenItem] = {}
    for link in broken:
        for item in link.items.all():
            row = by_item.setdefault(item.pk, BrokenItem(item.pk, item.title, []))
            row.links.append(link)
    return sorted(by_item.values(), key=lambda row: row.item_id)


def link_counts(agency: Agency) -> dict[str, int]:
    rows = LinkCheck.objects.filter(agency=agency).values_list("ok", flat=True)
    values = list(rows)
    return {
        "total": len(values),
        "checked": sum(value is not None for value in values),
        "broken": sum(value is False for value in values),
    }


def _month_start(day: date, back: int) -> date:
    first = months_before(day.replace(day=1), back)
    return first.replace(day=1)


def trend_months(today: date, months: int = TREND_MONTHS) -> list[date]:
    """The first days of the last `months` months, oldest first (this month last)."""
    return [_month_start(today, back) for back in range(months - 1, -1, -1)]


@dataclass
class TrendPoint:
    month: date
    errors: int | None  # None: no snapshot that month
    warnings: int | None
    statuses: dict[str, str] = field(default_factory=dict)


def _trends(agency_ids: list[int], today: date, months: int) -> dict[int, list[TrendPoint]]:
    """Per agency, the last snapshot of each of the last `months` months (1 query)."""
    starts = trend_months(today, months)
    last: dict[tuple[int, date], dict[str, Any]] = {}
    rows = (
        CheckSnapshot.objects.filter(agency_id__in=agency_ids, day__gte=starts[0])
        .order_by("agency_id", "day")
        .values("agency_id", "day", "checked_at", "statuses", "errors", "warnings")
    )
    for snapshot in rows:
        last[(snapshot["agency_id"], snapshot["day"].replace(day=1))] = dict(snapshot)
    out = {}
    for pk in agency_ids:
        points = []
        for month in starts:
            row = last.get((pk, month))
            points.append(
                TrendPoint(
                    month,
                    row["errors"] if row else None,
                    row["warnings"] if row else None,
                    dict(row["statuses"]) if row else {},
                )
            )
        out[pk] = points
    return out


def agency_trend(agency: Agency, *, today: date, months: int = TREND_MONTHS) -> list[TrendPoint]:
    return _trends([agency.pk], today, months)[agency.pk]


# --- the supervisor's matrix --------------------------------------------------------------


@dataclass
class Cell:
    rule: Rule
    status: str | None  # ERROR | WARNING | OK, None: the rule was not checked


@dataclass
class MatrixRow:
    agency: Agency
    checked_at: datetime | None
    cells: list[Cell]
    errors: int
    warnings: int
    trend: list[TrendPoint]


@dataclass
class Matrix:
    root: Agency
    rules: tuple[Rule, ...]
    months: list[date]
    rows: list[MatrixRow]

    @property
    def unchecked(self) -> int:
        return sum(row.checked_at is None for row in self.rows)


def compliance_matrix(
    root: Agency, *, visible: QuerySet[Agency], today: date, months: int = TREND_MONTHS
) -> Matrix:
    """The active agencies of `root`'s subtree the user may see × the rules, each cell the
    status at the latest snapshot (within the trend window), with each agency's red/amber
    counts per month. 2 queries whatever the number of agencies."""
    agencies = list(
        Agency.objects.subtree_of(root)
        .active()
        .filter(pk__in=visible.values("pk"))
        .order_by("path")
    )
    trends = _trends([a.pk for a in agencies], today, months)
    latest: dict[int, dict[str, Any]] = {}
    rows = (
        CheckSnapshot.objects.filter(
            agency_id__in=[a.pk for a in agencies], day__gte=trend_months(today, months)[0]
        )
        .order_by("agency_id", "-day")
        .values("agency_id", "checked_at", "statuses", "errors", "warnings")
    )
    for snapshot in rows:
        latest.setdefault(snapshot["agency_id"], dict(snapshot))
    out = []
    for agency in agencies:
        snap = latest.get(agency.pk)
        statuses = snap["statuses"] if snap else {}
        out.append(
            MatrixRow(
                agency=agency,
                checked_at=snap["checked_at"] if snap else None,
                cells=[Cell(rule, statuses.get(rule.id)) for rule in RULES],
                errors=snap["errors"] if snap else 0,
                warnings=snap["warnings"] if snap else 0,
                trend=trends[agency.pk],
            )
        )
    return Matrix(root, RULES, trend_months(today, months), out)


# --- the desk -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    rule: str
    title: str  # the indicator
    veto: bool
    message: str  # "政策文件 … 5 months ago: 1 month left"
    object: str
    url: str
    since: date | None


SNAPSHOT_FRESH_DAYS = 2  # the desk reads the nightly snapshot while it is this recent


def _alert(finding: Finding) -> Alert:
    rule = RULES_BY_ID[finding.rule]
    return Alert(
        rule=finding.rule,
        title=rule.title,
        veto=rule.veto,
        message=finding.message,
        object=finding.object,
        url=finding.url,
        since=finding.since,
    )


def desk_alerts(agency: Agency, *, now: datetime | None = None) -> list[Alert]:
    """What is close to a threshold but not over it yet (the amber findings): the column that
    has one month left, the 找错 report due tomorrow, the annual report due within a month.
    Red findings are not alerts but failures (the agency's compliance page lists them).
    Computed from the records now (12 queries)."""
    findings = check_agency(agency, now=now or timezone.now())
    return [_alert(finding) for finding in findings if finding.severity == WARNING]


def snapshot_findings(agency: Agency, *, today: date) -> tuple[list[Finding], date | None]:
    """The findings of the agency's latest snapshot if it is at most SNAPSHOT_FRESH_DAYS old,
    with its day (1 query): what the desk shows without checking the records again."""
    row = (
        CheckSnapshot.objects.filter(
            agency=agency, day__gte=today - timedelta(days=SNAPSHOT_FRESH_DAYS), day__lte=today
        )
        .order_by("-day")
        .values("day", "findings")
        .first()
    )
    if row is None:
        return [], None
    findings = []
    for data in row["findings"]:
        if data.get("rule") not in RULES_BY_ID:  # a rule since removed
            continue
        since = data.get("since")
        findings.append(
            Finding(
                rule=data["rule"],
                severity=data["severity"],
                message=data["message"],
                object=data["object"],
                url=data.get("url", ""),
                since=date.fromisoformat(since) if since else None,
            )
        )
    return findings, row["day"]
