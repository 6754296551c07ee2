"""PDF: the text layer redacted with PyMuPDF, with its information, bookmarks and annotations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from gongkai.core import safefile
from gongkai.privacy.documents.base import (
    Finder,
    MaskedFile,
    MaskingError,
    _Detached,
    _scan_labelled,
    _scan_plain,
    _with_names,
)
from gongkai.privacy.findings import PERSON_NAME, Finding
from gongkai.privacy.masking import mask_value

# --- PDF ----------------------------------------------------------------------------------------

# MuPDF's built-in simplified-Chinese font writes the masks: always there, whatever fonts the
# server has, and referenced rather than embedded (a few hundred bytes in the file).
_MASK_FONT = "china-s"
_MIN_MASK_SIZE = 4.0


@dataclass
class _PdfChar:
    char: str
    rect: object  # pymupdf.Rect
    origin: tuple[float, float]
    size: float
    line: int


def _pdf_page_text(page) -> tuple[str, list[_PdfChar | None]]:
    """A page's text as MuPDF reads it (a line of text a line), and each character's place."""
    chars: list[_PdfChar | None] = []
    line_number = 0
    flags = 0  # no ligatures or whitespace merged: one entry per character drawn
    for block in page.get_text("rawdict", flags=flags)["blocks"]:
        for line in block.get("lines", ()):
            line_number += 1
            for span in line["spans"]:
                for c in span["chars"]:
                    chars.append(
                        _PdfChar(c["c"], c["bbox"], tuple(c["origin"]), span["size"], line_number)
                    )
            chars.append(None)  # the line's end
    text = "".join("\n" if c is None else c.char for c in chars)
    return text, chars


def _scanned(message_pages: list[int], name: str) -> MaskingError:
    pages = "、".join(str(n) for n in message_pages[:10])
    more = " 等" if len(message_pages) > 10 else ""
    return MaskingError(
        f"扫描件没有文字层，无法在文件中遮蔽个人信息：{name}（第 {pages}{more} 页只有图像）。"
        "请先进行文字识别（OCR），或在原始文件中删除个人信息后重新生成 PDF。",
        code="scanned",
    )


def _open_pymupdf(data: bytes, name: str):
    """The PDF opened by PyMuPDF after the safe reader's checks (pages, stream limits)."""
    with safefile.pdf_limits():
        safefile.open_pdf(data, name=name)
    import pymupdf

    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except (RuntimeError, ValueError, pymupdf.FileDataError):
        raise safefile.damaged(name) from None
    if document.needs_pass or document.is_encrypted:
        document.close()
        raise MaskingError(
            f"PDF 文件已加密，无法遮蔽：{name}（请去除密码后重试）", code="encrypted"
        )
    if document.page_count > safefile.limits().pdf_pages:
        document.close()
        raise safefile.damaged(name)
    return document


def _full_page_image(page) -> bool:
    """A page mostly covered by one image (60 % or more): a scan, perhaps with an OCR text
    layer over it (removing that text would leave the picture of it)."""
    area = abs(page.rect)
    return any(
        abs(page.rect & info["bbox"]) >= 0.6 * area for info in page.get_image_info() if area
    )


def _mask_pdf(data: bytes, name: str, finder: Finder) -> MaskedFile:
    # Every content stream is read once by the safe reader (pypdf within its stream limits,
    # the text within the text limit) before MuPDF decompresses any of it.
    safefile.pdf_text(data, name=name)
    counts: Counter = Counter()
    document = _open_pymupdf(data, name)
    try:
        # First pass: each page's text, the scanned pages, and the names found, so that a name
        # found in one place is masked wherever it appears in the file.
        texts, scans, names = [], [], set()
        for page in document:
            text, _ = _pdf_page_text(page)
            texts.append(text)
            if _full_page_image(page) or (not text.strip() and page.get_images(full=False)):
                scans.append(page.number + 1)
        if scans:
            raise _scanned(scans, name)
        found = [finder(text) if text.strip() else [] for text in texts]
        names = {f.text for page_found in found for f in page_found if f.type == PERSON_NAME}
        seen = dict(zip(texts, found, strict=True))
        page_finder = _with_names(lambda text: seen.get(text) or finder(text), names)
        for page, text in zip(document, texts, strict=True):
            if not text.strip():
                continue
            # the characters' places are read again page by page (not kept for the whole file)
            again, chars = _pdf_page_text(page)
            findings = page_finder(again)
            _redact_page(page, again, chars, findings, page_finder, counts)
            _check_removed(page, findings, name)
        _mask_pdf_outline(document, page_finder, counts)
        # the document information and XMP metadata name authors and tools: removed
        document.set_metadata({})
        document.del_xml_metadata()
        out = document.tobytes(garbage=3, deflate=True)
    finally:
        document.close()
    return MaskedFile(data=bytes(out), counts=dict(counts))


