"""Narrative arithmetic and narrative-vs-table figures (narrative_check.py)."""

from decimal import Decimal

import pytest

from gongkai.reports.narrative_check import (
    narrative_percentages,
    narrative_sums,
    narrative_vs_cells,
)


def sums(text, section="一、总体情况"):
    return [(m.stated, m.computed) for m in narrative_sums({section: text})]


def test_seed_sentence_604_not_614():
    text = (
        "2018年在政府信息公开网上公布各类信息共614条,其中工作动态122条,政策文件80条,"
        "公告公示394条,人事信息5条,应急管理1条,财政预算公开1条,年度工作报告1条。"
    )
    assert sums(text) == [(614, 604)]


@pytest.mark.parametrize(
    "text",
    [
        "共公开信息604条，其中工作动态122条，政策文件80条，公告公示394条，人事信息5条，应急管理1条，财政预算公开1条，年度工作报告1条。",
        # the total just before 其中, no 共 (kaiping's first sentence)
        "全年發布各類信息247條，其中機構概況類5條，規章類文件11條，業務類30條，公共服務類20條、政務動態類58條，其它事項123條。",
        # 包括, and a year inside a part's label
        "主动公开政府信息32条，包括领导信息类1条、工作动态类6条、处罚强制类9条、2021年信息公开年报1条、其他15条。",
        # total and parts in two sentences of one paragraph
        "主动公开政务信息共217条。渠道主要包括网站和微信，其中，门户网站公开125条，微信公众号公开92条。",
        # no enumerator: not a sum
        "共收到依申请公开3件，公开1件，不予公开1件，行政复议0件。",
        # a part of another unit is not added
        "共发布信息10条，其中网站6条，微信4条，回应热点3次。",
    ],
)
def test_consistent_or_unrelated_sentences_pass(text):
    assert sums(text) == []


def test_traditional_and_parenthesised_qualifiers_kaiping():
    text = "2016年政務網站、微信、微博共發布各類信息2483條,其中網站(含轉發)319條,微信(含轉發)851條、微博(含轉發)2348條。"
    assert sums(text) == [(2483, 3518)]


def test_list_under_a_sub_heading_and_the_new_series_ninghai():
    text = "\n".join(
        [
            "(一)本机关主动公开政府信息的数量",
            "截至2012年12月30日,我乡在县政府网站共主动公开政府信息615条,今年新增94条。",
            "(二)主动公开政府信息的主要类别情况",
            "信息类别:《政府信息公开指南》1条;机构概况1条;政府文件180条,新增31条;重点工作79条,新增17条;"
            "重点项目94条,新增18条;计划总结24条,新增5条;工作进展 3条,新增3条;统计数据3条,新增3条;"
            "政务动态167条,新增5条;政策信息3条,新增3条;人事任免19条,新增3条。",
        ]
    )
    assert sums(text, "二、主动公开政府信息的情况") == [(615, 574), (94, 88)]


def test_list_in_another_section_does_not_attach():
    narrative = {
        "一、概述": "共公开信息100条。",
        "二、类别": "信息类别：文件60条，动态30条。",
    }
    assert narrative_sums(narrative) == []


def test_mismatch_carries_excerpt_and_parts():
    (m,) = narrative_sums({"一": "共公开10条，其中甲3条，乙4条。"})
    assert (m.section, m.stated, m.computed, m.unit) == ("一", 10, 7, "条")
    assert m.parts == (("其中甲", 3), ("乙", 4))
    assert "共公开10条" in m.excerpt


def test_narrative_vs_table_pre2019():
    cells = {"（一）收到申请数|统计数": 8}
    assert narrative_vs_cells("pre2019", {"四": "今年以来，受理依申请公开8件。"}, cells) == []
    (m,) = narrative_vs_cells("pre2019", {"四": "今年以来，受理依申请公开9件。"}, cells)
    assert (m.table_value, m.stated, m.quantity) == (8, 9, "received")


def test_narrative_vs_table_2021_blank_cell_not_compared():
    narrative = {"一、总体情况": "全年新收政府信息公开申请12件，行政复议2件。"}
    cells = {"一、本年新收政府信息公开申请数量|总计": 12, "行政复议|总计": None}
    assert narrative_vs_cells("2021", narrative, cells) == []
    cells["行政复议|总计"] = 1
    (m,) = narrative_vs_cells("2021", narrative, cells)
    assert (m.quantity, m.table_value, m.stated) == ("review", 1, 2)


# --- issue 15: the failures found on real reports -------------------------------------------


def test_a_semicolon_ends_a_list_of_comma_separated_parts_81_not_90():
    """The 其中 list ends at "；": the 行政复议/诉讼 cases after it are not parts of 办结81件."""
    text = (
        "全年办结依申请公开81件，其中：予以公开及部分公开42件，不予公开10件，无法提供20件，"
        "不予处理7件，其他处理2件；因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。"
    )
    assert sums(text) == []
    # the list itself is still checked
    assert sums(text.replace("其他处理2件", "其他处理3件")) == [(81, 82)]


