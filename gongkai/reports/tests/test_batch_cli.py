"""`gongkai report check DIR_OR_ZIP [--xlsx OUT] [--json]` on a folder of 22 report files (the
real fixtures and variations made from them), and the batch engine on hostile ZIPs."""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gongkai.core.safefile import FileRefused
from gongkai.reports import batch

from .batch_files import AGREEING, DISAGREEING, TAOHUA, WRONG_TOTAL, build_reports, zip_of


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return build_reports(tmp_path_factory.mktemp("reports"))


def _check(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("report", "check", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def checked(folder, tmp_path_factory):
    xlsx = tmp_path_factory.mktemp("out") / "check.xlsx"
    code, out, err = _check(str(folder), "--json", "--xlsx", str(xlsx))
    return code, json.loads(out), err, xlsx


def _by_file(payload: dict) -> dict:
    return {entry["file"]: entry for entry in payload["reports"]}


def _codes(entry: dict, severity: str | None = None) -> list[str]:
    return [f["code"] for f in entry["findings"] if severity in (None, f["severity"])]


def test_every_file_is_a_report_entry(checked):
    code, payload, _err, _xlsx = checked
    assert code == 1  # some reports have errors
    assert len(payload["reports"]) == 22
    for entry in payload["reports"]:
        assert set(entry) == {"file", "agency", "year", "format", "cells", "findings"}
        for finding in entry["findings"]:
            assert {"severity", "code", "message", "location", "basis"} <= set(finding)
    reports = _by_file(payload)
    taohua = reports["2023_taohua-town-2021-format.html"]
    assert (taohua["agency"], taohua["year"], taohua["format"]) == ("桃花镇人民政府", 2023, "2021")
    assert taohua["cells"] == 199
    assert _codes(taohua, "error") == []
    seed = reports["000_dcb72101f199030d.txt"]
    assert seed["format"] == "pre2019" and seed["year"] == 2018
    # the seed's 604 where the text says 614 (fixtures README)
    assert "narrative_sum" in _codes(seed, "error")
    assert reports["generated/xietang-gb18030.txt"]["agency"] == "谢塘镇"


def test_files_that_cannot_be_read_are_entries_not_crashes(checked):
    _code, payload, _err, _xlsx = checked
    reports = _by_file(payload)
    for name in ("broken.docx", "broken.pdf"):
        entry = reports[f"generated/{name}"]
        assert _codes(entry) == [batch.IMPORT_ERROR]
        assert entry["cells"] == 0 and entry["year"] is None
        assert "已损坏" in entry["findings"][0]["message"]
    # a text that is no report is an entry saying so, not a crash
    assert _codes(reports["generated/not-a-report.txt"]) == [batch.IMPORT_ERROR]
    assert reports["generated/not-a-report.txt"]["cells"] == 0


def test_consecutive_years_of_one_agency_are_linted_together(checked):
    _code, payload, _err, _xlsx = checked
    reports = _by_file(payload)
    later = reports["generated/shili-town-2023.html"]
    assert later["agency"] == DISAGREEING
    carry = [f for f in later["findings"] if f["code"] == "cross_year"]
    # 自然人 and the total: carried forward 1 out of 2022, carried over 2 into 2023
    assert len(carry) == 2
    assert {(f["expected"], f["actual"]) for f in carry} == {(1, 2)}
    assert all(f["severity"] == "error" and f["location"].startswith("2023:") for f in carry)
    assert "cross_year" not in _codes(reports["generated/shili-town-2022.docx"])
    for name in ("generated/shili-township-2022.html", "generated/shili-township-2023.docx"):
        assert reports[name]["agency"] == AGREEING
        assert _codes(reports[name], "error") == []
    wrong = reports["generated/shili-subdistrict-2023.docx"]
    assert wrong["agency"] == WRONG_TOTAL
    assert "sum_of_columns" in _codes(wrong, "error")
    assert "cross_year" not in _codes(wrong)


def test_progress_is_shown_on_stderr(checked):
    """One line a file (stderr is no terminal here), in order, then the workbook written."""
    _code, payload, err, xlsx = checked
    lines = err.splitlines()
    assert len(lines) == 22 + 1
    for number, (line, entry) in enumerate(zip(lines, payload["reports"], strict=False), 1):
        assert line.endswith(entry["file"]) and str(number) in line and "22" in line
    assert str(xlsx) in lines[-1]


def test_workbook_summary_and_findings(checked):
    _code, payload, _err, xlsx = checked
    book = load_workbook(xlsx)
    assert book.sheetnames == [_("Batch summary"), _("Findings")]
    summary, findings = book[_("Batch summary")], book[_("Findings")]
    header = [cell.value for cell in summary[1]]
    assert header[:6] == [
        _("Reporting agency"),
        _("Report year"),
        _("Format"),
        _("Errors"),
        _("Warnings"),
        _("Status"),
    ]
    assert summary.freeze_panes == "A2" and findings.freeze_panes == "A2"
    assert summary.column_dimensions["A"].width >= 30
    assert summary.max_row == 1 + 22
    rows = {row[6]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    town = rows["generated/shili-town-2023.html"]
    warnings = [
        f
        for f in _by_file(payload)["generated/shili-town-2023.html"]["findings"]
        if f["severity"] == "warning"
    ]
    assert town[:5] == (DISAGREEING, 2023, "2021", 2, len(warnings))
    assert town[5] == str(batch.STATUS_LABELS[batch.HAS_ERRORS])
    assert rows["generated/broken.pdf"][5] == str(batch.STATUS_LABELS[batch.FAILED])
    assert rows["2023_taohua-town-2021-format.html"][5] == str(batch.STATUS_LABELS[batch.PASSED])
    # every finding of the JSON is one row of the findings sheet
    total = sum(len(entry["findings"]) for entry in payload["reports"])
    assert findings.max_row == 1 + total
    carry = [
        row for row in findings.iter_rows(min_row=2, values_only=True) if row[4] == "cross_year"
    ]
    assert {row[0] for row in carry} == {"generated/shili-town-2023.html"}
    assert carry[0][1:4] == (DISAGREEING, 2023, str(batch.SEVERITY_LABELS["error"]))
    assert carry[0][5]  # the message


def test_the_zip_gives_the_same_results(folder, checked, tmp_path):
    _code, payload, _err, _xlsx = checked
    archive = tmp_path / "reports.zip"
    archive.write_bytes(zip_of(folder))
    code, out, err = _check(str(archive), "--json")
    assert code == 1
    assert json.loads(out) == payload
    assert "22" in err


def test_table_output_and_counts(folder):
    code, out, _err = _check(str(folder))
    assert code == 1
    assert DISAGREEING in out
    assert str(batch.STATUS_LABELS[batch.FAILED]) in out


def test_missing_source_and_empty_folder(tmp_path):
    code, _out, err = _check(str(tmp_path / "nowhere"))
    assert code == 2 and "nowhere" in err
    code, _out, err = _check(str(tmp_path))
    assert code == 2 and err.strip()


# --- hostile ZIPs ------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_path_traversal_refuses_the_archive(tmp_path):
    data = _zip({"ok.txt": "年度报告".encode(), "../../etc/evil.txt": b"x"})
    with pytest.raises(FileRefused) as refused:
        batch.sources_in_zip(data, name="evil.zip")
    assert refused.value.code == "archive_path"
    assert "../../etc/evil.txt" in str(refused.value)
    (tmp_path / "evil.zip").write_bytes(data)
    code, out, err = _check(str(tmp_path / "evil.zip"))
    assert code == 2 and out == "" and "evil.zip" in err
    assert not (tmp_path.parent / "etc" / "evil.txt").exists()
    with pytest.raises(FileRefused):
        batch.sources_in_zip(_zip({"/abs/x.txt": b"x"}), name="abs.zip")
    with pytest.raises(FileRefused):
        batch.sources_in_zip(_zip({"..\\x.txt": b"x"}), name="win.zip")


def test_zip_bomb_and_too_many_members_are_refused(settings):
    bomb = _zip({"report.txt": b"0" * (20 * 2**20)})
    with pytest.raises(FileRefused) as refused:
        batch.sources_in_zip(bomb, name="bomb.zip")
    assert refused.value.code == "archive_ratio"
    assert "压缩" in str(refused.value)  # the safe reader's Chinese message
    settings.GONGKAI_ARCHIVE_MAX_MEMBERS = 3
    many = _zip({f"r{i}.txt": b"x" for i in range(5)})
    with pytest.raises(FileRefused) as refused:
        batch.sources_in_zip(many, name="many.zip")
    assert refused.value.code == "archive_members"
    with pytest.raises(FileRefused):
        batch.sources_in_zip(b"not a zip", name="junk.zip")


def test_zip_members_are_never_written_under_their_names(tmp_path, monkeypatch):
    """Only known suffixes are read; a member is imported from a file named by its position."""
    seen = []
    real = batch.import_file

    def spy(path, **kwargs):
        seen.append(path.name)
        return real(path, **kwargs)

    monkeypatch.setattr(batch, "import_file", spy)
    data = _zip(
        {
            "sub/桃花镇 2023.html": TAOHUA.read_bytes(),
            "notes.xlsx": b"ignored",
            "__MACOSX/._x.txt": b"ignored",
            ".hidden.txt": b"ignored",
        }
    )
    sources = batch.sources_in_zip(data, name="upload.zip")
    assert [s.name for s in sources] == ["sub/桃花镇 2023.html"]
    (entry,) = batch.check_sources(sources)
    assert seen == ["00001.html"]
    assert entry.file == "sub/桃花镇 2023.html" and entry.agency == "桃花镇人民政府"
