"""Press conferences and policy interpretations: services, counts, the 同步 check, tenancy."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalogue.taxonomy import Genre
from gongkai.core.models import AuditEvent
from gongkai.core.selectors import current_work_calendar
from gongkai.engagement import selectors, services
from gongkai.engagement.taxonomy import ConferenceRole, InterpretationForm

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
POLICY = "六横镇人民政府关于印发《六横镇临时救助实施办法》的通知"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-06-30 10:00 +0800", tick=False):
        yield


def conference(agency, actor=None, **fields):
    fields.setdefault("held_on", date(2026, 4, 23))
    fields.setdefault("topic", "防汛防台新闻发布会")
    fields.setdefault("speakers", "镇长")
    return services.conference_create(actor=actor, agency=agency, **fields)


def test_conference_counts(town, other_town, people):
    conference(town, people.officer, principal_attended=True)
    conference(town, people.editor, role=ConferenceRole.ATTENDED, topic="区发布会")
    conference(town, held_on=date(2025, 12, 30))
    conference(other_town, principal_attended=True)
    assert selectors.press_conferences(town, *YEAR) == 2
    assert selectors.principal_press_conferences(town, *YEAR) == 1
    assert AuditEvent.objects.filter(verb="conference.create", agency=town).count() == 3


def test_conference_permissions_and_incident_of_another_agency(town, other_town, people):
    with pytest.raises(PermissionDenied):
        conference(town, people.reviewer)
    theirs = services.incident_create(
        actor=None, agency=other_town, topic="x", source="weibo", first_seen_on=date(2026, 4, 1)
    )
    with pytest.raises(ValidationError) as info:
        conference(town, people.officer, incident=theirs)
    assert "incident" in info.value.message_dict


def test_conference_update(town, people):
    held = conference(town, people.officer)
    services.conference_update(
        actor=people.editor, conference=held, data={"principal_attended": True}
    )
    assert selectors.principal_press_conferences(town, *YEAR) == 1
    event = AuditEvent.objects.get(verb="conference.update")
    assert event.after == {"principal_attended": True}


def test_interpretation_takes_title_and_date_from_its_item(town, people, publish_item):
    policy = publish_item(town, POLICY, published_on=date(2026, 2, 24))
    own = publish_item(
        town, "《临时救助实施办法》解读", Genre.INTERPRETATION, published_on=date(2026, 2, 24)
    )
    made = services.interpretation_create(
        actor=people.editor, agency=town, policy=policy, form=InterpretationForm.TEXT, item=own
    )
    assert (made.title, made.published_on) == ("《临时救助实施办法》解读", date(2026, 2, 24))
    assert selectors.interpretations_published(town, *YEAR) == 1


def test_interpretation_of_another_agencys_policy_is_refused(
    town, other_town, people, publish_item
):
    theirs = publish_item(other_town, "桃花镇规范性文件")
    with pytest.raises(ValidationError) as info:
        services.interpretation_create(
            actor=people.officer,
            agency=town,
            policy=theirs,
            form=InterpretationForm.QA,
            title="问答",
            published_on=date(2026, 3, 3),
        )
    assert "policy" in info.value.message_dict


def test_interpretation_needs_a_date_without_an_item(town, people, publish_item):
    policy = publish_item(town, POLICY)
    with pytest.raises(ValidationError):
        services.interpretation_create(
            actor=people.officer, agency=town, policy=policy, form="text", title="解读"
        )
    with pytest.raises(PermissionDenied):
        services.interpretation_create(
            actor=people.outsider,
            agency=town,
            policy=policy,
            form="text",
            title="解读",
            published_on=date(2026, 3, 3),
        )


def test_sync_check_shows_gap_in_working_days(town, people, publish_item):
    # 2026-02-24 (Tue) published; 2026-02-26 is 2 working days later (in time);
    # 2026-03-06 is 9 working days later (late: Saturday 02-28 is a Spring Festival make-up
    # workday); the third policy has none.
    in_time = publish_item(town, "甲办法", published_on=date(2026, 2, 24))
    late = publish_item(town, "乙办法", published_on=date(2026, 2, 24))
    publish_item(town, "丙办法", published_on=date(2026, 3, 2))
    publish_item(town, "丁通知", Genre.OTHER_DOCUMENT)  # not normative: not checked
    for policy, day in ((in_time, date(2026, 2, 26)), (late, date(2026, 3, 6))):
        services.interpretation_create(
            actor=None, agency=town, policy=policy, form="graphic", title="解读", published_on=day
        )
    checks = {
        c.policy.title: c
        for c in selectors.normative_interpretation_checks(
            people.officer, agency=town, calendar=current_work_calendar()
        )
    }
    assert set(checks) == {"甲办法", "乙办法", "丙办法"}
    assert (checks["甲办法"].gap_workdays, checks["甲办法"].late) == (2, False)
    assert (checks["乙办法"].gap_workdays, checks["乙办法"].late) == (9, True)
    assert (checks["丙办法"].interpreted, checks["丙办法"].late) == (False, True)
    assert (
        selectors.normative_interpretation_checks(
            people.outsider, agency=town, calendar=current_work_calendar()
        )
        == []
    )


def test_same_day_interpretation_has_gap_zero(town, publish_item, people):
    policy = publish_item(town, "戊办法", published_on=date(2026, 3, 2))
    services.interpretation_create(
        actor=None,
        agency=town,
        policy=policy,
        form="video",
        title="视频",
        published_on=date(2026, 3, 2),
    )
    [check] = selectors.normative_interpretation_checks(
        people.officer, agency=town, calendar=current_work_calendar()
    )
    assert (check.gap_workdays, check.late) == (0, False)


def test_interpretation_tenancy(town, other_town, people, publish_item):
    mine = services.interpretation_create(
        actor=None,
        agency=town,
        policy=publish_item(town, "甲"),
        form="text",
        title="甲解读",
        published_on=date(2026, 3, 3),
    )
    services.interpretation_create(
        actor=None,
        agency=other_town,
        policy=publish_item(other_town, "乙"),
        form="text",
        title="乙解读",
        published_on=date(2026, 3, 3),
    )
    assert list(selectors.interpretations_visible_to(people.officer)) == [mine]
    assert selectors.interpretations_visible_to(people.supervisor).count() == 2
