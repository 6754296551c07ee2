"""The three formats as data: unique cell keys, verbatim labels, aliases, checks, detection."""

from decimal import Decimal

import pytest

from gongkai.applications.outcomes import ROWS_2019, ROWS_2021, ROWS_LEGACY
from gongkai.applications.taxonomy import ApplicantType
from gongkai.reports.formats import FORMATS, detect, for_year, get, normalize


@pytest.mark.parametrize("key", ["2021", "2019", "pre2019"])
def test_cell_keys_and_row_keys_are_unique(key):
    fmt = get(key)
    keys = fmt.cell_keys()
    assert len(keys) == len(set(keys))
    rows = [row.key for table in fmt.tables for row in table.rows]
    assert len(rows) == len(set(rows))


def test_cell_counts_match_the_official_layouts():
    # 2021: 表二 10 cells, 表三 25 × 7, 表四 15 (RULES C §2.3–2.5); 2019: 表二 22, 表三 23 × 7, 15
    assert len(get("2021").cell_keys()) == 10 + 175 + 15
    assert len(get("2019").cell_keys()) == 22 + 161 + 15
    assert len(get("pre2019").cell_keys()) == 52


def test_labels_are_verbatim():
    f2021, f2019, old = get("2021"), get("2019"), get("pre2019")
    keys = set(f2021.cell_keys())
    for key in [
        "规章|本年制发件数",
        "行政规范性文件|现行有效件数",
        "行政许可|本年处理决定数量",
        "行政事业性收费|本年收费金额（单位：万元）",
        "一、本年新收政府信息公开申请数量|自然人",
        "二、上年结转政府信息公开申请数量|法律服务机构",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）|商业企业",
        "3.危及“三安全一稳定”|总计",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请|其他",
        "（七）总计|总计",
        "四、结转下年度继续办理|社会公益组织",
        "行政复议|结果维持",
        "行政诉讼|未经复议直接起诉|尚未审结",
        "行政诉讼|复议后起诉|总计",
    ]:
        assert key in keys, key
    keys2019 = set(f2019.cell_keys())
    assert {
        "规范性文件|本年新公开数量",
        "其他对外管理服务事项|本年增/减",
        "政府集中采购|采购总金额",
    } <= keys2019
    assert "（六）其他处理|总计" in keys2019 and "3.其他|总计" not in keys2019
    # pre-2019: the seed's labels as printed, in canonical spelling
    for printed in [
        "(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)",
        "3.政务微信公开政府信息数",
        "其中:主要负责同志参加新闻发布会次数",
        "危及国家安全、公共安全、经济安全和社会稳定",
        "1.专职人员数(不包括政府公报及政府网站工作人员数)",
        "(三)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)",
        "(三)接受培训人员数",
    ]:
        row = old.row(printed)
        assert row is not None and row.label == normalize(printed), printed
    assert [
        r.unit
        for r in old.data_rows()
        if r.key in ("一（一）", "三（一）", "七", "八（一）", "九（三）")
    ] == ["条", "件", "万元", "个", "人次"]


def test_outcome_rows_of_applications_are_rows_of_the_formats():
    for key, label in ROWS_2021.items():
        assert get("2021").row(key).label == label
    for key, label in ROWS_2019.items():
        assert get("2019").row(key).label == label
    for key, label in ROWS_LEGACY.items():
        assert get("pre2019").row(key).label == normalize(label)
    applicant_columns = [c for c in get("2021").table("三").columns if c.key != "total"]
    assert [c.key for c in applicant_columns] == ApplicantType.values
    assert [c.label for c in applicant_columns] == ApplicantType.labels


def test_aliases_normalise():
    f2021, old = get("2021"), get("pre2019")
    assert f2021.canonical_label("合计") == "总计"
    assert f2021.canonical_label("（七）合计") == "（七）总计"
    assert f2021.canonical_label("(七) 总 计") == "（七）总计"
    assert f2021.canonical_label("三、本年度辦理結果") == "三、本年度办理结果"
    assert f2021.canonical_label("一、本年新收政府資訊公開申請數量") != ""
    assert f2021.row("一、本年新收政府信息公開申請數量").key == "一"
    assert f2021.canonical_label("四、因政府信息公开工作被申请行政复议提起行政诉讼情况") == (
        "四、政府信息公开行政复议、行政诉讼情况"
    )
    assert f2021.canonical_label("五、政府信息公开工作存在的主要问题及改进情况") == (
        "五、存在的主要问题及改进情况"
    )
    assert f2021.canonical_cell_key("(二)部分公开", "合计") == (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）|总计"
    )
    assert f2021.canonical_cell_key("", "行政复议|合计") == "行政复议|总计"
    assert old.canonical_cell_key("4.信函申请数", "统计数") == "4.信函申请数|统计数"
    assert old.canonical_cell_key("(二)被依法纠错数", "统计数") is not None
    # a label used twice in the format is qualified by its parent
    assert "五、因政府信息公开引起的行政诉讼数量/（二）被依法纠错数|统计数" in old.cell_keys()
    assert normalize(normalize("(一) 予以公开")) == normalize("(一) 予以公开") == "（一）予以公开"


