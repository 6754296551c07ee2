"""Writes of 回应解读 and 找错. Keyword-only, permission-checked, audited in the same transaction.

A public 找错 report has no actor; everything else is done by staff (or by the demo loader and
tests with `actor=None`, which skips the permission check as in the other apps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai import privacy
from gongkai.catalogue.models import Item
from gongkai.catalogue.services import WorkflowError as CatalogueWorkflowError
from gongkai.core import codes, intake, throttle
from gongkai.core.audit import audit_record, changed_fields, snapshot
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.core.sequences import next_value

from . import permissions
from .models import (
    ErrorReport,
    ErrorReportSequence,
    Incident,
    IncidentResponse,
    Interpretation,
    PressConference,
)
from .taxonomy import ErrorOutcome, ErrorType
from .workflow import ERROR_REPORTS, INCIDENTS, ErrorAction, IncidentAction

REFERENCE_PATTERN = "ZC-{year:04d}-{serial:04d}"
CHECK_CODE_PURPOSE = "engagement.check-code"  # the hashes' key salt: do not change
CHECK_CODE = intake.LookupCode(purpose=CHECK_CODE_PURPOSE, field="check_code_hash")
REPORTS_PER_IP_PER_HOUR = 5
LOOKUP_FAILURES_PER_HOUR = 10
SUBMIT_RATE = throttle.Rate(
    scope="engagement.submit",
    limit=REPORTS_PER_IP_PER_HOUR,
    window=timedelta(hours=1),
    message=gettext_lazy("Too many reports from this network in the last hour; try again later."),
)
LOOKUP_RATE = throttle.Rate(
    scope="engagement.lookup",
    limit=LOOKUP_FAILURES_PER_HOUR,
    window=timedelta(hours=1),
    message=gettext_lazy(
        "Too many unsuccessful look-ups from this network in the last hour; try again later."
    ),
)
DESCRIPTION_MAX = 2000

INCIDENT_FIELDS = frozenset(
    {"kind", "topic", "source", "first_seen_on", "level", "description", "handling"}
)
CONFERENCE_FIELDS = frozenset(
    {"held_on", "topic", "role", "speakers", "principal_attended", "venue", "incident"}
)
INTERPRETATION_FIELDS = frozenset({"policy", "item", "title", "form", "published_on", "url"})


class WorkflowError(CatalogueWorkflowError):
    """A move the transitions table does not allow from the record's current status (the
    catalogue's kind of error, so that the API answers it with 409 like the catalogue's)."""


# One limiter for every public submission and look-up (gongkai.core.throttle).
RateLimited = throttle.RateLimited


def today() -> date:
    return timezone.localdate()


def _not_future(value: date | None, field: str) -> None:
    if value is not None and value > today():
        raise ValidationError({field: _("The date cannot be in the future.")}, code="date")


def _unknown(data: dict, allowed: frozenset) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))


def _save(obj, **clean) -> None:
    obj.full_clean(**clean)
    obj.save()


# --- incidents (热点与舆情) ----------------------------------------------------------------


def _locked_incident(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=incident.pk)
    )


def _check_incident(incident: Incident) -> None:
    _not_future(incident.first_seen_on, "first_seen_on")
    if incident.closed_on and incident.closed_on < incident.first_seen_on:
        raise ValidationError(
            {"closed_on": _("An incident cannot be closed before it was first seen.")}
        )


def _incident_move(
    *, actor: User | None, incident: Incident, action: IncidentAction, extra: dict | None = None
) -> None:
    """The one guarded move: apply the machine to a locked incident and audit it (the
    permission was checked by the service, where its refusals come in order)."""
    INCIDENTS.apply(incident, action, actor=actor, after=extra, check_permission=False)


@transaction.atomic
def incident_create(
    *,
    actor: User | None,
    agency: Agency,
    topic: str,
    source: str,
    first_seen_on: date,
    kind: str = "opinion",
    level: str = "ordinary",
    description: str = "",
    handling: str = "",
) -> Incident:
    if actor is not None:
        require(permissions.can_record_engagement(actor, agency))
    incident = Incident(
        agency=agency,
        kind=kind,
        topic=topic,
        source=source,
        first_seen_on=first_seen_on,
        level=level,
        description=description,
        handling=handling,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _check_incident(incident)
    _save(incident)
    audit_record(
        actor=actor, verb="incident.create", obj=incident, agency=agency, after=snapshot(incident)
    )
    return incident


@transaction.atomic
def incident_update(*, actor: User | None, incident: Incident, data: dict) -> Incident:
    incident = _locked_incident(incident)
    if actor is not None:
        require(permissions.can_record_engagement(actor, incident.agency))
    _unknown(data, INCIDENT_FIELDS)
    before = snapshot(incident)
    for name, value in data.items():
        setattr(incident, name, value)
    if incident.responses.filter(responded_on__lt=incident.first_seen_on).exists():
        raise ValidationError(
            {"first_seen_on": _("A response recorded for this incident is earlier than that.")}
        )
    _check_incident(incident)
    _save(incident)
    old, new = changed_fields(before, snapshot(incident))
    if new:
        audit_record(
            actor=actor,
            verb="incident.update",
            obj=incident,
            agency=incident.agency,
            before=old,
            after=new,
        )
    return incident


@transaction.atomic
def incident_respond(
    *,
    actor: User | None,
    incident: Incident,
    channel: str,
    responded_on: date,
    summary: str,
    url: str = "",
) -> IncidentResponse:
    """Record a public response (what, when, where); the incident becomes 已回应."""
    incident = _locked_incident(incident)
    if actor is not None:
        INCIDENTS.require(actor, incident, IncidentAction.RESPOND)
    response = IncidentResponse(
        incident=incident,
        channel=channel,
        responded_on=responded_on,
        summary=summary,
        url=url,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _not_future(responded_on, "responded_on")
    if responded_on < incident.first_seen_on:
        raise ValidationError(
            {"responded_on": _("The response cannot precede the day the incident was first seen.")}
        )
    response.full_clean(exclude=["incident"])
    _incident_move(
        actor=actor,
        incident=incident,
        action=IncidentAction.RESPOND,
        extra={"channel": channel, "responded_on": responded_on},
    )
    response.save()
    audit_record(
        actor=actor,
        verb="incident.response_add",
        obj=response,
        agency=incident.agency,
        after=snapshot(response),
    )
    return response


@transaction.atomic
def incident_close(
    *, actor: User | None, incident: Incident, closed_on: date | None = None, handling: str = ""
) -> Incident:
    """办结: the incident is dealt with (with or without a public response)."""
    incident = _locked_incident(incident)
    if actor is not None:
        INCIDENTS.require(actor, incident, IncidentAction.CLOSE)
    closed_on = closed_on or today()
    if handling:
        incident.handling = handling
    if not incident.handling.strip():
        raise ValidationError({"handling": _("Say how the incident was handled.")})
    incident.closed_on = closed_on
    _check_incident(incident)
    last = incident.responses.order_by("-responded_on").values_list("responded_on", flat=True)
    if last and last[0] > closed_on:
        raise ValidationError(
            {"closed_on": _("A response was recorded after that date.")}, code="date"
        )
    _not_future(closed_on, "closed_on")
    _incident_move(
        actor=actor,
        incident=incident,
        action=IncidentAction.CLOSE,
        extra={"closed_on": closed_on},
    )
    return incident


@transaction.atomic
def incident_reopen(*, actor: User | None, incident: Incident) -> Incident:
    incident = _locked_incident(incident)
    if actor is not None:
        INCIDENTS.require(actor, incident, IncidentAction.REOPEN)
    incident.closed_on = None
    _incident_move(actor=actor, incident=incident, action=IncidentAction.REOPEN)
    if incident.responses.exists():
        # Reopened after a public response: back to 已回应, through the same table.
        _incident_move(actor=actor, incident=incident, action=IncidentAction.RESPOND)
    return incident


# --- press conferences -------------------------------------------------------------------


def _check_conference(conference: PressConference) -> None:
    _not_future(conference.held_on, "held_on")
    if conference.incident is not None and conference.incident.agency_id != conference.agency_id:
        raise ValidationError({"incident": _("The incident belongs to another agency.")})
    conference.full_clean()


@transaction.atomic
def conference_create(
    *,
    actor: User | None,
    agency: Agency,
    held_on: date,
    topic: str,
    speakers: str,
    role: str = "held",
    principal_attended: bool = False,
    venue: str = "",
    incident: Incident | None = None,
) -> PressConference:
    if actor is not None:
        require(permissions.can_record_engagement(actor, agency))
    conference = PressConference(
        agency=agency,
        held_on=held_on,
        topic=topic,
        speakers=speakers,
        role=role,
        principal_attended=principal_attended,
        venue=venue,
        incident=incident,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _check_conference(conference)
    conference.save()
    audit_record(
        actor=actor,
        verb="conference.create",
        obj=conference,
        agency=agency,
        after=snapshot(conference),
    )
    return conference


@transaction.atomic
def conference_update(
    *, actor: User | None, conference: PressConference, data: dict
) -> PressConference:
    conference = PressConference.objects.select_for_update(of=("self",)).get(pk=conference.pk)
    if actor is not None:
        require(permissions.can_record_engagement(actor, conference.agency))
    _unknown(data, CONFERENCE_FIELDS)
    before = snapshot(conference)
    for name, value in data.items():
        setattr(conference, name, value)
    _check_conference(conference)
    conference.save()
    old, new = changed_fields(before, snapshot(conference))
    if new:
        audit_record(
            actor=actor,
            verb="conference.update",
            obj=conference,
            agency=conference.agency,
            before=old,
            after=new,
        )
    return conference


# --- policy interpretations --------------------------------------------------------------


def _check_interpretation(interpretation: Interpretation) -> None:
    errors: dict[str, list[str]] = {}
    agency_id = interpretation.agency_id
    if interpretation.policy_id and interpretation.policy.agency_id != agency_id:
        errors["policy"] = [_("The policy belongs to another agency.")]
    item = interpretation.item
    if item is not None:
        if item.agency_id != agency_id:
            errors["item"] = [_("The item belongs to another agency.")]
        elif item.pk == interpretation.policy_id:
            errors["item"] = [_("An interpretation cannot be the policy it interprets.")]
    if errors:
        raise ValidationError(errors)
    if item is not None and item.published_at is not None and not interpretation.published_on:
        interpretation.published_on = timezone.localdate(item.published_at)
    if not interpretation.title and item is not None:
        interpretation.title = item.title
    _not_future(interpretation.published_on, "published_on")
    interpretation.full_clean()


@transaction.atomic
def interpretation_create(
    *,
    actor: User | None,
    agency: Agency,
    policy: Item,
    form: str,
    published_on: date | None = None,
    title: str = "",
    item: Item | None = None,
    url: str = "",
) -> Interpretation:
    """Record a 政策解读 of `policy`. Linked to its own catalogue item, it takes the item's
    title and publication date unless they are given."""
    if actor is not None:
        require(permissions.can_record_engagement(actor, agency))
    interpretation = Interpretation(
        agency=agency,
        policy=policy,
        item=item,
        title=title,
        form=form,
        # None until _check_interpretation takes the item's date (or full_clean refuses it)
        published_on=published_on,  # type: ignore[misc]
        url=url,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _check_interpretation(interpretation)
    interpretation.save()
    audit_record(
        actor=actor,
        verb="interpretation.create",
        obj=interpretation,
        agency=agency,
        after=snapshot(interpretation),
    )
    return interpretation


@transaction.atomic
def interpretation_update(
    *, actor: User | None, interpretation: Interpretation, data: dict
) -> Interpretation:
    interpretation = Interpretation.objects.select_for_update(of=("self",)).get(
        pk=interpretation.pk
    )
    if actor is not None:
        require(permissions.can_record_engagement(actor, interpretation.agency))
    _unknown(data, INTERPRETATION_FIELDS)
    before = snapshot(interpretation)
    for name, value in data.items():
        setattr(interpretation, name, value)
    _check_interpretation(interpretation)
    interpretation.save()
    old, new = changed_fields(before, snapshot(interpretation))
    if new:
        audit_record(
            actor=actor,
            verb="interpretation.update",
            obj=interpretation,
            agency=interpretation.agency,
            before=old,
            after=new,
        )
    return interpretation


# --- 我为政府网站找错 ---------------------------------------------------------------------


@dataclass
class Submitted:
    report: ErrorReport
    check_code: str  # shown once; "" when the same submission came again
    created: bool


def hash_ip(ip: str) -> str:
    return codes.hash_ip("engagement", ip)


def check_code_matches(report: ErrorReport, code: str) -> bool:
    return CHECK_CODE.matches(report, code)


@transaction.atomic
def error_report_status_lookup(
    *, agency: Agency, reference: str, code: str, ip: str = ""
) -> ErrorReport | None:
    """The reporter's own report, by its reference number and check code; None when they do
    not match (the same answer for both). Failures are counted by the public limiter: after
    LOOKUP_FAILURES_PER_HOUR from one address within an hour, every look-up from it is refused
    (RateLimited), so that check codes cannot be guessed."""
    from .selectors import public_error_report

    return intake.lookup(
        rate=LOOKUP_RATE,
        ip=ip,
        find=lambda: public_error_report(agency, reference),
        code=code,
        kind=CHECK_CODE,
    )


def masked_contact(value: str) -> str:
    """A reporter's contact as staff lists show it: personal data masked, never in clear."""
    value = (value or "").strip()
    if not value:
        return ""
    masked = privacy.mask(value)
    if masked != value:
        return masked
    keep = 1 if len(value) > 2 else 0
    return value[:keep] + "*" * (len(value) - 2 * keep) + (value[-keep:] if keep else "")


