"""Names in layouts real pages use without a title next to them (author notes and lines,
bylines, counted lists), text in traditional script, and what is not a person named (a doctrine
or a book's title, shops counted as businesses, headings, rulers of antiquity)."""

import pytest

from gongkai.privacy import name_filters
from gongkai.privacy.tests.helpers import person_names as _names
from gongkai.privacy.traditional import simplified

# --- Traditional script ------------------------------------------------------------------------


def test_traditional_text_is_read_as_simplified_with_the_same_offsets():
    text = "記者黃濃珍報道，村民陳余奮家中"
    plain = simplified(text)
    assert plain == "记者黄浓珍报道，村民陈余奋家中"
    assert len(plain) == len(text)


def test_a_simplified_text_with_a_stray_traditional_character_is_left_alone():
    text = "他读过《漢書》，张三说"
    assert simplified(text) is text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("于營子林場，場長趙國華和副場長張杰帶領大家栽樹。", ["趙國華", "張杰"]),
        ("寧海新聞網訊（記者黃濃珍）4月14日，副總編輯米博華一行來我縣調研。", ["黃濃珍", "米博華"]),
    ],
)
def test_names_in_traditional_script_are_found_as_printed(text, expected):
    assert _names(text) == expected


def test_traditional_words_that_are_not_names_stay_unflagged():
    assert _names("關於加強農村飲用水安全工作的通知，請各單位認真執行。") == []


# --- Author notes, author lines, bylines -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("作者简介：\n包艳华(1980—)，女，河北赤城人，副教授", "包艳华"),
        ("[作者简介]彭明唱（1977—），男，徐州工程学院副教授", "彭明唱"),
    ],
)
def test_the_name_opening_an_authors_note_is_found(text, name):
    assert _names(text) == [name]


@pytest.mark.parametrize(
    "text",
    ["全面深化改革(2013—2020年)取得成效", "国家助学贷款（2004-2020）政策回顾"],
)
def test_a_period_in_brackets_after_words_is_no_authors_note(text):
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("陈 越\n\n【内容提要】刑事公诉制度是由纠纷的私力解决方式演变而来的。", ["陈 越"]),
        (
            "潘才健，李红武\n\n(1.贵州省普安县人力资源和社会保障局；2.云南民族大学)",
            ["潘才健", "李红武"],
        ),
        ("龔文婷\n(湖南工學院 學科建設中心，湖南 衡陽 421002)\n建設的藍圖確立以來", ["龔文婷"]),
    ],
)
def test_a_line_of_authors_before_affiliations_or_abstract_is_found(text, expected):
    assert _names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "通知公告\n(2023年北京市教育委员会)\n各单位：",
        "高度重视\n(市委办公室)\n会议要求",
    ],
)
def test_a_line_of_words_before_an_organisation_in_brackets_is_no_author_line(text):
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("沁园书院 孙琳 报道\n9月8日下午，书院开展学习。", ["孙琳"]),
        ("来源：\n浙江日报\n作者：\n苏晓春\n编辑：\n朱小燕", ["苏晓春", "朱小燕"]),
        ("2021-11-13 14:26:07 付欣\n\n学习活动在线上举行。", ["付欣"]),
    ],
)
def test_bylines_are_found(text, expected):
    assert _names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "作者：\n本报评论员\n",
        "2021-11-13 14:26:07 发布\n正文",
        "图文 新华社 报道\n",
    ],
)
def test_bylines_of_no_person_are_not_flagged(text):
    assert _names(text) == []


# --- Lists counted as people, posts -------------------------------------------------------------


def test_a_list_counted_as_people_is_found():
    text = "被告席上，孙建伟、闻晓、杜虹3名被告依次就座。"
    assert _names(text) == ["孙建伟", "闻晓", "杜虹"]


@pytest.mark.parametrize(
    "text",
    ["农业、林业、渔业等5人参加培训。", "北京、上海、广州3名代表发言。"],
)
def test_a_list_of_words_counted_as_people_is_not_flagged(text):
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("辩护人汤世刚，湖南五溪律师事务所律师。", "汤世刚"),
        ("林场场长赵国华带领大家栽完了树。", "赵国华"),
    ],
)
def test_a_name_after_the_new_posts_is_found(text, name):
    assert name in _names(text)


# --- The leader named as a person, not in a doctrine's or a book's name ------------------------


@pytest.mark.parametrize(
    "text",
    [
        "以习近平同志为核心的党中央",
        "深入学习贯彻习近平总书记重要讲话精神",
        "中共中央总书记习近平指出",
    ],
)
def test_the_leader_named_as_a_person_is_found(text):
    assert _names(text) == ["习近平"]


@pytest.mark.parametrize(
    "text",
    [
        "深入学习习近平新时代中国特色社会主义思想。",
        "镇党委书记领学习近平文化思想。",
        "开展《习近平谈治国理政》第三卷专题学习。",
        "坚持毛泽东思想、邓小平理论。",
    ],
)
def test_a_doctrine_or_a_book_named_after_a_person_is_not_flagged(text):
    assert _names(text) == []


