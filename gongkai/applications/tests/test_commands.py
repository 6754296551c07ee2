"""`gongkai clock` (the officer's calculator and the daily tick) and `gongkai fee`."""

import json
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import translation

from gongkai.applications import services
from gongkai.applications.tests.conftest import person
from gongkai.core.models import AuditEvent

D = date.fromisoformat


def run(*args: str, language: str = "en") -> str:
    out = StringIO()
    with translation.override(language):
        call_command(*args, stdout=out)
    return out.getvalue().strip()


# --- clock due ----------------------------------------------------------------------------


def test_due_rules_example(db):
    assert run("clock", "due", "--received", "2026-09-28") == "2026-10-30"


def test_due_with_every_option(db):
    # Correction received 03-06 restarts the count; the pause 03-10…03-20 adds 8 working days and
    # the extension 10: 38 working days from 03-06: 04-03 (20), 04-07…04-10 (21–24; 04-06 清明),
    # 04-13…04-17 (25–29), 04-20…04-24 (30–34), 04-27…04-30 (35–38).
    output = run(
        "clock",
        "due",
        "--received=2026-03-02",
        "--correction-requested=2026-03-04",
        "--correction-received=2026-03-06",
        "--paused=2026-03-10..2026-03-20",
        "--extended=10",
    )
    assert output == "2026-04-30"


def test_due_with_two_pauses(db):
    # See test_clock_golden: 03-10…03-20 and 03-16…03-25 overlap; 11 working days; 04-15.
    output = run(
        "clock",
        "due",
        "--received=2026-03-02",
        "--paused=2026-03-10..2026-03-20",
        "--paused=2026-03-16..2026-03-25",
    )
    assert output == "2026-04-15"


def test_due_explain_prints_the_steps(db):
    lines = run("clock", "due", "--received=2026-09-28", "--extended=20", "--explain").splitlines()
    assert lines[0] == "2026-11-27"
    assert lines[1].strip().startswith("2026-09-28")
    assert "2026-10-30" in lines[1] and "2026-10-13" in lines[1]  # due; correction notice by
    assert "2026-11-27" in lines[-1]


def test_due_explain_in_chinese(db):
    lines = run("clock", "due", "--received=2026-09-28", "--explain", language="zh-hans")
    assert lines.splitlines()[0] == "2026-10-30"
    assert "2026-10-30" in lines.splitlines()[1]


def test_due_json(db):
    data = json.loads(run("clock", "due", "--received=2026-03-02", "--json"))
    assert data["due_on"] == "2026-03-30"
    assert data["correction_notice_due"] == "2026-03-11"
    assert data["state"] == "running"
    assert data["steps"][0]["on"] == "2026-03-02" and data["steps"][0]["due"] == "2026-03-30"


def test_due_while_waiting_for_the_correction(db):
    output = run("clock", "due", "--received=2026-03-02", "--correction-requested=2026-03-04")
    assert "correction" in output and "20" not in output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--received=2026-02-30"], "2026-02-30"),
        (["--received=2026-03-02", "--paused=2026-03-10"], "2026-03-10"),
        (["--received=2026-03-02", "--paused=2026-03-20..2026-03-10"], "pause"),
        (["--received=2026-03-02", "--extended=21"], "20"),
        (["--received=2026-03-02", "--correction-received=2026-03-06"], "requested"),
        (["--received=2026-03-02", "--correction-requested=2026-03-01"], "2026-03-02"),
    ],
)
def test_due_errors_are_command_errors(db, args, needle):
    with pytest.raises(CommandError) as caught:
        run("clock", "due", *args)
    assert needle in str(caught.value)


def test_due_in_a_missing_year_is_provisional_and_names_the_year(schedule_missing):
    out = run("clock", "due", "--received=2026-12-15", language="zh-hans")
    assert "预估" in out and "2027" in out
    payload = json.loads(run("clock", "due", "--received=2026-12-15", "--json"))
    assert payload["due_on"] is None
    assert payload["due_pending_year"] == 2027
    assert payload["due_provisional"].startswith("2027-01-")


def test_errors_exit_with_a_non_zero_status(db, capsys):
    utility = ManagementUtility(["gongkai", "clock", "due", "--received=2026-13-15"])
    with pytest.raises(SystemExit) as caught:
        utility.execute()
    assert caught.value.code == 1
    assert "2026-13-15" in capsys.readouterr().err


# --- clock tick ---------------------------------------------------------------------------


@pytest.fixture
def overdue_and_near(office):
    officer = office["officer"]
    with time_machine.travel("2026-09-01 10:00 +0800", tick=False):
        late = services.application_submit(
            agency=office["agency"], data=person(), channel="in_person", actor=officer
        ).application
    with time_machine.travel("2026-10-29 10:00 +0800", tick=False):
        near = services.application_submit(
            agency=office["agency"], data=person(), channel="in_person", actor=officer
        ).application
    # late: due 2026-09-29; near: due 2026-11-26 (20 working days from 10-29).
    assert (late.due_on, near.due_on) == (D("2026-09-29"), D("2026-11-26"))
    return late, near


def test_tick_flags_and_is_idempotent(db, overdue_and_near):
    late, near = overdue_and_near
    first = json.loads(run("clock", "tick", "--date=2026-11-23", "--json"))
    assert first == {"near_due": 1, "overdue": 1, "cleared": 0, "errors": 0}
    late.refresh_from_db()
    near.refresh_from_db()
    assert (late.flag, near.flag) == ("overdue", "near_due")
    recorded = AuditEvent.objects.filter(verb="application.flag").count()
    assert recorded == 2
    second = run("clock", "tick", "--date=2026-11-23")
    assert second == "Near due: 1; overdue: 1; flags cleared: 0."
    assert AuditEvent.objects.filter(verb="application.flag").count() == recorded
    # A day past the second due date both are overdue: one more change recorded.
    run("clock", "tick", "--date=2026-11-27")
    near.refresh_from_db()
    assert near.flag == "overdue"
    assert AuditEvent.objects.filter(verb="application.flag").count() == recorded + 1


def test_tick_bad_date(db):
    with pytest.raises(CommandError):
        run("clock", "tick", "--date=yesterday")


# --- fee ----------------------------------------------------------------------------------


def test_fee_per_item_worked_example():
    assert run("fee", "per-item", "--count", "35") == "3000"


def test_fee_per_page_worked_example():
    assert run("fee", "per-page", "--pages", "120") == "1100"


def test_fee_json_breakdown():
    data = json.loads(run("fee", "per-item", "--count", "35", "--json"))
    assert data["amount"] == 3000 and data["schedule"] == "per_item"
    assert [(b["first"], b["last"], b["units"], b["amount"]) for b in data["bands"]] == [
        (1, 10, 10, 0),
        (11, 30, 20, 2000),
        (31, 40, 5, 1000),
    ]


def test_fee_bands_table():
    lines = run("fee", "per-page", "--pages", "201", "--bands").splitlines()
    assert lines[0] == "2740"
    assert any(line.split()[:2] == ["201", "…"] for line in lines)


@pytest.mark.parametrize(
    "args", [("per-item", "--count", "-1"), ("per-page",), ("per-item", "--count", "x"), ()]
)
def test_fee_bad_arguments(args):
    with pytest.raises(CommandError):
        run("fee", *args)
