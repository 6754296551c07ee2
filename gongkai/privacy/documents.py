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
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lxml import etree

from gongkai.core import safefile
from gongkai.privacy import names
from gongkai.privacy.detect import scan
from gongkai.privacy.findings import PERSON_NAME, Finding
from gongkai.privacy.masking import mask_value

Finder = Callable[[str], list[Finding]]

KINDS = ("docx", "xlsx", "pdf")


class MaskingError(ValueError):
    """A file that cannot be masked here; `str()` is a Chinese message for the editor."""

    def __init__(self, message: str, *, code: str = "masking"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class MaskedFile:
    data: bytes
    counts: dict[str, int] = field(default_factory=dict)  # finding type -> how many masked

    @property
    def total(self) -> int:
        return sum(self.counts.values())


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


# --- text built from XML elements ---------------------------------------------------------------


class Segment:
    """The text of one element (its .text, or one of its attributes) and the edits to make."""

    __slots__ = ("attr", "edits", "element", "text")

    def __init__(self, element, attr: str | None = None):
        self.element = element
        self.attr = attr
        self.text = (element.get(attr) if attr else element.text) or ""
        self.edits: list[tuple[int, int, str]] = []

    def edited(self) -> str:
        """The text with its edits applied (of overlapping edits the first is kept)."""
        out, pos = [], 0
        for start, end, replacement in sorted(set(self.edits), key=lambda e: (e[0], -e[1])):
            if start < pos:
                continue
            out.append(self.text[pos:start])
            out.append(replacement)
            pos = end
        out.append(self.text[pos:])
        return "".join(out)

    def write(self, value: str) -> None:
        if self.attr:
            self.element.set(self.attr, value)
        else:
            self.element.text = value
            if self.element.tag == W_T or self.element.tag == W_DELTEXT:
                # Word drops leading and trailing spaces of a text element unless told not to
                if value != value.strip():
                    self.element.set(XML_SPACE, "preserve")


class TextMap:
    """Text assembled from literal separators and segments, and the way back from offsets."""

    def __init__(self):
        self.pieces: list[str | Segment] = []

    def add(self, piece: str | Segment) -> None:
        if isinstance(piece, Segment) and not piece.text:
            return
        self.pieces.append(piece)

    def trim(self, separators: str = " ") -> None:
        """Drop trailing literal separators (a cell's last paragraph gets no space after it)."""
        while self.pieces and isinstance(self.pieces[-1], str) and self.pieces[-1] in separators:
            self.pieces.pop()

    def build(self) -> tuple[str, list[int], list[Segment | None]]:
        text, starts, owners, pos = [], [], [], 0
        for piece in self.pieces:
            value = piece.text if isinstance(piece, Segment) else piece
            starts.append(pos)
            owners.append(piece if isinstance(piece, Segment) else None)
            text.append(value)
            pos += len(value)
        return "".join(text), starts, owners

    def text(self) -> str:
        return self.build()[0]

    def apply(self, findings: Iterable[Finding], counts: Counter) -> set[Segment]:
        """Record each finding's mask on the segments it covers; the segments touched."""
        text, starts, owners = self.build()
        touched: set[Segment] = set()
        for finding in findings:
            if text[finding.start : finding.end] != finding.text:
                continue  # a finder that does not match its text: nothing is guessed
            replacement = mask_value(finding.type, finding.text)
            if replacement == finding.text:
                continue
            first = True
            i = bisect_right(starts, finding.start) - 1
            while i < len(starts) and starts[i] < finding.end:
                owner = owners[i]
                if owner is not None:
                    lo = max(finding.start, starts[i]) - starts[i]
                    hi = min(finding.end, starts[i] + len(owner.text)) - starts[i]
                    if hi > lo:
                        owner.edits.append((lo, hi, replacement if first else ""))
                        first = False
                        touched.add(owner)
                i += 1
            if not first:
                counts[finding.type] += 1
        return touched


def _scan_labelled(
    segment: Segment, finder: Finder, counts: Counter, *, label: str = "姓名："
) -> list[str]:
    """Mask a field known to hold a person's name (an author): scanned as "姓名：…" (or under
    another label). The values masked are returned."""
    masked = []
    for f in finder(label + segment.text):
        if f.start < len(label):
            continue
        replacement = mask_value(f.type, f.text)
        if replacement != f.text:
            segment.edits.append((f.start - len(label), f.end - len(label), replacement))
            counts[f.type] += 1
            masked.append(f.text)
    return masked


def _scan_plain(segment: Segment, finder: Finder, counts: Counter) -> bool:
    hit = False
    for f in finder(segment.text):
        if segment.text[f.start : f.end] != f.text:
            continue
        replacement = mask_value(f.type, f.text)
        if replacement != f.text:
            segment.edits.append((f.start, f.end, replacement))
            counts[f.type] += 1
            hit = True
    return hit


# --- XML parts ----------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


W_P, W_T, W_DELTEXT, W_INSTR = _w("p"), _w("t"), _w("delText"), _w("instrText")
W_TAB, W_BR, W_CR, W_TBL, W_TR, W_TC = _w("tab"), _w("br"), _w("cr"), _w("tbl"), _w("tr"), _w("tc")
W_FLDSIMPLE, W_HYPERLINK = _w("fldSimple"), _w("hyperlink")
# elements that wrap rows or cells without being one (content controls, custom XML)
_W_WRAPPERS = {_w("sdt"), _w("sdtContent"), _w("customXml"), _w("smartTag")}
_W_SKIP = {_w("rPr"), _w("pPr"), _w("tblPr"), _w("trPr"), _w("tcPr"), _w("sectPr"), _w("tblGrid")}

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_blank_text=False,
)


