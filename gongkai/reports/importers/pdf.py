"""PDF: the text layer of every page (pypdf, through the safe reader), then the plain-text
importer (rows printed as "label value value …" on one line are split by the walker). Pages
without a text layer (a scan) are read by OCR (gongkai.core.ocr, tesseract chi_sim), the other
pages keep their text layer; so are images (PNG, JPEG, TIFF). The result says OCR was used and
how sure it was: figures read by OCR must be checked against the original."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from .base import Finding, ImportedReport, ReportImportError
from .text import import_text


def _read(path_or_file, default_name: str) -> tuple[str, bytes]:
    if isinstance(path_or_file, str | Path):
        return Path(path_or_file).name, Path(path_or_file).read_bytes()
    return getattr(path_or_file, "name", "") or default_name, path_or_file.read()


def text_from_pdf(path_or_file) -> str:
    """The text layer of every page, read within the safe reader's limits
    (gongkai.core.safefile: pages, decompression, length; a refusal is a ReportImportError)."""
    from gongkai.core import safefile

    name, data = _read(path_or_file, "PDF")
    try:
        return safefile.pdf_text(data, name=str(name))
    except safefile.FileRefused as exc:
        raise ReportImportError(str(exc)) from None


def _recognised(data: bytes, kind: str, name: str) -> tuple[str, Finding]:
    from gongkai.core import ocr, safefile

    try:
        result = ocr.recognise(data, kind, name=name)
    except (ocr.OcrError, safefile.FileRefused) as exc:
        raise ReportImportError(str(exc)) from None
    low = result.confidence < ocr.min_confidence()
    finding = Finding(
        "ocr_used",
        "warning" if low else "info",
        _(
            "Pages without a text layer were read by OCR (confidence %(confidence).0f%%): "
            "check the figures against the original."
        )
        % {"confidence": result.confidence},
        actual=result.confidence,
    )
    return result.text, finding


def import_pdf(path_or_file, *, format_key: str | None = None, ocr: bool = True) -> ImportedReport:
    """`ocr=False` reads the text layer only (a scan then has no text: ReportImportError)."""
    from gongkai.core import ocr as reader
    from gongkai.core import safefile

    name, data = _read(path_or_file, "PDF")
    finding = None
    if ocr and reader.needs_ocr("pdf", data):
        text, finding = _recognised(data, "pdf", str(name))
    else:
        try:
            text = safefile.pdf_text(data, name=str(name))
        except safefile.FileRefused as exc:
            raise ReportImportError(str(exc)) from None
    if not text.strip():
        raise ReportImportError(_("“%(name)s” has no text to read.") % {"name": name})
    report = import_text(text, format_key=format_key)
    if finding is not None:
        report.findings.insert(0, finding)
    return report


IMAGE_SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff"}


def import_image(path: str | Path, *, format_key: str | None = None) -> ImportedReport:
    """A photographed or scanned report (PNG, JPEG, TIFF pages), read by OCR."""
    path = Path(path)
    text, finding = _recognised(path.read_bytes(), IMAGE_SUFFIXES[path.suffix.lower()], path.name)
    if not text.strip():
        raise ReportImportError(_("“%(name)s” has no text to read.") % {"name": path.name})
    report = import_text(text, format_key=format_key)
    report.findings.insert(0, finding)
    return report
