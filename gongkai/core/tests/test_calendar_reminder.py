"""From 1 November, the desks remind staff to enter next year's holiday schedule while it is missing."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkai.core import selectors, services
from gongkai.core.models import CalendarYear, Role
from gongkai.core.tests.factories import UserFactory

D = date.fromisoformat
TZ = ZoneInfo("Asia/Shanghai")
STAFF_HOME = reverse("core:staff-home")
CALENDAR_LINK = f'href="{reverse("core:calendar")}#notice"'
FICTIONAL_2027 = (
    (Path(__file__).parent / "notices" / "fictional-2027.txt")
    .read_text(encoding="utf-8")
    .split("\n", 1)[1]
)


def at(*args) -> time_machine.travel:
    return time_machine.travel(datetime(*args, tzinfo=TZ), tick=False)


@pytest.fixture(autouse=True)
def no_2027(db):
    # a newer chinesecalendar may hold 2027; here it is missing until a test enters it
    CalendarYear.objects.filter(year=2027).delete()


# --- the selector ---------------------------------------------------------------------------


def test_nothing_before_november(db):
    assert selectors.missing_next_year_schedule(D("2026-10-31")) is None
    assert selectors.missing_next_year_schedule(D("2026-01-01")) is None


def test_next_year_from_the_first_of_november(db):
    assert selectors.missing_next_year_schedule(D("2026-11-01")) == 2027
    assert selectors.missing_next_year_schedule(D("2026-12-31")) == 2027


def test_an_incomplete_year_is_missing(db):
    CalendarYear.objects.create(year=2027, is_complete=False, source="待定")
    assert selectors.missing_next_year_schedule(D("2026-11-15")) == 2027


def test_nothing_once_next_year_is_complete(db):
    services.calendar_year_set_from_notice(actor=None, text=FICTIONAL_2027)
    assert selectors.missing_next_year_schedule(D("2026-11-15")) is None


def test_no_query_before_november(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.missing_next_year_schedule(D("2026-06-15")) is None


def test_the_date_is_shanghai_s():
    # 2026-10-31 17:30 UTC is already 1 November in Shanghai
    with at(2026, 11, 1, 1, 30):
        assert timezone.localdate() == D("2026-11-01")


# --- the desks --------------------------------------------------------------------------------


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def page(client, user, url) -> str:
    client.force_login(user)  # inside the travel: a session would not outlive it
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_administrator_home_shows_the_reminder_with_the_link(client, root):
    with at(2026, 11, 1, 0, 30):
        body = page(client, root, STAFF_HOME)
    assert 'class="notice calendar-reminder"' in body
    assert "2027" in body
    assert CALENDAR_LINK in body


def test_administrator_home_is_quiet_in_october(client, root):
    with at(2026, 10, 31, 23, 30):
        body = page(client, root, STAFF_HOME)
    assert "calendar-reminder" not in body


def test_administrator_home_is_quiet_once_the_year_is_entered(client, root):
    with at(2026, 11, 20, 9, 0):
        client.force_login(root)
        client.post(reverse("core:calendar"), {"text": FICTIONAL_2027, "action": "save"})
        body = page(client, root, STAFF_HOME)
    assert CalendarYear.objects.get(year=2027).is_complete
    assert "calendar-reminder" not in body


def test_officer_dashboard_shows_the_reminder_without_the_link(client, town, make_member):
    officer = make_member(town, Role.OFFICER)
    dashboard = reverse("operations:dashboard", kwargs={"agency": town.slug})
    with at(2026, 11, 2, 9, 0):
        body = page(client, officer, dashboard)
        home = page(client, officer, STAFF_HOME)
    assert 'class="notice calendar-reminder"' in body and "2027" in body
    assert CALENDAR_LINK not in body
    assert "calendar-reminder" not in home  # the staff home reminds the administrator only
    with at(2026, 10, 2, 9, 0):
        assert "calendar-reminder" not in page(client, officer, dashboard)
