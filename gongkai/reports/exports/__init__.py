"""Exporting an annual report: HTML, DOCX, PDF, XLSX and JSON from one `ReportDocument` (the
format, the cells, the narrative, the agency and the year).

``export(document, kind)`` → ``Export(content, content_type, filename)``. Every layout is the
format's data (gongkai/reports/exports/layout.py builds one grid per table, which each renderer
draws), so re-importing the exported HTML or DOCX with gongkai.reports.importers gives back the
same cells. A draft (``from_computed``: not a published version) carries a 草稿 watermark in
every kind but JSON (``DRAFT_MARK``); a published version has none. Unlike the published pre-2019 tables, a zero is printed as 0 (only a blank cell
is blank): an export must not lose the difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from gongkai.reports.formats import Format, get
from gongkai.reports.lint import as_number
from gongkai.reports.narrative import render_narrative

KINDS = ("html", "docx", "pdf", "xlsx", "json")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# the watermark of a draft's exports (a fact printed on the document, Chinese like the tables)
DRAFT_MARK = "草稿"
DRAFT_NOTE = "草稿：未经审核发布，不得作为正式报告引用"
# What a file name may not hold on Windows, macOS or Linux (the name itself is Chinese, sent
# RFC 5987-encoded by django.utils.http.content_disposition_header).
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\\/:*?"<>|]+')


@dataclass(frozen=True)
class ReportDocument:
    format: Format
    year: int
    agency_name: str
    cells: dict
    narrative: dict[str, str] = field(default_factory=dict)
    agency_slug: str = ""
    version: int | None = None
    published_at: datetime | None = None
    correction_note: str = ""
    # computed from the records now, not a published version: every export is marked 草稿
    draft: bool = False

    @property
    def title(self) -> str:
        return f"{self.agency_name}{self.year}年政府信息公开工作年度报告"

    def value(self, cell_key: str):
        return self.cells.get(cell_key)


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def document(
    fmt: Format | str,
    *,
    year: int,
    agency_name: str,
    cells: dict,
    narrative: dict | None = None,
    **extra,
) -> ReportDocument:
    """A document from cells as JSON gives them (numbers, numeric strings, None). The narrative
    is rendered: its {{cell:…}} tokens become the figures of these cells (gongkai/reports/
    narrative.py), so every export quotes the figures its tables show."""
    fmt = get(fmt) if isinstance(fmt, str) else fmt
    cells = {key: as_number(cells.get(key)) for key in fmt.cell_keys()}
    return ReportDocument(
        format=fmt,
        year=year,
        agency_name=agency_name,
        cells=cells,
        narrative=render_narrative(narrative, cells),
        **extra,
    )


def from_version(version) -> ReportDocument:
    """The document of a published version (what the public sees)."""
    report = version.report
    return document(
        report.format,
        year=report.year,
        agency_name=report.agency.name,
        agency_slug=report.agency.slug,
        cells=version.cells,
        narrative=version.narrative,
        version=version.number,
        published_at=version.published_at,
        correction_note=version.correction_note,
    )


def from_computed(computed, narrative: dict | None = None) -> ReportDocument:
    """The document of a report computed from the records now (a draft)."""
    return document(
        computed.format,
        year=computed.year,
        agency_name=computed.agency.name,
        agency_slug=computed.agency.slug,
        cells=computed.cells,
        narrative=narrative,
        draft=True,
    )


def file_name(doc: ReportDocument, kind: str) -> str:
    """The report's title as the officer would name the file: 六横镇人民政府2025年政府信息公开工作
    年度报告[（第n版）].<kind>."""
    stem = _UNSAFE_NAME.sub("-", doc.title)
    if doc.version:
        stem += f"（第{doc.version}版）"
    return f"{stem}.{kind}"


def export(doc: ReportDocument, kind: str) -> Export:
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}; one of {', '.join(KINDS)}")
    if kind == "html":
        from .html import render_html

        content = render_html(doc).encode("utf-8")
    elif kind == "docx":
        from .docx import render_docx

        content = render_docx(doc)
    elif kind == "pdf":
        from .pdf import render_pdf

        content = render_pdf(doc)
    elif kind == "xlsx":
        from .xlsx import render_xlsx

        content = render_xlsx(doc)
    else:
        from .json import render_json

        content = render_json(doc).encode("utf-8")
    return Export(content, CONTENT_TYPES[kind], file_name(doc, kind))
