"""Evidence that a short Han string is a personal name: given-name characters and a lexicon.

Plain Python (no Django). Two signals, combined by `gongkai.privacy.names`:

- given-name characters: how often a character is used in Chinese given names (a hand-written
  table in three tiers, common to rare), and characters that are almost never part of a given
  name but often follow a role word in running text ("申请人应当", "当事人对", "户主要求");
- jieba's bundled dictionary (word, frequency, part of speech; read from the installed package,
  nothing is downloaded): a frequent word that is not tagged as a person name ("应当", "要求",
  "高度") is not a name; a string tagged `nr` is one more hint that it is;
- `given_ratio`: how much likelier a character is in a given name than in running text, from
  two tables counted on far more text than any we label: ngender's counts of characters in
  some 32 million given-name characters, and jieba's dictionary words weighted by frequency.
  "俊" and "梅" are names' characters (+4.6, +3.9), "回", "共" and "和" the text's (−3.8,
  −3.5, −1.7), whatever the hand-written tiers say.
"""

from __future__ import annotations

import csv
import importlib.util
import math
from functools import lru_cache
from pathlib import Path

# Characters of given names, by how common they are (written for this project from the usual
# character frequencies of Chinese given names; each tier is roughly ordered by frequency).
_TIER1 = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红燕鹏辉玲建林峰亮国文斌宇浩凯"
    "俊波海晨欣雪梅琳丹婷慧莉颖佳雯倩晶妍琴云飞鑫龙春新成东志荣振宏宁伦翔彬晓琪璐佩蕾薇"
    "霖阳帆健康刚涵轩怡婧蓉凤琼珍娥兵德庆永良忠民发贵福祥生金荣清安立正明光彦晗昊"
)
_TIER2 = (
    "一二三丁九卫乐书亚仁代兴军冬冰凡利力勤博卿双叶君启和咏哲喜嘉坤培基增士声夏天奇"
    "奎威婉媛子孝学宏宝宗定宜宪宸寒尧山岚岩峥崇川州巧常平年广庚康延建弘强彤彪彩征得心志"
    "忠思恒恩悦惠慧成才振捷敬文斐方旭昌明星春昭晋景晴智朗望木杉权杨松林枫柏树格桐梁森楠"
    "樱欢武毅水永江池沛河治泉波泽洁津洪浩涌淑深清渊湘源溪滨潇澜灿炎炜烨焕照熙燕爱牧玮环"
    "珂珊珠琦瑜瑞瑶璇田甜畅登白皓盛真石礼祖祝秋科秦程稳立章童竹笑策简米紫红纯维绍罗群义"
    "翠耀胜艺芝芬芮花苗若英茂茜荷莎莹菊菲萌营蓓蔚蕊虹蛟行衡西诗诚谦豪贤贞赛超越路跃辰"
    "达迎远运进连道邦金钢钧铭锋锦长闯阔雄雅雨雷露青靖静韬韵顺颂馨驰骏高鸣鸿麟黎鼎齐"
    "丰丽义之乔亭仕伯佑依侠修倩儒元先光克全冠凌凝剑劲勋匀升卓南博厚友古可合吉君含启"
    "周哲唐善园圣坚城基堂增壮妮姗娇娴婕婧媚嫣孟守安宏宣容富寿尚屏岳崔巍帅希席庭彬彭"
    "徽忆念怀恺悟惜愉慈懿戈扬抒拓振敏斌新旺昀昕晏晖晟暄曦曼朋朝杭杰柔栋栩桦梓棋楚欧毓"
    "汉汐沁沫泓洋洲浙涓润淇淳渝湛滢漫潮澄澈灵炳煜熠燊琛琰琳瑾璋璟畴盈睿瞻研硕祎祺禄禹"
    "秉稼穆竞笙筠素细绮缘羽翊翰耕聪育舒舟航良芊芸苏茹荃莘莲菁萱蔓蕴薇蘅虎蝶衍裕谊谷"
    "贝财赐赫路轩辉迪逸遥邑郁钊钦铎锐锡镕阁陶隆雁雯霄霏霆韦韩颐飒飘馥驹骁鹃鹤麒黛"
)
_TIER3 = (
    "乃久乾亿仙仲佐俐倍偲偉傲允兆兮军凤凯刘初刚功加励勉勃化北千华卉卫占卯友双叔古召史"
    "合同吟呈咸品响嘉囡国圆坡垚埃堃墨壹夕多大天夫央奕女如姝姣姿娅娟娣婵婷媛嫦孜宁宇守"
    "官宛宾寅寰封尊小少尔尘尹居岭岱峰峻崎嵘巩己巾布帛干幸幻庄序庶度廷开异弦"
    "弟张强归彦影徐御微德忱怡恬恭悠惟慕慰戎成戬才承技抗捷掌攀政效敖敦文斯旦旬昆昇"
    "昊昱晔晞晶暖暮曙服朴朵杏李杜束杰松板枝柯柱栋根桂桃桑梅棠楷榕槐橙欣歆正武母"
    "毛民气汀汝江池汶沂沐沙河泊泰洛洽浚涔涛淼添渠湖湘溢滔漪潞澍濠灏炫点烁烽焱然煊"
    "爽牛犇玄玫玮珏珑琅琥瑄瑛瑗璐瓒甘生用甫男畔疆百皎盘眉睦瞳矶砚碧磊祁祎祥禅秀秧"
    "穗窈端笛筱粤精素索红纪纳纬练绪绵缨罡羡羲翀翎翘翼耘聚肖胤自致舜艳芙芷苇苓茁茵"
    "荔荟莉莺菡萧葆蒙蓝蓬蔺蕙藩蘭蛮融裴襄观解言誉许谨豆贺赞赟起轶辛辽迅逍遐郎钰铖铭"
    "锋锴闵闻阑阳陆陈雍雏雪霓靓韧颀风飚香馗驿骥鲁鸥鹏鹰麦黄默"
)
GIVEN_TIER1 = frozenset(_TIER1)
GIVEN_TIER2 = frozenset(_TIER2) - GIVEN_TIER1
GIVEN_TIER3 = frozenset(_TIER3) - GIVEN_TIER1 - GIVEN_TIER2

