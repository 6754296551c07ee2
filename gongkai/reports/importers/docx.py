"""DOCX: paragraphs and tables in document order (python-docx). Merged cells: a horizontally
merged cell is one cell (its grid span), a vertical-merge continuation is left out."""

from __future__ import annotations

from docx import Document
from docx.oxml.ns import qn

from .base import Block, ImportedReport, ReportImportError
from .walk import parse_blocks


def _cell_text(tc) -> str:
    texts = []
    for p in tc.iter(qn("w:p")):
        texts.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return " ".join(" ".join(texts).split())


def _table_blocks(tbl) -> list[Block]:
    blocks: list[Block] = []
    for tr in tbl.iter(qn("w:tr")):
        cells: list[str] = []
        for tc in tr.iterchildren(qn("w:tc")):
            props = tc.find(qn("w:tcPr"))
            if props is not None:
                vmerge = props.find(qn("w:vMerge"))
                if vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue"):
                    continue
            cells.append(_cell_text(tc))
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(cells) == 1:
            blocks.append(Block([filled[0]]))
        else:
            blocks.append(Block(cells, table=True))
    return blocks


def blocks_from_docx(path_or_file) -> list[Block]:
    """The blocks of a DOCX (a path, or a binary file), read only once the safe reader has
    checked the archive (gongkai.core.safefile; a refusal is a ReportImportError)."""
    import io
    from pathlib import Path

    from gongkai.core import safefile

    if isinstance(path_or_file, str | Path):
        name, data = Path(path_or_file).name, Path(path_or_file).read_bytes()
    else:
        name, data = getattr(path_or_file, "name", "") or "DOCX", path_or_file.read()
    try:
        safefile.check_zip(data, name=str(name))
    except safefile.FileRefused as exc:
        raise ReportImportError(str(exc)) from None
    document = Document(io.BytesIO(data))
    blocks: list[Block] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            for line in text.split("\n"):
                blocks.append(Block([line]))
        elif child.tag == qn("w:tbl"):
            blocks.extend(_table_blocks(child))
    for number, block in enumerate(blocks, 1):
        block.line = number  # a paragraph or a table row is a line of the document
    return blocks


def import_docx(path_or_file, *, format_key: str | None = None) -> ImportedReport:
    return parse_blocks(blocks_from_docx(path_or_file), format_key=format_key)
