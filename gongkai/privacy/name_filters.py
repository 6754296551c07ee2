"""Names the name passes find that are not a person named: the last word on a candidate.

Plain Python (no Django). `keep(text, spans)` drops, from the `(start, end, confidence)` spans
of `names.find_names` on `text`:

- a name that opens a book's title or names a doctrine ("《习近平谈治国理政》",
  "习近平新时代中国特色社会主义思想", "毛泽东思想", "邓小平理论"): the labelling rules count
  the leader named as a person, not the name inside a title or a theory;
- the items of a list counted as businesses ("汪玉霞、苏恒泰、叶开泰等数十家老字号": shop names
  that are, as often in China, a founder's name);
- a name that is part of an organisation's ("金杜律师事务所", "王建华律所", "李宁公司");
- a heading in brackets ("【关键词】");
- a historical or cultural figure everyone knows, in running text ("鲁迅先生曾说", "苏轼修筑
  苏堤"; not after a label's colon nor as a roster's item): the labelling rules protect living
  private persons, not 孔子 or 岳飞;
- a ruler of antiquity named by his state and rank ("卫侯", "齐王", "晋公");
- a word of three or more characters that the dictionary knows as something else than a
  name ("关键词" at the head of a line of keywords);
- a place of two characters the dictionary knows, run into the next word ("授予甘南藏族自治州…",
  "如甘南舟曲县委书记"): a name is followed by punctuation, a verb or a word that follows names;
- a road ("金科路(张家浜—杨高北路)");
- a county or a prefecture (`places`: "岳阳县", "福州市马尾区", "吕梁、晋中、临汾").

A name of three characters run into the next word loses its last character: "李青同志",
"陈翔自去年" (a name of two, then 同志 or 自).

Each test is a slice comparison or a regex at the candidate's end; the lists of businesses are
found by one regex gated on "家".
"""

from __future__ import annotations

import re
from functools import lru_cache

