"""Opening files that come from outside (uploads, imports, the command line) without letting them
exhaust the server: the one way any app reads a ZIP-based document (DOCX, XLSX, a ZIP), a PDF or
an image.

- ZIP: the end-of-central-directory record is read first (member count and directory size, before
  `zipfile` builds an entry per member); then the declared sizes (each member, the total, the
  compression ratio); then every member is decompressed in chunks and the same limits are counted
  on what actually comes out, stopping at the first byte past a limit. A declared size is never
  trusted: `zipfile` stops a member at its declared size and fails its CRC if more follows.
- XLSX: the cells of the worksheets and the shared strings are counted while the archive is
  streamed, before openpyxl parses anything; rows are then read without the sheet's declared
  dimension (which openpyxl would pad every row to) and refused past the column limit.
- PDF: pypdf's own decompression limits are lowered to the member limit and the page count is
  limited; text extraction stops at the text limit.
- Images: the header's width × height is checked before any pixel is decoded; a TIFF's chain
  of directories is walked by hand first (every page's size, the page count, and that each page's
  data lies inside the file), since Pillow reads only the first page's header on opening.

Every refusal is a `FileRefused` whose text is the translated message for the person who sent
the file; nothing is stored by the callers when it is raised. The limits are settings (below,
with their reasons); tests lower them.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

MB = 2**20
CHUNK = 1 * MB


class FileRefused(ValueError):
    """A file refused by a limit or as unreadable; `str()` is the translated message."""

    def __init__(self, message: str, *, code: str = "refused"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Limits:
    """What an outside file may hold. The defaults, and why:

    - 2,000 members: a Word or Excel file from Word, WPS or Excel has 10–100 parts; a workbook
      of several hundred sheets about 1,000.
    - 50 MB a member: the largest legitimate part is an embedded picture or video, at most the
      20 MB an upload may be, or the XML of a sheet of about a million cells.
    - 200 MB in all: every part of a 20 MB upload at a ratio of 10:1, what text-heavy XML
      reaches; reading 200 MB takes well under a second.
    - 100:1 for members over 1 MB: Office XML compresses 5–30 times; archive bombs compress
      1,000 times or more (Apache POI's ZipSecureFile uses the same 1 % minimum inflate ratio).
      Small members are not checked: whatever their ratio, they cannot exhaust anything.
    - 256 columns, 500,000 cells: an import has some twenty columns and 5,000 rows; the old
      Excel limit was 256 columns; openpyxl reads half a million cells in a few seconds.
    - 2,000 PDF pages: a yearbook; 50 megapixels: an A4 page scanned at 600 dpi is 35, a
      phone photo 12–50.
    - 100 pages in a TIFF: a scanner or fax writes one page a frame; every frame is decoded and
      written again when the metadata is stripped, so a longer scan is better split (a hostile
      TIFF declares thousands of frames in a few KB).
    - 5,000,000 characters of text (about 2,500 pages): what the privacy shield scans and the
      database keeps per file; a file with more is refused, not cut, so nothing goes unscanned.
    """

    archive_members: int = 2000
    archive_member_bytes: int = 50 * MB
    archive_total_bytes: int = 200 * MB
    archive_ratio: int = 100
    archive_ratio_grace_bytes: int = 1 * MB
    spreadsheet_columns: int = 256
    spreadsheet_cells: int = 500_000
    pdf_pages: int = 2000
    image_pixels: int = 50_000_000
    image_frames: int = 100
    text_chars: int = 5_000_000


_SETTINGS = {
    "archive_members": "GONGKAI_ARCHIVE_MAX_MEMBERS",
    "archive_member_bytes": "GONGKAI_ARCHIVE_MAX_MEMBER_BYTES",
    "archive_total_bytes": "GONGKAI_ARCHIVE_MAX_TOTAL_BYTES",
    "archive_ratio": "GONGKAI_ARCHIVE_MAX_RATIO",
    "archive_ratio_grace_bytes": "GONGKAI_ARCHIVE_RATIO_GRACE_BYTES",
    "spreadsheet_columns": "GONGKAI_SPREADSHEET_MAX_COLUMNS",
    "spreadsheet_cells": "GONGKAI_SPREADSHEET_MAX_CELLS",
    "pdf_pages": "GONGKAI_PDF_MAX_PAGES",
    "image_pixels": "GONGKAI_IMAGE_MAX_PIXELS",
    "image_frames": "GONGKAI_IMAGE_MAX_FRAMES",
    "text_chars": "GONGKAI_TEXT_MAX_CHARS",
}


def limits() -> Limits:
    """The limits in force: the defaults above, each overridden by its setting when set."""
    values = {}
    for field, setting in _SETTINGS.items():
        value = getattr(settings, setting, None)
        if value is not None:
            values[field] = int(value)
    return Limits(**values)


def _mb(n: int) -> str:
    return f"{n / MB:g}"


def damaged(name: str) -> FileRefused:
    return FileRefused(
        _("“%(name)s” is damaged or cannot be read; save it again and upload the new copy.")
        % {"name": name},
        code="damaged",
    )


# --- ZIP ---------------------------------------------------------------------------------------

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
# Each central-directory entry is 46 bytes plus its name, extra field and comment; 1 KiB a member
# is more than any document writer uses.
_DIRECTORY_BYTES_PER_MEMBER = 1024


def _directory(data: bytes) -> tuple[int, int] | None:
    """(members, directory size) from the end record, or None when there is none."""
    start = max(0, len(data) - _EOCD.size - 0xFFFF)
    position = data.rfind(b"PK\x05\x06", start)
    if position < 0 or len(data) - position < _EOCD.size:
        return None
    fields = _EOCD.unpack_from(data, position)
    members, size = fields[4], fields[5]
    locator_at = position - _ZIP64_LOCATOR.size
    if (members == 0xFFFF or size == 0xFFFFFFFF) and locator_at >= 0:
        locator = _ZIP64_LOCATOR.unpack_from(data, locator_at)
        if locator[0] == b"PK\x06\x07":
            record_at = locator[2]
            if 0 <= record_at <= len(data) - _ZIP64_EOCD.size:
                record = _ZIP64_EOCD.unpack_from(data, record_at)
                if record[0] == b"PK\x06\x06":
                    members, size = record[7], record[8]
    return members, size


class SafeZip:
    """A ZIP archive whose members can only be read within the limits.

    Opening checks the central directory and the declared sizes; `read`/`chunks` stream a member
    and count what comes out against the member, total and ratio limits; `verify` streams every
    member once, so that a parser handed the same bytes afterwards reads a checked archive.
    """

    def __init__(self, data: bytes, *, name: str, limits_: Limits | None = None):
        self.name = name
        self.limits = limits_ or limits()
        self._read_total = 0
        found = _directory(data)
        if found is None:
            raise damaged(name)
        members, directory_bytes = found
        if (
            members > self.limits.archive_members
            or directory_bytes > self.limits.archive_members * _DIRECTORY_BYTES_PER_MEMBER
        ):
            raise self._too_many()
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            raise damaged(name) from None
        try:
            self._check_declared()
        except BaseException:
            self._zip.close()
            raise

    # -- refusals --

    def _too_many(self) -> FileRefused:
        return FileRefused(
            _("“%(name)s” holds more than %(max)d files inside; it cannot be read safely.")
            % {"name": self.name, "max": self.limits.archive_members},
            code="archive_members",
        )

    def _too_large(self, member: str) -> FileRefused:
        return FileRefused(
            _(
                "“%(part)s” in “%(name)s” is larger than %(mb)s MB unpacked; it cannot be read "
                "safely."
            )
            % {"part": member, "name": self.name, "mb": _mb(self.limits.archive_member_bytes)},
            code="archive_member_size",
        )

    def _too_large_in_all(self) -> FileRefused:
        return FileRefused(
            _("“%(name)s” unpacks to more than %(mb)s MB; it cannot be read safely.")
            % {"name": self.name, "mb": _mb(self.limits.archive_total_bytes)},
            code="archive_total_size",
        )

    def _too_compressed(self, member: str) -> FileRefused:
        return FileRefused(
            _(
                "“%(part)s” in “%(name)s” is compressed more than %(ratio)d to 1, as archive "
                "bombs are; it cannot be read safely."
            )
            % {"part": member, "name": self.name, "ratio": self.limits.archive_ratio},
            code="archive_ratio",
        )

    def _ratio_exceeded(self, info: zipfile.ZipInfo, size: int) -> bool:
        return (
            size > self.limits.archive_ratio_grace_bytes
            and size > self.limits.archive_ratio * max(info.compress_size, 1)
        )

    # -- checks --

    def _check_declared(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > self.limits.archive_members:
            raise self._too_many()
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise FileRefused(
                    _("“%(name)s” is encrypted; remove the password and upload it again.")
                    % {"name": self.name},
                    code="encrypted",
                )
            if info.file_size > self.limits.archive_member_bytes:
                raise self._too_large(info.filename)
            if self._ratio_exceeded(info, info.file_size):
                raise self._too_compressed(info.filename)
            total += info.file_size
            if total > self.limits.archive_total_bytes:
                raise self._too_large_in_all()

    # -- reading --

    def namelist(self) -> list[str]:
        return self._zip.namelist()

    def infolist(self) -> list[zipfile.ZipInfo]:
        return self._zip.infolist()

    def chunks(self, member: str | zipfile.ZipInfo, size: int = CHUNK) -> Iterator[bytes]:
        """The member's bytes, `size` at a time, counted against the limits as they come."""
        info = member if isinstance(member, zipfile.ZipInfo) else self._zip.getinfo(member)
        read = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(size)
                    if not chunk:
                        break
                    read += len(chunk)
                    self._read_total += len(chunk)
                    if read > self.limits.archive_member_bytes:
                        raise self._too_large(info.filename)
                    if self._ratio_exceeded(info, read):
                        raise self._too_compressed(info.filename)
                    if self._read_total > self.limits.archive_total_bytes:
                        raise self._too_large_in_all()
                    yield chunk
        except FileRefused:
            raise
        except (
            zipfile.BadZipFile,
            NotImplementedError,
            RuntimeError,
            ValueError,
            OSError,
            EOFError,
        ):
            # a bad CRC (more or other data than declared), an unknown compression method …
            raise damaged(self.name) from None

    def read(self, member: str | zipfile.ZipInfo) -> bytes:
        return b"".join(self.chunks(member))

    def verify(self, on_chunk: Callable[[zipfile.ZipInfo, bytes], None] | None = None) -> None:
        """Stream every member once (nothing is kept), within the limits."""
        for info in self._zip.infolist():
            for chunk in self.chunks(info):
                if on_chunk is not None:
                    on_chunk(info, chunk)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_zip(data: bytes, *, name: str) -> SafeZip:
    return SafeZip(data, name=name)


def check_zip(data: bytes, *, name: str) -> None:
    """Refuse `data` unless it is a ZIP archive within every limit (each member streamed)."""
    with SafeZip(data, name=name) as archive:
        archive.verify()


# --- XLSX --------------------------------------------------------------------------------------

# a cell (<c …>, <c/>, with or without a namespace prefix) and a shared string (<si>)
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


class _Counter:
    """Counts a pattern across chunks (a tag cut between two chunks is counted once)."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.count = 0
        self._carry = b""

    def feed(self, chunk: bytes) -> None:
        text = self._carry + chunk
        cut = text.rfind(b"<", max(0, len(text) - 64))
        if cut < 0:
            cut = len(text)
        self.count += len(self.pattern.findall(text, 0, cut))
        self._carry = text[cut:]

    def end(self) -> int:
        self.count += len(self.pattern.findall(self._carry))
        self._carry = b""
        return self.count


def _too_many_cells(name: str, max_cells: int) -> FileRefused:
    return FileRefused(
        _("“%(name)s” has more than %(max)d cells; split it into several files.")
        % {"name": name, "max": max_cells},
        code="spreadsheet_cells",
    )


def check_xlsx(data: bytes, *, name: str) -> None:
    """Refuse an XLSX past the archive limits or with more cells (or shared strings) than the
    cell limit, counted in the XML before any parser reads it."""
    with SafeZip(data, name=name) as archive:
        max_cells = archive.limits.spreadsheet_cells
        counters: dict[str, _Counter] = {}

        def count(info: zipfile.ZipInfo, chunk: bytes) -> None:
            member = info.filename
            if member.startswith("xl/worksheets/") and member.endswith(".xml"):
                counter = counters.setdefault(member, _Counter(_CELL))
            elif member == "xl/sharedStrings.xml":
                counter = counters.setdefault(member, _Counter(_SHARED_STRING))
            else:
                return
            counter.feed(chunk)
            cells = sum(c.count for c in counters.values() if c.pattern is _CELL)
            if cells > max_cells or counter.count > max_cells:
                raise _too_many_cells(name, max_cells)

        archive.verify(on_chunk=count)
        cells = sum(c.end() for c in counters.values() if c.pattern is _CELL)
        strings = sum(c.end() for c in counters.values() if c.pattern is _SHARED_STRING)
        if cells > max_cells or strings > max_cells:
            raise _too_many_cells(name, max_cells)


def xlsx_rows(data: bytes, *, name: str, max_rows: int) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of the first sheet of a checked XLSX, at most `max_rows` + 1 rows
    (the caller tells "too many rows" from the extra one), every row within the column limit.

    Raises FileRefused for a file past the limits or one openpyxl cannot read."""
    check_xlsx(data, name=name)  # before openpyxl is even imported

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    max_columns = limits().spreadsheet_columns
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError):
        raise FileRefused(
            _("The Excel file cannot be read; it may be damaged."), code="damaged"
        ) from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # The declared <dimension> is not trusted: openpyxl pads every row to its width.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if len(values) > max_columns:
                raise FileRefused(
                    _(
                        "Row %(row)d has cells beyond column %(max)d; delete the unused columns "
                        "and save the file again."
                    )
                    % {"row": number, "max": max_columns},
                    code="spreadsheet_columns",
                )
            yield number, values
            if number > max_rows:
                return
    finally:
        workbook.close()


