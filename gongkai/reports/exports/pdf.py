"""PDF: the HTML export with page rules, printed by WeasyPrint with the offline URL fetcher of
the application letters (nothing is fetched: no network, no file system)."""

from __future__ import annotations

from gongkai.applications.render import _offline_fetcher

from . import ReportDocument
from .html import render_html


def render_pdf(doc: ReportDocument) -> bytes:
    from weasyprint import HTML

    html = render_html(doc, for_print=True)
    return HTML(string=html, base_url="about:blank", url_fetcher=_offline_fetcher()).write_pdf()
