"""六横镇's officer edits the 2025 report's text: the bound figures show as tokens with their
value (not {{cell:…}} markup), the officer writes around a token, inserts a figure with the
picker, deletes another token, saves, reloads and sees the token with the right value, then
submits the report for review. Without JavaScript the textarea with the markup still works,
and a token of no cell is refused with the officer's text kept."""

from __future__ import annotations

import re

import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from gongkai.applications.demo import load_applications_demo
from gongkai.core.models import User
from gongkai.reports import services
from gongkai.reports.compute import compute_report
from gongkai.reports.models import ReportStatus
from gongkai.reports.narrative import token

from .axe import assert_no_serious_violations

YEAR = 2025
NEW = "一、本年新收政府信息公开申请数量|总计"
CARRIED = "二、上年结转政府信息公开申请数量|总计"
GENERAL = "一、总体情况"
APPLICATIONS = "三、收到和处理政府信息公开申请情况"
PROBLEMS = "五、存在的主要问题及改进情况"
OTHER = "六、其他需要报告的事项"
NOW = "2026-03-10 10:00 +0800"


def _form(page: Page, title: str):
    return page.locator("form[data-narrative]").filter(
        has=page.locator(f"input[name=section][value='{title}']")
    )


def test_officer_edits_the_text_with_tokens_and_submits(page: Page, demo, log_in):
    town = demo.agencies["liuheng"]
    officer = User.objects.get(username="lh_officer")
    with time_machine.travel(NOW, tick=True):
        load_applications_demo()
        report = services.report_start(actor=officer, agency=town, year=YEAR, fmt="2021")
        services.report_narrative_draft(actor=officer, report=report)
        cells = compute_report(town, YEAR, "2021").cells
        new_total = str(cells[NEW])
        assert cells[NEW] > 0

        log_in("lh_officer")
        url = reverse("reports:report", args=[town.slug, YEAR])
        page.goto(url + "#narrative")
        section = page.locator("#narrative")
        editors = section.locator(".narrative-editor")
        expect(editors).to_have_count(6)
        expect(section.locator("textarea")).to_have_count(6)
        for i in range(6):
            expect(section.locator("textarea").nth(i)).to_be_hidden()
            expect(editors.nth(i)).not_to_contain_text("{{cell:")
        assert "{{cell:" not in section.inner_text()  # what the officer sees

        general = _form(page, GENERAL)
        bound = general.locator(f".cell-token[data-cell='{NEW}']")
        expect(bound).to_have_text(new_total)
        expect(bound).to_have_attribute("contenteditable", "false")
        label = f"表三 · 一、本年新收政府信息公开申请数量 · 总计 = {new_total}"
        expect(bound).to_have_attribute("title", label)
        expect(bound).to_have_attribute("aria-label", label)
        assert_no_serious_violations(page, "the narrative editor")

        # section 五: the officer replaces the draft's placeholder with text around a figure
        problems = _form(page, PROBLEMS)
        editor = problems.locator(".narrative-editor")
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("全年共受理申请")
        problems.locator("[data-picker-open]").click()
        search = problems.locator("[data-picker-search]")
        expect(search).to_be_focused()
        search.fill("本年新收 总计")
        listing = problems.locator("[data-picker-list]")
        expect(listing.locator("option")).to_have_count(1)
        expect(listing.locator("option")).to_have_text(label)
        search.press("Enter")  # inserts the selected cell; does not submit the form
        expect(problems.locator("[data-picker]")).to_be_hidden()
        expect(editor).to_be_focused()
        page.keyboard.type("件，答复质量有待提高。")
        page.keyboard.press("Enter")
        page.keyboard.type("将加强培训。")
        expect(editor.locator(".cell-token")).to_have_text(new_total)
        with page.expect_navigation():  # the save is read only once it is done
            problems.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_be_visible()

        report.refresh_from_db()
        assert report.narrative[PROBLEMS] == (
            f"全年共受理申请{token(NEW)}件，答复质量有待提高。\n将加强培训。"
        )

        # section 三: the officer deletes the carried-over figure (the binding goes with it)
        applications = _form(page, APPLICATIONS)
        carried = applications.locator(f".cell-token[data-cell='{CARRIED}']")
        expect(carried).to_have_count(1)
        carried.evaluate(
            """(el) => { const range = document.createRange(); range.setStartAfter(el);
            range.collapse(true); el.parentNode.focus();
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range); }"""
        )
        page.keyboard.press("Backspace")
        expect(carried).to_have_count(0)
        with page.expect_navigation():
            applications.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_be_visible()
        report.refresh_from_db()
        assert token(CARRIED) not in report.narrative[APPLICATIONS]
        assert token(NEW) in report.narrative[APPLICATIONS]

        # by keyboard only: to the end of section 六, Tab to the picker, find, choose, insert
        other = _form(page, OTHER)
        editor = other.locator(".narrative-editor")
        editor.focus()
        page.keyboard.press("Control+End")
        page.keyboard.press("Tab")
        expect(other.locator("[data-picker-open]")).to_be_focused()
        page.keyboard.press("Enter")
        expect(other.locator("[data-picker-open]")).to_have_attribute("aria-expanded", "true")
        page.keyboard.type("上年结转")
        page.keyboard.press("Escape")  # closes the picker, back in the text
        expect(other.locator("[data-picker]")).to_be_hidden()
        expect(editor).to_be_focused()
        page.keyboard.press("Control+End")
        page.keyboard.type("上年结转")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(other.locator("[data-picker-open]")).to_be_focused()
        page.keyboard.press("Enter")
        page.keyboard.type("上年结转 总计")
        page.keyboard.press("ArrowDown")
        expect(other.locator("[data-picker-list]")).to_be_focused()
        page.keyboard.press("Enter")
        expect(editor).to_be_focused()
        page.keyboard.type("件。")
        with page.expect_navigation():
            other.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_be_visible()
        report.refresh_from_db()
        assert report.narrative[OTHER].endswith(f"上年结转{token(CARRIED)}件。")

        # reloaded: the inserted token with its value, the text around it, no markup
        page.reload()
        problems = _form(page, PROBLEMS)
        editor = problems.locator(".narrative-editor")
        expect(editor).to_contain_text(f"全年共受理申请{new_total}件，答复质量有待提高。")
        expect(editor).to_contain_text("将加强培训。")
        expect(editor.locator(f".cell-token[data-cell='{NEW}']")).to_have_text(new_total)
        assert "{{cell:" not in page.locator("#narrative").inner_text()

        # and the report goes to review (section 五 is written now)
        page.locator("form").filter(has=page.locator("input[name=action][value=submit]")).locator(
            "button"
        ).click()
        expect(page.locator("#narrative")).to_have_count(0)  # no longer editable
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW


