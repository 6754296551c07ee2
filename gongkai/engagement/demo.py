"""Demo 回应解读 and 找错 records for 六横镇.

2018, as its annual report tells it: "及时有效处置网络舆情30起" and "今年及时解决网民政府网站找错
1起"; its 统计表 leaves every row of 二、回应解读情况 empty. So the demo has 30 网络舆情 handled
and closed in 2018 without a public response (处置 is not 回应: verified and dealt with, see
selectors), one 找错 report corrected and closed, and no press conference, interpretation or
public response in 2018 — each row of the table counts 0.

2025–2026 is lighter and ordinary: a few incidents answered on 微信, the website or in the press,
two press conferences and one attended, interpretations of the catalogue demo's 行政规范性文件
(one of them late, so the 同步 check has something to show), and a handful of 找错 reports in
every state. Records dated after today are left out.

The records are data (demo_data/engagement.toml); this module maps them to the services.
Everything goes through the services. Loading is idempotent: an incident is identified by its
topic and first day, a conference by its topic and date, an interpretation by its title, a 找错
report by its submission token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.catalogue.models import Item
from gongkai.core import demodata
from gongkai.core.models import Agency, User

from . import services
from .models import ErrorReport, Incident, Interpretation, PressConference
from .taxonomy import (
    ConferenceRole,
    ErrorOutcome,
    ErrorType,
    IncidentKind,
    IncidentLevel,
    IncidentSource,
    InterpretationForm,
    ResponseChannel,
)


@dataclass(frozen=True)
class OpinionSpec:
    """A 2018 网络舆情: handled and closed, never answered publicly."""

    topic: str
    source: str = field(metadata=demodata.choices(IncidentSource))
    first_seen_on: date
    days_to_close: int


@dataclass(frozen=True)
class ResponseSpec:
    channel: str = field(metadata=demodata.choices(ResponseChannel))
    on: date
    summary: str  # what was said


@dataclass(frozen=True)
class IncidentSpec:
    topic: str
    source: str = field(metadata=demodata.choices(IncidentSource))
    first_seen_on: date
    kind: str = field(default=IncidentKind.OPINION, metadata=demodata.choices(IncidentKind))
    level: str = field(default=IncidentLevel.ORDINARY, metadata=demodata.choices(IncidentLevel))
    description: str = ""
    response: tuple[ResponseSpec, ...] = ()
    closed_on: date | None = None
    handling: str = ""


@dataclass(frozen=True)
class ConferenceSpec:
    held_on: date
    topic: str
    speakers: str
    role: str = field(default=ConferenceRole.HELD, metadata=demodata.choices(ConferenceRole))
    principal_attended: bool = False
    venue: str = ""
    incident: str = ""  # topic of the incident it responded to


@dataclass(frozen=True)
class InterpretationSpec:
    policy: str  # the catalogue demo's title
    title: str
    form: str = field(metadata=demodata.choices(InterpretationForm))
    published_on: date | None = None  # None: the date of `item`
    item: str = ""  # the interpretation's own catalogue item, by title


@dataclass(frozen=True)
class ErrorSpec:
    token: str
    submitted: datetime
    error_type: str = field(metadata=demodata.choices(ErrorType))
    description: str
    page: str = ""
    contact: str = ""
    assign: bool = True
    reply: str = ""
    replied: datetime | None = None
    outcome: str = field(default="", metadata=demodata.choices(ErrorOutcome))
    closed_on: date | None = None


# The records themselves: demo_data/engagement.toml.
_DATA = demodata.read(__package__, "engagement.toml")
AGENCY: str = _DATA["agency"]
OFFICER: str = _DATA["officer"]
EDITOR: str = _DATA["editor"]
# 2018: 30 网络舆情 handled (the seed's figure), none answered publicly
OPINIONS_2018 = demodata.records(_DATA, "opinion_2018", OpinionSpec)
OPINION_2018_HANDLING: str = _DATA["opinion_2018_handling"]
# 2025–2026
INCIDENTS = demodata.records(_DATA, "incident", IncidentSpec)
CONFERENCES = demodata.records(_DATA, "conference", ConferenceSpec)
INTERPRETATIONS = demodata.records(_DATA, "interpretation", InterpretationSpec)
ERROR_REPORTS = demodata.records(_DATA, "error_report", ErrorSpec)


Progress = Callable[[str], None]


def demo_size() -> int:
    return (
        len(OPINIONS_2018)
        + len(INCIDENTS)
        + len(CONFERENCES)
        + len(INTERPRETATIONS)
        + len(ERROR_REPORTS)
    )


@transaction.atomic
def load_engagement_demo(*, progress: Progress | None = None) -> Counter:
    """Create the demo records; leave what exists alone. Needs the core (and, for the
    interpretations, the catalogue) demo first."""
    step = progress or (lambda label: None)
    created: Counter = Counter()
    agency = Agency.objects.filter(slug=AGENCY).first()
    if agency is None:
        raise RuntimeError("Load the core demo first (missing agency liuheng).")
    users = {u.username: u for u in User.objects.filter(username__in=[OFFICER, EDITOR])}
    officer = users.get(OFFICER)
    editor = users.get(EDITOR, officer)
    today = timezone.localdate()
    existing = set(Incident.objects.filter(agency=agency).values_list("topic", "first_seen_on"))
    for opinion in OPINIONS_2018:
        if (opinion.topic, opinion.first_seen_on) not in existing:
            incident = services.incident_create(
                actor=None,
                agency=agency,
                topic=opinion.topic,
                source=opinion.source,
                first_seen_on=opinion.first_seen_on,
                description=opinion.topic + "。",
            )
            services.incident_close(
                actor=None,
                incident=incident,
                closed_on=opinion.first_seen_on + timedelta(days=opinion.days_to_close),
                handling=OPINION_2018_HANDLING,
            )
            created["incidents"] += 1
        step(opinion.topic)
    incidents = {}
    for spec in INCIDENTS:
        if spec.first_seen_on > today:
            continue
        found = Incident.objects.filter(
            agency=agency, topic=spec.topic, first_seen_on=spec.first_seen_on
        ).first()
        if found is None:
            found = _load_incident(agency, spec, editor, today)
            created["incidents"] += 1
        incidents[spec.topic] = found
        step(spec.topic)
    for spec in CONFERENCES:
        if (
            spec.held_on <= today
            and not PressConference.objects.filter(
                agency=agency, topic=spec.topic, held_on=spec.held_on
            ).exists()
        ):
            services.conference_create(
                actor=None,
                agency=agency,
                held_on=spec.held_on,
                topic=spec.topic,
                speakers=spec.speakers,
                role=spec.role,
                principal_attended=spec.principal_attended,
                venue=spec.venue,
                incident=incidents.get(spec.incident),
            )
            created["conferences"] += 1
        step(spec.topic)
    for spec in INTERPRETATIONS:
        if _load_interpretation(agency, spec, today):
            created["interpretations"] += 1
        step(spec.title)
    for spec in ERROR_REPORTS:
        if spec.submitted <= timezone.now() and _load_error_report(agency, spec, officer, editor):
            created["error_reports"] += 1
        step(spec.token)
    return created


def _load_incident(agency: Agency, spec: IncidentSpec, actor: User | None, today: date):
    incident = services.incident_create(
        actor=None,
        agency=agency,
        topic=spec.topic,
        source=spec.source,
        first_seen_on=spec.first_seen_on,
        kind=spec.kind,
        level=spec.level,
        description=spec.description,
    )
    for response in spec.response:
        if response.on <= today:
            services.incident_respond(
                actor=None,
                incident=incident,
                channel=response.channel,
                responded_on=response.on,
                summary=response.summary,
            )
    if spec.closed_on and spec.closed_on <= today:
        services.incident_close(
            actor=None, incident=incident, closed_on=spec.closed_on, handling=spec.handling
        )
    return incident


def _load_interpretation(agency: Agency, spec: InterpretationSpec, today: date) -> bool:
    if Interpretation.objects.filter(agency=agency, title=spec.title).exists():
        return False
    policy = Item.objects.filter(agency=agency, title=spec.policy).first()
    item = Item.objects.filter(agency=agency, title=spec.item).first() if spec.item else None
    if policy is None or (spec.item and (item is None or item.published_at is None)):
        return False  # the catalogue demo is not loaded
    if spec.published_on and spec.published_on > today:
        return False
    services.interpretation_create(
        actor=None,
        agency=agency,
        policy=policy,
        form=spec.form,
        title=spec.title,
        item=item,
        published_on=spec.published_on,
    )
    return True


def _load_error_report(agency: Agency, spec: ErrorSpec, officer, editor) -> bool:
    if ErrorReport.objects.filter(agency=agency, submission_token=spec.token).exists():
        return False
    report = services.error_report_submit(
        agency=agency,
        error_type=spec.error_type,
        description=spec.description,
        page_url=spec.page,
        contact=spec.contact,
        submission_token=spec.token,
        actor=officer,
        submitted_at=spec.submitted,
    ).report
    if spec.assign and editor is not None:
        report = services.error_report_assign(actor=None, report=report, assignee=editor)
    if spec.reply and spec.replied and spec.replied <= timezone.now():
        report = services.error_report_reply(
            actor=None, report=report, reply=spec.reply, replied_at=spec.replied
        )
        if spec.outcome and spec.closed_on:
            services.error_report_close(
                actor=None, report=report, outcome=spec.outcome, closed_on=spec.closed_on
            )
    return True


def run_demo(out) -> None:
    """The engagement's part of `gongkai demo` (registered in apps.py; core/demos.py)."""
    with out.progress(gettext("Responses and error reports"), demo_size()) as advance:
        engagement = load_engagement_demo(progress=advance)
    out.print(
        gettext("Responses and error reports: %(n)d records created.")
        % {"n": sum(engagement.values())}
    )
