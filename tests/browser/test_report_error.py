"""我为政府网站找错 in a real browser: a visitor on 六横镇's portal follows the footer link, the
form knows the page they came from, they report an error and keep the reference number and
check code; the disclosure officer replies from the staff queue; the visitor later reads the
reply with the reference number and code. axe-core checks the public pages.

UI labels are translated, so the test finds its way by URLs, form field names, the official
Chinese link text of the footer (我为政府网站找错) and data attributes of the receipt.
"""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from gongkai.engagement.models import ErrorReport
from gongkai.portal.demo import load_portal_demo

from .axe import assert_no_serious_violations

AGENCY = "liuheng"
DESCRIPTION = (
    "“政府信息公开指南”中办公时间写成了“上午8:30—12:00，下午14:00—17:30”，与大厅公示不一致。"
)
REPLY = "感谢您的指正。经核实，办公时间已按大厅公示更正。"


def test_visitor_reports_an_error_and_reads_the_reply(page: Page, demo, make_context):
    load_portal_demo()
    guide = reverse("portal:guide", args=[AGENCY])

    # A visitor reads the guide and follows the footer link.
    page.goto(guide)
    page.locator("footer").get_by_role("link", name="我为政府网站找错").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("portal:report-error", args=[AGENCY]))))
    form = page.locator("main form")
    expect(form.locator("input[name=page_url]")).to_have_value(re.compile(re.escape(guide) + "$"))
    assert_no_serious_violations(page)
    form.locator("select[name=error_type]").select_option("content")
    form.locator("textarea[name=description]").fill(DESCRIPTION)
    form.locator("input[name=contact]").fill("13800000000")
    form.locator("button[type=submit]").click()

    reference = page.locator("[data-reference]").inner_text().strip()
    code = page.locator("[data-check-code]").inner_text().strip()
    assert re.fullmatch(r"ZC-\d{4}-\d{4}", reference)
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    report = ErrorReport.objects.get(reference=reference, agency__slug=AGENCY)
    assert report.page_url.endswith(guide)

    # The disclosure officer answers from the queue.
    staff = make_context().new_page()
    staff.goto(reverse("core:login"))
    login = staff.locator("main form")
    login.locator("input[name=username]").fill("lh_officer")
    login.locator("input[name=password]").fill(demo.password)
    login.locator("button[type=submit]").click()
    expect(staff).to_have_url(re.compile(re.escape(reverse("core:staff-home")) + "$"))
    staff.goto(reverse("engagement:error-list", args=[AGENCY]))
    queue_row = staff.locator("tbody tr", has_text=reference)
    expect(queue_row).to_contain_text("138****0000")
    queue_row.get_by_role("link", name=reference).click()
    staff.locator(f"form[action$='/errors/{report.pk}/reply/'] textarea[name=reply]").fill(REPLY)
    staff.locator(f"form[action$='/errors/{report.pk}/reply/'] button[type=submit]").click()
    expect(staff.locator("[data-status]")).to_have_attribute("data-status", "replied")

    # Later, in a fresh browser, the visitor reads the reply with the reference and code.
    later = make_context().new_page()
    later.goto(reverse("portal:report-error", args=[AGENCY]))
    later.locator("main a[href$='/report-error/status/']").click()
    lookup = later.locator("main form")
    lookup.locator("input[name=reference]").fill(reference)
    lookup.locator("input[name=code]").fill("WRONGCOD")
    lookup.locator("button[type=submit]").click()
    expect(later.locator("[data-reply]")).to_have_count(0)
    lookup = later.locator("main form")
    lookup.locator("input[name=reference]").fill(reference)
    lookup.locator("input[name=code]").fill(code)
    lookup.locator("button[type=submit]").click()
    expect(later.locator("[data-reply]")).to_have_text(REPLY)
    expect(later.locator("[data-status]")).to_have_attribute("data-status", "replied")
    assert_no_serious_violations(later)
