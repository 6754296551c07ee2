"""Importing reports as the world publishes them (issue 15): the real development and evaluation
sets cell by cell (fixtures/real/, see realset.py), and each layout and label slip named in the
issue on a small text of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.reports.importers import ReportImportError, import_file
from gongkai.reports.importers.html import import_html
from gongkai.reports.importers.text import blocks_from_text, import_text

from .realset import reports, score

# Reports of the evaluation sets whose cells are not all right yet, with the floor held: the
# text layer of the 上海市科委 PDF prints the figures of some 表三 rows away from their labels
# (e.g. "5.属于三类内部事务信息" and "1.本机关不掌握相关政府信息" above one row of figures);
# 开化县林山乡 prints "二、上年转结…" (转结 for 结转), so its row is not found; the 文登 flip-book
# page prints 表四's header as two lines of half-words ("结果 结果 其他 尚未 总" / "维持 纠正 结果
# 审结 计 结果 …") under a heading of its own wording, and the 15 figures are not placed.
FLOORS = {
    "2024_shanghai-science-commission": 182,
    "2020_kaihua-linshan-township": 42,
    "2022_wendeng-petition-bureau-flipbook": 0,
}


@pytest.mark.parametrize(
    ("source", "spec"), reports(), ids=[source.stem for source, _spec in reports()]
)
def test_real_report_cells(source, spec):
    result = score(source, spec)
    assert result.format_ok, f"{source.stem}: format"
    floor = FLOORS.get(source.stem)
    if floor is None:
        assert result.wrong == [], result.wrong
    else:
        assert result.right >= floor, (result.right, result.total, result.wrong[:5])


def test_the_sets_cover_every_level_and_year():
    specs = reports()
    assert len(specs) >= 25
    levels = (Path(__file__).parent / "fixtures" / "real" / "SOURCES.md").read_text("utf-8")
    for level in (
        "乡镇",
        "街道",
        "县级部门",
        "区级部门",
        "县政府",
        "区政府",
        "市级部门",
        "省级部门",
    ):
        assert f"| {level} |" in level_column(levels), level
    assert {spec["subset"] for _source, spec in specs} == {"dev", "eval", "dev2", "eval2"}
    years = {int(source.stem[:4]) for source, _spec in specs}
    assert set(range(2019, 2026)) <= years


def level_column(sources: str) -> str:
    """The 'Level' column of SOURCES.md's table, one "| level |" a row."""
    cells = [line.split("|") for line in sources.splitlines() if line.startswith("| 20")]
    return "\n".join(f"| {row[4].strip()} |" for row in cells)


def _cells(report, prefix: str) -> list:
    return [v for k, v in report.cells.items() if k.startswith(prefix)]


# --- 表四 with its header run together (the named failure) ---------------------------

RUN_TOGETHER = """某镇人民政府2023年政府信息公开工作年度报告
四、政府信息公开行政复议、行政诉讼情况
行政复议
行政诉讼
结果维持结果纠正其他结果尚未审结总计
未经复议直接起诉
复议后起诉
结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计
2
1
0
0
3
0
0
1
0
1
0
0
0
1
1
五、存在的主要问题及改进情况
无。
"""


def test_table_four_header_run_together_numbers_one_per_line():
    report = import_text(RUN_TOGETHER, format_key="2021")
    assert _cells(report, "行政复议|") == [2, 1, 0, 0, 3]
    assert _cells(report, "行政诉讼|未经复议直接起诉|") == [0, 0, 1, 0, 1]
    assert _cells(report, "行政诉讼|复议后起诉|") == [0, 0, 0, 1, 1]
    assert [f.rule for f in report.findings] == []
    assert report.narrative["五、存在的主要问题及改进情况"] == "无。"


def test_table_four_header_run_together_on_one_line_with_the_figures():
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "行政复议行政诉讼\n"
        "结果维持结果纠正其他结果尚未审结总计\n"
        "1 0 0 0 1 0 0 0 0 0 0 0 0 0 0\n"
    )
    report = import_text(text, format_key="2021")
    assert _cells(report, "行政复议|") == [1, 0, 0, 0, 1]
    assert _cells(report, "行政诉讼|复议后起诉|") == [0, 0, 0, 0, 0]


