"""The limits, the refusal and the checks every kind of file shares (see the package's notes)."""

from __future__ import annotations

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
        # A lookup by name, not a default hidden here: the defaults are Limits' fields above,
        # next to their reasons; the settings are optional overrides (tests lower them), left out
        # of config/settings/base.py so that each default is written once.
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
