"""Conditional GET for the public pages.

Each page declares a *stamp*: a few values read cheaply from the data the page shows (an item's
`updated_at`, the counts and latest change of the public items of a column's subtree, the last
audit event about the agency's columns, the agency's and its portal settings' values …). The
weak ETag is a hash of the stamp, and Last-Modified its latest time. A request whose
If-None-Match (or, without it, If-Modified-Since) still matches is answered 304 before the page
is rendered. A publication or a withdrawal changes the ETags of the pages showing it, and a
change to an agency's details those of the agency's pages, whatever the clock said when it was
saved: a clock that stands still, was set back or runs behind another server's may save a time
the stamp had already.

Because the stamp is made of the data the page shows and nothing else, a published change
invalidates exactly the pages that show it: publishing an item in one column changes the ETag of
that column's list (and its ancestors'), the catalogue, the agency's home and the item page,
and not another column's list or another agency's pages. The stamp also holds what else changes
the HTML: the language, the display preferences (font size, contrast) and the host of the
absolute canonical URL; responses therefore vary on Cookie and Accept-Language.

Pages may be stale for at most `MAX_AGE` seconds in a cache that does not revalidate;
`must-revalidate` makes a cache ask again after that (a cheap 304 when nothing changed).

Rendered pages are also kept on the server (`public_page(..., cache_stamp=...)`, Django's cache
alias `PAGE_CACHE`). An agency's pages are stored under a key made of the request (address,
language, host, display preferences) and a *cache stamp*: the agency's and its portal settings'
`updated_at` and its `PageGeneration` token, read in one statement by primary and unique keys
and remembered by the process for a second (selectors.page_cache_state). The token changes
after every commit that touches what the agency's pages show (signals.py), so a stored page is
not served once anything on it has changed (by another process: a second later), with any
cache backend, shared or per process; when the backend fails, pages are rendered as usual. The key is coarser than the ETag (one publication
makes all of the agency's stored pages obsolete, not only those showing it) because it must
cost nothing: the validators of a column list count its items. A stored page keeps the ETag
and Last-Modified it was rendered with, which stay right as long as its key does, so
conditional GETs are answered from the store as well.

Only pages for anonymous visitors are stored (a signed-in member of staff never reads or fills
the store), only at their canonical address or with a page number (so that made-up query
strings cannot fill it),
and only when nothing about the response is personal: no cookie set, no CSRF token used, no
session written, no message shown.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from calendar import timegm
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from importlib import metadata

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db.models import Model
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from gongkai.core.models import Agency

from .context_processors import display_prefs
from .models import PortalSettings

logger = logging.getLogger(__name__)

MAX_AGE = 60
# How long nginx's microcache (gongkai serve / deploy render) serves a page before asking the
# app again (If-None-Match: a 304 when nothing changed); nginx does not pass the header on.
# An agency's stored pages (those with a cache stamp) are kept settings.GONGKAI_FRONT_CACHE_SECONDS
# instead: the front's cache key carries the agency's generation (gongkai.portal.front), so a
# change reaches them within seconds however long they are kept; the other pages this.
FRONT_CACHE_SECONDS = 30
PAGE_CACHE = "portal"  # the alias in settings.CACHES
# Status codes whose pages are stored: a page, and the notice of a withdrawn item.
STORED_STATUS = (200, 410)
PAGE_NUMBER = re.compile(r"page=[1-9][0-9]{0,3}")

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


def row_values(instance: Model) -> tuple:
    """Every stored value of a row that was read in full.

    Its `updated_at` alone does not tell a change: a save on a clock that stands still, was set
    back or runs behind another server's can give it the value it already had. The values
    themselves change whenever what a page shows of them does, at no cost (the row is loaded).
    """
    return tuple(f.value_from_object(instance) for f in instance._meta.concrete_fields)


def agency_stamp(agency: Agency, settings: PortalSettings) -> Stamp:
    """The agency's details (office contacts, name) and its portal settings (header, footer)."""
    return stamp(
        "agency",
        row_values(agency),
        row_values(settings),  # unsaved defaults (no id, no time) until first saved
        times=[agency.updated_at, settings.updated_at],
    )


def etag_for(request, page: Stamp) -> str:
    prefs = display_prefs(request)
    material = repr(
        (RELEASE, request.get_host(), get_language(), prefs.font, prefs.contrast, page.parts)
    )
    digest = hashlib.sha256(material.encode()).hexdigest()[:32]
    return quote_etag(f'W/"{digest}"')


def _set_validators(
    response, etag: str, last_modified: int | None, front_seconds: int = FRONT_CACHE_SECONDS
) -> None:
    response.headers["ETag"] = etag
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}, must-revalidate"
    response.headers["X-Accel-Expires"] = str(front_seconds)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))


