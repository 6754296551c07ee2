"""Importing published annual reports (plain text, HTML, DOCX, PDF, scans by OCR) into a
format's structure: ``import_file(path)`` → ``ImportedReport`` (``.as_dict()`` is the JSON
schema of the issue)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.utils.translation import gettext as _

from .base import Block, Finding, ImportedReport, ReportImportError
from .walk import parse_blocks

__all__ = [
    "Block",
    "Finding",
    "ImportedReport",
    "ReportImportError",
    "import_file",
    "parse_blocks",
    "read_text_file",
]


logger = logging.getLogger(__name__)


def read_text_file(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8-sig" and _cut_at_the_end(exc, len(data)):
                # a file cut short inside its last character (a download or copy that stopped)
                return data[: exc.start].decode(encoding)
            continue
    raise ReportImportError(
        _("“%(name)s” is not text (neither UTF-8 nor GB18030): is it the right file?")
        % {"name": path.name}
    )


def _cut_at_the_end(exc: UnicodeDecodeError, length: int) -> bool:
    """Is the only fault a multi-byte character missing its last bytes at the very end?"""
    return exc.reason == "unexpected end of data" and exc.start >= length - 3


def import_file(path: str | Path, *, format_key: str | None = None) -> ImportedReport:
    """Import a report file; the kind is chosen by extension (.docx, .pdf, .htm/.html, images
    .png/.jpg/.tif read by OCR) or, for other files, by whether the text looks like HTML."""
    path = Path(path)
    if not path.is_file():
        raise ReportImportError(_("“%(name)s” is not a file.") % {"name": path.name})
    try:
        return _import(path, format_key)
    except (ReportImportError, OSError):
        raise  # told already / the callers say the file cannot be read
    except Exception:  # noqa: BLE001 - a file no reader expected must be told, never a traceback
        logger.exception("report import failed on %s", path.name)
        raise ReportImportError(
            _("“%(name)s” could not be read as an annual report; the error was logged.")
            % {"name": path.name}
        ) from None


# Office files no reader here takes (old Word, spreadsheets, WPS, OFD): said as such rather than
# "not text", so that the person knows what to save the report as.
UNREAD_SUFFIXES = {".doc", ".xls", ".xlsx", ".wps", ".et", ".ofd", ".rtf", ".zip", ".rar"}


def _import(path: Path, format_key: str | None) -> ImportedReport:
    suffix = path.suffix.lower()
    if suffix in UNREAD_SUFFIXES:
        raise ReportImportError(
            _(
                "“%(name)s”: files of this kind (%(suffix)s) cannot be imported; save the report "
                "as DOCX, PDF, HTML or text and upload that."
            )
            % {"name": path.name, "suffix": suffix}
        )
    if suffix == ".docx":
        from .docx import import_docx

        return import_docx(str(path), format_key=format_key)
    if suffix == ".pdf":
        from .pdf import import_pdf

        return import_pdf(str(path), format_key=format_key)
    from .pdf import IMAGE_SUFFIXES

    if suffix in IMAGE_SUFFIXES:
        from .pdf import import_image

        return import_image(path, format_key=format_key)
    text = read_text_file(path)
    if suffix in (".htm", ".html") or text.lstrip()[:200].lower().startswith(
        ("<!doctype", "<html")
    ):
        from .html import import_html

        return import_html(text, format_key=format_key)
    from .text import import_text

    return import_text(text, format_key=format_key)
