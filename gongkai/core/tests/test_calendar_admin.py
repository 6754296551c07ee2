"""Entering a year of the holiday schedule through the admin (CalendarYearAdmin)."""

from datetime import date

import pytest

from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear, DayKind, Role
from gongkai.core.tests.factories import UserFactory
from gongkai.core.workdays import CalendarYearMissing, add_workdays, is_workday

D = date.fromisoformat
ADD_URL = "/admin/core/calendaryear/add/"

# An invented 2027 schedule in the form's text format. 2027-01-01 is a Friday; the range
# 02-08 (Mon)..02-14 (Sun) contains a weekend, which the form drops; 02-20 is a Saturday.
HOLIDAYS_2027 = "2027-01-01 元旦\n\n2027-02-08..2027-02-14 春节\n"
WORKDAYS_2027 = "2027-02-20 春节"
NO_HOLIDAYS = "请填写该年的放假日期"


def change_url(year: int) -> str:
    return f"/admin/core/calendaryear/{CalendarYear.objects.get(year=year).pk}/change/"


@pytest.fixture
def root_client(client, db):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    client.user = root
    return client


def post_year(client, url=ADD_URL, **fields):
    data = {"year": "2027", "source": "测试安排", "holidays": HOLIDAYS_2027}
    data["workdays"] = WORKDAYS_2027
    data.update(fields)
    return client.post(url, data)


def form_errors(response) -> str:
    assert response.status_code == 200, "the form should be shown again with errors"
    form = response.context["adminform"].form
    assert form.errors
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def assert_nothing_saved():
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEvent.objects.filter(verb="calendar.year_set").exists()


def test_superuser_enters_a_year(root_client):
    response = post_year(root_client)
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert year.is_complete and year.source == "测试安排"
    stored = list(year.days.order_by("date").values_list("date", "kind", "name"))
    assert stored == [
        (D("2027-01-01"), DayKind.HOLIDAY, "元旦"),
        (D("2027-02-08"), DayKind.HOLIDAY, "春节"),
        (D("2027-02-09"), DayKind.HOLIDAY, "春节"),
        (D("2027-02-10"), DayKind.HOLIDAY, "春节"),
        (D("2027-02-11"), DayKind.HOLIDAY, "春节"),
        (D("2027-02-12"), DayKind.HOLIDAY, "春节"),
        (D("2027-02-20"), DayKind.WORKDAY, "春节"),
    ]
    event = AuditEvent.objects.get(verb="calendar.year_set")
    assert event.actor == root_client.user


def test_entered_year_is_used_for_computations(root_client):
    with pytest.raises(CalendarYearMissing):
        add_workdays(D("2026-12-15"), 20)
    assert post_year(root_client).status_code == 302
    # Dec 16-31 give 12; 01-01 off; 01-04..08 (13-17), 01-11..13 (18-20).
    assert add_workdays(D("2026-12-15"), 20) == D("2027-01-13")
    # Fri 02-05 -> 02-06/07 weekend, 02-08..12 off, 02-13/14 weekend -> Mon 02-15.
    assert add_workdays(D("2027-02-05"), 1) == D("2027-02-15")
    assert add_workdays(D("2027-02-19"), 1) == D("2027-02-20")
    assert not is_workday(D("2027-02-13"))


def test_add_form_is_shown_to_a_superuser(root_client):
    response = root_client.get(ADD_URL)
    assert response.status_code == 200
    assert {"year", "source", "holidays", "workdays"} <= set(
        response.context["adminform"].form.fields
    )


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"holidays": "2027-01-01 元旦\n2027-02-30 春节"}, "2027-02-30"),  # not a date
        ({"holidays": "2027-01-01 元旦\n元旦 2027-01-01"}, "元旦 2027-01-01"),
        ({"holidays": "2027-01-01 元旦\n2027-02-08..2027-02-3x 春节"}, "2027-02-3x"),
        ({"holidays": "2027-01-01 元旦\n2027-02-12..2027-02-08 春节"}, "2027-02-12..2027-02-08"),
        ({"workdays": "2027-02-22 春节"}, "2027-02-22"),  # a Monday as a make-up workday
        ({"workdays": "2027-02-20..2027-02-22 春节"}, "2027-02-22"),
        ({"holidays": "2026-12-31 元旦\n2027-01-01 元旦"}, "2026-12-31"),  # another year
        ({"holidays": "2027-01-01 元旦\n2027-01-01 元旦"}, "2027-01-01"),  # twice
        ({"holidays": "2027-01-02 元旦", "workdays": ""}, NO_HOLIDAYS),  # only a Saturday
        ({"holidays": ""}, NO_HOLIDAYS),
    ],
    ids=[
        "impossible-date",
        "name-first",
        "bad-range-end",
        "reversed-range",
        "weekday-workday",
        "workday-range-with-weekdays",
        "other-year",
        "duplicate",
        "weekend-only",
        "empty",
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(root_client, fields, needle):
    response = post_year(root_client, **fields)
    assert needle in form_errors(response)
    assert_nothing_saved()


def test_bad_line_is_reported_with_its_line_number(root_client):
    response = post_year(root_client, holidays="2027-01-01 元旦\n2027-13-01 春节")
    errors = form_errors(response)
    assert "2027-13-01" in errors
    assert "第2行" in errors  # "line 2" in the Chinese interface
    assert_nothing_saved()


def test_bad_input_does_not_touch_an_existing_year(root_client):
    assert post_year(root_client).status_code == 302
    events = AuditEvent.objects.count()
    response = post_year(root_client, workdays="2027-02-22 春节")
    assert form_errors(response)
    assert CalendarDay.objects.get(date=D("2027-02-20")).kind == DayKind.WORKDAY
    assert not CalendarDay.objects.filter(date=D("2027-02-22")).exists()
    assert AuditEvent.objects.count() == events


def test_existing_year_is_changed_through_the_change_form(root_client):
    response = root_client.get(change_url(2026))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "2026-10-10 国庆节" in form.fields["workdays"].initial
    assert "2026-10-01 国庆节" in form.fields["holidays"].initial
    assert add_workdays(D("2026-09-28"), 20) == D("2026-10-30")

    workdays = form.fields["workdays"].initial.replace("2026-10-10 国庆节", "")
    response = root_client.post(
        change_url(2026),
        {"source": "改", "holidays": form.fields["holidays"].initial, "workdays": workdays},
    )
    assert response.status_code == 302
    assert not is_workday(D("2026-10-10"))
    assert add_workdays(D("2026-09-28"), 20) == D("2026-11-02")
    assert CalendarYear.objects.get(year=2026).source == "改"


def test_re_adding_an_existing_year_replaces_it(root_client):
    assert post_year(root_client).status_code == 302
    response = post_year(root_client, holidays="2027-03-01 测试", workdays="")
    assert response.status_code == 302
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        D("2027-03-01")
    ]
    assert CalendarYear.objects.filter(year=2027).count() == 1


def test_staff_without_superuser_cannot_add(client, agency_tree, make_member):
    admin = make_member(agency_tree["district"], Role.AGENCY_ADMIN)
    assert admin.is_staff and not admin.is_superuser
    client.force_login(admin)
    assert client.get(ADD_URL).status_code == 403
    assert post_year(client).status_code == 403
    assert_nothing_saved()
    response = client.post(
        change_url(2026), {"source": "x", "holidays": "2026-10-01 国庆节", "workdays": ""}
    )
    assert response.status_code == 403
    assert add_workdays(D("2026-09-28"), 20) == D("2026-10-30")
