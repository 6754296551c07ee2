"""The safe reader (gongkai.core.safefile) and the attachments' reader built on it
(gongkai.catalogue.files): archive bombs, lying archives, hostile spreadsheets, PDFs and images
are refused with a Chinese message, fast and in little memory; ordinary files still pass."""

import io
import os
import zipfile

import pytest
from django.utils import translation

from gongkai.catalogue import files, imports
from gongkai.catalogue.tests.factories import make_docx, make_jpeg, make_pdf, make_png, make_xlsx
from gongkai.core import safefile, tables
from gongkai.core.safefile import archive
from gongkai.core.tests import hostile

MB = 2**20
UPLOAD_LIMIT = 20 * MB
# the done-when of the security issue: refused in under 2 seconds with under 200 MB of memory
SECONDS, PEAK = 2.0, 200 * MB


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def refused(name: str, data: bytes) -> safefile.FileRefused:
    with pytest.raises(safefile.FileRefused) as caught:
        files.inspect_upload(name, data, max_bytes=UPLOAD_LIMIT)
    return caught.value


# --- ZIP ---------------------------------------------------------------------------------------


def test_the_gibibyte_docx_bomb_is_refused_at_once():
    bomb = hostile.docx_bomb()
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:  # what it is: 1 GiB in about 3 MB
        assert archive.getinfo("word/document.xml").file_size > 2**30 - MB
    assert len(bomb) < 4 * MB
    with hostile.measured() as cost:
        error = refused("通知.docx", bomb)
    assert error.code == "archive_member_size"
    assert str(error) == "“通知.docx”中的“word/document.xml”解压后超过 50 MB，无法安全读取。"
    assert cost.seconds < SECONDS and cost.peak_bytes < PEAK, cost


def test_each_reader_refuses_the_bomb_not_only_the_upload_check():
    bomb = hostile.docx_bomb()
    with hostile.measured() as cost:
        for read in (
            lambda: files.extract_text(files.DOCX, bomb, name="x.docx"),
            lambda: files.strip_metadata(files.DOCX, bomb, name="x.docx"),
            lambda: safefile.check_zip(bomb, name="x.docx"),
        ):
            with pytest.raises(safefile.FileRefused):
                read()
    assert cost.seconds < SECONDS and cost.peak_bytes < PEAK, cost


