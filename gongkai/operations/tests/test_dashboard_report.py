"""The dashboard's annual report card: last year's report due by its date, or late."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from gongkai.reports.services import report_start, report_transition

TZ = ZoneInfo("Asia/Shanghai")


def _card(client, town, user):
    client.force_login(user)  # the session would not outlive the travels in time
    response = client.get(reverse("operations:dashboard", kwargs={"agency": town.slug}))
    card = next(c for c in response.context["d"].cards if c.key == "annual_report")
    return card.numbers[0], response.content.decode()


def test_the_card_shows_the_report_due_then_late_then_published(client, town, people):
    report_page = reverse("reports:report", kwargs={"agency": town.slug, "year": 2025})
    with time_machine.travel(datetime(2026, 1, 10, 9, 0, tzinfo=TZ), tick=False):
        number, body = _card(client, town, people.officer)
    assert number.key == "not_started" and number.url == report_page
    assert "2026-01-31" in number.value
    assert f'href="{report_page}"' in body
    with time_machine.travel(datetime(2026, 2, 1, 9, 0, tzinfo=TZ), tick=False):
        report = report_start(actor=people.officer, agency=town, year=2025, fmt="2021")
        number, body = _card(client, town, people.officer)
    assert number.key == "late" and "2026-01-31" in number.value and "2025" in number.label
    assert str(number.value) in body
    with time_machine.travel(datetime(2026, 2, 2, 9, 0, tzinfo=TZ), tick=False):
        report = report_transition(actor=people.officer, report=report, action="submit")
        report_transition(actor=people.head, report=report, action="publish")
        number, _body = _card(client, town, people.officer)
    assert number.key == "published"
