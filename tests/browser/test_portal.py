"""The public portal in a real browser: 375 px without horizontal scrolling, the display
toolbar (with and without JavaScript), keyboard focus."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.tests.factories import ColumnFactory, ItemFactory

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
LONG_INDEX = "11330903002570101E/2026-00001-" + "0123456789" * 5  # 80 characters: the column limit


@pytest.fixture
def portal(demo):
    town = demo.agencies["liuheng"]
    column = ColumnFactory(agency=town, name="工作动态")
    items = [
        ItemFactory(
            column=column,
            title=f"六横镇召开第{n}次安全生产工作会议暨重点项目推进会的通知公告",
            status=ItemStatus.PUBLISHED,
            published_at=T0 + timedelta(days=n),
            index_number=LONG_INDEX if n == 0 else f"{town.uscc}/2026-{n:05d}",
            body="<p>" + "会议部署了当前安全生产重点工作。" * 20 + "</p>",
            created_by=demo.users["lh_editor"],
        )
        for n in range(3)
    ]
    return {
        "home": reverse("portal:agency-home", args=["liuheng"]),
        "catalogue": reverse("portal:catalogue", args=["liuheng"]),
        "column": reverse("portal:column", args=["liuheng", column.pk]),
        "item": reverse("portal:item", args=["liuheng", items[0].pk]),
        "platform": reverse("portal:home"),
        "guide": reverse("portal:guide", args=["liuheng"]),
    }


def test_pages_fit_375_px_without_horizontal_scrolling(browser: Browser, live_server, portal):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        for name, url in portal.items():
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (name, width)
        page.goto(portal["item"])
        expect(page.locator("table.meta-block")).to_contain_text(LONG_INDEX)
    finally:
        context.close()


def test_toolbar_changes_size_and_contrast_without_reload_and_it_persists(page: Page, portal):
    page.goto(portal["home"])
    html = page.locator("html")
    expect(html).to_have_class("fs-1")
    page.evaluate("window.__same_document = true")
    page.locator('form.prefs button[value="larger"]').click()
    expect(html).to_have_class("fs-2")
    page.locator('form.prefs button[name="contrast"]').click()
    expect(html).to_have_class("fs-2 contrast-high")
    expect(page.locator('form.prefs button[name="contrast"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.evaluate("window.__same_document === true")  # no reload: portal.js did it
    font_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert font_size == "18.4px", font_size  # 115 %
    # The cookies carry it to the next page, rendered by the server.
    page.goto(portal["item"])
    expect(page.locator("html")).to_have_class("fs-2 contrast-high")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)", background


def test_toolbar_works_without_javascript(browser: Browser, live_server, portal):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(portal["column"])
        page.locator('form.prefs button[value="larger"]').click()
        page.wait_for_url(f"**{portal['column']}")
        expect(page.locator("html")).to_have_class("fs-2")
        page.locator('form.prefs button[name="contrast"]').click()
        expect(page.locator("html")).to_have_class("fs-2 contrast-high")
    finally:
        context.close()


def test_keyboard_reaches_the_page_with_visible_focus(page: Page, portal):
    page.goto(portal["home"])
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid", outline
    page.keyboard.press("Enter")
    # Tab on from the toolbar to the main navigation: each stop shows a focus ring.
    for _ in range(12):
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.boxShadow]; }"
        )
        assert style[0] == "solid" or style[1] != "none", style
