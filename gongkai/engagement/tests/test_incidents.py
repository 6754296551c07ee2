"""Incidents (热点与舆情) and their responses: services, the transitions table, counts, tenancy."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent
from gongkai.engagement import selectors, services
from gongkai.engagement.taxonomy import (
    IncidentKind,
    IncidentSource,
    IncidentStatus,
    ResponseChannel,
)
from gongkai.engagement.workflow import INCIDENTS, IncidentAction

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-06-30 10:00 +0800", tick=False):
        yield


def make(agency, actor=None, **fields):
    fields.setdefault("topic", "网传六横客运码头停航")
    fields.setdefault("source", IncidentSource.WECHAT)
    fields.setdefault("first_seen_on", date(2026, 3, 2))
    return services.incident_create(actor=actor, agency=agency, **fields)


def test_create_is_audited_and_open(town, people):
    incident = make(town, people.editor)
    assert incident.status == IncidentStatus.OPEN
    event = AuditEvent.objects.get(verb="incident.create")
    assert event.actor == people.editor and event.agency == town
    assert event.after["topic"] == "网传六横客运码头停航"


@pytest.mark.parametrize("who", ["reviewer", "outsider", "supervisor"])
def test_only_officer_and_editor_record(town, people, who):
    with pytest.raises(PermissionDenied):
        make(town, getattr(people, who))
    assert not AuditEvent.objects.filter(verb="incident.create").exists()


def test_future_first_seen_is_refused(town, people):
    with pytest.raises(ValidationError) as info:
        make(town, people.officer, first_seen_on=date(2026, 7, 1))
    assert "first_seen_on" in info.value.message_dict


def test_respond_then_close_follows_the_table(town, people):
    incident = make(town, people.officer)
    services.incident_respond(
        actor=people.officer,
        incident=incident,
        channel=ResponseChannel.WECHAT,
        responded_on=date(2026, 3, 3),
        summary="“六横发布”辟谣",
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESPONDED
    services.incident_close(
        actor=people.officer, incident=incident, closed_on=date(2026, 3, 5), handling="已平息"
    )
    incident.refresh_from_db()
    assert (incident.status, incident.closed_on) == (IncidentStatus.CLOSED, date(2026, 3, 5))
    verbs = list(
        AuditEvent.objects.filter(object_id=str(incident.pk), object_type="engagement.incident")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["incident.create", "incident.respond", "incident.close"]


def test_closed_incident_takes_no_response_and_cannot_close_twice(town, people):
    incident = make(town, people.officer)
    services.incident_close(actor=people.officer, incident=incident, handling="核实处置")
    with pytest.raises(services.WorkflowError):
        services.incident_respond(
            actor=people.officer,
            incident=incident,
            channel=ResponseChannel.WEBSITE,
            responded_on=date(2026, 3, 3),
            summary="说明",
        )
    with pytest.raises(services.WorkflowError):
        services.incident_close(actor=people.officer, incident=incident, handling="again")
    assert incident.responses.count() == 0


def test_close_needs_a_handling_note_and_a_date_after_the_responses(town, people):
    incident = make(town, people.officer)
    with pytest.raises(ValidationError):
        services.incident_close(actor=people.officer, incident=incident)
    services.incident_respond(
        actor=people.officer,
        incident=incident,
        channel=ResponseChannel.WEBSITE,
        responded_on=date(2026, 3, 10),
        summary="情况说明",
    )
    with pytest.raises(ValidationError):
        services.incident_close(
            actor=people.officer, incident=incident, closed_on=date(2026, 3, 9), handling="x"
        )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESPONDED


def test_response_before_first_seen_is_refused(town, people):
    incident = make(town, people.officer)
    with pytest.raises(ValidationError):
        services.incident_respond(
            actor=people.officer,
            incident=incident,
            channel=ResponseChannel.WEIBO,
            responded_on=date(2026, 3, 1),
            summary="x",
        )


def test_reopen_returns_to_responded_when_there_were_responses(town, people):
    incident = make(town, people.officer)
    services.incident_respond(
        actor=None,
        incident=incident,
        channel=ResponseChannel.WEIBO,
        responded_on=date(2026, 3, 3),
        summary="x",
    )
    services.incident_close(actor=None, incident=incident, handling="处置完毕")
    services.incident_reopen(actor=people.officer, incident=incident)
    incident.refresh_from_db()
    assert (incident.status, incident.closed_on) == (IncidentStatus.RESPONDED, None)


def test_transitions_table_is_the_whole_truth():
    assert INCIDENTS[IncidentAction.REOPEN].sources == frozenset({IncidentStatus.CLOSED})
    assert IncidentStatus.CLOSED not in INCIDENTS[IncidentAction.RESPOND].sources


def test_update_changes_fields_and_audits_only_changes(town, people):
    incident = make(town, people.officer)
    services.incident_update(
        actor=people.editor, incident=incident, data={"topic": "新话题", "level": "larger"}
    )
    event = AuditEvent.objects.get(verb="incident.update")
    assert event.after == {"topic": "新话题", "level": "larger"}
    with pytest.raises(ValidationError):
        services.incident_update(actor=people.editor, incident=incident, data={"status": "closed"})


def test_counts_for_a_period(town, other_town, people):
    handled = make(town, topic="A")
    services.incident_close(
        actor=None, incident=handled, closed_on=date(2026, 3, 4), handling="处置"
    )
    hot = make(town, topic="B", kind=IncidentKind.HOT_TOPIC)
    both = make(town, topic="C")
    for channel in (ResponseChannel.WEIBO, ResponseChannel.WECHAT, ResponseChannel.WEBSITE):
        services.incident_respond(
            actor=None,
            incident=both,
            channel=channel,
            responded_on=date(2026, 3, 5),
            summary="回应",
        )
    services.incident_respond(
        actor=None,
        incident=hot,
        channel=ResponseChannel.PRESS_CONFERENCE,
        responded_on=date(2026, 3, 6),
        summary="发布会回应",
    )
    old = make(town, topic="D", first_seen_on=date(2025, 12, 1))
    services.incident_respond(
        actor=None,
        incident=old,
        channel=ResponseChannel.WECHAT,
        responded_on=date(2025, 12, 2),
        summary="去年",
    )
    elsewhere = make(other_town, topic="E")
    services.incident_close(actor=None, incident=elsewhere, handling="x")

    assert selectors.incidents_handled(town, *YEAR) == 1
    assert selectors.hot_topics_responded(town, *YEAR) == 2  # C once despite 3 channels, B
    assert selectors.weibo_wechat_responses(town, *YEAR) == 1  # C once despite 微博 and 微信
    assert selectors.other_channel_responses(town, *YEAR) == 1  # C on the website; B not
    assert selectors.responses_per_channel(town, *YEAR) == {
        "weibo": 1,
        "wechat": 1,
        "website": 1,
        "press_conference": 1,
    }
    assert selectors.incidents_open(town) == 3  # B, C, D


def test_hot_topic_closed_does_not_count_as_opinion_handled(town):
    hot = make(town, kind=IncidentKind.HOT_TOPIC)
    services.incident_close(actor=None, incident=hot, handling="x")
    assert selectors.incidents_handled(town, *YEAR) == 0


def test_tenancy(town, other_town, people):
    mine = make(town, topic="六横")
    theirs = make(other_town, topic="桃花")
    assert list(selectors.incidents_visible_to(people.officer)) == [mine]
    assert list(selectors.incidents_visible_to(people.outsider)) == [theirs]
    assert set(selectors.incidents_visible_to(people.supervisor)) == {mine, theirs}
    assert selectors.incident_with_responses(people.outsider, agency=town, pk=mine.pk) is None
    with pytest.raises(PermissionDenied):
        services.incident_close(actor=people.outsider, incident=mine, handling="x")
