"""Masking inside files (gongkai.privacy.documents): real Word, Excel and PDF files are built
here (python-docx, openpyxl, PyMuPDF with a Noto CJK font), masked, and read back part by part:
no name, ID number, phone or address is left in any part of the file, everything else is kept,
and the copy re-opens and re-scans clean."""

from __future__ import annotations

import glob
import html
import io
import re
import shutil
import subprocess
import zipfile
from xml.sax.saxutils import escape

import docx
import openpyxl
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl.comments import Comment

from gongkai.core import safefile
from gongkai.core.tests import hostile
from gongkai.privacy import documents
from gongkai.privacy.findings import PERSON_NAME, Finding

# --- the people in the files -------------------------------------------------------------------

ID_1, ID_2 = "11010519491231002X", "330902198001011233"
MOBILE_1, MOBILE_2, MOBILE_3 = "13912345678", "13712345678", "13600001111"
EMAIL = "zhangsan@example.cn"
# names in the tables stand bare under their 姓名/户主姓名 header (the names detector reads a
# TAB-separated column); the others after a role (经办人：…) or as an author
NAMES = ("林国庆", "赵大明", "钱小芳", "孙建国", "周明", "王小红", "吴敏", "张三", "李四")
SECRETS = (ID_1, ID_2, MOBILE_1, MOBILE_2, MOBILE_3, EMAIL, "zhangsan", *NAMES)
PUBLIC_LINE = "0580-6012345"


