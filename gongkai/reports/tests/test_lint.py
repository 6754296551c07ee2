"""Lint rules, each with a passing and a failing case, and lint on the seed and the samples."""

import copy
from pathlib import Path

import pytest

from gongkai.reports.formats import get
from gongkai.reports.importers import import_file
from gongkai.reports.lint import (
    SEVERITY_LABELS,
    against_records,
    blank_cells,
    check_rules,
    cross_year,
    format_sanity,
    has_errors,
    lint_report,
    omitted_totals,
    severity_label,
)

FIXTURES = Path(__file__).parent / "fixtures"
F2021 = get("2021")


def rules(findings, severity=None):
    return [f.rule for f in findings if severity is None or f.severity == severity]


def errors(findings):
    return [f for f in findings if f.severity == "error"]


@pytest.fixture
def good():
    """The hand-written 2021 report: every check passes."""
    return import_file(FIXTURES / "2023_taohua-town-2021-format.html").as_dict()


def test_clean_report_has_no_finding(good):
    assert lint_report(good) == []


def test_column_identity_fails(good):
    good["cells"]["四、结转下年度继续办理|自然人"] = 2
    good["cells"]["四、结转下年度继续办理|总计"] = 2
    found = [f for f in lint_report(good) if f.rule == "column_identity"]
    assert {(f.location, f.expected, f.actual) for f in found} == {
        ("一、本年新收政府信息公开申请数量|自然人", 12, 11),
        ("一、本年新收政府信息公开申请数量|总计", 14, 13),
    }


def test_sum_of_rows_fails(good):
    good["cells"]["（七）总计|商业企业"] = 3
    good["cells"]["（七）总计|总计"] = 13
    found = [f for f in lint_report(good) if f.rule == "sum_of_rows"]
    assert [(f.location, f.expected, f.actual) for f in found] == [
        ("（七）总计|商业企业", 2, 3),
        ("（七）总计|总计", 12, 13),
    ]


def test_sum_of_columns_fails(good):
    good["cells"]["（一）予以公开|总计"] = 8
    found = [f for f in errors(lint_report(good)) if f.rule == "sum_of_columns"]
    assert [(f.location, f.expected, f.actual) for f in found] == [("（一）予以公开|总计", 7, 8)]


def test_table_four_totals(good):
    good["cells"]["行政复议|总计"] = 3
    found = [f for f in lint_report(good) if f.rule == "sum_of_columns"]
    assert [(f.location, f.expected, f.actual) for f in found] == [("行政复议|总计", 2, 3)]


def test_blank_cell_where_zero_is_meant(good):
    assert blank_cells(F2021, good["cells"]) == []
    good["cells"]["2.重复申请|科研机构"] = None
    (f,) = blank_cells(F2021, good["cells"])
    assert (f.rule, f.severity, f.location, f.expected, f.actual) == (
        "blank_cell",
        "warning",
        "2.重复申请|科研机构",
        0,
        None,
    )
    # a blank where 0 is meant is a warning, not an error: the checks read it as 0
    assert not has_errors(lint_report(good))


def test_blank_row_and_missing_table(good):
    for key in list(good["cells"]):
        if key.startswith("2.重复申请|"):
            good["cells"][key] = None
    assert [(f.rule, f.location) for f in blank_cells(F2021, good["cells"])] == [
        ("blank_row", "2.重复申请")
    ]
    for key in list(good["cells"]):
        if key.startswith(("行政复议|", "行政诉讼|")):
            good["cells"][key] = None
    assert "table_missing" in rules(blank_cells(F2021, good["cells"]))


def test_check_skipped_when_a_row_is_missing(good):
    for key in list(good["cells"]):
        if key.startswith("（七）总计|"):
            good["cells"][key] = None
    found = check_rules(F2021, good["cells"])
    assert "column_identity" not in rules(found)
    assert "check_skipped" in rules(found, "info")


def test_entered_cell_blank_is_not_a_warning(good):
    assert good["cells"]["行政强制|本年处理决定数量"] is None
    assert blank_cells(F2021, good["cells"]) == []