def _report_audit(report: ErrorReport) -> dict:
    values = snapshot(
        report, ["reference", "page_url", "error_type", "status", "assignee", "outcome"]
    )
    values["description"] = privacy.mask(report.description)
    values["contact"] = masked_contact(report.contact)
    return values


def _clean_report_input(page_url: str, error_type: str, description: str, contact: str) -> dict:
    errors: dict[str, list[str]] = {}
    page_url = (page_url or "").strip()
    if page_url:
        # Not URLValidator: intranet portals have host names without a top-level domain.
        parts = urlsplit(page_url)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or any(c.isspace() for c in page_url)
        ):
            errors["page_url"] = [_("Enter the full address of the page (http:// or https://).")]
        if len(page_url) > 500:
            errors["page_url"] = [_("The address is too long.")]
    if error_type not in ErrorType.values:
        errors["error_type"] = [_("Choose the type of error.")]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Describe the error.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [
            _("Keep the description under %(n)d characters.") % {"n": DESCRIPTION_MAX}
        ]
    contact = (contact or "").strip()
    if len(contact) > 100:
        errors["contact"] = [_("The contact is too long.")]
    if errors:
        raise ValidationError(errors)
    return {
        "page_url": page_url,
        "error_type": error_type,
        "description": description,
        "contact": contact,
    }


