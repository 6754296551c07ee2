"""The compliance checks of one agency at a given time, from the platform's own records.

`check_agency(agency, now=...)` loads what the rules need in a fixed number of queries (the
columns with their published items' latest date and count, the open 找错 reports, the annual
report's status, the 政务新媒体 accounts with their latest activity) and runs every rule of
`rules.RULES` on it. The number of queries does not grow with the number of columns, reports or
accounts; nor with the links and probes the monitor recorded (models.py: the link checker's
results and the portal's self-probes), nor the dates the 指南 and 目录 show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from gongkai.catalogue.models import Column, ItemStatus, Publication
from gongkai.catalogue.selectors import GUIDE_EVENTS, items_state
from gongkai.core import sites
from gongkai.core.models import Agency
from gongkai.engagement.models import ErrorReport
from gongkai.engagement.taxonomy import ErrorStatus
from gongkai.operations.models import AccountStatus, NewMediaAccount, PostCount
from gongkai.reports.deadlines import DeadlineStatus, report_statuses

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # ERROR (红) | WARNING (amber: the threshold is near)
    message: str
    object: str
    url: str = ""
    since: date | None = None  # the last update, or when the overdue thing started

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "object": self.object,
            "url": self.url,
            "since": self.since.isoformat() if self.since else None,
        }


@dataclass(frozen=True)
class ColumnRecord:
    """A column with its subtree's published items: a parent counts its children's updates."""

    id: int
    name: str
    column_type: str
    parent_id: int | None
    last_published: date | None
    published: int


@dataclass(frozen=True)
class AccountRecord:
    id: int
    name: str
    platform: str
    opened_on: date | None
    last_active: date | None  # the latest day known to have had a post
    counted_until: date | None  # the end of the latest recorded post count (posts or none)


@dataclass(frozen=True)
class ProbeWindow:
    """The portal's self-probes of the last PROBE_DAYS days."""

    total: int = 0
    failed: int = 0
    last_failure: datetime | None = None


@dataclass(frozen=True)
class BrokenLink:
    id: int
    url: str
    status: int | None
    error: str


PROBE_DAYS = 7  # 站点无法访问: "监测 1 周"


@dataclass
class Records:
    agency: Agency
    now: datetime  # aware, Asia/Shanghai
    columns: list[ColumnRecord] = field(default_factory=list)
    open_error_reports: list[ErrorReport] = field(default_factory=list)
    annual_report: DeadlineStatus | None = None
    accounts: list[AccountRecord] = field(default_factory=list)
    site_marks: dict[str, str] = field(default_factory=dict)  # the portal footer's codes
    probes: ProbeWindow = field(default_factory=ProbeWindow)
    links_checked: int = 0  # external links of published content checked at least once
    broken_links: list[BrokenLink] = field(default_factory=list)
    guide_updated: datetime | None = None  # what the 指南 page shows as its last change
    catalogue_updated: datetime | None = None  # the 目录's last change (items or columns)
    wording: list = field(default_factory=list)  # gongkai.wording.monitor.PublishedWording

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)


def _columns(agency: Agency) -> list[ColumnRecord]:
    """One query; subtree totals are rolled up in Python from the parent links."""
    published = Q(items__status=ItemStatus.PUBLISHED, items__published_at__isnull=False)
    rows = list(
        Column.objects.filter(agency=agency, is_active=True)
        .annotate(last=Max("items__published_at", filter=published))
        .annotate(total=Count("items", filter=published))
        .values("id", "name", "column_type", "parent_id", "last", "total")
    )
    by_id = {row["id"]: row for row in rows}
    last = {row["id"]: row["last"] for row in rows}
    total = {row["id"]: row["total"] for row in rows}
    for row in rows:  # add each column's own figures to every ancestor
        seen = set()
        parent = row["parent_id"]
        while parent in by_id and parent not in seen:
            seen.add(parent)
            total[parent] += row["total"]
            if row["last"] and (last[parent] is None or row["last"] > last[parent]):
                last[parent] = row["last"]
            parent = by_id[parent]["parent_id"]
    return [
        ColumnRecord(
            id=row["id"],
            name=row["name"],
            column_type=row["column_type"],
            parent_id=row["parent_id"],
            last_published=timezone.localdate(last[row["id"]]) if last[row["id"]] else None,
            published=total[row["id"]],
        )
        for row in rows
    ]


