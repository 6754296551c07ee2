"""The `workdays` management command, and the `gongkai` console script that runs it."""

import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from gongkai.core import services
from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear

D = date.fromisoformat


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("zh-hans"):
        call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_add_rules_example(db):
    assert run("add", "2026-09-28", "20") == "2026-10-30"


def test_add_zero_is_the_start(db):
    assert run("add", "2026-10-03", "0") == "2026-10-03"


def test_add_across_the_spring_festival(db):
    # 2026: 02-15..23 off, Saturdays 02-14 and 02-28 worked.
    assert run("add", "2026-02-13", "1") == "2026-02-14"
    assert run("add", "2026-02-13", "6") == "2026-02-28"


def test_add_into_a_missing_year_names_it(db):
    with pytest.raises(CommandError) as caught:
        run("add", "2026-12-15", "20")
    assert "2027" in str(caught.value)


def test_add_negative_is_refused(db):
    with pytest.raises(CommandError) as caught:
        run("add", "2026-09-28", "-1")
    assert str(caught.value) == "工作日数不能为负数。"


def test_between(db):
    assert run("between", "2026-09-28", "2026-10-30") == "20"
    assert run("between", "2026-10-30", "2026-09-28") == "-20"
    assert run("between", "2026-09-30", "2026-10-08") == "1"
    assert run("between", "2026-10-01", "2026-10-01") == "0"


def test_between_into_a_missing_year_names_it(db):
    with pytest.raises(CommandError) as caught:
        run("between", "2026-12-15", "2027-01-15")
    assert "2027" in str(caught.value)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-10-10", "工作日"),  # Saturday worked (调休)
        ("2026-09-20", "工作日"),  # Sunday worked
        ("2026-10-05", "休息日"),  # Monday of the National Day holiday
        ("2026-10-11", "休息日"),  # ordinary Sunday
        ("2026-10-12", "工作日"),  # ordinary Monday
    ],
)
def test_is(db, day, expected):
    assert run("is", day) == expected


def test_is_in_english(db):
    out = StringIO()
    with translation.override("en"):
        call_command("workdays", "is", "2026-10-10", stdout=out)
        call_command("workdays", "is", "2026-10-01", stdout=out)
    assert out.getvalue().split("\n")[:2] == ["working day", "rest day"]


def test_is_in_a_missing_year_names_it(db):
    with pytest.raises(CommandError) as caught:
        run("is", "2027-01-04")
    assert "2027" in str(caught.value)


def test_years(db):
    CalendarYear.objects.create(year=2027, is_complete=False, source="待定")
    lines = run("years").splitlines()
    rows = [line.split("\t") for line in lines]
    assert [int(r[0]) for r in rows] == list(range(2004, 2028))
    assert rows[-2] == ["2026", "完整", "chinesecalendar"]
    assert rows[-1] == ["2027", "不完整", "待定"]


def test_seed_is_rerunnable(db):
    days = CalendarDay.objects.count()
    output = run("seed")
    assert "2004" in output and "2026" in output and "23" in output
    assert not AuditEvent.objects.filter(verb="calendar.year_set").exists()
    assert CalendarDay.objects.count() == days


def test_seed_fills_an_empty_calendar(db):
    CalendarYear.objects.all().delete()
    with pytest.raises(CommandError):
        run("add", "2026-09-28", "20")
    run("seed")
    assert CalendarYear.objects.filter(is_complete=True).count() == 23
    assert AuditEvent.objects.filter(verb="calendar.year_set").count() == 23
    assert run("add", "2026-09-28", "20") == "2026-10-30"


def test_seed_restores_a_changed_year(db):
    services.calendar_year_set(
        actor=None, year=2026, holidays=[(D("2026-10-01"), "国庆节")], workdays=[]
    )
    assert run("add", "2026-09-28", "20") != "2026-10-30"
    run("seed")
    assert run("add", "2026-09-28", "20") == "2026-10-30"


@pytest.mark.parametrize(
    ("args", "bad"),
    [
        (("add", "2026-13-01", "5"), "2026-13-01"),
        (("add", "28/09/2026", "5"), "28/09/2026"),
        (("between", "2026-09-28", "tomorrow"), "tomorrow"),
        (("between", "2026-9-3", "2026-09-28"), "2026-9-3"),
        (("is", "2026-02-30"), "2026-02-30"),
    ],
)
def test_bad_date_is_a_clear_error(db, args, bad):
    with pytest.raises(CommandError) as caught:
        run(*args)
    message = str(caught.value)
    assert bad in message
    assert "YYYY-MM-DD" in message


@pytest.mark.parametrize(
    "args", [("add", "2026-09-28", "twenty"), ("add", "2026-09-28"), ("frobnicate",), ()]
)
def test_bad_arguments_are_errors(db, args):
    with pytest.raises(CommandError):
        run(*args)


# --- the console script --------------------------------------------------------------------


def console(*args: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("gongkai")
    return subprocess.run(  # noqa: S603
        [str(script), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_console_script_slow(tmp_path):
    """Slower (runs `gongkai migrate` on a fresh SQLite file): proves the installed script works."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env["GONGKAI_VAR_DIR"] = str(tmp_path / "var")
    migrated = console("migrate", "--no-input", env=env, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    assert (tmp_path / "var" / "gongkai.sqlite3").exists()

    added = console("workdays", "add", "2026-09-28", "20", env=env, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "2026-10-30"

    missing = console("workdays", "add", "2026-12-15", "20", env=env, cwd=tmp_path)
    assert missing.returncode != 0
    assert "2027" in missing.stderr
    assert missing.stdout.strip() == ""

    bad = console("workdays", "is", "2026-02-30", env=env, cwd=tmp_path)
    assert bad.returncode != 0
    assert "2026-02-30" in bad.stderr
