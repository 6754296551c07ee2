"""Names in running prose (gongkai.privacy.prose_names): officials and people named in news,
公示 and 通知 without a label, a list or a table around them."""

import pytest

from gongkai.privacy import names, prose_names
from gongkai.privacy.tests.helpers import person_names as _names


def _prose(text: str) -> list[str]:
    return sorted(text[s:e] for s, e, _ in prose_names.find(text))


# --- After a post or title, before punctuation or a verb ---------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("会议由镇党委副书记、镇长邹明轩主持。", "邹明轩"),  # a post chain
        ("区委常委、常务副区长韩雪松，副区长孔令波出席活动。", "韩雪松"),
        ("副镇长柴文涛就秋粮收购工作作了安排。", "柴文涛"),  # a one-character verb after
        ("县委书记苗德胜讲意见时要求各村抓好落实。", "苗德胜"),
        ("区长杲云峰，区人大常委会主任蒋立新出席。", "杲云峰"),  # a rare surname after a post
        ("见义勇为先进个人戚海波回忆说，当时情况危急。", "戚海波"),
        ("教育局局长廖应华。", "廖应华"),  # 应: rarely in a given name, but after a post
    ],
)
def test_a_name_after_a_post_is_found(text, name):
    assert name in _prose(text)
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "各村党支部书记、村委会主任参加会议。",
        "镇党委书记、镇长参加会议并讲话。",
        "会上，市委书记高度肯定了各项工作。",
        "组长单位要负责协调，党员干部要带头。",
        "代表们认真审议了政府工作报告。",
        "市委书记强调，要全力推进项目建设。",
        "主任委员会议于下午召开。",
        "村民小组长、网格员一起入户走访。",
        "代表镇委向新当选的镇长表示祝贺。",  # 向: more often a word than a surname
        "各位主任要严格执行制度，局长助理列席。",
    ],
)
def test_words_after_a_post_are_not_names(text):
    assert _prose(text) == []


# --- Before a verb of action or speech, at the start of a clause --------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("座谈会上，卢振宇表示，将继续支持企业发展。", "卢振宇"),
        ("袁志刚接任。", "袁志刚"),
        ("会议由邵国栋主持，全体干部参加。", "邵国栋"),
        ("最后，邓秀兰强调，要做好防汛工作。", "邓秀兰"),
        ("\n谭文斌等领导考察了产业园。", "谭文斌"),
        ("近日，单位官网显示，龚建新任党委副书记、院长。", "龚建新"),
        ("镇党委程立新主持会议。", "程立新"),  # an organisation, then the name, then the verb
        ("获得者姚雪梅同志上台领奖。", "姚雪梅"),
    ],
)
def test_a_name_before_a_verb_of_action_is_found(text, name):
    assert name in _prose(text)
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "会议强调，要高度重视安全生产。",
        "抢前抓早、周密部署，全力推进秸秆还田。",  # 周密: tagged a name, but a word here
        "各级党委主持召开专题会议。",
        "全镇上下表示坚决拥护。",
        "他任职期间表现突出。",
        "工作人员介绍了有关情况。",
        "该同志认为问题已经解决。",
    ],
)
def test_words_before_a_verb_are_not_names(text):
    assert _prose(text) == []


# --- Credits in brackets ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("宁德在线（钱立平 文海燕）9月28日，全区举行招待会。", ["文海燕", "钱立平"]),
        ("村民在田间收割水稻（孟庆华 摄）。", ["孟庆华"]),
        ("为全镇发展作出新贡献。\n（严立华）", ["严立华"]),  # alone, at the end of a paragraph
    ],
)
def test_a_credit_in_brackets_is_found(text, expected):
    assert _prose(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "《管理办法》（草案）已公开征求意见。",
        "见附件（修改稿）。",
        "区委书记（左）与区长交谈。",
        "（华泾镇 供稿）",
        "（双拥）工作会议召开。",
        "（孟庆华）负责联络。",  # one name alone, not at the end of a paragraph
        "筹备工作领导小组（代章）\n2016年12月12日",  # 代: more often a word than a surname
        "（盖章）\n（签字）\n",
    ],
)
def test_brackets_that_are_not_credits(text):
    assert _prose(text) == []


# --- The switch, and the place list of the 、 rule ----------------------------------------------


def test_the_module_switch_turns_the_pass_off(monkeypatch):
    text = "区长杲云峰，区人大常委会主任蒋立新出席。"  # 杲: a surname only this pass reads

    def found():
        return {text[s:e] for s, e, _ in names.find_names(text)}

    assert "杲云峰" in found()
    monkeypatch.setattr(prose_names, "ENABLED", False)
    assert prose_names.find(text) == []
    assert "杲云峰" not in found()
    assert "蒋立新" in found()  # the other passes still run


def test_a_list_of_places_is_not_a_list_of_names():
    assert _names("苏州张家港、常熟、太仓等地的企业参加了活动。") == []
    assert _names("北京、上海、广州等城市的代表出席。") == []
    assert _names("张晓明、李国强、王丽等人参加了培训。") == ["张晓明", "李国强", "王丽"]


def test_candidates_are_well_formed():
    text = "区长杲云峰，副区长孔令波出席。会上，卢振宇表示支持。（钱立平 文海燕）"
    for start, end, confidence in prose_names.find(text):
        assert 0 <= start < end <= len(text)
        assert 2 <= end - start <= 4
        assert prose_names.MIN_CONFIDENCE <= confidence <= 0.9


# --- A space and a post after the name; "|" tables ----------------------------------------------


def test_a_name_followed_by_a_space_and_its_post():
    text = "接待人：\n书记接待日：邱海林 党委书记\n院长接待日：柯文斌 党委副书记、院长"
    assert _prose(text) == sorted(["邱海林", "柯文斌"])
    assert _prose("各位 书记 参加，本期 主任 值班。") == []


def test_names_in_a_pipe_table_under_a_heading_for_people():
    text = (
        "值班日期 | 带班领导 | 值班地点 |\n"
        "10月1日 | 蔡永康 | 三楼值班室 |\n"
        "10月2日 | 待定 | 三楼值班室 |\n"
        "以上安排如有变动另行通知。\n"
        "费用项目 | 金额 | 备注 |\n"
        "张贴费 | 100 | 无 |"
    )
    assert _prose(text) == ["蔡永康"]


# --- Notices and 公示: the person to contact, in charge, or designated ----------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("如有疑问，请与邹晓兰联系。", "邹晓兰"),
        ("报名事宜由陶立新负责，", "陶立新"),
        ("经研究，同意邱立新为镇团委书记。", "邱立新"),
        ("拟推荐韩冬梅同志为优秀共产党员。", "韩冬梅"),
    ],
)
def test_a_person_to_contact_in_charge_or_designated(text, name):
    assert name in _prose(text)
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "请与有关部门联系。",
        "由县财政局负责拨付，由各村负责组织。",
        "有意者请与学院办公室联系。",
        "确定王庄村为示范村，同意张贴公告。",
        "党委研究确定方案为准，批准设立新的机构。",
    ],
)
def test_notices_without_a_person(text):
    assert _prose(text) == []
