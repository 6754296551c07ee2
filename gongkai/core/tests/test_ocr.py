"""OCR of scans (gongkai.core.ocr). Reading takes about a second a page: the scan is read once
for the module and the tests look at that result."""

import subprocess

import pytest
from django.core.checks import Warning as CheckWarning

from gongkai.core import ocr, safefile
from gongkai.core.tests import scans


@pytest.fixture(scope="module")
def notice_png() -> bytes:
    return scans.notice_png()


PROGRESS = []


@pytest.fixture(scope="module")
def read_pdf(notice_png) -> ocr.OcrResult:
    """The 处罚决定书 as an image-only PDF, read once (two pages: the second is blank)."""
    blank = scans.notice_png(lines=[" "])
    return ocr.recognise(
        scans.image_pdf(notice_png, blank), "pdf", progress=lambda *a: PROGRESS.append(a)
    )


def test_scan_is_read_with_han_characters_joined(read_pdf):
    text = read_pdf.text
    # chi_sim separates Han characters by spaces; the name must come out whole for the shield
    assert f"当事人:{scans.NAME}，男" in text or f"当事人：{scans.NAME}，男" in text
    assert scans.ID_NUMBER in text
    assert scans.MOBILE in text
    assert "行政处罚决定书\n" in text
    assert " " not in "".join(line for line in text.splitlines() if "处罚" in line)


def test_confidence_and_layout(read_pdf):
    assert read_pdf.confidence >= 80
    assert read_pdf.reliable
    first, second = read_pdf.pages
    assert first["page"] == 1 and second["page"] == 2
    assert first["dpi"] == 200  # the scan's own resolution
    assert second["words"] == []
    assert len(first["words"]) == len(first["offsets"])
    for (text, x, y, w, h, conf), offset in zip(first["words"], first["offsets"], strict=True):
        assert read_pdf.text[offset : offset + len(text)] == text
        assert 0 <= x and x + w <= first["width"] and 0 <= y and y + h <= first["height"]
        assert 0 <= conf <= 100
    assert PROGRESS == [(0, 2), (1, 2), (2, 2)]


def test_a_span_of_the_text_is_located_on_its_page(read_pdf):
    start = read_pdf.text.index(scans.ID_NUMBER)
    (region,) = ocr.locate(read_pdf.pages, start, start + len(scans.ID_NUMBER))
    left, top, right, bottom = region.box
    assert region.page == 1
    # the fourth line of the passage (line height 1.8 × 36 px, a 36 px margin)
    assert 36 + 3 * 64 - 10 < top < 36 + 4 * 64
    assert right - left > 10 * (bottom - top)  # 18 digits in a row
    assert ocr.locate(read_pdf.pages, len(read_pdf.text) + 5, len(read_pdf.text) + 9) == []


def _word(text, left, *, line=(1, 1, 1), top=10, width=None, height=30):
    return {
        "text": text,
        "line": line,
        "box": (left, top, width or 30 * len(text), height),
        "conf": 90.0,
    }


def test_words_are_joined_by_script_and_distance():
    builder = ocr._TextBuilder()
    words = [
        _word("申请", 0),
        _word("人", 60),
        _word("史", 95),
        _word("超", 128),
        _word("ID", 400),  # far apart: a table's next column
        _word("No.", 470),
        _word("12", 0, line=(1, 1, 2)),
        _word("号", 62, line=(1, 1, 2)),
        _word("附件", 0, line=(2, 1, 1)),
    ]
    offsets = ocr._page_text(builder, words)
    assert builder.text() == "申请人史超 ID No.\n12号\n\n附件"
    assert [
        builder.text()[o : o + len(w["text"])] for o, w in zip(offsets, words, strict=True)
    ] == [w["text"] for w in words]


def _with_page_number(pdf: bytes) -> bytes:
    import pymupdf

    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        for number, page in enumerate(document, 1):
            page.insert_text((20, 20), f"- {number} -", fontsize=8)
        return document.tobytes()