def test_omitted_total():
    fmt = get("pre2019")
    cells = dict.fromkeys(fmt.cell_keys())
    cells["2.同意公开答复数|统计数"] = 5
    cells["5.不属于本行政机关公开数|统计数"] = 3
    cells["（三）申请答复数|统计数"] = 8
    assert omitted_totals(fmt, cells) == []
    cells["（三）申请答复数|统计数"] = None
    (f,) = omitted_totals(fmt, cells)
    assert (f.rule, f.severity, f.expected, f.actual, f.location) == (
        "omitted_total",
        "warning",
        8,
        None,
        "（三）申请答复数|统计数",
    )
    # the omitted total is not also reported as a blank that means 0
    assert "（三）申请答复数|统计数" not in [x.location for x in blank_cells(fmt, cells)]


def test_against_records():
    """A published report against the records: only real differences are reported."""
    fmt = get("pre2019")
    published = dict.fromkeys(fmt.cell_keys())
    published["2.同意公开答复数|统计数"] = 5
    published["5.不属于本行政机关公开数|统计数"] = 3
    records = dict.fromkeys(fmt.cell_keys(), 0)
    records["2.同意公开答复数|统计数"] = 5
    records["5.不属于本行政机关公开数|统计数"] = 3
    records["（三）申请答复数|统计数"] = 8  # the total the report left blank over 5 + 3
    records["1.按时办结数|统计数"] = None  # the records cannot tell
    report = {"format": "pre2019", "year": 2018, "cells": published}
    assert against_records(report, records) == []
    records["2.同意公开答复数|统计数"] = 6
    records["（一）召开政府信息公开工作会议或专题会议数|统计数"] = 2
    found = against_records(report, records)
    assert [(f.rule, f.location, f.expected, f.actual) for f in found] == [
        ("records", "2.同意公开答复数|统计数", 6, 5),
        ("records", "（一）召开政府信息公开工作会议或专题会议数|统计数", 2, None),
    ]


def test_cross_year(good):
    later = copy.deepcopy(good)
    later["year"] = good["year"] + 1
    for column in ("自然人", "总计"):
        later["cells"][f"二、上年结转政府信息公开申请数量|{column}"] = 1
    carry = [f for f in cross_year(good, later) if f.rule == "cross_year"]
    assert carry == []
    later["cells"]["二、上年结转政府信息公开申请数量|总计"] = 3
    (f,) = [f for f in cross_year(good, later) if f.rule == "cross_year"]
    assert (f.rule, f.severity, f.expected, f.actual) == ("cross_year", "error", 1, 3)
    assert f.location == "2024:二、上年结转政府信息公开申请数量|总计"
    # not consecutive years, or a figure unknown: not compared
    later["year"] = good["year"] + 2
    assert cross_year(good, later) == []
    later["year"] = good["year"] + 1
    later["cells"]["二、上年结转政府信息公开申请数量|总计"] = None
    assert [f for f in cross_year(good, later) if f.rule == "cross_year"] == []


def test_cross_year_from_lint_report_previous(good):
    previous = copy.deepcopy(good)
    previous["year"] = 2022
    previous["cells"]["四、结转下年度继续办理|总计"] = 5
    found = [f for f in lint_report(good, previous=previous) if f.rule == "cross_year"]
    assert [(f.expected, f.actual) for f in found] == [(5, 1)]


def test_town_reporting_rules(good):
    assert format_sanity(F2021, good["cells"], 2023, "township") == []
    good["cells"]["规章|本年制发件数"] = 1
    (f,) = format_sanity(F2021, good["cells"], 2023, "township")
    # a figure in the wrong row, not an arithmetic contradiction: a warning
    assert (f.rule, f.severity, f.location, f.actual) == (
        "level_sanity",
        "warning",
        "规章|本年制发件数",
        1,
    )
    # a county department may report 规章 figures (it cannot make them either, but the
    # rule is the town's); a subdistrict is a town for this rule
    assert format_sanity(F2021, good["cells"], 2023, "department") == []
    assert rules(format_sanity(F2021, good["cells"], 2023, "subdistrict")) == ["level_sanity"]
    # the level comes from the agency name (桃花镇人民政府) when not given
    assert "level_sanity" in rules(lint_report(good))


