"""依申请公开 end to end: a citizen applies online, the office confirms receipt and asks for a
correction, the citizen corrects on the status page, the head of the office extends, the office
replies 部分公开 with a letter, and the citizen downloads the reply as a PDF whose text holds
the application number and the remedies paragraph."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from gongkai.applications.models import Application, Status

# A Monday whose reply deadline lies inside the seeded calendar (RULES A.1's example). The live
# server runs in this process, so it sees the same frozen (ticking) clock.
DAY = "2026-09-28 09:00 +0800"


def staff_page(make_context, username: str, password: str) -> Page:
    page = make_context().new_page()
    page.goto(reverse("core:login"))
    page.locator("main form input[name=username]").fill(username)
    page.locator("main form input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("core:staff-home")) + "$"))
    return page


def act(page: Page, name: str, fields: dict[str, str] | None = None, selects=None) -> None:
    form = page.locator(f"#action-{name}")
    if not form.is_visible():  # not the next legal step: folded under the other actions
        page.locator("details.more-actions > summary").click()
    for field, value in (fields or {}).items():
        form.locator(f"[name='{name}-{field}']").fill(value)
    for field, value in (selects or {}).items():
        form.locator(f"select[name='{name}-{field}']").select_option(value)
    form.locator("button[type=submit]").first.click()
    expect(page.locator("ul.messages li.success, .messages .success").first).to_be_visible()


def look_up(page: Page, number: str, code: str) -> None:
    page.goto(reverse("portal:application-status", args=["liuheng"]))
    if page.locator(".application-status").count():
        return  # still open on this device from the last look-up (30 minutes)
    form = page.locator("main form").first
    form.locator("input[name=number]").fill(number)
    form.locator("input[name=code]").fill(code)
    form.locator("button[type=submit]").click()
    expect(page.locator(".application-status")).to_be_visible()


@override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True)  # cookies must not expire at the real date
def test_apply_correct_extend_reply_and_download(page: Page, demo, make_context, tmp_path):
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext (Debian poppler-utils) is missing; `make test` installs it.")
    with time_machine.travel(DAY, tick=True):
        # The citizen applies online.
        page.goto(reverse("portal:apply", args=["liuheng"]))
        form = page.locator("form.apply-form")
        form.locator("input[name=applicant_type][value=natural_person]").check()
        form.locator("input[name=applicant_name]").fill("林晓燕")
        form.locator("select[name=id_type]").select_option("resident_id")
        form.locator("input[name=id_number]").fill("330902199001011238")
        form.locator("input[name=phone]").fill("13900139000")
        form.locator("input[name=email]").fill("lin@example.com")
        form.locator("textarea[name=information]").fill("六横镇2025年海塘加固工程的验收报告")
        form.locator("input[name=forms][value=email]").check()
        form.locator("input[name=delivery][value=online]").check()
        form.locator("button[type=submit]").click()
        number = page.locator(".application-number").inner_text().strip()
        code = page.locator(".query-code").inner_text().strip()
        assert re.fullmatch(r"YSQ-2026-\d{4}", number) and len(code) == 8
        application = Application.objects.get(number=number)
        detail = reverse("applications:detail", args=["liuheng", application.pk])

        # The officer confirms receipt and asks for a correction.
        officer = staff_page(make_context, "lh_officer", demo.password)
        officer.goto(detail)
        act(officer, "confirm_receipt")
        act(officer, "request_correction", {"items": "请写明验收报告所属的工程标段"})

        # The citizen sees the request and corrects on the status page.
        look_up(page, number, code)
        correction = page.locator("form[action$='/apply/status/correction/']")
        correction.locator("textarea").fill("海塘加固工程第二标段（佛渡至悬山段）")
        correction.locator("button[type=submit]").click()
        expect(page.locator(".application-status")).to_be_visible()
        application.refresh_from_db()
        assert application.status == Status.PROCESSING

        # Only the head of the office may extend; then the officer replies 部分公开.
        head = staff_page(make_context, "lh_head", demo.password)
        head.goto(detail)
        act(head, "extend", {"days": "10", "reason": "需要调阅档案并征求施工单位意见"})
        officer.goto(detail)
        with officer.expect_navigation():
            act(
                officer,
                "reply",
                {"reason": "验收报告中施工单位的报价明细涉及商业秘密，已作区分处理。"},
                selects={"outcome": "partial"},
            )
        # The reply letter is previewed, signed off by the head, then issued (numbered).
        with officer.expect_navigation():
            act(officer, "reply_submit")
        head.goto(detail)
        with head.expect_navigation():
            act(head, "reply_sign")
        officer.goto(detail)
        with officer.expect_navigation():
            act(officer, "reply_issue")
        application.refresh_from_db()
        assert application.status == Status.CONCLUDED and application.outcome == "partial"

        # The citizen sees the reply and downloads the letter as a PDF.
        look_up(page, number, code)
        link = page.get_by_role("link", name="PDF 政府信息公开申请答复告知书", exact=True)
        with page.expect_download() as download_info:
            link.click()
        pdf = tmp_path / "reply.pdf"
        download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(  # noqa: S603 — a fixed program on our own file
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert number in flat
    assert "行政复议" in flat and "行政诉讼" in flat and "六十日内" in flat
