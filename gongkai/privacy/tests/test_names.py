"""Personal names after labels, in lists and rosters, in salutations and before 同志/先生/女士."""

import pytest

from gongkai.privacy import scan
from gongkai.privacy.names import plausible_name, surname_length


def names_in(text: str) -> list[str]:
    return [f.text for f in scan(text) if f.type == "person_name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("申请人：张三", ["张三"]),
        ("申请人: 李小明，", ["李小明"]),
        ("姓名 王五\n", ["王五"]),
        ("联系人：欧阳娜娜 电话：0580-6012345", ["欧阳娜娜"]),
        ("户主：司马光", ["司马光"]),
        ("当事人：陈静，女，1985年出生", ["陈静"]),
        ("法定代表人：黄建国。", ["黄建国"]),
        ("负责人：周涛；", ["周涛"]),
        ("经办人：吴敏", ["吴敏"]),
        ("被处罚人：郑强（身份证号：略）", ["郑强"]),
        ("委托人：孙丽", ["孙丽"]),
        ("收件人：马超 13800008000", ["马超"]),
        ("户主姓名：刘洋", ["刘洋"]),
        ("申请人：张三于2026年1月5日提出申请", ["张三"]),
        ("负责人：王小明电话：0580-3012345", ["王小明"]),
        ("联系人：李四先生", ["李四"]),
        ("申请人：张三、李四", ["张三", "李四"]),
        ("受送达人：诸葛亮", ["诸葛亮"]),
        ("收款人：白博志；收款账号：6214839957903289", ["白博志"]),
        ("开户名：沈琳", ["沈琳"]),
    ],
)
def test_names_after_labels(text, expected):
    assert names_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "联系人：办公室",
        "联系人：党政办",
        "申请人：某某公司",
        "申请人：舟山市普陀海洋渔业有限公司",
        "申请人：某某有限公司",
        "被申请人：舟山市普陀区人民政府",
        "法定代表人：普陀区自然资源和规划分局",
        "负责人：王局长",
        "联系人：张主任",
        "联系人：张女士",
        "当事人：李某",
        "当事人：陈某某",
        "当事人：张××",
        "申请人：本人",
        "户主：同上",
        "负责人：",
        "申请人姓名：（必填）",
        "联系人：高",
        "收件人：单位",
    ],
)
def test_no_names_where_there_are_none(text):
    assert names_in(text) == []


def test_list_of_names():
    text = "拟录用人员名单：张三、李四、欧阳娜娜"
    assert names_in(text) == ["张三", "李四", "欧阳娜娜"]
    findings = [f for f in scan(text) if f.type == "person_name"]
    assert all(text[f.start : f.end] == f.text for f in findings)


@pytest.mark.parametrize(
    "separator",
    ["、", "，", ",", " ", "　", "  ", "\n"],
)
def test_list_separators(separator):
    assert names_in(f"获奖名单：王芳{separator}李强{separator}赵敏") == ["王芳", "李强", "赵敏"]


def test_list_stops_at_the_end_of_the_sentence():
    text = "公示名单如下：张三、李四。公示期间如有异议，请向王局长反映。"
    assert names_in(text) == ["张三", "李四"]


def test_list_with_details_in_parentheses():
    assert names_in("拟聘用人员名单：张三（男）、李四（女，本科）、王五") == [
        "张三",
        "李四",
        "王五",
    ]


def test_roster_one_name_per_row():
    text = (
        "补贴发放名单如下：\n"
        "1. 王小明，身份证号码：330902198001011233，补贴金额：1200元\n"
        "2. 李四 女 1992年\n"
        "（3）赵六、钱七\n"
        "\n"
        "公示时间：2026年1月5日至1月12日。"
    )
    assert names_in(text) == ["王小明", "李四", "赵六", "钱七"]


def test_roster_ends_at_a_row_that_is_not_a_name():
    text = "名单：\n张三\n李四\n公示时间：2026年1月5日\n王五"
    assert names_in(text) == ["张三", "李四"]


def test_salutation_of_a_reply_letter():
    text = "张三：\n    您于2026年1月5日提出的政府信息公开申请收悉。\n尊敬的欧阳娜娜女士：\n"
    assert names_in(text) == ["张三", "欧阳娜娜"]


@pytest.mark.parametrize("text", ["附件：\n", "说明：\n", "申请人：\n", "各乡镇（街道）：\n"])
def test_headings_are_not_salutations(text):
    assert names_in(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("经研究，同意吴健霞同志任副主任。", ["吴健霞"]),
        ("向李四同志学习", ["李四"]),
        ("王小明同志", ["王小明"]),
        ("欧阳娜娜同志", ["欧阳娜娜"]),
        ("张三同志、李四同志", ["张三", "李四"]),
        ("广大党员同志", []),
        ("全体同志", []),
        ("陈某某女士", []),
    ],
)
def test_names_before_honorifics(text, expected):
    assert names_in(text) == expected


def test_surnames():
    assert surname_length("欧阳娜娜") == 2
    assert surname_length("欧阳") == 1  # 欧 + 阳: a two-character name
    assert surname_length("张三") == 1
    assert surname_length("办公室") == 0


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("张三", True),
        ("欧阳娜娜", True),
        ("欧阳娜娜娜", False),
        ("张", False),
        ("张小小明", False),  # a single surname takes one or two given-name characters
        ("张一二三四", False),
        ("王局长", False),
        ("党政办", False),
        ("某某", False),
    ],
)
def test_plausible_name(name, ok):
    assert plausible_name(name) is ok
