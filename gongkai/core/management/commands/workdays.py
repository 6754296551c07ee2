"""Working-day calendar on the command line.

gongkai workdays add 2026-09-28 20        -> 2026-10-30
gongkai workdays between 2026-09-28 2026-10-30
gongkai workdays is 2026-10-10
gongkai workdays years
gongkai workdays seed                     (load the chinesecalendar package's years; rerunnable)
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.core import services
from gongkai.core.models import CalendarYear
from gongkai.core.workdays import CalendarYearMissing, add_workdays, is_workday, workdays_between


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%s” is not a date in the form YYYY-MM-DD.") % value) from None


class Command(BaseCommand):
    help = "Count working days by the official holiday schedule (the start day is not counted)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="The N-th working day after START.")
        add.add_argument("start")
        add.add_argument("days", type=int)
        between = sub.add_parser("between", help="Working days in (A, B].")
        between.add_argument("a")
        between.add_argument("b")
        is_ = sub.add_parser("is", help="Whether DATE is a working day.")
        is_.add_argument("day")
        sub.add_parser("years", help="The years entered and whether each is complete.")
        sub.add_parser("seed", help="Load the years the chinesecalendar package covers.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"do_{action}")(**options)
        except CalendarYearMissing as exc:
            raise CommandError(str(exc)) from None

    def do_add(self, *, start, days, **_options):
        if days < 0:
            raise CommandError(_("The number of working days must not be negative."))
        self.stdout.write(add_workdays(iso_date(start), days).isoformat())

    def do_between(self, *, a, b, **_options):
        self.stdout.write(str(workdays_between(iso_date(a), iso_date(b))))

    def do_is(self, *, day, **_options):
        working = is_workday(iso_date(day))
        self.stdout.write(_("working day") if working else _("rest day"))

    def do_years(self, **_options):
        for year in CalendarYear.objects.order_by("year"):
            status = _("complete") if year.is_complete else _("incomplete")
            self.stdout.write(f"{year.year}\t{status}\t{year.source}")

    def do_seed(self, **_options):
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task(_("Loading holiday schedules"), total=None)
            years = services.calendar_seed_from_package(
                progress=lambda year: progress.update(task, advance=1, description=str(year))
            )
        self.stdout.write(
            _("Holiday schedules loaded for %(first)d–%(last)d (%(n)d years).")
            % {"first": years[0], "last": years[-1], "n": len(years)}
        )