def test_table_four_one_group_after_another():
    """A group's heading, its header and its figures, then the next group (a Markdown copy)."""
    text = "\n".join(
        [
            "## 四、政府信息公开行政复议、行政诉讼情况",
            "### 行政复议",
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
            "|---|---|---|---|---|",
            "| 27 | 10 | 9 | 15 | 61 |",
            "### 行政诉讼（未经复议直接起诉）",
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
            "|---|---|---|---|---|",
            "| 3 | 0 | 0 | 0 | 3 |",
            "### 行政诉讼（复议后起诉）",
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
            "| 8 | 0 | 1 | 1 | 10 |",
        ]
    )
    report = import_text(text, format_key="2021")
    assert _cells(report, "行政复议|") == [27, 10, 9, 15, 61]
    assert _cells(report, "行政诉讼|未经复议直接起诉|") == [3, 0, 0, 0, 3]
    assert _cells(report, "行政诉讼|复议后起诉|") == [8, 0, 1, 1, 10]


# --- labels as printed -------------------------------------------------------------------------


def test_normative_documents_printed_without_xingzheng_in_the_2021_format():
    """The 2021 format's row is 行政规范性文件; reports print the 2019 label 规范性文件."""
    text = (
        "第二十条第（一）项\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n"
        "规章 | 0 | 0 | 0\n规范性文件 | 13 | 0 | 55\n"
    )
    report = import_text(text, format_key="2021")
    assert _cells(report, "行政规范性文件|") == [13, 0, 55]
    assert _cells(report, "规章|") == [0, 0, 0]
    # and the 2019 format keeps its own row of that name
    report = import_text(text.replace("本年制发件数", "本年新制作数量"), format_key="2019")
    assert _cells(report, "规范性文件|") == [13, 0, 55]


def test_normative_documents_in_an_html_table():
    html = (
        "<table><tr><td colspan=4>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规范性文件</td><td>8</td><td>0</td><td>18</td></tr></table>"
    )
    report = import_html(html, format_key="2021")
    assert _cells(report, "行政规范性文件|") == [8, 0, 18]


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("规章（县级无此项）", "规章|本年制发件数"),
        ("规范性文件(指各行政机关印发的有正式文号的文件)", "行政规范性文件|本年制发件数"),
        ("（五）不予处理5.要求行政机关确认或重新出具已获取的信息", None),
        (
            "5.要求行政机关确认或重新出具已获取的信息",
            "5.要求行政机关确认或重新出具已获取信息|自然人",
        ),
        ("1．本机关不掌握相关之政府信息", "1.本机关不掌握相关政府信息|自然人"),
        ("(一)予以公开", "（一）予以公开|自然人"),
        ("(二)部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）|自然人"),
    ],
)
def test_label_variants_map_to_the_format_rows(label, key):
    report = import_text(f"{label} | 4 | 0 | 0 | 0 | 0 | 0 | 4\n", format_key="2021")
    if key is None:  # a sub-row label glued to its parent's is still found
        assert report.cells["5.要求行政机关确认或重新出具已获取信息|自然人"] == 4
    else:
        assert report.cells[key] == 4


def test_section_heading_with_a_slip_and_another_number():
    text = (
        "三、政府信息公开行政法复议、行政诉讼情况\n"
        "行政复议\n行政诉讼\n结果维持结果纠正其他结果尚未审结总计\n"
        "1\n0\n0\n0\n1\n"
    )
    report = import_text(text, format_key="2021")
    assert _cells(report, "行政复议|") == [1, 0, 0, 0, 1]
    assert "四、政府信息公开行政复议、行政诉讼情况" in report.narrative


# --- layouts -------------------------------------------------------------------------------------


def test_blank_cells_printed_on_the_lines_after_the_row():
    text = (
        "一、本年新收政府信息公开申请数量 | 25 |\n|\n|\n|\n|\n| 25 |\n"
        "二、上年结转政府信息公开申请数量 |\n|\n|\n|\n|\n|\n| 0 |\n"
    )
    report = import_text(text, format_key="2021")
    assert _cells(report, "一、本年新收") == [25, None, None, None, None, None, 25]
    assert _cells(report, "二、上年结转") == [None] * 6 + [0]