def _accounts(agency: Agency) -> list[AccountRecord]:
    """One query: the latest period with posts, and the latest post recorded on the account's
    catalogue channel (an external publication). A period's posts are dated by its last day:
    the records do not say on which day of the period they were published."""
    last_period = (
        PostCount.objects.filter(account=OuterRef("pk"), count__gt=0)
        .order_by("-period_end")
        .values("period_end")[:1]
    )
    counted_until = (
        PostCount.objects.filter(account=OuterRef("pk"))
        .order_by("-period_end")
        .values("period_end")[:1]
    )
    last_publication = (
        Publication.objects.filter(channel=OuterRef("channel"))
        .order_by("-published_on")
        .values("published_on")[:1]
    )
    rows = (
        NewMediaAccount.objects.filter(agency=agency, status=AccountStatus.ACTIVE)
        .annotate(
            last_period=Subquery(last_period),
            counted_until=Subquery(counted_until),
            last_publication=Subquery(last_publication),
        )
        .values(
            "id",
            "name",
            "platform",
            "opened_on",
            "last_period",
            "counted_until",
            "last_publication",
        )
        .order_by("platform", "name")
    )
    accounts = []
    for row in rows:
        known = [day for day in (row["last_period"], row["last_publication"]) if day]
        accounts.append(
            AccountRecord(
                id=row["id"],
                name=row["name"],
                platform=row["platform"],
                opened_on=row["opened_on"],
                last_active=max(known) if known else None,
                counted_until=row["counted_until"],
            )
        )
    return accounts


def load_records(agency: Agency, *, now: datetime) -> Records:
    records = Records(agency=agency, now=timezone.localtime(now))
    records.columns = _columns(agency)
    records.open_error_reports = list(
        ErrorReport.objects.filter(
            agency=agency, status__in=(ErrorStatus.SUBMITTED, ErrorStatus.ASSIGNED)
        ).order_by("submitted_at", "id")
    )
    records.annual_report = report_statuses([agency], records.today.year - 1, today=records.today)[
        agency.pk
    ]
    records.accounts = _accounts(agency)
    site = sites.stored_settings(agency)  # unsaved defaults (no date) when never saved
    records.site_marks = {key: getattr(site, key, "") for key in ("site_code", "icp_record")}
    _monitored(records)
    # the 指南's date as its page computes it (portal.selectors.guide), the 目录's from the
    # public items' last change and the columns' (both drawn from the records, never stale)
    _last, structure = sites.changes(agency, GUIDE_EVENTS)
    stamps = [agency.updated_at, getattr(site, "updated_at", None), structure]
    records.guide_updated = max((s for s in stamps if s), default=None)
    items_at = items_state(agency=agency).at
    records.catalogue_updated = max((s for s in (items_at, structure) if s), default=None)
    # miswritten terms on published items (3 queries, a 4th when any is found)
    from gongkai.wording.monitor import published_findings

    records.wording = published_findings(agency)
    return records


def _monitored(records: Records) -> None:
    """The link checker's and the site probe's results (3 queries)."""
    from .models import LinkCheck, SiteProbe

    since = records.now - timedelta(days=PROBE_DAYS)
    window = SiteProbe.objects.filter(agency=records.agency, probed_at__gt=since).aggregate(
        total=Count("id"),
        failed=Count("id", filter=Q(ok=False)),
        last_failure=Max("probed_at", filter=Q(ok=False)),
    )
    records.probes = ProbeWindow(**window)
    links = LinkCheck.objects.filter(agency=records.agency, ok__isnull=False)
    records.links_checked = links.count()
    records.broken_links = [
        BrokenLink(**row)
        for row in links.filter(ok=False).order_by("url").values("id", "url", "status", "error")
    ]


def check_agency(agency: Agency, *, now: datetime | None = None) -> list[Finding]:
    """Every rule's findings for `agency` at `now` (default: the current time), errors first."""
    from .rules import RULES

    records = load_records(agency, now=now or timezone.now())
    findings = [finding for rule in RULES for finding in rule.compute(records)]
    return sorted(findings, key=lambda finding: finding.severity != ERROR)
