"""Hostile files for the tests of the safe reader (gongkai.core.safefile) and of every path that
takes a file from outside. Each is built in memory in well under a second: the huge members are
highly compressible and written in chunks through zipfile's streaming writer."""

from __future__ import annotations

import functools
import io
import os
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

GIB = 2**30
MB = 2**20

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body>"
)
_DOC_TAIL = b"</w:body></w:document>"
# short and periodic, so that zlib writes a gibibyte of it in a quarter of a second
_PARAGRAPH = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"


def _crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """zlib's crc32_combine: the CRC of A + B from the CRCs of A and B and B's length."""

    def times(matrix: list[int], vector: int) -> int:
        result, row = 0, 0
        while vector:
            if vector & 1:
                result ^= matrix[row]
            vector >>= 1
            row += 1
        return result

    def square(matrix: list[int]) -> list[int]:
        return [times(matrix, matrix[n]) for n in range(32)]

    if length2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = square(odd)
    odd = square(even)
    while True:
        even = square(odd)
        if length2 & 1:
            crc1 = times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = square(even)
        if length2 & 1:
            crc1 = times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _repeated_crc(chunk: bytes, times: int) -> int:
    """The CRC-32 of `chunk` repeated `times` times, by doubling (no gibibyte is hashed)."""
    result, result_length = 0, 0
    power, power_length = zlib.crc32(chunk), len(chunk)
    while times:
        if times & 1:
            result = _crc32_combine(result, power, power_length)
            result_length += power_length
        power = _crc32_combine(power, power, power_length)
        power_length *= 2
        times >>= 1
    return result


def _zip(members: list[tuple[str, bytes, int, int, bool]]) -> bytes:
    """A ZIP of (name, stored bytes, CRC, uncompressed size, deflated) written by hand, for
    members whose deflate stream is made without deflating a gibibyte."""
    out, directory = io.BytesIO(), io.BytesIO()
    for name, raw, crc, size, deflated in members:
        encoded = name.encode()
        method = 8 if deflated else 0
        offset = out.tell()
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(raw),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded)
        out.write(raw)
        directory.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(raw),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        directory.write(encoded)
    start = out.tell()
    out.write(directory.getvalue())
    out.write(
        struct.pack(
            "<4s4H2LH",
            b"PK\x05\x06",
            0,
            0,
            len(members),
            len(members),
            len(directory.getvalue()),
            start,
            0,
        )
    )
    return out.getvalue()


def _deflated(text: str) -> tuple[bytes, int, int, bool]:
    data = text.encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data), True