def error_report_submit(
    *,
    agency: Agency,
    error_type: str,
    description: str,
    page_url: str = "",
    contact: str = "",
    submission_token: str = "",
    ip: str = "",
    actor: User | None = None,
    submitted_at: datetime | None = None,
) -> Submitted:
    """Take a 找错 report. From the public (actor None): a per-network rate limit (a robot
    caught by the form's honeypot is answered by `error_report_decoy` instead); staff may
    register one received by telephone or e-mail, with its date. The same submission token
    twice gives the first report back (a double click, a reload)."""
    if actor is not None:
        require(permissions.can_handle_error_report(actor, agency))
    data = _clean_report_input(page_url, error_type, description, contact)
    submitted_before = ErrorReport.objects.filter(agency=agency)
    existing = intake.find_submitted(submitted_before, submission_token)
    if existing is not None:
        return _again(existing)
    ip_hash = hash_ip(ip)
    if actor is None:
        if submitted_at is not None:
            raise ValidationError(_("Only staff can register a report with an earlier date."))
        throttle.throttle_check(rate=SUBMIT_RATE, ip=ip)
    elif submitted_at is not None and submitted_at > timezone.now():
        raise ValidationError(_("The date cannot be in the future."), code="date")
    return intake.register_once(
        register=lambda: _register(
            agency=agency,
            data=data,
            token=submission_token,
            ip_hash=ip_hash,
            actor=actor,
            now=submitted_at or timezone.now(),
        ),
        queryset=submitted_before,
        token=submission_token,
        again=_again,
        rate=SUBMIT_RATE if actor is None else None,
        ip=ip,
    )


