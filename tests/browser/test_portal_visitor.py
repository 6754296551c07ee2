"""A visitor of the public portal, in a real browser: from the platform home to 六横镇's portal,
a column, an item and its metadata block; searching a two-character word and a phrase; the
column's feed. axe-core checks the pages (desktop, 375 px, high contrast), and 375 px
screenshots show no horizontal scrolling.

The UI labels are translated, so the tests find their way by URLs, roles with names taken from
the data (agency, column and item names), form field names and the page structure. The labels
of the metadata block (索引号, 发布机构, …) are the official field names the issue prescribes,
not translated UI text, so the block is read as {label: value}.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Column, Item, ItemStatus
from gongkai.catalogue.taxonomy import ColumnType, Genre
from gongkai.portal.context_processors import CONTRAST_COOKIE
from gongkai.portal.demo import load_portal_demo
from gongkai.portal.selectors import site_for

from .axe import assert_no_serious_violations

AGENCY = "liuheng"
ALL_CHECKS = catalogue_services.ReviewChecks(secrecy=True, privacy=True, wording=True)

BUDGET_TITLE = "六横镇2026年部门预算公开"
BUDGET_BODY = (
    "<p>六横镇2026年部门预算已经镇人民代表大会审查批准，现予公开。</p>"
    "<p>重点保障渔港经济区建设资金和海岛公交补贴，压减一般性支出。</p>"
)
MEETING_TITLE = "六横镇召开防汛防台工作会议"
MEETING_BODY = "<p>会议部署了今年汛期的防汛防台工作，要求各村落实值班制度。</p>"

WORD = "预算"  # two characters: only in the budget item
PHRASE = "“海岛公交补贴”"  # in the budget item's body, words adjacent and in this order
PHRASE_ELSEWHERE = '"公交补贴海岛"'  # the same words in another order: in no item

RSS_TYPE = "application/rss+xml"
ATOM = "{http://www.w3.org/2005/Atom}"

MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


def url_path_is(path: str) -> re.Pattern:
    """Matches a full URL whose path is exactly `path` (any query string or fragment)."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"(?:[?#].*)?$")


# --- data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Portal:
    agency_name: str
    site_name: str
    column: Column
    budget: Item
    meeting: Item

    @property
    def urls(self) -> dict[str, str]:
        return {
            "platform home": reverse("portal:home"),
            "agency home": reverse("portal:agency-home", args=[AGENCY]),
            "column list": reverse("portal:column", args=[AGENCY, self.column.pk]),
            "item": reverse("portal:item", args=[AGENCY, self.budget.pk]),
            "search results": reverse("portal:search") + f"?agency={AGENCY}&q={WORD}",
        }


def publish(column: Column, editor, reviewer, **fields) -> Item:
    """An item written and submitted by `editor`, approved and published at once by
    `reviewer` (four eyes), through the catalogue services."""
    item = catalogue_services.item_create(
        actor=editor, agency=column.agency, column=column, **fields
    )
    item = catalogue_services.item_submit(actor=editor, item=item)
    item = catalogue_services.item_approve(
        actor=reviewer, item=item, checks=ALL_CHECKS, publish_now=True
    )
    assert item.status == ItemStatus.PUBLISHED, item.status
    return item


@pytest.fixture
def portal(demo) -> Portal:
    """The demo (core and portal settings), a 财政预决算 column of 六横镇 with two published
    items, committed for the live server."""
    load_portal_demo()
    liuheng = demo.agencies[AGENCY]
    editor, reviewer = demo.users["lh_editor"], demo.users["lh_reviewer"]
    column = catalogue_services.column_create(
        actor=None, agency=liuheng, name="财政预决算", column_type=ColumnType.FINANCE
    )
    meeting = publish(
        column,
        editor,
        reviewer,
        title=MEETING_TITLE,
        formed_on=date(2026, 3, 1),
        genre=Genre.WORK_NEWS,
        body=MEETING_BODY,
    )
    budget = publish(
        column,
        editor,
        reviewer,
        title=BUDGET_TITLE,
        formed_on=date(2026, 3, 2),
        genre=Genre.FINANCE,
        topic="财政、金融、审计",
        document_number="六横政〔2026〕5号",
        publisher="六横镇财政办",
        body=BUDGET_BODY,
    )
    return Portal(
        agency_name=liuheng.name,
        site_name=site_for(liuheng).name,
        column=column,
        budget=Item.objects.get(pk=budget.pk),
        meeting=Item.objects.get(pk=meeting.pk),
    )


@pytest.fixture
def new_context(make_context, live_server):
    """new_context(viewport, contrast=False) -> a fresh browser context; with contrast, the
    high-contrast display preference (its cookie) is set."""

    def make(viewport: dict, contrast: bool = False) -> BrowserContext:
        context = make_context(viewport=viewport)
        if contrast:
            context.add_cookies([{"name": CONTRAST_COOKIE, "value": "1", "url": live_server.url}])
        return context

    return make


# --- page helpers --------------------------------------------------------------------------


def meta_block(page: Page) -> dict[str, str]:
    """The item's metadata block as {label: value}."""
    rows = page.locator("main table.meta-block tbody tr")
    expect(rows.first).to_be_visible()
    return {
        row.locator("th").inner_text().strip(): " ".join(row.locator("td").inner_text().split())
        for row in rows.all()
    }


def search_from_header(page: Page, query: str) -> None:
    """Type a query into the page's search box (in the header) and submit it."""
    box = page.locator("header").get_by_role("search")
    expect(box).to_have_count(1)
    box.locator("input[name=q]").fill(query)
    with page.expect_navigation(url=url_path_is(reverse("portal:search")), wait_until="load"):
        box.locator("input[name=q]").press("Enter")
    assert parse_qs(urlsplit(page.url).query).get("q") == [query], page.url


def hit_links(page: Page):
    return page.locator("main ol.search-results li.search-hit h2 a")


def parse_xml(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 (our own server's feeds)


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", header
    return struct.unpack(">II", header[16:24])


# --- the visit -----------------------------------------------------------------------------


def test_visitor_browses_opens_an_item_searches_and_follows_the_feed(page: Page, portal: Portal):
    budget = portal.budget
    column_url = reverse("portal:column", args=[AGENCY, portal.column.pk])
    item_url = reverse("portal:item", args=[AGENCY, budget.pk])

    # 1. The platform home lists the agencies; the visitor opens 六横镇's portal.
    page.goto(reverse("portal:home"))
    page.locator("main").get_by_role("link", name=portal.site_name, exact=True).click()
    expect(page).to_have_url(url_path_is(reverse("portal:agency-home", args=[AGENCY])))
    expect(page.locator("main h1")).to_have_text(portal.site_name)

    # 2. The column's block on the agency home leads to the column's list.
    page.locator("main").get_by_role("link", name=portal.column.name, exact=True).click()
    expect(page).to_have_url(url_path_is(column_url))
    expect(page.locator("main h1")).to_have_text(portal.column.name)
    rows = page.locator("main table.item-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td.title")).to_have_text(BUDGET_TITLE)  # newest first
    expect(rows.nth(1).locator("td.title")).to_have_text(MEETING_TITLE)
    expect(rows.nth(0).locator("td.index-number")).to_have_text(budget.index_number)

    # 3. The item: its title, body and metadata block, as stored.
    page.locator("main table.item-list").get_by_role("link", name=BUDGET_TITLE, exact=True).click()
    expect(page).to_have_url(url_path_is(item_url))
    expect(page.locator("main h1")).to_have_text(BUDGET_TITLE)
    expect(page.locator("main .item-body")).to_contain_text("海岛公交补贴")
    published_on = timezone.localtime(budget.published_at).date()
    assert budget.index_number and budget.index_number.startswith(f"{budget.agency.uscc}/")
    expected = {
        "索引号": budget.index_number,
        "发布机构": budget.publisher,
        "成文日期": budget.formed_on.isoformat(),
        "发布日期": published_on.isoformat(),
        "文号": budget.document_number,
        "有效性": budget.get_validity_display(),
        "主题分类": budget.topic,
        "公开方式": budget.get_disclosure_mode_display(),
    }
    assert (budget.publisher, budget.formed_on) == ("六横镇财政办", date(2026, 3, 2))
    assert (budget.document_number, budget.topic) == ("六横政〔2026〕5号", "财政、金融、审计")
    assert (expected["有效性"], expected["公开方式"]) == ("有效", "主动公开")
    block = meta_block(page)
    assert {label: block.get(label) for label in expected} == expected, block
    dates = page.locator("main table.meta-block time")
    expect(dates.nth(0)).to_have_attribute("datetime", expected["成文日期"])
    expect(dates.nth(1)).to_have_attribute("datetime", expected["发布日期"])

    # 4. Search from the page's search box: a two-character word finds the item (only it) …
    search_from_header(page, WORD)
    assert parse_qs(urlsplit(page.url).query).get("agency") == [AGENCY], page.url
    expect(hit_links(page)).to_have_count(1)
    expect(hit_links(page)).to_have_attribute("href", item_url)
    expect(hit_links(page)).to_have_text(BUDGET_TITLE)
    expect(page.locator("main li.search-hit mark").first).to_have_text(WORD)

    # … a quoted phrase finds it too …
    search_from_header(page, PHRASE)
    expect(hit_links(page)).to_have_count(1)
    expect(hit_links(page)).to_have_attribute("href", item_url)

    # … and the same words as a phrase in another order find nothing (unquoted, they do).
    search_from_header(page, PHRASE_ELSEWHERE)
    expect(hit_links(page)).to_have_count(0)
    expect(page.locator("main p.empty")).to_have_count(1)
    search_from_header(page, PHRASE_ELSEWHERE.strip('"'))
    expect(hit_links(page)).to_have_count(1)

    # The result leads back to the item.
    hit_links(page).click()
    expect(page).to_have_url(url_path_is(item_url))

    # 5. The column's feed, announced by <link rel="alternate"> on its list.
    page.goto(column_url)
    feed_link = page.locator(f'head link[rel="alternate"][type="{RSS_TYPE}"]')
    expect(feed_link).to_have_count(1)
    feed_url = feed_link.get_attribute("href")
    assert feed_url == reverse("portal:column-feed-rss", args=[AGENCY, portal.column.pk])
    response = page.request.get(feed_url)
    assert response.status == 200, response.status
    assert response.headers["content-type"].startswith(RSS_TYPE), response.headers
    channel = parse_xml(response.body()).find("channel")
    assert channel is not None
    entries = {entry.findtext("title"): entry.findtext("link") for entry in channel.findall("item")}
    assert set(entries) == {BUDGET_TITLE, MEETING_TITLE}, entries
    assert urlsplit(entries[BUDGET_TITLE]).path == item_url

    # The agency home announces the agency's feeds (RSS and Atom); the Atom one has the item.
    page.goto(reverse("portal:agency-home", args=[AGENCY]))
    atom_link = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    expect(atom_link).to_have_count(1)
    response = page.request.get(atom_link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"].startswith(
        "application/atom+xml"
    ), response.headers
    feed = parse_xml(response.body())
    assert feed.tag == f"{ATOM}feed"
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert BUDGET_TITLE in titles, titles


# --- accessibility -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewport", "contrast"),
    [(DESKTOP, False), (MOBILE, False), (DESKTOP, True)],
    ids=["desktop", "375px", "high-contrast"],
)
def test_axe_finds_no_serious_violations(new_context, portal: Portal, viewport, contrast):
    page = new_context(viewport, contrast=contrast).new_page()
    for name, url in portal.urls.items():
        response = page.goto(url)
        assert response is not None and response.status == 200, (name, url)
        html_class = page.locator("html").get_attribute("class") or ""
        assert ("contrast-high" in html_class.split()) is contrast, html_class
        if name == "search results":
            expect(hit_links(page)).to_have_count(1)  # the page as a visitor sees it
        assert_no_serious_violations(page, f"{name} at {viewport['width']} px")


# --- 375 px --------------------------------------------------------------------------------


def test_375_px_screenshots_have_no_horizontal_scroll(
    new_context, portal: Portal, artifacts_dir: Path
):
    page = new_context(MOBILE).new_page()
    pages = {
        "item": portal.urls["item"],
        "column-list": portal.urls["column list"],
        "search-results": portal.urls["search results"],
    }
    for name, url in pages.items():
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= MOBILE["width"], (name, scroll_width)
        path = artifacts_dir / f"portal-375px-{name}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=str(path), full_page=True)
        width, height = png_size(path)
        assert width == MOBILE["width"], (name, width, path)
        assert height >= MOBILE["height"], (name, height, path)
