"""Working-day calendar on the command line.

gongkai workdays add 2026-09-28 20        -> 2026-10-30
gongkai workdays between 2026-09-28 2026-10-30
gongkai workdays is 2026-10-10
gongkai workdays years
gongkai workdays seed                     (load the chinesecalendar package's years; rerunnable)
gongkai workdays notice 通知.docx [--json] [--save]
                                          (read the State Council's notice; --save enters its year)
"""

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from gongkai.core import safefile, services
from gongkai.core.models import CalendarYear
from gongkai.core.notice import NoticeError, NoticeSchedule, read_notice
from gongkai.core.workdays import CalendarYearMissing, add_workdays, is_workday, workdays_between


def moved_line(moved) -> str:
    """One recomputed deadline, as the officer reads it."""
    return _("%(label)s: due %(due)s (was estimated as %(before)s)") % {
        "label": moved.label,
        "due": (moved.due or moved.provisional or "—"),
        "before": moved.provisional or "—",
    }


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%s” is not a date in the form YYYY-MM-DD.") % value) from None


NOTICE_SUFFIXES = (".txt", ".html", ".htm", ".docx")
NOTICE_MAX_BYTES = 5 * 2**20  # a notice is one page; anything larger is not one


def notice_text(path: Path) -> str:
    """The text of a notice file: plain text (UTF-8 or GB18030), a web page, or a Word file."""
    if path.suffix.lower() not in NOTICE_SUFFIXES:
        raise CommandError(
            _("“%(name)s”: the notice must be a .txt, .html, .htm or .docx file.")
            % {"name": path.name}
        )
    try:
        data = path.read_bytes()
    except OSError:
        raise CommandError(_("“%(name)s” cannot be read.") % {"name": path}) from None
    if len(data) > NOTICE_MAX_BYTES:
        raise CommandError(_("“%(name)s” is too large to be a notice.") % {"name": path.name})
    if path.suffix.lower() == ".docx":
        # the attachments' reader (registered by the catalogue: core imports no app): the file
        # is sniffed by content and read within the safe reader's limits; a damaged one gives ''
        try:
            text = safefile.read_text("docx", data, name=path.name)
        except safefile.FileRefused as exc:
            raise CommandError(str(exc)) from None
        if not text.strip():
            raise CommandError(
                _("“%(name)s” is not a Word document with text.") % {"name": path.name}
            )
        return text
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CommandError(_("“%(name)s” is neither UTF-8 nor GB18030 text.") % {"name": path.name})


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
        notice = sub.add_parser(
            "notice", help="Read the State Council's holiday notice (.txt, .html, .htm, .docx)."
        )
        notice.add_argument("file")
        notice.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the dates as JSON."
        )
        notice.add_argument(
            "--save", action="store_true", help="Enter the year (replaces it as a whole; audited)."
        )

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

    def do_notice(self, *, file, as_json: bool, save: bool, **_options):
        path = Path(file)
        text = notice_text(path)
        html = True if path.suffix.lower() in (".html", ".htm") else None
        try:
            notice = read_notice(text, html=html)
        except NoticeError as exc:
            raise CommandError(str(exc)) from None
        if as_json:
            self.stdout.write(json.dumps(notice.to_json(), ensure_ascii=False, indent=2))
        else:
            self._print_notice(notice)
        if not save:
            return
        source = f"国务院办公厅通知（{path.name}）"  # stored as the year's source, like the paste's
        try:
            entered = services.calendar_notice_save(actor=None, notice=notice, source=source)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        holidays, workdays = notice.to_schedule()
        saved = _(
            "Saved: %(year)d now holds %(holidays)d weekdays off and %(workdays)d weekend days "
            "worked (source: %(source)s)."
        ) % {
            "year": notice.year,
            "holidays": len(holidays),
            "workdays": len(workdays),
            "source": source,
        }
        # with --json, stdout stays pure JSON
        out = self.stderr if as_json else self.stdout
        out.write(saved)
        for moved in getattr(entered, "recomputed", []):
            out.write("  " + moved_line(moved))

    def _print_notice(self, notice: NoticeSchedule):
        self.stdout.write(_("Holiday schedule for %(year)d") % {"year": notice.year})
        self.stdout.write(_("Days off (%(n)d):") % {"n": len(notice.holidays)})
        for day, name in notice.holidays:
            self.stdout.write(f"  {day.isoformat()} {WEEKDAYS[day.weekday()]} {name}")
        self.stdout.write(_("Make-up workdays (%(n)d):") % {"n": len(notice.workdays)})
        for day, name in notice.workdays:
            self.stdout.write(f"  {day.isoformat()} {WEEKDAYS[day.weekday()]} {name}")
