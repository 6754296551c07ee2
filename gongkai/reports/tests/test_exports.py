"""Exports (HTML, DOCX, PDF, XLSX, JSON) and the round trip: the exported HTML and DOCX, imported
again with gongkai.reports.importers, give back the same cells, in every format."""

import json
import random
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from gongkai.core.models import Role
from gongkai.reports import exports
from gongkai.reports.exports.layout import grids
from gongkai.reports.formats import get
from gongkai.reports.importers import import_file
from gongkai.reports.lint import as_number
from gongkai.reports.services import report_entry_set, report_start, report_transition

YEARS = {"2021": 2023, "2019": 2020, "pre2019": 2018}


def sample_cells(key: str, seed: int = 7) -> dict:
    """Every cell of the format: blanks, zeros, figures, and a decimal in each 万元 row."""
    fmt = get(key)
    rnd = random.Random(seed)
    cells = {}
    for cell_key, (row, _column) in fmt.cell_index().items():
        value = rnd.choice([None, 0, rnd.randint(1, 3000)])
        if row.unit == "万元" and value:
            value = Decimal("12.35")
        cells[cell_key] = value
    return cells


def sample_document(key: str, **kw) -> exports.ReportDocument:
    fmt = get(key)
    narrative = {
        section.title: f"本年度我镇认真贯彻落实《条例》。\n第{i}段继续说明有关工作。"
        for i, section in enumerate(fmt.sections)
    }
    return exports.document(
        fmt,
        year=YEARS[key],
        agency_name="六横镇人民政府",
        agency_slug="liuheng",
        cells=kw.pop("cells", None) or sample_cells(key),
        narrative=narrative,
        **kw,
    )


def _numbers(cells: dict) -> dict:
    return {key: as_number(value) for key, value in cells.items()}


@pytest.mark.parametrize("key", ["2021", "2019", "pre2019"])
@pytest.mark.parametrize("kind", ["html", "docx"])
def test_round_trip_gives_back_the_same_cells(key, kind, tmp_path):
    doc = sample_document(key)
    out = exports.export(doc, kind)
    path = tmp_path / out.filename
    path.write_bytes(out.content)
    imported = import_file(path)
    assert imported.format == key
    assert imported.year == YEARS[key]
    assert imported.agency == "六横镇人民政府"
    assert _numbers(imported.cells) == _numbers(doc.cells)
    assert any(v is None for v in doc.cells.values()) and 0 in doc.cells.values()
    assert not [f for f in imported.findings if f.severity != "info"]
    if key != "pre2019":  # pre-2019 section titles are the table's own row labels
        narrative = {k: v for k, v in imported.narrative.items() if k}
        assert narrative == doc.narrative


def test_html_merges_label_cells_like_the_official_layout():
    doc = sample_document("2021")
    html = exports.export(doc, "html").content.decode()
    assert '<th rowspan="8">（三）不予公开</th>' in html
    assert '<th rowspan="3">（六）其他处理</th>' in html
    assert '<th colspan="5">法人或其他组织</th>' in html
    assert '<th colspan="10">行政诉讼</th>' in html
    assert "六横镇人民政府2023年政府信息公开工作年度报告" in html
    table3 = grids(doc.format, doc.cells)["三"]
    outcome = next(c for c in table3.cells if c.text == "三、本年度办理结果")
    assert outcome.rowspan == len([r for r in table3.table.data_rows() if r.parent])
    pre = exports.export(sample_document("pre2019"), "html").content.decode()
    assert "<th>统计指标</th><th>单位</th><th>统计数</th>" in pre
    assert "<td>——</td>" in pre


def test_html_escapes_the_narrative():
    doc = sample_document("2021")
    doc.narrative["一、总体情况"] = "<script>alert(1)</script>"
    html = exports.export(doc, "html").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_docx_is_a4_with_east_asian_fonts():
    from docx import Document
    from docx.oxml.ns import qn

    out = exports.export(sample_document("2021"), "docx")
    document = Document(BytesIO(out.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.core_properties.title == "六横镇人民政府2023年政府信息公开工作年度报告"
    assert len(document.tables) == 6
    assert out.filename == "六横镇人民政府2023年政府信息公开工作年度报告.docx"


def test_xlsx_has_one_sheet_per_table_with_numbers(tmp_path):
    doc = sample_document("2021")
    path = tmp_path / "r.xlsx"
    path.write_bytes(exports.export(doc, "xlsx").content)
    book = load_workbook(path)
    assert book.sheetnames == [t.key for t in doc.format.tables]
    sheet = book["二（八）"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "行政事业性收费" in values
    fee = doc.cells["行政事业性收费|本年收费金额（单位：万元）"]
    assert (float(fee) if fee is not None else None) in values
    three = book["三"]
    assert any(rng.min_row != rng.max_row for rng in three.merged_cells.ranges)
    figures = [c.value for row in three.iter_rows() for c in row if isinstance(c.value, int)]
    index = doc.format.cell_index()
    expected = [
        value
        for key, value in doc.cells.items()
        if isinstance(value, int) and doc.format.table_of(index[key][0].key).key == "三"
    ]
    assert sorted(figures) == sorted(expected)


def test_pdf_has_the_tables_as_text():
    content = exports.export(sample_document("2019"), "pdf").content
    assert content.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)
    assert "六横镇人民政府2020年政府信息公开工作年度报告" in text.replace("\n", "")
    assert "（三）不予公开" in text.replace("\n", "")


def test_json_is_the_import_schema():
    doc = sample_document("pre2019")
    data = json.loads(exports.export(doc, "json").content)
    assert set(data) == {"format", "year", "agency", "cells", "narrative", "findings"}
    assert list(data["cells"]) == doc.format.cell_keys()
    assert _numbers(data["cells"]) == _numbers(doc.cells)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        exports.export(sample_document("2021"), "odt")


# --- the CLI verb ------------------------------------------------------------------------------

NOW = "2026-03-10 10:00 +0800"


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


def _export(*args) -> str:
    out = StringIO()
    call_command("report", "export", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_cli_exports_the_computed_and_the_published_report(town, make_member, tmp_path):
    officer = make_member(town, Role.OFFICER)
    head = make_member(town, Role.OFFICE_HEAD)
    target = tmp_path / "r.docx"
    with pytest.raises(CommandError):
        _export("--agency", "liuheng", "--year", "2025", "--to", str(target))
    _export("--agency", "liuheng", "--year", "2025", "--format", "2021", "--to", str(target))
    assert import_file(target).cells["一、本年新收政府信息公开申请数量|总计"] == 0
    report = report_start(actor=officer, agency=town, year=2025, fmt="2021")
    report_entry_set(
        actor=officer,
        agency=town,
        year=2025,
        fmt="2021",
        cell_key="行政许可|本年处理决定数量",
        value="17",
    )
    with pytest.raises(CommandError):
        _export("--agency", "liuheng", "--year", "2025", "--published", "--to", str(target))
    report = report_transition(actor=officer, report=report, action="submit")
    report_transition(actor=head, report=report, action="publish")
    for suffix in ("docx", "html"):
        target = tmp_path / f"p.{suffix}"
        text = _export("--agency", "六横镇", "--year", "2025", "--published", "--to", str(target))
        assert str(target) in text
        assert import_file(target).cells["行政许可|本年处理决定数量"] == 17
    with pytest.raises(CommandError):
        _export("--agency", "liuheng", "--year", "2025", "--to", str(tmp_path / "r.odt"))
    with pytest.raises(CommandError):
        _export("--agency", "nowhere", "--year", "2025", "--to", str(tmp_path / "r.pdf"))