def test_cells_each_on_a_line_ending_with_a_pipe():
    text = (
        "规章 |\n0 |\n0 |\n|\n|\n行政规范性文件 |\n5 |\n12 |\n8 |\n"
        "一、本年新收政府信息公开申请数量 |\n|\n|\n|\n|\n|\n|\n0 |\n||\n"
    )
    report = import_text(text, format_key="2021")
    assert _cells(report, "规章|") == [0, 0, None]
    assert _cells(report, "行政规范性文件|") == [5, 12, 8]
    assert _cells(report, "一、本年新收") == [None] * 6 + [0]


def test_figures_printed_away_from_their_label_follow_the_table_order():
    """A PDF's text layer (上海市政府办公厅 2025): a row of figures whose label is printed
    elsewhere, and a label cut by the page ("行政机关不再处理其政府信息公"): the figures go to
    the row that follows the last one filled, and a finding says so."""
    text = "\n".join(
        [
            "| 4.无正当理由大量反复申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
            "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "| 行政机关不再处理其政府信息公 | 40 | 1 | 0 | 0 | 2 | 0 | 43 |",
        ]
    )
    report = import_text(text, format_key="2021")
    assert _cells(report, "5.要求行政机关确认") == [0] * 7
    assert _cells(report, "1.申请人无正当理由逾期不补正") == [40, 1, 0, 0, 2, 0, 43]
    placed = [f for f in report.findings if f.rule == "placed_by_order"]
    assert [f.severity for f in placed] == ["info", "info"]
    assert placed[0].location.startswith("5.要求行政机关确认或重新出具已获取信息")
    # a label printed over two lines is joined: no finding
    text = "\n".join(
        [
            "| （一）予以公开 | 201 | 5 | 0 | 0 | 0 | 0 | 206 |",
            "（二）部分公开（区分处理的，只计这一情",
            "形，不计其他情形）",
            "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        ]
    )
    report = import_text(text, format_key="2021")
    assert _cells(report, "（二）部分公开") == [2, 0, 0, 0, 0, 0, 2]
    assert not [f for f in report.findings if f.rule == "placed_by_order"]
    # figures whose count does not fit the next row are not placed
    text = "| （一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n| 2 | 2 |\n"
    report = import_text(text, format_key="2021")
    assert _cells(report, "（二）部分公开") == [None] * 7
    assert [f.rule for f in report.findings if f.rule.endswith("value")] == ["unplaced_value"] * 2


def test_pipes_on_lines_of_their_own():
    text = "规章\n|\n0\n|\n0\n|\n6\n|\n行政规范性文件\n|\n1\n|\n0\n|\n3\n|\n"
    report = import_text(text, format_key="2021")
    assert _cells(report, "规章|") == [0, 0, 6]
    assert _cells(report, "行政规范性文件|") == [1, 0, 3]


def test_underscore_and_nbsp_are_blank_cells():
    report = import_text("规范性文件\n\n_\n\n3\n\n3\n", format_key="2019")
    assert _cells(report, "规范性文件|") == [None, 3, 3]
    html = "<table><tr><td>规章</td><td>&nbsp;</td><td>2</td><td>&nbsp;2&nbsp;</td></tr></table>"
    assert _cells(import_html(html, format_key="2021"), "规章|") == [None, 2, 2]


def test_markdown_rules_and_headings_are_not_cells():
    blocks = blocks_from_text("### 第二十条第（一）项\n|---|---|\n| 规章 | 1 | 0 | 2 |\n")
    blocks = [b for b in blocks if b.cells != [""]]
    assert [b.cells for b in blocks] == [["第二十条第（一）项"], ["规章", "1", "0", "2"]]
    assert [b.line for b in blocks] == [1, 3]


def test_a_figure_no_row_takes_is_reported_with_its_line_never_guessed():
    text = "规章 | 0 | 0 | 0\n说明如下。\n7\n行政许可 | 3\n"
    report = import_text(text, format_key="2021")
    assert _cells(report, "规章|") == [0, 0, 0]
    assert report.cells["行政许可|本年处理决定数量"] == 3
    assert 7 not in report.cells.values()
    (finding,) = [f for f in report.findings if f.rule == "unplaced_value"]
    assert finding.actual == 7 and finding.severity == "warning"
    assert "3" in finding.location
    # a page's number is not a figure
    report = import_text("规章 | 0 | 0 | 0\n— 4 —\n第 5 页\n", format_key="2021")
    assert [f.rule for f in report.findings if f.rule == "unplaced_value"] == []


def test_html_figures_no_row_takes_are_reported_with_their_source_line():
    html = (
        "<html><body>\n<p>某镇2023年政府信息公开工作年度报告</p>\n<table>\n"
        "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>\n"
        "<tr><td>说明</td><td>7</td></tr>\n</table>\n</body></html>"
    )
    report = import_html(html, format_key="2021")
    (finding,) = [f for f in report.findings if f.rule == "unplaced_value"]
    assert finding.actual == 7 and "5" in finding.location  # the <tr> on line 5


# --- OCR (one test: tesseract reads a drawn page) -----------------------------------------------


def _ocr_missing() -> str | None:
    from gongkai.core import ocr

    return ocr.unavailable_reason()


@pytest.mark.skipif(_ocr_missing() is not None, reason="tesseract with chi_sim is not installed")
def test_image_only_pdf_is_read_by_ocr(tmp_path):
    from gongkai.core.tests.scans import image_pdf, notice_png

    lines = [
        "某镇人民政府2023年政府信息公开工作年度报告",
        "第二十条第（一）项",
        "规章        0        0        0",
        "行政规范性文件        2        1        15",
        "行政许可        36",
    ]
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_pdf(notice_png(lines, size=40)))
    report = import_file(path, format_key="2021")
    assert report.findings[0].rule == "ocr_used"
    assert _cells(report, "行政规范性文件|") == [2, 1, 15]
    assert report.cells["行政许可|本年处理决定数量"] == 36


