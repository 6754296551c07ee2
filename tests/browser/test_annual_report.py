"""A visitor opens 六横镇's published 2025 annual report on the portal and downloads it as DOCX
and PDF; the PDF's text (pdftotext) and the DOCX's tables hold the report's figures."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import docx
import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from gongkai.applications.demo import load_applications_demo
from gongkai.core.tasks import run_pending
from gongkai.reports.demo import load_reports_demo
from gongkai.reports.models import Report


def test_visitor_reads_and_downloads_the_annual_report(page: Page, demo, tmp_path):
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext (Debian poppler-utils) is missing; `make test` installs it.")
    with time_machine.travel("2026-11-26 10:00 +0800", tick=True):
        load_applications_demo()
        load_reports_demo()
        version = Report.objects.get(agency__slug="liuheng", year=2025).versions.get()
        new_total = version.cells["一、本年新收政府信息公开申请数量|总计"]
        assert new_total > 0

        page.goto(reverse("portal:agency-home", args=["liuheng"]))
        page.get_by_role("link", name="年度报告").first.click()
        page.get_by_role("link", name=re.compile("2025年政府信息公开工作年度报告")).click()
        expect(page.locator("h1")).to_contain_text("2025")
        expect(page.locator("main table").first).to_be_visible()

        downloads = {}
        for kind in ("PDF", "DOCX"):
            with page.expect_download() as info:
                page.locator("p.downloads").get_by_role("link", name=kind, exact=True).click()
            path = tmp_path / f"report.{kind.lower()}"
            info.value.save_as(path)
            downloads[kind] = path

    pdf = downloads["PDF"].read_bytes()
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(  # noqa: S603 — a fixed program on our own file
        [pdftotext, "-layout", str(downloads["PDF"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert "六横镇人民政府" in flat and "本年新收政府信息公开申请" in flat
    assert "行政复议" in flat and "结转下年度继续办理" in flat

    document = docx.Document(io.BytesIO(downloads["DOCX"].read_bytes()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("本年新收政府信息公开申请数量" in cell for cell in cells)
    assert str(new_total) in cells


def test_staff_export_the_draft_as_pdf_and_download_it_when_ready(
    page: Page, demo, log_in, settings, tmp_path
):
    """The report page's PDF button starts an export built by the task queue: the export's page
    waits (reloading itself) until the worker has built the file, then offers it."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext (Debian poppler-utils) is missing; `make test` installs it.")
    settings.GONGKAI_TASKS_MODE = "manual"  # the task waits until this test runs it
    with time_machine.travel("2026-11-26 10:00 +0800", tick=True):
        load_reports_demo()
        log_in("lh_officer")
        page.goto(reverse("reports:report", args=["liuheng", 2025]))
        with page.expect_navigation():
            page.locator("#export-pdf").click()
        expect(page).to_have_url(re.compile(r"/staff/exports/\d+/$"))
        expect(page.locator("#export-running")).to_be_visible()

        assert [task.name for task in run_pending()] == ["reports.export_report"]
        # the page reloads itself (Refresh header) and links the finished file
        link = page.locator("#export-download")
        expect(link).to_be_visible(timeout=15_000)
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == "六横镇人民政府2025年政府信息公开工作年度报告.pdf"
        path = tmp_path / "export.pdf"
        download.save_as(path)

    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(  # noqa: S603 — a fixed program on our own file
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "六横镇人民政府" in re.sub(r"\s+", "", text)
    page.locator("#export-back").click()
    expect(page).to_have_url(re.compile(r"/staff/reports/liuheng/2025/$"))