def _parse(data: bytes, name: str):
    try:
        return etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        raise safefile.damaged(name) from None


def _serialise(root, original: bytes) -> bytes:
    tree = root.getroottree()
    standalone = tree.docinfo.standalone
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    if not original.lstrip().startswith(b"<?xml"):
        return body
    declaration = '<?xml version="1.0" encoding="UTF-8"'
    if standalone is not None:
        declaration += ' standalone="yes"' if standalone else ' standalone="no"'
    return (declaration + "?>\r\n").encode() + body


class Part:
    """One XML member of the package: its tree and what is scanned in it."""

    def __init__(self, member: str, data: bytes, root):
        self.member = member
        self.data = data
        self.root = root
        self.touched: set[Segment] = set()

    def changed_bytes(self) -> bytes | None:
        if not self.touched:
            return None
        for segment in self.touched:
            segment.write(segment.edited())
        return _serialise(self.root, self.data)


class Package:
    """A checked ZIP package whose members are each read (and counted) once."""

    def __init__(self, archive: safefile.SafeZip):
        self.archive = archive
        self.members = archive.namelist()
        self._names = set(self.members)
        self._read: dict[str, bytes] = {}

    def namelist(self) -> list[str]:
        return self.members

    def __contains__(self, member: str) -> bool:
        return member in self._names

    def read(self, member: str) -> bytes:
        if member not in self._read:
            self._read[member] = self.archive.read(member)
        return self._read[member]


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


def _read_part(package: Package, member: str, name: str) -> Part | None:
    if member not in package:
        return None
    data = package.read(member)
    return Part(member, data, _parse(data, name))


def _with_names(finder: Finder, known: Iterable[str]) -> Finder:
    """`finder`, plus every verbatim occurrence of names already found in an author field."""
    known = sorted({n for n in known if len(n) >= 2}, key=len, reverse=True)
    if not known:
        return finder
    pattern = re.compile("|".join(re.escape(n) for n in known))

    def find(text: str) -> list[Finding]:
        found = list(finder(text))
        taken = bytearray(len(text))
        for f in found:
            taken[f.start : f.end] = b"\x01" * (f.end - f.start)
        for m in pattern.finditer(text):
            if not any(taken[m.start() : m.end()]):
                found.append(Finding(PERSON_NAME, m.start(), m.end(), m.group(), 0.9))
        return sorted(found, key=lambda f: f.start)

    return find


# --- DOCX ---------------------------------------------------------------------------------------