# --- files that are no report, or not all of one ---------------------------------------------

NOTICE = """关于2024年春节放假安排的通知
各村（社区）、镇属各单位：
根据国务院办公厅通知精神，现将2024年春节放假安排通知如下：2月10日至17日放假调休，共8天。
某镇人民政府办公室
2024年2月1日
"""

# a notice about the reports is no report either, though it names them
NOTICE_ABOUT_REPORTS = """某市政务公开办公室关于做好2021年政府信息公开工作年度报告编制发布工作的通知
各县市区人民政府，市直各单位：
为规范做好2021年政府信息公开工作年度报告的编制和发布工作，现就有关事项通知如下：
一、准确领会，认真部署
政府信息公开工作年度报告是法定制度安排。
二、按时报送，及时公布
"""


@pytest.mark.parametrize("text", [NOTICE, NOTICE_ABOUT_REPORTS, "会议纪要\n今天天气很好。\n"])
def test_a_text_that_is_no_report_is_refused_with_a_message(tmp_path, text):
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportImportError, match="这不是政府信息公开工作年度报告"):
        import_file(path)
    with pytest.raises(ReportImportError, match="这不是政府信息公开工作年度报告"):
        import_file(path, format_key="2021")


def test_a_published_notice_about_the_reports_is_refused():
    """A real notice (怀化市, 2022) that names the reports, their format and their sections'
    kind of numbering, but is none: the importer says so."""
    notice = Path(__file__).parent / "fixtures" / "not_reports"
    with pytest.raises(ReportImportError, match="这不是政府信息公开工作年度报告"):
        import_file(notice / "2022_huaihua-notice-about-the-reports.txt")


def test_an_empty_or_binary_file_is_refused_with_its_name_only(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(ReportImportError, match="没有可读取的文字"):
        import_file(tmp_path / "empty.txt")
    (tmp_path / "data.txt").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ReportImportError) as caught:
        import_file(tmp_path / "data.txt")
    assert "“data.txt”" in str(caught.value) and str(tmp_path) not in str(caught.value)
    with pytest.raises(ReportImportError, match="“missing.txt”"):
        import_file(tmp_path / "missing.txt")
    (tmp_path / "table.xlsx").write_bytes(b"PK\x03\x04 a workbook")
    with pytest.raises(ReportImportError, match="“table.xlsx”：此类文件"):
        import_file(tmp_path / "table.xlsx")