# --- PDF ---------------------------------------------------------------------------------------


@contextmanager
def pdf_limits():
    """pypdf's decompression limits lowered to the archive member limit while inside."""
    try:
        from pypdf import apply_configuration
    except ImportError:  # an older pypdf: its own defaults (75 MB a stream) apply
        yield
        return
    cap = limits().archive_member_bytes
    with apply_configuration(
        maximum_declared_stream_length=cap,
        array_based_stream_maximum_output_length=cap,
        jbig2_maximum_output_length=cap,
        lzw_maximum_output_length=cap,
        run_length_maximum_output_length=cap,
        zlib_maximum_output_length=cap,
        image_maximum_buffer_size=cap,
    ):
        yield


def _pdf_limit_error(name: str) -> FileRefused:
    return FileRefused(
        _("“%(name)s” holds content that unpacks beyond the safe limits; it cannot be read safely.")
        % {"name": name},
        code="pdf_limit",
    )


def open_pdf(data: bytes, *, name: str):
    """A PdfReader of `data` within the page limit (use it inside `pdf_limits()`)."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
    except LimitReachedError:
        raise _pdf_limit_error(name) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise damaged(name) from None
    max_pages = limits().pdf_pages
    if pages > max_pages:
        raise FileRefused(
            _("“%(name)s” has more than %(max)d pages; split it into several files.")
            % {"name": name, "max": max_pages},
            code="pdf_pages",
        )
    return reader


def pdf_page_texts(data: bytes, *, name: str, only: Collection[int] | None = None) -> list[str]:
    """The text layer of each page (of the pages numbered `only`, from 0; '' for the others),
    within the limits (LimitReachedError → FileRefused)."""
    from pypdf.errors import LimitReachedError

    cap = limits().text_chars
    with pdf_limits():
        reader = open_pdf(data, name=name)
        texts, length = [], 0
        try:
            for number, page in enumerate(reader.pages):
                wanted = only is None or number in only
                text = (page.extract_text() or "") if wanted else ""
                length += len(text) + 1
                if length > cap:
                    raise text_too_long(name)
                texts.append(text)
        except LimitReachedError:
            raise _pdf_limit_error(name) from None
    return texts


def pdf_text(data: bytes, *, name: str) -> str:
    """The text layer of every page, a line between pages, within the limits."""
    return "\n".join(pdf_page_texts(data, name=name))


# --- images ------------------------------------------------------------------------------------


# classic TIFF, and BigTIFF (64-bit offsets: what scanners write past 4 GB, and some always)
TIFF_MAGIC = (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+")

# the size in bytes of each TIFF field type (TIFF 6.0, section 2; 13 is an IFD offset)
_TIFF_TYPE_SIZES = {
    1: 1,
    2: 1,
    3: 2,
    4: 4,
    5: 8,
    6: 1,
    7: 1,
    8: 2,
    9: 4,
    10: 8,
    11: 4,
    12: 8,
    13: 4,
    16: 8,  # BigTIFF: LONG8, SLONG8, IFD8
    17: 8,
    18: 8,
}
_TIFF_WIDTH, _TIFF_HEIGHT = 256, 257
# (offsets, byte counts) of a page's data: strips, tiles, and an old-style JPEG's stream
_TIFF_DATA = ((273, 279), (324, 325), (513, 514))
_TIFF_COMPRESSION = 259
_TIFF_OLD_JPEG = 6  # compression 6: the 1992 JPEG-in-TIFF, superseded by 7 in 1995


def _too_many_pixels(name: str, max_pixels: int) -> FileRefused:
    return FileRefused(
        _("“%(name)s” has more than %(max)d million pixels; reduce its size and upload it again.")
        % {"name": name, "max": max_pixels // 1_000_000},
        code="image_pixels",
    )


_TIFF_UNSIGNED = {1: "B", 3: "H", 4: "L", 13: "L", 16: "Q", 18: "Q"}


@dataclass(frozen=True)
class _TiffLayout:
    """Where a directory's parts are: classic TIFF (32-bit offsets) or BigTIFF (64-bit)."""

    count: str  # the number of entries
    entry: int  # the size of an entry
    head: str  # an entry's tag, type and value count
    offset: str  # an offset (and the inline value field's size)


