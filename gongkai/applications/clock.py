"""The reply clock of an application: a pure function of its events and the working-day calendar.

Articles (条例 2019, RULES C §1.1–1.4; our readings in RULES Part A):
- 第三十三条: "应当自收到申请之日起20个工作日内予以答复；需要延长答复期限的，应当经政府信息公开
  工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。" and "行政机关征求第三方和
  其他机关意见所需时间不计算在前款规定的期限内。"
- 第三十条: 补正 must be asked "自收到申请之日起7个工作日内…一次性"; "答复期限自行政机关收到补正的
  申请之日起计算" (the clock starts again).
- Part A.1: the day of an event is not counted (民法典 第二百零一条).
- Part A.4: the days between a fee notice and payment do not count (configurable, on by default).

A pause (consultation, fee) that starts after the reply was already due does not move the due
date: the agency was late before it asked.

When the count reaches a year whose holiday schedule is not entered yet, the due date is pending
(`pending_year`): `due_on` is then the provisional date of core/workdays.py, never later than the
legal one, and every text that shows it says 预估.

An application received before 2019-05-15, when the revised 条例 took effect (国务院令第711号:
"2019年5月15日施行"), ran on the periods of the 2007 条例 (国务院令第492号), which our rule sources
do not hold: its due date is not computed, so whether it was answered in time is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _

from gongkai.core.workdays import LenientCalendar, WorkCalendar

IN_FORCE = date(2019, 5, 15)
REPLY_WORKDAYS = 20
CORRECTION_NOTICE_WORKDAYS = 7
CONSULTATION_WORKDAYS = 15
MAX_EXTENSION_WORKDAYS = 20
FEE_PAYMENT_WORKDAYS = 20


class EventKind(StrEnum):
    SUBMITTED = "submitted"
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CORRECTION_LAPSED = "correction_lapsed"
    CONSULTATION_STARTED = "consultation_started"
    CONSULTATION_ENDED = "consultation_ended"
    EXTENDED = "extended"
    FEE_NOTIFIED = "fee_notified"
    FEE_PAID = "fee_paid"
    FEE_LAPSED = "fee_lapsed"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"


CONCLUDING = frozenset(
    {EventKind.REPLIED, EventKind.CORRECTION_LAPSED, EventKind.FEE_LAPSED, EventKind.WITHDRAWN}
)


@dataclass(frozen=True)
class ClockEvent:
    kind: str
    on: date
    days: int = 0  # EXTENDED: working days granted
    ref: str = ""  # pauses: which consultation a start/end belongs to


class ClockState(StrEnum):
    NOT_RECEIVED = "not_received"
    RUNNING = "running"
    AWAITING_CORRECTION = "awaiting_correction"
    PAUSED = "paused"
    CONCLUDED = "concluded"


@dataclass(frozen=True)
class Step:
    on: date
    text: str
    due: date | None


@dataclass
class Clock:
    state: ClockState = ClockState.NOT_RECEIVED
    received_on: date | None = None
    start_on: date | None = None
    due_on: date | None = None
    correction_notice_due: date | None = None
    correction_requested_on: date | None = None
    correction_late: bool = False
    paused_workdays: int = 0
    paused_since: date | None = None
    extension_workdays: int = 0
    concluded_on: date | None = None
    provisional: bool = False  # paused: the due date moves day by day
    pending_year: int | None = None  # the due date waits for this year's holiday schedule
    steps: list[Step] = field(default_factory=list)

    @property
    def extended(self) -> bool:
        return self.extension_workdays > 0

    @property
    def on_time(self) -> bool | None:
        if self.concluded_on is None or self.due_on is None:
            return None
        if self.concluded_on <= self.due_on:
            return True
        # After a provisional date but perhaps not after the legal one: not known yet.
        return None if self.pending_year is not None else False

    def workdays_left(self, today: date, calendar: WorkCalendar | LenientCalendar) -> int | None:
        """Working days from `today` to the due date (negative when overdue; a safe bound while
        a year's schedule is missing)."""
        if self.due_on is None or self.state == ClockState.CONCLUDED:
            return None
        return calendar.lenient().workdays_between(today, self.due_on)

    def explain(self) -> list[str]:
        return [f"{step.on.isoformat()}  {step.text}" for step in self.steps]


def sentences(*parts: str) -> str:
    """Sentences joined as the language writes them: a space after a Western full stop, none
    after a Chinese one."""
    text = ""
    for part in filter(None, (p.strip() for p in parts)):
        if text and not text.endswith(("。", "！", "？", "；")):
            text += " "
        text += part
    return text


def _fmt(day: date | None) -> str:
    return day.isoformat() if day else "—"


def provisional_label(day: date | None, pending_year: int | None) -> str:
    """A date as shown, marked 预估 while it waits for a year's holiday schedule."""
    if day is None or pending_year is None:
        return _fmt(day)
    return _("%(date)s (provisional until the %(year)d holiday schedule is entered)") % {
        "date": day.isoformat(),
        "year": pending_year,
    }


def compute(
    events: list[ClockEvent],
    calendar: WorkCalendar | LenientCalendar,
    *,
    today: date | None = None,
    fee_pauses: bool = True,
) -> Clock:
    """Replay `events` (in the order given, which must be chronological) into a Clock."""
    clock = Clock()
    open_pauses: set[str] = set()
    # Never raises for a missing year; the years it needed say the due date is pending.
    calendar = LenientCalendar(calendar.base if isinstance(calendar, LenientCalendar) else calendar)

    def _fmt(day: date | None) -> str:
        pending = calendar.pending_year
        return provisional_label(day, pending if day and pending and pending <= day.year else None)

    def due() -> date | None:
        if clock.start_on is None:
            raise RuntimeError("no receipt date yet")
        if clock.received_on and clock.received_on < IN_FORCE:
            return None
        return calendar.add_workdays(
            clock.start_on, REPLY_WORKDAYS + clock.extension_workdays + clock.paused_workdays
        )

    def step(on: date, text: str) -> None:
        clock.steps.append(Step(on, text, clock.due_on))

    def open_pause(on: date, ref: str, text: str) -> None:
        if clock.start_on is None or clock.state == ClockState.CONCLUDED:
            return
        if clock.due_on is not None and on > clock.due_on:
            step(
                on,
                sentences(
                    text, _("The reply was already due, so this does not move the due date.")
                ),
            )
            return
        if not open_pauses:
            clock.paused_since = on
            clock.state = ClockState.PAUSED
        open_pauses.add(ref)
        step(on, sentences(text, _("The clock stops.")))

    def close_pause(on: date, ref: str, text: str) -> None:
        if ref not in open_pauses:
            step(on, text)
            return
        open_pauses.discard(ref)
        if open_pauses:
            step(on, sentences(text, _("Another pause is still running.")))
            return
        days = calendar.workdays_between(clock.paused_since or on, on)
        clock.paused_workdays += days
        clock.paused_since = None
        clock.state = ClockState.RUNNING
        clock.due_on = due()
        step(
            on,
            sentences(
                text,
                _("The clock runs again: %(n)d working days were not counted; due %(due)s.")
                % {"n": days, "due": _fmt(clock.due_on)},
            ),
        )

    for event in events:
        kind, on = event.kind, event.on
        if clock.state == ClockState.CONCLUDED and kind != EventKind.RECEIVED:
            continue
        if kind == EventKind.SUBMITTED:
            step(on, _("Application registered; the receipt date is set when it is confirmed."))
        elif kind == EventKind.RECEIVED:
            clock.received_on = clock.start_on = on
            clock.paused_workdays = clock.extension_workdays = 0
            clock.state = ClockState.RUNNING
            if on < IN_FORCE:
                clock.due_on = clock.correction_notice_due = None
                step(
                    on,
                    _(
                        "Application received before 15 May 2019: the reply periods of the "
                        "former Regulations apply, and no due date is computed."
                    ),
                )
                continue
            clock.correction_notice_due = calendar.add_workdays(on, CORRECTION_NOTICE_WORKDAYS)
            clock.due_on = due()
            step(
                on,
                _(
                    "Application received (Article 31). Reply due within %(n)d working days: "
                    "%(due)s. A request for correction must be sent by %(corr)s (Article 30)."
                )
                % {
                    "n": REPLY_WORKDAYS,
                    "due": _fmt(clock.due_on),
                    "corr": _fmt(clock.correction_notice_due),
                },
            )
        elif kind == EventKind.CORRECTION_REQUESTED:
            clock.correction_requested_on = on
            clock.correction_late = bool(
                clock.correction_notice_due and on > clock.correction_notice_due
            )
            clock.state = ClockState.AWAITING_CORRECTION
            clock.due_on = None
            text = _(
                "Correction requested (Article 30). The reply clock starts again when the "
                "correction is received."
            )
            if clock.correction_late:
                text = sentences(text, _("The request was later than the 7 working days allowed."))
            step(on, text)
        elif kind == EventKind.CORRECTION_RECEIVED:
            clock.start_on = on
            clock.paused_workdays = clock.extension_workdays = 0
            open_pauses.clear()
            clock.state = ClockState.RUNNING
            clock.due_on = due()
            step(
                on,
                _("Correction received: the %(n)d working days count again from here; due %(due)s.")
                % {"n": REPLY_WORKDAYS, "due": _fmt(clock.due_on)},
            )
        elif kind == EventKind.CONSULTATION_STARTED:
            open_pause(
                on,
                "consultation:" + event.ref,
                _("Consultation started (Articles 32–34; up to %(n)d working days).")
                % {"n": CONSULTATION_WORKDAYS},
            )
        elif kind == EventKind.CONSULTATION_ENDED:
            close_pause(on, "consultation:" + event.ref, _("Consultation ended."))
        elif kind == EventKind.FEE_NOTIFIED:
            if fee_pauses:
                open_pause(on, "fee", _("Fee notice sent; the applicant holds the clock."))
            else:
                step(on, _("Fee notice sent; the clock keeps running."))
        elif kind == EventKind.FEE_PAID:
            if fee_pauses:
                close_pause(on, "fee", _("Fee paid."))
            else:
                step(on, _("Fee paid."))
        elif kind == EventKind.EXTENDED:
            if clock.start_on is None:
                continue
            clock.extension_workdays += event.days
            if clock.state != ClockState.PAUSED:
                clock.due_on = due()
            step(
                on,
                _("Reply period extended by %(n)d working days (Article 33); due %(due)s.")
                % {"n": event.days, "due": _fmt(due())},
            )
        elif kind in CONCLUDING:
            if open_pauses and clock.paused_since is not None:
                clock.paused_workdays += calendar.workdays_between(clock.paused_since, on)
                open_pauses.clear()
                clock.paused_since = None
            if clock.start_on is not None and clock.state != ClockState.AWAITING_CORRECTION:
                clock.due_on = due()
            clock.state = ClockState.CONCLUDED
            clock.concluded_on = on
            labels = {
                EventKind.REPLIED: _("Replied."),
                EventKind.CORRECTION_LAPSED: _(
                    "No correction in time: the application is deemed abandoned (Article 30)."
                ),
                EventKind.FEE_LAPSED: _(
                    "Fee not paid in time: the application is deemed abandoned."
                ),
                EventKind.WITHDRAWN: _("The applicant withdrew the application."),
            }
            text = labels[kind]
            if clock.on_time is False:
                text = sentences(
                    text, _("This was after the due date (%(due)s).") % {"due": _fmt(clock.due_on)}
                )
            step(on, text)

    if clock.state == ClockState.PAUSED and clock.paused_since is not None and due() is not None:
        # While the clock is stopped the due date moves day by day; show where it stands today.
        running = calendar.workdays_between(
            clock.paused_since, max(today or clock.paused_since, clock.paused_since)
        )
        clock.due_on = calendar.add_workdays(
            clock.start_on,
            REPLY_WORKDAYS + clock.extension_workdays + clock.paused_workdays + running,
        )
        clock.provisional = True
    if clock.due_on is not None and calendar.pending_years:
        clock.pending_year = calendar.pending_year
    return clock


def due_date(
    received: date,
    calendar: WorkCalendar,
    *,
    correction_requested: date | None = None,
    correction_received: date | None = None,
    paused: list[tuple[date, date]] = (),
    extended: int = 0,
) -> Clock:
    """The officer's calculator (`gongkai clock due`): the same rules from plain dates."""
    events: list[tuple[date, int, ClockEvent]] = [
        (received, 0, ClockEvent(EventKind.RECEIVED, received))
    ]
    if correction_requested:
        events.append(
            (
                correction_requested,
                1,
                ClockEvent(EventKind.CORRECTION_REQUESTED, correction_requested),
            )
        )
    if correction_received:
        events.append(
            (correction_received, 2, ClockEvent(EventKind.CORRECTION_RECEIVED, correction_received))
        )
    for n, (start, end) in enumerate(paused):
        if end < start:
            raise ValueError(_("A pause cannot end before it starts."))
        events.append((start, 3, ClockEvent(EventKind.CONSULTATION_STARTED, start, ref=str(n))))
        events.append((end, 4, ClockEvent(EventKind.CONSULTATION_ENDED, end, ref=str(n))))
    if extended:
        if not 0 < extended <= MAX_EXTENSION_WORKDAYS:
            raise ValueError(_("An extension is 1 to 20 working days (Article 33)."))
        # Extensions are granted before the reply falls due; put it after every other event.
        last = max(day for day, _order, _event in events)
        events.append((last, 5, ClockEvent(EventKind.EXTENDED, last, days=extended)))
    events.sort(key=lambda entry: (entry[0], entry[1]))
    return compute([event for _day, _order, event in events], calendar)