REAL_DIR = Path(__file__).parent / "fixtures" / "real"


def _real(name: str) -> bytes:
    return (REAL_DIR / name).read_bytes()


def test_a_report_cut_inside_a_character_and_a_table_is_read_with_a_finding(tmp_path):
    """A download that stopped: the bytes end inside a character (UTF-8) and inside 表三."""
    data = _real("2025_shuyang-county-government.txt")
    cut = data.index("### (三) 不予公开".encode()) + len("### (三) ") + 1  # inside 不
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut])
    report = import_file(path)
    assert report.cells["二、上年结转政府信息公开申请数量|总计"] is not None
    (finding,) = [f for f in report.findings if f.rule == "truncated"]
    assert finding.severity == "warning"
    assert finding.location.startswith("（二）部分公开")
    # the whole report ends with 表四 and its narrative: no such finding
    whole = import_file(REAL_DIR / "2025_shuyang-county-government.txt")
    assert "truncated" not in {f.rule for f in whole.findings}


def test_a_report_cut_before_its_tables_says_no_figure_was_found(tmp_path):
    path = tmp_path / "cut.html"
    data = _real("2023_shuyang-development-reform-bureau.html")
    path.write_bytes(data[: data.index(b"<div><table>")])
    report = import_file(path)
    assert report.year == 2023
    assert "no_figures" in {f.rule for f in report.findings}
    cut = tmp_path / "cut-in-table.html"
    cut.write_bytes(data[: data.index("三、收到和处理".encode())])
    report = import_file(cut)
    assert [f.location for f in report.findings if f.rule == "truncated"] == ["行政事业性收费"]


def test_an_unexpected_failure_is_told_not_raised(tmp_path, monkeypatch, caplog):
    from gongkai.reports.importers import text

    def broken(*_args, **_kwargs):
        raise KeyError("a reader bug")

    monkeypatch.setattr(text, "parse_blocks", broken)
    path = tmp_path / "report.txt"
    path.write_text("规章 | 0 | 0 | 0\n", encoding="utf-8")
    with pytest.raises(ReportImportError, match="无法将“report.txt”读取为年度报告"):
        import_file(path)
    assert "report import failed" in caplog.text


def test_the_command_says_why_a_notice_is_not_imported(tmp_path):
    from io import StringIO

    from gongkai.reports.cli_import import run_import

    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    out = StringIO()
    assert run_import({"file": str(path)}, out) == 2
    assert "这不是政府信息公开工作年度报告" in out.getvalue() and "Traceback" not in out.getvalue()


def test_blank_cells_printed_as_empty_lines_of_a_double_spaced_page():
    """A page copied paragraph by paragraph (an empty line after each, 兴化市大营镇 2023): one
    empty line more between two figures is a blank cell, so the total lands in its column."""
    header = "\n\n".join(["三、收到和处理政府信息公开申请情况", *["第二十条第（一）项"] * 20])
    text = (
        header + "\n\n一、本年新收政府信息公开申请数量\n\n12\n\n\n\n\n\n\n12\n\n"
        "二、上年结转政府信息公开申请数量\n\n\n\n\n\n\n\n\n三、本年度办理结果\n\n"
        "（一）予以公开\n\n4\n\n\n\n\n\n\n\n（二）部分公开\n\n1\n\n0\n\n0\n\n0\n\n0\n\n0\n\n1\n"
    )
    report = import_text(text, format_key="2021")
    assert _cells(report, "一、本年新收") == [12, None, None, None, None, None, 12]
    assert _cells(report, "二、上年结转") == [None] * 7
    assert _cells(report, "（一）予以公开") == [4] + [None] * 6
    assert _cells(report, "（二）部分公开") == [1, 0, 0, 0, 0, 0, 1]
    # a text that is not double-spaced keeps ignoring empty lines
    single = "一、本年新收政府信息公开申请数量\n12\n\n\n3\n0\n0\n0\n0\n15\n"
    assert _cells(import_text(single, format_key="2021"), "一、本年新收") == [12, 3, 0, 0, 0, 0, 15]
