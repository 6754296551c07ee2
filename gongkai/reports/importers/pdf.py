"""PDF with a text layer (pypdf): the text of every page, then the plain-text importer (rows
printed as "label value value …" on one line are split by the walker). A scanned PDF (no text
layer) cannot be imported."""

from __future__ import annotations

from pathlib import Path

from .base import ImportedReport, ReportImportError
from .text import import_text


def text_from_pdf(path_or_file) -> str:
    """The text layer of every page, read within the safe reader's limits
    (gongkai.core.safefile: pages, decompression, length; a refusal is a ReportImportError)."""
    from gongkai.core import safefile

    if isinstance(path_or_file, str | Path):
        name, data = Path(path_or_file).name, Path(path_or_file).read_bytes()
    else:
        name, data = getattr(path_or_file, "name", "") or "PDF", path_or_file.read()
    try:
        return safefile.pdf_text(data, name=str(name))
    except safefile.FileRefused as exc:
        raise ReportImportError(str(exc)) from None


def import_pdf(path_or_file, *, format_key: str | None = None) -> ImportedReport:
    text = text_from_pdf(path_or_file)
    if not text.strip():
        raise ReportImportError("no text layer")
    return import_text(text, format_key=format_key)