def make_notice() -> bytes:
    """A 公示 in Word: a run-split name, a 姓名/身份证号/联系电话 table, header, footer, a
    comment, a mailto: link, a text box, and authors in the properties."""
    document = docx.Document()
    document.core_properties.author = "张三"
    document.core_properties.last_modified_by = "李四"
    document.core_properties.title = f"临时救助公示（联系人：王小红 {MOBILE_1}）"
    document.core_properties.keywords = "临时救助"
    title = document.add_paragraph("六横镇2026年第一批临时救助对象公示")
    # Word splits text into runs anywhere: the name and the ID number are cut in two
    applicant = document.add_paragraph()
    applicant.add_run("申请人：林")
    bold = applicant.add_run("国庆，身份证号码：110105194912")
    bold.bold = True
    applicant.add_run(f"31002X，联系电话：{MOBILE_2}。")
    table = document.add_table(rows=3, cols=4)
    rows = [
        ["姓名", "身份证号", "联系电话", "救助金额（元）"],
        ["赵大明", ID_1, MOBILE_1, "3000"],
        ["钱小芳", ID_2, MOBILE_2, "2500"],
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    document.add_paragraph(f"公示期为5个工作日。咨询电话：{PUBLIC_LINE}")
    link = document.add_paragraph("电子邮箱：")
    r_id = document.part.relate_to(f"mailto:{EMAIL}", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = EMAIL
    run.append(text)
    hyperlink.append(run)
    link._p.append(hyperlink)
    _add_text_box(document.add_paragraph("落款："), f"经办人：孙建国 {MOBILE_3}")
    section = document.sections[0]
    section.header.paragraphs[0].text = "经办人：孙建国"
    section.footer.paragraphs[0].text = f"联系人：周明 {MOBILE_3}"
    document.add_comment(
        title.runs, text="请核对联系人：王小红的住址", author="吴敏", initials="WM"
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_text_box(paragraph, text: str) -> None:
    """A VML text box (what WPS and older Word write) holding `text`."""
    xml = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:40pt">'
        f"<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
        "</v:textbox></v:shape></w:pict></w:r>"
    )
    from lxml import etree

    paragraph._p.append(etree.fromstring(xml))


def make_roster() -> bytes:
    """A 补助 roster in Excel: two sheets, numbers as numbers, a formula column, a comment."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "补助名单"
    sheet.append(["序号", "户主姓名", "身份证号", "手机", "金额", "合计"])
    people = [
        ("赵大明", ID_1, int(MOBILE_1), 3000),
        ("钱小芳", ID_2, int(MOBILE_2), 2500),
    ]
    for i, (name, id_number, mobile, amount) in enumerate(people, 2):
        sheet.append([i - 1, name, id_number, mobile, amount, f"=E{i}*2"])
    sheet.append([3, "（空缺）", None, None, 0, "=E4*2"])
    sheet["B2"].comment = Comment(f"经办人：孙建国，电话{MOBILE_3}", "吴敏")
    sheet.column_dimensions["C"].width = 24
    sheet.merge_cells("A8:D8")
    sheet["A8"] = "合计（元）"
    sheet["E8"] = "=SUM(E2:E4)"
    other = workbook.create_sheet("联系人")
    other.append(["联系人：周明", "13800008000", "办公室"])
    workbook.properties.creator = "张三"
    workbook.properties.title = "2026年补助名单"
    out = io.BytesIO()
    workbook.save(out)
    return shared_strings(out.getvalue())


_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: [^>]*)?>([^<]*)</t></is></c>')


def shared_strings(data: bytes) -> bytes:
    """The workbook with its text cells in xl/sharedStrings.xml, as Excel and WPS write them
    (openpyxl 3.1 writes inline strings)."""
    parts = members(data)
    strings: list[str] = []

    def shared(m: re.Match) -> str:
        value = html.unescape(m.group(3))  # openpyxl writes &#...; for every CJK character
        if value not in strings:
            strings.append(value)
        return f'<c {m.group(1)}t="s"{m.group(2)}><v>{strings.index(value)}</v></c>'

    for name in list(parts):
        if name.startswith("xl/worksheets/sheet"):
            parts[name] = _INLINE.sub(shared, parts[name].decode()).encode()
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    parts["[Content_Types].xml"] = (
        parts["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        .encode()
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        parts["xl/_rels/workbook.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        .encode()
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _cjk_font() -> str | None:
    found = sorted(glob.glob("/usr/share/fonts/**/Noto*CJK*-Regular.tt[cf]", recursive=True))
    found += sorted(glob.glob("/usr/share/fonts/**/Noto*CJK*.otf", recursive=True))
    return found[0] if found else None


def _font_subset(path: str, text: str) -> bytes:
    """The font's glyphs for `text` only (as Word's PDF export embeds them): a few KB, not the
    20 MB collection."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    if path.endswith(".ttc"):
        fonts = TTCollection(path).fonts
        font = next((f for f in fonts if "SC" in f["name"].getDebugName(4)), fonts[0])
    else:
        font = TTFont(path)
    subsetter = subset.Subsetter()
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


PDF_LINES = (
    "行政处罚决定书",
    f"当事人：郑飞涛，身份证号码：{ID_1}，",
    f"联系电话：{MOBILE_1}。咨询电话：{PUBLIC_LINE}",
    "经查，当事人于2026年3月在六横镇经营无证摊位。",
)


def make_pdf(lines=PDF_LINES, *, scan_page: bool = False) -> bytes:
    """A PDF with a text layer in a Noto CJK font, an author, XMP, a bookmark and a note."""
    import pymupdf

    path = _cjk_font()
    if path is None:
        pytest.skip("no CJK font under /usr/share/fonts")
    font = _font_subset(path, "".join(lines) + "联系人王小红处罚" + "0123456789")
    document = pymupdf.open()
    page = document.new_page()
    page.insert_font(fontname="cjk", fontbuffer=font)
    for i, line in enumerate(lines):
        page.insert_text((72, 100 + 24 * i), line, fontname="cjk", fontsize=11)
    page.add_text_annot((400, 400), f"联系人：王小红 {MOBILE_2}")
    if scan_page:
        scan = document.new_page()
        pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 50, 50), False)
        scan.insert_image(scan.rect, pixmap=pixmap)
    document.set_metadata({"author": "张三", "title": "处罚决定书 郑飞涛"})
    document.set_xml_metadata(
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><author>张三</author></x:xmpmeta>"
    )
    document.set_toc([[1, "当事人：郑飞涛", 1]])
    return document.tobytes(garbage=3, deflate=True)