_CLASSIC = _TiffLayout(count="H", entry=12, head="HHL", offset="L")
_BIG = _TiffLayout(count="Q", entry=20, head="HHQ", offset="Q")


def _tiff_values(data: bytes, order: str, entry: int, layout: _TiffLayout) -> list[int] | None:
    """The values of the IFD entry at `entry` when they are unsigned integers, else None;
    `_TiffTruncated` when they lie past the end of the file."""
    _tag, kind, count = struct.unpack_from(order + layout.head, data, entry)
    size = _TIFF_TYPE_SIZES.get(kind)
    if size is None:
        return None  # a private type: its length is unknown, and no reader needs it
    at = entry + struct.calcsize("<" + layout.head)
    if size * count > struct.calcsize("<" + layout.offset):
        at = struct.unpack_from(order + layout.offset, data, at)[0]
    if at + size * count > len(data):
        raise _TiffTruncated
    code = _TIFF_UNSIGNED.get(kind)
    if code is None:
        return None
    return list(struct.unpack_from(f"{order}{count}{code}", data, at))


# TIFF compression codes, named for the editor's message
_TIFF_COMPRESSION_NAMES = {
    2: "CCITT RLE",
    3: "CCITT G3",
    4: "CCITT G4",
    5: "LZW",
    6: "OJPEG",
    7: "JPEG",
    8: "Deflate",
    32773: "PackBits",
    32809: "ThunderScan",
    34661: "JBIG",
    34712: "JPEG 2000",
}


