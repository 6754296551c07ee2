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


# --- office_lines: each rule that makes a contact an office's, and the person that undoes it ---


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # an organisation the old suffixes missed: a station, a newspaper, an inspection team
        (
            "1.珠海市救助管理站\n地址：珠海市香洲区迎宾北路2042号\n电话：0756-2515611",
            "0756-2515611",
        ),
        ("县委第二巡察组 电话：0553-2595762", "0553-2595762"),
        # a switchboard's extension
        ("若未收到邮件回复，请联系010-65265376转821。", "010-65265376转821"),
        # the office's several lines in a row
        ("联系电话：010-88581681 88581670 88581672", "010-88581681"),
        # printed under an office's address
        ("地址：海城路2号\n电话：0580-3012345", "0580-3012345"),
        # a hotline label the scanning loop reads as 电话, a person earlier in the sentence
        ("可直接联络刘烨院长，也能够拨打本报热线电话03514286666。", "03514286666"),
    ],
)
def test_more_office_lines(text, value):
    (finding,) = [f for f in scan(text) if f.text == value]
    assert finding.type == "landline"
    assert finding.public_contact


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("联系人：马先生\n投稿邮箱：lybdzz@163.com", "lybdzz@163.com"),
        ("2.举报电子邮箱：whxwxcz2@163.com；", "whxwxcz2@163.com"),
        ("退款请于10月18日之前发邮件到spxh6433@126.com提出申请。", "spxh6433@126.com"),
        ("请将作品发送至文化馆指定邮箱：gmswhg@163.com", "gmswhg@163.com"),
        ("或发电子信箱：16192834@qq.com。", "16192834@qq.com"),
        ("电子邮箱：huanjingbaohu@spb.gov.cn", "huanjingbaohu@spb.gov.cn"),
    ],
)
def test_more_office_mailboxes(text, value):
    (finding,) = [f for f in scan(text) if f.text == value]
    assert finding.type == "email"
    assert finding.note == NOTE_PUBLIC_MAILBOX


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a person in the sentence: the extension, the address, the send-to verb do not count
        ("联系人：张三，电话：010-65265376转821", "010-65265376转821"),
        ("当事人王某某，地址：海城路2号，电话：0580-3012345", "0580-3012345"),
        ("请将材料发送至联系人邮箱：zhangwei1985@163.com", "zhangwei1985@163.com"),
        ("请将申请表发送至张伟的邮箱zw1985@163.com", "zw1985@163.com"),
        ("通讯作者：李红梅，E-mail：lihongmei@pku.edu.cn", "lihongmei@pku.edu.cn"),
        (
            "联系人：余雁舟\n联系电话：025-84699335\n电子邮箱：2670185346@qq.com",
            "2670185346@qq.com",
        ),
        # a home address is a person's
        ("住址：海城路2号3幢\n电话：0580-3012345", "0580-3012345"),
        # a free mailbox with no office, label or request around it
        ("她的邮箱是tiger88@163.com。", "tiger88@163.com"),
    ],
)
def test_a_person_keeps_the_contact(text, value):
    (finding,) = [f for f in scan(text) if f.text == value]
    assert not finding.public_contact


def test_a_mobile_in_a_hotline_list_is_the_office_s():
    text = "3.举报电话：0553-2595762 15212242863；\n4.来信请寄：县行政四号楼十一楼县委第二巡察组。"
    assert contacts(text) == [
        ("landline", "0553-2595762", True),
        ("mobile", "15212242863", True),
    ]
    # a mobile right after the label alone may be the village head's own: kept
    assert contacts("监督电话：13800008000") == [("mobile", "13800008000", False)]


@pytest.mark.parametrize(
    "text",
    [
        "举报电话：0553-2595762 13800008000（张主任）",
        "举报电话：0553-2595762，联系人王建国 13800008000",
        "联系人：翁奕周 13800008000",
        "县民政局办公室 电话：13800008000",
        "监督电话：0553-2595762。投诉人手机：13800008000",
        "举报人：王建国，举报电话 13800008000",
    ],
)
def test_a_mobile_with_a_person_stays_personal(text):
    (mobile,) = [f for f in scan(text) if f.type == "mobile"]
    assert not mobile.public_contact


def test_office_lines_change_notes_only():
    """The pass changes no span or type, only notes: the scanning loop's findings stand."""
    from gongkai.privacy import office_lines

    text = (
        "举报电话：0553-2595762 15212242863\n举报邮箱：whxwxcz2@163.com\n联系人：张三 13900009000"
    )
    spans = [
        ("0553-2595762", "landline", NOTE_PUBLIC_LINE),
        ("15212242863", "mobile", ""),
        ("whxwxcz2@163.com", "email", ""),
        ("13900009000", "mobile", ""),
    ]
    candidates = [(text.find(v), text.find(v) + len(v), kind, 0.5, note) for v, kind, note in spans]
    before = [(c[0], c[1], c[2]) for c in candidates]
    office_lines.mark(text, candidates)
    assert [(c[0], c[1], c[2]) for c in candidates] == before
    assert [c[4] != "" for c in candidates] == [True, True, True, False]