def test_needs_ocr(notice_png):
    assert ocr.needs_ocr("png", notice_png)
    assert not ocr.needs_ocr("png", scans.tiny_png())  # an icon holds no text
    assert not ocr.needs_ocr("docx", b"")
    assert ocr.needs_ocr("pdf", scans.image_pdf(notice_png))
    # a scan whose text layer is a page number only: still a scan
    numbered = _with_page_number(scans.image_pdf(notice_png, notice_png))
    assert ocr.needs_ocr("pdf", numbered)
    # no image: nothing more to read, however little text
    assert not ocr.needs_ocr("pdf", scans.text_pdf("- 1 -"))
    sentence = "The committee approved the annual report of the agency."
    assert not ocr.needs_ocr("pdf", scans.text_pdf(sentence))


def test_missing_tesseract_is_a_clear_error_and_a_system_warning(settings, notice_png):
    settings.GONGKAI_OCR_TESSERACT = "/nonexistent/tesseract"
    with pytest.raises(ocr.OcrUnavailable, match="tesseract"):
        ocr.recognise(notice_png, "png")
    (warning,) = ocr.check_ocr()
    assert isinstance(warning, CheckWarning) and warning.id == "gongkai.W001"
    settings.GONGKAI_OCR_TESSERACT = "tesseract"
    assert ocr.check_ocr() == []


def test_missing_chinese_model_is_reported(settings, monkeypatch):
    monkeypatch.setattr(ocr, "_languages", lambda binary: frozenset({"eng", "osd"}))
    assert "chi_sim" in ocr.unavailable_reason()


def test_too_many_pages_are_refused_before_any_is_read(settings, notice_png, monkeypatch):
    settings.GONGKAI_OCR_MAX_PAGES = 1
    monkeypatch.setattr(ocr, "_tesseract_words", pytest.fail)
    with pytest.raises(ocr.OcrError, match="2"):
        ocr.recognise(scans.image_pdf(notice_png, notice_png), "pdf")


def test_a_page_past_its_time_fails_and_tesseract_runs_on_one_core(settings, monkeypatch):
    settings.GONGKAI_OCR_PAGE_TIMEOUT = 0.001
    calls = []
    real_run = subprocess.run

    def run(*args, **kwargs):
        calls.append((args, kwargs))
        return real_run(*args, **kwargs)

    monkeypatch.setattr(ocr.subprocess, "run", run)
    with pytest.raises(ocr.OcrError, match="1"):
        ocr.recognise(scans.notice_png(lines=["测试"]), "png")
    command, options = calls[-1][0][0], calls[-1][1]
    assert command[:2] == [ocr.shutil.which("tesseract"), "stdin"]
    assert "chi_sim+eng" in command
    assert options["env"]["OMP_THREAD_LIMIT"] == "1"
    assert not options.get("shell")


def test_pages_are_rendered_within_the_pixel_limit(settings):
    assert ocr.render_dpi(595, 842) == 300  # A4
    assert ocr.render_dpi(595, 842, scanned_at=200) == 200
    assert ocr.render_dpi(595, 842, scanned_at=1200) == 400
    settings.GONGKAI_IMAGE_MAX_PIXELS = 2_000_000
    dpi = ocr.render_dpi(595, 842)
    assert (595 / 72 * dpi) * (842 / 72 * dpi) <= 2_000_000
    assert dpi > 100


def test_an_image_past_the_pixel_limit_is_refused(settings, notice_png, monkeypatch):
    settings.GONGKAI_IMAGE_MAX_PIXELS = 1000
    monkeypatch.setattr(ocr, "_tesseract_words", pytest.fail)
    with pytest.raises(safefile.FileRefused):
        ocr.recognise(notice_png, "png", name="scan.png")


# --- TIFF and PDFs with text and scanned pages ------------------------------------------------

ID_LINE = f"公民身份号码：{scans.ID_NUMBER}"
MOBILE_LINE = f"联系电话：{scans.MOBILE}"
REPORT = "The committee approved the annual report of the agency."


@pytest.fixture(scope="module")
def read_tiff() -> ocr.OcrResult:
    """A two-page bilevel TIFF (a fax), a line a page, read once."""
    pages = [scans.notice_png(lines=[ID_LINE]), scans.notice_png(lines=[MOBILE_LINE])]
    return ocr.recognise(scans.tiff(*pages), "tiff", name="传真.tif")