def make_scan_pdf() -> bytes:
    """An image-only PDF: what a scanner writes."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page()
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 100, 100), False)
    page.insert_image(page.rect, pixmap=pixmap)
    return document.tobytes()


# --- reading a package part by part -------------------------------------------------------------


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def leaks(data: bytes, secrets=SECRETS) -> list[tuple[str, str]]:
    """(part, secret) for every secret left in any part: in the raw XML (attributes, link
    targets) and in its text with the tags taken out (a value split across runs)."""
    found = []
    for name, content in members(data).items():
        raw = content.decode("utf-8", "replace")
        text = re.sub(r"<[^>]*>", "", raw)
        for secret in secrets:
            if secret in raw or secret in text:
                found.append((name, secret))
    return found


@pytest.fixture(scope="module")
def notice():
    data = make_notice()
    return data, documents.mask_file(data, "docx")


@pytest.fixture(scope="module")
def roster():
    data = make_roster()
    return data, documents.mask_file(data, "xlsx")


# --- DOCX ---------------------------------------------------------------------------------------


def test_the_notice_holds_its_secrets_before_masking(notice):
    original, _ = notice
    # what is checked after masking is there before it, in the parts it is expected in
    parts = {part for part, _ in leaks(original)}
    for part in (
        "word/document.xml",
        "word/header1.xml",
        "word/footer1.xml",
        "word/comments.xml",
        "word/_rels/document.xml.rels",
        "docProps/core.xml",
    ):
        assert part in parts, part


def test_docx_no_personal_data_is_left_in_any_part(notice):
    _, masked = notice
    assert leaks(masked.data) == []
    assert masked.counts["id_card"] == 3
    assert masked.counts["email"] == 2  # the link's text and its address
    assert masked.counts[PERSON_NAME] >= len(NAMES) - 1


def test_docx_keeps_every_other_paragraph_cell_and_member(notice):
    original, masked = notice
    before, after = docx.Document(io.BytesIO(original)), docx.Document(io.BytesIO(masked.data))
    assert [p.text for p in after.paragraphs] == [
        "六横镇2026年第一批临时救助对象公示",
        "申请人：林*庆，身份证号码：110105********002X，联系电话：137****5678。",
        f"公示期为5个工作日。咨询电话：{PUBLIC_LINE}",
        "电子邮箱：z***@example.cn",
        "落款：",
    ]
    cells = [[c.text for c in row.cells] for row in after.tables[0].rows]
    assert cells == [
        ["姓名", "身份证号", "联系电话", "救助金额（元）"],
        ["赵*明", "110105********002X", "139****5678", "3000"],
        ["钱*芳", "330902********1233", "137****5678", "2500"],
    ]
    assert after.sections[0].header.paragraphs[0].text == "经办人：孙*国"
    assert after.sections[0].footer.paragraphs[0].text == "联系人：周* 136****1111"
    assert after.core_properties.author == "张*"
    assert after.core_properties.last_modified_by == "李*"
    assert after.core_properties.keywords == before.core_properties.keywords
    # the members with no personal data are copied byte for byte
    old, new = members(original), members(masked.data)
    assert list(new) == list(old)
    for name in ("word/styles.xml", "word/settings.xml", "[Content_Types].xml", "docProps/app.xml"):
        assert new[name] == old[name], name


def test_docx_run_formatting_survives_a_value_split_across_runs(notice):
    _, masked = notice
    runs = docx.Document(io.BytesIO(masked.data)).paragraphs[1].runs
    assert [r.text for r in runs] == [
        "申请人：林*庆",  # the whole mask in the first run …
        "，身份证号码：110105********002X",  # … and the rest of the value removed from here
        "，联系电话：137****5678。",
    ]
    assert [bool(r.bold) for r in runs] == [False, True, False]


def test_docx_link_address_text_box_and_comment_are_masked(notice):
    _, masked = notice
    parts = members(masked.data)
    rels = parts["word/_rels/document.xml.rels"].decode()
    assert 'Target="mailto:z***@example.cn"' in rels
    body = parts["word/document.xml"].decode()
    assert "经办人：孙*国 136****1111" in body  # the text box
    comments = parts["word/comments.xml"].decode()
    assert "联系人：王*红的住址" in comments
    assert 'w:author="吴*"' in comments


def test_docx_space_is_preserved_where_a_run_now_starts_with_one():
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("手机：138000")
    paragraph.add_run("08000 已核实")
    out = io.BytesIO()
    document.save(out)
    masked = documents.mask_file(out.getvalue(), "docx")
    body = members(masked.data)["word/document.xml"].decode()
    assert '<w:t xml:space="preserve"> 已核实</w:t>' in body
    assert docx.Document(io.BytesIO(masked.data)).paragraphs[0].text == "手机：138****8000 已核实"


def test_docx_rescan_is_clean(notice):
    _, masked = notice
    assert documents.default_finder(documents.docx_text(masked.data, name="x")) == []


def test_docx_text_writes_tables_a_row_a_line_with_tab_separated_cells(notice):
    original, _ = notice
    text = documents.docx_text(original, name="公示.docx")
    assert "姓名\t身份证号\t联系电话\t救助金额（元）\n" in text
    assert f"赵大明\t{ID_1}\t{MOBILE_1}\t3000\n" in text
    assert f"mailto:{EMAIL}" in text  # the link's address is scanned too


def test_a_cell_s_paragraphs_are_joined_by_a_space():
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "第一段"
    table.cell(0, 0).add_paragraph("第二段")
    table.cell(0, 1).text = "右"
    out = io.BytesIO()
    document.save(out)
    assert "第一段 第二段\t右\n" in documents.docx_text(out.getvalue(), name="x")


def test_docx_bare_names_under_a_name_header_are_masked():
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for i, row in enumerate([["姓名", "身份证号"], ["赵大明", ID_1], ["钱小芳", ID_2]]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    out = io.BytesIO()
    document.save(out)
    masked = documents.mask_file(out.getvalue(), "docx")
    assert leaks(masked.data, ("赵大明", "钱小芳", ID_1, ID_2)) == []


def test_the_caller_s_finder_is_used():
    """The catalogue passes a finder that knows the agency's own names."""
    document = docx.Document()
    document.add_paragraph("本次由林国庆负责。")
    out = io.BytesIO()
    document.save(out)

    def knows_lin(text: str) -> list[Finding]:
        at = text.find("林国庆")
        return [Finding(PERSON_NAME, at, at + 3, "林国庆", 1.0)] if at >= 0 else []

    masked = documents.mask_file(out.getvalue(), "docx", finder=knows_lin)
    assert docx.Document(io.BytesIO(masked.data)).paragraphs[0].text == "本次由林*庆负责。"
    assert masked.counts == {PERSON_NAME: 1}


