"""A reply letter as an official document, as the office makes it: the officer drafts a 部分公开
reply and previews the letter, the head of the disclosure office signs it off, the officer
issues it; the PDF (read back with pdftotext) is signed by 六横镇人民政府 on the page of its
date, addresses the company as 贵单位 (never 您（单位）) and has no doubled punctuation although
the officer typed some. Screenshots: test-artifacts/application.png (the application page) and
test-artifacts/letter.png (the letter's page, by pdftoppm)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from gongkai.applications import services
from gongkai.applications.demo import demo_credit_code
from gongkai.applications.models import ReplyDraftStatus, Status
from gongkai.core.models import User
from tests.browser.axe import assert_no_serious_violations
from tests.browser.test_application_flow import staff_page

DAY = "2026-09-28 09:00 +0800"
COMPANY = services.ApplicationInput(
    applicant_type="commercial",
    applicant_name="舟山演示海运有限公司",
    id_type="credit_code",
    id_number=demo_credit_code("MA2D0001X"),
    contact_person="郑经理",
    phone="13900139000",
    # typed with a full stop of its own, where the template adds one
    information="六横镇2025年海塘加固工程第二标段的验收报告。",
    forms=["paper"],
    delivery="post",
    address="舟山市普陀区六横镇峧头路1号",
    postcode="316131",
)
# the officer's reason, with the doubled marks a hurried officer types
REASON = "验收报告中施工单位的报价明细涉及商业秘密，，已作区分处理。。"


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} (Debian poppler-utils) is missing; `make test` installs it.")
    return found


def submit_step(page: Page, name: str) -> None:
    """Press the button of the action form `name` and wait for the page the POST leads to."""
    form = page.locator(f"#action-{name}")
    if not form.is_visible():  # folded under the other actions
        page.locator("details.more-actions > summary").click()
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    expect(page.locator("ul.messages li.success").first).to_be_visible()


@override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True)
def test_draft_preview_sign_off_issue(page: Page, demo, make_context, tmp_path, artifacts_dir):
    pdftotext, pdftoppm = tool("pdftotext"), tool("pdftoppm")
    agency = demo.agencies["liuheng"]
    # 六横镇 prints a 红头 and names its 党政综合办公室 as the contact (set by its administrator).
    services.application_settings_update(
        actor=User.objects.get(username="lh_admin"),
        agency=agency,
        data={
            "letter_prefix": "六横",
            "letterhead": True,
            "contact_office": "六横镇党政综合办公室",
        },
    )
    with time_machine.travel(DAY, tick=True):
        application = services.application_submit(
            agency=agency,
            data=COMPANY,
            channel="in_person",
            actor=User.objects.get(username="lh_officer"),
        ).application
        detail = reverse("applications:detail", args=["liuheng", application.pk])

        # The officer drafts the reply 部分公开 and looks at the letter's preview.
        officer = staff_page(make_context, "lh_officer", demo.password)
        officer.goto(detail)
        form = officer.locator("#action-reply")
        form.locator("select[name='reply-outcome']").select_option("partial")
        form.locator("textarea[name='reply-reason']").fill(REASON)
        with officer.expect_navigation():
            form.locator("button[type=submit]").first.click()
        preview = officer.get_by_test_id("letter-preview")
        expect(preview).to_be_visible()
        expect(preview).to_contain_text("贵单位")
        expect(preview).to_contain_text("已作区分处理。")
        preview_text = preview.inner_text()
        assert "。。" not in preview_text and "，，" not in preview_text
        assert "您（单位）" not in preview_text
        application.refresh_from_db()
        assert application.status == Status.RECEIVED and not application.letters.exists()
        assert_no_serious_violations(officer, "application page with the reply preview")
        submit_step(officer, "reply_submit")
        expect(officer.locator("#action-reply_issue")).to_have_count(0)  # not signed off yet

        # The head of the disclosure office signs it off.
        head = staff_page(make_context, "lh_head", demo.password)
        head.goto(detail)
        expect(head.get_by_test_id("reply-status")).to_be_visible()
        assert_no_serious_violations(head, "application page awaiting sign-off")
        # the page's 下一步 is the sign-off, one click from the letter's sign-off form
        box = head.locator('.next-step[data-next-step="reply_sign"]')
        expect(box).to_be_visible()
        box.locator("a").click()
        expect(head).to_have_url(re.compile(r"#action-reply_sign$"))
        expect(head.locator("#action-reply_sign button")).to_be_in_viewport()
        submit_step(head, "reply_sign")
        # the officer's 下一步 is now to issue it
        officer.goto(detail)
        expect(officer.locator('.next-step[data-next-step="reply_issue"]')).to_be_visible()
        assert (
            application.reply_draft.__class__.objects.get(application=application).status
            == ReplyDraftStatus.SIGNED
        )

        # The officer issues it: numbered and dated today, the application concluded.
        officer.goto(detail)
        submit_step(officer, "reply_issue")
        application.refresh_from_db()
        assert application.status == Status.CONCLUDED and application.outcome == "partial"
        letter = application.letters.get(kind="reply")
        expect(officer.get_by_test_id("reply-number")).to_have_text(letter.number)
        row = officer.locator("tr[data-letter='reply']")
        pdf_link = row.get_by_role("link", name="PDF")
        expect(pdf_link).to_be_visible()  # rendered by the background task (eager in tests)
        assert_no_serious_violations(officer, "application page after issue")
        officer.screenshot(path=str(artifacts_dir / "application.png"), full_page=True)
        with officer.expect_download() as download_info:
            pdf_link.click()
        pdf = tmp_path / "reply.pdf"
        download_info.value.save_as(pdf)

    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(  # noqa: S603 — a fixed program on our own file
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert letter.number in flat and application.number in flat
    assert "您（单位）" not in flat and "您(单位)" not in flat
    assert "。。" not in flat and "，，" not in flat
    assert "贵单位" in flat and "联系机构：六横镇党政综合办公室" in flat
    # signed by the agency, on the same page as its date (with the seal's room above them)
    pages = [re.sub(r"\s+", "", page) for page in text.split("\f") if page.strip()]
    date = f"{letter.issued_on.year}年{letter.issued_on.month}月{letter.issued_on.day}日"
    signed = [
        page
        for page in pages
        if page.endswith(f"六横镇人民政府{date}") or f"六横镇人民政府{date}" in page
    ]
    assert len(signed) == 1, pages
    assert signed[0].index("联系机构") < signed[0].rindex("六横镇人民政府")
    # the letter's pages as one picture, side by side (page 2 holds the signature when the
    # letterhead and the text fill page 1)
    subprocess.run(  # noqa: S603 — a fixed program on our own file
        [pdftoppm, "-png", "-r", "80", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    images = [Image.open(path) for path in sorted(tmp_path.glob("page-*.png"))]
    assert len(images) == len(pages)
    sheet = Image.new(
        "RGB", (sum(i.width for i in images) + 16 * (len(images) - 1), images[0].height), "#888"
    )
    left = 0
    for image in images:
        sheet.paste(image, (left, 0))
        left += image.width + 16
    sheet.save(artifacts_dir / "letter.png")
    assert (artifacts_dir / "letter.png").stat().st_size > 10_000
