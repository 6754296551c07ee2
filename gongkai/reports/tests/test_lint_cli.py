"""`gongkai report lint` and `gongkai report import` through the management command."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.reports.cli_import import run_import
from gongkai.reports.cli_lint import run_lint

FIXTURES = Path(__file__).parent / "fixtures"
SEED = str(FIXTURES / "000_dcb72101f199030d.txt")


def test_import_json_schema():
    out = StringIO()
    assert run_import({"file": SEED, "json": True}, out) == 0
    data = json.loads(out.getvalue())
    assert set(data) == {"format", "year", "agency", "cells", "narrative", "findings"}
    assert data["format"] == "pre2019"
    assert (
        data["cells"]["（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）|统计数"] == 1132
    )
    assert data["cells"]["4.其他方式公开政府信息数|统计数"] is None


def test_import_command_and_missing_file():
    out = StringIO()
    call_command(
        "report",
        "import",
        str(FIXTURES / "2023_taohua-town-2021-format.html"),
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["format"] == "2021"
    assert data["cells"]["行政事业性收费|本年收费金额（单位：万元）"] == 1.25
    assert run_import({"file": "/nonexistent.txt"}, StringIO()) == 2


def test_lint_json_and_exit_status():
    out = StringIO()
    assert run_lint({"file": SEED, "json": True}, out) == 1
    findings = json.loads(out.getvalue())["findings"]
    assert all(
        set(f) == {"rule", "severity", "message", "expected", "actual", "location", "basis"}
        for f in findings
    )
    assert all(f["basis"] for f in findings if f["rule"] != "import")
    (error,) = [f for f in findings if f["severity"] == "error"]
    assert (error["rule"], error["expected"], error["actual"]) == ("narrative_sum", 614, 604)


def test_lint_command_exits_non_zero_on_error():
    with pytest.raises(SystemExit) as exc:
        call_command("report", "lint", SEED, stdout=StringIO())
    assert exc.value.code == 1


def test_lint_clean_file_exits_zero():
    out = StringIO()
    call_command("report", "lint", str(FIXTURES / "2020_nanyuan-2019-format.html"), stdout=out)
    assert "0" in out.getvalue()


def test_lint_previous_file(tmp_path):
    current = StringIO()
    run_import({"file": str(FIXTURES / "2023_taohua-town-2021-format.html"), "json": True}, current)
    data = json.loads(current.getvalue())
    data["agency"] = "桃花县文化局"  # not a town: no 规章 rule
    this_year = tmp_path / "2023.json"
    this_year.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data["year"] = 2022
    data["cells"]["四、结转下年度继续办理|总计"] = 4
    data["cells"]["行政规范性文件|现行有效件数"] = 10  # 10 + 3 issued − 1 repealed = 12
    last_year = tmp_path / "2022.json"
    last_year.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    status = run_lint({"file": str(this_year), "previous": str(last_year), "json": True}, out)
    findings = json.loads(out.getvalue())["findings"]
    assert status == 1
    assert [(f["rule"], f["expected"], f["actual"]) for f in findings] == [("cross_year", 4, 1)]


def _as_json(tmp_path, name, **changes):
    out = StringIO()
    run_import({"file": str(FIXTURES / "2023_taohua-town-2021-format.html"), "json": True}, out)
    data = json.loads(out.getvalue())
    data["agency"] = "桃花县文化局"
    for key, value in changes.pop("cells", {}).items():
        data["cells"][key] = value
    data.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_lint_previous_file_stock_of_documents_in_force(tmp_path):
    """698 in force last year + 77 issued − 132 repealed = 643, the report says 470: a warning
    (documents can expire), exit status 0; the text output is Chinese."""
    last_year = _as_json(
        tmp_path, "2022.json", year=2022, cells={"行政规范性文件|现行有效件数": 698}
    )
    this_year = _as_json(
        tmp_path,
        "2023.json",
        cells={
            "行政规范性文件|本年制发件数": 77,
            "行政规范性文件|本年废止件数": 132,
            "行政规范性文件|现行有效件数": 470,
        },
    )
    out = StringIO()
    status = run_lint({"file": this_year, "previous": last_year, "json": True}, out)
    findings = json.loads(out.getvalue())["findings"]
    assert status == 0
    assert [(f["rule"], f["severity"], f["expected"], f["actual"]) for f in findings] == [
        ("stock_continuity", "warning", 643, 470)
    ]
    text = StringIO()
    call_command("report", "lint", this_year, "--previous", last_year, stdout=text)
    output = text.getvalue()
    assert "行政规范性文件|现行有效件数" in output
    for code in ("[error]", "[warning]", "[info]", "stock_continuity"):
        assert code not in output


def test_lint_needs_a_file_or_an_agency():
    out = StringIO()
    assert run_lint({}, out) == 2
    assert run_lint({"agency": "liuheng"}, StringIO()) == 2


@pytest.mark.django_db
def test_lint_agency_mode(agency_tree):
    out = StringIO()
    status = run_lint({"agency": "liuheng", "year": 2024, "fmt": "2021", "json": True}, out)
    findings = json.loads(out.getvalue())["findings"]
    # no records: every table check passes on zeros; only entered cells are blank (no warning)
    assert status == 0, findings
    assert not [f for f in findings if f["severity"] == "error"]


@pytest.mark.django_db
def test_lint_agency_mode_cross_year_against_stored_version(agency_tree, django_user_model):
    from gongkai.reports.models import Report, ReportVersion

    user = django_user_model.objects.create_user("officer", password="x")  # noqa: S106
    liuheng = agency_tree["town"]
    report = Report.objects.create(agency=liuheng, year=2023, format="2021")
    ReportVersion.objects.create(
        report=report,
        number=1,
        cells={"四、结转下年度继续办理|总计": 2, "四、结转下年度继续办理|自然人": 2},
        published_by=user,
    )
    out = StringIO()
    status = run_lint({"agency": "liuheng", "year": 2024, "fmt": "2021", "json": True}, out)
    findings = json.loads(out.getvalue())["findings"]
    assert status == 1
    assert sorted(
        (f["rule"], f["location"], f["expected"], f["actual"])
        for f in findings
        if f["severity"] == "error"
    ) == [
        ("cross_year", "2024:二、上年结转政府信息公开申请数量|总计", 2, 0),
        ("cross_year", "2024:二、上年结转政府信息公开申请数量|自然人", 2, 0),
    ]
