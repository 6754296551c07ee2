"""The district's supervisor opens the website-inspection matrix after the nightly run: 六横镇's
four empty 重点领域 columns show amber (one short of the veto), each cell says its colour in
words; the supervisor exports the workbook (Chinese file name) and it holds the same cells. The
town's officer reads the town's page, findings grouped by indicator, and records today's check.
axe finds nothing serious on either page."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.taxonomy import ColumnType
from gongkai.compliance.models import CheckSnapshot
from gongkai.compliance.rules import RULES_BY_ID
from gongkai.compliance.tasks import check_all

from .axe import assert_no_serious_violations

EMPTY = ("重大建设项目", "公共资源配置", "社会救助", "乡村振兴")


def _empty_columns(town) -> None:
    """The catalogue demo's four empty 重点领域 columns (the browser demo has no catalogue)."""
    root = catalogue_services.column_create(
        actor=None, agency=town, name="重点领域", column_type=ColumnType.OTHER
    )
    for name in EMPTY[:3]:
        catalogue_services.column_create(
            actor=None, agency=town, name=name, column_type=ColumnType.OTHER, parent=root
        )


def test_supervisor_reads_the_matrix_and_exports_it(page: Page, demo, log_in):
    district, town, other = (demo.agencies[s] for s in ("putuo", "liuheng", "taohua"))
    _empty_columns(town)  # 重点领域 and three under it: 4 empty
    check_all({}, lambda text: None)  # what the scheduler runs at 02:00
    assert CheckSnapshot.objects.filter(agency=town).count() == 1

    log_in("pt_supervisor")
    page.goto(reverse("compliance:matrix", args=[district.slug]))
    table = page.locator("#compliance-matrix")
    expect(table).to_be_visible()
    town_row = table.locator(f"tr[data-agency='{town.slug}']")
    expect(town_row).to_be_visible()
    expect(table.locator(f"tr[data-agency='{other.slug}']")).to_be_visible()
    empty = town_row.locator("td[data-rule='columns_empty']")
    expect(empty).to_have_attribute("data-status", "warning")
    expect(empty.locator(".rag-amber")).to_have_count(1)
    expect(town_row.locator("td[data-rule='homepage_not_updated']")).to_have_attribute(
        "data-status", "error"
    )
    expect(town_row.locator("td[data-rule='site_unreachable']")).to_have_attribute(
        "data-status", "ok"
    )
    expect(town_row.locator(".rag-red").first).not_to_be_empty()  # the colour in words too
    expect(page.locator("#check-all")).to_have_count(0)  # a supervisor only reads
    assert_no_serious_violations(page, "compliance matrix")
    page.screenshot(path="test-artifacts/compliance-matrix.png", full_page=True)

    with page.expect_download() as info:
        page.locator("#matrix-xlsx").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert "网站检查矩阵" in download.suggested_filename
    data = open(download.path(), "rb").read()  # noqa: PTH123, SIM115 — Playwright's file
    sheet = load_workbook(BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    body = {row[0]: row for row in rows[2:]}
    assert {district.name, town.name, other.name} <= set(body)
    title = RULES_BY_ID["columns_empty"].title
    column = next(n for n, text in enumerate(header) if text and text.startswith(title))
    assert body[town.name][column] == "黄"


def test_officer_reads_the_towns_findings_and_records_a_check(page: Page, demo, log_in):
    town = demo.agencies["liuheng"]
    _empty_columns(town)
    log_in("lh_officer")
    page.goto(reverse("compliance:agency", args=[town.slug]))
    rules = page.locator("#compliance-rules")
    row = rules.locator("tr[data-rule='columns_empty']")
    expect(row).to_have_attribute("data-status", "warning")
    expect(row).to_contain_text("重大建设项目")
    expect(row).to_contain_text("社会救助")
    assert_no_serious_violations(page, "compliance agency page")
    with page.expect_navigation():
        page.locator("#check-now").click()
    assert CheckSnapshot.objects.filter(agency=town).count() == 1
    expect(page.locator("#compliance-trend")).to_be_visible()
