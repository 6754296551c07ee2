"""Excel (.xlsx): cells, comments, headers and footers; sheet titles and defined names renamed
with every reference to them."""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from gongkai.core import safefile
from gongkai.privacy import names
from gongkai.privacy.documents.base import (
    _LOOSE_TEXT_PART,
    PR,
    Finder,
    Package,
    Part,
    R,
    S,
    Segment,
    TextMap,
    _Detached,
    _parse,
    _property_parts,
    _read_part,
    _scan_labelled,
    _scan_loose_text,
    _scan_plain,
    _scan_relationships,
    _serialise,
    _with_names,
)
from gongkai.privacy.documents.docx import _extra_text
from gongkai.privacy.findings import PERSON_NAME
from gongkai.privacy.masking import mask_value

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