# Characters that are (almost) never part of a given name but often follow a role word or a
# name in running text: particles, pronouns, modal verbs, prepositions, common verbs.
NOT_GIVEN = frozenset(
    "的了是在有不这那个们来去到说要就也都而及与或被把让给对向从于以为其此所等着过应当该"
    "须需将已曾会能则但并且还又再更最很太非无没未请由按据经每各某本即均皆办局委室厂店"
    "县省镇乡街村区市单号码话证件身份址住户籍性别族出日岁份项条款第节次件个位人员部处组"
    "队站院司社会告示知通报决函申请答复提签字盖写填交送收寄查核审批予拒绝见况问题述贴讯网前爹爷奶婆妈娘叔姨嫂"
)

# Surnames of the 《百家姓》 and of modern frequency lists beyond the common ones of
# `gongkai.privacy.names` (written for this project). Those that are rarely anything but a
# surname in running text ("傅", "琚", "奕") count like the common ones; those that are mostly a
# word or part of one ("水", "红", "代表") only in a strong context (label, table column); not
# 东 or 公, which would hide the compound surnames 东方, 公孙 …
MORE_SURNAMES = frozenset(
    "傅萧洪赖阎酆贲钮荀羿汲邴糜隗宓郗钭蓟鬱莘逄郦郤璩濮郏宦庾殳夔厍訾乜蒯竺缑佴谯笪禤蹇琚奕浮桓丘"
)
MORE_WEAK_SURNAMES = frozenset(
    "水经滑松牧山蓬秋怀能双扶寿通习鱼慎暨步弘广禄越融红伯年爱言福代贡苍蔚沃巢琴鄂韶昌"
    "凤益贝墨操旷寸种回宰仰香"
)
# Given names of the 1950s–70s (and a few older ones) holding a character that is otherwise
# never in a given name ("向党", "有光", "前进"): they are names as a whole.
ERA_GIVEN = frozenset(
    """
    向党 向东 向阳 向前 向荣 向明 向红 向华 向群 向军 向民 向国 向辉 向农 向荣 向英 向平
    有光 有才 有为 有福 有财 有德 有志 有良 有明 有林 有成 有根 有发 有生 有田 有富 有贵
    有仁 有信 有道 有权 有全 有余 有山 有华 有国 有军 有文 有章 有金 有银 有亮 有礼
    前进 前程 卫党 爱党 建党 跟党 永党 党生 党育 党英 党军 党民 会明 会芳 会英 会兰 会玲
    会珍 会琴 会敏 会军 会林 会平 会清 会娟 会云 会霞 来福 来喜 来顺 来旺 来宝 来娣 来生
    来发 来英 其昌 其林 其军 其华 其明 再兴 再生 再华 应龙 应良 应明 应华 从军 从文 从容
    """.split()
)

