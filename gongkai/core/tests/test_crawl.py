"""No URL answers 5xx, whatever its path and query hold (issue 13, finding 4).

Every pattern of the URL conf (staff pages, the admin, the public portal, the API's GET
operations) is opened with hostile values by crawl.Crawler, signed in as a platform administrator
who also holds every role of 六横镇, against the access matrix's data (one record of every kind);
then the portal and the API's public reads once more anonymously.
"""

from __future__ import annotations

import pytest

from gongkai.api import services as api_services
from gongkai.api.api import api
from gongkai.core import services as core_services
from gongkai.core.models import Role
from gongkai.core.tests.access_world import REPORT_YEAR, build_world
from gongkai.core.tests.crawl import Crawler, api_get_operations, openapi_path
from gongkai.core.tests.factories import UserFactory

# Path parameter values for patterns no link leads to (the API's, mostly).
SAMPLES = {
    "agency": "liuheng",
    "year": str(REPORT_YEAR),
    "fmt": "2021",
    "kind": "json",
    "section": "items",
}
SEEDS = ["/", "/staff/", "/staff/calendar/", "/staff/reports/", "/admin/", "/search/"]


@pytest.fixture
def crawler(client, db):
    world = build_world()
    user = UserFactory(username="crawler", is_superuser=True, is_staff=True)
    for role in Role.values:
        if role != Role.SUPERVISOR:
            core_services.membership_grant(actor=None, user=user, agency=world.town, role=role)
    _token, key = api_services.api_token_create(actor=None, user=user, name="crawl")
    client.force_login(user)

    def headers_for(url: str) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"} if url.startswith("/api/") else {}

    return Crawler(client, headers_for=headers_for, samples=SAMPLES)


def _run(crawler: Crawler, targets, seeds, api_gets) -> None:
    seeds = seeds + [
        url
        for route in targets
        if set(route.params) <= set(SAMPLES) and (url := route.url(SAMPLES)) is not None
    ]
    crawler.discover(seeds)
    crawler.crawl(
        targets,
        {route.route: api_gets.get(openapi_path(route.route), set()) for route in targets},
    )


def test_no_url_answers_5xx_to_hostile_values(crawler, client):
    api_gets = api_get_operations(api.get_openapi_schema())

    def wanted(route, *, public: bool = False) -> bool:
        if route.route.startswith("api/"):
            return openapi_path(route.route) in api_gets
        return not public or not route.route.startswith(("staff/", "admin/", "accounts/"))

    targets = [route for route in crawler.routes if wanted(route)]
    _run(crawler, targets, SEEDS, api_gets)
    signed_in = client.get("/staff/").status_code == 200  # no page signed the crawler out
    staff = [r for r in targets if r.route.startswith("staff/")]
    # A pattern that answers a plain GET with 405 is a form's action (POST only): no link leads
    # to it, so it is attacked but not counted among the pages the crawl should reach.
    forms = {
        r.route
        for r in staff
        if r.example is None
        and (url := r.url(crawler.example(r))) is not None
        and client.get(url).status_code == 405
    }

    # The portal and the API's public reads once more, as the public reads them (the portal
    # stores anonymous pages; no token).
    client.logout()
    anonymous = Crawler(client, samples=SAMPLES)
    _run(anonymous, [r for r in anonymous.routes if wanted(r, public=True)], SEEDS, api_gets)

    failures = crawler.failures + anonymous.failures
    listed = "\n".join(str(f) for f in failures)
    assert not failures, f"{len(failures)} failures:\n{listed}"
    assert signed_in
    # the crawl reached the pages behind the links, not only their 404s
    pages = [r for r in staff if r.route not in forms]
    reached = [r for r in pages if r.example is not None]
    assert len(reached) >= 0.8 * len(pages), sorted(r.route for r in pages if r.example is None)
    assert len(forms) < len(staff) / 2


def test_a_new_pattern_is_crawled(crawler):
    """The routes come from the resolver: every app's patterns are there, the API's too."""
    found = {route.route for route in crawler.routes}
    assert "staff/calendar/" in found
    assert "staff/catalogue/<slug:agency>/items/<id:pk>/" in found
    assert "gk/<slug:agency>/items/<id:pk>/" in found
    assert "api/v1/catalogue/items" in found
    assert any(route.startswith("admin/") for route in found)
