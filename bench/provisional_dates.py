"""How much earlier than the legal date is a provisional one (a deadline in a year whose holiday
schedule is missing)?

For every schedule the `chinesecalendar` package holds, the year is treated as missing and every
start day from the December before it through the year is counted forward 1–40 working days (a
reply period with or without an extension) with the full calendar (the legal date) and with the
year missing (the provisional date, core/workdays.py). Prints, per year and overall: how many
dates were compared, how many provisional dates were later than the legal one (must be 0), the
mean and largest number of calendar days by which the provisional date is earlier, and the share
that is exact. The baseline in the same run is the trivially safe bound that counts every day of
a missing year as a working day.

    .venv/bin/python bench/provisional_dates.py
"""

import os
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.test")

import django  # noqa: E402

django.setup()

from gongkai.core.workdays import (  # noqa: E402
    CalendarYearMissing,
    WorkCalendar,
    package_schedules,
)

SCHEDULES = package_schedules()


def calendar(without=None):
    holidays, workdays = [], []
    for year, (off, worked) in SCHEDULES.items():
        if year != without:
            holidays += [d for d, _ in off]
            workdays += [d for d, _ in worked]
    years = [y for y in SCHEDULES if y != without]
    return WorkCalendar.build(holidays=holidays, workdays=workdays, complete_years=years)


def every_day(start, n, known):
    """Baseline: every day of a missing year counts."""
    day, left = start, n
    while left:
        day += timedelta(days=1)
        left -= 1 if day.year not in known.complete_years else known.is_workday(day)
    return day


def main():
    real = calendar()
    totals = {"n": 0, "late": 0, "early": 0, "exact": 0, "max": 0, "base": 0}
    print(
        f"{'year':>6} {'dates':>7} {'later':>6} {'mean early':>11} {'max':>4} {'exact':>6} "
        f"{'baseline mean':>14}"
    )
    for year in sorted(SCHEDULES):
        missing = calendar(without=year).lenient()
        known = calendar(without=year)
        n = late = early = exact = most = base = 0
        day = date(year - 1, 12, 1)
        while day.year <= year:
            for limit in range(1, 41):
                try:
                    legal = real.add_workdays(day, limit)
                except CalendarYearMissing:
                    break
                provisional = missing.add_workdays(day, limit)
                gap = (legal - provisional).days
                n += 1
                late += gap < 0
                early += gap
                exact += gap == 0
                most = max(most, gap)
                base += (legal - every_day(day, limit, known)).days
            day += timedelta(days=1)
        print(
            f"{year:>6} {n:>7} {late:>6} {early / n:>11.2f} {most:>4} {exact / n:>6.1%} "
            f"{base / n:>14.2f}"
        )
        for key, value in (
            ("n", n),
            ("late", late),
            ("early", early),
            ("exact", exact),
            ("base", base),
        ):
            totals[key] += value
        totals["max"] = max(totals["max"], most)
    n = totals["n"]
    print(
        f"{'all':>6} {n:>7} {totals['late']:>6} {totals['early'] / n:>11.2f} "
        f"{totals['max']:>4} {totals['exact'] / n:>6.1%} {totals['base'] / n:>14.2f}"
    )
    print(
        f"provisional dates are {totals['early'] / totals['base']:.2f} of the baseline's "
        "distance from the legal date"
    )


if __name__ == "__main__":
    main()
