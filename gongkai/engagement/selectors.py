"""Scoped reads of 回应解读 and 找错, and the counts the annual reports take from them.

Staff reads start from `agencies_visible_to(user)`. The counts take an agency and a period
[start, end] (dates, both included); the report code resolves the agency itself.

What each count means (the seed's words in brackets):
- incidents_handled: 网络舆情 closed (办结) in the period ("及时有效处置网络舆情30起");
- response_rows: the rows of 统计表 二、回应解读情况 — (一) incidents with at least one public
  response in the period, counted once however many channels carried it; 1. press conferences
  held or attended, 其中 those the principal leader took part in; 2. interpretations published;
  3. incidents answered on 政务微博 or 政务微信 (once, even on both); 4. incidents answered through
  any other channel except 新闻发布会, which row 1 counts through the conference records.
  Handling an incident (处置: verifying, dealing with it offline) is not a public response: an
  incident closed without one counts in `incidents_handled` and in none of these rows.
- error_reports_resolved: 找错 reports closed as 已更正 in the period ("解决网民政府网站找错1起").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from gongkai.catalogue.models import Item, ItemStatus
from gongkai.catalogue.taxonomy import Genre
from gongkai.core.models import Agency, AuditEvent, Membership, User
from gongkai.core.selectors import agencies_visible_to
from gongkai.core.workdays import CalendarYearMissing, WorkCalendar

from .models import ErrorReport, Incident, IncidentResponse, Interpretation, PressConference
from .permissions import ASSIGNABLE_ROLES
from .taxonomy import (
    OTHER_CHANNELS,
    RESPONSE_ROWS,
    WEIBO_WECHAT,
    ErrorOutcome,
    ErrorStatus,
    IncidentKind,
    IncidentStatus,
)

# "同步": an interpretation is published with its policy or soon after. How soon is not set by
# any text we could confirm; OUR CHOICE is 3 working days after the policy's publication date
# (the day of publication not counted, RULES A.1). A later one, or none, is flagged.
INTERPRETATION_SYNC_WORKDAYS = 3


# --- scoped staff reads --------------------------------------------------------------------


def incidents_visible_to(user) -> QuerySet[Incident]:
    return Incident.objects.filter(agency__in=agencies_visible_to(user)).select_related("agency")


def conferences_visible_to(user) -> QuerySet[PressConference]:
    return PressConference.objects.filter(agency__in=agencies_visible_to(user)).select_related(
        "agency", "incident"
    )


def interpretations_visible_to(user) -> QuerySet[Interpretation]:
    return Interpretation.objects.filter(agency__in=agencies_visible_to(user)).select_related(
        "agency", "policy", "item"
    )


def error_reports_visible_to(user) -> QuerySet[ErrorReport]:
    return ErrorReport.objects.filter(agency__in=agencies_visible_to(user)).select_related(
        "agency", "assignee"
    )


def agency_incidents(
    user, *, agency: Agency, status: str = "", year: int | None = None
) -> QuerySet[Incident]:
    incidents = (
        incidents_visible_to(user)
        .filter(agency=agency)
        .annotate(response_count=Count("responses"))
        .order_by("-first_seen_on", "-id")
    )
    if status:
        incidents = incidents.filter(status=status)
    if year:
        incidents = incidents.filter(first_seen_on__year=year)
    return incidents


def incident_with_responses(user, *, agency: Agency, pk: int) -> Incident | None:
    return (
        incidents_visible_to(user)
        .filter(agency=agency, pk=pk)
        .prefetch_related(
            Prefetch("responses", queryset=IncidentResponse.objects.select_related("created_by"))
        )
        .first()
    )


def agency_conferences(user, *, agency: Agency, year: int | None = None):
    conferences = conferences_visible_to(user).filter(agency=agency).order_by("-held_on", "-id")
    if year:
        conferences = conferences.filter(held_on__year=year)
    return conferences


def agency_interpretations(user, *, agency: Agency, year: int | None = None):
    found = interpretations_visible_to(user).filter(agency=agency).order_by("-published_on", "-id")
    if year:
        found = found.filter(published_on__year=year)
    return found


def agency_error_reports(user, *, agency: Agency, status: str = "", mine: bool = False):
    reports = error_reports_visible_to(user).filter(agency=agency).order_by("-submitted_at", "-id")
    if status == "open":
        reports = reports.exclude(status=ErrorStatus.CLOSED)
    elif status:
        reports = reports.filter(status=status)
    if mine:
        reports = reports.filter(assignee=user)
    return reports


def assignable_users(agency: Agency) -> QuerySet[User]:
    """Who a 找错 report of `agency` can be given to."""
    ids = Membership.objects.filter(agency=agency, role__in=ASSIGNABLE_ROLES).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("username")


def record_timeline(user, obj) -> QuerySet[AuditEvent]:
    """The audit events of one record, oldest first, for anyone who may read it."""
    return (
        AuditEvent.objects.filter(
            agency__in=agencies_visible_to(user),
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def policies_of(agency: Agency) -> QuerySet[Item]:
    """Items an interpretation can be about: the agency's own documents, not interpretations."""
    return (
        Item.objects.filter(agency=agency)
        .exclude(genre=Genre.INTERPRETATION)
        .filter(genre__in=[Genre.NORMATIVE, Genre.RULE, Genre.OTHER_DOCUMENT, Genre.PLAN])
        .order_by("-formed_on", "-id")
    )


