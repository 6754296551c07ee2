"""Places that read like names (gongkai/privacy/places.py and its use in name_filters)."""

import pytest

from gongkai.privacy import places, scan
from gongkai.privacy.tests.helpers import person_names as _names


def test_short_forms_drop_the_suffix_and_the_peoples_names():
    full, short = places.divisions()
    assert "张家川回族自治县" in full
    assert {"张家川", "岳阳", "马尾", "延边", "广西", "西双版纳"} <= set(short)
    assert "回族自治县" in short["张家川"]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("执法人员对岳阳县长湖乡傅氏养殖场开展检查", "岳阳"),
        ("住所地福州市马尾区长发路1号", "马尾"),
        ("还将赴清水、武山、甘谷、张家川等县进行采访", "张家川"),
        ("还有周边的吕梁、晋中、临汾、运城等地", "晋中"),
    ],
)
def test_a_division_in_its_context_is_a_place(text, span):
    start = text.index(span)
    assert places.place_at(text, start, start + len(span))


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("贾月秀、李珍叶、南京等六位老师获得三等奖", "南京"),  # a teacher: no division beside
        ("会议由高明主持", "高明"),  # 高明区 exists; alone in running text it is a name
        ("岳阳的同学们", "岳阳"),
    ],
)
def test_a_short_form_alone_is_left_to_the_other_evidence(text, span):
    start = text.index(span)
    assert not places.place_at(text, start, start + len(span))


def test_the_shield_no_longer_names_a_county():
    text = "经查，岳阳县长湖乡某养殖场未配套建设污染防治设施。负责人：姚九满。"
    assert _names(text) == ["姚九满"]


def test_a_crop_the_text_names_as_a_crop_is_no_person():
    text = (
        "眼下正是杨梅成熟的季节。走进镇里的杨梅基地，工人们正忙着采摘杨梅。"
        "该镇种植杨梅三千亩，杨梅产业已成为农民增收的支柱。（记者 张艳）"
    )
    assert _names(text) == ["张艳"]


def test_a_person_who_grows_the_crop_keeps_the_finding():
    # a verb after the name (种植, 收购) is no mark of a thing
    text = "村民李强种植了五亩杨梅，李强说今年收成不错。杨梅基地也扩大了。"
    assert "李强" in _names(text)


def test_a_name_with_a_doubled_last_character_is_no_garden():
    text = "获奖学生：李园园、王芳。李园园说，感谢老师。"
    assert _names(text).count("李园园") == 2


def test_a_fruit_named_with_its_orchard_is_no_person():
    text = "走进三龙社区的杨梅园，圆圆的杨梅挂满枝头。自家的杨梅近年来不愁销路。联系人：郑红均"
    assert _names(text) == ["郑红均"]


def test_a_name_stops_before_a_conjunction():
    found = _names("当村官的大学生陈宇和于松柏聊了一个多小时。")
    assert "陈宇" in found
    assert "陈宇和" not in found
    assert _names("严格按照党的选举程序和有关规定进行。") == []
    assert _names("会议由陈忠和同志主持。") == ["陈忠和"]


def test_a_surname_and_half_a_title_is_no_name():
    assert _names("几天前，市民汤先生就给社区送去了一面锦旗。") == []


def test_a_papers_site_joined_by_a_dot_is_no_minority_name():
    found = _names("大众网·海报新闻记者 范明昱 济南报道")
    assert not any("·" in name for name in found)


@pytest.mark.parametrize(
    "text",
    [
        "目前，合作社已建立白术、贝母、黄精等中药材基地2150亩。",
        "药农在田间收获中药材白术。",
        "主要经济来源是外出务工及水稻制种、西瓜、杨梅、蔬菜等传统种植业。",
    ],
)
def test_a_list_of_crops_names_nobody(text):
    assert _names(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "获奖名单：张伟、王芳等优秀农产品经纪人。",
        "表彰了种植能手张伟、王芳等中药材种植户。",
        "表彰了张伟、王芳等蔬菜种植大户。",
    ],
)
def test_people_who_deal_in_crops_keep_their_names(text):
    assert _names(text) == ["张伟", "王芳"]


def test_a_farm_named_after_its_owner_is_an_organisation():
    text = "云环罚〔2025〕21号 罗干明养鸭场（丰堆村）：经查，你场未配套建设污染防治设施。"
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("上午，縣委書記鄭俊華，縣委副書記、縣長(zhǎng)徐望來到縣政協(xié)委員駐地。", "徐望"),
        ("藥材基地負(fù)責(zé)人葉奇義告訴記者，基地種植的白芨都是按標準種植。", "葉奇義"),
    ],
)
def test_names_are_read_through_the_pinyin_glosses_of_mirror_sites(text, name):
    found = [f for f in scan(text) if f.type == "person_name" and f.text == name]
    assert found, name
    assert text[found[0].start : found[0].end] == name  # offsets on the text as printed


def test_a_name_masked_by_its_last_character_is_no_finding():
    text = "第三人：陈淼某\n第三人：林芷某\n陈淼某、林芷某的法定代理人为：陈健某。"
    assert _names(text) == []


def test_a_name_before_some_day_keeps_its_finding():
    assert "李明华" in _names("当事人李明华某日来到执法大队说明情况。")