def test_entered_cells_are_the_other_systems_figures():
    f2021 = get("2021")
    assert {r.key for r in f2021.entered_rows()} == {
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    }
    assert all(r.source for r in f2021.computed_rows())
    assert f2021.cell_is_entered("行政处罚|本年处理决定数量")
    assert not f2021.cell_is_entered("规章|本年制发件数")


def _zero(fmt):
    return dict.fromkeys(fmt.cell_keys(), 0)


def test_table3_checks_pass_and_fail():
    fmt = get("2021")
    cells = _zero(fmt)
    assert fmt.evaluate(cells) == []
    for column in ("自然人", "总计"):
        cells[f"一、本年新收政府信息公开申请数量|{column}"] = 3
        cells[f"（一）予以公开|{column}"] = 2
        cells[f"（七）总计|{column}"] = 2
        cells[f"四、结转下年度继续办理|{column}"] = 1
    assert fmt.evaluate(cells) == []
    cells["四、结转下年度继续办理|自然人"] = 0  # 一 + 二 ≠ 三（七）+ 四, and 总计 ≠ sum
    rules = sorted(f.rule for f in fmt.evaluate(cells))
    assert rules == ["column_identity", "sum_of_columns"]
    cells["四、结转下年度继续办理|自然人"] = 1
    cells["（七）总计|自然人"] = 5
    cells["（七）总计|总计"] = 5
    failures = {f.rule: f for f in fmt.evaluate(cells)}
    assert failures["sum_of_rows"].expected == 2 and failures["sum_of_rows"].actual == 5


def test_table4_totals():
    fmt = get("2019")
    cells = _zero(fmt)
    cells["行政复议|结果维持"] = 1
    [failure] = fmt.evaluate(cells)
    assert failure.location == "行政复议|总计" and failure.expected == 1
    cells["行政复议|总计"] = 1
    assert fmt.evaluate(cells) == []


def test_pre2019_checks_follow_part_b():
    fmt = get("pre2019")
    cells = dict.fromkeys(fmt.cell_keys())
    key = fmt.cell_key
    # one item on several channels counts once: below the sum of channels is fine
    cells[key("一（一）", "value")] = 10
    cells[key("一（二）1", "value")] = 8
    cells[key("一（二）2", "value")] = 5
    assert fmt.evaluate(cells) == []
    cells[key("一（一）", "value")] = 14  # above the sum
    assert [f.rule for f in fmt.evaluate(cells)] == ["at_most"]
    cells[key("一（一）", "value")] = 7  # below one channel
    assert [f.rule for f in fmt.evaluate(cells)] == ["at_least_each"]
    cells[key("一（一）", "value")] = 10
    # a total with its breakdown left blank is not an error; a filled breakdown must add up
    cells[key("三（二）", "value")] = 8
    assert fmt.evaluate(cells) == []
    cells[key("三（二）1", "value")] = 5
    assert [f.location for f in fmt.evaluate(cells)] == ["（二）申请办结数|统计数"]
    cells[key("三（二）2", "value")] = 3
    cells[key("七", "value")] = Decimal("0.05")
    assert fmt.evaluate(cells) == []


def test_detect_and_year():
    assert detect(["本年制发件数", "本年废止件数"]) == "2021"
    assert detect(["信息内容 本年新制作数量 本年新公开数量", "政府集中采购"]) == "2019"
    assert detect(["政府信息公开情况统计表", "(二)申请办结数"]) == "pre2019"
    assert detect(["nothing here"]) is None
    assert [for_year(y).key for y in (2018, 2019, 2020, 2021, 2025)] == [
        "pre2019",
        "2019",
        "2019",
        "2021",
        "2021",
    ]
    assert set(FORMATS) == {"2021", "2019", "pre2019"}
