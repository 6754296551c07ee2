"""Deadlines pending a year's schedule: the provisional date is never later than the legal one.

Checked against every schedule the `chinesecalendar` package holds (2004–2026), each year in turn
treated as missing, for every start day from the December before it to its last day and every
count of 1–40 working days (a reply period of 1–20 days, with or without an extension of up to
20). `bench/provisional_dates.py` prints the same comparison's figures.
"""

from datetime import date, timedelta

import pytest

from gongkai.core.workdays import (
    HOLIDAY_ALLOWANCE,
    MAKEUP_ALLOWANCE,
    CalendarYearMissing,
    Due,
    WorkCalendar,
    package_schedules,
)

SCHEDULES = package_schedules()
YEARS = sorted(SCHEDULES)


def full_calendar(without: int | None = None) -> WorkCalendar:
    holidays, workdays = [], []
    for year, (off, worked) in SCHEDULES.items():
        if year != without:
            holidays += [day for day, _name in off]
            workdays += [day for day, _name in worked]
    return WorkCalendar.build(
        holidays=holidays,
        workdays=workdays,
        complete_years=[year for year in YEARS if year != without],
    )


def comparison(year: int, limits=range(1, 41)):
    """(legal, provisional) for every start day from 1 December of year-1 through year."""
    real, missing = full_calendar(), full_calendar(without=year).lenient()
    day = date(year - 1, 12, 1)
    while day.year <= year:
        for n in limits:
            try:
                legal = real.add_workdays(day, n)
            except CalendarYearMissing:
                break  # beyond the last year on record
            yield day, n, legal, missing.add_workdays(day, n)
        day += timedelta(days=1)


@pytest.mark.parametrize("year", YEARS)
def test_the_provisional_date_is_never_later_than_the_legal_one(year):
    checked = late = 0
    earlier = []
    for _start, _n, legal, provisional in comparison(year):
        checked += 1
        late += provisional > legal
        earlier.append((legal - provisional).days)
    assert checked > 10_000
    assert late == 0
    # And it is useful: about 4.7 days early on average over 2004–2026 (bench/provisional_dates.py),
    # about half as far as counting every day of the missing year; some dates are exact.
    assert sum(earlier) / len(earlier) < 5.5
    assert max(earlier) <= 14
    assert earlier.count(0) > len(earlier) / 20


@pytest.mark.parametrize("year", YEARS)
def test_an_elapsed_count_is_never_more_than_the_legal_one(year):
    real, missing = full_calendar(), full_calendar(without=year).lenient()
    first = date(year, 1, 1)
    for offset in range(0, 365, 3):
        start = first + timedelta(days=offset)
        for length in (1, 5, 10, 21, 40, 75):
            end = start + timedelta(days=length)
            if end.year > YEARS[-1]:
                continue
            legal = real.workdays_between(start, end)
            assert missing.workdays_between(start, end) <= legal
            # Days overdue (counted backwards) are never fewer than the legal ones.
            assert missing.workdays_between(end, start) <= -legal


def test_a_make_up_sunday_pulls_the_provisional_date_early_enough():
    # 2026-09-20 (Sunday) is worked before National Day: a weekends-only count would give
    # 2026-09-21 for the first working day after Saturday 09-19; the legal one is 09-20.
    missing = full_calendar(without=2026).lenient()
    assert full_calendar().add_workdays(date(2026, 9, 19), 1) == date(2026, 9, 20)
    assert missing.add_workdays(date(2026, 9, 19), 1) <= date(2026, 9, 20)
    assert missing.pending_years == {2026}


def test_the_allowances_cover_every_schedule_on_record():
    """The constants are the largest excesses in any stretch of one year's schedule."""

    def largest_excess(values):
        best = current = 0
        for value in values:
            current = max(0, current + value)
            best = max(best, current)
        return best

    makeup = holiday = 0
    for year, (off, worked) in SCHEDULES.items():
        off_days = {day for day, _name in off}
        worked_days = {day for day, _name in worked}
        days = [date(year, 1, 1) + timedelta(days=i) for i in range(366)]
        signs = [(d in worked_days) - (d in off_days) for d in days if d.year == year]
        makeup = max(makeup, largest_excess(signs))
        holiday = max(holiday, largest_excess([-s for s in signs]))
    assert makeup <= MAKEUP_ALLOWANCE
    assert holiday <= HOLIDAY_ALLOWANCE


def test_known_years_give_the_legal_date_and_no_pending_year():
    calendar = full_calendar()
    assert calendar.due(date(2026, 9, 28), 20) == Due(date(2026, 10, 30), None)
    pending = calendar.due(date(2026, 12, 20), 20)
    assert pending.provisional and pending.pending_year == 2027
    # Weekdays only from 1 January, plus at most three weekend days: never later than this.
    assert pending.on <= date(2027, 1, 18)
    with pytest.raises(CalendarYearMissing):
        calendar.add_workdays(date(2026, 12, 20), 20)


@pytest.mark.parametrize("year", [2006, 2013, 2020, 2024, 2026])
def test_the_latest_bound_is_never_earlier_than_the_legal_date(year):
    """Periods the applicant holds (补正, payment) take the later side while a year is missing."""
    real, missing = full_calendar(), full_calendar(without=year)
    day = date(year - 1, 12, 1)
    checked = 0
    while day.year <= year:
        for n in (1, 7, 15, 20):
            try:
                legal = real.add_workdays(day, n)
            except CalendarYearMissing:
                break
            latest = missing.latest(day, n)
            assert latest.on >= legal
            touched = day < date(year, 12, 31) and latest.on >= date(year, 1, 1)
            assert latest.pending_year == (year if touched else None)
            checked += 1
        day += timedelta(days=3)
    assert checked > 400
