"""The store of rendered public pages (caching.public_page with a cache stamp): a stored page
costs one query, is never served once something on it changed, and is never personal.

The page cache is off in the test settings (stored pages become obsolete after a commit, which
a test inside a transaction never reaches); here it is on, and the tests commit for real.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.tests.factories import make_pdf
from gongkai.portal import caching, selectors
from gongkai.portal.models import PageGeneration
from gongkai.portal.tests import test_caching
from gongkai.portal.tests.test_caching import pages

pytestmark = pytest.mark.django_db(transaction=True)

world = test_caching.world  # the same two towns, columns and items


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        **settings.CACHES,
        "portal": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal-tests",
        },
    }
    caches[caching.PAGE_CACHE].clear()
    caching.recent.clear()
    selectors.forget_page_cache_states()
    yield caches[caching.PAGE_CACHE]
    caches[caching.PAGE_CACHE].clear()
    caching.recent.clear()
    selectors.forget_page_cache_states()


# The validators' tests again, with pages served from the store: each change must still
# reach exactly the ETags it reached without it.
test_publishing_invalidates_exactly_the_pages_it_affects = (
    test_caching.test_publishing_invalidates_exactly_the_pages_it_affects
)
test_a_draft_changes_nothing_public = test_caching.test_a_draft_changes_nothing_public
test_withdrawing_an_item_changes_its_page_and_its_lists = (
    test_caching.test_withdrawing_an_item_changes_its_page_and_its_lists
)
test_portal_settings_change_every_page_of_that_agency_only = (
    test_caching.test_portal_settings_change_every_page_of_that_agency_only
)
test_office_details_change_the_guide_and_the_footer_of_that_agency = (
    test_caching.test_office_details_change_the_guide_and_the_footer_of_that_agency
)
test_a_withdrawal_saved_by_a_clock_behind_still_changes_the_lists = (
    test_caching.test_a_withdrawal_saved_by_a_clock_behind_still_changes_the_lists
)
test_office_details_saved_by_a_clock_standing_still_change_the_agencys_pages = (
    test_caching.test_office_details_saved_by_a_clock_standing_still_change_the_agencys_pages
)
test_a_column_change_reaches_the_pages_that_show_columns = (
    test_caching.test_a_column_change_reaches_the_pages_that_show_columns
)
test_a_new_channel_changes_only_the_guide = test_caching.test_a_new_channel_changes_only_the_guide
test_display_preferences_and_language_are_part_of_the_etag = (
    test_caching.test_display_preferences_and_language_are_part_of_the_etag
)
test_conditional_requests_are_answered_304 = test_caching.test_conditional_requests_are_answered_304

STORED = ["home", "guide", "catalogue", "sitemap", "root", "A", "item A"]


@pytest.mark.parametrize("page", STORED)
def test_a_stored_page_costs_one_query(client, world, page, django_assert_max_num_queries):
    url = pages(world)[page]
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_max_num_queries(1):  # the agency, its settings and its generation
        again = client.get(url)
    selectors.forget_page_cache_states()
    with django_assert_max_num_queries(1):  # once more: that state read again
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary", "Content-Type"):
        assert again.headers[header] == first.headers[header], header


def test_a_stored_page_answers_conditional_requests(client, world, django_assert_max_num_queries):
    url = pages(world)["A"]
    first = client.get(url)
    with django_assert_max_num_queries(1):
        response = client.get(url, headers={"if-none-match": first.headers["ETag"]})
    assert response.status_code == 304
    assert response.headers["ETag"] == first.headers["ETag"]
    assert response.headers["Cache-Control"].startswith("public")
    with django_assert_max_num_queries(1):
        response = client.get(url, headers={"if-modified-since": first.headers["Last-Modified"]})
    assert response.status_code == 304


def test_a_new_item_shows_at_once_in_its_stored_lists(client, world):
    urls = pages(world)
    for name in ("home", "catalogue", "root", "A"):
        assert "A栏目新发布的信息" not in client.get(urls[name]).content.decode()
    world["publish"]("A", "A栏目新发布的信息")
    for name in ("home", "catalogue", "root", "A"):
        assert "A栏目新发布的信息" in client.get(urls[name]).content.decode(), name


def test_a_withdrawn_item_says_so_at_once(client, world):
    url = pages(world)["item A"]
    assert client.get(url).status_code == 200
    _editor, reviewer = world["people"][world["town"].pk]
    catalogue_services.item_withdraw(actor=reviewer, item=world["items"]["A"], reason="过时")
    response = client.get(url)
    assert response.status_code == 410
    assert "A栏目已有信息" in response.content.decode()  # the notice names it
    assert "正文。" not in response.content.decode()  # not the body
    assert "A栏目已有信息" not in client.get(pages(world)["A"]).content.decode()


def test_a_renamed_column_shows_at_once_on_the_item_page(client, world):
    url = pages(world)["item A"]
    assert "动态信息" not in client.get(url).content.decode()
    catalogue_services.column_update(
        actor=None, column=world["columns"]["A"], data={"name": "动态信息"}
    )
    assert "动态信息" in client.get(url).content.decode()  # breadcrumbs, "back to"


def test_a_change_makes_only_its_agencys_pages_obsolete(client, world):
    town, other = world["town"], world["other"]
    before = dict(PageGeneration.objects.values_list("agency_id", "token"))
    world["publish"]("A", "A栏目新发布的信息")
    after = dict(PageGeneration.objects.values_list("agency_id", "token"))
    assert after[town.pk] != before.get(town.pk)
    assert after[other.pk] == before[other.pk]


def test_a_draft_leaves_the_stored_pages(client, world, django_assert_max_num_queries):
    url = pages(world)["A"]
    client.get(url)
    world["publish"]("A", "A栏目待发布的信息", publish_now=False)  # approved, not published
    with django_assert_max_num_queries(1):
        client.get(url)


def test_only_canonical_addresses_and_page_numbers_are_stored(client, world):
    url = pages(world)["A"]
    for address in (
        f"{url}?from=timeline",
        f"{url}?page=abc",
        f"{url}?page=01",
        f"{url}?page=10000",
    ):
        assert client.get(address).status_code == 200
    assert not caches[caching.PAGE_CACHE]._cache  # nothing stored
    client.get(url)
    client.get(f"{url}?page=7")  # past the last page: the last page, under its own address
    assert len(caches[caching.PAGE_CACHE]._cache) == 2


def test_each_preference_and_language_has_its_own_page(client, world):
    url = pages(world)["item A"]
    assert 'class="fs-1"' in client.get(url).content.decode()
    client.cookies["gk_font"] = "3"
    assert 'class="fs-3"' in client.get(url).content.decode()
    del client.cookies["gk_font"]
    # By default the site's language is fixed: an English browser reads the stored Chinese page.
    fixed = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert '<html lang="zh-hans"' in fixed
    with override_settings(GONGKAI_BROWSER_LANGUAGE=True):
        english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en"' in english
    assert '<html lang="zh-hans"' in client.get(url).content.decode()


def test_staff_neither_read_nor_fill_the_store(client, world, django_assert_max_num_queries):
    url = pages(world)["item A"]
    editor, _reviewer = world["people"][world["town"].pk]
    client.force_login(editor)
    client.get(url)
    assert not caches[caching.PAGE_CACHE]._cache
    client.logout()
    client.get(url)  # stored for visitors
    client.force_login(editor)
    with django_assert_max_num_queries(50) as rendered:
        assert client.get(url).status_code == 200
    assert len(rendered) > 1  # rendered, not read from the store
    assert len(caches[caching.PAGE_CACHE]._cache) == 1


def test_nothing_personal_is_stored():
    request = RequestFactory().get("/gk/liuheng/items/1/")
    request._portal_canonical = "/gk/liuheng/items/1/"
    assert caching._storable(request, HttpResponse("ok"))
    with_cookie = HttpResponse("ok")
    with_cookie.set_cookie("x", "1")
    assert not caching._storable(request, with_cookie)
    private = HttpResponse("ok", headers={"Cache-Control": "private"})
    assert not caching._storable(request, private)
    assert not caching._storable(request, HttpResponse("error", status=500))
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # the page holds a CSRF token
    assert not caching._storable(request, HttpResponse("ok"))


def test_what_was_never_published_makes_nothing_obsolete(client, world):
    editor, _reviewer = world["people"][world["town"].pk]
    draft = catalogue_services.item_create(
        actor=editor,
        agency=world["town"],
        column=world["columns"]["A"],
        title="草稿",
        formed_on=world["items"]["A"].formed_on,
        genre=world["items"]["A"].genre,
    )
    token = PageGeneration.objects.get(agency=world["town"]).token
    catalogue_services.attachment_add(actor=editor, item=draft, name="a.pdf", data=make_pdf("x"))
    catalogue_services.item_update(actor=editor, item=draft, data={"title": "草稿二"})
    assert PageGeneration.objects.get(agency=world["town"]).token == token


def test_the_agency_home_of_an_unknown_agency_is_404(client, world):
    client.get(reverse("portal:agency-home", args=["liuheng"]))
    assert client.get(reverse("portal:agency-home", args=["nowhere"])).status_code == 404


def test_another_processs_change_is_seen_within_a_second(
    client, world, monkeypatch, django_assert_max_num_queries
):
    url = pages(world)["A"]
    client.get(url)
    # Another process's commit: this one's remembered state knows nothing of it yet.
    PageGeneration.objects.filter(agency=world["town"]).update(token=12345)
    with django_assert_max_num_queries(0):
        client.get(url)
    monkeypatch.setattr(selectors, "PAGE_STATE_SECONDS", 0)  # a second later
    with django_assert_max_num_queries(50) as rendered:
        assert client.get(url).status_code == 200
    assert len(rendered) > 1  # the stored page is obsolete: rendered again


def test_an_inactive_agency_has_no_stored_pages(client, world):
    url = pages(world)["home"]
    assert client.get(url).status_code == 200
    town = world["town"]
    town.is_active = False
    town.save()
    assert client.get(url).status_code == 404


def test_pages_are_rendered_when_the_cache_fails(client, world, page_cache, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(page_cache, "get", down)
    monkeypatch.setattr(page_cache, "set", down)
    response = client.get(pages(world)["item A"])
    assert response.status_code == 200
    assert "A栏目已有信息" in response.content.decode()


def test_the_process_keeps_recent_pages_in_front_of_the_store(client, world, page_cache):
    url = pages(world)["item A"]
    first = client.get(url).content
    # Gone from the shared store (another worker evicted it, say): this process still has it.
    page_cache.clear()
    assert client.get(url).content == first
    caching.recent.clear()
    assert client.get(url).content == first  # rendered again, and stored again
    assert len(page_cache._cache) == 1


def test_recent_pages_are_bounded():
    recent = caching._Recent(2)
    for key in "abc":
        recent.put(key, (key,))
    assert recent.get("a") is None and recent.get("c") == ("c",)
