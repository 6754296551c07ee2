"""HTML: a standalone document (title, the sections with their narrative and tables), the
tables drawn from the layout grids with rowspan/colspan like the official layout. The same
body is shown on the public report page and, with PDF page rules, printed by WeasyPrint. A draft carries a banner and a fixed diagonal 草稿 mark, which WeasyPrint
repeats on every page of the PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string

from . import DRAFT_MARK, DRAFT_NOTE, ReportDocument
from .layout import Grid, grids


@dataclass
class SectionPart:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def sections(doc: ReportDocument, sources: dict | None = None) -> list[SectionPart]:
    """The document in reading order: the preamble, the format's sections with their narrative
    and tables, then any other narrative (a section the format does not name)."""
    fmt = doc.format
    by_table = grids(fmt, doc.cells, sources)
    narrative = dict(doc.narrative)
    out: list[SectionPart] = []
    if narrative.get(""):
        out.append(SectionPart("", paragraphs(narrative.pop(""))))
    shown_tables: set[str] = set()
    for section in fmt.sections:
        text = narrative.pop(section.title, "")
        part = SectionPart(section.title, paragraphs(text))
        for key in section.tables:
            part.grids.append(by_table[key])
            shown_tables.add(key)
        out.append(part)
    for table in fmt.tables:
        if table.key not in shown_tables:
            out.append(SectionPart("", [], [by_table[table.key]]))
    for title, text in narrative.items():
        out.append(SectionPart(title, paragraphs(text)))
    return out


def context(doc: ReportDocument, sources: dict | None = None) -> dict:
    return {"doc": doc, "title": doc.title, "sections": sections(doc, sources)}


def render_html(doc: ReportDocument, *, for_print: bool = False) -> str:
    return render_to_string(
        "reports/export.html",
        {
            **context(doc),
            "for_print": for_print,
            "draft_mark": DRAFT_MARK,
            "draft_note": DRAFT_NOTE,
        },
    )
