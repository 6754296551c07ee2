"""Importing published reports as plain text: the seed (pre2019) value by value, and the samples
in /work/shared/samples/reports (copied to fixtures/, file names kept)."""

from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.reports.formats import get
from gongkai.reports.importers import import_file
from gongkai.reports.importers.headings import agency_from_title, agency_level
from gongkai.reports.importers.text import import_text
from gongkai.reports.importers.values import parse_value

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "000_dcb72101f199030d.txt"

# every filled cell of the seed's 统计表; every other cell of the format must be None
SEED_CELLS = {
    "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）|统计数": 1132,
    "1.政府网站公开政府信息数|统计数": 614,
    "2.政务微博公开政府信息数|统计数": 200,
    "3.政务微信公开政府信息数|统计数": 318,
    "（一）收到申请数|统计数": 8,
    "4.信函申请数|统计数": 8,
    "（二）申请办结数|统计数": 8,
    "2.同意公开答复数|统计数": 5,
    "5.不属于本行政机关公开数|统计数": 3,
    "（一）政府信息公开工作专门机构数|统计数": 1,
    "1.专职人员数（不包括政府公报及政府网站工作人员数）|统计数": 1,
}


@pytest.fixture(scope="module")
def seed():
    return import_file(SEED)


def test_seed_is_pre2019_with_year_and_agency(seed):
    assert seed.format == "pre2019"
    assert seed.year == 2018
    assert seed.agency == "六横镇人民政府"


@pytest.mark.parametrize(("key", "value"), SEED_CELLS.items())
def test_seed_filled_cells(seed, key, value):
    assert seed.cells[key] == value


def test_seed_every_other_cell_is_null_never_zero(seed):
    keys = get("pre2019").cell_keys()
    assert list(seed.cells) == keys
    blanks = {k: v for k, v in seed.cells.items() if k not in SEED_CELLS}
    assert len(blanks) == len(keys) - len(SEED_CELLS)
    assert all(v is None for v in blanks.values()), {
        k: v for k, v in blanks.items() if v is not None
    }
    # rows the seed prints with a unit but no figure stay null
    assert seed.cells["七、依申请公开信息收取的费用|统计数"] is None
    assert seed.cells["（三）接受培训人员数|统计数"] is None
    # the repeated labels of 四 and 五 are told apart
    assert "四、因政府信息公开引起的行政复议数量/（二）被依法纠错数|统计数" in seed.cells
    assert "五、因政府信息公开引起的行政诉讼数量/（二）被依法纠错数|统计数" in seed.cells


def test_seed_narrative_sections(seed):
    titles = list(seed.narrative)
    assert titles == [
        "",
        "一、着力加强主动公开和舆情回应工作",
        "二、着力提升政务服务工作实效",
        "三、着力推进政务公开平台建设",
        "四、着力推进政务公开制度化规范化",
    ]
    assert "共614条" in seed.narrative["一、着力加强主动公开和舆情回应工作"]
    section4 = seed.narrative["四、着力推进政务公开制度化规范化"]
    assert "受理依申请公开8件" in section4
    # the table's captions and labels are not narrative
    assert "统计表" not in section4 and "统计数" not in section4 and "1132" not in section4


def test_seed_json_schema(seed):
    data = seed.as_dict()
    assert set(data) == {"format", "year", "agency", "cells", "narrative", "findings"}
    assert data["findings"] == []


SAMPLES = {
    "2009_jinxiang-water-bureau.txt": ("pre2019", 2009, "金乡县水务局"),
    "2012_ninghai-yuexi-township.txt": ("pre2019", 2012, "宁海县越溪乡"),
    "2013_shangyu-xietang-town.txt": ("pre2019", 2013, "谢塘镇"),
    "2016_kaiping-shatang-town.txt": ("pre2019", 2016, "沙塘镇人民政府"),
    "2017_lishui-city.txt": ("pre2019", 2017, ""),
    "2020_guangzhou-liwan-nanyuan-subdistrict.txt": (
        "2019",
        2020,
        "广州市荔湾区人民政府南源街道办事处",
    ),
    "2020_qianan-dawuli-town.txt": ("2019", 2020, "大五里镇"),
    "2022_taojiang-songmutang-town.txt": ("2021", 2022, "桃江县松木塘镇人民政府"),
    "2022_xixian-taiping-town.txt": ("2021", 2022, "太平镇人民政府"),
    "2023_guangzhou-haizhu-guanzhou-subdistrict.txt": ("2021", 2023, "官洲街道办事处"),
}


@pytest.mark.parametrize(("name", "expected"), SAMPLES.items())
def test_samples_import_with_format_year_agency(name, expected):
    report = import_file(FIXTURES / name)
    assert (report.format, report.year, report.agency) == expected


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
def test_samples_with_tables_are_detected_not_inferred(name):
    report = import_file(FIXTURES / name)
    assert "format_inferred" not in {f.rule for f in report.findings}


def test_old_samples_without_table_say_the_format_was_inferred():
    report = import_file(FIXTURES / "2009_jinxiang-water-bureau.txt")
    assert "format_inferred" in {f.rule for f in report.findings}
    assert all(v is None for v in report.cells.values())