def test_a_new_subject_ends_a_list():
    text = "办结申请10件，其中予以公开6件，不予公开4件，因政府信息公开引起的行政复议1件。"
    assert sums(text) == []


def test_a_list_written_with_semicolons_goes_on_across_them():
    text = "共公开信息30条，其中：工作动态10条；通知公告15条；政策文件4条。"
    assert sums(text) == [(30, 29)]


def test_parts_counted_in_other_units_of_documents_are_parts():
    """ "信息47条，其中部门文件22件…": 件 and 条 (and 篇, 个) count the same things here."""
    text = "在政府网站系统上主动公开政府信息47条，其中部门文件22件，通知公告16条，工作动态9篇。"
    assert sums(text) == []
    wrong = "主动公开政府信息47条，其中部门文件22件，通知公告16条，工作动态8篇。"
    assert sums(wrong) == [(47, 46)]
    # times and people are not documents
    assert sums("共发布信息10条，其中网站6条，微信4条，回应热点3次，培训20人。") == []


def test_a_stated_share_is_checked_against_its_part():
    ok = {"三": "办结81件，其中予以公开42件，占51.9%，不予公开39件，占48%。"}
    assert narrative_percentages(ok) == []
    (m,) = narrative_percentages({"三": "办结81件，其中予以公开42件，占比60%，不予公开39件。"})
    assert (m.stated, m.computed) == (60, Decimal("51.9"))
    # a percentage is never a count of its own
    assert sums("办结10件，其中予以公开8件，占80%，不予公开2件。") == []


def test_received_counting_the_carried_over_in():
    cells = {
        "一、本年新收政府信息公开申请数量|总计": 74,
        "二、上年结转政府信息公开申请数量|总计": 1,
    }
    (m,) = narrative_vs_cells("2021", {"三": "全年共收到申请75件。"}, cells)
    assert (m.quantity, m.stated, m.table_value, m.with_carry) == ("received", 75, 74, True)
    (m,) = narrative_vs_cells("2021", {"三": "全年共收到申请76件。"}, cells)
    assert (m.with_carry, m.strength) == (False, "loose")
    assert narrative_vs_cells("2021", {"三": "全年共新收申请74件，收到申请74件。"}, cells) == []


def test_table_two_figures_in_the_text_393_vs_470():
    cells = {
        "行政规范性文件|本年制发件数": 77,
        "行政规范性文件|本年废止件数": 132,
        "行政规范性文件|现行有效件数": 470,
        "规章|现行有效件数": 0,
    }
    text = {
        "二": "截至年底，现行有效行政规范性文件393件。本年制发行政规范性文件77件，废止规范性文件132件。"
    }
    (m,) = narrative_vs_cells("2021", text, cells)
    assert (m.quantity, m.cell, m.table_value, m.stated, m.strength) == (
        "in_force",
        "行政规范性文件|现行有效件数",
        470,
        393,
        "exact",
    )
    # the draft's way of writing: the column first, then its rows
    listed = {"二": "现行有效件数：规章0件、行政规范性文件469件。"}
    (m,) = narrative_vs_cells("2021", listed, cells)
    assert (m.cell, m.table_value, m.stated) == ("行政规范性文件|现行有效件数", 470, 469)
    assert (
        narrative_vs_cells("2021", {"二": "现行有效件数：规章0件、行政规范性文件470件。"}, cells)
        == []
    )


def test_a_list_after_a_quantity_in_another_unit_is_not_claimed():
    """2021_dongtou-agriculture-bureau: "累计发布规范性文件0件，整改…问题10处，其中：发布扶贫信息
    43条…" — the list follows 10处, not the 0件 before it."""
    text = (
        "本年度累计主动公开政府信息130条，依申请公开信息0条，累计发布规范性文件0件，"
        "整改政务公开相关问题10处，其中：发布扶贫信息43条、乡村振兴信息10条、涉农补助信息26条。"
    )
    assert sums(text) == []


def test_outcomes_and_fees_in_the_text_against_the_table():
    cells = {
        "（一）予以公开|总计": 7,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）|总计": 1,
        "行政事业性收费|本年收费金额（单位：万元）": Decimal("1.25"),
    }
    ok = {
        "三": "予以公开7件，部分公开1件，不予公开2件。予以公开及部分公开8件。行政事业性收费1.25万元。"
    }
    assert narrative_vs_cells("2021", ok, cells) == []
    wrong = {"三": "予以公开6件，部分公开2件。行政事业性收费2万元。"}
    assert sorted(
        (m.quantity, m.table_value, m.stated) for m in narrative_vs_cells("2021", wrong, cells)
    ) == [
        ("disclosed", 7, 6),
        ("fees", Decimal("1.25"), 2),
        ("partial", 1, 2),
    ]
