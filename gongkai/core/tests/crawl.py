"""A crawler that opens every URL pattern with hostile path and query values (test_crawl.py).

The patterns come from the URL resolver (the apps, the admin, the API's routes), so a new page
is crawled without being listed anywhere. For each pattern the crawler finds a URL that works by
following the links of the pages it opens (or fills the parameters with sample values), then
opens it with hostile values in place of one path parameter at a time (those the converter
accepts: a URL that no longer resolves to the same pattern is not sent) and with hostile values
in the query parameters the page reads. A 5xx answer, or an exception the test client re-raises,
is a failure; all of them are collected so that one run shows them all.

By default each parameter gets a few of the hostile values, a different few on each pattern
(so every value is sent to many views, and the whole crawl stays fast); GONGKAI_CRAWL_FULL=1
sends every value everywhere.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

FULL = os.environ.get("GONGKAI_CRAWL_FULL") == "1"
LONG = "x" * 3000
# Without FULL each path parameter gets these (where accepted) and ROTATING more of the others.
ALWAYS = ("-5", "9999", "99999999999999999999", "²", "\x00")
ROTATING = 2

HOSTILE_PATH_VALUES = (
    "0",
    "-5",
    "1e20",
    "1899",
    "9999",
    "9999999",
    "2147483648",  # one past PostgreSQL's integer
    "9223372036854775808",  # one past a 64-bit integer
    "99999999999999999999",
    LONG,
    "..",
    "../",
    "%00",
    "\x00",
    "六横镇",
    "²",  # str.isdigit() says yes, int() says no
    "<script>alert(1)</script>",
    "1' OR '1'='1",
)

# Query parameters the views read (request.GET and forms bound to it); the names of each page's
# GET forms and links, and of the API's query schemas, are added to these.
KNOWN_QUERY_PARAMS = (
    "page",
    "page_size",
    "start",
    "days",
    "year",
    "q",
    "sort",
    "status",
    "agency",
    "format",
    "version",
    "type",
    "sector",
    "reference",
    "policy",
    "platform",
    "next",
    "font",
    "contrast",
    "topic",
    "genre",
    "column",
    "code",
    "o",
    "p",
)
DATE_NAME = re.compile(r"(^|_)(start|end|from|to|date|on|since|until|day|after|before)$")
# One set per request: a date-like name gets the set's date, `days` its count, the rest value.
HOSTILE_QUERY_SETS = (
    {"value": "99999999999999999999", "date": "9999-12-31", "days": "400"},
    {"value": "²", "date": "0001-01-01", "days": "-5"},
    {"value": "1e20", "date": "1e20", "days": "1e20"},
    {"value": "<script>六横\x00</script>", "date": "2026-02-30", "days": "9999999"},
    {"value": LONG, "date": "99999-01-01", "days": "99999999999999999999"},
    {"value": "-5", "date": "2026-13-01", "days": "²"},
)
ABSURD_PAGE = "99999999999999999999"


def _refuse_nul(execute, sql, params, many, context):
    rows = params if many else [params]
    for row in rows or []:
        values = row.values() if isinstance(row, dict) else (row or [])
        for value in values:
            if isinstance(value, str) and "\x00" in value:
                raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


def like_postgresql():
    """Refuse, as PostgreSQL does, a query whose text holds NUL: SQLite stores it, so a view that
    passes a URL's "%00" to the database fails only in production. Use as a context manager."""
    return connection.execute_wrapper(_refuse_nul)


@dataclass(eq=False)
class Route:
    """One URL pattern; `route` is what ResolverMatch.route says for its URLs."""

    route: str
    pattern: URLPattern
    formats: list[tuple[str, list[str]]]
    example: dict[str, str] | None = None  # the path parameters of a URL that answered 200
    query_names: set[str] = field(default_factory=set)  # read by its page (forms, links)
    list_id: str | None = None  # an API list's first id

    @property
    def params(self) -> list[str]:
        return self.formats[0][1] if self.formats else []

    def url(self, values: dict[str, str]) -> str | None:
        for text, params in self.formats:
            if set(params) <= set(values):
                return "/" + text % {name: quote(values[name], safe="") for name in params}
        return None


