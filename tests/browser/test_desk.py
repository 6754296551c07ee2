"""The desk (工作台), as the disclosure officer uses it: after logging in, the demo's overdue and
near-due applications are on the desk with their counts, and one click opens the queue listing
exactly them. The desk and the queue pass axe-core; a screenshot of the desk is kept."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from gongkai.applications.demo import load_applications_demo
from gongkai.applications.models import Application
from gongkai.catalogue.demo import load_catalogue_demo
from gongkai.core.demo import DEMO_PASSWORD, load_demo
from gongkai.core.models import Agency

from .axe import assert_no_serious_violations

# The day the demo's applications are written for: some overdue, some near due (the demo's own
# test uses it). The live server runs in this process and sees the same ticking clock.
DAY = "2026-11-26 10:00 +0800"


@pytest.fixture
def demo_on_day(transactional_db):
    with time_machine.travel(DAY, tick=True):
        load_demo()
        load_catalogue_demo()
        load_applications_demo()
    return Agency.objects.get(slug="liuheng")


def log_in(page: Page, username: str) -> None:
    page.goto(reverse("core:login"))
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("core:staff-home")) + "$"))


@override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True)  # cookies must not expire at the real date
def test_officer_reaches_overdue_and_near_due_applications_in_one_click(
    page: Page, demo_on_day, artifacts_dir
):
    liuheng = demo_on_day
    open_rows = Application.objects.filter(agency=liuheng).open()
    expected = {flag: open_rows.filter(flag=flag).count() for flag in ("overdue", "near_due")}
    assert expected["overdue"] >= 1 and expected["near_due"] >= 1, expected
    with time_machine.travel(DAY, tick=True):
        log_in(page, "lh_officer")
        card = page.locator(f'[data-card="applications"][data-agency="{liuheng.slug}"]')
        expect(card).to_be_visible()
        for flag, count in expected.items():
            expect(card.locator(f'[data-task="{flag}"] .count')).to_have_text(str(count))
        # every staff page carries the side menu and the breadcrumbs
        expect(page.locator("nav.side-menu")).to_be_visible()
        expect(page.locator("nav.breadcrumbs")).to_be_visible()
        page.screenshot(path=str(artifacts_dir / "desk.png"), full_page=True)
        assert_no_serious_violations(page, "the desk")

        for flag, count in expected.items():
            page.goto(reverse("core:staff-home"))
            with page.expect_navigation():
                card.locator(f'[data-task="{flag}"] a').click()
            expect(page).to_have_url(re.compile(r"flag=" + flag))
            rows = page.locator("table.applications tbody tr[data-number]")
            expect(rows).to_have_count(count)
            numbers = set(rows.evaluate_all("rows => rows.map(r => r.dataset.number)"))
            assert numbers == set(open_rows.filter(flag=flag).values_list("number", flat=True)), (
                flag
            )
            # the breadcrumbs lead back to the desk
            crumbs = page.locator("nav.breadcrumbs")
            expect(crumbs.locator("a").first).to_have_attribute("href", reverse("core:staff-home"))
        assert_no_serious_violations(page, "the queue from the desk")


@override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True)
def test_editor_desk_and_side_menu(page: Page, demo_on_day, artifacts_dir):
    liuheng = demo_on_day
    with time_machine.travel(DAY, tick=True):
        log_in(page, "lh_editor")
        card = page.locator(f'[data-card="catalogue"][data-agency="{liuheng.slug}"]')
        # the demo's drafts past the 20 working days of 第二十六条
        expect(card.locator('[data-task="overdue"] .count')).not_to_have_text("0")
        # an editor handles no applications: neither the card nor the menu entry
        expect(page.locator('[data-card="applications"]')).to_have_count(0)
        menu = page.locator("nav.side-menu")
        expect(
            menu.locator(f'a[href="{reverse("applications:queue", args=[liuheng.slug])}"]')
        ).to_have_count(0)
        page.screenshot(path=str(artifacts_dir / "desk-editor.png"), full_page=True)
        assert_no_serious_violations(page, "the editor's desk")
        with page.expect_navigation():
            card.locator('[data-task="overdue"] a').click()
        expect(page.locator("nav.breadcrumbs li[aria-current=page]")).to_be_visible()
        assert_no_serious_violations(page, "the overdue items from the desk")
