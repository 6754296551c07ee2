"""Pasting the State Council's notice on /staff/calendar/: preview, save, errors, permission."""

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.core import selectors, services
from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear, DayKind, Role
from gongkai.core.notice import NoticeError
from gongkai.core.tests.factories import UserFactory

D = date.fromisoformat
NOTICES = Path(__file__).parent / "notices"
URL = reverse("core:calendar")


def notice_text(name: str) -> str:
    return (NOTICES / name).read_text(encoding="utf-8").split("\n", 1)[1]


FICTIONAL_2027 = notice_text("fictional-2027.txt")


@pytest.fixture(autouse=True)
def frozen_clock():
    """Saving stamps the audit trail and the year: the clock stands still, in late November."""
    with time_machine.travel(
        datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


@pytest.fixture(autouse=True)
def no_2027(db):
    # a newer chinesecalendar may hold 2027; these tests enter it themselves
    CalendarYear.objects.filter(year=2027).delete()


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def root_client(client, root):
    client.force_login(root)
    return client


def assert_2027_not_saved():
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEvent.objects.filter(verb="calendar.year_set").exists()


def test_the_paste_field_is_shown_to_the_platform_administrator(root_client):
    page = root_client.get(URL).content.decode()
    assert 'name="text"' in page
    assert 'value="preview"' in page
    assert "csrfmiddlewaretoken" in page


def test_preview_shows_the_grid_and_saves_nothing(root_client):
    response = root_client.post(URL, {"text": FICTIONAL_2027, "action": "preview"})
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["preview"]["notice"].year == 2027
    # twelve month tables, Monday first
    assert page.count('<table class="month">') == 12
    months = response.context["preview"]["months"]
    assert [cell and cell["day"] for cell in months[1]["weeks"][1]] == [
        D("2027-02-08") + timedelta(days=i) for i in range(7)
    ]
    # marked by a class and by a text, not by colour alone
    off = re.search(
        r'<td class="day-off" data-date="2027-02-08">8<abbr title="([^"]+)">([^<]+)</abbr>', page
    )
    assert off and "春节" in off.group(1) and off.group(2).strip()
    work = re.search(
        r'<td class="day-work" data-date="2027-02-20">20<abbr title="([^"]+)">([^<]+)</abbr>', page
    )
    assert work and "春节" in work.group(1) and work.group(2).strip()
    assert work.group(2) != off.group(2)
    assert "2027-04-05" in page and "清明节" in page
    # the save form posts the same text again
    assert 'value="save"' in page
    assert response.context["notice_form"].cleaned_data["text"] == FICTIONAL_2027.strip()
    assert_2027_not_saved()


def test_preview_of_a_year_already_entered_says_it_replaces_it(root_client):
    response = root_client.post(URL, {"text": notice_text("2026.txt"), "action": "preview"})
    assert response.context["preview"]["existing"].year == 2026
    assert "chinesecalendar" in response.content.decode()


def test_save_stores_the_year_and_audits_it(root_client, root):
    response = root_client.post(URL, {"text": FICTIONAL_2027, "action": "save"})
    assert response.status_code == 302
    assert response.url == URL
    year = CalendarYear.objects.get(year=2027)
    assert year.is_complete
    assert year.source == services.NOTICE_PASTE_SOURCE
    assert list(year.days.filter(kind=DayKind.WORKDAY).values_list("date", "name")) == [
        (D("2027-02-20"), "春节")
    ]
    assert year.days.filter(kind=DayKind.HOLIDAY).count() == 7
    assert CalendarDay.objects.get(date=D("2026-12-31")).kind == DayKind.HOLIDAY
    events = AuditEvent.objects.filter(verb="calendar.year_set")
    assert {e.object_repr for e in events} == {"2026", "2027"}
    assert all(e.actor == root for e in events)
    page = root_client.get(URL).content.decode()
    assert "2027" in page  # the success message and the year in the table
    assert selectors.current_work_calendar().is_workday(D("2027-02-20"))


def test_malformed_text_shows_the_error_and_saves_nothing(root_client):
    bad = FICTIONAL_2027.replace("2月6日（周六）", "2月6日（周五）")
    for action in ("preview", "save"):
        response = root_client.post(URL, {"text": bad, "action": action})
        assert response.status_code == 200
        errors = response.context["notice_form"].errors["text"]
        assert any("二、春节" in e and "2027-02-06" in e for e in errors)
        assert "二、春节" in response.content.decode()
        assert response.context["preview"] is None
    assert_2027_not_saved()


def test_text_without_a_title_is_refused(root_client):
    response = root_client.post(URL, {"text": "一、元旦：1月1日放假。", "action": "save"})
    assert response.status_code == 200
    assert "YYYY" in " ".join(response.context["notice_form"].errors["text"])


def test_a_save_the_service_refuses_shows_the_error(root_client):
    CalendarYear.objects.filter(year=2026).delete()
    response = root_client.post(URL, {"text": FICTIONAL_2027, "action": "save"})
    assert response.status_code == 200
    assert "2026" in " ".join(response.context["notice_form"].non_field_errors())
    assert_2027_not_saved()


def test_staff_without_the_permission_get_403(client, agency_tree, make_member):
    for role in (Role.OFFICER, Role.AGENCY_ADMIN):
        user = make_member(agency_tree["town"], role)
        client.force_login(user)
        page = client.get(URL)
        assert page.status_code == 200
        assert 'name="text"' not in page.content.decode()
        for action in ("preview", "save"):
            response = client.post(URL, {"text": FICTIONAL_2027, "action": action})
            assert response.status_code == 403
    assert_2027_not_saved()


def test_csrf_stays_on(root):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(root)
    response = client.post(URL, {"text": FICTIONAL_2027, "action": "save"})
    assert response.status_code == 403
    assert_2027_not_saved()


def test_the_service_checks_the_actor(agency_tree, make_member):
    officer = make_member(agency_tree["town"], Role.OFFICER)
    with pytest.raises(PermissionDenied):
        services.calendar_year_set_from_notice(actor=officer, text=FICTIONAL_2027)
    with pytest.raises(NoticeError):
        services.calendar_year_set_from_notice(actor=None, text="")
    CalendarYear.objects.filter(year=2026).delete()
    with pytest.raises(ValidationError):
        services.calendar_year_set_from_notice(actor=None, text=FICTIONAL_2027)
    assert_2027_not_saved()
