"""Issue 17 (5), as a citizen does it in a browser: apply online and print the receipt (申请编号,
查询码, the request, the due date of the legal clock), follow the status link with the number
filled in; the platform home carries the identity footer, the 找错 link and a feed; the 指南
explains applying, fees, time limits and 监督和救济; at 375 px the annual report's table scrolls
inside its box and no 索引号 wraps. axe-core: no serious or critical violation on these pages.

Screenshots: test-artifacts/citizen-receipt.png, citizen-receipt-print.png,
citizen-report-375.png, staff-application-page.png.
"""

from __future__ import annotations

import re
from datetime import date

import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from gongkai.applications import clock
from gongkai.applications.demo import load_applications_demo
from gongkai.applications.models import Application
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.taxonomy import ColumnType, Genre
from gongkai.core.selectors import current_work_calendar
from gongkai.portal.demo import load_portal_demo
from gongkai.reports.demo import load_reports_demo

from .axe import assert_no_serious_violations

DAY = "2026-09-28 09:00 +0800"  # a Monday: RULES A.1's example, due 2026-10-30
REQUEST = "六横镇2025年海塘加固工程的验收报告"
MOBILE = {"width": 375, "height": 812}
ALL_CHECKS = catalogue_services.ReviewChecks(secrecy=True, privacy=True, wording=True)


def test_a_citizen_prints_the_receipt(page: Page, demo, artifacts_dir):
    load_portal_demo()
    with time_machine.travel(DAY, tick=True):
        page.goto(reverse("portal:apply", args=["liuheng"]))
        form = page.locator("form.apply-form")
        form.locator("input[name=applicant_type][value=natural_person]").check()
        form.locator("input[name=applicant_name]").fill("林晓燕")
        form.locator("select[name=id_type]").select_option("resident_id")
        form.locator("input[name=id_number]").fill("330902199001011238")
        form.locator("input[name=phone]").fill("13900139000")
        form.locator("textarea[name=information]").fill(REQUEST)
        form.locator("input[name=forms][value=email]").check()
        form.locator("input[name=email]").fill("lin@example.com")
        form.locator("input[name=delivery][value=online]").check()
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

        receipt = page.locator("#receipt")
        expect(receipt).to_be_visible()
        application = Application.objects.get(applicant_name="林晓燕")
        code = receipt.locator(".query-code").inner_text().strip()
        assert receipt.locator(".application-number").inner_text().strip() == application.number
        assert len(code) == 8
        expect(receipt.locator("[data-testid=receipt-request]")).to_have_text(REQUEST)
        due = clock.due_date(date(2026, 9, 28), current_work_calendar()).due_on
        assert due == date(2026, 10, 30)
        expect(receipt.locator("[data-testid=receipt-due]")).to_contain_text("2026-10-30")
        assert receipt.locator("[data-due]").get_attribute("data-due") == due.isoformat()
        assert_no_serious_violations(page, "receipt")
        page.screenshot(path=str(artifacts_dir / "citizen-receipt.png"), full_page=True)

        # The print button (shown by the script) calls the browser's print; stand in for the
        # dialog, which a headless browser cannot show.
        page.evaluate("() => { window.__printed = 0; window.print = () => window.__printed++; }")
        button = page.locator("button[data-print]")
        expect(button).to_be_visible()
        button.click()
        assert page.evaluate("() => window.__printed") == 1

        # What the printer gets: the receipt, without the site's frame and the buttons.
        page.emulate_media(media="print")
        expect(receipt).to_be_visible()
        expect(receipt.locator(".query-code")).to_have_text(code)
        for frame in ("header.portal-header", "footer.portal-footer", "button[data-print]"):
            expect(page.locator(frame)).to_be_hidden()
        page.screenshot(path=str(artifacts_dir / "citizen-receipt-print.png"), full_page=True)
        page.emulate_media(media="screen")

        # The status link carries the number; the citizen adds the code.
        with page.expect_navigation():
            page.locator("a.status-link").click()
        number_field = page.locator("main form input[name=number]")
        expect(number_field).to_have_value(application.number)
        page.locator("main form input[name=code]").fill(code)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        expect(page.locator(".application-status")).to_be_visible()


def test_the_platform_home_and_the_guide(page: Page, demo):
    load_portal_demo()
    page.goto(reverse("portal:home"))
    footer = page.locator("footer.portal-footer")
    expect(footer).to_contain_text("网站标识码")
    expect(footer).to_contain_text("3309030000")
    expect(footer).to_contain_text("浙ICP备00000000号")
    expect(footer).to_contain_text("浙公网安备 33090302000000号")
    expect(footer.get_by_role("link", name="我为政府网站找错")).to_be_visible()
    feed = footer.locator("a.feed-link")
    assert feed.get_attribute("href") == reverse("portal:platform-feed-rss")
    assert page.locator("link[rel=alternate][type='application/rss+xml']").count() == 1
    assert_no_serious_violations(page, "platform home")
    response = page.request.get(feed.get_attribute("href"))
    assert response.ok and "<rss" in response.text()

    page.goto(reverse("portal:guide", args=["liuheng"]))
    guide = page.locator("article.guide")
    for heading in ("（二）依申请公开", "五、监督和救济"):
        expect(guide.get_by_role("heading", name=heading)).to_be_visible()
    expect(guide.locator("[data-testid=index-rule]")).to_contain_text(
        demo.agencies["liuheng"].uscc + "/"
    )
    assert guide.locator("table.fee-bands").count() == 2
    expect(guide.get_by_role("link", name=re.compile(".")).first).to_be_visible()
    assert_no_serious_violations(page, "guide")


