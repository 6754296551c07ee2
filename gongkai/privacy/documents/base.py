"""What every format shares: the finder, the error and the result; text built from XML elements
(or a loose string) with a map from offsets back to them; a DOCX or XLSX package's XML parts,
and the parts both formats hold (drawings and charts, link addresses, document properties)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lxml import etree

from gongkai.core import safefile
from gongkai.privacy.findings import PERSON_NAME, Finding
from gongkai.privacy.masking import mask_value

Finder = Callable[[str], list[Finding]]


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


class _Detached(Segment):
    """A text that belongs to no XML element (a PDF bookmark, an annotation's contents)."""

    def __init__(self, text: str):
        self.element = None
        self.attr = None
        self.text = text
        self.edits = []