def _again(report: ErrorReport) -> Submitted:
    # The same submission token came again: the first report, its code not shown again.
    return Submitted(report, "", False)


def error_report_decoy(*, agency: Agency, ip: str = "") -> intake.Decoy:
    """The answer to a report that filled the form's honeypot (gongkai.core.intake): a
    reference number and a check code shaped like real ones, stored nowhere."""
    year = timezone.localdate().year
    return intake.decoy_answer(
        agency=agency,
        form="engagement.errorreport",
        ip=ip,
        number=lambda serial: REFERENCE_PATTERN.format(year=year, serial=serial),
    )


def _register(*, agency, data, token, ip_hash, actor, now) -> Submitted:
    year = timezone.localtime(now).year
    serial = next_value(ErrorReportSequence, agency=agency, year=year)
    report = ErrorReport(
        agency=agency,
        reference=REFERENCE_PATTERN.format(year=year, serial=serial),
        year=year,
        serial=serial,
        submitted_at=now,
        submission_token=token,
        submitter_ip_hash=ip_hash,
        registered_by=actor if actor is not None and actor.is_authenticated else None,
        **data,
    )
    report.save()
    code = CHECK_CODE.issue(report)
    audit_record(
        actor=actor,
        verb="error_report.submit",
        obj=report,
        agency=agency,
        after=_report_audit(report),
    )
    return Submitted(report, code, True)