def _page_key(request, cache: Stamp) -> str:
    prefs = display_prefs(request)
    material = repr(
        (
            RELEASE,
            request.scheme,  # the absolute canonical URL
            request.get_host(),
            get_language(),
            prefs.font,
            prefs.contrast,
            request.get_full_path(),  # the preferences form sends it back as `next`
            cache.parts,
        )
    )
    return "portal:page:" + hashlib.sha256(material.encode()).hexdigest()


def _stored_address(request) -> bool:
    """The page's canonical address; or, for a list with no other parameter, any page number
    (past the last page, the last page is shown under the number asked for). Other query
    strings (`?from=…`, `?page=abc`) are rendered each time: they cannot fill the store."""
    canonical = getattr(request, "_portal_canonical", None)
    if canonical is None:
        return False
    if request.get_full_path() == canonical:
        return True
    return request.path == canonical.partition("?")[0] and bool(
        PAGE_NUMBER.fullmatch(request.META.get("QUERY_STRING", ""))
    )


def _storable(request, response) -> bool:
    """Whether the rendered response is the page anyone would get at this address."""
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return (
        response.status_code in STORED_STATUS
        and not response.streaming
        and not response.cookies
        and "private" not in response.headers.get("Cache-Control", "")
        and _stored_address(request)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not (messages is not None and (messages.used or messages.added_new))
    )


class _Recent:
    """The pages this process served last, kept as Python objects in front of the store.

    A read from the store costs a round trip and unpickling, about as much as the rest of
    serving a stored page; the keys carry the cache stamp, so an entry here is exactly as fresh
    as the store's. Bounded (least recently used out), thread-safe for threaded workers.
    """

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


recent = _Recent(settings.GONGKAI_PAGE_CACHE_RECENT)


def _stored(key: str):
    entry = recent.get(key)
    if entry is not None:
        return entry
    try:
        entry = caches[PAGE_CACHE].get(key)
    except Exception:  # a cache server down must not take the pages with it
        logger.warning("page cache: read failed", exc_info=True)
        return None
    if entry is not None:
        recent.put(key, entry)
    return entry


def _store(key: str, response, etag: str, last_modified: int | None) -> None:
    # Not compressed: inflating would cost a stored page a fifth of its time, and the memory it
    # saves (~10 kB a page) is bounded by the cache's MAX_ENTRIES anyway.
    headers = list(response.items())
    entry = (response.status_code, headers, response.content, etag, last_modified)
    store = caches[PAGE_CACHE]
    try:
        store.set(key, entry)
    except Exception:
        logger.warning("page cache: write failed", exc_info=True)
        return
    if not isinstance(store, DummyCache):  # the store switched off switches this off too
        recent.put(key, entry)


def _stored_response(request, entry):
    status, headers, body, etag, last_modified = entry
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is not None:  # 304 (or 412)
        _set_validators(response, etag, last_modified, settings.GONGKAI_FRONT_CACHE_SECONDS)
        return response
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


def public_page(
    page_stamp: Callable[..., Stamp], *, cache_stamp: Callable[..., Stamp | None] | None = None
):
    """Answer GET/HEAD conditionally from `page_stamp(request, **view_kwargs)`.

    The stamp function may raise Http404 (unknown agency, item not public): it runs first, so
    that a 304 never answers for a page that would not exist.

    With `cache_stamp(request, **view_kwargs)` the rendered page is stored and served again
    while that stamp (and the request's address, language, host and preferences) is the same;
    it must change whenever the page's ETag may change, and cost next to nothing (None: this
    request neither reads nor fills the store).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            key = None
            if (
                cache_stamp is not None
                and not request.user.is_authenticated
                and not isinstance(caches[PAGE_CACHE], DummyCache)  # the store switched off
            ):
                stored_as = cache_stamp(request, *args, **kwargs)
                key = None if stored_as is None else _page_key(request, stored_as)
            if key is not None:
                entry = _stored(key)
                if entry is not None:
                    return _stored_response(request, entry)
            page = page_stamp(request, *args, **kwargs)
            etag = etag_for(request, page)
            when = page.last_modified
            last_modified = timegm(when.utctimetuple()) if when else None
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            rendered = response is None
            if rendered:
                response = view(request, *args, **kwargs)
            if response.status_code in (200, 304, 410):
                front = FRONT_CACHE_SECONDS
                if cache_stamp is not None:  # an agency's page: the front keys it by generation
                    front = settings.GONGKAI_FRONT_CACHE_SECONDS
                _set_validators(response, etag, last_modified, front)
            if key is not None and rendered and _storable(request, response):
                _store(key, response, etag, last_modified)
            return response

        return wrapped

    return decorator