def test_format_year(good):
    assert format_sanity(F2021, good["cells"], 2023, None) == []
    (f,) = format_sanity(F2021, good["cells"], 2019, None)
    assert (f.rule, f.expected, f.actual) == ("format_year", "2019", "2021")


def test_narrative_rules(good):
    good["narrative"]["一、总体情况"] = (
        "主动公开政府信息共120条，其中工作动态60条，通知公告40条，政策文件20条。全年新收政府信息公开申请12件。"
    )
    assert lint_report(good) == []
    good["narrative"]["一、总体情况"] = (
        "主动公开政府信息共120条，其中工作动态60条，通知公告40条，政策文件10条。全年新收政府信息公开申请15件。"
    )
    found = {f.rule: f for f in lint_report(good)}
    assert (found["narrative_sum"].expected, found["narrative_sum"].actual) == (120, 110)
    assert (found["narrative_table"].expected, found["narrative_table"].actual) == (12, 15)
    assert found["narrative_table"].severity == "error"  # 新收: the table's own words
    assert found["narrative_sum"].location.startswith("一、总体情况：")


# --- the seed and the samples ---------------------------------------------------------------


def lint_file(name):
    report = import_file(FIXTURES / name)
    return report.findings + lint_report(report.as_dict())


def test_seed_reports_604_not_614_and_no_table_error():
    found = lint_file("000_dcb72101f199030d.txt")
    assert [(f.rule, f.expected, f.actual) for f in errors(found)] == [("narrative_sum", 614, 604)]
    assert "受理依申请公开8件" not in " ".join(f.location for f in errors(found))
    # the totals it leaves blank over filled parts are warnings, with the figure they should be
    assert sorted((f.location, f.expected) for f in found if f.rule == "omitted_total") == [
        ("（三）申请答复数|统计数", 8),
        ("（二）从事政府信息公开工作人员数（默认为兼职）|统计数", 1),
    ]


def test_ninghai_615_vs_574_and_94_vs_88():
    found = lint_file("2012_ninghai-yuexi-township.txt")
    assert [(f.rule, f.expected, f.actual) for f in errors(found)] == [
        ("narrative_sum", 615, 574),
        ("narrative_sum", 94, 88),
    ]


def test_kaiping_2483_vs_3518():
    found = lint_file("2016_kaiping-shatang-town.txt")
    assert [(f.rule, f.expected, f.actual) for f in errors(found)] == [
        ("narrative_sum", 2483, 3518)
    ]


def test_songmutang_town_reports_rules():
    found = lint_file("2022_taojiang-songmutang-town.txt")
    assert errors(found) == []
    assert [(f.rule, f.location, f.actual) for f in found if f.rule == "level_sanity"] == [
        ("level_sanity", "规章|本年制发件数", 2),
        ("level_sanity", "规章|现行有效件数", 2),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "2009_jinxiang-water-bureau.txt",
        "2013_shangyu-xietang-town.txt",
        "2017_lishui-city.txt",
        "2020_guangzhou-liwan-nanyuan-subdistrict.txt",
        "2020_qianan-dawuli-town.txt",
        "2022_taojiang-songmutang-town.txt",
        "2022_xixian-taiping-town.txt",
        "2023_guangzhou-haizhu-guanzhou-subdistrict.txt",
        "2020_nanyuan-2019-format.html",
    ],
)
def test_consistent_samples_have_no_error(name):
    assert errors(lint_file(name)) == []


# --- every check rule of every format: a passing and a failing case -----------------------


def _every_check():
    for key in ("2021", "2019", "pre2019"):
        fmt = get(key)
        for table in fmt.tables:
            for check in table.checks:
                yield pytest.param(fmt, table, check, id=f"{key}-{table.key}-{check.message}")


