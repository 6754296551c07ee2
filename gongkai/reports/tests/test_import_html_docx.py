"""HTML (rowspan/colspan) and DOCX (merged cells) imports, on hand-written fixtures in the official
2021 and 2019 layouts (RULES C §2.3–2.5)."""

from pathlib import Path

import pytest
from docx import Document

from gongkai.reports.formats import get
from gongkai.reports.importers import import_file
from gongkai.reports.importers.html import import_html

FIXTURES = Path(__file__).parent / "fixtures"
HTML_2021 = FIXTURES / "2023_taohua-town-2021-format.html"
HTML_2019 = FIXTURES / "2020_nanyuan-2019-format.html"


@pytest.fixture(scope="module")
def r2021():
    return import_file(HTML_2021)


def test_2021_html_header(r2021):
    assert (r2021.format, r2021.year, r2021.agency) == ("2021", 2023, "桃花镇人民政府")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("行政规范性文件|本年制发件数", 3),
        ("行政规范性文件|现行有效件数", 12),
        ("行政许可|本年处理决定数量", 25),  # a value cell with colspan 3
        ("行政处罚|本年处理决定数量", 9),
        ("一、本年新收政府信息公开申请数量|自然人", 10),
        ("一、本年新收政府信息公开申请数量|商业企业", 2),
        ("一、本年新收政府信息公开申请数量|总计", 12),
        ("二、上年结转政府信息公开申请数量|总计", 1),
        ("（一）予以公开|总计", 7),  # the row under the rowspan label 三、本年度办理结果
        ("4.保护第三方合法权益|自然人", 1),  # under the rowspan label （三）不予公开
        ("1.本机关不掌握相关政府信息|商业企业", 1),
        ("3.其他|总计", 0),
        ("（七）总计|总计", 12),
        ("四、结转下年度继续办理|自然人", 1),
        ("行政复议|结果维持", 1),
        ("行政复议|总计", 2),
        ("行政诉讼|未经复议直接起诉|结果纠正", 1),
        ("行政诉讼|复议后起诉|总计", 0),
    ],
)
def test_2021_html_cells(r2021, key, value):
    assert r2021.cells[key] == value


def test_2021_html_blank_cell_is_null_and_amount_decimal(r2021):
    assert r2021.cells["行政强制|本年处理决定数量"] is None
    assert str(r2021.cells["行政事业性收费|本年收费金额（单位：万元）"]) == "1.25"
    assert set(r2021.cells) == set(get("2021").cell_keys())
    assert sum(v is None for v in r2021.cells.values()) == 1


def test_2021_html_narrative(r2021):
    assert r2021.narrative["五、存在的主要问题及改进情况"] == "一是公开内容还不够全面。"
    assert "共120条" in r2021.narrative["一、总体情况"]
    assert r2021.narrative["三、收到和处理政府信息公开申请情况"] == ""


def test_2019_html():
    report = import_file(HTML_2019)
    assert (report.format, report.year) == ("2019", 2020)
    cells = report.cells
    assert cells["规范性文件|对外公开总数量"] == 15
    assert cells["行政处罚|本年增/减"] == -2
    assert cells["行政事业性收费|本年增/减"] == 0
    assert str(cells["政府集中采购|采购总金额"]) == "35.5"
    assert cells["一、本年新收政府信息公开申请数量|法律服务机构"] == 1
    assert cells["2.重复申请|自然人"] == 1
    assert cells["（六）其他处理|总计"] == 0
    assert cells["（七）总计|总计"] == 4
    assert cells["行政复议|总计"] == 2


def test_html_script_and_style_are_ignored():
    html = (
        "<html><head><script>var x='一、总体情况';</script></head><body>"
        "<p>某镇2021年政府信息公开工作年度报告</p><style>p{}</style><p>一、总体情况</p><p>正文。</p>"
        "<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>行政规范性文件</td><td>1</td><td></td><td>4</td></tr></table></body></html>"
    )
    report = import_html(html)
    assert report.narrative["一、总体情况"] == "正文。"
    assert report.cells["行政规范性文件|本年制发件数"] == 1
    assert report.cells["行政规范性文件|本年废止件数"] is None
    assert report.cells["行政规范性文件|现行有效件数"] == 4


def _merge_docx(path):
    """A DOCX with 表三's layout in part: merged label cells (vertical and horizontal)."""
    doc = Document()
    doc.add_paragraph("桃花镇人民政府2022年政府信息公开工作年度报告")
    doc.add_paragraph("一、总体情况")
    doc.add_paragraph("2022年共收到申请5件。")
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = doc.add_table(rows=6, cols=9)
    head = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    for i, text in enumerate(head):
        table.cell(0, 2 + i).text = text
    a = table.cell(0, 0).merge(table.cell(0, 1))
    a.text = "申请人情况"
    rows = [
        ("一、本年新收政府信息公开申请数量", [4, 1, 0, 0, 0, 0, 5]),
        ("（一）予以公开", [3, 1, 0, 0, 0, 0, 4]),
        ("1.属于国家秘密", [1, 0, 0, 0, 0, 0, 1]),
        ("（七）总计", [4, 1, 0, 0, 0, 0, 5]),
    ]
    for r, (label, values) in enumerate(rows, start=1):
        table.cell(r, 1).text = label
        for c, v in enumerate(values):
            table.cell(r, 2 + c).text = str(v)
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = rows[0][0]
    label3 = table.cell(2, 0).merge(table.cell(3, 0))
    label3.text = "三、本年度办理结果"
    table.cell(5, 0).merge(table.cell(5, 8)).text = "本年制发件数"
    doc.save(path)


def test_docx_with_merged_cells(tmp_path):
    path = tmp_path / "report.docx"
    _merge_docx(path)
    report = import_file(path)
    assert (report.format, report.year, report.agency) == ("2021", 2022, "桃花镇人民政府")
    assert report.cells["一、本年新收政府信息公开申请数量|自然人"] == 4
    assert report.cells["一、本年新收政府信息公开申请数量|总计"] == 5
    assert report.cells["（一）予以公开|商业企业"] == 1
    assert report.cells["1.属于国家秘密|自然人"] == 1
    assert report.cells["（七）总计|总计"] == 5
    assert report.narrative["一、总体情况"] == "2022年共收到申请5件。"


def test_pdf_text_layer(tmp_path):
    """A PDF made by WeasyPrint from the 2021 fixture (the text layer pypdf reads)."""
    weasyprint = pytest.importorskip("weasyprint")
    path = tmp_path / "report.pdf"
    weasyprint.HTML(filename=str(HTML_2021)).write_pdf(str(path))
    report = import_file(path)
    assert report.format == "2021"
    assert report.year == 2023
    assert report.cells["行政许可|本年处理决定数量"] == 25
    assert report.cells["一、本年新收政府信息公开申请数量|总计"] == 12
