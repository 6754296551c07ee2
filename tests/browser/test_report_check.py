"""The district's supervisor uploads a ZIP of annual reports for the batch check, waits on the
page while the background task runs (the page reloads itself until the check is over), reads
the results and downloads the workbook, which opens with its summary sheet."""

from __future__ import annotations

import re
from io import BytesIO

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from gongkai.core.tasks import run_pending
from gongkai.reports import batch
from gongkai.reports.models import ReportCheckBatch
from gongkai.reports.tests.batch_files import DISAGREEING, small_zip


def test_supervisor_uploads_a_zip_and_downloads_the_workbook(page: Page, demo, log_in, settings):
    settings.GONGKAI_TASKS_MODE = "manual"  # the task waits until this test runs it
    with translation.override("zh-hans"):
        waiting = gettext("Waiting")
        done = gettext("Done")
        has_errors = str(batch.STATUS_LABELS[batch.HAS_ERRORS])
        summary_title = gettext("Batch summary")
        agency_header = gettext("Reporting agency")
    district = demo.agencies["putuo"]

    log_in("pt_supervisor")
    page.goto(reverse("reports:check-list", args=[district.slug]))
    page.locator("#check-upload input[name=archive]").set_input_files(
        files=[{"name": "全区年报.zip", "mimeType": "application/zip", "buffer": small_zip()}]
    )
    page.locator("#check-upload button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/checks/\d+/$"))
    status = page.locator(".check-status")
    expect(status).to_have_attribute("data-status", "queued")
    expect(status).to_contain_text(waiting)

    assert [task.name for task in run_pending()] == ["reports.check_batch"]
    # the page reloads itself (Refresh header) and shows the finished check
    expect(status).to_have_attribute("data-status", "done", timeout=15_000)
    expect(status).to_contain_text(done)
    summary = page.locator("#check-summary")
    expect(summary.locator("tbody tr")).to_have_count(3)
    expect(summary.locator("tbody tr.errors").first).to_contain_text(DISAGREEING)
    expect(summary).to_contain_text(has_errors)
    expect(page.locator(".findings").first).to_be_visible()

    with page.expect_download() as info:
        page.locator("#check-xlsx").click()
    download = info.value
    checked = ReportCheckBatch.objects.get()
    assert (
        download.suggested_filename
        == f"{district.name}年度报告批量检查结果（第{checked.pk}次）.xlsx"
    )
    data = open(download.path(), "rb").read()  # noqa: PTH123, SIM115 — Playwright's file

    book = load_workbook(BytesIO(data))
    assert book.sheetnames[0] == summary_title
    rows = list(book[summary_title].iter_rows(values_only=True))
    assert rows[0][0] == agency_header
    assert len(rows) == 1 + 3
    assert (DISAGREEING, 2023, "2021", 2) in {row[:4] for row in rows[1:]}
