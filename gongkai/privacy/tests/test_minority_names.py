"""Minority names without a Han surname, enumerations of names and tables with "|" cells."""

import pytest

from gongkai.privacy import minority_names, scan
from gongkai.privacy.findings import PERSON_NAME
from gongkai.privacy.minority_names import is_tibetan_name, is_translit_name


def names_in(text: str) -> list[str]:
    return [f.text for f in scan(text) if f.type == "person_name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Uyghur, Kazakh names with a middle dot, in several contexts
        ("村民买买提·艾力说，今年的收成不错。", ["买买提·艾力"]),
        ("受助人古丽娜尔·吐尔逊领取了补助。", ["古丽娜尔·吐尔逊"]),
        ("牧民巴依卡・凯力迪别克在草场上。", ["巴依卡・凯力迪别克"]),
        ("阿不都热合曼·吐尔逊不仅带头致富。", ["阿不都热合曼·吐尔逊"]),
        ("村民热依拉·买买提、迪丽热巴·迪力木拉提参加。", ["热依拉·买买提", "迪丽热巴·迪力木拉提"]),
        # the given name alone, once the full name is in the text
        (
            "一个月前，图然妮萨·麦麦提敏开了凉面摊。后来图然妮萨说：“生活好了。”",
            ["图然妮萨·麦麦提敏", "图然妮萨"],
        ),
        # Tibetan names: two syllables on their own, one after a role word
        ("记者扎西次仁报道。", ["扎西次仁"]),
        ("副县长次仁旺姆（女、藏族）出席会议。", ["次仁旺姆"]),
        ("出生于1972年11月的普布顿珠任自治区政府副主席。", ["普布顿珠"]),
        ("村民扎西说，今年牦牛长得好。", ["扎西"]),
        # enumerations: most items are names, so the others are too
        ("队员分别是：扎西、普布、拉巴、开尊、洛则。", ["扎西", "普布", "拉巴", "开尊", "洛则"]),
        (
            "获奖人员：王小明、扎西次仁、李红、德吉卓玛。",
            ["王小明", "扎西次仁", "李红", "德吉卓玛"],
        ),
        ("队员有：黄春贵、袁复栋、严冬冬、张进。", ["黄春贵", "袁复栋", "严冬冬", "张进"]),
        # dotted names with 马, 法, 来 and 提 (法蒂玛·马合木提, 阿不来提)
        ("3月8日是法蒂玛·马合木提的生日。", ["法蒂玛·马合木提"]),
        ("- 阿不来提·阿不都热西提：长期从事教育工作", ["阿不来提·阿不都热西提"]),
        # a blank where the dot would be, then the same name elsewhere
        (
            "热汗古丽 依米尔、余文丽等26人获奖。但是热汗古丽 依米尔在现场说",
            ["热汗古丽 依米尔", "余文丽", "热汗古丽 依米尔"],
        ),
        # a roster printed with blanks: most items names, so the others are too
        (
            "参加人：孙中艮 刘会聪 段太香 杨  弃 徐隽倬 顾立坤\n",
            ["孙中艮", "刘会聪", "段太香", "杨  弃", "徐隽倬", "顾立坤"],
        ),
        # a whole item then its ethnicity in brackets, whatever its characters
        (
            "推荐对象(2名)\n\n向秋拉姆 (女,藏族) 西藏自治区\n\n伦珠(藏族) 日喀则市",
            ["向秋拉姆", "伦珠"],
        ),
        ("教练员次洛(男、藏族);李福庆(男、土族)。", ["次洛", "李福庆"]),
        # tables copied with "|" between cells
        ("姓名 | 性别 | 身份证号\n张三 | 男 | 略\n李四 | 女 | 略\n", ["张三", "李四"]),
        ("法人及非法人组织\n|\n法定代表人:\n|\n刘娟\n|\n法人证件类型:\n|\n身份证\n", ["刘娟"]),
    ],
)
def test_minority_names_and_lists_are_found(text, expected):
    assert names_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "拉萨市城关区、日喀则、林芝、那曲、阿里地区的游客增加。",
        "西藏拉萨、日喀则、山南、林芝、昌都五市。",
        "阿里巴巴集团在杭州。",
        "格桑花开满了山坡，大家说着扎西德勒。",
        "他们见面就说扎西德勒。",
        "尼玛，这是什么情况。",
        "代表团访问了圣彼得堡·涅瓦大街和约翰·史密斯。",
        "游客在阿拉木图·麦迪奥合影。",
        "马克·吐温和列夫·托尔斯泰是作家。",
        "今天 天气 很好 我们 去 公园",
        "北京 上海 广州 深圳\n",
        "阿里 巴巴集团的年会。",
        "西藏自治区(藏族聚居)",
        "拉萨(藏族)地区",
        "产品包括香港、香菇、香烟、香水等。",
        "经审核，东方红小学、红旗小学、和平小学、阳光小学符合条件。",
        "表格 | 说明\n项目名称 | 道路改造\n",
    ],
)
def test_places_greetings_and_words_are_not_names(text):
    assert names_in(text) == []