def interpretation_items_of(agency: Agency) -> QuerySet[Item]:
    return Item.objects.filter(agency=agency, genre=Genre.INTERPRETATION).order_by(
        "-formed_on", "-id"
    )


# --- public --------------------------------------------------------------------------------


def public_error_report(agency: Agency, reference: str) -> ErrorReport | None:
    """The report with this reference at this agency (the caller checks the code)."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return ErrorReport.objects.filter(agency=agency, reference=reference).first()


# --- counts for a period -------------------------------------------------------------------


def incidents_handled(agency: Agency, start: date, end: date) -> int:
    """网络舆情 closed in [start, end] ("及时有效处置网络舆情N起")."""
    return Incident.objects.filter(
        agency=agency,
        kind=IncidentKind.OPINION,
        status=IncidentStatus.CLOSED,
        closed_on__range=(start, end),
    ).count()


def _responded(agency: Agency, start: date, end: date, channels=None) -> int:
    responses = IncidentResponse.objects.filter(
        incident__agency=agency, responded_on__range=(start, end)
    )
    if channels is not None:
        responses = responses.filter(channel__in=list(channels))
    return responses.values("incident_id").distinct().count()


def hot_topics_responded(agency: Agency, start: date, end: date) -> int:
    """(一) Incidents with a public response in the period, once each."""
    return _responded(agency, start, end)


def weibo_wechat_responses(agency: Agency, start: date, end: date) -> int:
    """3. Incidents answered on 政务微博 or 政务微信 in the period, once each."""
    return _responded(agency, start, end, WEIBO_WECHAT)


def other_channel_responses(agency: Agency, start: date, end: date) -> int:
    """4. Incidents answered through other channels (not 新闻发布会, 微博, 微信), once each."""
    return _responded(agency, start, end, OTHER_CHANNELS)


def responses_per_channel(agency: Agency, start: date, end: date) -> dict[str, int]:
    """Incidents answered per channel in the period (an incident once per channel)."""
    rows = (
        IncidentResponse.objects.filter(incident__agency=agency, responded_on__range=(start, end))
        .values("channel")
        .annotate(n=Count("incident_id", distinct=True))
    )
    return {row["channel"]: row["n"] for row in rows}


def press_conferences(agency: Agency, start: date, end: date) -> int:
    """1. 参加或举办新闻发布会总次数."""
    return PressConference.objects.filter(agency=agency, held_on__range=(start, end)).count()


def principal_press_conferences(agency: Agency, start: date, end: date) -> int:
    """1.其中 主要负责同志参加新闻发布会次数."""
    return PressConference.objects.filter(
        agency=agency, held_on__range=(start, end), principal_attended=True
    ).count()


def interpretations_published(agency: Agency, start: date, end: date) -> int:
    """2. 政策解读稿件发布数."""
    return Interpretation.objects.filter(agency=agency, published_on__range=(start, end)).count()


def error_reports_received(agency: Agency, start: date, end: date) -> int:
    start_at, end_at = _day_bounds(start, end)
    return ErrorReport.objects.filter(
        agency=agency, submitted_at__gte=start_at, submitted_at__lt=end_at
    ).count()


def error_reports_resolved(agency: Agency, start: date, end: date) -> int:
    """找错 reports closed as 已更正 in the period ("解决网民政府网站找错N起")."""
    return ErrorReport.objects.filter(
        agency=agency,
        status=ErrorStatus.CLOSED,
        outcome=ErrorOutcome.FIXED,
        closed_on__range=(start, end),
    ).count()


def error_reports_open(agency: Agency) -> int:
    return ErrorReport.objects.filter(agency=agency).exclude(status=ErrorStatus.CLOSED).count()


def incidents_open(agency: Agency) -> int:
    return Incident.objects.filter(agency=agency).exclude(status=IncidentStatus.CLOSED).count()


def _day_bounds(start: date, end: date):
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


@dataclass(frozen=True)
class ReportRow:
    code: str
    label: str
    value: int


ROW_COUNTS = {
    "responded": hot_topics_responded,
    "conferences": press_conferences,
    "conferences_principal": principal_press_conferences,
    "interpretations": interpretations_published,
    "weibo_wechat": weibo_wechat_responses,
    "other_channels": other_channel_responses,
}


def response_rows(agency: Agency, start: date, end: date) -> list[ReportRow]:
    """统计表 二、回应解读情况, row by row, with the seed's labels."""
    return [
        ReportRow(code, label, ROW_COUNTS[code](agency, start, end))
        for code, label in RESPONSE_ROWS
    ]


