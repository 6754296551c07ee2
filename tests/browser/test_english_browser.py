"""A visitor whose browser asks for English (issue 17, "Chinese everywhere"): the government site
stays Chinese — its pages, the staff login and a missing page, which is the site's own 404 in
its frame, not Django's."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gongkai.portal.demo import load_portal_demo

from .axe import assert_no_serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def english(demo, make_context):
    load_portal_demo()
    context = make_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    return context.new_page()


def test_an_english_browser_reads_the_chinese_site(english):
    page = english
    page.goto("/")
    assert page.evaluate("navigator.language") == "en-US"
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("link", name="政府信息公开平台").first).to_be_visible()
    page.goto("/gk/liuheng/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("link", name="政府信息公开指南", exact=True)).to_be_visible()
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # The form's labels come from the translation catalogue: Chinese, not the English msgids.
    body = page.locator("body").inner_text()
    assert "用户名" in body and "Username" not in body


def test_a_missing_page_is_the_sites_chinese_404(english, artifacts_dir):
    page = english
    response = page.goto("/gk/liuheng/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    # In the site's frame: its header and footer, a way home and to the search.
    expect(page.locator("header.portal-header")).to_be_visible()
    expect(page.locator("footer.portal-footer")).to_be_visible()
    expect(page.get_by_role("link", name="返回平台首页")).to_be_visible()
    assert "Page not found" not in page.content()
    assert "Traceback" not in page.content()
    assert_no_serious_violations(page, "404")
    page.screenshot(path=str(artifacts_dir / "404.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="返回平台首页").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
