"""Conditional GET for the public pages.

Each page declares a *stamp*: a few values read cheaply from the data the page shows (an item's
`updated_at`, the count and latest change of the public items of a column's subtree, the last
audit event about the agency's columns, the portal settings …). The weak ETag is a hash of the
stamp, and Last-Modified its latest time. A request whose If-None-Match (or, without it,
If-Modified-Since) still matches is answered 304 before the page is rendered.

Because the stamp is made of the data the page shows and nothing else, a published change
invalidates exactly the pages that show it: publishing an item in one column changes the ETag of
that column's list (and its ancestors'), the catalogue, the agency's home and the item page,
and not another column's list or another agency's pages. The stamp also holds what else changes
the HTML: the language, the display preferences (font size, contrast) and the host of the
absolute canonical URL; responses therefore vary on Cookie and Accept-Language.

Pages may be stale for at most `MAX_AGE` seconds in a cache that does not revalidate;
`must-revalidate` makes a cache ask again after that (a cheap 304 when nothing changed).
"""

from __future__ import annotations

import hashlib
from calendar import timegm
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from importlib import metadata

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from gongkai.core.models import Agency

from .context_processors import display_prefs
from .models import PortalSettings

MAX_AGE = 60

try:
    # A new release may render the same data differently: its pages get new ETags.
    RELEASE = metadata.version("gongkai")
except metadata.PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    RELEASE = "dev"


@dataclass(frozen=True)
class Stamp:
    """What a page's validators are made of: `parts` for the ETag, `times` for Last-Modified."""

    parts: tuple = ()
    times: tuple[datetime | None, ...] = field(default=())

    def __add__(self, other: Stamp) -> Stamp:
        return Stamp(self.parts + other.parts, self.times + other.times)

    @property
    def last_modified(self) -> datetime | None:
        known = [t for t in self.times if t is not None]
        return max(known) if known else None


def stamp(*parts, times: Iterable[datetime | None] = ()) -> Stamp:
    return Stamp(tuple(parts), tuple(times))


def agency_stamp(agency: Agency, settings: PortalSettings) -> Stamp:
    """The agency's details (office contacts, name) and its portal settings (header, footer)."""
    return stamp(
        "agency",
        agency.pk,
        agency.updated_at,
        settings.pk,
        settings.updated_at,
        times=[agency.updated_at, settings.updated_at],
    )


def etag_for(request, page: Stamp) -> str:
    prefs = display_prefs(request)
    material = repr(
        (RELEASE, request.get_host(), get_language(), prefs.font, prefs.contrast, page.parts)
    )
    digest = hashlib.sha256(material.encode()).hexdigest()[:32]
    return quote_etag(f'W/"{digest}"')


def _set_validators(response, etag: str, last_modified: int | None) -> None:
    response.headers["ETag"] = etag
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}, must-revalidate"
    patch_vary_headers(response, ("Cookie", "Accept-Language"))


def public_page(page_stamp: Callable[..., Stamp]):
    """Answer GET/HEAD conditionally from `page_stamp(request, **view_kwargs)`.

    The stamp function may raise Http404 (unknown agency, item not public): it runs first, so
    that a 304 never answers for a page that would not exist.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            page = page_stamp(request, *args, **kwargs)
            etag = etag_for(request, page)
            when = page.last_modified
            last_modified = timegm(when.utctimetuple()) if when else None
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if response is None:
                response = view(request, *args, **kwargs)
            if response.status_code in (200, 304, 410):
                _set_validators(response, etag, last_modified)
            return response

        return wrapped

    return decorator
