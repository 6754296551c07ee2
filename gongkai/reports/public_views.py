"""The public 年度报告 pages of an agency's portal: the published reports, and one report's latest
published version as HTML with its DOCX, PDF and XLSX downloads.

Rendered for every request (no stored copy, see portal/caching.py): they carry no form and no
personal data. A download of a published version is rendered once and kept in the cache (a
version never changes; a correction is a new version with a new key)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from gongkai.core import sites

from . import exports, selectors
from .exports.html import sections

PUBLIC_DOWNLOADS = ("docx", "pdf", "xlsx")
CACHE_SECONDS = 24 * 3600


def _site(slug: str):
    agency = get_object_or_404(sites.public_agencies(), slug=slug)
    return sites.site_for(agency)


def _context(request, site, **extra) -> dict:
    return {
        "site": site,
        "agency": site.agency,
        "nav": "annual-reports",
        "canonical_url": request.build_absolute_uri(request.path),
        **extra,
    }


@require_safe
def report_list(request, agency: str):
    site = _site(agency)
    reports = selectors.published_reports(site.agency).annotate(
        published_at=Max("versions__published_at")
    )
    return render(request, "reports/public_list.html", _context(request, site, reports=reports))


def _version(site, year: int):
    version = selectors.published_version(site.agency, year)
    if version is None:
        raise Http404
    return version


@require_safe
def report_detail(request, agency: str, year: int):
    site = _site(agency)
    version = _version(site, year)
    doc = exports.from_version(version)
    return render(
        request,
        "reports/public_detail.html",
        _context(
            request,
            site,
            doc=doc,
            title=doc.title,
            sections=sections(doc),
            version=version,
            downloads=PUBLIC_DOWNLOADS,
        ),
    )


@require_safe
def report_download(request, agency: str, year: int, kind: str):
    if kind not in PUBLIC_DOWNLOADS:
        raise Http404
    site = _site(agency)
    version = _version(site, year)
    key = f"reports:export:{version.pk}:{kind}"
    content = cache.get(key)
    doc = exports.from_version(version)
    if content is None:
        content = exports.export(doc, kind).content
        cache.set(key, content, CACHE_SECONDS)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(True, exports.file_name(doc, kind))
    return response
