"""Working-day arithmetic over the official holiday schedule (pure; no database access).

Rules (RULES.md Part A.1): the day of the triggering event is not counted — 民法典 第二百零一条
"开始的当日不计入，自下一日开始计算" — so day 1 is the next working day, and "within n working
days" ends on the n-th working day after the start.

A weekday is a working day unless the schedule marks it a holiday; a Saturday or Sunday is a
rest day unless the schedule marks it a make-up workday (调休上班). A year whose schedule is not
complete cannot be used: the functions raise CalendarYearMissing rather than guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "CalendarYearMissing",
    "WorkCalendar",
    "add_workdays",
    "is_workday",
    "workdays_between",
]


class CalendarYearMissing(ValidationError, LookupError):
    """A computation needed a year whose holiday schedule has not been entered.

    A ValidationError, so that a form or an API call that meets it reports it like any other
    refusal instead of failing; a LookupError for callers that look it up as such.
    """

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "The holiday schedule for %(year)d has not been entered, so working days in "
                "%(year)d cannot be counted. Enter the State Council's %(year)d schedule "
                "(holidays and make-up workdays) in the working-day calendar first."
            )
            % {"year": year},
            code="calendar_year_missing",
        )

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date]
    workdays: frozenset[date]
    complete_years: frozenset[int]

    @classmethod
    def build(
        cls, *, holidays: Iterable[date], workdays: Iterable[date], complete_years: Iterable[int]
    ) -> WorkCalendar:
        return cls(frozenset(holidays), frozenset(workdays), frozenset(complete_years))

    def require_year(self, year: int) -> None:
        if year not in self.complete_years:
            raise CalendarYearMissing(year)

    def is_workday(self, day: date) -> bool:
        self.require_year(day.year)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself never counts); n >= 0."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many have elapsed at `end` counting from `start`."""
        if end < start:
            return -self.workdays_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


# The package names holidays in English; the State Council's notices use these names.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
PACKAGE_SOURCE = "chinesecalendar"

Schedule = tuple[list[tuple[date, str]], list[tuple[date, str]]]


def package_schedules() -> dict[int, Schedule]:
    """Each year the `chinesecalendar` package covers: (weekdays off, weekend days worked)."""
    from chinese_calendar import constants

    years: dict[int, Schedule] = {}
    for day, name in sorted(constants.holidays.items()):
        if day.weekday() < 5:
            years.setdefault(day.year, ([], []))[0].append((day, HOLIDAY_NAMES_ZH.get(name, name)))
    for day, name in sorted(constants.workdays.items()):
        if day.weekday() >= 5:
            years.setdefault(day.year, ([], []))[1].append((day, HOLIDAY_NAMES_ZH.get(name, name)))
    return years


def _default() -> WorkCalendar:
    from gongkai.core.selectors import current_work_calendar

    return current_work_calendar()


def is_workday(day: date, *, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or _default()).is_workday(day)


def add_workdays(start: date, n: int, *, calendar: WorkCalendar | None = None) -> date:
    return (calendar or _default()).add_workdays(start, n)


def workdays_between(start: date, end: date, *, calendar: WorkCalendar | None = None) -> int:
    return (calendar or _default()).workdays_between(start, end)