@functools.cache
def docx_bomb(size: int = GIB) -> bytes:
    """A valid DOCX whose word/document.xml unpacks to about `size` bytes of paragraphs
    (1 GiB in about 3 MB). The deflate stream is one compressed megabyte repeated: after a full
    flush zlib's output for the same input is the same bytes, so nothing big is ever deflated."""
    chunk = _PARAGRAPH * (MB // len(_PARAGRAPH))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(_DOC_HEAD) + compressor.flush(zlib.Z_FULL_FLUSH)
    segment = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(_DOC_TAIL) + compressor.flush()
    times = max(1, (size - len(_DOC_HEAD) - len(_DOC_TAIL)) // len(chunk))
    total = len(_DOC_HEAD) + times * len(chunk) + len(_DOC_TAIL)
    crc = zlib.crc32(_DOC_HEAD)
    crc = _crc32_combine(crc, _repeated_crc(chunk, times), times * len(chunk))
    crc = _crc32_combine(crc, zlib.crc32(_DOC_TAIL), len(_DOC_TAIL))
    body = (head + segment * times + tail, crc, total, True)
    return _zip(
        [
            ("[Content_Types].xml", *_deflated(_CONTENT_TYPES)),
            ("_rels/.rels", *_deflated(_RELS)),
            ("word/document.xml", *body),
        ]
    )


def declared_size_lie(size: int = 300 * MB, declared: int = 1000) -> bytes:
    """A DOCX bomb whose central directory and local header declare word/document.xml to be
    `declared` bytes (no bomb at all) while its deflate stream unpacks to `size`."""
    data = bytearray(docx_bomb(size))
    name = b"word/document.xml"
    local = data.find(b"PK\x03\x04")
    while data[local + 30 : local + 30 + len(name)] != name:
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<L", data, local + 22, declared)
    struct.pack_into("<L", data, central + 24, declared)
    return bytes(data)


def zip_with_members(count: int, *, docx: bool = True) -> bytes:
    """A small DOCX (or ZIP) holding `count` tiny members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        if docx:
            archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
            archive.writestr("_rels/.rels", _RELS)
            archive.writestr("word/document.xml", _DOC_HEAD + _PARAGRAPH + _DOC_TAIL)
        for n in range(count):
            archive.writestr(f"word/media/x{n}.bin", b"")
    return out.getvalue()


def ratio_bomb(size: int = 40 * MB) -> bytes:
    """A DOCX whose body is `size` bytes of one repeated byte: within the member and total
    limits but compressed about 1,000 to 1."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(_DOC_HEAD)
            for _ in range(size // MB):
                member.write(b" " * MB)
            member.write(_DOC_TAIL)
    return out.getvalue()


def xlsx_raw(
    sheet_rows: Callable[[], object], *, dimension: str | None = None, shared: list[str] = ()
) -> bytes:
    """A minimal XLSX whose first sheet's <sheetData> is written from `sheet_rows()` (an
    iterable of bytes), streamed into the archive."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    strings = "".join(f"<si><t>{s}</t></si>" for s in shared)
    shared_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(shared)}" uniqueCount="{len(shared)}">{strings}</sst>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/sharedStrings.xml", shared_xml)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for piece in sheet_rows():
                sheet.write(piece)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@functools.cache
def xlsx_wide(rows: int = 300, columns: int = 16_384) -> bytes:
    """The finding's XLSX: `rows` rows of `columns` numbers (300 × 16,384: 4.9 million cells)."""

    def sheet_rows():
        cells = b"".join(b"<c><v>1</v></c>" for _ in range(columns))
        for r in range(1, rows + 1):
            yield b'<row r="%d">' % r + cells + b"</row>"

    return xlsx_raw(sheet_rows, dimension=f"A1:{column_letter(columns)}{rows}")


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid 1-bit PNG of width × height black pixels (900 megapixels in about 100 KB)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">L", len(payload)) + kind + payload + struct.pack(">L", crc)

    header = struct.pack(">LLBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _tiff(pages: list[tuple[int, int, int, bytes]]) -> bytes:
    """A little-endian TIFF of one strip a page: (width, height, compression, strip bytes),
    black-is-zero grey or bilevel by the strip's size, each page's directory after its strip."""
    out = io.BytesIO()
    out.write(b"II*\0" + struct.pack("<L", 0))
    link = 4  # where the offset of the next directory goes
    for width, height, compression, strip in pages:
        strip_at = out.tell()
        out.write(strip + b"\0" * (len(strip) % 2))
        bits = 1 if compression == 8 else 8
        entries = [
            (256, 4, width),
            (257, 4, height),
            (258, 3, bits),
            (259, 3, compression),
            (262, 3, 1),
            (273, 4, strip_at),
            (278, 4, height),
            (279, 4, len(strip)),
        ]
        directory = out.tell()
        out.seek(link)
        out.write(struct.pack("<L", directory))
        out.seek(directory)
        out.write(struct.pack("<H", len(entries)))
        for tag, kind, value in entries:
            packed = struct.pack("<H", value) + b"\0\0" if kind == 3 else struct.pack("<L", value)
            out.write(struct.pack("<HHL", tag, kind, 1) + packed)
        link = out.tell()
        out.write(struct.pack("<L", 0))
    return out.getvalue()


def tiff_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A bilevel TIFF of width × height pixels, deflated (900 megapixels in about 100 KB)."""
    row = b"\0" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    strip = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return _tiff([(width, height, 8, strip)])


def tiff_pages(count: int = 5000) -> bytes:
    """A TIFF of `count` one-pixel pages (a hostile scan of thousands of frames)."""
    return _tiff([(1, 1, 1, b"\x80")] * count)


def pdf_flate_bomb(size: int = 120 * MB) -> bytes:
    """A one-page PDF whose content stream unpacks to `size` bytes of spaces."""
    compressor = zlib.compressobj(9)
    block = b" " * MB
    stream = b"".join(compressor.compress(block) for _ in range(size // MB)) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Cost:
    seconds: float = 0.0
    peak_bytes: int = 0


@contextmanager
def measured():
    """The process's CPU time (not the wall clock, which a loaded machine stretches) and the
    peak of Python's allocations (tracemalloc, which slows what it measures) inside the block."""
    cost = Cost()
    tracemalloc.start()
    start = time.process_time()
    try:
        yield cost
    finally:
        cost.seconds = time.process_time() - start
        cost.peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def files_under(*roots: Path) -> list[Path]:
    found = []
    for root in roots:
        if root and Path(root).exists():
            for folder, _dirs, names in os.walk(root):
                found.extend(Path(folder) / n for n in names)
    return found
