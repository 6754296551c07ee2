"""PDF with a text layer (pypdf): the text of every page, then the plain-text importer (rows
printed as "label value value …" on one line are split by the walker). A scanned PDF (no text
layer) cannot be imported."""

from __future__ import annotations

from pypdf import PdfReader

from .base import ImportedReport, ReportImportError
from .text import import_text


def text_from_pdf(path_or_file) -> str:
    reader = PdfReader(path_or_file)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def import_pdf(path_or_file, *, format_key: str | None = None) -> ImportedReport:
    text = text_from_pdf(path_or_file)
    if not text.strip():
        raise ReportImportError("no text layer")
    return import_text(text, format_key=format_key)
