"""Word (.docx): the text of its parts, and the parts scanned for masking."""

from __future__ import annotations

import re
from collections import Counter

from gongkai.core import safefile
from gongkai.privacy.documents.base import (
    _LOOSE_TEXT_PART,
    _W_SKIP,
    _W_WRAPPERS,
    PR,
    W_BR,
    W_CR,
    W_DELTEXT,
    W_FLDSIMPLE,
    W_HYPERLINK,
    W_INSTR,
    W_P,
    W_T,
    W_TAB,
    W_TBL,
    W_TC,
    W_TR,
    Finder,
    Package,
    Part,
    Segment,
    TextMap,
    _property_parts,
    _read_part,
    _scan_labelled,
    _scan_loose_text,
    _scan_plain,
    _scan_relationships,
    _w,
)
from gongkai.privacy.findings import Finding

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
