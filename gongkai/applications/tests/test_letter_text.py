"""The letter's text rules on their own: 您 / 贵单位 by applicant type, doubled punctuation."""

import pytest

from gongkai.applications.letter_text import address_word, replace_both_forms, tidy_punctuation
from gongkai.applications.taxonomy import ApplicantType


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("予以公开。。", "予以公开。"),
        ("理由如下，，涉及商业秘密", "理由如下，涉及商业秘密"),
        ("涉及个人隐私；。", "涉及个人隐私。"),
        ("涉及个人隐私。；", "涉及个人隐私。"),
        ("申请获取：。", "申请获取。"),
        ("已作区分处理。，另", "已作区分处理。另"),
        ("已公开、、", "已公开、"),
        ("见附件.。", "见附件。"),
        ("见附件。 。", "见附件。"),
        ("第一段。\n\n。第二段", "第一段。\n\n第二段"),
        ("为什么？？", "为什么？"),
    ],
)
def test_doubled_punctuation_becomes_one_mark(typed, expected):
    assert tidy_punctuation(typed) == expected


@pytest.mark.parametrize(
    "text",
    [
        "预算3.5万元。",
        "详见 www.liuheng.gov.cn。",
        "etc., and so on",
        "情况说明……后续",
        "总额为1,200元，已缴纳。",
        "单个标点，不变。",
    ],
)
def test_text_without_doubled_marks_is_left_alone(text):
    assert tidy_punctuation(text) == text


def test_tidy_is_idempotent():
    once = tidy_punctuation("甲。。乙，，丙；。")
    assert tidy_punctuation(once) == once == "甲。乙，丙。"


def test_address_word_follows_the_applicant_type():
    assert address_word(ApplicantType.NATURAL_PERSON) == "您"
    for kind in ApplicantType:
        if kind != ApplicantType.NATURAL_PERSON:
            assert address_word(kind) == "贵单位"


def test_either_or_wording_is_replaced():
    assert (
        replace_both_forms("请您（单位）补正，您(单位)的申请", "贵单位")
        == "请贵单位补正，贵单位的申请"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "联系机构：党政办　联系地址：　邮政编码：　联系电话：0580-1",
            "联系机构：党政办　联系电话：0580-1",
        ),
        ("联系机构：党政办　联系电话：", "联系机构：党政办"),
        ("理由如下：\n涉及隐私", "理由如下：\n涉及隐私"),
        ("请对以下事项作出补正：\n1. 标段", "请对以下事项作出补正：\n1. 标段"),
    ],
)
def test_empty_contact_fields_are_left_out(line, expected):
    from gongkai.applications.letter_text import drop_empty_fields

    assert drop_empty_fields(line) == expected
