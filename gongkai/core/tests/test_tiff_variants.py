"""TIFF files as real scanners and fax servers write them: several pages in several
compressions, BigTIFF (64-bit offsets), and the old-style JPEG of 1992 (compression 6). Each is
read, or refused with a message saying what to do; none crashes or passes as a blank page.

Pillow writes the common compressions; the BigTIFF and old-style JPEG files are put together
here byte by byte (`build`), as no installed tool writes them."""

import io
import struct

import pytest
from PIL import Image, ImageDraw

from gongkai.catalogue import files
from gongkai.core import ocr, safefile
from gongkai.core.tests import scans

_SIZES = {3: 2, 4: 4, 16: 8}
_CODES = {3: "H", 4: "L", 16: "Q"}


def build(pages: list[tuple[dict, bytes, tuple[int, int]]], *, big=False, order="<") -> bytes:
    """A TIFF (or a BigTIFF) of `pages`: (tags {tag: (type, [values])}, the page's data, the
    (offsets, byte counts) tags that point at it)."""
    offset_code, count_code, entry_head = ("Q", "Q", "HHQ") if big else ("L", "H", "HHL")
    inline = 8 if big else 4
    out = bytearray(b"II" if order == "<" else b"MM")
    out += struct.pack(order + "HHHQ", 43, 8, 0, 0) if big else struct.pack(order + "HL", 42, 0)
    pointer = 8 if big else 4  # where the next directory's offset is written
    for tags, data, (offsets_tag, counts_tag) in pages:
        data_at = len(out)
        out += data + b"\0" * (len(data) % 2)
        tags = {**tags, offsets_tag: (4, [data_at]), counts_tag: (4, [len(data)])}
        head = struct.calcsize("<" + count_code)
        directory = len(out)
        extra_at = directory + head + len(tags) * struct.calcsize("<" + entry_head) + inline
        entries, extra = bytearray(), bytearray()
        for tag in sorted(tags):
            kind, values = tags[tag]
            raw = struct.pack(order + _CODES[kind] * len(values), *values)
            if len(raw) <= inline:
                field = raw.ljust(inline, b"\0")
            else:
                field = struct.pack(order + offset_code, extra_at + len(extra))
                extra += raw
            entries += struct.pack(order + entry_head, tag, kind, len(values)) + field
        struct.pack_into(order + offset_code, out, pointer, directory)
        out += struct.pack(order + count_code, len(tags)) + entries
        pointer = len(out)
        out += b"\0" * inline + extra
    return bytes(out)


def page_image(text: str = "第一页", size=(480, 160)) -> Image.Image:
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).rectangle((20, 20, 220, 90), fill=0)  # something dark to find again
    return image


def _basic(image: Image.Image, compression: int) -> dict:
    width, height = image.size
    return {
        256: (3, [width]),
        257: (3, [height]),
        258: (3, [8]),
        259: (3, [compression]),
        262: (3, [1]),  # black is zero
        277: (3, [1]),
        278: (3, [height]),
    }


def plain_page(image: Image.Image):
    return _basic(image, 1), image.tobytes(), (273, 279)


def old_jpeg_page(image: Image.Image):
    """Compression 6 as old scanners wrote it: the page is a whole JPEG stream the
    JPEGInterchangeFormat tags (513, 514) point at."""
    stream = io.BytesIO()
    image.save(stream, "JPEG", quality=90)
    return _basic(image, 6), stream.getvalue(), (513, 514)


def dark_box(png: bytes) -> tuple[float, float]:
    """The mean grey level inside and outside the box page_image draws."""
    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L")
        inside = grey.crop((40, 40, 200, 70))
        outside = grey.crop((260, 40, 460, 140))
        mean = lambda part: sum(part.getdata()) / (part.width * part.height)  # noqa: E731
        return mean(inside), mean(outside)


def read_pages(data: bytes) -> list[tuple[int, int]]:
    return [(width, height) for _png, width, height, _dpi in ocr.image_pages(data, name="扫描.tif")]


# --- several pages, several compressions --------------------------------------------------------


@pytest.mark.parametrize("compression", ["group4", "tiff_lzw", "jpeg", "packbits", "tiff_deflate"])
def test_a_multi_page_tiff_in_each_common_compression_is_read(compression):
    pages = [scans.notice_png(["第一页"]), scans.notice_png(["第二页", "第二行"])]
    data = scans.tiff(*pages, compression=compression)
    sizes = safefile.tiff_pages(data, name="扫描.tif")
    assert len(sizes) == 2
    assert read_pages(data) == sizes
    assert files.sniff(data) is files.TIFF


# --- BigTIFF ------------------------------------------------------------------------------------