def _decodable_compression(code: int) -> bool:
    """Whether the image decoder knows the compression (Pillow raises KeyError otherwise)."""
    from PIL.TiffImagePlugin import COMPRESSION_INFO

    return code in COMPRESSION_INFO


def tiff_compression_refused(name: str, page: int, compression: int) -> FileRefused:
    """A TIFF page whose compression the reader cannot decode: refused in words, never read
    as an empty page."""
    compression = _TIFF_COMPRESSION_NAMES.get(compression, str(compression))
    return FileRefused(
        _(
            "Page %(page)d of “%(name)s” uses a TIFF compression that cannot be read "
            "(%(compression)s); save the scan as a PDF or an ordinary TIFF and upload it again."
        )
        % {"name": name, "page": page, "compression": compression},
        code="tiff_compression",
    )


class _TiffTruncated(Exception):
    pass


def tiff_pages(data: bytes, *, name: str) -> list[tuple[int, int]]:
    """(width, height) of every page of a TIFF or a BigTIFF, read from its directories without
    decoding a pixel. Refused: more pages than the frame limit, a page past the pixel limit, a
    directory chain that loops, a directory or a page's data that lies past the end of the file
    (a truncated file), and an old-style JPEG page without its JPEG stream (which nothing can
    decode)."""
    limits_ = limits()
    if len(data) < 8 or data[:4] not in TIFF_MAGIC:
        raise damaged(name)
    order = "<" if data[:2] == b"II" else ">"
    layout = _CLASSIC
    if data[2:4] in (b"+\0", b"\0+"):
        # BigTIFF: offset size 8, a zero, then the first directory's 64-bit offset
        if len(data) < 16 or struct.unpack_from(order + "HH", data, 4) != (8, 0):
            raise damaged(name)
        layout = _BIG
    offset = struct.unpack_from(order + layout.offset, data, 8 if layout is _BIG else 4)[0]
    count_size = struct.calcsize("<" + layout.count)
    offset_size = struct.calcsize("<" + layout.offset)
    pages: list[tuple[int, int]] = []
    seen: set[int] = set()
    while offset:
        if offset in seen or offset + count_size > len(data):
            raise damaged(name)
        seen.add(offset)
        if len(pages) >= limits_.image_frames:
            raise FileRefused(
                _("“%(name)s” has more than %(max)d pages; split it into several files.")
                % {"name": name, "max": limits_.image_frames},
                code="image_frames",
            )
        (entries,) = struct.unpack_from(order + layout.count, data, offset)
        end = offset + count_size + layout.entry * entries
        if end + offset_size > len(data):
            raise damaged(name)
        fields: dict[int, list[int] | None] = {}
        try:
            for entry in range(offset + count_size, end, layout.entry):
                (tag,) = struct.unpack_from(order + "H", data, entry)
                fields[tag] = _tiff_values(data, order, entry, layout)
        except _TiffTruncated:
            raise damaged(name) from None
        width = (fields.get(_TIFF_WIDTH) or [0])[0]
        height = (fields.get(_TIFF_HEIGHT) or [0])[0]
        if not width or not height:
            raise damaged(name)
        if width * height > limits_.image_pixels:
            raise _too_many_pixels(name, limits_.image_pixels)
        for offsets_tag, counts_tag in _TIFF_DATA:
            if offsets_tag not in fields and counts_tag not in fields:
                continue
            starts, counts = fields.get(offsets_tag), fields.get(counts_tag)
            if starts is None or counts is None or len(starts) != len(counts):
                raise damaged(name)
            if any(start + count > len(data) for start, count in zip(starts, counts, strict=True)):
                raise damaged(name)
        compression = (fields.get(_TIFF_COMPRESSION) or [1])[0]
        if not _decodable_compression(compression) or (
            compression == _TIFF_OLD_JPEG
            and not old_jpeg_stream(data, fields.get(513), fields.get(514))
        ):
            raise tiff_compression_refused(name, len(pages) + 1, compression)
        pages.append((width, height))
        (offset,) = struct.unpack_from(order + layout.offset, data, end)
    if not pages:
        raise damaged(name)
    return pages


