"""Working-day arithmetic over the official holiday schedule (pure; no database access).

Rules (RULES.md Part A.1): the day of the triggering event is not counted — 民法典 第二百零一条
"开始的当日不计入，自下一日开始计算" — so day 1 is the next working day, and "within n working
days" ends on the n-th working day after the start.

A weekday is a working day unless the schedule marks it a holiday; a Saturday or Sunday is a
rest day unless the schedule marks it a make-up workday (调休上班). A year whose schedule is not
complete cannot be used: the strict functions raise CalendarYearMissing rather than guess.

Until the State Council's notice for a year is entered, a deadline in that year is *pending*: the
lenient view (`WorkCalendar.lenient()`) gives a provisional date that is never later than the
legal one, and records which years it needed, so that every page can label the date 预估.

The bound. Within a missing year nothing is guessed about holidays; a count only uses what any
schedule must satisfy:
- every weekday counts as a working day: a holiday can only move the legal date later;
- a weekend day can be a make-up workday (调休上班), which moves the legal date earlier. So the
  first MAKEUP_ALLOWANCE weekend days a count meets in a missing year also count as working days.
  In any stretch of one year's schedule, make-up workdays exceed weekday holidays by at most 3
  (2006, 2007, 2011–2013: Saturday and Sunday both worked before a 7-day 黄金周; at most 2 since
  2014), so the provisional count is never behind the legal one and its date never later.
  A weekends-only count is not safe: 2026-09-20 (Sunday) is a working day.
- an elapsed count (a pause, days left) is a lower bound: weekdays less HOLIDAY_ALLOWANCE, the
  most weekday holidays in excess of make-up days in any stretch of one year (14, in 2020 when
  the Spring Festival holiday was prolonged).
`test_workdays_provisional.py` checks both bounds against every schedule since 2004, each year in
turn treated as missing; `bench/provisional_dates.py` prints how much earlier the dates are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "HOLIDAY_ALLOWANCE",
    "MAKEUP_ALLOWANCE",
    "CalendarYearMissing",
    "Due",
    "LenientCalendar",
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


# See the module's docstring: the largest excesses on record, 2004–2026.
MAKEUP_ALLOWANCE = 3
HOLIDAY_ALLOWANCE = 14


@dataclass(frozen=True)
class Due:
    """A deadline: the legal date, or while `pending_year`'s schedule is missing, a provisional
    date never later than the legal one."""

    on: date
    pending_year: int | None = None

    @property
    def provisional(self) -> bool:
        return self.pending_year is not None


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
        return self._add(start, n, pending=None)

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many have elapsed at `end` counting from `start`."""
        return self._between(start, end, pending=None)

    def lenient(self) -> LenientCalendar:
        """A view of this calendar that answers for missing years with the safe bounds."""
        return LenientCalendar(self)

    def due(self, start: date, n: int) -> Due:
        """The n-th working day after `start`, provisional when a missing year was needed."""
        view = self.lenient()
        on = view.add_workdays(start, n)
        return Due(on, view.pending_year)

    def latest(self, start: date, n: int) -> Due:
        """The n-th working day after `start`, or while a year's schedule is missing a date never
        *earlier* than the legal one: for a period the applicant holds (补正, paying a fee), where
        the safe side is the later date. In a missing year weekends never count and the first
        HOLIDAY_ALLOWANCE weekdays do not either."""
        pending: set[int] = set()
        on = self._add(start, n, pending=pending, late=True)
        return Due(on, min(pending, default=None))

    def _add(self, start: date, n: int, *, pending: set[int] | None, late: bool = False) -> date:
        if n < 0:
            raise ValueError("n must not be negative")
        allowance: dict[int, int] = {}
        day = start
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if day.year in self.complete_years:
                working = self.is_workday(day)
            elif pending is None:
                raise CalendarYearMissing(day.year)
            else:
                pending.add(day.year)
                working = day.weekday() < 5
                if working == late:
                    # early bound: a weekend day may be worked; late bound: a weekday may be off
                    left = allowance.setdefault(
                        day.year, HOLIDAY_ALLOWANCE if late else MAKEUP_ALLOWANCE
                    )
                    if left > 0:
                        allowance[day.year] = left - 1
                        working = not late
            if working:
                remaining -= 1
        return day

    def _between(self, start: date, end: date, *, pending: set[int] | None) -> int:
        if end < start:
            # Elapsed the other way (days overdue): the upper bound is the safe side.
            return -self._span(end, start, pending=pending, lower=False)
        return self._span(start, end, pending=pending, lower=True)

    def _span(self, start: date, end: date, *, pending: set[int] | None, lower: bool) -> int:
        count = 0
        missing: dict[int, list[int]] = {}  # year -> [weekdays, weekend days]
        day = start
        while day < end:
            day += timedelta(days=1)
            if day.year in self.complete_years:
                count += self.is_workday(day)
            elif pending is None:
                raise CalendarYearMissing(day.year)
            else:
                pending.add(day.year)
                missing.setdefault(day.year, [0, 0])[day.weekday() >= 5] += 1
        for weekdays, weekend in missing.values():
            if lower:
                count += max(0, weekdays - HOLIDAY_ALLOWANCE)
            else:
                count += weekdays + min(weekend, MAKEUP_ALLOWANCE)
        return count


class LenientCalendar:
    """A calendar that never raises for a missing year: counts that need one use the safe bounds
    (provisional dates never later, elapsed days never more than the legal ones) and the years
    are collected in `pending_years`. Use one per computation."""

    def __init__(self, base: WorkCalendar):
        self.base = base
        self.pending_years: set[int] = set()

    @property
    def pending_year(self) -> int | None:
        return min(self.pending_years, default=None)

    @property
    def complete_years(self) -> frozenset[int]:
        return self.base.complete_years

    def is_workday(self, day: date) -> bool:
        return self.base.is_workday(day)  # a single day is never guessed

    def add_workdays(self, start: date, n: int) -> date:
        return self.base._add(start, n, pending=self.pending_years)

    def workdays_between(self, start: date, end: date) -> int:
        return self.base._between(start, end, pending=self.pending_years)

    def lenient(self) -> LenientCalendar:
        return self

    def due(self, start: date, n: int) -> Due:
        view = LenientCalendar(self.base)
        on = view.add_workdays(start, n)
        self.pending_years |= view.pending_years
        return Due(on, view.pending_year)


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
