"""The working-day calendar: pure arithmetic, the seeded official schedules, the cache, the service.

RULES.md Part A.1: the day of the triggering event is not counted; day 1 is the next working day.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core import selectors, services
from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear, DayKind, Role
from gongkai.core.tests.factories import UserFactory
from gongkai.core.workdays import (
    PACKAGE_SOURCE,
    CalendarYearMissing,
    WorkCalendar,
    add_workdays,
    is_workday,
    workdays_between,
)

D = date.fromisoformat


def days(first: str, last: str) -> list[date]:
    """Every date from `first` to `last` inclusive."""
    start, end = D(first), D(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def calendar(holidays=(), workdays=(), years=(2026,)) -> WorkCalendar:
    return WorkCalendar.build(
        holidays=[D(d) for d in holidays],
        workdays=[D(d) for d in workdays],
        complete_years=years,
    )


# National Day 2026 as published (10-01..10-07 off; Sunday 09-20 and Saturday 10-10 worked),
# entered by hand as weekday overrides: 10-03/04 are a weekend anyway.
NATIONAL_DAY_2026 = calendar(
    holidays=["2026-09-25", "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"],
    workdays=["2026-09-20", "2026-10-10"],
)
PLAIN_2026 = calendar()


# --- pure WorkCalendar ---------------------------------------------------------------------


class TestPureCalendar:
    def test_rules_example_receipt_monday_2026_09_28(self):
        # Hand count: 09-29 (1), 09-30 (2), 10-08 (3), 10-09 (4), Sat 10-10 (5),
        # 10-12..16 (6-10), 10-19..23 (11-15), 10-26..30 (16-20).
        assert NATIONAL_DAY_2026.add_workdays(D("2026-09-28"), 20) == D("2026-10-30")

    def test_start_day_is_not_counted(self):
        # Receipt on a working Monday: day 1 is Tuesday, not Monday itself.
        assert PLAIN_2026.add_workdays(D("2026-09-28"), 1) == D("2026-09-29")
        assert PLAIN_2026.workdays_between(D("2026-09-28"), D("2026-09-28")) == 0
        assert PLAIN_2026.workdays_between(D("2026-09-28"), D("2026-09-29")) == 1

    def test_start_on_a_rest_day_counts_from_the_next_working_day(self):
        assert PLAIN_2026.add_workdays(D("2026-10-03"), 1) == D("2026-10-05")  # Sat -> Mon
        assert NATIONAL_DAY_2026.add_workdays(D("2026-10-03"), 1) == D("2026-10-08")

    def test_weekends_are_skipped(self):
        assert PLAIN_2026.add_workdays(D("2026-10-02"), 1) == D("2026-10-05")  # Fri -> Mon
        assert PLAIN_2026.add_workdays(D("2026-10-05"), 5) == D("2026-10-12")  # Mon -> next Mon
        assert PLAIN_2026.add_workdays(D("2026-10-05"), 10) == D("2026-10-19")
        assert PLAIN_2026.workdays_between(D("2026-10-02"), D("2026-10-04")) == 0

    def test_holidays_are_skipped(self):
        cal = calendar(holidays=["2026-10-06"])
        assert cal.add_workdays(D("2026-10-05"), 1) == D("2026-10-07")
        assert PLAIN_2026.add_workdays(D("2026-10-05"), 1) == D("2026-10-06")

    def test_make_up_workday_counts(self):
        cal = calendar(workdays=["2026-10-10"])  # a Saturday
        assert cal.add_workdays(D("2026-10-09"), 1) == D("2026-10-10")
        assert PLAIN_2026.add_workdays(D("2026-10-09"), 1) == D("2026-10-12")

    def test_is_workday(self):
        assert PLAIN_2026.is_workday(D("2026-10-09"))  # Friday
        assert not PLAIN_2026.is_workday(D("2026-10-10"))  # Saturday
        assert not PLAIN_2026.is_workday(D("2026-10-11"))  # Sunday
        assert not NATIONAL_DAY_2026.is_workday(D("2026-10-01"))  # weekday holiday
        assert NATIONAL_DAY_2026.is_workday(D("2026-10-10"))  # make-up Saturday
        assert NATIONAL_DAY_2026.is_workday(D("2026-09-20"))  # make-up Sunday

    def test_zero_days_is_the_start_itself(self):
        assert NATIONAL_DAY_2026.add_workdays(D("2026-09-28"), 0) == D("2026-09-28")
        assert NATIONAL_DAY_2026.add_workdays(D("2026-10-03"), 0) == D("2026-10-03")

    def test_negative_count_is_refused(self):
        with pytest.raises(ValueError):
            NATIONAL_DAY_2026.add_workdays(D("2026-09-28"), -1)

    def test_between_is_antisymmetric(self):
        a, b = D("2026-09-28"), D("2026-10-30")
        assert NATIONAL_DAY_2026.workdays_between(a, b) == 20
        assert NATIONAL_DAY_2026.workdays_between(b, a) == -20

    def test_between_inverts_add(self):
        starts = days("2026-09-14", "2026-10-14")  # weekdays, weekends, holidays, make-up days
        for start in starts:
            previous = start
            for n in range(0, 31):
                end = NATIONAL_DAY_2026.add_workdays(start, n)
                assert NATIONAL_DAY_2026.workdays_between(start, end) == n, (start, n)
                # The n-th working day is itself a working day and is not before the (n-1)-th.
                if n:
                    assert NATIONAL_DAY_2026.is_workday(end), (start, n)
                    assert end > previous, (start, n)
                previous = end

    def test_between_counts_only_working_days_after_start(self):
        # Brute force against is_workday over (start, end].
        start = D("2026-09-18")
        for end in days("2026-09-18", "2026-11-05"):
            expected = sum(
                NATIONAL_DAY_2026.is_workday(start + timedelta(days=i))
                for i in range(1, (end - start).days + 1)
            )
            assert NATIONAL_DAY_2026.workdays_between(start, end) == expected, end

    def test_missing_year_is_refused_with_its_number(self):
        with pytest.raises(CalendarYearMissing) as caught:
            NATIONAL_DAY_2026.add_workdays(D("2026-12-15"), 20)
        assert caught.value.year == 2027
        assert "2027" in str(caught.value)

    def test_missing_year_is_refused_even_when_the_crossing_day_is_a_weekend(self):
        cal = calendar(years=[2021])  # 2021-12-31 is a Friday, 2022-01-01 a Saturday
        assert cal.add_workdays(D("2021-12-30"), 1) == D("2021-12-31")
        with pytest.raises(CalendarYearMissing) as caught:
            cal.add_workdays(D("2021-12-30"), 2)
        assert caught.value.year == 2022
        with pytest.raises(CalendarYearMissing):
            cal.workdays_between(D("2021-12-30"), D("2022-01-02"))
        with pytest.raises(CalendarYearMissing):
            cal.is_workday(D("2022-01-01"))

    def test_missing_year_is_refused_when_the_start_is_in_it(self):
        with pytest.raises(CalendarYearMissing) as caught:
            PLAIN_2026.add_workdays(D("2025-12-30"), 1)
        assert caught.value.year == 2025

    def test_end_of_a_complete_year_does_not_need_the_next(self):
        # Dec 16-18, 21-25, 28-31: the 12th working day is the 31st; January is never looked at.
        assert PLAIN_2026.add_workdays(D("2026-12-15"), 12) == D("2026-12-31")
        assert PLAIN_2026.workdays_between(D("2026-12-15"), D("2026-12-31")) == 12

    def test_module_functions_use_the_given_calendar_without_the_database(self):
        # No `db` fixture: touching the database here would fail the test.
        assert add_workdays(D("2026-09-28"), 20, calendar=NATIONAL_DAY_2026) == D("2026-10-30")
        assert workdays_between(D("2026-09-28"), D("2026-10-30"), calendar=PLAIN_2026) == 24
        assert is_workday(D("2026-10-10"), calendar=NATIONAL_DAY_2026)
        assert not is_workday(D("2026-10-10"), calendar=PLAIN_2026)


# --- the official schedules seeded by migration 0003 ----------------------------------------

# 国务院办公厅关于2024/2025/2026年部分节假日安排的通知: (first day off, last day off, days worked).
OFFICIAL_PERIODS = {
    "2024 元旦": ("2023-12-30", "2024-01-01", []),
    "2024 春节": ("2024-02-10", "2024-02-17", ["2024-02-04", "2024-02-18"]),
    "2024 清明节": ("2024-04-04", "2024-04-06", ["2024-04-07"]),
    "2024 劳动节": ("2024-05-01", "2024-05-05", ["2024-04-28", "2024-05-11"]),
    "2024 端午节": ("2024-06-08", "2024-06-10", []),
    "2024 中秋节": ("2024-09-15", "2024-09-17", ["2024-09-14"]),
    "2024 国庆节": ("2024-10-01", "2024-10-07", ["2024-09-29", "2024-10-12"]),
    "2025 元旦": ("2025-01-01", "2025-01-01", []),
    "2025 春节": ("2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
    "2025 清明节": ("2025-04-04", "2025-04-06", []),
    "2025 劳动节": ("2025-05-01", "2025-05-05", ["2025-04-27"]),
    "2025 端午节": ("2025-05-31", "2025-06-02", []),
    "2025 国庆节、中秋节": ("2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"]),
    "2026 元旦": ("2026-01-01", "2026-01-03", ["2026-01-04"]),
    "2026 春节": ("2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
    "2026 清明节": ("2026-04-04", "2026-04-06", []),
    "2026 劳动节": ("2026-05-01", "2026-05-05", ["2026-05-09"]),
    "2026 端午节": ("2026-06-19", "2026-06-21", []),
    "2026 中秋节": ("2026-09-25", "2026-09-27", []),
    "2026 国庆节": ("2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
}


@pytest.mark.parametrize("period", OFFICIAL_PERIODS)
def test_official_schedule(db, period):
    first, last, worked = OFFICIAL_PERIODS[period]
    for day in days(first, last):
        assert not is_workday(day), f"{day} is in {period}"
    for day in worked:
        assert D(day).weekday() >= 5, f"{day} should be a weekend day"
        assert is_workday(D(day)), f"{day} is a make-up workday of {period}"
    # The weekdays just outside the period are ordinary working days (no unseen extension).
    for day in (D(first) - timedelta(days=1), D(last) + timedelta(days=1)):
        if day.weekday() < 5 and day.year in (2024, 2025, 2026):
            assert is_workday(day), f"{day} is next to {period}"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2024-02-04", True),  # Sunday worked before the Spring Festival
        ("2024-02-09", True),  # 除夕 2024 is not a day off in the notice (only "encouraged")
        ("2024-02-12", False),
        ("2024-02-18", True),  # Sunday worked after
        ("2024-02-19", True),
        ("2024-09-29", True),  # Sunday worked before National Day
        ("2024-10-07", False),  # Monday off
        ("2024-10-08", True),
        ("2024-10-12", True),  # Saturday worked
        ("2024-10-13", False),
        ("2025-01-26", True),
        ("2025-01-27", True),
        ("2025-01-28", False),  # 除夕 2025 is a holiday
        ("2025-02-04", False),
        ("2025-02-05", True),
        ("2025-02-08", True),
        ("2025-09-28", True),
        ("2025-10-06", False),  # 中秋节
        ("2025-10-08", False),
        ("2025-10-09", True),
        ("2025-10-11", True),
        ("2026-01-04", True),  # Sunday worked after 元旦 2026
        ("2026-02-14", True),
        ("2026-02-23", False),  # Monday, last day of the Spring Festival
        ("2026-02-24", True),
        ("2026-02-28", True),
        ("2026-05-09", True),
        ("2026-09-20", True),
        ("2026-09-25", False),
        ("2026-10-07", False),
        ("2026-10-08", True),
        ("2026-10-10", True),
        ("2026-10-11", False),  # an ordinary Sunday
        ("2026-10-17", False),  # an ordinary Saturday
        ("2026-10-19", True),  # an ordinary Monday
    ],
)
def test_official_is_workday(db, day, working):
    assert is_workday(D(day)) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # RULES.md A.1.
        ("2026-09-28", 20, "2026-10-30"),
        # 2024 Spring Festival: Fri 02-02 -> Sun 02-04 worked; Thu 02-08 -> Fri 02-09 (1),
        # 02-10..17 off, Sun 02-18 (2), Mon 02-19 (3).
        ("2024-02-02", 1, "2024-02-04"),
        ("2024-02-08", 1, "2024-02-09"),
        ("2024-02-08", 2, "2024-02-18"),
        ("2024-02-08", 3, "2024-02-19"),
        # 2024 National Day: Fri 09-27 -> Sun 09-29 (1), 09-30 (2), 10-08..11 (3-6), Sat 10-12 (7).
        ("2024-09-27", 1, "2024-09-29"),
        ("2024-09-27", 3, "2024-10-08"),
        ("2024-09-27", 7, "2024-10-12"),
        # 2025 Spring Festival: Fri 01-24 -> Sun 01-26 (1), 01-27 (2), 02-05..07 (3-5), Sat 02-08 (6).
        ("2025-01-24", 1, "2025-01-26"),
        ("2025-01-24", 3, "2025-02-05"),
        ("2025-01-24", 6, "2025-02-08"),
        # 2025 National Day/Mid-Autumn: Fri 09-26 -> Sun 09-28 (1), 09-29, 09-30, 10-09 (4),
        # 10-10 (5), Sat 10-11 (6).
        ("2025-09-26", 1, "2025-09-28"),
        ("2025-09-26", 4, "2025-10-09"),
        ("2025-09-26", 6, "2025-10-11"),
        # 2026 Spring Festival: Fri 02-13 -> Sat 02-14 (1), 02-24..27 (2-5), Sat 02-28 (6).
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-13", 2, "2026-02-24"),
        ("2026-02-13", 6, "2026-02-28"),
        # 2026 National Day: Fri 09-18 -> Sun 09-20; Thu 09-24 -> Mon 09-28 (中秋 Fri 09-25).
        ("2026-09-18", 1, "2026-09-20"),
        ("2026-09-24", 1, "2026-09-28"),
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-10-09", 1, "2026-10-10"),
        # Across the 2025/2026 boundary: 01-01 and 01-02 off, Sat 01-03 rest, Sun 01-04 worked.
        ("2025-12-31", 1, "2026-01-04"),
        ("2025-12-31", 2, "2026-01-05"),
    ],
)
def test_official_add_workdays(db, start, n, expected):
    assert add_workdays(D(start), n) == D(expected)
    assert workdays_between(D(start), D(expected)) == n


def test_official_seeded_years_are_complete(db):
    years = dict(CalendarYear.objects.values_list("year", "is_complete"))
    assert all(years[y] for y in (2024, 2025, 2026))
    assert 2027 not in years
    assert CalendarYear.objects.get(year=2026).source == PACKAGE_SOURCE


def test_official_calendar_refuses_2027_until_entered(db):
    with pytest.raises(CalendarYearMissing) as caught:
        add_workdays(D("2026-12-15"), 20)
    assert "2027" in str(caught.value)


# --- cache in selectors.current_work_calendar ------------------------------------------------

# Invented 2027 schedule (the official one is not used here): 01-01 Fri off, 02-08..12 off,
# Saturday 02-20 worked.
SCHEDULE_2027 = (
    [(D("2027-01-01"), "元旦")] + [(d, "春节") for d in days("2027-02-08", "2027-02-12")],
    [(D("2027-02-20"), "春节")],
)


def set_2027(holidays=None, workdays=None, **kwargs):
    return services.calendar_year_set(
        actor=kwargs.pop("actor", None),
        year=2027,
        holidays=SCHEDULE_2027[0] if holidays is None else holidays,
        workdays=SCHEDULE_2027[1] if workdays is None else workdays,
        **kwargs,
    )


class TestCalendarCache:
    def test_calendar_is_reused_while_nothing_changes(self, db):
        assert selectors.current_work_calendar() is selectors.current_work_calendar()

    def test_new_year_is_picked_up(self, db):
        with pytest.raises(CalendarYearMissing):
            add_workdays(D("2026-12-15"), 20)
        set_2027()
        # Dec 16-31 give 12; 2027-01-01 off; 01-04..08 (13-17), 01-11..13 (18-20).
        assert add_workdays(D("2026-12-15"), 20) == D("2027-01-13")
        assert not is_workday(D("2027-02-08"))
        assert is_workday(D("2027-02-20"))

    def test_change_to_an_entered_year_is_picked_up(self, db):
        set_2027()
        assert add_workdays(D("2026-12-15"), 20) == D("2027-01-13")
        holidays = [*SCHEDULE_2027[0], (D("2027-01-04"), "元旦")]
        set_2027(holidays=holidays)
        assert add_workdays(D("2026-12-15"), 20) == D("2027-01-14")

    def test_change_to_a_seeded_year_is_picked_up(self, db):
        assert add_workdays(D("2026-09-28"), 20) == D("2026-10-30")
        cy = CalendarYear.objects.get(year=2026)
        holidays = [(d.date, d.name) for d in cy.days.filter(kind=DayKind.HOLIDAY)]
        workdays = [(d.date, d.name) for d in cy.days.filter(kind=DayKind.WORKDAY)]
        without_make_up_saturday = [w for w in workdays if w[0] != D("2026-10-10")]
        services.calendar_year_set(
            actor=None, year=2026, holidays=holidays, workdays=without_make_up_saturday
        )
        assert add_workdays(D("2026-09-28"), 20) == D("2026-11-02")

    def test_changes_are_picked_up_whatever_the_clock_says(self, db):
        # The seed ran at the real time; freeze the clock before it (as deadline tests do, or a
        # server whose clock lags) and change a year repeatedly: no change moves the newest
        # `updated_at` of the calendar, so the cache must notice the change some other way.
        seeded_at = CalendarYear.objects.get(year=2026).updated_at
        with time_machine.travel(seeded_at - timedelta(days=60), tick=False):
            set_2027()
            assert add_workdays(D("2026-12-15"), 20) == D("2027-01-13")
            set_2027(holidays=[*SCHEDULE_2027[0], (D("2027-01-04"), "元旦")])
            assert add_workdays(D("2026-12-15"), 20) == D("2027-01-14")
            set_2027(holidays=[(D("2027-01-04"), "元旦")])
            assert add_workdays(D("2026-12-15"), 20) == D("2027-01-13")


# --- services.calendar_year_set ------------------------------------------------------------


def stored_days(year: int) -> list[tuple[date, str, str]]:
    return list(
        CalendarDay.objects.filter(calendar_year__year=year)
        .order_by("date")
        .values_list("date", "kind", "name")
    )


def year_events():
    return AuditEvent.objects.filter(verb="calendar.year_set")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


class TestCalendarYearSet:
    def test_enters_a_new_year_as_a_whole_and_complete(self, superuser):
        saved = set_2027(actor=superuser, source="测试安排")
        saved.refresh_from_db()
        assert saved.year == 2027 and saved.is_complete and saved.source == "测试安排"
        expected = sorted(
            [(d, DayKind.HOLIDAY, n) for d, n in SCHEDULE_2027[0]]
            + [(d, DayKind.WORKDAY, n) for d, n in SCHEDULE_2027[1]]
        )
        assert stored_days(2027) == expected

    def test_replaces_the_previous_schedule(self, db):
        set_2027()
        set_2027(holidays=[(D("2027-03-01"), "测试")], workdays=[], source="second")
        assert stored_days(2027) == [(D("2027-03-01"), DayKind.HOLIDAY, "测试")]
        assert CalendarYear.objects.get(year=2027).source == "second"

    def test_marks_an_incomplete_year_complete(self, db):
        CalendarYear.objects.create(year=2027, is_complete=False)
        with pytest.raises(CalendarYearMissing):
            add_workdays(D("2026-12-15"), 20)
        set_2027()
        assert CalendarYear.objects.get(year=2027).is_complete
        assert add_workdays(D("2026-12-15"), 20) == D("2027-01-13")

    def test_writes_one_audit_event(self, superuser):
        before = year_events().count()
        saved = set_2027(actor=superuser)
        events = list(year_events())
        assert len(events) == before + 1
        event = events[0]
        assert event.actor == superuser
        assert event.object_type == "core.calendaryear"
        assert event.object_id == str(saved.pk)
        assert event.after["complete"] is True
        assert "2027-02-20:workday:春节" in event.after["days"]
        assert "2027-01-01:holiday:元旦" in event.after["days"]

    def test_rerun_with_identical_data_writes_nothing(self, db):
        set_2027(source="x")
        stamp = CalendarYear.objects.get(year=2027).updated_at
        count = year_events().count()
        set_2027(source="x")
        assert year_events().count() == count
        assert CalendarYear.objects.get(year=2027).updated_at == stamp

    def test_rerun_with_a_corrected_name_is_saved(self, db):
        set_2027()
        holidays = [(D("2027-01-01"), "新年")] + SCHEDULE_2027[0][1:]
        count = year_events().count()
        set_2027(holidays=holidays)
        assert CalendarDay.objects.get(date=D("2027-01-01")).name == "新年"
        assert year_events().count() == count + 1

    @pytest.mark.parametrize(
        ("holidays", "workdays", "message"),
        [
            ([(D("2027-01-02"), "元旦")], [], "2027-01-02"),  # Saturday given as a holiday
            ([(D("2027-01-01"), "元旦")], [(D("2027-01-04"), "元旦")], "2027-01-04"),  # Monday
            ([(D("2026-12-31"), "元旦")], [], "2026-12-31"),  # another year
            ([(D("2027-01-01"), "元旦"), (D("2027-01-01"), "元旦")], [], "2027-01-01"),
            ([(D("2027-02-20"), "春节")], [(D("2027-02-20"), "春节")], "2027-02-20"),
        ],
        ids=["weekend-holiday", "weekday-workday", "other-year", "duplicate", "both-kinds"],
    )
    def test_invalid_schedule_changes_nothing(self, superuser, holidays, workdays, message):
        set_2027(source="good")
        before_days, count = stored_days(2027), AuditEvent.objects.count()
        with pytest.raises(ValidationError) as caught:
            set_2027(actor=superuser, holidays=holidays, workdays=workdays, source="bad")
        assert any(message in m for m in caught.value.messages)
        assert stored_days(2027) == before_days
        assert CalendarYear.objects.get(year=2027).source == "good"
        assert AuditEvent.objects.count() == count
        assert add_workdays(D("2026-12-15"), 20) == D("2027-01-13")

    def test_invalid_new_year_is_not_created(self, db):
        with pytest.raises(ValidationError):
            set_2027(holidays=[(D("2027-01-02"), "元旦")])
        assert not CalendarYear.objects.filter(year=2027).exists()
        assert not year_events().exists()

    def test_non_superuser_is_refused(self, agency_tree, make_member):
        admin = make_member(agency_tree["district"], Role.AGENCY_ADMIN)
        assert admin.is_staff
        with pytest.raises(PermissionDenied):
            set_2027(actor=admin)
        assert not CalendarYear.objects.filter(year=2027).exists()
        assert not year_events().exists()

    def test_inactive_superuser_is_refused(self, db):
        root = UserFactory(username="gone", is_superuser=True, is_staff=True, is_active=False)
        with pytest.raises(PermissionDenied):
            set_2027(actor=root)
        assert not CalendarYear.objects.filter(year=2027).exists()


class TestSeedFromPackage:
    def test_rerun_on_the_seeded_database_writes_nothing(self, db):
        before_days = CalendarDay.objects.count()
        years = services.calendar_seed_from_package()
        assert years == list(range(2004, 2027))
        assert not year_events().exists()
        assert CalendarDay.objects.count() == before_days

    def test_restores_a_changed_year_with_one_event(self, db):
        services.calendar_year_set(
            actor=None, year=2026, holidays=[(D("2026-10-01"), "国庆节")], workdays=[]
        )
        assert add_workdays(D("2026-09-28"), 20) != D("2026-10-30")
        count = year_events().count()
        services.calendar_seed_from_package()
        assert year_events().count() == count + 1
        assert add_workdays(D("2026-09-28"), 20) == D("2026-10-30")
        services.calendar_seed_from_package()
        assert year_events().count() == count + 1

    def test_superuser_actor_is_recorded_and_others_refused(
        self, superuser, agency_tree, make_member
    ):
        CalendarYear.objects.filter(year=2026).delete()
        with pytest.raises(PermissionDenied):
            services.calendar_seed_from_package(
                actor=make_member(agency_tree["town"], Role.AGENCY_ADMIN)
            )
        services.calendar_seed_from_package(actor=superuser)
        assert list(year_events().values_list("object_repr", "actor")) == [("2026", superuser.pk)]
        assert add_workdays(D("2026-09-28"), 20) == D("2026-10-30")
