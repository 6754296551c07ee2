"""`gongkai workdays notice FILE [--json] [--save]`: the State Council's notice on the command line."""

import json
import shutil
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear, DayKind
from gongkai.core.notice import read_notice
from gongkai.core.workdays import add_workdays

D = date.fromisoformat
NOTICES = Path(__file__).parent / "notices"


@pytest.fixture(autouse=True)
def frozen_clock():
    """Saving stamps the audit trail and the year: the clock stands still, in late November."""
    with time_machine.travel(
        datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


@pytest.fixture
def no_2027(db):
    # a newer chinesecalendar may hold 2027; these tests enter it themselves
    CalendarYear.objects.filter(year=2027).delete()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("zh-hans"):
        call_command("workdays", "notice", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def copy(name: str, tmp_path: Path, as_name: str | None = None) -> Path:
    target = tmp_path / (as_name or name)
    shutil.copy(NOTICES / name, target)
    return target


def test_prints_the_year_the_days_off_and_the_workdays(db, tmp_path):
    out, _err = run(str(copy("2026.txt", tmp_path)))
    lines = out.splitlines()
    assert "2026" in lines[0]
    assert "  2026-01-01 星期四 元旦" in lines
    assert "  2026-02-21 星期六 春节" in lines  # every day of a range, weekends too
    assert "  2026-10-10 星期六 国庆节" in lines
    off = [line for line in lines if line.startswith("  ")]
    assert len(off) == 33 + 6
    # the heading of the workdays comes after the last day off
    assert lines.index("  2026-10-07 星期三 国庆节") < lines.index("  2026-01-04 星期日 元旦")
    assert not AuditEvent.objects.filter(verb="calendar.year_set").exists()


def test_json(db, tmp_path):
    out, _err = run(str(copy("2025.txt", tmp_path)), "--json")
    printed = json.loads(out)
    assert printed == read_notice((NOTICES / "2025.txt").read_text(encoding="utf-8")).to_json()
    assert printed["year"] == 2025
    assert printed["workdays"] == [
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
    ]
    assert "2025-02-01" in printed["holidays"]


def test_save_enters_a_new_year_as_the_admin_form_does(no_2027, tmp_path):
    with pytest.raises(CommandError):
        call_command("workdays", "add", "2027-02-05", "1")
    path = copy("fictional-2027.txt", tmp_path, "2027.txt")
    out, _err = run(str(path), "--save")
    year = CalendarYear.objects.get(year=2027)
    assert year.is_complete
    assert year.source == "国务院办公厅通知（2027.txt）"
    assert list(year.days.values_list("date", "kind")) == [
        (D("2027-01-01"), DayKind.HOLIDAY),
        (D("2027-02-08"), DayKind.HOLIDAY),
        (D("2027-02-09"), DayKind.HOLIDAY),
        (D("2027-02-10"), DayKind.HOLIDAY),
        (D("2027-02-11"), DayKind.HOLIDAY),
        (D("2027-02-12"), DayKind.HOLIDAY),
        (D("2027-02-20"), DayKind.WORKDAY),
        (D("2027-04-05"), DayKind.HOLIDAY),
    ]
    # the December days of the notice join 2026, whose own days stay
    assert CalendarDay.objects.get(date=D("2026-12-31")).kind == DayKind.HOLIDAY
    assert CalendarDay.objects.get(date=D("2026-12-27")).kind == DayKind.WORKDAY
    assert CalendarDay.objects.get(date=D("2026-10-10")).kind == DayKind.WORKDAY
    assert "chinesecalendar" in CalendarYear.objects.get(year=2026).source
    events = AuditEvent.objects.filter(verb="calendar.year_set")
    assert sorted(e.object_repr for e in events) == ["2026", "2027"]
    assert all(e.actor is None for e in events)
    assert "2027" in out.splitlines()[-1] and "2027.txt" in out.splitlines()[-1]
    # Fri 02-05 -> weekend, 02-08..12 off, weekend -> Mon 02-15; Sat 02-20 is worked
    assert add_workdays(D("2027-02-05"), 1) == D("2027-02-15")
    assert add_workdays(D("2027-02-19"), 1) == D("2027-02-20")


def test_save_again_is_quiet(no_2027, tmp_path):
    path = copy("fictional-2027.txt", tmp_path)
    run(str(path), "--save")
    events = AuditEvent.objects.count()
    run(str(path), "--save")
    assert AuditEvent.objects.count() == events


def test_save_with_json_keeps_stdout_json(no_2027, tmp_path):
    out, err = run(str(copy("fictional-2027.txt", tmp_path)), "--json", "--save")
    assert json.loads(out)["year"] == 2027
    assert "2027" in err
    assert CalendarYear.objects.get(year=2027).is_complete


def test_save_of_a_published_year_replaces_it_with_the_same_days(db, tmp_path):
    before = list(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    run(str(copy("2026.txt", tmp_path)), "--save")
    after = list(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    assert after == before
    assert CalendarYear.objects.get(year=2026).source == "国务院办公厅通知（2026.txt）"


def test_save_refuses_a_notice_reaching_into_a_missing_year(no_2027, tmp_path):
    CalendarYear.objects.filter(year=2026).delete()
    with pytest.raises(CommandError) as caught:
        run(str(copy("fictional-2027.txt", tmp_path)), "--save")
    assert "2026" in str(caught.value)
    assert not CalendarYear.objects.filter(year__in=[2026, 2027]).exists()
    assert not AuditEvent.objects.filter(verb="calendar.year_set").exists()


def test_html_file(db, tmp_path):
    text = (NOTICES / "2024.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    page = (
        "<html><body>" + "".join(f"<p>{line}</p>" for line in text.splitlines()) + "</body></html>"
    )
    path = tmp_path / "notice.htm"
    path.write_text(page, encoding="utf-8")
    out, _err = run(str(path), "--json")
    assert json.loads(out) == read_notice(text).to_json()


def test_gb18030_text_file(db, tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes((NOTICES / "2026.txt").read_text(encoding="utf-8").encode("gb18030"))
    out, _err = run(str(path), "--json")
    assert json.loads(out)["year"] == 2026


def test_docx_file(db, tmp_path):
    from docx import Document

    document = Document()
    for line in (NOTICES / "2025.txt").read_text(encoding="utf-8").splitlines()[1:]:
        document.add_paragraph(line.strip())
    path = tmp_path / "通知.docx"
    document.save(path)
    out, _err = run(str(path), "--json")
    assert json.loads(out) == read_notice((NOTICES / "2025.txt").read_text("utf-8")).to_json()


def test_malformed_notice_is_an_error_naming_the_line(db, tmp_path):
    path = tmp_path / "bad.txt"
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8")
    path.write_text(text.replace("1月1日(周四)", "1月1日(周五)"), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run(str(path), "--save")
    assert "一、元旦:1月1日(周五)" in str(caught.value)
    assert CalendarYear.objects.get(year=2026).source == "chinesecalendar"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notice.pdf", b"%PDF-1.4"),
        ("notice.docx", b"not a zip"),
        ("notice.txt", b"\xff\xfe\x00\xd8" * 3),
        ("empty.txt", b""),
    ],
    ids=["wrong-kind", "not-word", "not-text", "no-year"],
)
def test_unreadable_files_are_errors(db, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError):
        run(str(path))


def test_missing_file_is_an_error(db, tmp_path):
    with pytest.raises(CommandError) as caught:
        run(str(tmp_path / "nowhere.txt"))
    assert "nowhere.txt" in str(caught.value)


def test_save_recomputes_the_due_dates_that_waited_and_lists_them(
    no_2027, tmp_path, town, make_member
):
    from gongkai.applications import services as application_services
    from gongkai.applications.tests.conftest import person
    from gongkai.core.models import Role

    officer = make_member(town, Role.OFFICER)

    with time_machine.travel(
        datetime(2026, 12, 14, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        application = application_services.application_submit(
            agency=town, data=person(), channel="in_person", actor=officer
        ).application
    application.refresh_from_db()
    assert application.due_on is None and application.due_pending_year == 2027
    out, _err = run(str(copy("fictional-2027.txt", tmp_path, "2027.txt")), "--save")
    application.refresh_from_db()
    assert application.due_pending_year is None and application.due_on is not None
    assert application.due_provisional is None
    assert application.number in out and application.due_on.isoformat() in out
    assert AuditEvent.objects.filter(verb="application.due_recomputed").count() == 1