def _broken(fmt, table, check) -> dict:
    """All-zero cells with one figure changed so that `check` cannot hold."""
    cells = dict.fromkeys(fmt.cell_keys(), 0)
    column = next(c for c in table.columns if not check.columns or c.key in check.columns)
    if check.rule == "sum_of_columns":
        row = next(r for r in table.data_rows() if not check.rows or r.key in check.rows)
        cells[fmt.cell_key(row.key, check.target)] = 1
        return cells
    targets = (check.target,) if isinstance(check.target, str) else check.target
    if check.rule in ("sum_of_rows", "column_identity", "at_most"):
        cells[fmt.cell_key(targets[0], column.key)] = 1
    else:  # at_least, at_least_each: a part above its total
        cells[fmt.cell_key(check.parts[0], column.key)] = 1
    return cells


@pytest.mark.parametrize(("fmt", "table", "check"), list(_every_check()))
def test_every_check_rule_passes_and_fails(fmt, table, check):
    zeros = dict.fromkeys(fmt.cell_keys(), 0)
    assert check_rules(fmt, zeros) == []
    found = check_rules(fmt, _broken(fmt, table, check))
    assert any(check.message in f.message and f.rule == check.rule for f in found), found
    assert has_errors(found)


# --- issue 15: lint that is right when it speaks -----------------------------------------------


def _with_text(report, text, section="三、收到和处理政府信息公开申请情况"):
    report["narrative"] = {section: text}
    return lint_report(report)


def test_the_81_clause_is_not_summed_to_90(good):
    """A correct sentence of a real report: the 其中 list ends at the semicolon."""
    good["agency"] = "桃花县文化局"
    text = (
        "全年办结依申请公开12件，其中：予以公开7件，部分公开1件，无法提供2件，不予处理1件，"
        "其他处理1件；因政府信息公开引起的行政复议案件2件、行政诉讼案件1件。"
    )
    assert _with_text(good, text) == []


def test_a_list_of_parts_in_jian_and_tiao_is_one_list(good):
    good["agency"] = "桃花县文化局"
    text = "在政务公开系统上主动公开政府信息47条，其中部门文件22件，通知公告16条，其他9条。"
    assert _with_text(good, text, "二、主动公开政府信息情况") == []


def test_received_with_the_carried_over_is_a_note_not_an_error(good):
    good["agency"] = "桃花县文化局"
    # the fixture: 新收 12 (总计), 上年结转 1
    (f,) = _with_text(good, "全年共收到政府信息公开申请13件。")
    assert (f.rule, f.severity, f.expected, f.actual) == (
        "narrative_received_with_carry",
        "info",
        12,
        13,
    )
    (f,) = _with_text(good, "全年共收到政府信息公开申请20件。")
    assert (f.rule, f.severity) == ("narrative_table", "warning")


def test_the_text_against_table_two_393_vs_470(good):
    good["agency"] = "桃花县文化局"
    good["cells"]["行政规范性文件|现行有效件数"] = 470
    found = _with_text(good, "现行有效行政规范性文件393件。", "二、主动公开政府信息情况")
    assert [(f.rule, f.severity, f.expected, f.actual) for f in found] == [
        ("narrative_table", "error", 470, 393)
    ]
    assert found[0].basis


def test_stock_continuity_698_77_132(good):
    previous = copy.deepcopy(good)
    previous["year"] = 2022
    previous["cells"]["行政规范性文件|现行有效件数"] = 698
    good["cells"].update(
        {
            "行政规范性文件|本年制发件数": 77,
            "行政规范性文件|本年废止件数": 132,
            "行政规范性文件|现行有效件数": 470,
        }
    )
    found = [f for f in cross_year(previous, good) if f.rule == "stock_continuity"]
    assert [(f.severity, f.expected, f.actual, f.location) for f in found] == [
        ("warning", 643, 470, "2023:行政规范性文件|现行有效件数")
    ]
    good["cells"]["行政规范性文件|现行有效件数"] = 643
    assert [f for f in cross_year(previous, good) if f.rule == "stock_continuity"] == []
    # through lint_report's previous
    good["cells"]["行政规范性文件|现行有效件数"] = 470
    assert "stock_continuity" in rules(lint_report(good, previous=previous), "warning")


