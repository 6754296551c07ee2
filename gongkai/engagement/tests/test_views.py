"""Staff pages of 回应解读: lists (query counts pinned), create and edit through the services,
the figures page, the 同步 check page; another agency answers 404."""

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.engagement import services
from gongkai.engagement.models import Incident, Interpretation, PressConference
from gongkai.engagement.taxonomy import IncidentStatus, ResponseChannel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-06-30 10:00 +0800", tick=False):
        yield


def url(name, *args):
    return reverse(f"engagement:{name}", args=["liuheng", *args])


@pytest.fixture
def officer_client(people):
    client = Client()
    client.force_login(people.officer)
    return client


def incident(agency, topic="网传停水", **fields):
    return services.incident_create(
        actor=None,
        agency=agency,
        topic=topic,
        source="wechat",
        first_seen_on=fields.pop("first_seen_on", date(2026, 3, 2)),
        **fields,
    )


def test_incident_list_queries_do_not_grow(town, officer_client, django_assert_max_num_queries):
    for n in range(25):
        found = incident(town, topic=f"舆情{n}")
        services.incident_respond(
            actor=None,
            incident=found,
            channel=ResponseChannel.WEIBO,
            responded_on=date(2026, 3, 3),
            summary="回应",
        )
    with django_assert_max_num_queries(12):
        response = officer_client.get(url("incident-list"))
    assert response.status_code == 200
    assert response.content.decode().count("舆情") >= 25


def test_create_respond_close_through_pages(town, officer_client):
    response = officer_client.post(
        url("incident-create"),
        {
            "kind": "opinion",
            "topic": "网传码头停航",
            "source": "wechat",
            "first_seen_on": "2026-06-01",
            "level": "ordinary",
            "description": "",
            "handling": "",
        },
    )
    assert response.status_code == 302
    created = Incident.objects.get()
    detail = url("incident-detail", created.pk)
    assert response["Location"] == detail
    response = officer_client.post(
        detail + "respond/",
        {"channel": "wechat", "responded_on": "2026-06-02", "summary": "辟谣"},
    )
    assert response.status_code == 302
    response = officer_client.post(
        detail + "close/", {"closed_on": "2026-06-03", "handling": "已平息"}
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == IncidentStatus.CLOSED
    page = officer_client.get(detail).content.decode()
    assert "辟谣" in page and 'data-status="closed"' in page


def test_bad_input_is_shown_not_lost(town, officer_client):
    response = officer_client.post(
        url("incident-create"),
        {
            "kind": "opinion",
            "topic": "未来的舆情",
            "source": "wechat",
            "first_seen_on": "2026-07-30",
            "level": "ordinary",
        },
    )
    assert response.status_code == 400
    assert "未来的舆情" in response.content.decode()
    assert not Incident.objects.exists()


def test_illegal_move_answers_with_a_message(town, officer_client):
    found = incident(town)
    services.incident_close(actor=None, incident=found, handling="处置")
    response = officer_client.post(
        url("incident-detail", found.pk) + "respond/",
        {"channel": "wechat", "responded_on": "2026-06-02", "summary": "x"},
    )
    assert response.status_code == 400


def test_reviewer_reads_but_cannot_write(town, people):
    reviewer = Client()
    reviewer.force_login(people.reviewer)
    assert reviewer.get(url("incident-list")).status_code == 200
    assert reviewer.get(url("incident-create")).status_code == 403


def test_outsider_gets_404_everywhere(town, people):
    found = incident(town)
    outsider = Client()
    outsider.force_login(people.outsider)
    for address in (
        url("overview"),
        url("incident-list"),
        url("incident-detail", found.pk),
        url("conference-list"),
        url("interpretation-list"),
        url("interpretation-check"),
        url("error-list"),
    ):
        assert outsider.get(address).status_code == 404, address


def test_conference_create_and_edit(town, officer_client, django_assert_max_num_queries):
    data = {
        "held_on": "2026-04-23",
        "topic": "防汛防台新闻发布会",
        "role": "held",
        "speakers": "镇长",
        "principal_attended": "on",
        "venue": "",
        "incident": "",
    }
    assert officer_client.post(url("conference-create"), data).status_code == 302
    conference = PressConference.objects.get()
    assert conference.principal_attended
    data["principal_attended"] = ""
    assert officer_client.post(url("conference-edit", conference.pk), data).status_code == 302
    conference.refresh_from_db()
    assert not conference.principal_attended
    for n in range(20):
        services.conference_create(
            actor=None, agency=town, held_on=date(2026, 5, 1), topic=f"会{n}", speakers="x"
        )
    with django_assert_max_num_queries(12):
        assert officer_client.get(url("conference-list")).status_code == 200


def test_interpretation_pages(town, officer_client, publish_item, django_assert_max_num_queries):
    policy = publish_item(town, "甲办法", published_on=date(2026, 3, 2))
    response = officer_client.get(url("interpretation-create") + f"?policy={policy.pk}")
    assert response.status_code == 200
    response = officer_client.post(
        url("interpretation-create"),
        {"policy": policy.pk, "form": "qa", "title": "甲办法问答", "published_on": "2026-03-03"},
    )
    assert response.status_code == 302
    assert Interpretation.objects.get().title == "甲办法问答"
    for n in range(10):
        services.interpretation_create(
            actor=None,
            agency=town,
            policy=publish_item(town, f"办法{n}", published_on=date(2026, 3, 2)),
            form="text",
            title=f"解读{n}",
            published_on=date(2026, 3, 20),
        )
    with django_assert_max_num_queries(12):
        assert officer_client.get(url("interpretation-list")).status_code == 200
    with django_assert_max_num_queries(16):
        page = officer_client.get(url("interpretation-check"))
    assert page.status_code == 200
    assert page.content.decode().count('class="flagged"') == 10  # 14 working days later


def test_overview_shows_the_seed_rows(town, officer_client):
    found = incident(town)
    services.incident_respond(
        actor=None,
        incident=found,
        channel=ResponseChannel.WECHAT,
        responded_on=date(2026, 3, 3),
        summary="回应",
    )
    page = officer_client.get(url("overview") + "?year=2026").content.decode()
    assert "3.微博微信回应事件数" in page
    assert '<tr data-row="weibo_wechat"><th scope="row">3.微博微信回应事件数</th><td>1</td>' in page
