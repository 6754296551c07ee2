"""The demo agency's records computed in each format: the 2018 report in the pre-2019 format
gives the seed's 统计表 (seeds/000_dcb72101f199030d.txt), cell by cell; the 2025 report in the
2021 format passes every check rule."""

import json
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from gongkai.catalogue.selectors import public_items
from gongkai.core.models import Agency
from gongkai.reports.cli_lint import run_lint
from gongkai.reports.compute import compute_report
from gongkai.reports.formats import get
from gongkai.reports.importers import import_file
from gongkai.reports.lint import lint_report, omitted_totals
from gongkai.reports.narrative import draft_narrative, render_narrative

pytestmark = pytest.mark.django_db

NOW = "2026-11-26 10:00 +0800"

SEED = Path(__file__).parent / "fixtures" / "000_dcb72101f199030d.txt"


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=False):
        call_command("demo", stdout=StringIO())
        yield Agency.objects.get(slug="liuheng")


def test_2018_pre2019_reproduces_the_seed_table(demo):
    """Cell by cell against the imported seed: every figure it prints; every blank as 0 (the
    format prints 0 as a blank), except where the seed's blank is not 0 — 按时/延期办结数, whose
    due dates under the 2007 条例 are unknown (blank in both), and the totals lint finds omitted
    (申请答复数, 从事…人员数), which the records give as the sum lint expects."""
    fmt = get("pre2019")
    printed = import_file(SEED).cells
    omitted = {f.location: f.expected for f in omitted_totals(fmt, printed)}
    assert set(omitted) == {
        "（三）申请答复数|统计数",
        "（二）从事政府信息公开工作人员数（默认为兼职）|统计数",
    }
    unknown = {"1.按时办结数|统计数", "2.延期办结数|统计数"}

    report = compute_report(demo, 2018, "pre2019")

    expected = {}
    for key, value in printed.items():
        if key in omitted:
            expected[key] = omitted[key]
        elif key in unknown:
            expected[key] = None
        else:
            expected[key] = 0 if value is None else value
    assert report.cells == expected
    assert fmt.evaluate(report.cells) == []
    # printed as the format prints it, the computed table is the seed's, blank for blank
    shown = {k: (None if v == 0 else v) for k, v in report.cells.items()}
    assert {k: v for k, v in shown.items() if k not in omitted} == {
        k: v for k, v in printed.items() if k not in omitted
    }
    # the drafted text tells the same figures, and lint finds nothing in it
    draft = draft_narrative(demo, 2018, fmt, report.cells)
    text = render_narrative(draft, report.cells)
    assert "主动公开政府信息1132条" in text["一、主动公开情况"]
    assert (
        "通过政府网站公开政府信息614条，通过政务微博公开200条，通过政务微信公开318条"
        in (text["一、主动公开情况"])
    )
    assert "收到政府信息公开申请8件" in text["三、依申请公开情况"]
    assert "办结申请8件。" in text["三、依申请公开情况"]  # timeliness unknown: not told
    assert "同意公开5件" in text["三、依申请公开情况"]
    assert "不属于本行政机关公开3件" in text["三、依申请公开情况"]
    assert "专职人员1人" in text["八、机构建设和保障经费情况"]
    as_report = {"format": "pre2019", "year": 2018, "cells": report.cells, "narrative": draft}
    assert [f for f in lint_report(as_report) if f.rule.startswith("narrative")] == []
    # the command a supervising office would run: the published file against the records
    out = StringIO()
    status = run_lint({"file": str(SEED), "agency": "liuheng", "json": True}, out)
    findings = json.loads(out.getvalue())["findings"]
    assert status == 1  # the 604 ≠ 614 of the narrative
    assert [f for f in findings if f["rule"] == "records"] == []
    assert [
        (f["rule"], f["expected"], f["actual"]) for f in findings if f["severity"] == "error"
    ] == [("narrative_sum", 614, 604)]
    # the website lists the 614 it published; the 518 posts on 微博/微信 only are not on it
    assert public_items().filter(agency=demo, index_year=2018).count() == 614


def test_2025_computes_in_the_2021_format_with_every_check_passing(demo):
    fmt = get("2021")
    report = compute_report(demo, 2025, "2021")
    assert fmt.evaluate(report.cells) == []
    assert report.cells["一、本年新收政府信息公开申请数量|总计"] > 0
    # 2025's carry-out is 2026's carry-in (the cross-year rule)
    later = compute_report(demo, 2026, "2021")
    for column in ("自然人", "总计"):
        assert (
            report.cells[f"四、结转下年度继续办理|{column}"]
            == later.cells[f"二、上年结转政府信息公开申请数量|{column}"]
        )