def test_125_blank_cells_are_one_finding_per_table(good):
    blanked = 0
    for key in list(good["cells"]):
        row = key.split("|")[0]
        if row in ("一、本年新收政府信息公开申请数量", "（七）总计"):
            continue
        entry = F2021.cell_index().get(key)
        if entry and entry[0].blank_means_zero and F2021.table_of(entry[0].key).key == "三":
            good["cells"][key] = None
            blanked += 1
    assert blanked > 100
    found = [f for f in blank_cells(F2021, good["cells"]) if f.rule.startswith("blank")]
    assert [(f.rule, f.location, f.severity) for f in found] == [
        ("blank_cells", "三、收到和处理政府信息公开申请情况", "warning")
    ]
    assert str(blanked) in found[0].message
    # a row blank in some of its cells is one finding for the row
    cells = dict(import_file(FIXTURES / "2023_taohua-town-2021-format.html").cells)
    cells["2.重复申请|科研机构"] = None
    cells["2.重复申请|商业企业"] = None
    assert [(f.rule, f.location) for f in blank_cells(F2021, cells)] == [
        ("blank_row", "2.重复申请")
    ]


def test_every_finding_has_a_basis_and_a_label_not_in_english(good):
    good["cells"]["（七）总计|总计"] = 99
    good["cells"]["2.重复申请|科研机构"] = None
    good["narrative"] = {"一、总体情况": "共公开10条，其中甲3条，乙4条。全年共收到申请13件。"}
    found = lint_report(good)
    assert {f.severity for f in found} == {"error", "warning", "info"}
    assert all(f.basis for f in found)
    for severity, label in SEVERITY_LABELS.items():
        assert severity_label(severity) == str(label)  # through gettext, never the code


def test_severity_labels_are_chinese():
    if severity_label("error") == "Severity: error":
        pytest.skip("the zh-hans catalog is not compiled with this change's messages yet")
    assert [severity_label(s) for s in ("error", "warning", "info")] == ["错误", "警告", "提示"]


@pytest.mark.parametrize(
    "name",
    [
        "2020_guangzhou-liwan-nanyuan-subdistrict.txt",
        "2020_qianan-dawuli-town.txt",
        "2022_taojiang-songmutang-town.txt",
        "2022_xixian-taiping-town.txt",
        "2023_guangzhou-haizhu-guanzhou-subdistrict.txt",
    ],
)
def test_real_published_reports_have_no_error_and_grouped_blanks(name):
    """The 2019+ samples (../shared/samples/reports, copied in fixtures/): correct published
    reports. No error; blanks are at most one finding per table."""
    found = lint_file(name)
    assert errors(found) == []
    blank = [f for f in found if f.rule.startswith("blank")]
    assert len(blank) <= len(get("2021").tables)


def test_a_blank_total_over_filled_parts_is_one_warning_not_a_chain_of_errors(good):
    """2024_shanghai-science-commission prints 1 under 四 自然人 and leaves its 总计 blank: the
    total is omitted (a warning with the figure it should be), not a 0 that fails the column
    identity and the row sum (two errors on a correct report before)."""
    carried, concluded = (
        good["cells"][k] for k in ("四、结转下年度继续办理|总计", "（七）总计|总计")
    )
    assert carried and concluded
    good["cells"]["四、结转下年度继续办理|总计"] = None
    good["cells"]["（七）总计|总计"] = None
    found = lint_report(good)
    assert errors(found) == []
    assert sorted((f.location, f.expected) for f in found if f.rule == "omitted_total") == [
        ("四、结转下年度继续办理|总计", carried),
        ("（七）总计|总计", concluded),
    ]
    # a total that is written and wrong is still an error
    good["cells"]["四、结转下年度继续办理|总计"] = 0
    assert "sum_of_columns" in rules(lint_report(good), "error")