# Above this jieba frequency a word that is not tagged as a person name is a common word.
COMMON_WORD_FREQ = 300
# Parts of speech of words that cannot stand for a person (verbs, adverbs, prepositions …);
# these are refused whatever the context once they are at all frequent.
FUNCTION_TAGS = frozenset({"v", "vn", "vd", "d", "ad", "p", "c", "u", "r", "m", "q", "f", "t"})
FUNCTION_FREQ = 50
COMMON_NAME_WORD_FREQ = 500
# A string tagged nr below this frequency is most likely a person's name, not a word.
PERSON_WORD_MAX_FREQ = 300
# jieba tags many frequent words of two characters as names (明白 10875, 文明 6584, 祖先 1526);
# from this frequency on they are words, or figures of history and fiction (康熙, 宋江).
NR_WORD_FREQ = 1000
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})


def lexicon() -> dict[str, tuple[int, str]]:
    """Words of 2–4 characters from jieba's bundled dictionary: word -> (frequency, tag).

    Empty if jieba is not installed (the other signals still work)."""
    return _dictionary()[0]


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, tuple[int, str]], dict[str, int], frozenset[str]]:
    """One pass over jieba's dict.txt: the lexicon above, each character's count (the
    frequencies of the words it is in) for `given_ratio`, and the idioms for `idioms`."""
    path = _package_file("jieba", "dict.txt")
    if path is None:
        return {}, {}, frozenset()
    words: dict[str, tuple[int, str]] = {}
    chars: dict[str, int] = {}
    fixed: set[str] = set()
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) < 2:
                    continue
                word, freq = parts[0], int(parts[1])
                for char in word:
                    chars[char] = chars.get(char, 0) + freq
                if len(parts) != 3 or not 2 <= len(word) <= 4:
                    continue
                if len(word) == 4 and parts[2] in ("i", "l"):
                    fixed.add(word)
                # Rare words decide nothing: keep the frequent ones and the person names.
                if freq >= FUNCTION_FREQ or parts[2] in PERSON_TAGS:
                    tag = parts[2]
                    if len(word) == 2 and tag in PERSON_TAGS and freq >= NR_WORD_FREQ:
                        tag = "n"  # 明白, 文明, 阳光, 祖先 (and 康熙, 鲁迅: not people to mask)
                    words[word] = (freq, tag)
    except (OSError, ValueError):
        return {}, {}, frozenset()
    return words, chars, frozenset(fixed)


def idioms() -> frozenset[str]:
    """The four-character idioms and set phrases of jieba's dictionary (tags i and l, whatever
    their frequency: 秋高气爽, 喜气洋洋)."""
    return _dictionary()[2]