def test_a_file_with_nothing_to_mask_is_returned_as_it_was():
    document = docx.Document()
    document.add_paragraph("六横镇2026年政务公开工作要点")
    out = io.BytesIO()
    document.save(out)
    masked = documents.mask_file(out.getvalue(), "docx")
    assert masked.data == out.getvalue() and masked.counts == {}


# --- XLSX ---------------------------------------------------------------------------------------


def test_the_roster_holds_its_secrets_before_masking(roster):
    original, _ = roster
    parts = {part for part, _ in leaks(original)}
    assert {"xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "docProps/core.xml"} <= parts
    assert any(part.startswith("xl/comments") for part in parts)


def test_xlsx_no_personal_data_is_left_in_any_part(roster):
    _, masked = roster
    assert leaks(masked.data, (*SECRETS, "13800008000")) == []
    assert masked.counts["id_card"] == 2
    assert masked.counts["mobile"] == 4


def test_xlsx_keeps_every_other_cell_number_formula_and_layout(roster):
    original, masked = roster
    before = openpyxl.load_workbook(io.BytesIO(original))
    after = openpyxl.load_workbook(io.BytesIO(masked.data))
    assert after.sheetnames == before.sheetnames == ["补助名单", "联系人"]
    rows = [[c.value for c in row] for row in after["补助名单"].iter_rows(max_row=4)]
    assert rows == [
        ["序号", "户主姓名", "身份证号", "手机", "金额", "合计"],
        [1, "赵*明", "110105********002X", "139****5678", 3000, "=E2*2"],
        [2, "钱*芳", "330902********1233", "137****5678", 2500, "=E3*2"],
        [3, "（空缺）", None, None, 0, "=E4*2"],
    ]
    sheet = after["补助名单"]
    assert sheet["A8"].value == "合计（元）" and sheet["E8"].value == "=SUM(E2:E4)"
    assert isinstance(sheet["E2"].value, int) and isinstance(sheet["A3"].value, int)
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A8:D8"]
    assert sheet.column_dimensions["C"].width == 24
    assert [[c.value for c in row] for row in after["联系人"].iter_rows()] == [
        ["联系人：周*", "138****8000", "办公室"]
    ]
    comment = sheet["B2"].comment
    assert comment.text == "经办人：孙*国，电话136****1111" and comment.author == "吴*"
    assert after.properties.creator == "张*"
    assert after.properties.title == "2026年补助名单"
    old, new = members(original), members(masked.data)
    for name in ("xl/styles.xml", "xl/workbook.xml", "[Content_Types].xml"):
        assert new[name] == old[name], name


def test_xlsx_rescan_is_clean(roster):
    _, masked = roster
    assert documents.default_finder(documents.xlsx_text(masked.data, name="x")) == []


def test_xlsx_text_is_sheets_in_order_rows_by_line_cells_by_tab(roster):
    original, _ = roster
    lines = documents.xlsx_text(original, name="名单.xlsx").splitlines()
    assert lines[:3] == [
        "序号\t户主姓名\t身份证号\t手机\t金额\t合计",
        f"1\t赵大明\t{ID_1}\t{MOBILE_1}\t3000",
        f"2\t钱小芳\t{ID_2}\t{MOBILE_2}\t2500",
    ]
    assert lines[3] == "3\t（空缺）\t\t\t0"  # empty cells keep the columns in place
    # the second sheet after the first, then the comment
    assert lines[-2:] == ["联系人：周明\t13800008000\t办公室", f"经办人：孙建国，电话{MOBILE_3}"]


def test_xlsx_rich_text_split_in_a_shared_string_is_masked():
    """A shared string written as rich-text runs (<r><t>) with the name cut between them."""
    data = make_roster()
    parts = members(data)
    shared = parts["xl/sharedStrings.xml"].decode()
    shared = shared.replace(
        "<si><t>赵大明</t></si>",
        "<si><r><t>赵</t></r><r><rPr><b/></rPr><t>大明</t></r></si>",
    )
    assert "<r><t>赵</t></r>" in shared
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, shared.encode() if name == "xl/sharedStrings.xml" else content)
    masked = documents.mask_file(out.getvalue(), "xlsx")
    new = members(masked.data)["xl/sharedStrings.xml"].decode()
    assert "<r><t>赵*明</t></r>" in new and "<b/></rPr><t></t></r>" in new
    assert openpyxl.load_workbook(io.BytesIO(masked.data))["补助名单"]["B2"].value == "赵*明"


