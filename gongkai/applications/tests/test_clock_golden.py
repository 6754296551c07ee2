"""Golden tests of the reply clock, on the working-day calendar in the database.

Every expected date below was counted by hand from the State Council's holiday notices
(国办发明电〔2023〕7号 for 2024, 〔2024〕12号 for 2025, 〔2025〕7号 for 2026); the count is written
next to it. The day of the event is not counted (RULES A.1): day 1 is the next working day.

2024  春节 02-10…02-17 off, Sun 02-04 and Sun 02-18 worked; 劳动节 05-01…05-05 off, Sun 04-28 and
      Sat 05-11 worked; 国庆 10-01…10-07 off, Sun 09-29 and Sat 10-12 worked.
2025  元旦 01-01; 春节 01-28…02-04 off, Sun 01-26 and Sat 02-08 worked; 劳动节 05-01…05-05 off,
      Sun 04-27 worked; 国庆·中秋 10-01…10-08 off, Sun 09-28 and Sat 10-11 worked.
2026  元旦 01-01…01-03 off, Sun 01-04 worked; 春节 02-15…02-23 off, Sat 02-14 and Sat 02-28
      worked; 清明 04-04…04-06 off; 端午 06-19…06-21 off; 中秋 09-25…09-27 off, Sun 09-20 worked;
      国庆 10-01…10-07 off, Sat 10-10 worked.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gongkai.applications import clock, services
from gongkai.applications.clock import ClockEvent, ClockState, EventKind
from gongkai.applications.models import Status
from gongkai.applications.tests.conftest import person
from gongkai.core.models import CalendarDay
from gongkai.core.selectors import current_work_calendar
from gongkai.core.workdays import CalendarYearMissing

pytestmark = pytest.mark.django_db

D = date.fromisoformat


@pytest.fixture
def cal():
    return current_work_calendar()


def due(received: str, cal, **kwargs) -> date | None:
    return clock.due_date(D(received), cal, **kwargs).due_on


# --- the schedule in the database is the official one ------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "off", "worked"),
    [
        # 2024 春节: 8 days off 02-10…02-17; 02-04 and 02-18 (Sundays) worked; 02-09 (除夕) a workday.
        ("2024-02-03", "2024-02-19", ["02-10", "02-11", "02-12", "02-13", "02-14", "02-15",
                                      "02-16", "02-17"], ["02-04", "02-18"]),
        # 2025 春节: 01-28…02-04 off; 01-26 (Sunday) and 02-08 (Saturday) worked.
        ("2025-01-25", "2025-02-09", ["01-28", "01-29", "01-30", "01-31", "02-01", "02-02",
                                      "02-03", "02-04"], ["01-26", "02-08"]),
        # 2026 春节: 02-15…02-23 off (9 days); 02-14 and 02-28 (Saturdays) worked.
        ("2026-02-13", "2026-03-01", ["02-15", "02-16", "02-17", "02-18", "02-19", "02-20",
                                      "02-21", "02-22", "02-23"], ["02-14", "02-28"]),
        # 2025 国庆·中秋: 10-01…10-08 off; 09-28 (Sunday) and 10-11 (Saturday) worked.
        ("2025-09-27", "2025-10-12", ["10-01", "10-02", "10-03", "10-04", "10-05", "10-06",
                                      "10-07", "10-08"], ["09-28", "10-11"]),
        # 2026 国庆: 10-01…10-07 off; 09-20 (Sunday) and 10-10 (Saturday) worked.
        ("2026-09-19", "2026-10-11", ["10-01", "10-02", "10-03", "10-04", "10-05", "10-06",
                                      "10-07", "09-25", "09-26", "09-27"], ["09-20", "10-10"]),
    ],
)  # fmt: skip
def test_the_calendar_holds_the_state_council_schedule(cal, first, last, off, worked):
    year = first[:4]
    rest_days, work_days = set(), set()
    day = D(first)
    while day <= D(last):
        (work_days if cal.is_workday(day) else rest_days).add(day)
        day = date.fromordinal(day.toordinal() + 1)
    for md in off:
        assert D(f"{year}-{md}") in rest_days, md
    for md in worked:
        assert D(f"{year}-{md}") in work_days, md
        row = CalendarDay.objects.get(date=D(f"{year}-{md}"))
        assert row.kind == "workday"


# --- Spring Festival ------------------------------------------------------------------------


def test_spring_festival_2024(cal):
    # Thu 02-01: 02-02 (1), Sun 02-04 worked (2), 02-05…02-09 (3–7), 02-10…02-17 off,
    # Sun 02-18 worked (8), 02-19…02-23 (9–13), 02-26…03-01 (14–18), 03-04 (19), 03-05 (20).
    assert due("2024-02-01", cal) == D("2024-03-05")


def test_spring_festival_2025_receipt_on_a_friday(cal):
    # Fri 01-24: Sun 01-26 worked (1), 01-27 (2), 01-28…02-04 off, 02-05…02-07 (3–5),
    # Sat 02-08 worked (6), 02-10…02-14 (7–11), 02-17…02-21 (12–16), 02-24…02-27 (17–20).
    assert due("2025-01-24", cal) == D("2025-02-27")


def test_spring_festival_2026(cal):
    # Fri 02-13: Sat 02-14 worked (1), 02-15…02-23 off, 02-24…02-27 (2–5), Sat 02-28 worked (6),
    # 03-02…03-06 (7–11), 03-09…03-13 (12–16), 03-16…03-19 (17–20).
    assert due("2026-02-13", cal) == D("2026-03-19")


def test_correction_notice_deadline_across_spring_festival_2026(cal):
    # Thu 02-12, 7 working days: 02-13 (1), Sat 02-14 (2), 02-24…02-27 (3–6), Sat 02-28 (7).
    result = clock.due_date(D("2026-02-12"), cal)
    assert result.correction_notice_due == D("2026-02-28")


# --- National Day -----------------------------------------------------------------------------


def test_national_day_2024(cal):
    # Mon 09-23: 09-24…09-27 (1–4), Sun 09-29 worked (5), 09-30 (6), 10-01…10-07 off,
    # 10-08…10-11 (7–10), Sat 10-12 worked (11), 10-14…10-18 (12–16), 10-21…10-24 (17–20).
    assert due("2024-09-23", cal) == D("2024-10-24")


def test_national_day_2025(cal):
    # Fri 09-26: Sun 09-28 worked (1), 09-29 (2), 09-30 (3), 10-01…10-08 off, 10-09 (4),
    # 10-10 (5), Sat 10-11 worked (6), 10-13…10-17 (7–11), 10-20…10-24 (12–16), 10-27…10-30 (17–20).
    assert due("2025-09-26", cal) == D("2025-10-30")


def test_national_day_2026_rules_example(cal):
    # RULES A.1. Mon 09-28: 09-29 (1), 09-30 (2), 10-01…10-07 off, 10-08 (3), 10-09 (4),
    # Sat 10-10 worked (5), 10-12…10-16 (6–10), 10-19…10-23 (11–15), 10-26…10-30 (16–20).
    assert due("2026-09-28", cal) == D("2026-10-30")


def test_receipt_on_a_holiday(cal):
    # Sat 2026-10-03 (holiday): 10-08 (1), 10-09 (2), Sat 10-10 (3), 10-12…10-16 (4–8),
    # 10-19…10-23 (9–13), 10-26…10-30 (14–18), 11-02 (19), 11-03 (20).
    assert due("2026-10-03", cal) == D("2026-11-03")


def test_receipt_on_a_make_up_saturday(cal):
    # Sat 2026-10-10 (worked): 10-12…10-16 (1–5), 10-19…10-23 (6–10), 10-26…10-30 (11–15),
    # 11-02…11-06 (16–20).
    assert due("2026-10-10", cal) == D("2026-11-06")


def test_receipt_on_a_make_up_sunday_before_mid_autumn(cal):
    # Sun 2026-09-20 (worked): 09-21…09-24 (1–4), Fri 09-25 中秋 off, 09-28…09-30 (5–7),
    # 10-08 (8), 10-09 (9), Sat 10-10 (10), 10-12…10-16 (11–15), 10-19…10-23 (16–20).
    assert due("2026-09-20", cal) == D("2026-10-23")


def test_receipt_on_a_friday_before_dragon_boat_2026(cal):
    # Fri 06-12: 06-15…06-18 (1–4), Fri 06-19 端午 off, 06-22…06-26 (5–9), 06-29…07-03 (10–14),
    # 07-06…07-10 (15–19), 07-13 (20).
    assert due("2026-06-12", cal) == D("2026-07-13")


# --- 调休 weekends around Labour Day and the new year ----------------------------------------


def test_labour_day_2024_counts_both_make_up_days(cal):
    # Fri 04-26: Sun 04-28 worked (1), 04-29 (2), 04-30 (3), 05-01…05-05 off, 05-06…05-10 (4–8),
    # Sat 05-11 worked (9), 05-13…05-17 (10–14), 05-20…05-24 (15–19), 05-27 (20).
    assert due("2024-04-26", cal) == D("2024-05-27")


def test_labour_day_2025(cal):
    # Fri 04-25: Sun 04-27 worked (1), 04-28…04-30 (2–4), 05-01…05-05 off, 05-06…05-09 (5–8),
    # 05-12…05-16 (9–13), 05-19…05-23 (14–18), 05-26 (19), 05-27 (20).
    assert due("2025-04-25", cal) == D("2025-05-27")


def test_across_the_new_year_2026(cal):
    # Wed 2025-12-31: 01-01 and 01-02 off, Sun 01-04 worked (1), 01-05…01-09 (2–6),
    # 01-12…01-16 (7–11), 01-19…01-23 (12–16), 01-26…01-29 (17–20).
    assert due("2025-12-31", cal) == D("2026-01-29")


# --- 补正 ----------------------------------------------------------------------------------


def test_correction_restarts_the_clock(cal):
    # Received Mon 03-02; correction asked 03-04, received Fri 03-06. From 03-06:
    # 03-09…03-13 (1–5), 03-16…03-20 (6–10), 03-23…03-27 (11–15), 03-30…04-03 (16–20).
    result = clock.due_date(
        D("2026-03-02"),
        cal,
        correction_requested=D("2026-03-04"),
        correction_received=D("2026-03-06"),
    )
    assert result.due_on == D("2026-04-03")
    assert result.start_on == D("2026-03-06")
    # 7 working days from 03-02: 03-03…03-06 (1–4), 03-09…03-11 (5–7).
    assert result.correction_notice_due == D("2026-03-11")
    assert result.correction_late is False


def test_waiting_for_a_correction_has_no_due_date(cal):
    result = clock.due_date(D("2026-03-02"), cal, correction_requested=D("2026-03-04"))
    assert result.state == ClockState.AWAITING_CORRECTION
    assert result.due_on is None


def test_correction_on_the_seventh_working_day_is_in_time(cal):
    result = clock.due_date(D("2026-03-02"), cal, correction_requested=D("2026-03-11"))
    assert result.correction_late is False


def test_correction_requested_after_seven_working_days_is_flagged(cal):
    # 03-12 is the 8th working day after 03-02.
    with translation.override("en"):
        result = clock.due_date(D("2026-03-02"), cal, correction_requested=D("2026-03-12"))
    assert result.correction_late is True
    assert any("7 working days" in line for line in result.explain())


# --- consultation pauses ------------------------------------------------------------------


def test_single_consultation_pause(cal):
    # Received 03-02 (due 03-30 without pause). Paused 03-10…03-20: 03-11…03-13, 03-16…03-20 =
    # 8 working days. 28 working days from 03-02: 03-30 (20), 03-31 (21), 04-01…04-03 (22–24),
    # Mon 04-06 清明 off, 04-07…04-10 (25–28).
    result = clock.due_date(D("2026-03-02"), cal, paused=[(D("2026-03-10"), D("2026-03-20"))])
    assert result.paused_workdays == 8
    assert result.due_on == D("2026-04-10")


def test_two_overlapping_consultations_pause_once(cal):
    # 03-10…03-20 and 03-16…03-25 together stop the clock 03-10…03-25: 03-11…03-13 (3),
    # 03-16…03-20 (8), 03-23…03-25 (11). 31 working days: …04-10 (28), 04-13…04-15 (29–31).
    result = clock.due_date(
        D("2026-03-02"),
        cal,
        paused=[(D("2026-03-10"), D("2026-03-20")), (D("2026-03-16"), D("2026-03-25"))],
    )
    assert result.paused_workdays == 11
    assert result.due_on == D("2026-04-15")


def test_consultation_after_the_due_date_does_not_move_it(cal):
    # Due 03-30 (20 working days from 03-02); a consultation from 04-01 is too late to count.
    result = clock.due_date(D("2026-03-02"), cal, paused=[(D("2026-04-01"), D("2026-04-10"))])
    assert result.paused_workdays == 0
    assert result.due_on == D("2026-03-30")


def test_open_pause_gives_a_provisional_date_that_moves_with_today(cal):
    events = [
        ClockEvent(EventKind.RECEIVED, D("2026-03-02")),
        ClockEvent(EventKind.CONSULTATION_STARTED, D("2026-03-10"), ref="1"),
    ]
    # On 03-20, 8 working days of pause so far: 28 working days from 03-02 → 04-10.
    on_20th = clock.compute(events, cal, today=D("2026-03-20"))
    assert on_20th.provisional and on_20th.state == ClockState.PAUSED
    assert on_20th.due_on == D("2026-04-10")
    # On 03-25, 11 working days of pause: 31 working days → 04-15.
    on_25th = clock.compute(events, cal, today=D("2026-03-25"))
    assert on_25th.due_on == D("2026-04-15")


# --- extension ----------------------------------------------------------------------------


def test_extension_of_20_working_days(cal):
    # 40 working days from 2026-09-28: 10-30 (20), 11-02…11-06 (21–25), 11-09…11-13 (26–30),
    # 11-16…11-20 (31–35), 11-23…11-27 (36–40).
    result = clock.due_date(D("2026-09-28"), cal, extended=20)
    assert result.extension_workdays == 20
    assert result.due_on == D("2026-11-27")


def test_calculator_refuses_more_than_20_days(cal):
    with pytest.raises(ValueError, match="20"):
        clock.due_date(D("2026-09-28"), cal, extended=21)


@time_machine.travel("2026-03-10 10:00 +0800", tick=False)
def test_extensions_are_capped_at_20_working_days_in_all(office):
    app = services.application_submit(
        agency=office["agency"],
        data=person(),
        channel="in_person",
        actor=office["officer"],
        received_on=D("2026-03-02"),
    ).application
    with pytest.raises(PermissionDenied):
        services.application_extend(actor=office["officer"], application=app, days=5, reason="档案")
    services.application_extend(actor=office["head"], application=app, days=15, reason="档案多")
    with pytest.raises(ValidationError) as caught:
        services.application_extend(actor=office["head"], application=app, days=6, reason="再延")
    assert "5" in caught.value.messages[0]
    services.application_extend(actor=office["head"], application=app, days=5, reason="再延")
    app.refresh_from_db()
    # 40 working days from 03-02: 03-30 (20), 03-31…04-03 (21–24), 04-06 off, 04-07…04-10 (25–28),
    # 04-13…04-17 (29–33), 04-20…04-24 (34–38), 04-27 (39), 04-28 (40).
    assert app.due_on == D("2026-04-28")
    with pytest.raises(ValidationError):
        services.application_extend(actor=office["head"], application=app, days=1, reason="又延")


# --- fee pause ----------------------------------------------------------------------------


def _fee_events():
    return [
        ClockEvent(EventKind.RECEIVED, D("2026-03-02")),
        ClockEvent(EventKind.FEE_NOTIFIED, D("2026-03-05")),
        ClockEvent(EventKind.FEE_PAID, D("2026-03-12")),
    ]


def test_fee_notice_to_payment_does_not_count(cal):
    # Paused 03-05…03-12: 03-06, 03-09…03-12 = 5 working days; 25 working days from 03-02:
    # 03-30 (20), 03-31…04-03 (21–24), 04-06 清明 off, 04-07 (25).
    result = clock.compute(_fee_events(), cal, today=D("2026-03-20"))
    assert result.paused_workdays == 5
    assert result.due_on == D("2026-04-07")


def test_fee_pause_switched_off_keeps_the_clock_running(cal):
    result = clock.compute(_fee_events(), cal, today=D("2026-03-20"), fee_pauses=False)
    assert result.paused_workdays == 0
    assert result.due_on == D("2026-03-30")


@pytest.mark.parametrize(("pauses", "expected"), [(True, "2026-04-07"), (False, "2026-03-30")])
def test_fee_pause_follows_the_agency_setting(office, pauses, expected):
    agency, officer = office["agency"], office["officer"]
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        services.application_settings_update(
            actor=office["head"], agency=agency, data={"fee_pauses_clock": pauses}
        )
        app = services.application_submit(
            agency=agency, data=person(), channel="in_person", actor=officer
        ).application
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        services.fee_notify(actor=officer, application=app, schedule="per_page", pages=120)
    with time_machine.travel("2026-03-12 10:00 +0800", tick=False):
        services.fee_record_payment(actor=officer, application=app, receipt_number="R-1")
    app.refresh_from_db()
    assert app.status == Status.PROCESSING
    assert app.due_on == D(expected)


# --- conclusion ---------------------------------------------------------------------------


def test_concluded_on_the_due_date_is_on_time(cal):
    events = [
        ClockEvent(EventKind.RECEIVED, D("2026-03-02")),
        ClockEvent(EventKind.REPLIED, D("2026-03-30")),
    ]
    result = clock.compute(events, cal)
    assert result.state == ClockState.CONCLUDED
    assert result.on_time is True


def test_concluded_a_day_late_is_flagged_in_the_steps(cal):
    events = [
        ClockEvent(EventKind.RECEIVED, D("2026-03-02")),
        ClockEvent(EventKind.REPLIED, D("2026-03-31")),
    ]
    result = clock.compute(events, cal)
    assert result.on_time is False
    assert "2026-03-30" in result.explain()[-1]


def test_reply_while_paused_closes_the_pause(cal):
    # A reply during a consultation: the pause 03-10…03-20 (8 working days) still counts.
    events = [
        ClockEvent(EventKind.RECEIVED, D("2026-03-02")),
        ClockEvent(EventKind.CONSULTATION_STARTED, D("2026-03-10"), ref="1"),
        ClockEvent(EventKind.REPLIED, D("2026-03-20")),
    ]
    result = clock.compute(events, cal)
    assert result.due_on == D("2026-04-10") and result.on_time is True


# --- the missing year -----------------------------------------------------------------------


def test_a_due_date_in_a_missing_year_is_pending_with_a_provisional_date(schedule_missing):
    # 2026-12-15 + 20 working days reaches into January 2027, whose schedule is not entered.
    cal = current_work_calendar()
    with translation.override("en"):
        result = clock.due_date(D("2026-12-15"), cal)
    assert result.pending_year == 2027
    # December 2026 is known (12 working days to 12-31); then 8 weekdays of 2027 at the latest.
    assert D("2027-01-01") <= result.due_on <= D("2027-01-12")
    assert "provisional until the 2027 holiday schedule" in result.steps[0].text
    with pytest.raises(CalendarYearMissing):
        cal.add_workdays(D("2026-12-15"), 20)  # the strict count still never guesses


def test_receipt_in_a_missing_year_is_pending(schedule_missing):
    result = clock.due_date(D("2027-01-04"), current_work_calendar())
    assert result.pending_year == 2027
    assert result.due_on is not None


def test_a_reply_after_the_provisional_date_is_not_known_to_be_late(schedule_missing):
    cal = current_work_calendar()
    provisional = clock.due_date(D("2026-12-15"), cal).due_on
    events = [
        clock.ClockEvent(clock.EventKind.RECEIVED, D("2026-12-15")),
        clock.ClockEvent(clock.EventKind.REPLIED, provisional + timedelta(days=1)),
    ]
    assert clock.compute(events, cal).on_time is None
    events[1] = clock.ClockEvent(clock.EventKind.REPLIED, provisional)
    assert clock.compute(events, cal).on_time is True


def test_received_before_the_2019_regulation_has_no_computed_due_date(cal):
    """Before 2019-05-15 the 2007 条例's periods applied; they are not in our rule sources."""
    with translation.override("en"):
        before = clock.due_date(D("2019-05-14"), cal)
    assert before.due_on is None
    assert before.on_time is None
    assert "before 15 May 2019" in before.steps[0].text
    # the first day under the revised 条例: 20 working days (端午 2019-06-07 off)
    assert clock.due_date(D("2019-05-15"), cal).due_on == D("2019-06-13")
