"""Staff login, agency scoping, logout and keyboard use, in a real browser.

UI labels are translated (zh-hans) and the catalogue is still in progress, so these tests assert
on data (agency and user names), URLs, HTTP statuses and selectors, not on translated labels.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from gongkai.core.models import Membership, Role

FOCUSED_HTML = "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : ''"


def url_path_is(path: str) -> re.Pattern:
    """Matches a full URL whose path is exactly `path` (any query string or fragment)."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"(?:[?#].*)?$")


def role_label(role: Role) -> str:
    # The label as the zh-hans page renders it, whether or not the catalogue translates it yet.
    with translation.override("zh-hans"):
        return str(role.label)


def tab_to(page: Page, target: Locator, max_presses: int = 10) -> None:
    """Press Tab until `target` has focus (it may have it already, e.g. through autofocus)."""
    seen = []
    for _ in range(max_presses + 1):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED_HTML))
    raise AssertionError(f"Tab never reached the target; focus went through: {seen}")


def test_officer_logs_in_from_the_home_page_and_opens_their_agency(page: Page, demo):
    liuheng = demo.agencies["liuheng"]
    officer = demo.users["lh_officer"]

    page.goto(reverse("portal:home"))
    expect(page.locator("main")).to_contain_text(liuheng.name)
    page.locator(f'header a[href="{reverse("core:login")}"]').click()
    expect(page).to_have_url(url_path_is(reverse("core:login")))

    form = page.locator("main form")
    form.locator("input[name=username]").fill(officer.username)
    form.locator("input[name=password]").fill(demo.password)
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(url_path_is(reverse("core:staff-home")))
    expect(page.locator("header")).to_contain_text(str(officer))
    row = page.locator("main table tbody tr").filter(
        has=page.get_by_role("link", name=liuheng.name, exact=True)
    )
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text(role_label(Role.OFFICER))

    row.get_by_role("link", name=liuheng.name, exact=True).click()
    expect(page).to_have_url(url_path_is(reverse("core:agency-detail", args=[liuheng.pk])))
    expect(page.locator("main h1")).to_have_text(liuheng.name)
    expect(page.locator("main")).to_contain_text(liuheng.uscc)
    staff_rows = page.locator("main table tbody tr")
    expect(staff_rows.filter(has_text=str(officer))).to_have_count(1)
    expect(staff_rows.filter(has_text=str(demo.users["lh_editor"]))).to_have_count(1)


def test_user_of_another_town_cannot_see_liuheng(page: Page, demo, log_in):
    liuheng, taohua = demo.agencies["liuheng"], demo.agencies["taohua"]
    log_in("th_officer")

    main = page.locator("main")
    expect(main.locator("table").get_by_role("link", name=taohua.name, exact=True)).to_have_count(1)
    expect(main).not_to_contain_text(liuheng.short_name)  # 六横镇 and each of its departments

    liuheng_staff = [
        m.user for m in Membership.objects.filter(agency=liuheng).select_related("user")
    ]
    assert len(liuheng_staff) >= 5
    for path in (
        reverse("core:agency-detail", args=[liuheng.pk]),
        reverse("core:agency-audit", args=[liuheng.pk]),
    ):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
        html = page.content()
        assert liuheng.name not in html
        for user in liuheng_staff:
            assert str(user) not in html
            assert user.username not in html
            assert f"{user.last_name}{user.first_name}" not in html

    # Control: the same user does reach their own town's page.
    response = page.goto(reverse("core:agency-detail", args=[taohua.pk]))
    assert response is not None and response.status == 200
    expect(page.locator("main h1")).to_have_text(taohua.name)


def test_logout_ends_the_session(page: Page, demo, log_in):
    officer = demo.users["lh_officer"]
    log_in(officer.username)

    logout_form = page.locator(f'header form[action="{reverse("core:logout")}"]')
    expect(logout_form).to_have_attribute("method", re.compile("^post$", re.IGNORECASE))
    logout_form.locator("button[type=submit]").click()

    expect(page).to_have_url(url_path_is(reverse("portal:home")))
    expect(page.locator(f'header a[href="{reverse("core:login")}"]')).to_be_visible()
    expect(page.locator("header")).not_to_contain_text(str(officer))

    response = page.goto(reverse("core:staff-home"))
    assert response is not None and response.ok
    redirected_from = response.request.redirected_from
    assert redirected_from is not None
    assert urlsplit(redirected_from.url).path == reverse("core:staff-home")
    expect(page).to_have_url(url_path_is(reverse("core:login")))
    assert parse_qs(urlsplit(page.url).query).get("next") == [reverse("core:staff-home")]
    assert str(officer) not in page.content()


def test_login_page_loads_its_stylesheet(page: Page, demo):
    stylesheets = []

    def record(response):
        if response.request.resource_type == "stylesheet":
            stylesheets.append((response.url, response.status))

    page.on("response", record)
    page.goto(reverse("core:login"))  # returns once the page and its stylesheets have loaded
    assert stylesheets, "the login page links no stylesheet"
    failed = [(url, status) for url, status in stylesheets if status != 200]
    assert not failed, (
        f"stylesheets not served: {failed} (static files are found through the apps' static/ "
        "directories and STATICFILES_DIRS)"
    )
    # With the stylesheet applied the skip link waits off-screen until it is focused.
    box = page.locator('a[href="#main"]').bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0, box


def test_login_with_the_keyboard_only(page: Page, demo):
    officer = demo.users["lh_officer"]
    skip_link = page.locator('a[href="#main"]')

    # The skip link is the first thing Tab reaches, and it is on screen when focused.
    page.goto(reverse("portal:home"))
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, box

    # Home → login link → login form, by keyboard.
    tab_to(page, page.locator(f'header a[href="{reverse("core:login")}"]'))
    page.keyboard.press("Enter")
    expect(page).to_have_url(url_path_is(reverse("core:login")))

    tab_to(page, page.locator("main form input[name=username]"))
    page.keyboard.type(officer.username)
    page.keyboard.press("Tab")
    expect(page.locator("main form input[name=password]")).to_be_focused()
    page.keyboard.type(demo.password)
    page.keyboard.press("Enter")

    expect(page).to_have_url(url_path_is(reverse("core:staff-home")))
    expect(page.locator("header")).to_contain_text(str(officer))

    # On the staff home too the skip link comes first, and it moves focus into <main>.
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null"), page.evaluate(
        FOCUSED_HTML
    )