def test_xlsx_bare_names_under_a_name_column_are_masked():
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "姓名", "身份证号"])
    workbook.active.append([1, "赵大明", ID_1])
    workbook.active.append([2, "钱小芳", ID_2])
    out = io.BytesIO()
    workbook.save(out)
    masked = documents.mask_file(out.getvalue(), "xlsx")
    assert leaks(masked.data, ("赵大明", "钱小芳", ID_1, ID_2)) == []


# --- PDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def decision():
    data = make_pdf()
    return data, documents.mask_file(data, "pdf")


PDF_SECRETS = ("郑飞涛", ID_1, MOBILE_1, MOBILE_2, "王小红", "张三")


def _pymupdf_text(data: bytes) -> str:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as document:
        return "\n".join(page.get_text() for page in document)


def test_the_pdf_holds_its_secrets_before_masking(decision):
    original, _ = decision
    text = _pymupdf_text(original)
    for secret in ("郑飞涛", ID_1, MOBILE_1):
        assert secret in text


def test_pdf_text_is_removed_not_covered(decision):
    _, masked = decision
    text = _pymupdf_text(masked.data)
    for secret in ("郑飞涛", ID_1, MOBILE_1):
        assert secret not in text
    for mask in ("郑*涛", "110105********002X", "139****5678"):
        assert mask in text  # written where the value was
    # what is not personal data stays as it was
    assert "行政处罚决定书" in text and "经查，当事人于2026年3月在六横镇经营无证摊位。" in text
    assert "咨询电话：0580" in text
    assert masked.counts == {PERSON_NAME: 3, "id_card": 1, "mobile": 2}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_cannot_read_the_removed_text(decision, tmp_path):
    _, masked = decision
    path = tmp_path / "masked.pdf"
    path.write_bytes(masked.data)
    text = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    for secret in ("郑飞涛", ID_1, MOBILE_1):
        assert secret not in text
    assert "行政处罚决定书" in text


def test_pdf_metadata_outline_and_notes_are_cleaned(decision):
    import pymupdf

    _, masked = decision
    with pymupdf.open(stream=masked.data, filetype="pdf") as document:
        assert document.metadata["author"] == "" and document.metadata["title"] == ""
        assert document.get_xml_metadata() == ""
        assert document.get_toc() == [[1, "当事人：郑*涛", 1]]
        notes = [annot.info["content"] for annot in document[0].annots()]
    assert notes == ["联系人：王*红 137****5678"]
    # and nowhere in the file's bytes, decompressed (the streams are re-deflated)
    raw = pymupdf.open(stream=masked.data, filetype="pdf").tobytes(expand=255)
    for secret in (ID_1, MOBILE_1, MOBILE_2):
        assert secret.encode() not in raw


