"""Importing published annual reports (plain text, HTML, DOCX, PDF, scans by OCR) into a
format's structure: ``import_file(path)`` → ``ImportedReport`` (``.as_dict()`` is the JSON
schema of the issue)."""

from __future__ import annotations

from pathlib import Path

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


def read_text_file(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportImportError(f"{path}: not UTF-8 or GB18030 text")


def import_file(path: str | Path, *, format_key: str | None = None) -> ImportedReport:
    """Import a report file; the kind is chosen by extension (.docx, .pdf, .htm/.html, images
    .png/.jpg/.tif read by OCR) or, for other files, by whether the text looks like HTML."""
    path = Path(path)
    if not path.is_file():
        raise ReportImportError(f"{path}: no such file")
    suffix = path.suffix.lower()
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