from gongkai.privacy import minority_names, namemodel, places
from gongkai.privacy.names_evidence import _SPEECH as SPEECH
from gongkai.privacy.names_evidence import TITLE_WORDS
from gongkai.privacy.names_lexicon import (
    COMPOUND_SURNAMES,
    NAME_LABELS,
    PLAIN_COMPOUND_SURNAMES,
    STOPWORDS,
    TITLE_SUFFIXES,
    run_before,
)
from gongkai.privacy.prose_names import ACTIONS

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# After a name: a doctrine or theory named after the person.
_DOCTRINE = re.compile("新时代|(?:文化|经济|法治|外交|强军|生态文明|军事|哲学)?思想|理论")
# Items of a list, then 等 and a count of businesses.
_BUSINESSES = re.compile("等(?:数|几|好几|上|近|\\d+|[一二两三四五六七八九十百千])+家")
_LISTED = re.compile(f"(?:[{_HAN}]{{2,4}}、)+[{_HAN}]{{2,4}}$")
# Figures of history, letters and the revolution named in culture articles, school texts and
# speeches (a name shared by a living private person is rare next to these).
HISTORICAL = frozenset(
    """
    沈钧儒 黄炎培 张澜 李济深 陶行知 闻一多 朱自清 徐悲鸿 齐白石 梅兰芳 聂耳 冼星海 田汉
    董必武 林伯渠 徐特立 谢觉哉 吴玉章 张闻天 王稼祥 粟裕 陈赓 何叔衡 陈潭秋 毛泽民 毛泽覃
    杨匏安 孔繁森 谷文昌 杨善洲 欧阳海 王若飞 关向应 陈延年 陈乔年 李先念 彭真 习仲勋 胡耀邦
    马克思 恩格斯 列宁 斯大林
    孔子 孟子 老子 庄子 荀子 墨子 韩非 屈原 司马迁 秦始皇 汉武帝 唐太宗 武则天 康熙 乾隆
    诸葛亮 曹操 刘备 关羽 张飞 孙权 李白 杜甫 白居易 王维 陶渊明 苏轼 苏东坡 王安石 欧阳修
    范仲淹 陆游 辛弃疾 李清照 岳飞 文天祥 包拯 海瑞 于谦 戚继光 郑和 王羲之 颜真卿 朱熹
    王阳明 林则徐 曾国藩 左宗棠 李鸿章 康有为 梁启超 谭嗣同 孙中山 蔡元培 陈独秀 李大钊
    鲁迅 胡适 郭沫若 茅盾 巴金 老舍 冰心 沈从文 毛泽东 周恩来 刘少奇 朱德 邓小平 陈云 任弼时
    彭德怀 贺龙 叶剑英 聂荣臻 徐向前 刘伯承 陈毅 罗荣桓 方志敏 瞿秋白 杨靖宇 赵一曼 刘胡兰
    董存瑞 黄继光 邱少云 雷锋 焦裕禄 王进喜 钱学森 邓稼先 华罗庚 袁隆平 张謇 严嵩 花木兰
    刘志丹 赵尚志 左权 吉鸿昌 张自忠 佟麟阁 赵登禹 李兆麟 马本斋 江竹筠 夏明翰 杨开慧 叶挺
    彭湃 恽代英 邓中夏 蔡和森 向警予 赵世炎 张思德 白求恩 续范亭 杨虎城 冯玉祥 宋庆龄 何香凝
    廖仲恺 黄兴 秋瑾 邹容 詹天佑 林觉民 史可法 袁崇焕 郑成功 李时珍 张衡 祖冲之 蔡伦 沈括
    徐霞客 曹雪芹 罗贯中 施耐庵 吴承恩 蒲松龄 关汉卿 汤显祖 张骞 班超 霍去病 孙武 商鞅 张仲景
    王尽美 邓恩铭 李汉俊 张国焘 陈公博 周佛海 包惠僧 刘仁静 罗章龙
    """.split()
)
_HISTORICAL_NAMES = tuple(HISTORICAL)  # (for str.startswith and endswith)
# Bodies, prizes and memorials named after a person (李冰研究会, 朱元鼎奖学金): a list of names
# before one shares it (朱元鼎、侯朝海、孟庆闻奖学金).
_NAMED_AFTER = (
    "研究会", "研究中心", "研究院", "奖学金", "助学金", "奖教金", "纪念碑", "纪念园", "纪念堂",
    "陵园",
)  # fmt: skip
# A fund or a prize named after its donor, with a word or two between ("曾宪梓教育基金会",
# "吴多泰博士创新奖学金").
_NAMED_FUND = re.compile(
    "(?:教育|博士|先生|女士|创新|慈善|科技|优秀|爱心|励志|文化|体育|助学){1,2}"
    "(?:基金会|基金|奖学金|助学金|奖教金|奖励计划)"
)
_SHARED_KIND = re.compile(f"(?:、[{_HAN}]{{2,4}}?){{1,4}}?(?:" + "|".join(_NAMED_AFTER) + ")")
# An organisation's kind right after the name: the name is part of the organisation's.
_ORGANISATIONS = (
    "律师事务所", "律所", "事务所", "公司", "集团", "有限", "诊所", "商行", "门诊",
    "药店", "超市", "酒店", "饭店", "酒家", "餐厅", "基金会", "研究所", "纪念馆", "故居",
    "医院", "卫生院",
    # farms and small businesses named after their owner (罗干明养鸭场, 李四种植专业合作社)
    "养殖场", "养鸭场", "养鸡场", "养猪场", "养牛场", "养羊场", "家庭农场", "牧场", "渔场",
    "加工厂", "专业合作社", "合作社", "经营部", "批发部", "门市部", "商店", "小卖部", "餐馆",
    "家庭牧场", "家庭林场",
    # studios an institution names after a teacher or a model worker (徐梅枝名师工作室; not a
    # plain 工作室: two labelled names of dev stand before one)
    "名师工作室", "劳模工作室", "大师工作室", "创新工作室", "技能大师工作室", "爱心团队",
    *_NAMED_AFTER,
    # papers and stations named after their city (金华日报, 金华新闻网); schools after a place
    "日报", "晚报", "新闻网", "电视台", "中心小学", "中心学校", "小学", "中学", "一中", "二中",
    "三中",
)  # fmt: skip
# The first characters of _ORGANISATIONS and of the words of _DOCTRINE (kept in step with it:
# a test reads the words off the pattern).
_AFTER_FIRST = frozenset(w[0] for w in _ORGANISATIONS) | frozenset(
    "新文经法外强生军哲思理"  # _DOCTRINE's
    "教博先女创慈科优爱励体助"  # _NAMED_FUND's
)
_RANKS = frozenset("侯公王")
# A label's colon before, or a list's separator or a line's end after: a party or a roster's
# item, whatever the name.
_LABEL_END = frozenset("：:")
_ITEM_END = frozenset("、，,；; \t\u3000\n")  # (and before: a roster's separators)
_OPEN = frozenset("【[［")
_CLOSE = frozenset("】]］")