def test_pdf_rescan_is_clean(decision):
    _, masked = decision
    assert documents.default_finder(safefile.pdf_text(masked.data, name="x.pdf")) == []


def test_a_scan_cannot_be_masked():
    with pytest.raises(documents.MaskingError, match="扫描件没有文字层") as raised:
        documents.mask_file(make_scan_pdf(), "pdf", name="处罚决定书.pdf")
    assert raised.value.code == "scanned"


def test_a_pdf_with_a_scanned_page_is_refused_not_half_masked():
    with pytest.raises(documents.MaskingError, match="第 2 页"):
        documents.mask_file(make_pdf(scan_page=True), "pdf")


# --- refusals -----------------------------------------------------------------------------------


def test_a_hostile_archive_is_refused_by_the_safe_reader():
    with pytest.raises(safefile.FileRefused) as raised:
        documents.mask_file(hostile.ratio_bomb(), "docx", name="方案.docx")
    assert raised.value.code in ("archive_ratio", "archive_member_size")


@pytest.mark.parametrize(
    ("kind", "data"),
    [("docx", b"PK\x03\x04 not a zip"), ("xlsx", b"\x00" * 10), ("pdf", b"%PDF-1.4 truncated")],
)
def test_a_damaged_file_is_refused(kind, data):
    with pytest.raises(safefile.FileRefused):
        documents.mask_file(data, kind, name="坏文件")


def test_other_kinds_cannot_be_masked():
    with pytest.raises(documents.MaskingError, match="只支持"):
        documents.mask_file(b"\x89PNG\r\n\x1a\n", "png")


def test_malformed_xml_is_refused_as_damaged():
    parts = members(make_notice())
    parts["word/document.xml"] = b"<w:document><w:t>\xe6\x9c\xaa\xe9\x97\xad\xe5\x90\x88"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with pytest.raises(safefile.FileRefused) as raised:
        documents.mask_file(out.getvalue(), "docx")
    assert raised.value.code == "damaged"


def test_a_docx_size_run_of_pt_is_kept():
    """Run properties (size, font) are untouched by the rewrite of the run's text."""
    document = docx.Document()
    run = document.add_paragraph().add_run("联系电话：13800008000")
    run.font.size = Pt(16)
    out = io.BytesIO()
    document.save(out)
    masked = documents.mask_file(out.getvalue(), "docx")
    after = docx.Document(io.BytesIO(masked.data)).paragraphs[0].runs[0]
    assert after.text == "联系电话：138****8000" and after.font.size == Pt(16)


# --- what else a package holds ------------------------------------------------------------------


def _with_member(data: bytes, member: str, content: bytes) -> bytes:
    """The package with `member` added, or replaced by `content`."""
    parts = {**members(data), member: content}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in parts.items():
            archive.writestr(name, value)
    return out.getvalue()


def test_a_roster_embedded_in_a_notice_is_masked_too():
    notice = _with_member(
        make_notice(), "word/embeddings/Microsoft_Excel_Worksheet.xlsx", make_roster()
    )
    masked = documents.mask_file(notice, "docx")
    embedded = members(masked.data)["word/embeddings/Microsoft_Excel_Worksheet.xlsx"]
    assert leaks(embedded, (ID_1, ID_2, MOBILE_1, "赵大明", "孙建国")) == []
    assert openpyxl.load_workbook(io.BytesIO(embedded))["补助名单"]["C2"].value == (
        "110105********002X"
    )


def test_xlsx_formula_results_link_addresses_and_print_headers_are_masked():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["联系人：孙建国", MOBILE_1, EMAIL])
    sheet["C1"].hyperlink = f"mailto:{EMAIL}"
    sheet.oddHeader.left.text = "经办人：吴敏"
    out = io.BytesIO()
    workbook.save(out)
    parts = members(out.getvalue())
    # a formula whose last result (cached by Excel) is the mobile number, as text and as number
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    sheet_xml = sheet_xml.replace(
        "</row>",
        f'<c r="D1" t="str"><f>B1&amp;""</f><v>{MOBILE_1}</v></c>'
        f'<c r="E1"><f>B1</f><v>{MOBILE_1}</v></c></row>',
    )
    data = _with_member(out.getvalue(), "xl/worksheets/sheet1.xml", sheet_xml.encode())
    masked = documents.mask_file(data, "xlsx")
    assert leaks(masked.data, (MOBILE_1, EMAIL, "孙建国", "吴敏")) == []
    new_sheet = members(masked.data)["xl/worksheets/sheet1.xml"].decode()
    # the formulas are kept, their results masked (Excel computes them again from B1 anyway)
    assert '<c r="D1" t="str"><f>B1&amp;""</f><v>139****5678</v></c>' in new_sheet
    assert '<c r="E1" t="str"><f>B1</f><v>139****5678</v></c>' in new_sheet
    after = openpyxl.load_workbook(io.BytesIO(masked.data)).active
    assert after["C1"].hyperlink.target == "mailto:z***@example.cn"
    assert after.oddHeader.left.text == "经办人：吴*"