def test_a_bigtiff_is_read_page_by_page():
    first, second = page_image(), page_image(size=(300, 120))
    data = build([plain_page(first), plain_page(second)], big=True)
    assert data[:4] == b"II+\0"
    assert files.sniff(data) is files.TIFF
    safefile.check_image(data, name="扫描.tif")
    assert safefile.tiff_pages(data, name="扫描.tif") == [(480, 160), (300, 120)]
    ((png, width, height, _dpi),) = ocr.image_pages(data, name="扫描.tif", count=1)
    assert (width, height) == (480, 160)
    inside, outside = dark_box(png)
    assert inside < 30 and outside > 225  # the page as drawn, not a blank one
    assert ocr.needs_ocr("tiff", data)


def test_a_bigtiff_keeps_the_safe_readers_limits(settings):
    settings.GONGKAI_IMAGE_MAX_FRAMES = 2
    data = build([plain_page(page_image(size=(60, 40)))] * 3, big=True)
    with pytest.raises(safefile.FileRefused) as refused:
        safefile.tiff_pages(data, name="扫描.tif")
    assert refused.value.code == "image_frames"


def test_a_truncated_bigtiff_is_refused_as_damaged():
    data = build([plain_page(page_image())], big=True)
    with pytest.raises(safefile.FileRefused) as refused:
        safefile.tiff_pages(data[: len(data) // 2], name="扫描.tif")
    assert refused.value.code == "damaged"


def test_a_big_endian_bigtiff_the_decoder_cannot_open_is_refused_in_words():
    data = build([plain_page(page_image())], big=True, order=">")
    assert safefile.tiff_pages(data, name="扫描.tif") == [(480, 160)]  # its structure is sound
    with pytest.raises(safefile.FileRefused) as refused:
        safefile.check_image(data, name="扫描.tif")
    assert refused.value.code == "tiff_bigtiff"
    assert "扫描.tif" in str(refused.value)


# --- old-style JPEG (compression 6) -------------------------------------------------------------


def test_an_old_style_jpeg_page_is_read_from_its_jpeg_stream():
    data = build([old_jpeg_page(page_image()), plain_page(page_image(size=(300, 120)))])
    safefile.check_image(data, name="扫描.tif")
    pages = list(ocr.image_pages(data, name="扫描.tif"))
    assert [(w, h) for _png, w, h, _dpi in pages] == [(480, 160), (300, 120)]
    inside, outside = dark_box(pages[0][0])
    assert inside < 40 and outside > 215  # JPEG's loss, but the page's content


def test_an_old_style_jpeg_page_without_its_stream_is_refused_on_upload():
    image = page_image()
    tags = _basic(image, 6)
    # strips of raw JPEG data without JPEGInterchangeFormat: nothing decodes these
    data = build([(tags, b"\xff\xd8" + b"\0" * 200, (273, 279))])
    with pytest.raises(safefile.FileRefused) as refused:
        safefile.check_image(data, name="扫描.tif")
    assert refused.value.code == "tiff_compression"
    assert "扫描.tif" in str(refused.value)


def test_a_compression_the_decoder_does_not_know_is_refused_on_upload():
    image = page_image()
    data = build([(_basic(image, 34712), b"\0" * 400, (273, 279))])  # JPEG 2000 in a TIFF
    with pytest.raises(safefile.FileRefused) as refused:
        safefile.check_image(data, name="扫描.tif")
    assert refused.value.code == "tiff_compression"
    assert "JPEG 2000" in str(refused.value) and "扫描.tif" in str(refused.value)


def test_a_page_the_decoder_fails_on_is_refused_not_read_as_blank():
    """A compression the decoder knows, with data it cannot decode (a ThunderScan page of
    zeros): refused at reading, with the page's number."""
    image = page_image()
    data = build([plain_page(image), (_basic(image, 32809), b"\xff" * 7, (273, 279))])
    safefile.check_image(data, name="扫描.tif")  # the header is sound: accepted on upload
    with pytest.raises(safefile.FileRefused) as refused:
        read_pages(data)
    assert refused.value.code == "tiff_compression"
    assert "2" in str(refused.value)


def test_ocr_of_an_unreadable_page_fails_with_the_message():
    """recognise raises the refusal: the attachment's OCR is then marked failed with it."""
    image = page_image()
    data = build([plain_page(image), (_basic(image, 32809), b"\xff" * 7, (273, 279))])
    with pytest.raises(safefile.FileRefused) as refused:
        ocr.recognise(data, "tiff", name="扫描.tif")
    assert refused.value.code == "tiff_compression"


def test_ocr_reads_an_old_style_jpeg_scan_and_a_bigtiff():
    with Image.open(io.BytesIO(scans.notice_png())) as notice:
        page = notice.convert("L")
    for data in (build([old_jpeg_page(page)]), build([plain_page(page)], big=True)):
        result = ocr.recognise(data, "tiff", name="扫描.tif")
        assert scans.ID_NUMBER in result.text and scans.MOBILE in result.text
        assert [p["page"] for p in result.pages] == [1]