# Word parts that hold text a reader of the file sees (the glossary holds building blocks)
_DOCX_TEXT_PART = re.compile(
    r"word/(?:document\d*|header\d*|footer\d*|footnotes|endnotes|comments|glossary/document)\.xml"
)
_DOCX_PEOPLE_PART = re.compile(r"word/(?:people|commentsExtensible|commentsExtended)\.xml")
_DOCX_EXTRACT_ORDER = re.compile(r"word/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
# attributes that hold free text: a field's instruction, a link's tooltip, a picture's alt text
_TEXT_ATTRIBUTES = (
    (W_FLDSIMPLE, _w("instr")),
    (W_HYPERLINK, _w("tooltip")),
    ("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr", "descr"),
    ("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr", "title"),
    ("{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr", "descr"),
)
# attributes that hold a person's name (comment and revision authors)
_AUTHOR_ATTRIBUTES = (
    _w("author"),
    _w("initials"),
    "{http://schemas.microsoft.com/office/word/2012/wordml}author",
)


def _docx_walk(element, out: TextMap, in_cell: bool) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _W_SKIP:
            continue
        if tag in (W_T, W_DELTEXT):
            out.add(Segment(child))
        elif tag == W_INSTR:
            # a field's instruction (HYPERLINK "mailto:…"): its own piece, apart from the text
            out.add(" ")
            out.add(Segment(child))
            out.add(" ")
        elif tag == W_TAB:
            out.add(" ")
        elif tag in (W_BR, W_CR):
            out.add(" " if in_cell else "\n")
        elif tag == W_P:
            _docx_walk(child, out, in_cell)
            out.add(" " if in_cell else "\n")
        elif tag == W_TBL:
            _docx_table(child, out, in_cell)
        else:
            _docx_walk(child, out, in_cell)


def _children(element, tag: str):
    """Direct children with `tag`, looking through content controls and custom XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _W_WRAPPERS:
            yield from _children(child, tag)


def _docx_table(table, out: TextMap, in_cell: bool) -> None:
    if not in_cell:
        out.trim()
        if out.pieces and out.pieces[-1] != "\n":
            out.add("\n")
    for row in _children(table, W_TR):
        # merged cells keep the columns in place: a cell spanning n grid columns is followed by
        # n - 1 empty fields, and a row that starts later (gridBefore) by as many before it
        skip = 0 if in_cell else _grid_value(row, "trPr", "gridBefore")
        if skip:
            out.add("\t" * skip)
        for i, cell in enumerate(_children(row, W_TC)):
            if i:
                out.add(" " if in_cell else "\t")
            _docx_walk(cell, out, in_cell=True)
            out.trim()
            span = 0 if in_cell else _grid_value(cell, "tcPr", "gridSpan")
            if span > 1:
                out.add("\t" * (span - 1))
        out.add(" " if in_cell else "\n")


def _grid_value(element, properties: str, name: str) -> int:
    found = element.find(f"{_w(properties)}/{_w(name)}")
    try:
        return min(int(found.get(_w("val"))), 64) if found is not None else 0
    except (TypeError, ValueError):
        return 0


def docx_part_text(root) -> TextMap:
    """The text of a Word part: paragraphs a line each, tables a row a line (cells by TAB)."""
    out = TextMap()
    _docx_walk(root, out, in_cell=False)
    return out


def _external_targets(package: Package, name: str) -> list[str]:
    """The addresses of every external link in the package (mailto:…, http…), once each."""
    targets: dict[str, None] = {}
    for member in package.namelist():
        if member.endswith(".rels"):
            part = _read_part(package, member, name)
            for rel in part.root.iter(f"{{{PR}}}Relationship"):
                if rel.get("TargetMode") == "External" and rel.get("Target"):
                    targets[rel.get("Target")] = None
    return list(targets)


def _extra_text(package: Package, name: str) -> str:
    """What a package holds beside its main text: shapes, charts, SmartArt and custom XML,
    then the addresses of its external links; a line each."""
    texts: list[str] = []

    def capture(text: str) -> list[Finding]:
        texts.append(text)
        return []

    for member in package.namelist():
        if _LOOSE_TEXT_PART.fullmatch(member):
            _scan_loose_text(package, member, name, capture, Counter())
    texts += (target + "\n" for target in _external_targets(package, name))
    return "".join(texts)


def docx_text(data: bytes, *, name: str) -> str:
    """What the shield scans in a Word file: the body (text boxes included), then headers,
    footers, foot- and endnotes and comments, then shapes and charts, then the addresses of
    external links (mailto:…)."""
    with safefile.SafeZip(data, name=name) as archive:
        package = Package(archive)
        members = set(package.namelist())
        if "word/document.xml" not in members:
            return ""
        order = ["word/document.xml"] + sorted(
            m for m in members if _DOCX_EXTRACT_ORDER.fullmatch(m)
        )
        texts = []
        for member in order:
            part = _read_part(package, member, name)
            texts.append(docx_part_text(part.root).text())
        texts.append(_extra_text(package, name))
    return "".join(texts)


def _docx_parts(package: Package, name: str, finder: Finder, counts: Counter) -> list[Part]:
    parts: list[Part] = []
    for member in package.namelist():
        if _DOCX_TEXT_PART.fullmatch(member):
            part = _read_part(package, member, name)
            textmap = docx_part_text(part.root)
            text = textmap.text()
            if text.strip():
                part.touched |= textmap.apply(finder(text), counts)
            _scan_attributes(part, finder, counts)
            parts.append(part)
        elif _DOCX_PEOPLE_PART.fullmatch(member):
            part = _read_part(package, member, name)
            _scan_attributes(part, finder, counts)
            parts.append(part)
        elif member.endswith(".rels"):
            parts.append(_scan_relationships(package, member, name, finder, counts))
        elif _LOOSE_TEXT_PART.fullmatch(member):
            parts.append(_scan_loose_text(package, member, name, finder, counts))
    parts += _property_parts(package, name, finder, counts)
    return parts


def _scan_attributes(part: Part, finder: Finder, counts: Counter) -> None:
    for tag, attr in _TEXT_ATTRIBUTES:
        for element in part.root.iter(tag):
            if element.get(attr):
                segment = Segment(element, attr)
                if _scan_plain(segment, finder, counts):
                    part.touched.add(segment)
    for element in part.root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in _AUTHOR_ATTRIBUTES:
            if element.get(attr):
                segment = Segment(element, attr)
                if _scan_labelled(segment, finder, counts):
                    part.touched.add(segment)


# Parts whose text is DrawingML or chart caches (shapes, SmartArt, a chart's labels and
# category names) or bound data (custom XML): every text, a paragraph (a:p) a line.
_LOOSE_TEXT_PART = re.compile(
    r"(?:word|xl)/(?:charts|drawings|diagrams)/[^/]+\.xml|customXml/item\d+\.xml"
    r"|xl/externalLinks/[^/]+\.xml"  # the cached values of cells in other workbooks
)


def _scan_loose_text(package: Package, member: str, name: str, finder: Finder, counts: Counter):
    part = _read_part(package, member, name)
    out = TextMap()

    def walk(element) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if len(child) == 0:
                if (child.text or "").strip():
                    out.add(Segment(child))
                    if etree.QName(child).localname not in ("t",):
                        out.add("\n")
            else:
                walk(child)
                if etree.QName(child).localname == "p":
                    out.add("\n")

    walk(part.root)
    text = out.text()
    if text.strip():
        part.touched |= out.apply(finder(text), counts)
    return part


_EMBEDDED = re.compile(r"(?:word|xl|ppt)/embeddings/[^/]+\.(docx|xlsx)")
_MAX_EMBEDDING_DEPTH = 2


def _scan_relationships(
    package: Package, member: str, name: str, finder: Finder, counts: Counter
) -> Part:
    """Link addresses (mailto:zhang@…): external relationship targets."""
    part = _read_part(package, member, name)
    for rel in part.root.iter(f"{{{PR}}}Relationship"):
        if rel.get("TargetMode") == "External" and rel.get("Target"):
            segment = Segment(rel, "Target")
            if _scan_plain(segment, finder, counts):
                part.touched.add(segment)
    return part


# --- document properties (DOCX and XLSX) --------------------------------------------------------

_PERSON_PROPERTIES = {"creator", "lastModifiedBy", "Manager", "contributor"}


def _property_parts(package: Package, name: str, finder: Finder, counts: Counter) -> list[Part]:
    """docProps/core.xml, app.xml, custom.xml: every text value scanned; the author fields as
    a person's name."""
    parts = []
    for member in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
        if member not in package:
            continue
        part = _read_part(package, member, name)
        for element in part.root.iter():
            if not isinstance(element.tag, str) or not (element.text or "").strip():
                continue
            local = etree.QName(element).localname
            segment = Segment(element)
            if local in _PERSON_PROPERTIES:
                hit = _scan_labelled(segment, finder, counts)
            else:
                hit = _scan_plain(segment, finder, counts)
            if hit:
                part.touched.add(segment)
        # a custom property's name may itself be data ("联系人张三"): values are enough here
        parts.append(part)
    return parts


# --- XLSX ---------------------------------------------------------------------------------------


def _s(tag: str) -> str:
    return f"{{{S}}}{tag}"


S_V, S_F, S_IS, S_T, S_RPH = _s("v"), _s("f"), _s("is"), _s("t"), _s("rPh")
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
_INTEGRAL = re.compile(r"-?[0-9]+(?:\.0+)?(?:[eE]\+?[0-9]+)?")


def _column_index(ref: str) -> int | None:
    m = _CELL_REF.match(ref or "")
    if m is None:
        return None
    index = 0
    for ch in m.group(1):
        index = index * 26 + ord(ch) - 64
    return index - 1


def _number_text(value: str) -> str:
    """A number as a person reads it: 13912345678 stored as 1.3912345678E10 reads as digits."""
    if _INTEGRAL.fullmatch(value) and not re.fullmatch(r"-?[0-9]+", value):
        try:
            number = float(value)
        except ValueError:
            return value
        if number.is_integer() and abs(number) < 1e16:
            return str(int(number))
    return value


class Workbook:
    """The parts of an XLSX the text lives in: sheets in order, shared strings, comments."""

    def __init__(self, package: Package, name: str):
        self.package = package
        self.name = name
        members = set(package.namelist())
        self.shared: Part | None = None
        self.strings: list[list[Segment]] = []
        if "xl/sharedStrings.xml" in members:
            self.shared = _read_part(package, "xl/sharedStrings.xml", name)
            for si in self.shared.root.iterchildren(_s("si")):
                # the string's text: its own <t> or its rich-text runs' (<r><t>), not the
                # phonetic guide (<rPh>), which is scanned apart
                segments = [Segment(t) for t in si.iter(_s("t")) if t.getparent().tag != _s("rPh")]
                self.strings.append(segments)
        self.sheets: list[Part] = []
        for member in self._sheet_members(members):
            part = _read_part(package, member, name)
            if part is not None:
                self.sheets.append(part)

    def _sheet_members(self, members: set[str]) -> list[str]:
        """The worksheets in the workbook's order (workbook.xml and its relationships)."""
        found: list[str] = []
        if "xl/workbook.xml" in members and "xl/_rels/workbook.xml.rels" in members:
            book = _read_part(self.package, "xl/workbook.xml", self.name)
            rels = _read_part(self.package, "xl/_rels/workbook.xml.rels", self.name)
            targets = {
                rel.get("Id"): rel.get("Target", "")
                for rel in rels.root.iter(f"{{{PR}}}Relationship")
            }
            for sheet in book.root.iter(_s("sheet")):
                target = targets.get(sheet.get(f"{{{R}}}id"), "")
                member = target.lstrip("/") if target.startswith("/") else "xl/" + target
                member = re.sub(r"[^/]+/\.\./", "", member)
                if member in members and member not in found:
                    found.append(member)
        # any worksheet the workbook does not list is scanned too, after the listed ones
        rest = sorted(
            m for m in members if re.fullmatch(r"xl/worksheets/[^/]+\.xml", m) and m not in found
        )
        return found + rest

    def sheet_text(self, sheet: Part) -> TextMap:
        """A sheet a row a line, cells by TAB in column order (an empty cell is an empty field,
        so that every value stays under its header)."""
        out = TextMap()
        data = sheet.root.find(_s("sheetData"))
        if data is None:
            return out
        cap, length = safefile.limits().text_chars, 0
        for row in data.iterchildren(_s("row")):
            column, wrote = 0, False
            for cell in row.iterchildren(_s("c")):
                index = _column_index(cell.get("r", ""))
                if index is None or index < column:
                    index = column
                pieces = self._cell_pieces(cell)
                if pieces is None:
                    continue
                tabs = index - column + (1 if wrote else 0)
                length += tabs + sum(len(p if isinstance(p, str) else p.text) for p in pieces)
                if length > cap:
                    # far-apart cells would pad the text without end: refused, not cut
                    raise safefile.text_too_long(self.name)
                if tabs:
                    out.add("\t" * tabs)
                for piece in pieces:
                    out.add(piece)
                wrote, column = True, index + 1
            if wrote:
                out.add("\n")
                length += 1
        return out

    def _cell_pieces(self, cell) -> list[Segment | str] | None:
        kind = cell.get("t", "n")
        value = formula = inline = None
        for child in cell:  # one pass over the cell's few children
            tag = child.tag
            if tag == S_V:
                value = child
            elif tag == S_F:
                formula = child
            elif tag == S_IS:
                inline = child
        if kind == "s":
            try:
                return list(self.strings[int(value.text)])
            except (AttributeError, TypeError, ValueError, IndexError):
                return None
        if kind == "inlineStr":
            if inline is None:
                return None
            return [Segment(t) for t in inline.iter(S_T) if t.getparent().tag != S_RPH]
        if value is None or not value.text:
            return None
        if kind in ("e", "b"):
            return [value.text]  # an error or a flag: read, never personal
        if formula is not None:
            # a formula's last result (=B2&"", =D2): the formula is kept, the result masked;
            # Excel computes it again from the masked cells anyway
            return [FormulaResultSegment(cell, value)]
        if kind == "str":
            return [Segment(value)]
        return [NumberSegment(cell, value)]

    def text(self) -> str:
        return "".join(self.sheet_text(sheet).text() for sheet in self.sheets)


class NumberSegment(Segment):
    """A numeric cell holding a phone, ID or card number: masked, it becomes an inline string
    (a mask is not a number)."""

    __slots__ = ("cell",)

    def __init__(self, cell, value):
        super().__init__(value)
        self.cell = cell
        self.text = _number_text(self.text)

    def write(self, value: str) -> None:
        cell = self.cell
        for child in list(cell):
            if child.tag == _s("v"):
                cell.remove(child)
        cell.set("t", "inlineStr")
        inline = etree.SubElement(cell, _s("is"))
        t = etree.SubElement(inline, _s("t"))
        t.text = value


class FormulaResultSegment(Segment):
    """The cached result of a formula: masked, it is a string result (t="str")."""

    __slots__ = ("cell",)

    def __init__(self, cell, value):
        super().__init__(value)
        self.cell = cell
        if cell.get("t", "n") == "n":
            self.text = _number_text(self.text)

    def write(self, value: str) -> None:
        self.cell.set("t", "str")
        self.element.text = value


def xlsx_text(data: bytes, *, name: str) -> str:
    """What the shield scans in an Excel file: every sheet in order, a row a line, cells by TAB
    in column order, shared strings resolved; then the sheets' print headers and footers, the
    comments, shapes and charts, and the addresses of external links."""
    with safefile.SafeZip(data, name=name) as archive:
        package = Package(archive)
        book = Workbook(package, name)
        texts = [book.text()]
        for sheet in book.sheets:
            for element in sheet.root.iter(*(_s(t) for t in _HEADER_FOOTER)):
                if element.text:
                    texts.append(element.text + "\n")
        for member in package.namelist():
            if _XLSX_COMMENTS.fullmatch(member):
                root = _read_part(package, member, name).root
                for comment in root.iter():
                    if isinstance(comment.tag, str) and etree.QName(comment).localname in (
                        "comment",
                        "threadedComment",
                    ):
                        texts.append(_comment_text(comment) + "\n")
        texts.append(_extra_text(package, name))
    return "".join(texts)


def _comment_segments(comment) -> list[Segment]:
    """A comment's text: the <t> of its runs (legacy) or its <text> (threaded)."""
    return [
        Segment(t)
        for t in comment.iter()
        if isinstance(t.tag, str)
        and len(t) == 0
        and t.text
        and etree.QName(t).localname in ("t", "text")
    ]


def _comment_text(comment) -> str:
    return "".join(segment.text for segment in _comment_segments(comment))


_HEADER_FOOTER = (
    "oddHeader",
    "oddFooter",
    "evenHeader",
    "evenFooter",
    "firstHeader",
    "firstFooter",
)
_XLSX_COMMENTS = re.compile(r"xl/(?:comments[^/]*|comments/[^/]+|threadedComments/[^/]+)\.xml")
_XLSX_PEOPLE = "xl/persons/person.xml"


def _xlsx_parts(package: Package, name: str, finder: Finder, counts: Counter) -> list[Part]:
    book = Workbook(package, name)
    parts: list[Part] = []
    # Shared strings are shared: a finding in one cell masks the string wherever it is used.
    shared_touched: set[Segment] = set()
    shared_ids = {id(segment) for segments in book.strings for segment in segments}
    for sheet in book.sheets:
        textmap = book.sheet_text(sheet)
        text = textmap.text()
        if text.strip():
            for segment in textmap.apply(finder(text), counts):
                if id(segment) in shared_ids:
                    shared_touched.add(segment)
                else:
                    sheet.touched.add(segment)
        parts.append(sheet)
    if book.shared is not None:
        book.shared.touched |= shared_touched
        # phonetic guides (<rPh>) are not part of a cell's text: scanned on their own
        for t in book.shared.root.iter(_s("t")):
            if t.getparent().tag == _s("rPh") and t.text:
                segment = Segment(t)
                if _scan_plain(segment, finder, counts):
                    book.shared.touched.add(segment)
        parts.append(book.shared)
    for sheet in book.sheets:
        # the printed page's header and footer (&L经办人：张三&R第 &P 页)
        for element in sheet.root.iter(*(_s(t) for t in _HEADER_FOOTER)):
            if element.text:
                segment = Segment(element)
                if _scan_plain(segment, finder, counts):
                    sheet.touched.add(segment)
    for member in package.namelist():
        if member.endswith(".rels"):
            parts.append(_scan_relationships(package, member, name, finder, counts))
        elif _LOOSE_TEXT_PART.fullmatch(member):
            parts.append(_scan_loose_text(package, member, name, finder, counts))
        elif member.startswith("xl/pivotCache/"):
            parts.append(_xlsx_pivot_cache(package, member, name, finder, counts))
        elif _XLSX_COMMENTS.fullmatch(member):
            parts.append(_xlsx_comments(package, member, name, finder, counts))
        elif member == _XLSX_PEOPLE:
            part = _read_part(package, member, name)
            for person in part.root.iter():
                if isinstance(person.tag, str) and person.get("displayName"):
                    segment = Segment(person, "displayName")
                    if _scan_labelled(segment, finder, counts):
                        part.touched.add(segment)
            parts.append(part)
    parts += _property_parts(package, name, finder, counts)
    _xlsx_rename(package, name, finder, counts, parts)
    return parts


# --- XLSX sheet titles and defined names ------------------------------------------------------

# A masked title or defined name must stay a valid one: "*" is refused in both, so a name's
# hidden characters read 某 (王某明, itself a safe, partially masked name) and a number's X.
_TITLE_MAX = 31  # Excel's limit on a sheet title
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
# Elements of a worksheet whose text is a formula: cells, data validation, conditional
# formatting (and their x14 extensions, <xm:f>)
_FORMULA_TAGS = (
    S_F,
    _s("formula"),
    _s("formula1"),
    _s("formula2"),
    "{http://schemas.microsoft.com/office/excel/2006/main}f",
)
_FORMULA_WORD = re.compile(r"[\w.\\]+")


def _name_like(value: str, finder: Finder, counts: Counter) -> Segment:
    """A sheet title or defined name scanned for personal data, as a Segment whose edits hold
    the masks: what the detector finds in it ("户主王大明", "王大明_补助", with the names found
    elsewhere in the file), or the whole of it when it is a name on its own ("王大明")."""
    segment = _Detached(value)
    spaced = re.sub(r"[_.\\]", " ", value)  # 王大明_补助: the parts of a name read apart
    for f in finder(spaced):
        replacement = mask_value(f.type, f.text)
        if replacement != f.text:
            segment.edits.append((f.start, f.end, replacement))
            counts[f.type] += 1
    if not segment.edits:
        for piece in re.finditer(r"[^ 0-9]+", spaced):
            word = piece.group()
            if names.name_confidence(word, names.MEDIUM) >= 0.8:
                # read by the finder too, which records the name: it is masked in the cells
                finder("姓名：" + word)
                segment.edits.append((piece.start(), piece.end(), mask_value(PERSON_NAME, word)))
                counts[PERSON_NAME] += 1
    return segment


def _valid_masked(segment: Segment) -> str:
    """The masked title or name, with the mask characters a title or a name may hold."""
    segment.edits = [
        (
            start,
            end,
            replacement.replace("*", "X" if any(c.isdigit() for c in replacement) else "某"),
        )
        for start, end, replacement in segment.edits
    ]
    return segment.edited()


def _unique(value: str, taken: set[str], limit: int | None, joiner: str) -> str:
    """`value`, or with a number after it, unlike every (case-insensitive) name in `taken`."""
    candidate, n = value[:limit] if limit else value, 1
    while candidate.casefold() in taken:
        n += 1
        tail = f"{joiner}{n}"
        candidate = (value[: limit - len(tail)] if limit else value) + tail
    taken.add(candidate.casefold())
    return candidate


def rename_references(formula: str, sheets: dict[str, str], defined: dict[str, str]) -> str:
    """`formula` with its references to renamed sheets (张三!A1, '张 三'!A1) and defined names
    rewritten; the keys of both maps are case-folded old names. String literals, structured
    references ([…]) and sheets of other workbooks ([1]张三!A1) are left as they are."""
    out: list[str] = []
    i, n, after_bracket = 0, len(formula), False
    while i < n:
        c = formula[i]
        if c == '"':
            j = i + 1
            while j < n and not (formula[j] == '"' and formula[j + 1 : j + 2] != '"'):
                j += 2 if formula[j] == '"' else 1
            out.append(formula[i : j + 1])
            i, after_bracket = j + 1, False
        elif c == "[":
            depth, j = 0, i
            while j < n:
                depth += {"[": 1, "]": -1}.get(formula[j], 0)
                j += 1
                if depth == 0:
                    break
            out.append(formula[i:j])
            i, after_bracket = j, True
        elif c == "'":
            j = i + 1
            while j < n and not (formula[j] == "'" and formula[j + 1 : j + 2] != "'"):
                j += 2 if formula[j] == "'" else 1
            title = formula[i + 1 : j].replace("''", "'")
            new = sheets.get(title.casefold())
            if new is not None and formula[j + 1 : j + 2] == "!" and not after_bracket:
                out.append("'" + new.replace("'", "''") + "'")
            else:
                out.append(formula[i : j + 1])
            i, after_bracket = j + 1, False
        elif (m := _FORMULA_WORD.match(formula, i)) is not None:
            word, j = m.group(), m.end()
            key = word.casefold()
            if formula[j : j + 1] == "!":
                new = None if after_bracket else sheets.get(key)
                out.append("'" + new.replace("'", "''") + "'" if new is not None else word)
            elif key in defined and formula[j : j + 1] != "(":
                out.append(defined[key])
            else:
                out.append(word)
            i, after_bracket = j, False
        else:
            out.append(c)
            i, after_bracket = i + 1, False
    return "".join(out)


def _set_text(part: Part, element, attr: str | None, value: str) -> None:
    """Give `element` (or its `attr`) the text `value` when `part` is written, in place of
    any mask recorded on it before (a chart's <c:f> scanned as plain text)."""
    for segment in part.touched:
        if segment.element is element and segment.attr == attr:
            segment.edits = [(0, len(segment.text), value)]
            return
    segment = Segment(element, attr)
    if segment.text != value:
        segment.edits.append((0, len(segment.text), value))
        part.touched.add(segment)


def _xlsx_rename(
    package: Package, name: str, finder: Finder, counts: Counter, parts: list[Part]
) -> None:
    """Sheet titles and defined names holding personal data are masked, and every reference
    to them (cell formulas, data validation and conditional formatting, defined names, links
    inside the workbook, charts, pivot caches, the title list in docProps/app.xml) is rewritten
    to the new name, so the formulas keep working."""
    book = _read_part(package, "xl/workbook.xml", name)
    if book is None:
        return
    sheets: dict[str, str] = {}
    titles = {s.get("name", "").casefold() for s in book.root.iter(_s("sheet"))}
    for sheet in book.root.iter(_s("sheet")):
        title = sheet.get("name", "")
        segment = _name_like(title, finder, counts)
        if segment.edits:
            new = _unique(_valid_masked(segment), titles, _TITLE_MAX, " ")
            sheets[title.casefold()] = new
            sheet.set("name", new)
    defined: dict[str, str] = {}
    taken = {d.get("name", "").casefold() for d in book.root.iter(_s("definedName"))}
    for element in book.root.iter(_s("definedName")):
        old = element.get("name", "")
        if old.startswith("_xlnm.") or old.casefold() in defined:
            continue  # a built-in name (print area, filter) names no one
        segment = _name_like(old, finder, counts)
        if segment.edits:
            defined[old.casefold()] = _unique(_valid_masked(segment), taken, None, "_")
    if not sheets and not defined:
        return
    for element in book.root.iter(_s("definedName")):
        new_name = defined.get(element.get("name", "").casefold())
        if new_name is not None:
            element.set("name", new_name)
        if element.text:
            element.text = rename_references(element.text, sheets, defined)
    # workbook.xml is written again as its tree now is
    parts.append(_RewrittenPart(book))
    by_member = {part.member: part for part in parts}

    def part_of(member: str) -> Part | None:
        if member not in by_member:
            part = _read_part(package, member, name)
            if part is None:
                return None
            by_member[member] = part
            parts.append(part)
        return by_member[member]

    for member in package.namelist():
        if re.fullmatch(r"xl/worksheets/[^/]+\.xml", member):
            part = part_of(member)
            for element in part.root.iter(*_FORMULA_TAGS):
                if element.text:
                    _set_text(part, element, None, rename_references(element.text, sheets, defined))
            for link in part.root.iter(_s("hyperlink")):
                if link.get("location"):
                    new = rename_references(link.get("location"), sheets, defined)
                    _set_text(part, link, "location", new)
        elif re.fullmatch(r"xl/worksheets/_rels/[^/]+\.rels", member):
            # a link to a place in the workbook written as an address: #'王大明'!A1
            part = part_of(member)
            for rel in part.root.iter(f"{{{PR}}}Relationship"):
                target = rel.get("Target", "")
                if rel.get("TargetMode") == "External" and target.startswith("#"):
                    new = "#" + rename_references(target[1:], sheets, defined)
                    _set_text(part, rel, "Target", new)
        elif re.fullmatch(r"xl/charts/[^/]+\.xml", member):
            part = part_of(member)
            for element in part.root.iter(f"{{{_C}}}f"):
                if element.text:
                    _set_text(part, element, None, rename_references(element.text, sheets, defined))
        elif re.fullmatch(r"xl/pivotCache/pivotCacheDefinition[^/]*\.xml", member):
            part = part_of(member)
            for source in part.root.iter(_s("worksheetSource")):
                if source.get("sheet", "").casefold() in sheets:
                    _set_text(part, source, "sheet", sheets[source.get("sheet").casefold()])
                if source.get("name", "").casefold() in defined:
                    _set_text(part, source, "name", defined[source.get("name").casefold()])
    app = part_of("docProps/app.xml") if "docProps/app.xml" in package else None
    if app is not None:
        for element in app.root.iter(f"{{{_VT}}}lpstr"):
            old = (element.text or "").casefold()
            new = sheets.get(old, defined.get(old))
            if new is not None:
                _set_text(app, element, None, new)


class _RewrittenPart(Part):
    """A part whose tree was edited in place: written again as it now is."""

    def __init__(self, part: Part):
        super().__init__(part.member, part.data, part.root)

    def changed_bytes(self) -> bytes | None:
        return _serialise(self.root, self.data)


def _xlsx_pivot_cache(
    package: Package, member: str, name: str, finder: Finder, counts: Counter
) -> Part:
    """A pivot table's copy of its source data: each value is scanned under its field's name
    ("户主姓名：赵大明"), in the field definitions' shared items and in the records."""
    part = _read_part(package, member, name)
    fields = [f.get("name", "") for f in part.root.iter(_s("cacheField"))]
    definition = member.replace("Records", "Definition")
    if not fields and definition != member and definition in package:
        fields = [
            f.get("name", "") for f in _parse(package.read(definition), name).iter(_s("cacheField"))
        ]

    def scan_values(container, label: str) -> None:
        for item in container:
            if isinstance(item.tag, str) and item.get("v") and etree.QName(item).localname == "s":
                segment = Segment(item, "v")
                if _scan_labelled(segment, finder, counts, label=f"{label}："):
                    part.touched.add(segment)

    for label, cache_field in zip(fields, part.root.iter(_s("cacheField")), strict=False):
        for shared in cache_field.iter(_s("sharedItems")):
            scan_values(shared, label)
    for record in part.root.iter(_s("r")):
        for label, item in zip(fields, record, strict=False):
            scan_values([item], label)
    return part


def _xlsx_comments(
    package: Package, member: str, name: str, finder: Finder, counts: Counter
) -> Part:
    part = _read_part(package, member, name)
    authors: list[str] = []
    for element in part.root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == "author":
            if element.text:
                segment = Segment(element)
                found = _scan_labelled(segment, finder, counts)
                if found:
                    part.touched.add(segment)
                    authors += found
    # Excel writes the author's name at the head of the comment ("张三:\n…"): the names found
    # in the author list are masked wherever they appear in the comments.
    comment_finder = _with_names(finder, authors)
    for element in part.root.iter():
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).localname in ("comment", "threadedComment"):
            out = TextMap()
            for segment in _comment_segments(element):
                out.add(segment)
            text = out.text()
            if text.strip():
                part.touched |= out.apply(comment_finder(text), counts)
    return part


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


class _Detached(Segment):
    """A text that belongs to no XML element (a PDF bookmark, an annotation's contents)."""

    def __init__(self, text: str):
        self.element = None
        self.attr = None
        self.text = text
        self.edits = []


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
