"""What fresh published text (2026-12-07, third session) showed the name rules getting wrong:
villages and rivers listed like a roster, compound surnames losing their first character, a
surname with a form of address, a list's last item run into the verb after it, and a name's
last character opening the next word."""

import pytest

from gongkai.privacy import places
from gongkai.privacy.tests.helpers import person_names as _names


@pytest.mark.parametrize(
    "text",
    [
        "该村下辖李庄、赵楼、钱营、孙寨、周庄5个自然村，2008年合并。",
        "境内有周家河、吴营河、郑口河南北流经，灌溉便利。",
        "东与金盆村、斜坡村、李涧村、大王村相邻。",
    ],
)
def test_an_enumeration_of_places_ending_alike_names_nobody(text):
    assert _names(text) == []


def test_items_ending_like_places_are_counted_against_the_whole_list():
    assert places.end_like_places(["马庄", "张楼", "孙庄", "吴菜园"])
    assert not places.end_like_places(["王建华", "李小庄", "张国强", "刘明"])
    assert not places.end_like_places(["赵河"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("农民日报社欧阳明轩：在现场，为改变", ["欧阳明轩"]),
        ("经中央批准，诸葛文杰任市委副书记。", ["诸葛文杰"]),
    ],
)
def test_a_compound_surname_is_not_cut_in_half(text, expected):
    assert _names(text) == expected


@pytest.mark.parametrize("text", ["村民代表赵大伯提出建议，", "社区的钱大姐每天都来。"])
def test_a_surname_with_a_form_of_address_names_nobody(text):
    assert _names(text) == []


def test_the_last_item_of_a_list_stops_before_the_verb_after_it():
    text = "听取发言后，周国庆、林海燕、郑志刚表示：意见建议很有见解。"
    assert _names(text) == ["周国庆", "林海燕", "郑志刚"]


def test_the_last_item_of_a_list_stops_before_and_others():
    text = "当晚宴请了张海山、韩立、孙兴、宋平等人。"
    assert _names(text)[-1] == "宋平"


def test_a_name_stops_where_its_last_character_would_open_the_next_word():
    assert _names("蒙古族老师包振得知情况后，寒暑假都会给他路费。") == ["包振"]


def test_a_name_followed_by_equal_and_others_keeps_its_third_character():
    # 平等 is a word, but 等 after a name is "and others"
    assert _names("市政协主席张万平等市领导到家中慰问。") == ["张万平"]


def test_a_string_that_heads_a_company_or_a_town_elsewhere_is_not_a_person_there():
    text = (
        "“李小泉”剪刀经过了几代人的耕耘。杭州李小泉集团有限公司昨天庆祝成名三百年，"
        "“李小泉”名列榜首。"
    )
    assert _names(text) == []
    town = "督查组到田坎镇调研，田坎代表团提出的建议已经办结。"
    assert _names(town) == []


def test_a_person_is_kept_where_a_title_follows_though_the_name_heads_a_firm():
    text = "许大平律师事务所的许大平主任和张举会律师送来锦旗。"
    assert "许大平" in _names(text)


def test_a_frequent_word_after_a_title_is_not_a_name():
    assert _names("市委书记陈红星走访慰问高龄老人，向他们致以问候。") == ["陈红星"]


@pytest.mark.parametrize(
    "text",
    ["1939年为纪念刘志丹，将其家乡保安县改为志丹县。", "为纪念抗日英雄杨靖宇，蒙江县改为靖宇县。"],
)
def test_a_figure_of_history_commemorated_is_not_a_finding(text):
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在王楼村的家庭农场，负责人瞿海洲忙得不亦乐乎。", ["瞿海洲"]),
        ("开车的民警吴振宇扭过头说了下一个案件。", ["吴振宇"]),
    ],
)
def test_a_name_after_a_role_word_may_end_at_a_verb_of_one_character(text, expected):
    assert _names(text) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("上级领导尤典真、王永春、董志干到会指导。", "董志干"),
        ("寻找被执行人李兆会的下落。", "李兆会"),
    ],
)
def test_a_name_does_not_lose_a_last_character_that_given_names_have(text, name):
    # 干 and 会 are verbs too, but given names have them: no boundary before them
    assert name in _names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("审判员孙平秋担任审判长，代理书记员邹眉担任记录。", ["孙平秋", "邹眉"]),
        ("法警赵科峰瞄了一眼手机。", ["赵科峰"]),
    ],
)
def test_courts_roles_are_followed_by_names(text, expected):
    assert _names(text) == expected


def test_the_head_of_a_company_name_run_into_it_is_no_person():
    text = "被告（原审被告）：万载昌圣科技有限公司，住所地江西省。"
    assert _names(text) == []


def test_a_grade_before_a_class_number_is_no_name():
    text = "二等奖 高一（6）班 洪娇珍 《师娘》 指导教师：余文生 高二(10)班 洪丹萍"
    assert _names(text) == ["洪娇珍", "余文生", "洪丹萍"]


def test_a_county_named_in_the_text_is_no_person_before_a_school():
    text = "他们分别是福建省惠安第一中学孙建泉、福建省惠安五峰中学庄振农。惠安县教育局发布。"
    assert "惠安" not in _names(text)


def test_the_last_item_of_a_list_stops_before_a_conjunction_and_what_follows():
    text = "副主任张建国、李小娟、程学法、徐光华及常委会其他组成人员参加会议。"
    assert _names(text) == ["张建国", "李小娟", "程学法", "徐光华"]


def test_names_a_list_glues_after_their_units_are_found():
    text = "获奖教师：惠安县紫山中心小学张海君、惠安县八二三实验小学杜宝林、湖南大学黄守义。"
    assert _names(text) == ["张海君", "杜宝林", "黄守义"]


def test_one_unit_with_a_word_after_it_is_no_list_of_names():
    assert _names("该校是福建省惠安第一中学高中部，设有图书馆。") == []


def test_a_divisions_short_form_with_its_kind_written_short():
    # 张家川回族自治县 written 张家川县
    assert _names("主办：张家川县人民政府办公室") == []
