"""XLSX sheet titles and defined names holding a personal name are masked, and every formula,
defined name, link and title list referring to them follows the new name (openpyxl round-trip)."""

import io
import zipfile

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.hyperlink import Hyperlink

from gongkai.privacy import documents
from gongkai.privacy.documents import rename_references


def roster() -> bytes:
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "汇总"
    household = book.create_sheet("王大明")
    household.append(["家庭成员", "关系", "补助金额"])
    household.append(["本人", "户主", 1200])
    household.append(["子女", "子", 800])
    other = book.create_sheet("户主李秀英")
    other.append(["补助金额", 600])
    summary["A1"] = "合计"
    summary["B1"] = "=SUM(王大明!C2:C3)+'户主李秀英'!B1"
    summary["B2"] = '="王大明!"&COUNT(王大明!C2:C3)'  # a string literal is text, not a reference
    summary["B3"] = "=SUM(王大明补助)"
    summary["B4"] = "=[1]王大明!A1"  # another workbook's sheet keeps its title
    summary["A5"] = "查看明细"
    summary["A5"].hyperlink = Hyperlink(ref="A5", location="'王大明'!A1")
    summary["A6"] = "户主"
    summary["A6"].hyperlink = "#户主李秀英!A1"  # a jump written as an address
    book.defined_names["王大明补助"] = DefinedName("王大明补助", attr_text="王大明!$C$2:$C$3")
    book.defined_names["合计区域"] = DefinedName("合计区域", attr_text="汇总!$B$1")
    buffer = io.BytesIO()
    book.save(buffer)
    return with_title_list(buffer.getvalue(), ["汇总", "王大明", "户主李秀英", "王大明补助"])


def with_title_list(data: bytes, titles: list[str]) -> bytes:
    """The package with the title list Excel writes in docProps/app.xml (openpyxl does not)."""
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    items = "".join(f"<vt:lpstr>{t}</vt:lpstr>" for t in titles)
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        f' xmlns:vt="{vt}"><Application>Microsoft Excel</Application><TitlesOfParts>'
        f'<vt:vector size="{len(titles)}" baseType="lpstr">{items}</vt:vector></TitlesOfParts>'
        "</Properties>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = app if info.filename == "docProps/app.xml" else source.read(info)
            target.writestr(info, content)
    return out.getvalue()


@pytest.fixture(scope="module")
def masked():
    return documents.mask_file(roster(), "xlsx", name="补助名单.xlsx")


def test_sheet_titles_holding_a_name_are_masked(masked):
    book = openpyxl.load_workbook(io.BytesIO(masked.data))
    assert book.sheetnames == ["汇总", "王某明", "户主李某英"]
    assert masked.counts["person_name"] >= 2


def test_no_part_of_the_file_still_holds_the_names(masked):
    with zipfile.ZipFile(io.BytesIO(masked.data)) as archive:
        for member in archive.namelist():
            text = archive.read(member).decode("utf-8", "replace")
            if member == "xl/worksheets/sheet1.xml":
                # only inside the string literal and the other workbook's reference
                assert text.count("王大明") == 2, text
                continue
            assert "王大明" not in text, member
            assert "李秀英" not in text, member


def test_formulas_and_defined_names_follow_the_new_titles(masked):
    book = openpyxl.load_workbook(io.BytesIO(masked.data))
    summary = book["汇总"]
    assert summary["B1"].value == "=SUM('王某明'!C2:C3)+'户主李某英'!B1"
    assert summary["B2"].value == "=\"王大明!\"&COUNT('王某明'!C2:C3)"
    assert summary["B3"].value == "=SUM(王某明补助)"
    assert summary["B4"].value == "=[1]王大明!A1"
    assert summary["A5"].hyperlink.location == "'王某明'!A1"
    assert summary["A6"].hyperlink.target == "#'户主李某英'!A1"
    assert set(book.defined_names) == {"王某明补助", "合计区域"}
    assert book.defined_names["王某明补助"].attr_text == "'王某明'!$C$2:$C$3"
    assert book.defined_names["合计区域"].attr_text == "汇总!$B$1"
    # the references resolve: the range a defined name points at exists with its values
    ((title, cells),) = book.defined_names["王某明补助"].destinations
    assert [c.value for (c,) in book[title][cells]] == [1200, 800]


def test_every_other_cell_is_kept(masked):
    book = openpyxl.load_workbook(io.BytesIO(masked.data))
    rows = list(book["王某明"].iter_rows(values_only=True))
    assert rows == [("家庭成员", "关系", "补助金额"), ("本人", "户主", 1200), ("子女", "子", 800)]
    assert book["汇总"]["A1"].value == "合计"


def test_the_title_list_in_the_properties_follows(masked):
    with zipfile.ZipFile(io.BytesIO(masked.data)) as archive:
        app = archive.read("docProps/app.xml").decode()
    assert "<vt:lpstr>王某明</vt:lpstr>" in app and "<vt:lpstr>户主李某英</vt:lpstr>" in app
    assert "<vt:lpstr>王某明补助</vt:lpstr>" in app and "<vt:lpstr>汇总</vt:lpstr>" in app
    assert "王大明" not in app and "李秀英" not in app


def test_a_file_without_named_sheets_is_returned_as_it_was():
    book = openpyxl.Workbook()
    book.active.title = "汇总"
    book.create_sheet("金额明细")["A1"] = "说明"
    book.defined_names["合计"] = DefinedName("合计", attr_text="汇总!$A$1")
    buffer = io.BytesIO()
    book.save(buffer)
    masked = documents.mask_file(buffer.getvalue(), "xlsx")
    assert masked.counts == {}
    assert masked.data == buffer.getvalue()


def test_masked_titles_stay_unique():
    book = openpyxl.Workbook()
    book.active.title = "王大明"
    book.create_sheet("王小明")
    book.create_sheet("王某明")
    book.create_sheet("汇总")["A1"] = "=王大明!A1+王小明!A1+王某明!A1"
    buffer = io.BytesIO()
    book.save(buffer)
    masked = openpyxl.load_workbook(io.BytesIO(documents.mask_file(buffer.getvalue(), "xlsx").data))
    assert masked.sheetnames == ["王某明 2", "王某明 3", "王某明", "汇总"]
    assert masked["汇总"]["A1"].value == "='王某明 2'!A1+'王某明 3'!A1+王某明!A1"


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=张三!A1", "='张某'!A1"),
        ("='张三'!A1:B2", "='张某'!A1:B2"),
        ("=SUM(张三!A1,张三!B1)", "=SUM('张某'!A1,'张某'!B1)"),
        ('="张三!A1"', '="张三!A1"'),
        ('="说""张三!""" & 张三!A1', '="说""张三!""" & \'张某\'!A1'),
        ("=[2]张三!A1", "=[2]张三!A1"),
        ("=Table1[张三]", "=Table1[张三]"),
        ("=张三区(1)", "=张三区(1)"),  # a function call, not a name
        ("=张三区*2", "=张某区*2"),
        ("=张三甲!A1", "=张三甲!A1"),  # another sheet
    ],
)
def test_rename_references(formula, expected):
    assert rename_references(formula, {"张三": "张某"}, {"张三区": "张某区"}) == expected
