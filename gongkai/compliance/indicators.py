"""The computations behind the inspection indicators (`rules.RULES`): each takes the records
`check.Records` gathered for an agency and returns its findings; the thresholds with them."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue.taxonomy import ColumnType
from gongkai.operations.models import Platform
from gongkai.reports.deadlines import LATE, PUBLISHED

from .check import ERROR, WARNING, Finding

if TYPE_CHECKING:
    from .check import ColumnRecord, Records

WEB2019 = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号印发）"


# --- helpers ------------------------------------------------------------------------------

TWO_WEEKS = 14
NEWS_WARNING_DAYS = 10  # OUR CHOICE: amber when 4 days are left of the 2 weeks
STALE_COUNT = 5  # 累计超过(含)5个未更新
EMPTY_COUNT = 5  # 空白栏目数量超过(含)5个
LONG_STALE_COUNT = 10  # 应更新但长期未更新的栏目数量超过(含)10个
# OUR CHOICE (the text does not define 长期): 12 months; the column types that should be updated
# (其他 may be static information such as 机构职能; 年度报告 has its own rule).
LONG_STALE_MONTHS = 12
SHOULD_UPDATE = (
    ColumnType.NEWS,
    ColumnType.NOTICE,
    ColumnType.POLICY,
    ColumnType.PERSONNEL,
    ColumnType.PLAN,
    ColumnType.FINANCE,
    ColumnType.EMERGENCY,
)
# OUR CHOICE (unverified): 5 calendar days to reply to a 找错 report; amber 1 day before.
ERROR_REPLY_DAYS = 5
REPORT_WARNING_DAYS = 30  # OUR CHOICE: amber a month before the annual report's deadline


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it has no such day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _column_url(records: Records, column_id: int) -> str:
    return reverse("catalogue:column-edit", kwargs={"agency": records.agency.slug, "pk": column_id})


def _columns_url(records: Records) -> str:
    return reverse("catalogue:columns", kwargs={"agency": records.agency.slug})


def _age(records: Records, day: date | None) -> int | None:
    return None if day is None else (records.today - day).days


def _stale_news(records: Records) -> list[tuple[ColumnRecord, str]]:
    """(column, ERROR | WARNING) for 动态要闻 columns at or past the amber line."""
    out = []
    for column in records.columns:
        if column.column_type != ColumnType.NEWS:
            continue
        age = None if column.last_published is None else (records.today - column.last_published)
        if age is None or age.days >= TWO_WEEKS:
            out.append((column, ERROR))
        elif age.days >= NEWS_WARNING_DAYS:
            out.append((column, WARNING))
    return out


def _stale_notice_policy(records: Records) -> list[tuple[ColumnRecord, str]]:
    """(column, ERROR | WARNING) for 一级 通知公告/政策文件 columns (a child's update counts)."""
    red_line = months_before(records.today, 6)
    amber_line = months_before(records.today, 5)
    out = []
    for column in records.columns:
        if column.parent_id is not None or column.column_type not in (
            ColumnType.NOTICE,
            ColumnType.POLICY,
        ):
            continue
        last = column.last_published
        if last is None or last <= red_line:
            out.append((column, ERROR))
        elif last <= amber_line:
            out.append((column, WARNING))
    return out


# --- the computations ---------------------------------------------------------------------


def homepage_not_updated(records: Records) -> list[Finding]:
    """The home page lists the agency's latest published items: its newest one dates it.
    An agency with no column publishes nothing of its own here (an internal office): skipped."""
    if not records.columns:
        return []
    days = [c.last_published for c in records.columns if c.last_published]
    last = max(days) if days else None
    age = None if last is None else (records.today - last).days
    if age is not None and age < NEWS_WARNING_DAYS:
        return []
    severity = ERROR if age is None or age >= TWO_WEEKS else WARNING
    if last is None:
        message = _("Nothing has been published on the home page.")
    elif severity == ERROR:
        message = _("Nothing published on the home page for %(days)s days (limit: 14).")
    else:
        message = _("Home page last updated %(days)s days ago: %(left)s days left.")
    return [
        Finding(
            rule="homepage_not_updated",
            severity=severity,
            message=message % {"days": age, "left": TWO_WEEKS - (age or 0)},
            object=str(records.agency),
            url=_columns_url(records),
            since=last,
        )
    ]


def news_column_stale(records: Records) -> list[Finding]:
    findings = []
    for column, severity in _stale_news(records):
        last = column.last_published
        if last is None:
            message = _("The news column “%(name)s” has never been updated.")
        elif severity == ERROR:
            message = _("The news column “%(name)s” has not been updated for %(days)s days.")
        else:
            message = _("The news column “%(name)s” was last updated %(days)s days ago.")
        findings.append(
            Finding(
                rule="news_column_stale",
                severity=severity,
                message=message % {"name": column.name, "days": _age(records, last)},
                object=column.name,
                url=_column_url(records, column.id),
                since=last,
            )
        )
    return findings


def notice_policy_column_stale(records: Records) -> list[Finding]:
    findings = []
    for column, severity in _stale_notice_policy(records):
        last = column.last_published
        if severity == ERROR:
            message = _("The column “%(name)s” has not been updated for 6 months.")
        else:
            message = _("The column “%(name)s” was last updated 5 months ago: 1 month left.")
        findings.append(
            Finding(
                rule="notice_policy_column_stale",
                severity=severity,
                message=message % {"name": column.name},
                object=column.name,
                url=_column_url(records, column.id),
                since=last,
            )
        )
    return findings


def _count_finding(
    records: Records, *, rule: str, names: list[str], limit: int, failed: str, near: str
) -> list[Finding]:
    """One finding for an agency-wide count: red at `limit`, amber one short of it."""
    if len(names) < limit - 1:
        return []
    severity = ERROR if len(names) >= limit else WARNING
    message = failed if severity == ERROR else near
    return [
        Finding(
            rule=rule,
            severity=severity,
            message=message % {"count": len(names), "names": "、".join(names)},
            object=str(records.agency),
            url=_columns_url(records),
        )
    ]


def columns_stale_count(records: Records) -> list[Finding]:
    stale = [
        column.name
        for column, severity in _stale_news(records) + _stale_notice_policy(records)
        if severity == ERROR
    ]
    return _count_finding(
        records,
        rule="columns_stale_count",
        names=stale,
        limit=STALE_COUNT,
        failed=_("%(count)s columns not updated within their period (veto at 5): %(names)s"),
        near=_("%(count)s columns not updated within their period; one more fails: %(names)s"),
    )


def columns_empty(records: Records) -> list[Finding]:
    return _count_finding(
        records,
        rule="columns_empty",
        names=[column.name for column in records.columns if column.published == 0],
        limit=EMPTY_COUNT,
        failed=_("%(count)s empty columns (veto at 5): %(names)s"),
        near=_("%(count)s empty columns; one more fails: %(names)s"),
    )


def columns_long_stale_count(records: Records) -> list[Finding]:
    """Columns that have content but none published in the last 12 months (empty ones are
    counted by `columns_empty`)."""
    line = months_before(records.today, LONG_STALE_MONTHS)
    stale = [
        column.name
        for column in records.columns
        if column.column_type in SHOULD_UPDATE
        and column.last_published is not None
        and column.last_published <= line
    ]
    return _count_finding(
        records,
        rule="columns_long_stale_count",
        names=stale,
        limit=LONG_STALE_COUNT,
        failed=_("%(count)s columns not updated for a year (veto at 10): %(names)s"),
        near=_("%(count)s columns not updated for a year; one more fails: %(names)s"),
    )


def error_report_overdue(records: Records) -> list[Finding]:
    findings = []
    for report in records.open_error_reports:
        submitted = records.now - report.submitted_at
        if submitted >= timedelta(days=ERROR_REPLY_DAYS):
            severity = ERROR
            message = _("找错 report %(reference)s has had no reply for %(days)s days.")
        elif submitted >= timedelta(days=ERROR_REPLY_DAYS - 1):
            severity = WARNING
            message = _("找错 report %(reference)s must be answered within a day.")
        else:
            continue
        findings.append(
            Finding(
                rule="error_report_overdue",
                severity=severity,
                message=message % {"reference": report.reference, "days": submitted.days},
                object=report.reference,
                url=reverse(
                    "engagement:error-detail",
                    kwargs={"agency": records.agency.slug, "pk": report.pk},
                ),
                since=timezone.localdate(report.submitted_at),
            )
        )
    return findings


def annual_report_late(records: Records) -> list[Finding]:
    status = records.annual_report
    if status is None or status.status == PUBLISHED:
        return []
    left = (status.due - records.today).days
    if status.status == LATE:
        severity = ERROR
        message = _("The %(year)s annual report was due on %(due)s and is not published.")
    elif left <= REPORT_WARNING_DAYS:
        severity = WARNING
        message = _("The %(year)s annual report is due on %(due)s: %(left)s days left.")
    else:
        return []
    return [
        Finding(
            rule="annual_report_late",
            severity=severity,
            message=message % {"year": status.year, "due": status.due.isoformat(), "left": left},
            object=_("%(year)s annual report") % {"year": status.year},
            url=reverse("reports:report-list", kwargs={"agency": records.agency.slug}),
            since=status.due if severity == ERROR else None,
        )
    ]


def new_media_stale(records: Records) -> list[Finding]:
    """Red only when the records prove it: post counts recorded (with no posts) for 2 weeks or
    more after the last post. When the counts simply stop (entered monthly or quarterly, say),
    the records cannot tell: amber, asking for the recent counts."""
    findings = []
    for account in records.accounts:
        last = account.last_active
        if last is None and account.opened_on and (records.today - account.opened_on).days < 14:
            continue  # opened less than 2 weeks ago
        age = _age(records, last)
        if age is not None and age < NEWS_WARNING_DAYS:
            continue
        counted = account.counted_until
        proven = counted is not None and (
            (last is None and account.opened_on and (counted - account.opened_on).days >= 14)
            or (last is not None and (counted - last).days >= TWO_WEEKS)
        )
        if age is not None and age < TWO_WEEKS:
            severity = WARNING
            message = _("The account “%(name)s” last posted %(days)s days ago.")
        elif proven:
            severity = ERROR
            if last is None:
                message = _("The account “%(name)s” has no post on record.")
            else:
                message = _("The account “%(name)s” has not posted for %(days)s days.")
        else:
            severity = WARNING
            message = _(
                "No post of the account “%(name)s” is recorded in the last 2 weeks: "
                "enter its recent post counts."
            )
        label = f"{Platform(account.platform).label}·{account.name}"
        findings.append(
            Finding(
                rule="new_media_stale",
                severity=severity,
                message=message % {"name": label, "days": age},
                object=label,
                since=last,
            )
        )
    return findings


def site_marks_missing(records: Records) -> list[Finding]:
    """The portal's footer shows the 网站标识码 and the ICP备案号 the agency entered (only for
    an agency that publishes a catalogue of its own: one with columns)."""
    if not records.columns:
        return []
    labels = {"site_code": "网站标识码", "icp_record": "ICP备案号"}
    missing = [label for key, label in labels.items() if not records.site_marks.get(key)]
    if not missing:
        return []
    return [
        Finding(
            rule="site_marks_missing",
            severity=ERROR,
            message=_("The portal shows no %(marks)s.") % {"marks": "、".join(missing)},
            object=str(records.agency),
        )
    ]


PROBE_FAIL_SHARE = 0.05  # 超过(含)15秒仍打不开的次数累计占比超过(含)5%
PROBE_WARN_SHARE = 0.025  # OUR CHOICE: amber at half the share
PROBE_MIN_TOTAL = 20  # 每天…访问20次以上: fewer probes cannot prove the veto (amber instead)
BROKEN_LINK_SHARE = 0.05  # OUR CHOICE: red when 5 % of the checked external links are broken
OUTDATED_MONTHS = 12  # OUR CHOICE: 指南/目录 unchanged for a year are out of date
OUTDATED_WARNING_MONTHS = 11


def site_unreachable(records: Records) -> list[Finding]:
    """The platform's own probes of the agency's portal home over the last 7 days (they time
    out at 15 s). No probe recorded (no public address configured): nothing to say."""
    probes = records.probes
    if not records.columns or probes.total == 0 or probes.failed == 0:
        return []
    share = probes.failed / probes.total
    if share >= PROBE_FAIL_SHARE and probes.total >= PROBE_MIN_TOTAL:
        severity = ERROR
        message = _(
            "The portal did not open in %(failed)s of %(total)s probes over 7 days "
            "(%(share)s; veto at 5%%)."
        )
    elif share >= PROBE_WARN_SHARE:
        severity = WARNING
        message = _(
            "The portal did not open in %(failed)s of %(total)s probes over 7 days "
            "(%(share)s; the veto is at 5%%)."
        )
    else:
        return []
    return [
        Finding(
            rule="site_unreachable",
            severity=severity,
            message=message
            % {"failed": probes.failed, "total": probes.total, "share": f"{share:.1%}"},
            object=str(records.agency),
            url=reverse("portal:agency-home", kwargs={"agency": records.agency.slug}),
            since=timezone.localdate(probes.last_failure) if probes.last_failure else None,
        )
    ]


def broken_links(records: Records) -> list[Finding]:
    """External links of published items that did not answer or answered an error at their
    last check (the link checker's results; the staff page lists them per item)."""
    broken = records.broken_links
    if not broken or not records.links_checked:
        return []
    share = len(broken) / records.links_checked
    severity = ERROR if share >= BROKEN_LINK_SHARE else WARNING
    first = "、".join(link.url for link in broken[:5])
    return [
        Finding(
            rule="broken_links",
            severity=severity,
            message=_("%(count)s of %(total)s external links are broken (%(share)s): %(first)s")
            % {
                "count": len(broken),
                "total": records.links_checked,
                "share": f"{share:.1%}",
                "first": first,
            },
            object=str(records.agency),
            url=reverse("compliance:agency", kwargs={"agency": records.agency.slug}) + "#links",
        )
    ]


def _outdated(
    records: Records, *, rule: str, last: datetime | None, name: str, url: str
) -> list[Finding]:
    if not records.columns or last is None:
        return []
    day = timezone.localdate(last)
    if day <= months_before(records.today, OUTDATED_MONTHS):
        severity = ERROR
        message = _("The %(name)s has not changed since %(day)s (over a year).")
    elif day <= months_before(records.today, OUTDATED_WARNING_MONTHS):
        severity = WARNING
        message = _("The %(name)s last changed on %(day)s: review it within a month.")
    else:
        return []
    return [
        Finding(
            rule=rule,
            severity=severity,
            message=message % {"name": name, "day": day.isoformat()},
            object=name,
            url=url,
            since=day,
        )
    ]


def guide_outdated(records: Records) -> list[Finding]:
    return _outdated(
        records,
        rule="guide_outdated",
        last=records.guide_updated,
        name="政府信息公开指南",
        url=reverse("portal:guide", kwargs={"agency": records.agency.slug}),
    )


def catalogue_outdated(records: Records) -> list[Finding]:
    return _outdated(
        records,
        rule="catalogue_outdated",
        last=records.catalogue_updated,
        name="政府信息公开目录",
        url=reverse("portal:catalogue", kwargs={"agency": records.agency.slug}),
    )


def serious_wording_error(records: Records) -> list[Finding]:
    """Published items carrying miswritten names of bodies, laws, titles or official terms
    (gongkai.wording). Red unless the reviewer confirmed each as intended when approving (a
    quotation, another body's name): then amber, to be looked at again."""
    findings = []
    for row in records.wording:
        shown = "、".join(f"{found}→{right}" for found, right in row.found[:5])
        if row.acknowledged:
            severity = WARNING
            message = _("“%(title)s” carries terms its reviewer confirmed as intended: %(found)s")
        else:
            severity = ERROR
            message = _("“%(title)s” carries miswritten terms: %(found)s")
        findings.append(
            Finding(
                rule="serious_wording_error",
                severity=severity,
                message=message % {"title": row.title, "found": shown},
                object=row.title,
                url=reverse(
                    "catalogue:item-detail",
                    kwargs={"agency": records.agency.slug, "pk": row.item_id},
                ),
            )
        )
    return findings