def test_a_declared_size_lie_is_refused():
    """The directory says 1,000 bytes; the deflate stream holds 300 MB."""
    lie = hostile.declared_size_lie()
    with zipfile.ZipFile(io.BytesIO(lie)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 1000
    with hostile.measured() as cost:
        error = refused("说明.docx", lie)
        assert files.extract_text(files.DOCX, lie) == ""
    assert error.code == "damaged"
    assert cost.seconds < SECONDS and cost.peak_bytes < PEAK, cost


def test_the_stream_is_counted_not_the_declared_size():
    """Were zipfile to believe the stream rather than the directory, the reader still stops at
    the member limit, a chunk at a time."""
    lie = hostile.declared_size_lie()
    with safefile.SafeZip(lie, name="说明.docx") as archive:  # the declared sizes pass
        info = archive._zip.getinfo("word/document.xml")
        info.file_size = 2**40  # zipfile now reads all the stream holds
        with hostile.measured() as cost, pytest.raises(safefile.FileRefused) as caught:
            for _chunk in archive.chunks(info):
                pass
    assert caught.value.code == "archive_member_size"
    assert cost.peak_bytes < 8 * MB, cost  # chunks, never the member


def test_the_compression_ratio_is_refused():
    bomb = hostile.ratio_bomb()  # 40 MB of spaces: within the size limits
    assert len(bomb) < MB
    error = refused("方案.docx", bomb)
    assert error.code == "archive_ratio"
    assert "压缩比超过 100∶1" in str(error)


def test_too_many_members_are_refused_before_the_directory_is_read():
    error = refused("附件.docx", hostile.zip_with_members(3000))
    assert error.code == "archive_members"
    assert str(error) == "“附件.docx”内含超过 2000 个文件，无法安全读取。"


def test_the_total_is_counted_across_members(settings):
    settings.GONGKAI_ARCHIVE_MAX_MEMBER_BYTES = 2 * MB
    settings.GONGKAI_ARCHIVE_MAX_TOTAL_BYTES = 5 * MB
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(4):
            archive.writestr(f"data/{n}.bin", os.urandom(3 * MB // 2))
    error = refused("数据.zip", out.getvalue())
    assert error.code == "archive_total_size"


def test_an_encrypted_archive_is_refused():
    data = bytearray(make_docx("正文"))
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x01  # the encryption flag of the first member
    error = refused("加密.docx", bytes(data))
    assert error.code == "encrypted"


def test_the_limits_are_settings(settings):
    settings.GONGKAI_ARCHIVE_MAX_MEMBERS = 3
    assert refused("要点.docx", make_docx("正文")).code == "archive_members"


def test_ordinary_files_still_pass():
    for name, data, text in (
        ("要点.docx", make_docx("申请人张三"), "申请人张三"),
        ("预算.xlsx", make_xlsx([["项目", "金额"], ["道路", 120]]), "道路"),
        ("通知.pdf", make_pdf("13800138000"), "13800138000"),
        ("现场.png", make_png(), ""),
        ("现场.jpg", make_jpeg(), ""),
    ):
        inspected = files.inspect_upload(name, data, max_bytes=UPLOAD_LIMIT)
        assert text in inspected.text
        assert files.strip_metadata(inspected.file_type, data, name=name)


def test_text_beyond_the_limit_is_refused_not_cut(settings):
    settings.GONGKAI_TEXT_MAX_CHARS = 50
    error = refused("名单.docx", make_docx("张" * 60))
    assert error.code == "text_chars"
    assert "超过 50 个字符" in str(error)


# --- PDF and images --------------------------------------------------------------------------


def test_a_pdf_flate_bomb_is_refused(settings):
    settings.GONGKAI_ARCHIVE_MAX_MEMBER_BYTES = 10 * MB  # pypdf's stream limits follow it
    bomb = hostile.pdf_flate_bomb(size=40 * MB)
    with hostile.measured() as cost:
        error = refused("决定书.pdf", bomb)
    assert error.code == "pdf_limit"
    assert cost.seconds < SECONDS and cost.peak_bytes < PEAK, cost


def test_pdf_pages_are_limited(settings):
    from pypdf import PdfWriter

    settings.GONGKAI_PDF_MAX_PAGES = 3
    writer = PdfWriter()
    for _ in range(4):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    error = refused("年鉴.pdf", out.getvalue())
    assert error.code == "pdf_pages"
    assert str(error) == "“年鉴.pdf”超过 3 页，请拆分成几个文件。"


def test_an_image_bomb_is_refused_before_its_pixels_are_decoded():
    bomb = hostile.png_bomb()  # 30,000 × 30,000
    assert len(bomb) < MB
    with hostile.measured() as cost:
        error = refused("现场.png", bomb)
        with pytest.raises(safefile.FileRefused):
            files.strip_metadata(files.PNG, bomb, name="现场.png")
    assert error.code == "image_pixels"
    assert cost.seconds < SECONDS and cost.peak_bytes < 50 * MB, cost


def test_a_damaged_image_is_refused():
    assert refused("现场.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64).code == "damaged"


# --- spreadsheets ------------------------------------------------------------------------------


def test_cells_are_counted_before_openpyxl_reads(settings):
    settings.GONGKAI_SPREADSHEET_MAX_CELLS = 1000
    data = hostile.xlsx_raw(lambda: [b"<row>" + b"<c/>" * 600 + b"</row>"] * 2)
    with pytest.raises(safefile.FileRefused) as caught:
        list(safefile.xlsx_rows(data, name="名单.xlsx", max_rows=10))
    assert caught.value.code == "spreadsheet_cells"


def test_shared_strings_are_counted_too(settings):
    settings.GONGKAI_SPREADSHEET_MAX_CELLS = 100
    data = hostile.xlsx_raw(lambda: [b'<row><c t="s"><v>0</v></c></row>'], shared=["x"] * 200)
    with pytest.raises(safefile.FileRefused) as caught:
        safefile.check_xlsx(data, name="名单.xlsx")
    assert caught.value.code == "spreadsheet_cells"


def test_a_row_beyond_the_column_limit_is_refused():
    data = hostile.xlsx_raw(lambda: [b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>"])
    with pytest.raises(safefile.FileRefused) as caught:
        list(safefile.xlsx_rows(data, name="名单.xlsx", max_rows=10))
    assert caught.value.code == "spreadsheet_columns"
    assert str(caught.value).startswith("第1行在第 256 列之后还有单元格")


def test_the_declared_dimension_does_not_widen_the_rows():
    """A <dimension> of A1:XFD300 made openpyxl pad 300 two-cell rows to 16,384 cells each."""
    rows = [b'<row r="%d"><c><v>1</v></c><c><v>2</v></c></row>' % r for r in range(1, 301)]
    data = hostile.xlsx_raw(lambda: rows, dimension="A1:XFD300")
    read = list(safefile.xlsx_rows(data, name="宽表.xlsx", max_rows=1000))
    assert len(read) == 300 and {len(values) for _n, values in read} == {2}


def test_the_findings_spreadsheet_is_refused_by_the_import_reader():
    """300 rows × 16,384 columns: 71 s and 1.1 GB before."""
    wide = hostile.xlsx_wide()
    with hostile.measured() as cost:
        rows, found, errors = tables.table_rows("宽表.xlsx", wide, imports.ITEM_HEADINGS)
    assert rows == [] and found == {} and len(errors) == 1
    assert "无法安全读取" in errors[0].message
    assert cost.seconds < SECONDS and cost.peak_bytes < PEAK, cost


def test_a_cell_pattern_cut_between_chunks_is_counted_once():
    counter = archive._Counter(archive._CELL)
    text = b"<row>" + b"<c r='A1'/>" * 1000 + b"</row>"
    for start in range(0, len(text), 7):
        counter.feed(text[start : start + 7])
    assert counter.end() == 1000


# --- TIFF --------------------------------------------------------------------------------------


def test_a_tiff_bomb_is_refused_before_its_pixels_are_decoded():
    bomb = hostile.tiff_bomb()  # 30,000 × 30,000 in its header
    assert len(bomb) < MB
    with hostile.measured() as cost:
        error = refused("扫描.tif", bomb)
        with pytest.raises(safefile.FileRefused):
            files.strip_metadata(files.TIFF, bomb, name="扫描.tif")
    assert error.code == "image_pixels"
    assert str(error) == "“扫描.tif”超过 50 兆像素，请缩小后重新上传。"
    assert cost.seconds < SECONDS and cost.peak_bytes < 50 * MB, cost


def test_a_bomb_on_a_later_page_of_a_tiff_is_refused(settings):
    """Pillow reads the first page's header only; every page's is read."""
    settings.GONGKAI_IMAGE_MAX_PIXELS = 1_000_000
    small = hostile.tiff_pages(1)
    later = hostile._tiff([(1, 1, 1, b"\x80"), (2000, 2000, 1, b"\x80")])
    assert files.sniff(small) is files.TIFF
    files.check_content(files.TIFF, small, name="扫描.tif")
    assert refused("扫描.tif", later).code == "image_pixels"


def test_thousands_of_tiff_pages_are_refused_fast():
    many = hostile.tiff_pages(5000)
    with hostile.measured() as cost:
        error = refused("传真.tiff", many)
    assert error.code == "image_frames"
    assert str(error) == "“传真.tiff”超过 100 页，请拆分成几个文件。"
    assert cost.seconds < SECONDS and cost.peak_bytes < 50 * MB, cost


def test_the_tiff_page_limit_is_a_setting(settings):
    settings.GONGKAI_IMAGE_MAX_FRAMES = 2
    assert refused("传真.tif", hostile.tiff_pages(3)).code == "image_frames"
    assert files.inspect_upload("传真.tif", hostile.tiff_pages(2), max_bytes=UPLOAD_LIMIT)


@pytest.mark.parametrize("cut", [20, 60, 200])
def test_a_truncated_tiff_is_refused(cut):
    from gongkai.core.tests import scans

    whole = scans.tiff(scans.tiny_png(), scans.tiny_png(), compression="tiff_lzw")
    assert safefile.tiff_pages(whole, name="扫描.tif") == [(12, 12), (12, 12)]
    assert refused("扫描.tif", whole[: len(whole) - cut]).code == "damaged"


def test_a_tiff_whose_directories_loop_is_refused():
    import struct

    looping = bytearray(hostile.tiff_pages(1))
    directory = struct.unpack_from("<L", looping, 4)[0]
    struct.pack_into("<L", looping, len(looping) - 4, directory)  # next: itself
    assert refused("扫描.tif", bytes(looping)).code == "damaged"
