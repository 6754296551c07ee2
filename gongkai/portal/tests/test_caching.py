"""Conditional GET: validators on every public page, 304s, and invalidation exactly where a
published change shows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.taxonomy import ChannelKind, ColumnType, Genre
from gongkai.core import services as core_services
from gongkai.core.models import Agency, Role
from gongkai.portal import services as portal_services

CHECKS = catalogue_services.ReviewChecks(secrecy=True, privacy=True, wording=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(agency_tree, make_member):
    """六横镇: 政府信息公开 → {工作动态 (A), 通知公告 (B)}; 桃花镇: 工作动态 (C). Each town has
    its website channel already (the first publication would otherwise create it)."""
    town, other = agency_tree["town"], agency_tree["other_town"]
    people = {
        town.pk: (make_member(town, Role.EDITOR), make_member(town, Role.REVIEWER)),
        other.pk: (make_member(other, Role.EDITOR), make_member(other, Role.REVIEWER)),
    }

    def column(agency, name, parent=None, kind=ColumnType.NEWS):
        return catalogue_services.column_create(
            actor=None, agency=agency, name=name, column_type=kind, parent=parent
        )

    root = column(town, "政府信息公开", kind=ColumnType.OTHER)
    columns = {
        "root": root,
        "A": column(town, "工作动态", parent=root),
        "B": column(town, "通知公告", parent=root, kind=ColumnType.NOTICE),
        "C": column(other, "工作动态"),
    }
    for agency in (town, other):
        catalogue_services.website_channel(agency)

    def publish(column_key: str, title: str, *, publish_now: bool = True):
        target = columns[column_key]
        editor, reviewer = people[target.agency_id]
        item = catalogue_services.item_create(
            actor=editor,
            agency=target.agency,
            column=target,
            title=title,
            formed_on=date(2026, 3, 2),
            genre=Genre.WORK_NEWS,
            body="<p>正文。</p>",
        )
        item = catalogue_services.item_submit(actor=editor, item=item)
        return catalogue_services.item_approve(
            actor=reviewer, item=item, checks=CHECKS, publish_now=publish_now
        )

    existing = {key: publish(key, f"{key}栏目已有信息") for key in ("A", "B", "C")}
    return {
        "town": town,
        "other": other,
        "columns": columns,
        "publish": publish,
        "items": existing,
        "people": people,
    }


def pages(world) -> dict[str, str]:
    c, items = world["columns"], world["items"]
    return {
        "platform": reverse("portal:home"),
        "home": reverse("portal:agency-home", args=["liuheng"]),
        "guide": reverse("portal:guide", args=["liuheng"]),
        "catalogue": reverse("portal:catalogue", args=["liuheng"]),
        "sitemap": reverse("portal:sitemap-page", args=["liuheng"]),
        "root": reverse("portal:column", args=["liuheng", c["root"].pk]),
        "A": reverse("portal:column", args=["liuheng", c["A"].pk]),
        "B": reverse("portal:column", args=["liuheng", c["B"].pk]),
        "item A": reverse("portal:item", args=["liuheng", items["A"].pk]),
        "item B": reverse("portal:item", args=["liuheng", items["B"].pk]),
        "other home": reverse("portal:agency-home", args=["taohua"]),
        "other guide": reverse("portal:guide", args=["taohua"]),
        "other catalogue": reverse("portal:catalogue", args=["taohua"]),
        "C": reverse("portal:column", args=["taohua", c["C"].pk]),
        "item C": reverse("portal:item", args=["taohua", items["C"].pk]),
    }


def etags(client, urls: dict[str, str]) -> dict[str, str]:
    found = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 410), (name, response.status_code)
        found[name] = response.headers["ETag"]
    return found


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def test_every_public_page_sends_validators(client, world):
    for name, url in pages(world).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response.headers["ETag"].startswith('W/"'), name
        assert response.headers["Last-Modified"].endswith(" GMT"), name
        assert response.headers["Cache-Control"] == "public, max-age=60, must-revalidate"
        # nginx's microcache keeps it this long before asking again
        assert response.headers["X-Accel-Expires"] == "30"
        assert (
            "Cookie" in response.headers["Vary"] and "Accept-Language" in response.headers["Vary"]
        )


def test_behind_a_front_keyed_by_generation_an_agency_s_pages_are_kept_longer(
    client, world, settings
):
    # gongkai serve / deploy render: nginx keys /gk/<slug>/ by the agency's generation
    settings.GONGKAI_FRONT_CACHE_SECONDS = 600
    urls = pages(world)
    for name in ("home", "guide", "catalogue", "A", "item A"):
        assert client.get(urls[name]).headers["X-Accel-Expires"] == "600", name
        # a revalidation (304) renews it for as long
        again = client.get(urls[name], HTTP_IF_NONE_MATCH=client.get(urls[name])["ETag"])
        assert again.status_code == 304 and again.headers["X-Accel-Expires"] == "600", name
    # the platform's home carries no generation: kept briefly
    assert client.get(urls["platform"]).headers["X-Accel-Expires"] == "30"


@pytest.mark.parametrize("page", ["platform", "home", "guide", "catalogue", "A", "item A"])
def test_conditional_requests_are_answered_304(client, world, page):
    url = pages(world)[page]
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag  # validators and caching rules on the 304 too
    assert response.headers["Cache-Control"].startswith("public")

    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    assert client.head(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-none-match": 'W/"stale"'}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    response = client.get(
        url, headers={"if-none-match": 'W/"stale"', "if-modified-since": modified}
    )
    assert response.status_code == 200


def test_publishing_invalidates_exactly_the_pages_it_affects(client, world):
    urls = pages(world)
    before = etags(client, urls)
    item = world["publish"]("A", "A栏目新发布的信息")
    new_page = reverse("portal:item", args=["liuheng", item.pk])
    after = etags(client, urls)
    assert changed(before, after) == {"platform", "home", "catalogue", "root", "A"}
    # The new item's own page exists now, with its validators.
    assert client.get(new_page).headers["ETag"]


def test_a_draft_changes_nothing_public(client, world):
    urls = pages(world)
    before = etags(client, urls)
    world["publish"]("A", "A栏目待发布的信息", publish_now=False)  # approved, not published
    assert changed(before, etags(client, urls)) == set()


def test_withdrawing_an_item_changes_its_page_and_its_lists(client, world):
    urls = pages(world)
    before = etags(client, urls)
    _editor, reviewer = world["people"][world["town"].pk]
    catalogue_services.item_withdraw(actor=reviewer, item=world["items"]["A"], reason="过时")
    after = etags(client, urls)
    assert client.get(urls["item A"]).status_code == 410
    assert changed(before, after) == {"platform", "home", "catalogue", "root", "A", "item A"}


def test_portal_settings_change_every_page_of_that_agency_only(client, world):
    urls = pages(world)
    before = etags(client, urls)
    portal_services.portal_settings_update(
        actor=None, agency=world["town"], data={"site_code": "3309030001"}
    )
    after = etags(client, urls)
    town_pages = {n for n in urls if not (n.startswith("other") or n in ("C", "item C"))}
    assert changed(before, after) == town_pages  # the platform lists the site names


def test_office_details_change_the_guide_and_the_footer_of_that_agency(client, world):
    urls = pages(world)
    before = etags(client, urls)
    core_services.agency_update(
        actor=None, agency=world["town"], data={"office_phone": "0580-6999999"}
    )
    after = etags(client, urls)
    assert "guide" in changed(before, after)
    assert not changed(before, after) & {"other home", "other guide", "C", "item C"}


# The clock a change is saved with need not be ahead of the last change's: servers' clocks
# differ by a few seconds, a clock can be set back, and a frozen test clock stands still. The
# ETags must change all the same (the lists would otherwise keep a withdrawn item in caches).
TOWN_PAGES = {"home", "guide", "catalogue", "sitemap", "root", "A", "B", "item A", "item B"}


def test_a_withdrawal_saved_by_a_clock_behind_still_changes_the_lists(client, world, time_machine):
    urls = pages(world)
    before = etags(client, urls)
    newest = max(item.updated_at for item in world["items"].values())
    time_machine.move_to(newest - timedelta(seconds=5), tick=False)
    _editor, reviewer = world["people"][world["town"].pk]
    catalogue_services.item_withdraw(actor=reviewer, item=world["items"]["A"], reason="过时")
    after = etags(client, urls)
    assert client.get(urls["item A"]).status_code == 410
    assert changed(before, after) == {"platform", "home", "catalogue", "root", "A", "item A"}


def test_office_details_saved_by_a_clock_standing_still_change_the_agencys_pages(
    client, world, time_machine
):
    town = Agency.objects.get(pk=world["town"].pk)
    urls = pages(world)
    before = etags(client, urls)
    time_machine.move_to(town.updated_at, tick=False)
    core_services.agency_update(actor=None, agency=town, data={"office_phone": "0580-6999999"})
    assert Agency.objects.get(pk=town.pk).updated_at == town.updated_at  # the time it had
    after = etags(client, urls)
    assert TOWN_PAGES <= changed(before, after)
    assert not changed(before, after) & {"other home", "other guide", "C", "item C"}


def test_a_column_change_reaches_the_pages_that_show_columns(client, world):
    urls = pages(world)
    before = etags(client, urls)
    catalogue_services.column_update(
        actor=None, column=world["columns"]["B"], data={"name": "公告"}
    )
    after = etags(client, urls)
    # Every page naming columns (trees, facets, breadcrumbs); not the platform, not 桃花镇.
    assert changed(before, after) == {
        "home",
        "guide",
        "catalogue",
        "sitemap",
        "root",
        "A",
        "B",
        "item A",
        "item B",
    }


def test_a_new_channel_changes_only_the_guide(client, world):
    urls = pages(world)
    before = etags(client, urls)
    catalogue_services.channel_create(
        actor=None, agency=world["town"], kind=ChannelKind.WEIBO, name="六横发布"
    )
    assert changed(before, etags(client, urls)) == {"guide"}


def test_display_preferences_and_language_are_part_of_the_etag(client, world):
    url = pages(world)["item A"]
    plain = client.get(url).headers["ETag"]
    client.cookies["gk_font"] = "3"
    larger = client.get(url)
    assert larger.headers["ETag"] != plain
    assert 'class="fs-3"' in larger.content.decode()
    # A cached page in the old size is not revalidated for the new one.
    assert client.get(url, headers={"if-none-match": plain}).status_code == 200
    del client.cookies["gk_font"]
    # The site's language is fixed by default: an English browser gets the same page.
    assert client.get(url, headers={"accept-language": "en"}).headers["ETag"] == plain
    with override_settings(GONGKAI_BROWSER_LANGUAGE=True):
        english = client.get(url, headers={"accept-language": "en"})
    assert english.headers["ETag"] != plain


def test_unknown_pages_are_404_not_304(client, world):
    url = reverse("portal:item", args=["liuheng", 999_999])
    assert client.get(url, headers={"if-none-match": "*"}).status_code == 404