def old_jpeg_stream(data: bytes, starts: list[int] | None, counts: list[int] | None) -> bytes:
    """The whole JPEG stream an old-style JPEG TIFF page points at (JPEGInterchangeFormat and
    its length), or b"" when it has none: such a page is the JPEG image itself."""
    if not starts or not counts:
        return b""
    stream = data[starts[0] : starts[0] + counts[0]]
    return stream if stream.startswith(b"\xff\xd8") and len(stream) == counts[0] else b""


def check_image(data: bytes, *, name: str) -> None:
    """Refuse an image whose header says more pixels than the limit, before any is decoded; a
    TIFF's every page, and its page count."""
    from PIL import Image, UnidentifiedImageError

    max_pixels = limits().image_pixels
    if data[:4] in TIFF_MAGIC:
        tiff_pages(data, name=name)
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        width = height = None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        if data[:4] in TIFF_MAGIC[2:]:
            # its directories were read above: a BigTIFF the image decoder cannot open (Pillow
            # opens little-endian ones only)
            raise FileRefused(
                _(
                    "“%(name)s” is a BigTIFF file that cannot be read; save the scan as a PDF or "
                    "an ordinary TIFF and upload it again."
                )
                % {"name": name},
                code="tiff_bigtiff",
            ) from None
        raise damaged(name) from None
    if width is None or width * height > max_pixels:
        raise _too_many_pixels(name, max_pixels)


# --- text --------------------------------------------------------------------------------------


def text_too_long(name: str) -> FileRefused:
    return FileRefused(
        _("“%(name)s” holds more than %(max)d characters of text; split it into several files.")
        % {"name": name, "max": limits().text_chars},
        code="text_chars",
    )


def check_text(text: str, *, name: str) -> str:
    if len(text) > limits().text_chars:
        raise text_too_long(name)
    return text
