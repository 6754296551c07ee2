"""The district's supervisor opens the roll-up matrix of the 2025 annual reports: 六横镇 published,
桃花镇 did not and is marked overdue, 六横镇's internal office is not expected; with the previous
year beside, the supervisor exports the workbook and it holds the same rows and marks."""

from __future__ import annotations

import re
from io import BytesIO

import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from gongkai.core import services as core_services
from gongkai.core.models import User
from gongkai.reports.models import Report, ReportStatus, ReportVersion

NEW = "一、本年新收政府信息公开申请数量|总计"


def _publish(agency, year, cells, user):
    report = Report.objects.create(
        agency=agency, year=year, format="2021", status=ReportStatus.PUBLISHED, version=1
    )
    ReportVersion.objects.create(report=report, number=1, cells=cells, published_by=user)


def test_supervisor_sees_the_overdue_town_and_exports_the_matrix(page: Page, demo, log_in):
    with translation.override("zh-hans"):
        overdue = gettext("Overdue, not published")
        published = gettext("Published")
    district, town, other = (demo.agencies[s] for s in ("putuo", "liuheng", "taohua"))
    office = demo.agencies["liuheng-dangzheng"]
    core_services.agency_set_publishes_annual_report(actor=None, agency=office, value=False)
    officer = User.objects.get(username="lh_officer")
    _publish(town, 2025, {NEW: 12}, officer)
    _publish(town, 2024, {NEW: 9}, officer)

    with time_machine.travel("2026-03-10 10:00 +0800", tick=True):
        log_in("pt_supervisor")
        page.goto(reverse("reports:matrix", args=[district.slug, 2025]))
        table = page.locator("#report-matrix")
        expect(table).to_be_visible()
        other_row = table.locator(f"tr[data-agency='{other.slug}']")
        expect(other_row.locator(".status-late")).to_have_text(overdue)
        expect(other_row).to_contain_text("2026-01-31")
        expect(table.locator(f"tr[data-agency='{town.slug}']")).to_contain_text(published)
        expect(table.locator(f"tr[data-agency='{office.slug}']")).to_have_count(0)
        expect(table.locator("tfoot")).to_contain_text("12")

        page.locator("input[name=compare]").check()
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"compare=1"))
        town_row = table.locator(f"tr[data-agency='{town.slug}']")
        expect(town_row).to_contain_text("9")

        with page.expect_download() as info:
            page.locator("a[href*='/matrix/xlsx/']").click()
        download = info.value
        assert download.suggested_filename == f"{district.name}2025年度报告统计矩阵（同比）.xlsx"
        data = open(download.path(), "rb").read()  # noqa: PTH123, SIM115 — Playwright's file

    sheet = load_workbook(BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    body = {row[0]: row for row in rows[2:-1]}
    assert {district.name, town.name, other.name} <= set(body)
    assert office.name not in body
    assert body[other.name][1] == overdue
    assert body[town.name][1] == published
    assert 12 in body[town.name] and 9 in body[town.name] and 3 in body[town.name]
    assert rows[-1][0] == gettext_zh("Total")


def gettext_zh(text: str) -> str:
    with translation.override("zh-hans"):
        return gettext(text)
