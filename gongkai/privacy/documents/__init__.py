"""Masking inside files: a de-identified copy of a Word (.docx), Excel (.xlsx) or PDF file.

    mask_file(data, "docx") -> MaskedFile(data=…, counts={"id_card": 2, "person_name": 3})

The personal data is found with the same detector as the text shield (or the caller's `finder`,
which may also know the agency's own names) and replaced with the same masks
(gongkai.privacy.masking.mask_value). Everything else in the file is kept:

- DOCX and XLSX are ZIP packages of XML parts. Only the parts that hold personal data are parsed
  (lxml) and written again; every other member is copied as it is. Word splits text into runs
  arbitrarily ("张" in one, "三" in the next), so each part is scanned as one text built from its
  text elements, with a map from offsets back to the elements, and the elements of a finding are
  rewritten: its mask in the first, the rest of it removed from the others.
- PDF: the text layer is redacted with PyMuPDF: the characters are removed from the page's
  content (not covered with a box), the mask written in their place; the document information,
  XMP metadata, bookmarks and annotations are cleaned too. A scan without a text layer cannot be
  masked here (MaskingError).

What is masked: DOCX body, tables, text boxes, headers, footers, foot- and endnotes, comments
and their authors, tracked changes and their authors, field codes, link texts and addresses,
pictures' alt text, shapes, charts, SmartArt, custom XML, document properties and Word or Excel
files embedded in it; XLSX cells (shared and inline strings, rich text, numbers holding a
phone, ID or card number, formulas' cached results), comments and their authors, print headers
and footers, link addresses, shapes, charts, pivot caches, external-link caches and properties;
PDF text layer, bookmarks, annotations, form fields, document information and XMP. What is
not: the pixels of pictures (a scanned page is refused, not half masked) and text a PDF draws
without a character map. An XLSX sheet title or defined name holding a name is masked (王某明,
a valid title) and every formula, defined name, link, chart and pivot cache referring to it is
rewritten to the new name.

Text of a table, for scanning (shared with `gongkai.catalogue.files.extract_text` and the names
detector): one row a line, its cells separated by a TAB, a cell's own paragraphs by a space, so
that a header such as 姓名 or 身份证号 marks its column.

Every input is opened through gongkai.core.safefile, within its limits.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable

from gongkai.core import safefile
from gongkai.privacy.detect import scan
from gongkai.privacy.documents.base import (
    Finder,
    MaskedFile,
    MaskingError,
    Package,
    Part,
    _with_names,
)
from gongkai.privacy.documents.docx import _docx_parts, docx_text
from gongkai.privacy.documents.pdf import _mask_pdf
from gongkai.privacy.documents.xlsx import _xlsx_parts, rename_references, xlsx_text
from gongkai.privacy.findings import PERSON_NAME, Finding

# what callers use: mask_file and its error and result, the text of a file for scanning, and
# the formula rewriter (tested on its own)
__all__ = [
    "KINDS",
    "Finder",
    "MaskedFile",
    "MaskingError",
    "default_finder",
    "docx_text",
    "mask_file",
    "rename_references",
    "xlsx_text",
]

KINDS = ("docx", "xlsx", "pdf")


def default_finder(text: str) -> list[Finding]:
    """The shield's detector, without the agency's own published lines (热线, 办公电话)."""
    return [f for f in scan(text) if not f.public_contact]


def mask_file(
    data: bytes, kind: str, *, finder: Finder | None = None, name: str = ""
) -> MaskedFile:
    """A de-identified copy of `data`, a file of `kind` ("docx", "xlsx" or "pdf").

    Raises safefile.FileRefused for a file past the safe reader's limits or unreadable, and
    MaskingError for one that cannot be masked (a scan without a text layer, another kind)."""
    finder = finder or default_finder
    name = name or "文件"
    if kind == "docx":
        return _mask_package(data, name, finder, _docx_parts)
    if kind == "xlsx":
        return _mask_package(data, name, finder, _xlsx_parts)
    if kind == "pdf":
        return _mask_pdf(data, name, finder)
    raise MaskingError(f"无法在这种文件中遮蔽个人信息：{name}（只支持 .docx、.xlsx、.pdf）")


# Each format lists its parts and scans them: (package, name, finder, counts) -> list[Part]
PartsScanner = Callable[[Package, str, Finder, Counter], list[Part]]


def _mask_package(
    data: bytes, name: str, finder: Finder, scanner: PartsScanner, depth: int = 0
) -> MaskedFile:
    with safefile.SafeZip(data, name=name) as archive:
        package = Package(archive)
        # A name found in one place (a cell under 户主, an author field) is masked wherever
        # else it appears in the file, even where its context alone would not show it: a first
        # pass collects the names, the second masks with them.
        names: set[str] = set()
        seen: dict[str, list[Finding]] = {}  # the second pass does not run the detector again

        detect = finder

        def recording(text: str) -> list[Finding]:
            if text not in seen:
                seen[text] = detect(text)
                names.update(f.text for f in seen[text] if f.type == PERSON_NAME)
            return seen[text]

        counts: Counter = Counter()
        parts = scanner(package, name, recording, counts)
        if names:
            finder = _with_names(recording, names)
            counts = Counter()
            parts = scanner(package, name, finder, counts)
        replaced = {}
        for part in parts:
            new = part.changed_bytes()
            if new is not None:
                replaced[part.member] = new
        # a Word or Excel file embedded in this one (a roster pasted into a notice, a chart's
        # data) is masked the same way, with the names found here
        for member in package.namelist():
            embedded = _EMBEDDED.fullmatch(member)
            if embedded is None or depth >= _MAX_EMBEDDING_DEPTH:
                continue
            inner_scanner = _docx_parts if embedded.group(1) == "docx" else _xlsx_parts
            try:
                inner = _mask_package(
                    package.read(member), f"{name}/{member}", finder, inner_scanner, depth + 1
                )
            except safefile.FileRefused as exc:
                if exc.code != "damaged":
                    raise
                continue  # not a package after all: left as it is
            if inner.counts:
                replaced[member] = inner.data
                counts.update(inner.counts)
        if not replaced:
            return MaskedFile(data=data, counts={})
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in archive.infolist():
                content = replaced.get(info.filename)
                if content is None:
                    content = package.read(info.filename)
                # the member's own name, date, compression and attributes are kept
                target.writestr(info, content, compress_type=info.compress_type)
    return MaskedFile(data=out.getvalue(), counts=dict(counts))


_EMBEDDED = re.compile(r"(?:word|xl|ppt)/embeddings/[^/]+\.(docx|xlsx)")
_MAX_EMBEDDING_DEPTH = 2
