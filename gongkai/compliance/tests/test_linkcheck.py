"""The link checker and the site probe against a real HTTP server on the loopback interface
(http.server in a thread): 200, 404, 500, a server that refuses HEAD, a redirect to a file:
address, a port nobody listens on."""

import os
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.tests.factories import ChannelFactory, ColumnFactory, ItemFactory
from gongkai.compliance import linkcheck, selectors
from gongkai.compliance.check import ERROR, check_agency
from gongkai.compliance.models import LinkCheck, SiteProbe
from gongkai.compliance.services import links_check, links_collect, site_probe
from gongkai.compliance.tasks import check_links, probe_sites
from gongkai.core.models import AuditEvent
from gongkai.core.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    hits: list[tuple[str, str]] = []

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, body: bool):
        self.hits.append((self.command, self.path))
        path = self.path.split("?", 1)[0]
        if path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif path in ("/ok", "/no-head") or path.startswith("/gk/"):
            self.send_response(200)
        elif path == "/error":
            self.send_response(500)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2" if body else "0")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def no_pause(settings):
    settings.GONGKAI_LINKCHECK_HOST_DELAY = 0
    settings.GONGKAI_LINKCHECK_TIMEOUT = 5


def test_links_in_keeps_absolute_http_links_only():
    html = (
        '<p><a href="https://a.test/x#part">a</a> <a href="/gk/local/">local</a> '
        '<a href="mailto:x@y">m</a> <a href="javascript:alert(1)">j</a> '
        '<a href="ftp://f.test/">f</a> <a href="https://a.test/x">again</a></p>'
    )
    assert linkcheck.links_in(html) == ["https://a.test/x"]


def test_fetch_statuses(server, closed_port):
    ok = linkcheck.fetch(server + "/ok")
    assert (ok.status, ok.ok, ok.error) == (200, True, "")
    assert linkcheck.fetch(server + "/missing").status == 404
    assert not linkcheck.fetch(server + "/missing").ok
    assert linkcheck.fetch(server + "/error").status == 500
    moved = linkcheck.fetch(server + "/moved")
    assert moved.ok and moved.status == 200
    refused = linkcheck.fetch(f"http://127.0.0.1:{closed_port}/")
    assert refused.status is None and not refused.ok and "Connection" in refused.error


def test_head_refused_falls_back_to_get(server):
    Handler.hits.clear()
    result = linkcheck.fetch(server + "/no-head")
    assert result.ok and result.status == 200
    assert Handler.hits == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_a_redirect_to_another_scheme_is_not_followed(server):
    result = linkcheck.fetch(server + "/to-file")
    assert not result.ok and result.status is None and "non-http" in result.error


def test_only_http_addresses_are_fetched():
    assert not linkcheck.fetch("file:///etc/passwd").ok
    assert linkcheck.fetch("file:///etc/passwd").error == "not an http(s) address"


def test_pacer_spaces_requests_to_one_host():
    if os.environ.get("GONGKAI_SHIFTED_CLOCK") == "1":
        pytest.skip("libfaketime: timed waits do not expire under the shifted clock")
    import time

    pacer = linkcheck.Pacer(0.2)
    started = time.monotonic()
    pacer.wait("http://a.test/1")
    pacer.wait("http://b.test/1")  # another host: no wait
    assert time.monotonic() - started < 0.15
    pacer.wait("http://a.test/2")
    assert time.monotonic() - started >= 0.19


@pytest.fixture
def agency():
    return AgencyFactory(slug="linkcheck-town")


def item_with(agency, body: str, **extra):
    column = ColumnFactory(agency=agency)
    return ItemFactory(
        column=column,
        status=ItemStatus.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
        body=body,
        **extra,
    )


def test_the_link_checker_finds_the_broken_link_of_a_published_item(agency, server):
    good = item_with(agency, f'<p><a href="{server}/ok">ok</a></p>', title="好链接")
    bad = item_with(
        agency,
        f'<p><a href="{server}/missing">gone</a> <a href="{server}/error">err</a></p>',
        title="坏链接",
    )
    ItemFactory(
        column=good.column,
        status=ItemStatus.DRAFT,
        body=f'<a href="{server}/draft-only">x</a>',
    )
    counts = links_collect(agency=agency)
    assert counts == {"links": 3, "added": 3, "dropped": 0}  # the draft's link is not public
    result = links_check(agency=agency)
    assert result == {"checked": 3, "broken": 2}
    rows = {row.url.rsplit("/", 1)[1]: row for row in LinkCheck.objects.filter(agency=agency)}
    assert rows["ok"].ok and rows["ok"].status == 200
    assert rows["missing"].status == 404 and rows["missing"].ok is False
    assert rows["error"].status == 500

    [listed] = selectors.broken_links_by_item(agency)
    assert listed.item_id == bad.pk
    assert [(link.url.rsplit("/", 1)[1], link.status) for link in listed.links] == [
        ("error", 500),
        ("missing", 404),
    ]
    [finding] = [f for f in check_agency(agency) if f.rule == "broken_links"]
    assert finding.severity == ERROR  # 2 of 3
    assert AuditEvent.objects.filter(verb="compliance.links_check", agency=agency).exists()

    # checked links are not checked again until they are due; a withdrawn link drops out
    assert links_check(agency=agency) == {"checked": 0, "broken": 0}
    bad.status = ItemStatus.WITHDRAWN
    bad.save()
    assert links_collect(agency=agency)["dropped"] == 2
    assert [f for f in check_agency(agency) if f.rule == "broken_links"] == []


def test_a_run_checks_at_most_its_limit(agency, server):
    item_with(agency, "".join(f'<a href="{server}/ok?{n}">{n}</a>' for n in range(5)))
    links_collect(agency=agency)
    assert links_check(agency=agency, limit=2)["checked"] == 2
    assert LinkCheck.objects.filter(agency=agency, checked_at__isnull=True).count() == 3


def test_publication_addresses_are_checked_too(agency, server):
    from gongkai.catalogue.models import Publication

    item = item_with(agency, "")
    channel = ChannelFactory(agency=agency)
    Publication.objects.create(
        item=item,
        channel=channel,
        published_on=timezone.localdate(),
        url=f"{server}/missing",
        source="manual",
    )
    check_links({"agency": agency.pk}, lambda text: None)
    [row] = LinkCheck.objects.filter(agency=agency)
    assert row.status == 404 and list(row.items.all()) == [item]


def test_site_probe_records_the_portal_answer(agency, server, settings):
    item_with(agency, "")
    settings.GONGKAI_PUBLIC_BASE_URL = server + "/"
    probe = site_probe(agency=agency)
    assert probe.ok and probe.status == 200
    assert probe.url == server + reverse("portal:agency-home", kwargs={"agency": agency.slug})
    settings.GONGKAI_PUBLIC_BASE_URL = server + "/down"
    probe_sites({}, lambda text: None)
    assert SiteProbe.objects.filter(agency=agency, ok=False, status=404).count() == 1
    assert AuditEvent.objects.filter(verb="compliance.probe", agency=agency).count() == 2


def test_no_public_address_no_probe(agency, settings):
    settings.GONGKAI_PUBLIC_BASE_URL = ""
    assert site_probe(agency=agency) is None
    assert not SiteProbe.objects.exists()
