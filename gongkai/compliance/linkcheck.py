"""Fetching external links and the portal's own home page: no database here.

`links_in(html)` lists the absolute http(s) links of an item's body. `fetch(url)` asks for it:
HEAD first, then GET when HEAD is refused or answers an error (many servers do not implement
HEAD); redirects are followed only to http and https (a redirect to file:, ftp: or any other
scheme is a failure, never fetched); the connection is direct (no proxy from the environment);
each answer must come within the timeout (15 s by default: the inspection's 站点无法访问
counts a page that does not open within 15 s). `Pacer` spaces requests to one host.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings

SCHEMES = frozenset({"http", "https"})
MAX_REDIRECTS = 5
USER_AGENT = "gongkai-linkcheck/1.0"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "a":
            return
        for name, value in attrs:
            if name == "href" and value:
                self.found.append(value.strip())


def is_external(url: str) -> bool:
    """An absolute http(s) address with a host (relative links are the portal's own pages)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in SCHEMES and bool(parts.hostname)


def links_in(html: str) -> list[str]:
    """The distinct external links of an HTML fragment, in order of appearance."""
    parser = _Links()
    parser.feed(html or "")
    parser.close()
    seen: dict[str, None] = {}
    for url in parser.found:
        if is_external(url) and len(url) <= 2000:
            seen.setdefault(url.split("#", 1)[0], None)
    return list(seen)


@dataclass(frozen=True)
class Result:
    status: int | None  # the final answer's HTTP status; None when there was none
    ok: bool
    error: str = ""
    elapsed_ms: int = 0


class _RefusedRedirect(urllib.error.URLError):
    pass


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise _RefusedRedirect(f"redirect to a non-http address refused ({code})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    # no proxy from the environment, redirects checked; no file:/ftp:/data: handler is reachable
    # since only http(s) URLs are opened and redirects elsewhere are refused
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), _Redirects())


def _ask(url: str, method: str, timeout: float) -> Result:
    # only http(s): fetch() refuses other schemes before, _Redirects after
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
    started = time.monotonic()
    try:
        with _opener().open(request, timeout=timeout) as answer:
            status = answer.status
    except urllib.error.HTTPError as exc:
        status = exc.code
        exc.close()
        if 300 <= status < 400:  # a redirect urllib would not follow (scheme, loop, too many)
            return Result(None, False, f"redirect to a non-http address refused ({status})")
    except _RefusedRedirect as exc:
        return Result(None, False, str(exc.reason)[:200])
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, socket.timeout | TimeoutError):
            text = "timed out"
        else:
            text = f"{type(reason).__name__}: {reason}"
        return Result(None, False, text[:200])
    elapsed = int((time.monotonic() - started) * 1000)
    return Result(status, 200 <= status < 300, "", elapsed)


def fetch(url: str, *, timeout: float | None = None) -> Result:
    """HEAD, then GET when HEAD got an error status (405, 501, or a server that only answers
    GET properly); a failure without an answer is not retried."""
    if not is_external(url):
        return Result(None, False, "not an http(s) address")
    timeout = settings.GONGKAI_LINKCHECK_TIMEOUT if timeout is None else timeout
    first = _ask(url, "HEAD", timeout)
    if first.ok or first.status is None:
        return first
    return _ask(url, "GET", timeout)


class Pacer:
    """Waits so that two requests to one host are at least `delay` seconds apart."""

    def __init__(self, delay: float):
        self.delay = delay
        self.last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        if self.delay > 0 and host in self.last:
            left = self.last[host] + self.delay - time.monotonic()
            if left > 0:
                time.sleep(left)
        self.last[host] = time.monotonic()