def test_without_javascript_the_markup_is_edited_and_checked(demo, make_context):
    town = demo.agencies["liuheng"]
    officer = User.objects.get(username="lh_officer")
    report = services.report_start(actor=officer, agency=town, year=YEAR, fmt="2021")
    services.report_narrative_set(
        actor=officer, report=report, narrative={GENERAL: f"新收申请{token(NEW)}件。"}
    )
    page = make_context(java_script_enabled=False).new_page()
    page.goto(reverse("core:login"))
    page.locator("main form input[name=username]").fill("lh_officer")
    page.locator("main form input[name=password]").fill(demo.password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("core:staff-home")) + "$"))

    page.goto(reverse("reports:report", args=[town.slug, YEAR]))
    expect(page.locator(".narrative-editor")).to_have_count(0)
    general = _form(page, GENERAL)
    textarea = general.locator("textarea")
    expect(textarea).to_be_visible()
    expect(textarea).to_have_value(f"新收申请{token(NEW)}件。")

    refused = f"新收申请{token(NEW)}件，另收{token('表九|合计')}件。"
    textarea.fill(refused)
    with page.expect_navigation():
        general.locator("button[type=submit]").click()
    general = _form(page, GENERAL)
    expect(general.locator(".errors")).to_contain_text("表九|合计")
    expect(general.locator("textarea")).to_have_value(refused)
    expect(general.locator("textarea")).to_have_attribute("aria-invalid", "true")
    report.refresh_from_db()
    assert report.narrative == {GENERAL: f"新收申请{token(NEW)}件。"}

    general.locator("textarea").fill(f"新收申请{token(NEW)}件，均已答复。")
    with page.expect_navigation():
        general.locator("button[type=submit]").click()
    expect(_form(page, GENERAL).locator("textarea")).to_have_value(
        f"新收申请{token(NEW)}件，均已答复。"
    )
    report.refresh_from_db()
    assert report.narrative == {GENERAL: f"新收申请{token(NEW)}件，均已答复。"}