def test_nanyuan_2019_table_two_values_signed_change():
    cells = import_file(FIXTURES / "2020_guangzhou-liwan-nanyuan-subdistrict.txt").cells
    assert cells["行政许可|上一年项目数量"] == 21
    assert cells["行政许可|本年增/减"] == 19
    assert cells["行政许可|处理决定数量"] == 40
    assert cells["规范性文件|对外公开总数量"] == 0


def test_haizhu_pipe_rows_with_merged_label_on_the_same_line():
    cells = import_file(FIXTURES / "2023_guangzhou-haizhu-guanzhou-subdistrict.txt").cells
    assert cells["行政处罚|本年处理决定数量"] == 1472
    assert cells["一、本年新收政府信息公开申请数量|自然人"] == 1
    assert cells["一、本年新收政府信息公开申请数量|总计"] == 1
    assert cells["（一）予以公开|总计"] == 0
    assert cells["1.属于国家秘密|自然人"] == 0
    # the page was cut in the middle of 6.; later rows are unknown, not 0
    assert cells["（七）总计|总计"] is None


def test_taiping_one_value_per_line_2021_table_three():
    cells = import_file(FIXTURES / "2022_xixian-taiping-town.txt").cells
    assert cells["行政事业性收费|本年收费金额（单位：万元）"] == 0
    assert cells["3.危及“三安全一稳定”|总计"] == 0
    assert cells["二、上年结转政府信息公开申请数量|其他"] == 0


def test_songmutang_table_two_and_truncated_fee():
    cells = import_file(FIXTURES / "2022_taojiang-songmutang-town.txt").cells
    assert cells["规章|本年制发件数"] == 2
    assert cells["行政处罚|本年处理决定数量"] == 9
    assert cells["行政事业性收费|本年收费金额（单位：万元）"] is None


def test_traditional_characters_and_aliases():
    text = "\n".join(
        [
            "某鎮人民政府2018年政府信息公開工作年度報告",
            "(一)主動公開政府信息數(不同渠道和方式公開相同信息計1條)",
            "12條",
            "(一) 收到申請數",
            "3件",
            "七、依申請公開信息收取的費用",
            "0.5萬元",
        ]
    )
    report = import_text(text)
    assert report.format == "pre2019"
    assert report.cells["（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）|统计数"] == 12
    assert report.cells["（一）收到申请数|统计数"] == 3
    assert report.cells["七、依申请公开信息收取的费用|统计数"] == Decimal("0.5")


def test_total_alias_and_half_width_brackets_in_2021():
    text = "\n".join(
        [
            "2022年政府信息公开工作年度报告",
            "本年制发件数",
            "(七)合计 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
            "行政复议 | 行政诉讼",
            "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 合计",
            "0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0",
        ]
    )
    report = import_text(text)
    assert report.format == "2021"
    assert report.cells["（七）总计|总计"] == 1
    assert report.cells["行政诉讼|未经复议直接起诉|结果维持"] == 1
    assert report.cells["行政诉讼|未经复议直接起诉|总计"] == 1


def test_unit_mismatch_is_a_finding_and_value_kept():
    report = import_text(
        "2018年度政府信息公开年度报告\n政府信息公开情况统计表\n（一）收到申请数\n8条"
    )
    assert report.cells["（一）收到申请数|统计数"] == 8
    unit = [f for f in report.findings if f.rule == "unit_mismatch"]
    assert unit and unit[0].expected == "件" and unit[0].actual == "条"


@pytest.mark.parametrize(
    ("text", "kind", "number", "unit"),
    [
        ("1132条", "number", 1132, "条"),
        (" 8 件", "number", 8, "件"),
        ("+19", "number", 19, ""),
        ("-2", "number", -2, ""),
        ("1,234", "number", 1234, ""),
        ("１２", "number", 12, ""),
        ("0.25万元", "number", Decimal("0.25"), "万元"),
        ("", "blank", None, ""),
        ("——", "dash", None, ""),
        ("万元", "unit", None, "万元"),
        ("人次", "unit", None, "人次"),
    ],
)
def test_parse_value(text, kind, number, unit):
    value = parse_value(text)
    assert (value.kind, value.number, value.unit) == (kind, number, unit)


@pytest.mark.parametrize("text", ["（一）收到申请数", "2018年度", "申请人情况", "12abc"])
def test_parse_value_rejects_labels(text):
    assert parse_value(text) is None


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("六横镇人民政府2018年政府信息公开工作年度报告", "六横镇人民政府"),
        ("2013年度谢塘镇政府信息公开工作年度报告", "谢塘镇"),
        ("2018年度政府信息公开年度报告", ""),
    ],
)
def test_agency_from_title(title, agency):
    assert agency_from_title(title) == agency


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("六横镇人民政府", "township"),
        ("宁海县越溪乡", "township"),
        ("广州市荔湾区人民政府南源街道办事处", "subdistrict"),
        ("金乡县水务局", None),
        ("丽水市人民政府", None),
    ],
)
def test_agency_level(name, level):
    assert agency_level(name) == level


def test_pdf_style_rows_label_and_values_on_one_line():
    text = "\n".join(
        [
            "某县水利局2022年政府信息公开工作年度报告",
            "本年制发件数 本年废止件数 现行有效件数",
            "行政规范性文件 2 0 5",
            "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3",
        ]
    )
    report = import_text(text)
    assert report.cells["行政规范性文件|现行有效件数"] == 5
    assert report.cells["一、本年新收政府信息公开申请数量|总计"] == 3
