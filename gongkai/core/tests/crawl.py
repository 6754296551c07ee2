"""A crawler that opens every URL pattern with hostile path and query values.

Every pattern comes from the URL resolver (the Django apps, the admin and the API's routes), so a
new page is crawled without being listed here. For each pattern the crawler finds a working URL
by following the links of the pages it opened (or fills the parameters with known values), then
opens it with each hostile value its converters accept in place of one parameter at a time, and
with hostile values in every query parameter the page is known to read. Any 5xx answer (or an
exception the test client re-raises) is a failure; all of them are collected so that one run
shows them all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

LONG = "x" * 3000
# Values a path parameter may be filled with; each is used only where the pattern's converter
# accepts it (a URL that no longer resolves to the same pattern is skipped).
HOSTILE_PATH_VALUES = (
    "0",
    "-5",
    "1e20",
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
    "六横镇²",
    "²",  # str.isdigit() says yes, int() says no
    "<script>alert(1)</script>",
    "1' OR '1'='1",
)
# Query parameters the views read (request.GET, forms bound to it, the API's Query schemas);
# the names found in each page's GET forms and links and in the OpenAPI schema are added.
KNOWN_QUERY_PARAMS = (
    "page",
    "page_size",
    "start",
    "days",
    "year",
    "month",
    "q",
    "sort",
    "order",
    "status",
    "agency",
    "format",
    "fmt",
    "kind",
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
    "number",
    "o",
    "p",
)
DATE_NAMES = re.compile(r"(^|_)(start|end|from|to|date|on|since|until|day)$")
# Each crawl of a page's query sends these sets one after another; a date-like name gets the
# set's date, every other name its value.
HOSTILE_QUERY_SETS = (
    {"value": "99999999999999999999", "date": "9999-12-31", "days": "400"},
    {"value": "-5", "date": "0001-01-01", "days": "-5"},
    {"value": "1e20", "date": "1e20", "days": "1e20"},
    {"value": "<script>六横²\x00</script>", "date": "2026-02-30", "days": "9999999"},
    {"value": LONG, "date": "99999-01-01", "days": "99999999999999999999"},
)


@dataclass
class Route:
    """One URL pattern, as the resolver joins it (`route` is what ResolverMatch.route says)."""

    route: str
    pattern: URLPattern
    formats: list[tuple[str, list[str]]]
    name: str = ""
    example: dict[str, str] | None = None  # path parameters of a URL that worked
    query_names: set[str] = field(default_factory=set)

    @property
    def params(self) -> list[str]:
        return self.formats[0][1] if self.formats else []

    def url(self, values: dict[str, str]) -> str | None:
        for text, params in self.formats:
            if set(params) <= set(values):
                return "/" + text % {name: quote(values[name], safe="") for name in params}
        return None


def _regex(pattern) -> str:
    if isinstance(pattern, RoutePattern | RegexPattern):
        return pattern.regex.pattern
    raise TypeError(pattern)


def routes(patterns=None, prefix: str = "", regex: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern below `patterns` (by default the project's), first match first."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    found: list[Route] = []
    for entry in patterns:
        route = URLResolver._join_route(prefix, str(entry.pattern))
        joined = regex + _regex(entry.pattern).removeprefix("^")
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += routes(entry.url_patterns, route, joined, inner)
        else:
            joined = joined.removesuffix(r"\Z").removesuffix("$")
            formats = [(text, params) for text, params in normalize(joined)]
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            found.append(Route(route=route, pattern=entry, formats=formats, name=name))
    # the API declares each path once per method; the first entry answers all of them
    unique: dict[str, Route] = {}
    for item in found:
        unique.setdefault(item.route, item)
    return list(unique.values())


class _Links(HTMLParser):
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
        shown = self.url if len(self.url) <= 200 else self.url[:200] + "…"
        return f"{shown} → {self.problem}"


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


class Crawler:
    """Opens URLs with a test client and collects every 5xx answer or raised exception."""

    def __init__(self, client, *, headers_for=None, samples: dict[str, str] | None = None):
        self.client = client
        self.headers_for = headers_for or (lambda url: {})
        self.samples = samples or {}
        self.failures: list[Failure] = []
        self.opened = 0
        self.routes = routes()
        self._resolver = get_resolver()

    # -- opening ------------------------------------------------------------------------------

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
        path = urlsplit(url).path
        try:
            found = self._resolver.resolve(_unquote(path))
        except (Resolver404, ValueError):
            return None
        for route in self.routes:
            if route.route == found.route:
                return route
        return None

    # -- finding a working URL per pattern ----------------------------------------------------

    def discover(self, seeds: Iterable[str], limit: int = 400) -> None:
        """Follow links from `seeds`, keeping the first URL that works for each pattern."""
        queue = list(seeds)
        seen: set[str] = set()
        while queue and len(seen) < limit:
            url = queue.pop(0)
            route = self.match(url)
            if route is None or route.route in seen:
                continue
            seen.add(route.route)
            response = self.open(urlsplit(url).path, dict(parse_qsl(urlsplit(url).query)))
            if response is None or response.status_code != 200:
                continue
            kwargs = self._resolver.resolve(_unquote(urlsplit(url).path)).kwargs
            route.example = {k: str(v) for k, v in kwargs.items() if k in route.params}
            queue += self._links(response, route)

    def _links(self, response, route: Route) -> list[str]:
        content_type = response.get("Content-Type", "")
        if "html" not in content_type:
            if "json" in content_type:
                route.query_names |= self._json_ids(response, route)
            return []
        parser = _Links()
        parser.feed(response.content.decode("utf-8", "replace"))
        route.query_names |= parser.names
        links = []
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            route.query_names |= {name for name, _ in parse_qsl(parts.query)}
            links.append(href)
        return links

    def _json_ids(self, response, route: Route) -> set[str]:
        # an API list gives the ids its detail routes take ("items/<item_id>")
        try:
            data = json.loads(response.content)
        except ValueError:
            return set()
        rows = data.get("items") if isinstance(data, dict) else data
        if isinstance(rows, list) and rows and isinstance(rows[0], dict) and "id" in rows[0]:
            route.example = {**(route.example or {}), "_id": str(rows[0]["id"])}
        return set()

    def example(self, route: Route) -> dict[str, str]:
        """Values for the route's path parameters: those of a URL that worked, else samples."""
        if route.example is not None and set(route.params) <= set(route.example):
            return route.example
        values = {}
        for name in route.params:
            values[name] = self.samples.get(name) or self._from_list(route, name) or "1"
        return values

    def _from_list(self, route: Route, name: str) -> str | None:
        # "<prefix>/<x_id>..." takes an id from the list at "<prefix>"
        head = route.route.split("<", 1)[0].rstrip("/")
        for other in self.routes:
            if other.route.rstrip("/") == head and other.example and "_id" in other.example:
                return other.example["_id"]
        return None

    # -- the hostile crawl --------------------------------------------------------------------

    def attack(self, route: Route, query_names: Iterable[str] = ()) -> None:
        base = self.example(route)
        url = route.url(base)
        if url is None:
            self.failures.append(Failure(route.route, "no URL could be built for this pattern"))
            return
        for name in route.params:
            for value in HOSTILE_PATH_VALUES:
                hostile = route.url({**base, name: value})
                if hostile is not None and self.match(hostile) is route:
                    self.open(hostile)
        names = sorted(set(KNOWN_QUERY_PARAMS) | route.query_names | set(query_names))
        for hostile_set in HOSTILE_QUERY_SETS:
            self.open(url, _query(names, hostile_set))

    def crawl(self, only: Iterable[Route] | None = None, query_names=None) -> list[Failure]:
        for route in only if only is not None else self.routes:
            self.attack(route, (query_names or {}).get(route.route, ()))
        return self.failures


def _query(names: Iterable[str], hostile_set: dict[str, str]) -> dict[str, str]:
    query = {}
    for name in names:
        if name == "days":
            query[name] = hostile_set["days"]
        elif DATE_NAMES.search(name):
            query[name] = hostile_set["date"]
        else:
            query[name] = hostile_set["value"]
    return query


def _unquote(path: str) -> str:
    from urllib.parse import unquote

    return unquote(path)


def api_query_names(schema: dict) -> dict[str, set[str]]:
    """The query parameters of each GET operation in an OpenAPI schema, by Django route."""
    found: dict[str, set[str]] = {}
    for path, operations in schema.get("paths", {}).items():
        get = operations.get("get")
        if not get:
            continue
        names = {p["name"] for p in get.get("parameters", []) if p.get("in") == "query"}
        found[path] = names
    return found


def api_get_paths(schema: dict) -> set[str]:
    return {path for path, operations in schema.get("paths", {}).items() if "get" in operations}


def openapi_path(route: str) -> str:
    """ "api/v1/items/<int:item_id>" → "/api/v1/items/{item_id}" (the schema's spelling)."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def iter_report(failures: list[Failure]) -> Iterator[str]:
    for failure in failures:
        yield str(failure)