# --- The filter on its own ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("讲述了汪玉霞、苏恒泰、叶开泰等数十家老字号的故事", (3, 6)),
        ("关键词 审级制度", (0, 3)),
        ("【关键】", (1, 3)),
        ("元咺指控卫侯杀叔武", (4, 6)),
        ("学习毛泽东思想", (2, 5)),
        ("《毛泽东选集》", (1, 4)),
        ("甘肃官方授予甘南藏族自治州医生", (6, 8)),  # a place run into the next word
        ("最快将于5月底建成的金科路(张家浜—杨高北路)", (10, 13)),  # a road
    ],
)
def test_the_filter_drops_what_names_no_person(text, span):
    assert name_filters.keep(text, [(*span, 0.9)]) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("张三、李四等3人参加", (0, 2)),  # counted as people, not businesses
        ("《张三》", (1, 3)),  # a whole title that is a name: left to the other rules
        ("王五主持会议，学习党的理论", (0, 2)),  # the theory does not follow the name
        ("张家二公子", (0, 2)),
        ("甘南说，今年收成好", (0, 2)),  # a place-like name before a verb
        ("王进喜 王启民\n王进喜", (8, 11)),  # a historical name as a roster's last item
    ],
)
def test_the_filter_keeps_names(text, span):
    assert name_filters.keep(text, [(*span, 0.9)]) == [(*span, 0.9)]


def test_the_filter_trims_a_name_run_into_the_next_word():
    assert name_filters.keep("书记李青同志向", [(2, 5, 0.9)]) == [(2, 4, 0.9)]
    assert name_filters.keep("海陵区陈翔自去年起", [(3, 6, 0.9)]) == [(3, 5, 0.9)]
    assert name_filters.keep("王建国同意", [(0, 3, 0.9)]) == [(0, 3, 0.9)]


# --- The one who speaks after a quotation; a name after a post, then 时 -------------------------


def test_the_speaker_after_a_quotation_is_found_and_then_everywhere():
    text = "“产业发展情况怎么样？”王清华问。村干部介绍了情况，王清华沉默良久。"
    assert _names(text) == ["王清华", "王清华"]


@pytest.mark.parametrize(
    "text",
    ["“快走！”同学们说。", "“好！”群众说道。", "“行不行？”他问。", "“到了。”司机说。"],
)
def test_words_before_a_verb_of_speech_are_no_speaker(text):
    assert _names(text) == []


def test_a_name_after_a_post_then_when_is_found():
    assert _names("记者见到县委书记王清华时，他正在地里。") == ["王清华"]


def test_a_post_then_a_word_then_when_is_not_flagged():
    assert _names("镇党委书记开会时强调，要做好防汛工作。") == []


# --- The bench at the end of a judgment; historical figures ------------------------------------


def test_the_bench_and_the_clerk_at_the_end_of_a_judgment_are_found():
    text = "二〇二三年五月六日\n审判长　周  强\n人民陪审员　郑秀英\n书记员　陈晨"
    assert _names(text) == ["周  强", "郑秀英", "陈晨"]


@pytest.mark.parametrize(
    "text",
    ["审判长\n审判员", "书记员 高度\n", "审判长 ×××\n书记员 某某"],
)
def test_a_bench_line_without_a_name_is_not_flagged(text):
    assert _names(text) == []


def test_historical_figures_are_not_flagged():
    assert _names("苏轼在杭州修筑苏堤，岳飞精忠报国，鲁迅先生曾说。") == []


def test_a_living_person_next_to_a_historical_figure_is_still_found():
    assert _names("村党支部书记王晓燕介绍，鲁迅先生曾在此居住。") == ["王晓燕"]


@pytest.mark.parametrize(
    ("text", "name"),
    [("受送达人：诸葛亮", "诸葛亮"), ("拟录用人员：罗艳、孔子、蒋永秋", "孔子")],
)
def test_a_historical_name_as_a_party_or_a_rosters_item_is_still_found(text, name):
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "委托诉讼代理人：黄海涛，北京市金杜律师事务所律师。",
        "委托诉讼代理人：黄海涛，浙江王建华律所律师。",
    ],
)
def test_a_law_firm_named_like_a_person_is_not_flagged(text):
    assert _names(text) == ["黄海涛"]


def test_a_name_before_its_title_律师_is_still_found():
    assert _names("文/北京市盈科律师事务所 张文强律师") == ["张文强"]


def test_bylines_with_a_bar_and_spaced_names_are_found():
    text = "记者 | 张  敏\n编辑 | 王一帆\n审核 | 李 强"
    assert _names(text) == ["张  敏", "王一帆", "李 强"]


@pytest.mark.parametrize("text", ["审核：高度重视\n", "编辑 | 新华社\n", "记者 | 本报\n"])
def test_bylines_with_a_bar_of_no_person_are_not_flagged(text):
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("主持人：周涛（县委副书记）", ["周涛"]),
        ("出席：王建军（县委副书记）、李红（女，副镇长）", ["王建军", "李红"]),
    ],
)
def test_a_name_then_its_post_in_brackets_is_found(text, expected):
    assert _names(text) == expected


@pytest.mark.parametrize(
    "text",
    ["县政府办公室（主任）签发", "党委会（书记办公会）决定", "会议由镇政府（镇长）主持"],
)
def test_an_office_then_a_post_in_brackets_is_not_flagged(text):
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("副院长杨洋领学“谱写新篇章”部分。", "杨洋"), ("由代理审判员周蒙主审。", "周蒙")],
)
def test_a_name_before_the_new_verbs_is_found(text, name):
    assert _names(text) == [name]


@pytest.mark.parametrize("text", ["党员代表宣讲党的二十大精神。", "专家授课，学员答疑。"])
def test_words_before_the_new_verbs_are_not_flagged(text):
    assert _names(text) == []