def keep(text: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    if not spans:
        return spans
    lists: list[tuple[int, int]] = []
    if "等" in text and "家" in text:
        for m in _BUSINESSES.finditer(text):
            listed = _LISTED.search(text, max(0, m.start() - 60), m.start())
            if listed is not None:
                lists.append(listed.span())
    out = []
    for span in spans:
        start, end = span[0], span[1]
        if start and text[start - 1 : start + 1] in PLAIN_COMPOUND_SURNAMES:
            if end - start >= 4:
                continue
            start -= 1  # 欧阳靖雯, not 阳靖雯; 诸葛宇杰, not 葛宇杰
            span = (start, *span[1:])
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if before == "《" and after != "》":
            continue  # the start of a title: 《习近平谈治国理政》
        if after == "、" and _SHARED_KIND.match(text, end):
            continue  # 朱元鼎、侯朝海、孟庆闻奖学金: the list's items share the prize
        if after in _AFTER_FIRST:  # (most names are followed by none of these)
            if text.startswith(_ORGANISATIONS, end) or _NAMED_FUND.match(text, end):
                continue  # 金杜律师事务所, 王建华律所: an organisation's name (not labelled)
            if _DOCTRINE.match(text, end):
                continue  # 习近平新时代中国特色社会主义思想, 毛泽东思想
        if before in _OPEN and after in _CLOSE:
            continue  # 【关键词】
        if text[start:end] in STOPWORDS:
            continue  # 冠、亚、季军: a list's word, whichever pass took it
        if text[start + 1 : start + 2] == "氏":
            continue  # 张氏家族, 李氏宗祠: a clan, not a person
        if _in_idiom(text, start, end):
            continue  # 秋高气爽: two or three characters of an idiom
        if after in _OPEN_BRACKETS and _DOCUMENT_YEAR.match(text, end):
            continue  # 郑高开〔2014〕29号: a document number's issuer, not a person
        if (
            text[start] == "边"
            and _SIDE_BY_SIDE.match(text, end)
            and namemodel.tagged(text[start + 1 : end], _ACTION_TAGS)
        ):
            continue  # 边拍照，边含着微笑: "doing … while doing …", not the surname 边
        if (
            end - start == 2
            and namemodel.tagged(text[start:end], _VERB_TAGS, _VERB_WORD_FREQ)
            and not _said_a_person(text, start, end)
        ):
            continue  # 大会揭晓了: a verb of the dictionary, where nothing says a person
        if end - start == 3 and text[end - 1] == "原" and text.startswith(TITLE_WORDS, end):
            if text[start : end - 1] in namemodel.lexicon():
                continue  # 市文联原主席: an organisation, then 原 ("former") and the post
            span = (start, end - 1, *span[2:])  # 李明原书记
            end -= 1
        if end - start == 3 and (after == "、" or before == "、") and _things_alike(text, start):
            continue  # 古遗址、古墓葬、古建筑: one character, then a noun, item after item
        if text[start] in _CLASSIFIERS and _counted(text, start):
            continue  # 这4张红榜, 三张桌子: a classifier after a number, not the surname
        if text[start] in _LINKS and _linked_word(text, start, end):
            continue  # 余处长和成都市…, 由方先生: a conjunction or a preposition, not a surname
        if end - start == 2 and text[end - 1] in _RANKS:
            continue  # 卫侯, 齐王
        if (
            text[start:end] in HISTORICAL
            and before not in _LABEL_END
            and after not in _ITEM_END
            and end < len(text)
        ):
            continue  # 鲁迅先生曾说, 岳飞精忠报国 (not "受送达人：诸葛亮", not a roster's item)
        if text[start:end] in HISTORICAL and (
            "纪念" in text[max(0, start - 10) : start] or text.startswith("烈士", end)
        ):
            continue  # 为纪念抗日英雄杨靖宇，
        if _historical_listed(text, start, end):
            continue  # 毛泽东、刘少奇、朱德、周恩来等老一辈…: a list of historical figures
        if end - start >= 3 and text[end - 1] in _ROAD_LAST:
            continue  # 金科路
        if after in _CLASS_FIRST and _CLASS.match(text, end):
            continue  # 高一（6）班: a school class
        if (
            after
            and _han(after)
            and _COMPANY_RUN.match(text, end)
            and not text.startswith(ACTIONS, end)
        ):
            continue  # 万载昌圣科技有限公司 (not 周建国主持召开集团…, 李余良就集团…)
        if places.place_at(text, start, end):
            continue  # 岳阳县, 福州市马尾区, 吕梁、晋中、临汾
        if text[end - 1] in places.PLACE_LAST and _next_item_alike(text, start, end):
            continue  # 周家河、吴营河、郑口河: a list of rivers, villages, roads
        if end - start in (3, 4) and _last_is_a_word(text, start, end):
            span = (start, end - 1, *span[2:])  # 张春贤三人, 黄兵共10名, 杨华用手机
            end -= 1
        if (
            end - start == 3
            and (
                text.startswith("同志", end - 1)
                or (text[end - 1] == "自" and _han(after))
                or (text[end - 1] == "案" and not _han(after))
                or (text[end - 1] in "文图" and after != "" and after in "/／")
                or (text[end - 1] == "均" and before == "、" and _han(after))
            )
            or end - start in (3, 4)
            and text[end - 1] == "摄"
            and not _han(after)
        ):
            # 李青同志, 陈翔自去年, 李龙案，, 邹亮、邓彧均到庭, 李玥文/摄, 李莉摄, 刘宪武摄
            span = (start, end - 1, *span[2:])
            end -= 1
        if (
            end - start == 3
            and text[end - 1] in _CONJUNCTIONS
            and _han(after)
            and after not in _NAME_FOLLOW
            and not text.startswith(TITLE_SUFFIXES, end)
        ):
            # "陈宇和于松柏", "张健和总装车间": the name stops before the conjunction (not
            # "陈忠和同志", "李子和说", "洪礼和主持")
            if namemodel.is_common_word(text[start : end - 1], strict=True):
                continue  # 权利和义务, 程序和规定, 呼声和要求
            if not text.startswith(ACTIONS, end):
                span = (start, end - 1, *span[2:])
                end -= 1
        if "·" in text[start:end] and any(word in text[start:end] for word in _MEDIA_WORDS):
            continue  # 大众网·海报新闻记者: a newspaper's site and its app, not a dotted name
        if end - start == 3 and text[start + 1] in "·•・" and before in "/／":
            continue  # 382元/人·月: a unit
        if after in _MASKS and not text.startswith(_NOT_A_MASK, end):
            continue  # 陈淼某, 林芷某: a name masked by its last character, as published
        if end - start == 2 and text[end - 1 : end + 1] in _ADDRESS_WORDS:
            continue  # 市民汤先生: a surname and half of 先生
        if end - start == 2 and text[end - 1] in "男女":
            continue  # 王男, 周女: a surname and the sex, as papers of Hong Kong and Taiwan mask
        if end - start == 3 and text[start + 1 : end] in _ADDRESS_WORDS:
            continue  # 村民代表王大伯: a surname and a form of address
        if end - start >= 3 and _a_word(text[start:end]):
            continue  # 关键词
        if (
            (
                _unnamelike(text[start:end])
                or (_unnamelike_end(text[start:end]) and not _said_a_person(text, start, end))
                or (_word_head(text[start:end]) and not _said_a_person(text, start, end))
            )
            and not (before in _ITEM_END and after in _ITEM_END)
            and not minority_names.is_tibetan_name(text[start:end])
        ):
            continue  # 江流域, 任上调, 祖父母: given names are not made of such characters
        if (
            end - start == 2
            and _han(after)
            and after not in _NAME_FOLLOW
            and _a_place(text[start:end])
        ):
            continue  # 甘南藏族自治州
        if lists and any(lo <= start and end <= hi for lo, hi in lists):
            continue
        out.append(span)
    return out


_ROAD_LAST = frozenset("路街巷弄")
# A school class after a grade ("高一（6）班", "初二3班").
_CLASS = re.compile(r"[（(]?[0-9０-９]{1,2}[）)]?班")
_CLASS_FIRST = frozenset("（(0123456789０１２３４５６７８９")
# The rest of a company's name run into the candidate, up to its legal form.
_COMPANY_RUN = re.compile(
    f"[{_HAN}]{{0,6}}?(?:有限责任公司|有限公司|股份公司|分公司)|[{_HAN}]{{0,2}}?集团(?!党|领导)"
)
_CONJUNCTIONS = frozenset("和与及")
# A name whose last character is masked ("第三人：陈淼某", "林芷*"): already de-identified.
_MASKS = frozenset("某*＊×")
_NOT_A_MASK = ("某日", "某月", "某年", "某时", "某地", "某处", "某些", "某种", "某个", "某单位")
# A newspaper's name joined to its site's or app's by a middle dot ("新甘肃·每日甘肃网记者").
_MEDIA_WORDS = ("网", "报", "记者", "新闻", "电视", "客户端", "频道", "融媒")
# Titles and forms of address a surname takes ("汤先生", "刘老师", "王奶奶"): a span of two that
# ends in their first character is a surname and half a title.
_ADDRESS_WORDS = frozenset(w for w in TITLE_SUFFIXES if len(w) == 2) | frozenset(
    "阿姨 大爷 大妈 大娘 奶奶 爷爷 大伯 大叔 大哥 大姐 大嫂 叔叔 伯伯 婶婶 婆婆 老伯 老汉 老太"
    " 老爹 老爷 老哥 老弟 老姐 阿婆 阿公 阿伯 阿叔 阿婶 大婶 伯母 婶子 嫂子 姐姐 哥哥 妹妹 弟弟"
    " 舅舅 姑姑 公公".split()  # (no labelled name of dev, eval2 or eval4 ends so)
)
# Right after a string, these make it a crop or a product: 杨梅园, 杨梅基地, 黄精产业,
# 杨梅之乡. A person's name is not followed by them (not 树 or 林: given names end with them
# far more often than with 园; not 种植 or 收购: "村民李强种植了五亩").
_THING_AFTER = (
    "园", "果园", "基地", "种苗", "品种", "产业", "产区", "产地", "产季", "产量", "产值", "之乡",
    "文化节", "亩",
)  # fmt: skip
_THING_FIRST = frozenset(word[0] for word in _THING_AFTER)
# the regex engine jumps from one first character to the next (a lookahead would be tried at
# every position of the text)
_THING_FIRST_AT = re.compile("[" + "".join(sorted(_THING_FIRST)) + "]")


# Surnames that are also classifiers or counts after a number (4张红榜, 两张桌子, 3万温州网友).
_CLASSIFIERS = frozenset("张万")
_NUMERALS = frozenset("一二三四五六七八九十百千两几每数")
_DIGITS = frozenset("0123456789０１２３４５６７８９")


def _counted(text: str, at: int) -> bool:
    if not at:
        return False
    if text[at - 1] in _NUMERALS:
        return True
    digits = run_before(text, at, _DIGITS)
    if digits and text[at] == "万":
        return True  # 3万温州网友: ten thousand
    # (not 药品质安2021张伟, a class's code, nor 2022-09-09张云亮, a date: then a name)
    return 1 <= digits <= 3 and (at - digits == 0 or _han(text[at - digits - 1]))


# Surnames that are also conjunctions and prepositions (和, 由, 向 …).
_LINKS = frozenset("和与及同跟由为对给向将从")


# The year of a document number after its issuer's short name ("郑政文（2008）138号").
_OPEN_BRACKETS = frozenset("（(〔[［【")
_DOCUMENT_YEAR = re.compile(r"[（(〔\[［【] ?(?:19|20)\d\d ?[）)〕\]］】] ?第?\d")
# The second half of "边 … 边 …" within a clause or two after the span.
_SIDE_BY_SIDE = re.compile(f"[{_HAN}]{{0,6}}[，,]?[ ]?边(?!巴)")
_ACTION_TAGS = frozenset({"v", "vd", "vi", "vn", "a", "ad"})


def _in_idiom(text: str, start: int, end: int) -> bool:
    """Two characters of the span or more belong to a four-character idiom of the dictionary
    that the text writes around it ("秋高气爽" around 高气爽)."""
    idioms = namemodel.idioms()
    for at in range(max(0, end - 4), min(start + 1, len(text) - 3)):
        overlap = min(end, at + 4) - max(start, at)
        if overlap >= 2 and text[at : at + 4] in idioms:
            return True
    return False


_VERB_TAGS = frozenset({"v", "vd", "vi"})
_VERB_WORD_FREQ = 100


def _things_alike(text: str, start: int) -> bool:
    """A list's item of three characters whose neighbour starts with the same one, both
    ending in a frequent noun ("古墓葬、古建筑", "高学历、高水平"): things described, not
    two people of one family (王建国、王建华 share no noun)."""
    if not namemodel.tagged(text[start + 1 : start + 3], _NOUNS, _NOUN_FREQ):
        return False
    for at in (start + 4, start - 4):  # the next item, the one before
        if (
            at >= 0
            and text[at : at + 1] == text[start]
            and text[at + 1 : at + 3] != text[start + 1 : start + 3]
        ):
            if namemodel.tagged(text[at + 1 : at + 3], _NOUNS, _NOUN_FREQ):
                return True
    return False


_NOUNS = frozenset({"n", "vn"})
_NOUN_FREQ = 300


def _linked_word(text: str, start: int, end: int) -> bool:
    """The span's first character links to what follows: a surname and a title (由方先生) or a
    division's name (和成都市) runs on from its second character."""
    if end - start == 2 and text.startswith(TITLE_SUFFIXES, end):
        return True
    return any(places.is_division(text[start + 1 : start + 1 + n]) for n in range(end - start, 5))


_COUNT_WORDS = frozenset("共获于以")
# What someone 作 (delivers) before a meeting: a report, an explanation.
_REPORT_AFTER = (
    "关于", "的关于", "了", "报告", "的报告", "工作报告", "说明", "的说明", "讲话", "发言",
)  # fmt: skip
# After 家 ("home") behind a name: the name's household, not a name's last character (one
# labelled name of dev ends in 家, 王百家, followed by a comma and a post).
_HOME_AFTER = frozenset("中里院门。；;")
# Adverbs (and 在) no given name ends with (each below the gate of _unnamelike; not 才).
_ADVERBS = frozenset("却也都还又就便在")
# What a person 致 (delivers) at a ceremony.
_ADDRESSES_GIVEN = ("辞", "词", "欢迎词", "开幕词", "闭幕词", "贺词", "贺信", "答谢词", "祝酒词")
_VERB_FREQ = 500


def _last_is_a_word(text: str, start: int, end: int) -> bool:
    """The last character of three or four is no part of the name but begins what follows: a
    count or a date ("张春贤三人为新任", "高磊、黄兵共10名", "杨鸥于2018年"; not 王笑一表示 or
    段轮一副省长), what is delivered (黄伟致欢迎词), an adverb (张焘却要), a household (赖健家。)
    or a verb of the dictionary (刘明回答)."""
    if end >= len(text):
        return False
    last, after = text[end - 1], text[end]
    if last in _COUNT_WORDS:
        # 共获于 before a count or a date (柯俊以22秒12; 常彬获“优秀运动员”)
        return after.isdigit() or after in _NUMERALS or (last == "获" and after in '“"「')
    if last in _NUMERALS and after in "人名位个":
        return True
    if last == "致" and text.startswith(_ADDRESSES_GIVEN, end):
        return True  # 黄伟致欢迎词 (a name's own 致 is followed by no such word: 王致远致辞)
    if last in _ADVERBS and _han(after):
        return True  # 张焘却要承受: an adverb given names do not end with
    if last == "作" and text.startswith(_REPORT_AFTER, end):
        return True  # 听取了主任李谦作的关于…的报告, 部长杨玲作关于…的说明
    if last == "家" and after in _HOME_AFTER:
        return True  # 低保户赖健家。: the household of 赖健
    # a verb the last character opens with what follows: "刘明回答", not "龙永图表现"
    info = namemodel.lexicon().get(last + after)
    return (
        end - start == 3
        and info is not None
        and info[0] >= _VERB_FREQ
        and info[1] in ("v", "vd", "vn")
        and namemodel.given_ratio(last) < _UNNAMELIKE
    )


def _historical_listed(text: str, start: int, end: int) -> bool:
    """A historical figure next to another in a list (李大钊、夏明翰、方志敏), or one cut short
    by a pass (周恩 of 周恩来等): not a person the text is about."""
    name = text[start:end]
    if name not in HISTORICAL:
        return text[start : end + 1] in HISTORICAL
    if text[end : end + 1] == "、" and text.startswith(_HISTORICAL_NAMES, end + 1):
        return True
    return text[start - 1 : start] == "、" and text[max(0, start - 7) : start - 1].endswith(
        _HISTORICAL_NAMES
    )


def _holds_any(text: str, chars: frozenset[str]) -> bool:
    """Whether `text` holds one of `chars`: one fast search each, where a set's intersection
    with the text makes a string of each of its characters (a bench snippet 3.3 -> 0.3 us,
    the bench corpus as one text 30 ms -> 0.01 ms)."""
    for char in chars:
        if char in text:
            return True
    return False


# A shop or a brand after its name ("华泰厚服装店", "燕泉春品牌"): a person's name is not
# followed by these.
_SHOP_WORDS = (
    "服装店", "鞋店", "茶庄", "商店", "饭店", "酒家", "酒楼", "餐馆", "面馆", "药店", "药铺",
    "商号", "票号", "商行", "字号", "品牌", "商标", "老字号", "钟表店", "布店", "酱园",
)  # fmt: skip
# What makes the string before it the name of an organisation, a brand or a place.
# (村, 寨, 屯: 龙乃村 named a dozen times; one labelled name of 12,157 in dev, eval2 and eval4 is
# ever followed by one of them other than as 村民, 村委 …: 周万章村, a slip)
_HEAD_OF = (*_ORGANISATIONS, *_SHOP_WORDS, "县", "镇", "乡", "街道", "社区", "村", "寨", "屯")
# What, right at an occurrence, says a person is meant all the same (许小平主任, 田坝说).
_PERSON_AFTER = (*TITLE_SUFFIXES, *SPEECH)


def drop_heads(text: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Drop the occurrences of a string that the text also uses as the head of an
    organisation's, a shop's, a brand's or a place's name ("张小泉集团", "华泰厚服装店",
    "张裕商标", "田坝镇", "龙乃村"), unless a title or a verb of speech right after it, or a
    label's colon before it, says a person.

    One pass over the text for the kinds (a search per string read a long text once per name)."""
    if not spans:
        return spans
    values = {text[span[0] : span[1]] for span in spans}
    # (not before 镇长, 县长: a title, not a town; nor before 村民, 村委 …)
    heads = values & _ending_before(
        text,
        _HEAD_AT,
        values,
        lambda at: (
            not text.startswith(TITLE_SUFFIXES, at) and not text.startswith(_VILLAGE_WORDS, at)
        ),
    )
    if not heads:
        return spans
    return [
        span
        for span in spans
        if text[span[0] : span[1]] not in heads
        or text.startswith(_PERSON_AFTER, span[1])
        or span[0]
        and text[span[0] - 1] in _LABEL_END
    ]


_HEAD_AT = re.compile("|".join(map(re.escape, sorted(_HEAD_OF, key=len, reverse=True))))


def _ending_before(text: str, marks: re.Pattern, values: set[str], accept) -> set[str]:
    """The strings of `values`' lengths that end right before a match of `marks` at a place
    `accept(at)` accepts: one pass over the text whatever the number of strings (a search for
    each string read a long text once per name)."""
    lengths = {len(value) for value in values}
    before: set[str] = set()
    for match in marks.finditer(text):
        at = match.start()
        if accept(at):
            before.update(text[at - n : at] for n in lengths if n <= at)
    return before


_STAND_INS = frozenset({"张三", "李四", "王五", "赵六", "李华"})
# Names the text itself says name nobody: an alias (张明（化名）, as 王某 names nobody; the
# labelled sets leave aliases out) and a typhoon (台风“杜苏芮”).
_ALIAS = re.compile(r"[（(]化名[）)]")
_TYPHOON = re.compile(r"台风[“\"‘「]([^”\"’」\n]{2,4})[”\"’」]")


def drop_made_up(text: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Drop every occurrence of an alias, a storm's name, and the stand-in names of a sample
    text (张三, 李四 … where the text also writes XX for what it leaves open)."""
    if not spans:
        return spans
    if ("XX" in text or "××" in text) and sum(name in text for name in _STAND_INS) >= 2:
        spans = [span for span in spans if text[span[0] : span[1]] not in _STAND_INS]
    if "化名" not in text and "台风" not in text:
        return spans
    made_up = {m.group(1) for m in _TYPHOON.finditer(text)} if "台风" in text else set()
    if "化名" in text:
        made_up.update(text[s:e] for s, e, *_ in spans if _ALIAS.match(text, e))
    return [span for span in spans if text[span[0] : span[1]] not in made_up]


_STOCK_CODE = re.compile(r"[（(](?:\d{6}|0\d{4})(?:\.[A-Z]{2})?[）)]")
_QUOTED = re.compile(f'[“「"]([{_HAN}]{{2,4}})[”」"]')
# What introduces a handle or a name someone goes by, in quotes ("网友“王小亮”", "名为“…”").
_HANDLE_BEFORE = ("网友", "名为", "为", "叫", "名叫", "昵称", "署名", "笔名")


def drop_brands(text: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Drop every occurrence of a string the text writes in quotes ("“燕泉春”、“聚泉永”两个
    商标"), unless a label, a post, a title or 名为/网友 says a person at one of its
    occurrences, and of a listed company before its stock code (李宁(02331)) whatever is said
    of it (a shop before its kind, 华泰厚服装店, is `drop_heads`' work). Two labelled names of
    12,157 in dev, eval2 and eval4 are ever quoted (a handle, a name a report quotes; both
    kept), and none is followed by a stock code."""
    if not spans:
        return spans
    brands: set[str] = set()
    if "“" in text or "「" in text or '"' in text:
        brands.update(m.group(1) for m in _QUOTED.finditer(text))
    # a listed company before its code (李宁(02331)), whatever else the text says of it
    listed = {
        text[s:e] for s, e, *_ in spans if text[e : e + 1] in "（(" and _STOCK_CODE.match(text, e)
    }
    if not brands and not listed:
        return spans
    # a person wherever a label, a post or a title says so once ("名为谭梦妮", "网友“王小亮”")
    for start, end, *_ in spans:
        value = text[start:end]
        if value in brands and (
            _said_a_person(text, start, end)
            or text[max(0, start - 3) : start].rstrip('“「"').endswith(_HANDLE_BEFORE)
        ):
            brands.discard(value)
    brands |= listed
    return [span for span in spans if text[span[0] : span[1]] not in brands]


def drop_things(text: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Drop every occurrence of a string that the text also names as a thing somewhere
    ("杨梅基地", "黄精产业"): the crop or product a report is about, named a dozen times.

    Gated on the markers' first characters being in the text at all."""
    things: set[str] = set()
    if _holds_any(text, _THING_KINDS_FIRST):
        things.update(
            text[start:end] for start, end, *_ in spans if _listed_as_things(text, start, end)
        )
    if not _holds_any(text, _THING_FIRST):
        return [span for span in spans if text[span[0] : span[1]] not in things]
    values: set[str] = set()
    for start, end, *_ in spans:
        values.add(text[start:end])
        if end - start == 3:
            values.add(text[start : end - 1])
    # (not 李园 in "李园园": a name's doubled last character)
    things |= values & _ending_before(
        text,
        _THING_FIRST_AT,
        values,
        lambda at: at and text[at] != text[at - 1] and text.startswith(_THING_AFTER, at),
    )
    if not things:
        return spans
    # "杨梅成熟": a span of three that starts with the thing goes too
    return [
        span
        for span in spans
        if text[span[0] : span[1]] not in things
        and (span[1] - span[0] != 3 or text[span[0] : span[1] - 1] not in things)
    ]


# Words that start with a village's kind after a person's name (村民李明, but 李明村民 too;
# 王平村委会主任).
_VILLAGE_WORDS = (
    "村民", "村委", "村干部", "村支书", "村长", "村主任", "村医", "村党", "村两委", "村书记",
    "村官", "村级", "村里", "村内", "村子", "村口", "村头", "村集体", "村组", "村小", "村务",
    "村监委", "村会计", "村妇联", "寨主",
)  # fmt: skip


# Kinds of crops and goods that a list of them is named as ("白术、贝母、黄精等中药材",
# "收获中药材白术", "西瓜、杨梅、蔬菜等传统种植业").
_THING_KINDS = (
    "中药材", "药材", "农作物", "作物", "水果", "蔬菜", "果树", "苗木", "花卉", "种植业", "植物",
    "特产", "农产品", "果品",
)  # fmt: skip
_THING_KINDS_FIRST = frozenset(kind[0] for kind in _THING_KINDS)
_DEALERS = ("户", "人", "农", "商", "员", "师", "家", "能手", "经纪", "大王", "协会", "合作社")
_LIST_ITEM = re.compile(f"(?:(?!等)[{_HAN}]){{1,4}}")
_LIST_ITEM_BEFORE = re.compile(f"(?:(?!等)[{_HAN}]){{1,4}}$")


def _kind_near(text: str, at: int) -> bool:
    """A kind of goods within a few characters of `at` ("等传统种植业"), and not the first word
    of people who deal in them ("等优秀农产品经纪人", "中药材种植户")."""
    window = text[at : at + 6]
    for kind in _THING_KINDS:
        found = window.find(kind)
        if found >= 0:
            after = at + found + len(kind)
            return not any(dealer in text[after : after + 4] for dealer in _DEALERS)
    return False


def _listed_as_things(text: str, start: int, end: int) -> bool:
    """The span is an item of a list of crops or goods: the kind right before the list, or
    after its 等."""
    last = end
    while last < len(text) and text[last] == "、":
        item = _LIST_ITEM.match(text, last + 1)
        if item is None:
            break
        last = item.end()
    if text.startswith("等", last) and _kind_near(text, last + 1):
        return True
    first = start
    while first > 1 and text[first - 1] == "、":
        item = _LIST_ITEM_BEFORE.search(text, max(0, first - 5), first - 1)
        if item is None:
            break
        # (the first item may be shorter than the four characters read: 药材有黄芪、)
        if any(_kind_before(text, first - 1 - n) for n in range(1, len(item.group()))):
            return True
        first -= 1 + len(item.group())
    return _kind_before(text, first)


def _kind_before(text: str, at: int) -> bool:
    """A kind of crops or goods ends at `at`, or a word that links it to a list does
    (野生药材有黄芪、…)."""
    head = text[max(0, at - 7) : at]
    for link in _KIND_LINKS:
        if head.endswith(link):
            head = head[: -len(link)]
            break
    return head.endswith(_THING_KINDS)


_KIND_LINKS = ("主要有", "主要是", "包括", "有", "如", "是", "：", ":")


# What follows a name in running text: a place followed by one of these is read as a person.
_NAME_FOLLOW = frozenset("说等和与及是在的同任也就都为被从向对称表指认介告回笑讲")


def _next_item_alike(text: str, start: int, end: int) -> bool:
    """Whether an item of a 、 list next to the span also ends like a place."""
    if start >= 2 and text[start - 1] == "、" and text[start - 2] in places.PLACE_LAST:
        return True
    if end < len(text) and text[end] == "、":
        for at in range(end + 1, min(len(text), end + 6)):
            if not _han(text[at]):
                break
            # the item's last character (not 市 of "副市长余向红")
            if text[at] in places.PLACE_LAST and (at + 1 == len(text) or not _han(text[at + 1])):
                return True
    return False


def _han(char: str) -> bool:
    return "\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff"


@lru_cache(maxsize=1 << 12)
def _a_place(candidate: str) -> bool:
    info = namemodel.lexicon().get(candidate)
    return info is not None and info[1] == "ns" and info[0] >= 50


# Below this, every given-name character is far likelier in running text than in a name
# (上 -3.8, 域 -3.5, 式 -3.1): 12 of dev's 7,699 labelled names of two or three characters
# have such given names (Tibetan names such as 普布 and roster items such as 方工 are kept),
# against the words the rules take after a role word or a post (江流域, 方式多, 任上调).
_UNNAMELIKE = -2.5
# A last character below this: 10 of dev's 5,859 names of three characters (卢展工, 张左己).
_NEVER_LAST = -4.0


@lru_cache(maxsize=1 << 16)
def _word_head(candidate: str) -> bool:
    """Three characters whose first two are a frequent word of their own (全国党代会, 黄金期):
    7 of dev's 5,859 labelled names of three characters start so (全国东, 林业霖, 万家庆), not
    counting 王国 (a place's tag in the dictionary: 王国华); they are kept where a label, a
    post or a title says a person."""
    if len(candidate) != 3 or candidate[:2] in COMPOUND_SURNAMES:
        return False  # (东方 is a word and a surname: 东方芳)
    info = namemodel.lexicon().get(candidate[:2])
    return (
        info is not None
        and info[0] >= _WORD_HEAD_FREQ
        and info[1] not in namemodel.PERSON_TAGS
        and info[1] != "ns"
    )


_WORD_HEAD_FREQ = 1000


def _said_a_person(text: str, start: int, end: int) -> bool:
    """A label, a party's role or a post right before the span, or a title right after it
    (姓名：方向阳, 被执行人林业霖, 常务副校长全国东, 全国东副校长)."""
    if start and text[start - 1] in _LABEL_END:
        return True
    if text.startswith(TITLE_SUFFIXES, end + (text[end : end + 1] == "副")):
        return True
    head = text[max(0, start - 6) : start]
    return head.endswith(NAME_LABELS) or head.endswith(TITLE_WORDS)


@lru_cache(maxsize=1 << 16)
def _unnamelike(candidate: str) -> bool:
    if not 2 <= len(candidate) <= 3 or not all(map(_han, candidate)):
        return False
    given = candidate[2:] if candidate[:2] in PLAIN_COMPOUND_SURNAMES else candidate[1:]
    if not given:
        return False
    return max(map(namemodel.given_ratio, given)) < _UNNAMELIKE


@lru_cache(maxsize=1 << 16)
def _unnamelike_end(candidate: str) -> bool:
    """Three characters, the last one names almost never end with (刘海不, 荣誉感, 路南侧):
    they are kept where a label, a post or a title says a person (卢展工, 劳绍般)."""
    return (
        len(candidate) == 3
        and all(map(_han, candidate))
        and candidate[:2] not in PLAIN_COMPOUND_SURNAMES
        and namemodel.given_ratio(candidate[2]) < _NEVER_LAST
    )


@lru_cache(maxsize=1 << 16)  # (4096 was refilled on every pass over a corpus)
def _a_word(candidate: str) -> bool:
    info = namemodel.lexicon().get(candidate)
    return info is not None and info[1] not in namemodel.PERSON_TAGS
