"""The Content-Security-Policy and the Permissions-Policy in a real browser: the main public and
staff pages load, their script runs, and Chromium reports no violation and no header error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from gongkai.applications import services as application_services
from gongkai.applications.tests.conftest import person
from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.tests.factories import ColumnFactory, ItemFactory

# What Chromium writes to the console when the policy refuses something or a header is wrong.
HEADER_PROBLEMS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")

VIOLATIONS_JS = """() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
        window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
}"""


@pytest.fixture
def records(demo):
    """A published item and an application of 六横镇 (the demo fixture has neither)."""
    town = demo.agencies["liuheng"]
    item = ItemFactory(
        column=ColumnFactory(agency=town, name="工作动态"),
        title="六横镇召开安全生产工作会议",
        status=ItemStatus.PUBLISHED,
        published_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        index_number=f"{town.uscc}/2026-00001",
        body="<p>会议部署了当前安全生产重点工作。</p>",
        created_by=demo.users["lh_editor"],
    )
    application = application_services.application_submit(
        agency=town, data=person(), channel="in_person", actor=demo.users["lh_officer"]
    ).application
    return {"item": item, "application": application}


def watch(page: Page) -> list[str]:
    """Console messages about the security headers on `page` (filled as pages load), plus the
    securitypolicyviolation events each document reports."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if any(marker in message.text for marker in HEADER_PROBLEMS):
            problems.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    # An init script is injected by the browser itself, so the policy does not apply to it.
    page.context.add_init_script(script=f"({VIOLATIONS_JS})()")
    return problems


def visit(page: Page, url: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    for violation in page.evaluate("() => window.__cspViolations || []"):
        problems.append(f"{url}: {violation}")


def test_public_pages_run_under_the_policy_without_violations(page: Page, records):
    problems = watch(page)
    item = records["item"]
    for url in (
        reverse("portal:home"),
        reverse("portal:agency-home", args=["liuheng"]),
        reverse("portal:guide", args=["liuheng"]),
        reverse("portal:catalogue", args=["liuheng"]),
        reverse("portal:item", args=["liuheng", item.pk]),
        reverse("portal:search") + "?q=%E8%B4%A2%E6%94%BF",
        reverse("portal:apply", args=["liuheng"]),
        reverse("portal:application-status", args=["liuheng"]),
    ):
        visit(page, url, problems)
    # portal.js (a static file) runs: the text-size switch works without a reload.
    page.goto(reverse("portal:agency-home", args=["liuheng"]))
    url_before = page.url
    page.locator("form[data-prefs] button[value='larger']").click()
    expect(page.locator("html")).to_have_attribute("data-font", "2")
    assert page.url == url_before
    assert problems == [], "\n".join(problems)


def test_staff_pages_run_under_the_policy_without_violations(page: Page, demo, records, log_in):
    problems = watch(page)
    log_in("lh_officer")
    application, item = records["application"], records["item"]
    for url in (
        reverse("core:staff-home"),
        reverse("core:agency-detail", args=[demo.agencies["liuheng"].pk]),
        reverse("core:calendar"),
        reverse("applications:queue", args=["liuheng"]),
        reverse("applications:detail", args=["liuheng", application.pk]),
        reverse("catalogue:item-list", args=["liuheng"]),
        reverse("catalogue:item-detail", args=["liuheng", item.pk]),
        reverse("catalogue:review-queue", args=["liuheng"]),
        reverse("reports:report-list", args=["liuheng"]),
    ):
        visit(page, url, problems)
    assert problems == [], "\n".join(problems)


def test_the_admin_runs_under_the_policy_without_violations(page: Page, demo, log_in):
    problems = watch(page)
    log_in("admin")
    for url in (
        reverse("admin:index"),
        reverse("admin:core_agency_changelist"),
        reverse("admin:core_agency_change", args=[demo.agencies["liuheng"].pk]),
        reverse("admin:core_user_add"),
    ):
        visit(page, url, problems)
    assert problems == [], "\n".join(problems)