def test_name_shapes():
    assert is_tibetan_name("次仁旺姆") and is_tibetan_name("小扎西次仁")
    assert not is_tibetan_name("拉萨") and not is_tibetan_name("扎西德勒")
    assert is_translit_name("买买提·艾力")
    assert not is_translit_name("约翰·史密斯") and not is_translit_name("买买提·")


def test_an_enumeration_of_places_gives_no_names():
    # Counties of Tibet look like Tibetan names; one place in the list makes it a list of places.
    text = "途经：林芝、米林、朗县、加查、桑日、曲松。"
    assert minority_names.find(text, []) == []
    # without a place, the items next to two names are names too
    text = "队员：扎西、开尊、洛则、次旦。"
    found = {text[s:e] for s, e, _ in minority_names.find(text, [])}
    assert found == {"扎西", "开尊", "洛则", "次旦"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("达瓦说，他在成都当过兵。", ["达瓦"]),
        ("拉萨市城关区某村党支部书记格桑发言。", ["格桑"]),
    ],
)
def test_a_tibetan_name_of_one_syllable_before_speech_or_after_a_title_and_a_word(text, expected):
    assert [f.text for f in scan(text) if f.type == PERSON_NAME] == expected


def test_tibetan_names_after_a_post_with_more_syllables():
    from gongkai.privacy import scan
    from gongkai.privacy.findings import PERSON_NAME

    text = (
        "乡党委书记贡曲桑珠准备前往山南市，副乡长益西拉么背包进村，人大主席拉杰和乡干部达瓦同行。"
    )
    found = [f.text for f in scan(text) if f.type == PERSON_NAME]
    assert found == ["贡曲桑珠", "益西拉么", "拉杰", "达瓦"]


def test_yi_names_after_their_clan_name_in_a_results_list():
    from gongkai.privacy import scan
    from gongkai.privacy.findings import PERSON_NAME

    text = "第一、二、三名为四川队阿于伍牛、凉山队吉能阿英、四川队阿的张美；询问老干部的日常起居。"
    found = [f.text for f in scan(text) if f.type == PERSON_NAME]
    assert found == ["阿于伍牛", "吉能阿英", "阿的张美"]


def test_a_transliterated_name_without_a_dot_after_a_role():
    from gongkai.privacy import scan
    from gongkai.privacy.findings import PERSON_NAME

    def names(text):
        return [f.text for f in scan(text) if f.type == PERSON_NAME]

    assert names("这是托格尔亚村村医吾甫尔的家。") == ["吾甫尔"]
    assert names("主任赛力克·哈布肯为代表团副团长。") == ["赛力克·哈布肯"]


def test_uyghur_names_with_guli_and_a_verb_after_the_dotted_name():
    from gongkai.privacy import scan
    from gongkai.privacy.findings import PERSON_NAME

    text = "自治区党委政法委副书记吐逊江·加马力来到“亲戚”艾孜姑丽·马穆提家。"
    found = [f.text for f in scan(text) if f.type == PERSON_NAME]
    assert found == ["吐逊江·加马力", "艾孜姑丽·马穆提"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在走访联系市级人大代表乌日娜和旗级人大代表时，详细了解情况。", ["乌日娜"]),
        ("扎嘎斯台嘎查牧户苏伊拉其其格家查看暖棚。", ["苏伊拉其其格"]),
        ("5月15日，我局执法人员照日格图（执法证号0507119）进行检查。", ["照日格图"]),
        ("车辆经乌兰察布市、巴音郭楞州、呼和浩特市运往阿拉坦嘎查。", []),
    ],
)
def test_mongolian_names_from_their_elements(text, expected):
    from gongkai.privacy import scan
    from gongkai.privacy.findings import PERSON_NAME

    assert [f.text for f in scan(text) if f.type == PERSON_NAME] == expected


def test_dotted_names_with_na_ri_and_sun_and_not_the_word_before():
    from gongkai.privacy import scan
    from gongkai.privacy.findings import PERSON_NAME

    text = "医生王娟、米日古丽·图尔荪的弟弟，以及他的邻居塔吉古力·阿布拉江。"
    found = [f.text for f in scan(text) if f.type == PERSON_NAME]
    assert found == ["王娟", "米日古丽·图尔荪", "塔吉古力·阿布拉江"]
