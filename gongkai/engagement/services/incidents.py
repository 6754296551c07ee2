"""Writes of 回应解读: incidents (热点与舆情) and their responses, press conferences, policy
interpretations. Keyword-only, permission-checked, audited in the same transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue.models import Item
from gongkai.core.audit import audit_record, changed_fields, snapshot
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.engagement.services.common import (
    CONFERENCE_FIELDS,
    INCIDENT_FIELDS,
    INTERPRETATION_FIELDS,
    _not_future,
    _save,
    _unknown,
    today,
)

from .. import permissions
from ..models import (
    Incident,
    IncidentResponse,
    Interpretation,
    PressConference,
)
from ..workflow import INCIDENTS, IncidentAction

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
