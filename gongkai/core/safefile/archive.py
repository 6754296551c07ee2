"""ZIP-based documents (DOCX, XLSX, a ZIP) read within the limits: the archive, then an
XLSX's cells and rows (see the package's notes).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterator

from django.utils.translation import gettext as _

from .base import CHUNK, FileRefused, Limits, _mb, damaged, limits

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
