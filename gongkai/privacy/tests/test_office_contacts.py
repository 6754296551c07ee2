"""An office's own fixed line or mailbox (named after an organisation, with no person between)
is reported as a public contact, not as personal data; a person's line stays a finding."""

import pytest

from gongkai.privacy import scan
from gongkai.privacy.findings import NOTE_PUBLIC_LINE, NOTE_PUBLIC_MAILBOX


def contacts(text: str) -> list[tuple[str, str, bool]]:
    """(type, text, public) of the lines, mobiles and mailboxes found in `text`."""
    return [
        (f.type, f.text, f.public_contact)
        for f in scan(text)
        if f.type in ("landline", "mobile", "email")
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("桃花镇人民政府办公室 电话：0580-3012345", "0580-3012345"),
        ("桃花镇人民政府办公室电话：0580-3012345。", "0580-3012345"),
        ("如有异议，请向县民政局反映，电话：0580-3012345。", "0580-3012345"),
        (
            "如有异议，请向县评审委员会办公室反映。电话：（0580）3012345，传真：（0580）3012346",
            "（0580）3012345",
        ),
        ("县财政局\n地址：海城路1号\n电话：0580-3012345", "0580-3012345"),
        (
            "监督举报电话：\n东岭乡综合办公室 0580-3012345\n东岭乡纪委办公室 0580-3012346",
            "0580-3012346",
        ),
        ("县人民医院总机：0580-3012345", "0580-3012345"),
        ("市公共资源交易中心\t0580-3012345", "0580-3012345"),
        ("政务服务中心综合窗口，办理电话0580-3012345", "0580-3012345"),
        ("浙江某某建设有限公司，联系电话：0580-3012345", "0580-3012345"),
        ("县实验学校 联系方式：0580-3012345", "0580-3012345"),
    ],
)
def test_an_office_s_fixed_line_is_a_public_contact(text, value):
    (finding,) = [f for f in scan(text) if f.text == value]
    assert finding.type == "landline"
    assert finding.note == NOTE_PUBLIC_LINE
    assert finding.public_contact


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("县政务公开办公室 邮箱：xxzf@163.com", "xxzf@163.com"),
        ("请将意见反馈至县司法局，电子邮箱：sfj_yj@126.com。", "sfj_yj@126.com"),
        # the mailbox two lines under the office, after its fixed line
        (
            "（一）信函寄至：县交通运输局，邮编：316100。\n（二）电话：0580-3012345。\n（三）邮箱：jtj@zs.gov.cn",
            "jtj@zs.gov.cn",
        ),
        (
            "邮寄地址：海城路1号县人大常委会法制委员会\n\n邮    编：316100\n\n电子邮箱：fzw@zsrd.gov.cn",
            "fzw@zsrd.gov.cn",
        ),
    ],
)
def test_an_office_s_mailbox_is_a_public_contact(text, value):
    (finding,) = [f for f in scan(text) if f.text == value]
    assert finding.type == "email"
    assert finding.note == NOTE_PUBLIC_MAILBOX
    assert finding.public_contact


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a contact person between the office and the number
        ("联系人：张三，电话：0580-3012345", "0580-3012345"),
        ("县民政局 联系人：王建国 电话：0580-3012345", "0580-3012345"),
        ("县民政局\n联系人：王建国\n联系电话：0580-3012345", "0580-3012345"),
        ("请联系经办人易伟，电话0580-3012345。", "0580-3012345"),
        # a party's own line, though an office is named in the sentence or above it
        ("当事人李某某，住址：县教育局宿舍3幢，电话：0580-3012345。", "0580-3012345"),
        ("县市场监督管理局\n当事人：赵某某，住所：海城路2号，电话：0580-3012345", "0580-3012345"),
        ("申请人陈丽华（电话：0580-3012345）", "0580-3012345"),
        # no office named at all
        ("电话：0580-3012345", "0580-3012345"),
        ("服务大局，勇于担当。\n\n\n\n\n住户反映问题时留下电话0580-3012345", "0580-3012345"),
        # a person's mailbox after an office's sentence
        (
            "请于7月26日前反馈至市运输管理中心。\n联系人：沈晓东，联系电话：0580-3012345，邮箱：shenxd@example.com。",
            "shenxd@example.com",
        ),
        ("户主郑飞涛 邮箱：zft1980@163.com", "zft1980@163.com"),
    ],
)
def test_a_person_s_line_or_mailbox_still_blocks(text, value):
    (finding,) = [f for f in scan(text) if f.text == value]
    assert not finding.public_contact
    assert finding.note == ""


def test_a_mobile_is_never_an_office_s_line():
    text = "县民政局办公室 联系人：张三，手机：13800008000；办公电话：0580-3012345"
    assert contacts(text) == [
        ("mobile", "13800008000", False),
        ("landline", "0580-3012345", True),  # labelled as an office line
    ]
    assert contacts("县民政局办公室 电话：13800008000") == [("mobile", "13800008000", False)]


def test_the_office_context_does_not_reach_far_back():
    # more than a few lines up, the office no longer vouches for the number
    text = "县民政局\n" + "一、工作要求。\n" * 4 + "电话：0580-3012345"
    assert contacts(text) == [("landline", "0580-3012345", False)]


def test_a_word_ending_in_an_office_character_is_not_an_office():
    # 格局 and 结局 end in 局 only as words inside a sentence: no office there
    assert contacts("形成新格局电话0580-3012345") == [("landline", "0580-3012345", False)]