def test_at_375_px_the_report_table_scrolls_in_its_box_and_index_numbers_do_not_wrap(
    make_context, demo, artifacts_dir
):
    load_portal_demo()
    liuheng = demo.agencies["liuheng"]
    editor, reviewer = demo.users["lh_editor"], demo.users["lh_reviewer"]
    column = catalogue_services.column_create(
        actor=None, agency=liuheng, name="财政预决算", column_type=ColumnType.FINANCE
    )
    for n in range(3):
        item = catalogue_services.item_create(
            actor=editor,
            agency=liuheng,
            column=column,
            title=f"六横镇2026年部门预算公开（第{n + 1}批）",
            formed_on=date(2026, 3, 2),
            genre=Genre.FINANCE,
            body="<p>现予公开。</p>",
        )
        item = catalogue_services.item_submit(actor=editor, item=item)
        item = catalogue_services.item_approve(
            actor=reviewer, item=item, checks=ALL_CHECKS, publish_now=True
        )
        assert item.status == ItemStatus.PUBLISHED
    with time_machine.travel("2026-11-26 10:00 +0800", tick=True):
        load_applications_demo()
        load_reports_demo()
    page = make_context(viewport=MOBILE).new_page()

    # 索引号 in the column list and on an item page: the text's boxes lie on one line, and
    # inside the screen
    for url in (
        reverse("portal:column", args=["liuheng", column.pk]),
        reverse("portal:item", args=["liuheng", item.pk]),
    ):
        page.goto(url)
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('td.index-number')].map((td) => {
                   const range = document.createRange();
                   range.selectNodeContents(td);
                   const rects = [...range.getClientRects()].filter((r) => r.width > 0);
                   return {text: td.textContent.trim(),
                           lines: new Set(rects.map((r) => Math.round(r.top))).size,
                           right: Math.max(...rects.map((r) => r.right))};
               })"""
        )
        assert boxes and all("/" in b["text"] for b in boxes), boxes
        assert all(b["lines"] == 1 and b["right"] <= MOBILE["width"] for b in boxes), boxes
        # and the page itself does not scroll sideways
        assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]
        assert_no_serious_violations(page, f"375 px {url}")

    page.goto(reverse("portal:annual-report", args=["liuheng", 2025]))
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.report-scroll')].map((box) => {
               const r = box.getBoundingClientRect();
               return {left: r.left, right: r.right, scroll: box.scrollWidth,
                       client: box.clientWidth};
           })"""
    )
    assert boxes, "the report's tables are in scroll boxes"
    # every box fits the screen; the wide tables scroll inside them, not the page
    assert all(b["left"] >= 0 and b["right"] <= MOBILE["width"] for b in boxes), boxes
    assert any(b["scroll"] > b["client"] for b in boxes), boxes
    assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]
    page.screenshot(path=str(artifacts_dir / "citizen-report-375.png"), full_page=False)
    assert_no_serious_violations(page, "report at 375 px")


def test_the_officer_queue_and_application_page(page: Page, demo, log_in, artifacts_dir):
    with time_machine.travel("2026-11-26 10:00 +0800", tick=True):
        load_applications_demo()
        log_in("lh_officer")
        page.goto(reverse("applications:queue", args=["liuheng"]) + "?status=all&sort=applicant")
        rows = page.locator("table.applications tr[data-number]")
        assert rows.count() > 0
        # the applicant column is wide enough for a name (not one character a line)
        widths = page.evaluate(
            """() => [...document.querySelectorAll('table.applications td.applicant')].map(
                   (td) => td.getBoundingClientRect().width)"""
        )
        assert min(widths) >= 100, widths
        assert_no_serious_violations(page, "queue")
        # an open application (the default list, soonest due first): its next legal step is
        # shown first, the other actions folded until asked for
        page.goto(reverse("applications:queue", args=["liuheng"]))
        with page.expect_navigation():
            page.locator("table.applications tr[data-number] a").first.click()
        expect(page.locator(".next-step form.action-form")).to_be_visible()
        folded = page.locator("details.more-actions")
        expect(folded.locator("form.action-form").first).to_be_hidden()
        page.screenshot(path=str(artifacts_dir / "staff-application-page.png"), full_page=True)
        folded.locator("summary").click()
        expect(folded.locator("form.action-form").first).to_be_visible()
        assert_no_serious_violations(page, "application page")