def tagged(word: str, tags: frozenset[str], at_least: int = 0) -> bool:
    """The dictionary has `word` with one of `tags`, at least `at_least` times."""
    info = lexicon().get(word)
    return info is not None and info[1] in tags and info[0] >= at_least


def is_person_word(word: str) -> bool:
    """jieba tags the string as a person name."""
    info = lexicon().get(word)
    return info is not None and info[1] in PERSON_TAGS and info[0] < PERSON_WORD_MAX_FREQ


def is_common_word(word: str, *, strict: bool) -> bool:
    """A frequent dictionary word that is not a person name.

    `strict` (weak contexts) refuses any frequent non-person word ("高度", "方式"); otherwise
    only frequent function words ("应当", "何时") are refused, so that a name which is also a
    rare noun ("江山") after "联系人：" still counts."""
    info = lexicon().get(word)
    if info is None:
        return False
    freq, tag = info
    if tag in PERSON_TAGS:
        # jieba tags many frequent words nr ("陈述", "张贴", "齐全"): in a weak context a
        # frequent two-character "name" is more likely the word.
        return strict and len(word) == 2 and freq >= COMMON_NAME_WORD_FREQ
    if tag in FUNCTION_TAGS and freq >= FUNCTION_FREQ:
        return True
    return strict and freq >= COMMON_WORD_FREQ


def given_score(given: str) -> float | None:
    """How name-like the given-name characters are: None if one of them is never in a given
    name, otherwise a score from 0 (rare characters) to 1 (the most common ones)."""
    if given in ERA_GIVEN:
        return 0.9
    total = 0.0
    for at, char in enumerate(given):
        # (the middle of three is a name's for surer: 尤有光, 王有德, 向会林)
        if char in NOT_GIVEN and _never_given(char, middle=at + 1 < len(given)):
            return None
        if char in GIVEN_TIER1:
            total += 1.0
        elif char in GIVEN_TIER2:
            total += 0.75
        elif char in GIVEN_TIER3:
            total += 0.5
        else:
            total += 0.15
    return total / len(given) if given else None


# NOT_GIVEN was written by hand; where the counts of names are at hand they decide: 均, 向 and
# 会 are in thousands of given names (王均, 李向荣, 边文会), 的, 是 and 在 in hardly any.
NOT_GIVEN_RATIO = -1.2
NOT_GIVEN_MIDDLE_RATIO = -2.5


# (forms of address stay out whatever the counts: 周叔, 王嫂)
_ADDRESS_CHARS = frozenset("爹爷奶婆妈娘叔姨嫂")


def _never_given(char: str, *, middle: bool) -> bool:
    if char in _ADDRESS_CHARS or not _char_counts()[0]:
        return True
    return given_ratio(char) < (NOT_GIVEN_MIDDLE_RATIO if middle else NOT_GIVEN_RATIO)


def _package_file(package: str, name: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent / name


@lru_cache(maxsize=1)
def _char_counts() -> tuple[dict[str, int], int, dict[str, int], int]:
    """Characters counted in given names (ngender's table: male and female counts) and in
    jieba's dictionary words (`_dictionary`).

    Empty tables if a package is missing: every ratio is then 0 and says nothing."""
    given: dict[str, int] = {}
    path = _package_file("ngender", "charfreq.csv")
    if path is not None:
        try:
            with path.open(encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    given[row["char"]] = int(row["male"]) + int(row["female"])
        except (OSError, ValueError, KeyError):
            given = {}
    words = _dictionary()[1]
    if not given or not words:
        return {}, 1, {}, 1
    return given, sum(given.values()), words, sum(words.values())


@lru_cache(maxsize=1 << 14)
def given_ratio(char: str) -> float:
    """log(P(char | given names) / P(char | dictionary text)), add-one smoothed; 0 without
    the tables."""
    given, given_total, words, words_total = _char_counts()
    if not given:
        return 0.0
    return math.log((given.get(char, 0) + 1) / given_total) - math.log(
        (words.get(char, 0) + 1) / words_total
    )