def _check_removed(page, findings: list[Finding], name: str) -> None:
    """Refuse to return a copy in which a masked value can still be read (text MuPDF could
    not remove, such as text drawn in a way it does not edit)."""
    left = page.get_text()
    for finding in findings:
        if finding.text in left:
            raise MaskingError(
                f"PDF 第 {page.number + 1} 页中的个人信息无法从文件中移除：{name}。"
                "请在原始文件中删除后重新生成 PDF。",
                code="not_removed",
            )


def _redact_page(
    page, text: str, chars: list, findings: list[Finding], finder: Finder, counts: Counter
) -> None:
    import pymupdf

    overlays: list[tuple[tuple[float, float], str, float, float]] = []
    for finding in findings:
        if text[finding.start : finding.end] != finding.text:
            continue
        new = mask_value(finding.type, finding.text)
        changed = [c for c in chars[finding.start : finding.end] if c is not None]
        if not changed or new == finding.text:
            continue
        # one redaction a line of text (a value may wrap onto the next line), a little inside
        # the characters' boxes so that the neighbours are not touched
        by_line: dict[int, list[_PdfChar]] = {}
        for c in changed:
            by_line.setdefault(c.line, []).append(c)
        for i, line_chars in enumerate(by_line.values()):
            rect = pymupdf.Rect(line_chars[0].rect)
            for c in line_chars[1:]:
                rect |= pymupdf.Rect(c.rect)
            inset = min(pymupdf.Rect(c.rect).width for c in line_chars) * 0.15
            page.add_redact_annot(
                pymupdf.Rect(rect.x0 + inset, rect.y0, rect.x1 - inset, rect.y1),
                fill=False,
                cross_out=False,
            )
            if i == 0 and new:
                overlays.append((line_chars[0].origin, new, line_chars[0].size, rect.width))
        counts[finding.type] += 1
    for annot in list(page.annots() or ()):
        _mask_annotation(annot, finder, counts)
    for widget in list(page.widgets() or ()):
        # a form field's value (申请人 filled in a PDF form)
        value = widget.field_value
        if isinstance(value, str) and value:
            masked = _masked_text(value, finder, counts)
            if masked != value:
                widget.field_value = masked
                widget.update()
    if not overlays:
        return
    # the characters are removed from the content; images and lines are left as they are
    page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_NONE,
        graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
        text=pymupdf.PDF_REDACT_TEXT_REMOVE,
    )
    for origin, new, size, width in overlays:
        # the whole mask where the value was (so that it reads as one word: "郑*涛", not the
        # kept "郑涛" beside a lone star), smaller if it must be, left out if it cannot fit
        # Helvetica for an all-ASCII mask (IDs, phones, e-mail): its metrics are exact, so the
        # mask is drawn and read back as one word
        font = "helv" if new.isascii() else _MASK_FONT
        length = pymupdf.get_text_length(new, fontname=font, fontsize=size)
        if length > width > 0:
            size = size * width / length
        if size >= _MIN_MASK_SIZE:
            page.insert_text(origin, new, fontname=font, fontsize=size)


def _masked_text(value: str, finder: Finder, counts: Counter, *, person: bool = False) -> str:
    segment = _Detached(value)
    if person:
        _scan_labelled(segment, finder, counts)
    else:
        _scan_plain(segment, finder, counts)
    return segment.edited()


def _mask_annotation(annot, finder: Finder, counts: Counter) -> None:
    info = annot.info
    changes = {}
    for key, person in (("content", False), ("subject", False), ("title", True)):
        value = info.get(key) or ""
        if value:
            masked = _masked_text(value, finder, counts, person=person)
            if masked != value:
                changes[key] = masked
    if changes:
        annot.set_info(**changes)
        annot.update()


def _mask_pdf_outline(document, finder: Finder, counts: Counter) -> None:
    toc = document.get_toc(simple=False)
    changed = False
    for entry in toc:
        masked = _masked_text(entry[1], finder, counts)
        if masked != entry[1]:
            entry[1] = masked
            changed = True
    if changed:
        document.set_toc(toc)