def routes(patterns=None, prefix: str = "", regex: str = "") -> list[Route]:
    """Every URL pattern below `patterns` (by default the project's), in resolving order; a path
    the API declares once per method is one route (its first pattern answers every method)."""
    top = patterns is None
    found: list[Route] = []
    for entry in get_resolver().url_patterns if top else patterns:
        route = URLResolver._join_route(prefix, str(entry.pattern))
        joined = regex + entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            found += routes(entry.url_patterns, route, joined)
        else:
            joined = joined.removesuffix(r"\Z").removesuffix("$")
            found.append(Route(route, entry, [(t, p) for t, p in normalize(joined)]))
    if not top:
        return found
    unique: dict[str, Route] = {}
    for item in found:
        unique.setdefault(item.route, item)
    return list(unique.values())


class _Page(HTMLParser):
    """The links of a page and the parameter names of its GET forms."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.names: set[str] = set()
        self._get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._get_form and attrs.get("name"):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._get_form = False


@dataclass
class Failure:
    url: str
    problem: str

    def __str__(self) -> str:
        shown = self.url if len(self.url) <= 160 else self.url[:160] + "…"
        return f"{shown} → {self.problem}"


class Crawler:
    """Opens URLs with a test client and collects every 5xx answer or raised exception.

    headers_for(url): extra request headers (the API's token); samples: path parameter values
    by name for patterns no link led to.
    """

    def __init__(self, client, *, headers_for=None, samples: dict[str, str] | None = None):
        self.client = client
        self.headers_for = headers_for or (lambda url: {})
        self.samples = samples or {}
        self.failures: list[Failure] = []
        self.opened = 0
        self.routes = routes()
        self._by_route = {r.route: r for r in self.routes}
        self._resolver = get_resolver()

    def open(self, url: str, query: dict[str, str] | None = None):
        """GET `url`; a failure is recorded, the response (or None) returned."""
        target = url + ("?" + urlencode(query) if query else "")
        self.opened += 1
        try:
            with like_postgresql():
                response = self.client.get(target, **self.headers_for(url))
        except Exception as exc:  # noqa: BLE001 - every exception is a finding
            self.failures.append(Failure(target, f"{type(exc).__name__}: {exc}"[:300]))
            return None
        if response.status_code >= 500:
            self.failures.append(Failure(target, f"status {response.status_code}"))
        return response

    def match(self, url: str) -> Route | None:
        try:
            found = self._resolver.resolve(unquote(urlsplit(url).path))
        except (Resolver404, ValueError):
            return None
        return self._by_route.get(found.route)

    # -- a URL that works for each pattern ---------------------------------------------------

    def discover(self, seeds: Iterable[str]) -> None:
        """Follow links from `seeds`, opening one URL per pattern, and keep those that answer
        200 as the patterns' examples."""
        queue = list(seeds)
        tries: dict[str, int] = {}
        while queue:
            url = queue.pop(0)
            route = self.match(url)
            if route is None or route.example is not None or tries.get(route.route, 0) >= 3:
                continue
            tries[route.route] = tries.get(route.route, 0) + 1
            parts = urlsplit(url)
            response = self.open(parts.path, dict(parse_qsl(parts.query)))
            if response is None or response.status_code != 200:
                continue
            kwargs = self._resolver.resolve(unquote(parts.path)).kwargs
            route.example = {k: str(v) for k, v in kwargs.items() if k in route.params}
            queue += self._read(response, route)

    def _read(self, response, route: Route) -> list[str]:
        content_type = response.get("Content-Type", "")
        if "json" in content_type:
            self._read_list(response, route)
            return []
        if "html" not in content_type:
            return []
        page = _Page()
        page.feed(response.content.decode("utf-8", "replace"))
        route.query_names |= page.names
        links = []
        for href in page.links:
            parts = urlsplit(href)
            if not parts.scheme and not parts.netloc and parts.path.startswith("/"):
                if self.match(href) is route:
                    route.query_names |= {name for name, _value in parse_qsl(parts.query)}
                links.append(href)
        return links

    def _read_list(self, response, route: Route) -> None:
        try:
            data = json.loads(response.content)
        except ValueError:
            return
        rows = data.get("items") if isinstance(data, dict) else data
        if isinstance(rows, list) and rows and isinstance(rows[0], dict) and "id" in rows[0]:
            route.list_id = str(rows[0]["id"])

    def example(self, route: Route) -> dict[str, str]:
        """The route's path parameters: those of a URL that worked, else sample values (an API
        detail "<list>/<x_id>" takes the first id of the list at "<list>")."""
        if route.example is not None:
            return route.example
        if route.params:
            # "items/<pk>/edit/" takes its values from "items/<pk>/" when a link led there
            stem = route.route[: route.route.rindex(">") + 1]
            for other in self.routes:
                if other.example and other.route.startswith(stem):
                    return {name: other.example[name] for name in route.params}
        head = route.route.split("<", 1)[0].rstrip("/")
        listed = next(
            (r.list_id for r in self.routes if r.list_id and r.route.rstrip("/") == head), None
        )
        values = {}
        for index, name in enumerate(route.params):
            values[name] = self.samples.get(name) or (listed if index == 0 else None) or "1"
        return values

    # -- the hostile requests -----------------------------------------------------------------

    def attack(self, route: Route, index: int, query_names: Iterable[str] = ()) -> None:
        """Open `route` with hostile values; `index` picks which of them (without FULL)."""
        base = self.example(route)
        url = route.url(base)
        if url is None:
            self.failures.append(Failure(route.route, "no URL could be built for the pattern"))
            return
        for name in route.params:
            accepted = []
            for value in HOSTILE_PATH_VALUES:
                hostile = route.url({**base, name: value})
                if hostile is not None and self.match(hostile) is route:
                    accepted.append((value, hostile))
            always = [url for value, url in accepted if value in ALWAYS]
            others = [url for value, url in accepted if value not in ALWAYS]
            for hostile in always + _some(others, index, ROTATING):
                self.open(hostile)
        own = route.query_names | set(query_names)
        every = sorted(set(KNOWN_QUERY_PARAMS) | own)
        edges, digit, *others = HOSTILE_QUERY_SETS  # the first two always, one more in turn
        for hostile_set in [edges, digit, *_some(others, index, 1)]:
            self.open(url, _query(every, hostile_set))
        # one by one, the names the page itself reads: together, a first invalid value could
        # hide what the view does with the next
        for offset, name in enumerate(sorted(own)):
            for hostile_set in [digit, *_some([edges, *others], index + offset, 1)]:
                self.open(url, _query([name], hostile_set))
        self.open(url, {"page": ABSURD_PAGE})

    def crawl(self, only: Iterable[Route], query_names: dict[str, set[str]]) -> list[Failure]:
        for index, route in enumerate(only):
            self.attack(route, index, query_names.get(route.route, ()))
        return self.failures


def _some(values: list, index: int, count: int) -> list:
    """All of `values` with FULL, else `count` of them starting at a place set by `index`."""
    if FULL or len(values) <= count:
        return values
    start = (index * count) % len(values)
    return [values[(start + i) % len(values)] for i in range(count)]


def _query(names: Iterable[str], hostile_set: dict[str, str]) -> dict[str, str]:
    query = {}
    for name in names:
        if name == "days":
            query[name] = hostile_set["days"]
        elif DATE_NAME.search(name):
            query[name] = hostile_set["date"]
        else:
            query[name] = hostile_set["value"]
    return query


def openapi_path(route: str) -> str:
    """ "api/v1/items/<int:item_id>" → "/api/v1/items/{item_id}", the schema's spelling."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def api_get_operations(schema: dict) -> dict[str, set[str]]:
    """The query parameter names of each GET operation of an OpenAPI schema, by its path."""
    found = {}
    for path, operations in schema.get("paths", {}).items():
        if "get" in operations:
            parameters = operations["get"].get("parameters", [])
            found[path] = {p["name"] for p in parameters if p.get("in") == "query"}
    return found