def test_a_pdf_bomb_is_refused_before_mupdf_reads_it():
    with pytest.raises(safefile.FileRefused) as raised:
        documents.mask_file(hostile.pdf_flate_bomb(), "pdf", name="炸弹.pdf")
    assert raised.value.code == "pdf_limit"


def test_a_scan_with_an_ocr_text_layer_is_refused_not_half_masked():
    """Removing the OCR text over a page image would leave the picture of the same text."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page()
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 100, 100), False)
    page.insert_image(page.rect, pixmap=pixmap, keep_proportion=False)
    page.insert_text((72, 100), f"联系电话：{MOBILE_1}", fontname="china-s", render_mode=3)
    assert MOBILE_1 in page.get_text()
    with pytest.raises(documents.MaskingError, match="扫描件") as raised:
        documents.mask_file(document.tobytes(), "pdf")
    assert raised.value.code == "scanned"


def test_pdf_text_inside_a_form_xobject_is_removed():
    import pymupdf

    source = pymupdf.open()
    source.new_page().insert_text(
        (72, 100), f"联系电话：{MOBILE_1}，身份证号码：{ID_1}", fontname="china-s", fontsize=11
    )
    document = pymupdf.open()
    document.new_page().show_pdf_page(pymupdf.Rect(0, 0, 595, 842), source, 0)
    masked = documents.mask_file(document.tobytes(), "pdf")
    text = _pymupdf_text(masked.data)
    assert MOBILE_1 not in text and ID_1 not in text
    assert "139****5678" in text and "110105********002X" in text


def test_pdf_form_field_values_are_masked():
    import pymupdf

    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 80), "申请表", fontname="china-s")
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "phone"
    widget.rect = pymupdf.Rect(72, 100, 300, 120)
    widget.field_value = f"联系电话：{MOBILE_1}"
    page.add_widget(widget)
    masked = documents.mask_file(document.tobytes(), "pdf")
    with pymupdf.open(stream=masked.data, filetype="pdf") as after:
        assert [w.field_value for w in after[0].widgets()] == ["联系电话：139****5678"]
    assert MOBILE_1.encode() not in pymupdf.open(stream=masked.data).tobytes(expand=255)


def test_docx_merged_cells_keep_the_columns_in_place():
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "基本情况"
    table.cell(0, 2).text = "联系电话"
    for j, value in enumerate(["姓名", "性别", MOBILE_1]):
        table.cell(1, j).text = value
    out = io.BytesIO()
    document.save(out)
    text = documents.docx_text(out.getvalue(), name="x")
    assert f"基本情况\t\t联系电话\n姓名\t性别\t{MOBILE_1}\n" in text


def test_docx_tracked_deletions_and_their_authors_are_masked():
    """Text deleted with track changes on is still in the file (w:delText), with its author."""
    from lxml import etree

    document = docx.Document()
    paragraph = document.add_paragraph("联系电话：")
    paragraph._p.append(
        etree.fromstring(
            '<w:del xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'w:id="1" w:author="吴敏" w:date="2026-03-01T00:00:00Z">'
            f"<w:r><w:delText>{MOBILE_1}</w:delText></w:r></w:del>"
        )
    )
    out = io.BytesIO()
    document.save(out)
    assert leaks(out.getvalue(), (MOBILE_1, "吴敏"))
    masked = documents.mask_file(out.getvalue(), "docx")
    assert leaks(masked.data, (MOBILE_1, "吴敏")) == []
    body = members(masked.data)["word/document.xml"].decode()
    assert "<w:delText>139****5678</w:delText>" in body and 'w:author="吴*"' in body