def _locked_report(report: ErrorReport) -> ErrorReport:
    return (
        ErrorReport.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=report.pk)
    )


def _report_move(
    *, actor: User | None, report: ErrorReport, action: ErrorAction, extra: dict | None = None
) -> None:
    """The one guarded move of a 找错 report: the machine, then the audit event."""
    ERROR_REPORTS.apply(report, action, actor=actor, after=extra, check_permission=False)


@transaction.atomic
def error_report_assign(*, actor: User | None, report: ErrorReport, assignee: User) -> ErrorReport:
    report = _locked_report(report)
    if actor is not None:
        ERROR_REPORTS.require(actor, report, ErrorAction.ASSIGN)
    if not permissions.can_be_assigned_error_report(assignee, report.agency):
        raise ValidationError(
            {"assignee": _("This person holds no role at the agency that can take the report.")}
        )
    report.assignee = assignee
    _report_move(
        actor=actor, report=report, action=ErrorAction.ASSIGN, extra={"assignee": assignee.pk}
    )
    return report


@transaction.atomic
def error_report_reply(
    *, actor: User | None, report: ErrorReport, reply: str, replied_at: datetime | None = None
) -> ErrorReport:
    """Answer the reporter; the reply is what they read with the reference and check code."""
    report = _locked_report(report)
    if actor is not None:
        ERROR_REPORTS.require(actor, report, ErrorAction.REPLY)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Write the reply.")})
    replied_at = replied_at or timezone.now()
    if replied_at < report.submitted_at or replied_at > timezone.now():
        raise ValidationError({"reply": _("The reply date is not possible.")}, code="date")
    report.reply = reply
    report.replied_at = replied_at
    if report.assignee_id is None and actor is not None and actor.is_authenticated:
        report.assignee = actor
    _report_move(
        actor=actor, report=report, action=ErrorAction.REPLY, extra={"reply": privacy.mask(reply)}
    )
    return report


@transaction.atomic
def error_report_rework(*, actor: User | None, report: ErrorReport) -> ErrorReport:
    """Take a replied report back (the reply was wrong or incomplete); the reply stays visible
    until a new one replaces it."""
    report = _locked_report(report)
    if actor is not None:
        ERROR_REPORTS.require(actor, report, ErrorAction.REWORK)
    _report_move(actor=actor, report=report, action=ErrorAction.REWORK)
    return report


@transaction.atomic
def error_report_close(
    *,
    actor: User | None,
    report: ErrorReport,
    outcome: str,
    closed_on: date | None = None,
) -> ErrorReport:
    report = _locked_report(report)
    if actor is not None:
        ERROR_REPORTS.require(actor, report, ErrorAction.CLOSE)
    if outcome not in ErrorOutcome.values:
        raise ValidationError({"outcome": _("Choose how the report ended.")})
    closed_on = closed_on or today()
    _not_future(closed_on, "closed_on")
    if report.replied_at and closed_on < timezone.localdate(report.replied_at):
        raise ValidationError({"closed_on": _("A report cannot be closed before its reply.")})
    report.outcome = outcome
    report.closed_on = closed_on
    _report_move(
        actor=actor,
        report=report,
        action=ErrorAction.CLOSE,
        extra={"outcome": outcome, "closed_on": closed_on},
    )
    return report