@dataclass(frozen=True)
class PeriodSummary:
    start: date
    end: date
    rows: list[ReportRow]
    incidents_handled: int
    error_reports_received: int
    error_reports_resolved: int
    per_channel: dict[str, int]


def period_summary(agency: Agency, start: date, end: date) -> PeriodSummary:
    return PeriodSummary(
        start=start,
        end=end,
        rows=response_rows(agency, start, end),
        incidents_handled=incidents_handled(agency, start, end),
        error_reports_received=error_reports_received(agency, start, end),
        error_reports_resolved=error_reports_resolved(agency, start, end),
        per_channel=responses_per_channel(agency, start, end),
    )


# --- the 同步 check of interpretations ---------------------------------------------------


@dataclass(frozen=True)
class PolicyInterpretationCheck:
    """A published 行政规范性文件 and its first interpretation (if any)."""

    policy: Item
    published_on: date
    interpretation: Interpretation | None
    gap_workdays: int | None  # None: no interpretation, or the calendar lacks a year
    missing_year: int | None = None

    @property
    def interpreted(self) -> bool:
        return self.interpretation is not None

    @property
    def late(self) -> bool:
        """Flagged: no interpretation, or one more than INTERPRETATION_SYNC_WORKDAYS after."""
        if self.interpretation is None:
            return True
        return self.gap_workdays is not None and self.gap_workdays > INTERPRETATION_SYNC_WORKDAYS


def normative_interpretation_checks(
    user,
    *,
    agency: Agency,
    calendar: WorkCalendar,
    year: int | None = None,
) -> list[PolicyInterpretationCheck]:
    """For each published 行政规范性文件 of the agency: is there an interpretation, and how
    many working days after the policy's publication was the first one published (negative
    when it came out before)."""
    policies = (
        Item.objects.filter(
            agency__in=agencies_visible_to(user),
            agency=agency,
            genre=Genre.NORMATIVE,
            status__in=[ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN],
            published_at__isnull=False,
        )
        .order_by("-published_at", "-id")
        .prefetch_related(
            Prefetch(
                "interpretations",
                queryset=Interpretation.objects.order_by("published_on", "id"),
                to_attr="ordered_interpretations",
            )
        )
    )
    if year:
        policies = policies.filter(Q(published_at__year=year))
    checks = []
    for policy in policies:
        published_on = timezone.localdate(policy.published_at)
        first = policy.ordered_interpretations[0] if policy.ordered_interpretations else None
        gap = missing = None
        if first is not None:
            try:
                gap = calendar.workdays_between(published_on, first.published_on)
            except CalendarYearMissing as exc:
                missing = exc.year
        checks.append(PolicyInterpretationCheck(policy, published_on, first, gap, missing))
    return checks
