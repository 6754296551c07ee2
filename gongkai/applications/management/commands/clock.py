"""The reply clock on the command line: the officer's calculator and the daily tick.

gongkai clock due --received 2026-09-28                       -> 2026-10-30
gongkai clock due --received 2026-03-02 --correction-requested 2026-03-04 \\
                  --correction-received 2026-03-06 --paused 2026-03-10..2026-03-20 \\
                  --extended 10 --explain
gongkai clock tick [--date 2026-03-02]   (flag near-due and overdue applications; rerunnable)

The due date is computed by the same function as the staff and status pages (clock.due_date),
from the working-day calendar in the database.
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.applications import clock, services
from gongkai.core.selectors import current_work_calendar
from gongkai.core.workdays import CalendarYearMissing


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%s” is not a date in the form YYYY-MM-DD.") % value) from None


def pause(value: str) -> tuple[date, date]:
    start, sep, end = value.partition("..")
    if not sep:
        raise CommandError(_("“%s” is not a pause: write it as YYYY-MM-DD..YYYY-MM-DD.") % value)
    return iso_date(start), iso_date(end)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def clock_payload(result: clock.Clock) -> dict:
    return {
        "state": str(result.state),
        "received_on": _iso(result.received_on),
        "start_on": _iso(result.start_on),
        "due_on": _iso(result.due_on) if result.pending_year is None else None,
        "due_pending_year": result.pending_year,
        "due_provisional": _iso(result.due_on) if result.pending_year is not None else None,
        "correction_notice_due": _iso(result.correction_notice_due),
        "correction_late": result.correction_late,
        "paused_workdays": result.paused_workdays,
        "extension_workdays": result.extension_workdays,
        "steps": [
            {"on": step.on.isoformat(), "text": step.text, "due": _iso(step.due)}
            for step in result.steps
        ],
    }


class Command(BaseCommand):
    help = "Compute a reply due date from plain dates, or flag near-due and overdue applications."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="The reply due date (Articles 30–33, RULES A.1, A.4).")
        due.add_argument("--received", required=True, help="Date of receipt (YYYY-MM-DD).")
        due.add_argument("--correction-requested", help="Date the correction was requested.")
        due.add_argument("--correction-received", help="Date the correction was received.")
        due.add_argument(
            "--paused",
            action="append",
            default=[],
            metavar="D1..D2",
            help="A consultation or fee pause from D1 to D2; repeat for several.",
        )
        due.add_argument(
            "--extended", type=int, default=0, help="Working days of extension (1–20)."
        )
        due.add_argument("--explain", action="store_true", help="Print how it was computed.")
        due.add_argument("--json", action="store_true", help="Print the result as JSON.")
        tick = sub.add_parser("tick", help="Flag open applications near their due date or past it.")
        tick.add_argument("--date", help="The day to check for (default today).")
        tick.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"do_{action}")(**options)
        except CalendarYearMissing as exc:
            raise CommandError(str(exc)) from None

    def do_due(
        self,
        *,
        received,
        correction_requested,
        correction_received,
        paused,
        extended,
        explain,
        json: bool,
        **_options,
    ):
        requested = iso_date(correction_requested) if correction_requested else None
        corrected = iso_date(correction_received) if correction_received else None
        if corrected and not requested:
            raise CommandError(
                _("A correction can only be received after it was requested: give both dates.")
            )
        received_on = iso_date(received)
        for day in filter(None, [requested, corrected]):
            if day < received_on:
                raise CommandError(_("No event can precede the receipt (%s).") % received)
        if requested and corrected and corrected < requested:
            raise CommandError(_("The correction cannot be received before it was requested."))
        try:
            result = clock.due_date(
                received_on,
                current_work_calendar(),
                correction_requested=requested,
                correction_received=corrected,
                paused=[pause(value) for value in paused],
                extended=extended,
            )
        except ValueError as exc:  # an impossible pause or extension
            raise CommandError(str(exc)) from None
        if json:
            self.stdout.write(_dumps(clock_payload(result)))
            return
        if result.due_on is None:
            self.stdout.write(
                _("No due date: the clock starts again when the correction is received.")
            )
        else:
            self.stdout.write(clock.provisional_label(result.due_on, result.pending_year))
        if explain:
            for line in result.explain():
                self.stdout.write("  " + line)

    def do_tick(self, *, date: str | None, json: bool, **_options):
        on = iso_date(date) if date else None
        counts = services.applications_tick(
            on=on,
            log=lambda application, exc: self.stderr.write(
                _("%(number)s (%(agency)s) could not be checked: %(error)s")
                % {"number": application.number, "agency": application.agency, "error": exc}
            ),
        )
        if json:
            self.stdout.write(_dumps(counts))
            return
        self.stdout.write(
            _("Near due: %(near)d; overdue: %(overdue)d; flags cleared: %(cleared)d.")
            % {
                "near": counts[services.NEAR_DUE],
                "overdue": counts[services.OVERDUE],
                "cleared": counts["cleared"],
            }
        )
        if counts["errors"]:
            raise CommandError(
                _("%(n)d applications could not be checked; the others were.")
                % {"n": counts["errors"]}
            )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