def test_every_page_of_a_tiff_is_read(read_tiff):
    assert scans.ID_NUMBER in read_tiff.text and scans.MOBILE in read_tiff.text
    assert read_tiff.text.index(scans.ID_NUMBER) < read_tiff.text.index(scans.MOBILE)
    assert [page["page"] for page in read_tiff.pages] == [1, 2]
    assert [page["dpi"] for page in read_tiff.pages] == [200, 200]  # the TIFF's resolution
    start = read_tiff.text.index(scans.MOBILE)
    (region,) = ocr.locate(read_tiff.pages, start, start + len(scans.MOBILE))
    assert region.page == 2
    assert read_tiff.reliable


def test_a_tiff_page_is_shown_by_its_number():
    pages = [scans.notice_png(lines=["一"]), scans.tiny_png()]
    data = scans.tiff(*pages, compression="tiff_lzw")
    assert ocr.needs_ocr("tiff", data)
    assert ocr.image_page(data, name="x.tif", page=2)[1:] == (12, 12)
    with pytest.raises(safefile.FileRefused):
        ocr.image_page(data, name="x.tif", page=3)


def test_a_tiff_of_more_pages_than_ocr_reads_is_refused_before_reading(settings, monkeypatch):
    settings.GONGKAI_OCR_MAX_PAGES = 2
    monkeypatch.setattr(ocr, "_tesseract_words", pytest.fail)
    with pytest.raises(ocr.OcrError, match="3"):
        ocr.recognise(scans.tiff(*[scans.tiny_png()] * 3), "tiff")


@pytest.fixture(scope="module")
def mixed() -> bytes:
    """A text report with one scanned page in the middle (page 2 of 3)."""
    return scans.mixed_pdf(
        f"1. {REPORT}", scans.notice_png(lines=[MOBILE_LINE]), f"3. {REPORT}", dpi=200
    )


@pytest.fixture(scope="module")
def read_mixed(mixed) -> ocr.OcrResult:
    progress = []
    result = ocr.recognise(mixed, "pdf", progress=lambda *a: progress.append(a))
    assert progress == [(0, 1), (1, 1)]  # only the scanned page is read
    return result


def test_a_scanned_page_inside_a_text_pdf_needs_ocr(mixed, notice_png):
    texts = safefile.pdf_page_texts(mixed, name="x.pdf")
    assert ocr.scanned_pages(mixed, name="x.pdf") == [False, True, False]
    # the average over the pages is well above the threshold: decided page by page
    assert len("".join(texts).replace(" ", "")) > 3 * ocr.MIN_CHARS_PER_PAGE
    assert ocr.needs_ocr("pdf", mixed)
    # a text page beside a small logo is not a scan
    with_logo = scans.mixed_pdf(REPORT, REPORT)
    assert not ocr.needs_ocr("pdf", with_logo)


def test_the_text_is_the_pages_in_order_and_the_layout_the_scanned_page(read_mixed):
    text = read_mixed.text
    first, scanned, last = text.index(f"1. {REPORT}"), text.index(scans.MOBILE), text.index("3. ")
    assert first < scanned < last
    assert text.count(REPORT) == 2
    (page,) = read_mixed.pages
    assert page["page"] == 2
    for (word, *_box), offset in zip(page["words"], page["offsets"], strict=True):
        assert text[offset : offset + len(word)] == word
    start = text.index(scans.MOBILE)
    (region,) = ocr.locate(read_mixed.pages, start, start + len(scans.MOBILE))
    assert region.page == 2
    mean = sum(w[5] for w in page["words"]) / len(page["words"])
    assert read_mixed.confidence == pytest.approx(mean, abs=0.1)


def test_a_tiff_whose_first_page_is_an_icon_still_needs_ocr():
    data = scans.tiff(scans.tiny_png(), scans.notice_png(lines=["一"]), compression="tiff_lzw")
    assert ocr.needs_ocr("tiff", data)
    assert not ocr.needs_ocr("tiff", scans.tiff(scans.tiny_png(), compression="tiff_lzw"))


def test_only_the_pages_with_an_image_have_their_text_extracted(mixed, monkeypatch):
    asked = []
    real = safefile.pdf_page_texts

    def page_texts(data, *, name, only=None):
        asked.append(only)
        return real(data, name=name, only=only)

    monkeypatch.setattr(safefile, "pdf_page_texts", page_texts)
    assert ocr.scanned_pages(mixed, name="x.pdf") == [False, True, False]
    assert asked == [{1}]
    assert not ocr.needs_ocr("pdf", scans.text_pdf(REPORT, pages=3))
    assert asked == [{1}]  # no image: no text extracted at all
