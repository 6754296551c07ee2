"""Names of minority nationalities written in Han characters, which have no Han surname.

Plain Python (no Django). Called by `gongkai.privacy.names.find_names`; three kinds of evidence:

- Uyghur, Kazakh, Kyrgyz … names with a middle dot between transliterated parts ("买买提·艾力",
  "古丽娜尔·吐尔逊"): every part is a run of transliteration characters; the given name alone
  ("布阿依夏木") is then a name wherever else the same text writes it;
- Tibetan names built from the common name syllables ("扎西次仁", "次仁旺姆", "普布"): two
  syllables bounded by punctuation, a role word or a word that follows names are a name by
  themselves; a single syllable only right after a role word ("村民扎西说");
- enumerations joined by 、 where most items are names already: the other short items are names
  too ("开尊、拉巴、小齐美、洛则、白玛赤列 …", "黄春贵、袁复栋、严冬冬").

Place names (拉萨, 日喀则, 阿里 …), greetings (扎西德勒) and ordinary words are refused.
Also reads tables written with "|" between cells ("姓名 | 性别", or one cell per line between
"|" lines, as some web pages are copied), handing their cells to the TAB-table reader.
"""

from __future__ import annotations

import re
from functools import lru_cache

from gongkai.privacy import anchors, namemodel, places
from gongkai.privacy.names_evidence import _CLAUSE_START, _SPEECH
from gongkai.privacy.names_lexicon import _trie_branches
from gongkai.privacy.scanning import OneOf

# Syllables of Tibetan personal names as written in Han characters (written for this project
# from the usual name elements: 扎西 "auspicious", 次仁 "long life", 卓玛 "Tara" …).
TIBETAN_SYLLABLES = frozenset(
    """
    扎西 次仁 尼玛 达瓦 多吉 多杰 卓玛 央金 格桑 拉姆 旦增 丹增 平措 彭措 措姆 顿珠 罗布
    白玛 德吉 普布 边巴 索朗 洛桑 益西 强巴 群培 贡嘎 次旦 旺姆 旺堆 曲珍 央宗 巴桑 米玛
    拉巴 普琼 仁增 桑珠 嘎玛 洛丹 占堆 赤列 阿旺 丹杰 顿旦 次珍 次央 拉珍 德央 央拉 卓嘎
    曲措 玉珍 仁青 仁欠 东珠 贡保 旺扎 旺久 旺加 旺青 桑布 索南 琼达 普赤 扎巴 贡布 贡觉 群宗 朗杰
    尼珍 次措 加措 嘉措 坚参 坚赞 坚才 江村 江措 欧珠 卓嘎 德庆 德央 达娃 达杰 多布 拉宗
    拉措 拉吉 白珍 白央 边珍 边央 格列 格勒 格来 土登 登巴 平措 晋美 晋美 贡桑 桑旦 桑吉
    索朗 旺杰 旺旭 尼次 拥措 扎多 曲扎 曲杰 次多 次培 达琼 旺多 吉吉 齐美 给顿 措嘎 泽仁
    泽让 才让 才旦 卓嘎 卓措 更登 更敦 根敦 降措 降央 俄珠 昂旺 阿努 阿佳 巴珠 伦珠 伦布
    拉杰 旦巴 斯朗 贡曲 拉么 南加 拉毛 美朵 曲尼 桑杰 旺秋 旺修 泽旺 仓决 德西 更桑 尕藏
    加羊 完玛 旦正 久美 华旦 尖措 公保 官却 才项 东主 南杰 周措 吉美 尼扎 次洛 云丹 丁增 尼达
    赤林 向巴 拥宗 古桑
    """.split()
)
# Elements of Mongolian personal names as written in Han characters (巴特尔 "hero", 其其格
# "flower", 乌云 "wisdom" …; written for this project). A name is one to three of them.
MONGOLIAN_SYLLABLES = frozenset(
    """
    巴特尔 巴雅尔 其其格 其木格 乌日娜 乌云 塔娜 宝力道 布赫 敖特根 胡日沁 必力格 毕力格
    苏伊拉 苏和 达来 那顺 孟和 额尔登 额尔敦 图门 格日乐 格日勒 朝鲁 乌力吉 萨仁 斯琴 高娃
    图雅 特木尔 吉日嘎拉 阿拉坦 仁钦 道尔吉 旭日 娜仁 阿古拉 满都拉 满都呼 宝音 孟根
    额日和木 朝格图 照日格图 敖云 宝日夫 乌日图 德力格尔 巴图 其勒木格 苏日娜 萨日娜
    阿如娜 额尔德尼 敖登 格根 陶克陶 伊德尔 巴达玛 斯日古楞 巴雅斯古楞 朝克图 格日乐图
    孟克 布仁 宝力格 阿木尔 达古拉 哈斯 呼和 巴音 白音 乌兰
    苏力德 阿拉腾 巴根那 嘎拉图 毕斯嘎拉图 扎布 舍登 苏德 吉雅 青格乐 青格勒 呼斯乐
    阿木古楞 奥其尔 那木吉拉 纳木吉拉 扎那 嘎日迪 苏布达 乌恩 朝克 浩斯 吉日木图 吉日格勒
    额尔德木图 乌恩其 都贵玛 其力格尔 海日汗 斯庆 那日苏 乌日根 格日勒图 宝力高 宝鲁 巴特 赛音
    """.split()
)
# What makes a run of those a place, not a person (乌兰察布, 巴音郭楞, 呼和浩特, 阿拉坦嘎查).
_MONGOLIAN_PLACE_AFTER = (
    "嘎查", "苏木", "浩特", "察布", "淖尔", "郭楞", "高勒", "旗", "盟", "镇", "乡", "村", "市",
    "县", "路", "街", "河", "湖", "山", "草原", "牧场",
)  # fmt: skip
# Words made of those syllables that are not names, and places that look like names.
NOT_PERSON = frozenset(
    """
    扎西德勒 阿拉木图 乌鲁木齐 阿克苏 喀什 和田 伊犁 塔城 阿勒泰 吐鲁番 哈密 克拉玛依 拉萨 日喀则 阿里 那曲 林芝 昌都 山南 阿坝 甘孜 玉树 果洛 迪庆 黄南 海南 海北
    海西 德钦 香格里拉 格桑花 格桑梅朵 拉姆拉错 多吉扎 尼玛县 达瓦节 扎西岗 扎西宗 马克
    """.split()
)
# Counties and towns of Tibet and Xinjiang that read like names (not 尼玛, 贡嘎: more often people).
PLACES = frozenset(
    """
    米林 朗县 加查 桑日 曲松 墨竹工卡 达孜 堆龙德庆 尼木 曲水 当雄 林周 江孜 定日 萨迦 拉孜
    昂仁 谢通门 白朗 仁布 康马 定结 仲巴 亚东 吉隆 聂拉木 萨嘎 岗巴 扎囊 乃东 琼结 措美 洛扎
    隆子 错那 浪卡子 比如 聂荣 安多 申扎 索县 班戈 巴青 双湖 普兰 札达 噶尔 日土 革吉 改则
    措勤 工布江达 墨脱 波密 察隅 江达 贡觉 类乌齐 丁青 察雅 八宿 左贡 芒康 洛隆 边坝 喀什
    和田 伊犁 阿克苏 克孜勒苏 博尔塔拉 巴音郭楞 昌吉 库尔勒 库车 阿图什 伊宁 奎屯 石河子
    """.split()
)
# Characters of Uyghur, Kazakh, Kyrgyz, Uzbek … names in Han transliteration.
TRANSLIT_CHARS = frozenset(
    "阿艾爱安奥巴拜班包贝比别宾波布才察达丹德迪蒂丁都杜多尔厄恩法凡菲夫甫尕盖甘古哈海罕汗"
    "合赫胡吉加佳江杰金居喀卡凯坎克肯库拉莱兰勒雷黎里力丽莉利连列林琳龙鲁玛麦买曼满毛美"
    "蒙米敏明木姆穆娜纳乃妮尼努帕派佩皮普其恰乔钦切热茹如若撒萨塞赛桑沙莎山尚舍什斯苏索塔"
    "泰坦唐特提天图吐托瓦外旺维温乌吾西希夏仙肖谢辛欣伊依叶亚雅扬耶玉尤则扎孜祖卜"
    "麦曼莱图然萨敏木提穆逊娃秀尕不乎奴排牙素肉衣铁旦森洪姑那日荪"
    "马来法"  # 法蒂玛·马合木提, 阿不来提
    "芒祖农坤黑尧再接登伍司义"  # 沙吾尔·芒力克, 艾尔肯·祖农, 亚力坤·亚库甫, 伊力亚斯·肯接巴依, 司马义
)
# Characters of the list above that are common in Chinese words (后来, 方法): they do not keep a
# name's given part from standing alone next to them ("后来图然妮萨说").
_WORD_CHARS = frozenset("马来法")
# A transliterated name has at least one of these: they keep out Western names (约翰·史密斯),
# which share most of the characters above.
_TRANSLIT_MARKERS = frozenset("买吐艾热孜汗罕吾麦依古丽江别甫提")
_DOTS = "·・•．‧"
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_DOT = re.compile(f"[{_DOTS}]")
_DOT_SPLIT = re.compile(f"[{_DOTS}]")


def _syllable_trie() -> str:
    firsts: dict[str, list[str]] = {}
    for syllable in sorted(TIBETAN_SYLLABLES):
        firsts.setdefault(syllable[0], []).append(syllable[1])
    return "(?:" + "|".join(f"{a}[{''.join(bs)}]" for a, bs in sorted(firsts.items())) + ")"


_SYL = _syllable_trie()
# One or two syllables, a second one only when it is one too ("扎西次仁"), "小"/"大" in front
# tells two people of the same name apart ("小扎西次仁").
_TIBETAN = re.compile(f"{_SYL}{_SYL}?")
_TIBETAN_NAME = re.compile(f"[小大]?{_SYL}{{1,2}}")

# Words before a lone Tibetan syllable pair that make it a person ("村民扎西说", "记者达瓦").
_EXTRA_ROLES = (
    "牧民", "藏族", "僧人", "活佛", "阿妈", "阿爸", "阿佳", "老阿妈", "老人", "孩子", "姑娘",
    "小伙", "女孩", "男孩", "妻子", "丈夫", "儿子", "女儿", "同志", "向导", "司机", "村医",
    "牧户", "农牧民", "嘎查长", "嘎查达", "苏木达",
)  # fmt: skip
# What may follow a name ("扎西次仁说", "普布顿珠任 …", "尼玛次仁（男、藏族）").
_AFTER_NAME = (
    "说", "表示", "介绍", "告诉", "任", "同志", "等", "的", "是", "在", "和", "与", "及", "也",
    "家", "一家", "老人", "今年", "出生", "为", "被", "从", "作", "担任", "当选", "主持",
    "带领", "参加", "获得", "指出", "强调", "笑着", "高兴", "激动", "拿着", "正在", "已",
)  # fmt: skip
_ITEM_END = frozenset('、，,。；;：:！？!?“”"（）() \t\u3000\r\n')
_TRANSLIT_CLASS = "".join(sorted(TRANSLIT_CHARS))
# Two transliterated parts with a blank where the dot would be ("热汗古丽 依米尔"), as pages
# copied from print often have it; each part a whole run of transliteration characters.
_SPACED = re.compile(
    f"(?<![{_TRANSLIT_CLASS}])([{_TRANSLIT_CLASS}]{{2,6}})[ \u3000]([{_TRANSLIT_CLASS}]{{2,6}})"
    f"(?![{_TRANSLIT_CLASS}])"
)
# A blank that a run of transliteration characters follows, and the run that ends before it
# (the leftmost start within six characters, searched up to the blank).
_SPACED_BLANK = OneOf(" \u3000", f"(?=[{_TRANSLIT_CLASS}]{{2}})")
_TRANSLIT_TAIL = re.compile(f"[{_TRANSLIT_CLASS}]{{2,6}}\\Z")


def _spaced_matches(text: str):
    """`_SPACED.finditer(text)`, tried only where it can start. A match is a whole run of
    transliteration characters, a blank and the whole run after it, so it starts where the
    run before such a blank starts; the pattern opens with a lookbehind, and a scan of it
    tries every position of the text (the bench corpus joined into one text: 28 of its
    ~700 ms)."""
    last = 0
    for blank in _SPACED_BLANK.finditer(text):
        at = blank.start()
        tail = _TRANSLIT_TAIL.search(text, max(last, at - 6), at)
        if tail is None:
            continue
        # a start inside a longer run (more than six characters) fails the lookbehind
        m = _SPACED.match(text, tail.start())
        if m is not None:
            last = m.end()
            yield m


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@lru_cache(maxsize=1)
def _role_words() -> tuple[str, ...]:
    from gongkai.privacy import names, prose_names

    return tuple(names.ROLE_WORDS) + tuple(names.TITLE_WORDS) + prose_names.TITLES + _EXTRA_ROLES


@lru_cache(maxsize=1)
def _titles() -> tuple[str, ...]:
    from gongkai.privacy import names

    words = {"同志", "代表", "先生", "女士", *names.TITLE_SUFFIXES, *names.TITLE_WORDS}
    return tuple(sorted(words - {"某", "某某"}, key=len, reverse=True))


def _role_before(text: str, start: int) -> bool:
    return text[max(0, start - 8) : start].endswith(_role_words())


def _boundary_before(text: str, start: int) -> bool:
    return start == 0 or not _is_han(text[start - 1]) or _role_before(text, start)


@lru_cache(maxsize=1)
def _after_words() -> tuple[str, ...]:
    from gongkai.privacy import names

    follow = tuple(getattr(names, "_RUN_FOLLOW", ()))
    return _AFTER_NAME + follow + tuple(names.TITLE_SUFFIXES) + ("报道", "摄")


def _boundary_after(text: str, end: int) -> bool:
    return end >= len(text) or not _is_han(text[end]) or text.startswith(_after_words(), end)


def is_translit_name(value: str) -> bool:
    """A dotted name whose parts are all transliteration characters ("买买提·艾力")."""
    parts = _DOT_SPLIT.split(value)
    if len(parts) < 2 or any(len(p) < 2 or p in NOT_PERSON for p in parts):
        return False
    chars = "".join(parts)
    return set(chars) <= TRANSLIT_CHARS and not _TRANSLIT_MARKERS.isdisjoint(chars)


def _translit_unmarked(value: str) -> bool:
    parts = _DOT_SPLIT.split(value)
    return len(parts) >= 2 and all(len(p) >= 2 and p not in NOT_PERSON for p in parts)


def is_tibetan_name(value: str) -> bool:
    """One or two Tibetan name syllables, whole ("普布", "次仁旺姆", "小扎西次仁")."""
    return _TIBETAN_NAME.fullmatch(value) is not None and value not in NOT_PERSON


def _dotted(text: str, out: list, confidence: float) -> None:
    given: set[str] = set()
    last_end = 0
    for m in _DOT.finditer(text):
        if m.start() < last_end:
            continue  # the second dot of a name already taken
        # Grow each side over transliteration characters: "和“亲戚”布阿依夏木·阿布都热依木欢度".
        start = m.start()
        while start and text[start - 1] in TRANSLIT_CHARS:
            if (
                start >= 2
                and text[start - 2] not in TRANSLIT_CHARS
                and text[start - 2 : start] in namemodel.lexicon()
            ):
                break  # "的邻居塔吉古力·…": 居 ends the word before the name
            start -= 1
        end = m.end()
        while end < len(text) and (
            text[end] in TRANSLIT_CHARS or text[end] in _DOTS and end + 1 < len(text)
        ):
            end += 1
        value = text[start:end].rstrip(_DOTS).removesuffix("不")  # "…·艾力不仅"
        if value.endswith("来") and text[start + len(value) : start + len(value) + 1] in "到自":
            value = value[:-1]  # "吐逊江·加马力来到"
        after = start + len(value)
        if (
            len(_DOT_SPLIT.split(value)[-1]) > 2
            and text[after - 1 : after + 1] in namemodel.lexicon()
        ):
            value = value[:-1]  # "亚力坤·亚库甫接受": the last character opens a word
        if start == m.start():
            continue
        if not is_translit_name(value) and not (
            _role_before(text, start) and _translit_unmarked(value)
        ):
            continue  # (with no marker character, only after a role or a post: 主任赛力克·哈布肯)
        last_end = start + len(value)
        out.append((start, start + len(value), confidence))
        first = _DOT_SPLIT.split(value)[0]
        if len(first) >= 3:
            given.add(first)
    # The given name alone elsewhere in the same text ("张娜和布阿依夏木在…").
    for first in given:
        pos = text.find(first)
        while pos >= 0:
            end = pos + len(first)
            left = text[pos - 1] if pos else ""
            right = text[end] if end < len(text) else ""
            if (
                (left not in TRANSLIT_CHARS or left in _WORD_CHARS)
                and (right not in TRANSLIT_CHARS or right in _WORD_CHARS)
                and right not in _DOTS
            ):
                out.append((pos, end, confidence))
            pos = text.find(first, end)


# A father's initial, a dot, then the person's own Mongolian name ("廷·巴特尔", "策·敖云巴特尔").
_INITIAL_DOT = re.compile(f"[{_HAN}][{_DOTS}](?=[{_HAN}])")


def _initial_and_mongolian(text: str, out: list, confidence: float) -> None:
    runs = {start: end for start, end, _ in _syllable_runs(text, "mongolian")}
    for m in _INITIAL_DOT.finditer(text):
        end = runs.get(m.end())
        if end is not None:
            out.append((m.start(), end, confidence))


# One to three elements, whole (the regex backtracks over elements that share a beginning).
_MONGOLIAN_NAME = re.compile("(?:" + "|".join(_trie_branches(MONGOLIAN_SYLLABLES)) + "){1,3}")


def is_mongolian_name(value: str) -> bool:
    """One to three Mongolian name elements, whole ("达来", "苏力德巴特尔")."""
    return value not in NOT_PERSON and _MONGOLIAN_NAME.fullmatch(value) is not None


def _spaced(text: str, out: list, confidence: float) -> None:
    """Transliterated names with a blank between the parts; the name then wherever else the
    text writes it ("但是热汗古丽 依米尔在…")."""
    taken: set[str] = set()
    for m in _spaced_matches(text):
        value = m.group(1) + "·" + m.group(2)
        if not is_translit_name(value):
            continue
        start, end = m.span()
        before = text[start - 1] if start else ""
        if not _boundary_after(text, end):
            continue
        if _is_han(before) and before not in "的者" and not _role_before(text, start):
            continue
        taken.add(m.group())
    for value in taken:
        pos = text.find(value)
        while pos >= 0:
            out.append((pos, pos + len(value), confidence))
            pos = text.find(value, pos + len(value))


# A whole item then its ethnicity (and gender) in brackets, as 公示 and rosters print people
# ("向秋拉姆 (女,藏族)", "伦珠(藏族)"): a name whatever its characters, Han surname or none.
_ETHNIC_AFTER = re.compile(
    f"(?<![{_HAN}{_DOTS}])([{_HAN}{_DOTS}]{{2,8}})[ \u3000]?[（(](?:[男女][，,、][ \u3000]?)?"
    f"([{_HAN}]{{1,5}}族)[）)]"
)
_ITEM_START = frozenset('，,、。；;：:！？!? \t\u3000\r\n（(“”"')


def _ethnicity_after(text: str, out: list, confidence: float) -> None:
    from gongkai.privacy import names_evidence

    for m in _ETHNIC_AFTER.finditer(text):
        start, end = m.span(1)
        # a role or a title before the name inside the run: "教练员次洛（男、藏族）"
        for cut in range(end - 2, start, -1):
            if _role_before(text, cut):
                start = cut
                break
        else:
            if start and text[start - 1] not in _ITEM_START:
                continue  # glued to a word before it
        if m.group(2) not in names_evidence._ETHNIC:
            continue
        value = text[start:end]
        if value in NOT_PERSON or _is_place(value) or value[-1] in _PLACE_ENDS:
            continue
        if namemodel.is_common_word(value, strict=True):
            continue
        out.append((start, end, confidence))


def _word_at(text: str, pos: int) -> bool:
    """A frequent word of the dictionary starts at `pos`."""
    words = namemodel.lexicon()
    return text[pos : pos + 2] in words or text[pos : pos + 3] in words


def _tibetan(text: str, out: list, confidence: float) -> None:
    for start, end in _tibetan_matches(text):
        value = text[start:end]
        if value in NOT_PERSON or any(text.startswith(w, start) for w in NOT_PERSON):
            continue
        if start and text[start - 1] in "小大" and (start < 2 or not _is_han(text[start - 2])):
            start -= 1  # "小扎西次仁"
        if not _boundary_after(text, end) and not (
            _role_before(text, start) and _word_at(text, end)
        ):
            continue  # (after a title, a word may follow: "党支部书记巴桑发言")
        if len(value) == 4 and (_boundary_before(text, start) or text[start - 1] == "的"):
            out.append((start, end, confidence))
        elif len(value) == 2 and _role_before(text, start):
            out.append((start, end, confidence))  # "教练员次洛（男、藏族）", "村民扎西，"
        elif (
            len(value) == 2
            and (start == 0 or text[start - 1] in _CLAUSE_START)
            and text.startswith(_SPEECH, end)
        ):
            out.append((start, end, confidence))  # "巴桑说，他在重庆当过兵"


# The syllables, found by the one anchor scan of `anchors` (with the words of the other passes)
anchors.register("tibetan", TIBETAN_SYLLABLES)
anchors.register("mongolian", MONGOLIAN_SYLLABLES)


def _mongolian(text: str, out: list, confidence: float) -> None:
    """Mongolian names, runs of one to three name elements: two or more wherever they stand
    whole ("牧户苏伊拉其其格家", "，敖特根巴雅尔说"), one after a role or a post ("责编：达来",
    "人大代表乌日娜和…")."""
    for start, end, count in _syllable_runs(text, "mongolian"):
        if text.startswith(_MONGOLIAN_PLACE_AFTER, end) or text[start:end] in NOT_PERSON:
            continue
        if start and text[start - 1] in _DOTS or text[end : end + 1] in _DOTS:
            continue  # a part of a dotted name, read by `_dotted`
        role = _role_before(text, start)
        if not _boundary_after(text, end) and not (role and (count >= 2 or _word_at(text, end))):
            continue  # (two elements after a post stand whole: "书记阿拉腾巴根那深有感触")
        if count >= 2 and (_boundary_before(text, start) or text[start - 1] == "的"):
            out.append((start, end, confidence))
        elif count == 1 and role:
            out.append((start, end, confidence))


def _syllable_runs(text: str, family: str, most: int = 3) -> list[tuple[int, int, int]]:
    """(start, end, number of elements) of the runs of up to `most` name elements of
    `family`, leftmost and longest first."""
    longest: dict[int, int] = {}
    for start, end in anchors.occurrences(text, family):
        if end > longest.get(start, start):
            longest[start] = end
    runs = []
    last = 0
    for start in sorted(longest):
        if start < last:
            continue
        end, count = longest[start], 1
        while count < most and end in longest:
            end, count = longest[end], count + 1
        runs.append((start, end, count))
        last = end
    return runs


def _tibetan_matches(text: str) -> list[tuple[int, int]]:
    """The spans of `_TIBETAN.finditer(text)` ("{syllable}{syllable}?"), read from the
    syllables' occurrences: from left to right, a syllable and the next one if one starts
    where it ends."""
    return [(start, end) for start, end, _ in _syllable_runs(text, "tibetan", most=2)]


_TRANSLIT_RUN = re.compile(f"[{_TRANSLIT_CLASS}]{{3,7}}")  # (沙吾提吐尔逊: the father's too)
# Last characters of Uyghur and Kazakh names without a marker (阿不力克木, 赛迪尔丁, 卡哈尔).
_TRANSLIT_LAST = frozenset("尔木丁江汗提克甫")


def _translit_after_role(text: str, out: list, confidence: float) -> None:
    """A transliterated name written without its father's name, after a role or a post and
    before a boundary ("村医吾甫尔的家", "好朋友阿不力克木和他的…")."""
    for m in _TRANSLIT_RUN.finditer(text):
        value = m.group()
        if _TRANSLIT_MARKERS.isdisjoint(value) and value[-1] not in _TRANSLIT_LAST:
            continue
        start, end = m.span()
        if value in NOT_PERSON or value in PLACES or _word_at(text, start):
            continue
        if text[end : end + 1] in _DOTS:
            continue  # the first part of a dotted name, read by `_dotted`
        if _role_before(text, start) and _boundary_after(text, end):
            out.append((start, end, confidence))


# Starts only where a run starts: trying every character of a long run would be quadratic.
_CHAIN = re.compile(
    f"(?<![{_HAN}{_DOTS}])[{_HAN}{_DOTS}]+(?:[ \u3000]*、[ \u3000]*[{_HAN}{_DOTS}]+)+"
)
_ITEM = re.compile(f"[{_HAN}{_DOTS}]+")
_PLACE_ENDS = frozenset("市县区镇乡村州盟旗省路街山河湖江海寺庙村屯沟寨")


# The blanks and the run of Han characters (and dots) before a 、, read on the reversed text.
_RUN_BEFORE_REVERSED = re.compile(f"[ \u3000]*[{_HAN}{_DOTS}]*")


def _chain_matches(text: str):
    """The 、 enumerations of `text`, found from each 、 (faster than a regex over all text)."""
    covered = -1
    size = len(text)
    reverse = text[::-1]  # where each run before a 、 starts, found by a regex, not char by char
    pos = text.find("、")
    while pos >= 0:
        if pos > covered:
            start = pos - (_RUN_BEFORE_REVERSED.match(reverse, size - pos).end() - (size - pos))
            m = _CHAIN.match(text, start)
            if m is not None:
                covered = m.end()
                yield m
        pos = text.find("、", pos + 1)


def _words_after(item: str) -> int:
    """How many characters of a list's last item are the words after the name: 等 and what
    follows it ("宋平等人"), verbs and other frequent words ("付伟表示", "王亮出席会议"), and a
    conjunction before them ("徐光华及常委会其他组成人员")."""
    cut = item.find("等", 2)
    size = cut if cut > 0 else len(item)
    shrunk = True
    while size > 3 and shrunk:
        shrunk = False
        for k in (2, 3):
            if size - k >= 2 and namemodel.is_common_word(item[size - k : size], strict=True):
                size -= k
                shrunk = True
                break
        if size > 3 and item[size - 1] in "及和与":
            size -= 1  # "徐光华及常委会其他组成人员"
            shrunk = True
    return len(item) - size


def _chains(
    text: str, out: list, found: set[tuple[int, int]], confidence: float, chains=None
) -> None:
    """Items of 、 enumerations where most items are names (found, Tibetan or dotted);
    `chains`: `_chain_matches(text)` if listed already."""
    if "、" not in text:
        return
    from gongkai.privacy import names

    for m in _chain_matches(text) if chains is None else chains:
        items = []
        pos = m.start()
        for piece in _ITEM.finditer(m.group()):
            items.append((pos + piece.start(), pos + piece.end()))
        # The first and the last item may be glued to the sentence: keep them only when whole.
        if items and items[0][0] and _is_han(text[items[0][0] - 1]):
            items = items[1:]
        first_start = items[0][0] if items else 0
        whole_first = first_start == 0 or text[first_start - 1] in _ITEM_END
        if not whole_first:
            items = items[1:]
        if items and items[-1][1] < len(text) and text[items[-1][1]] not in _ITEM_END:
            items = items[:-1]
        if len(items) < 3:
            continue
        if any(_is_place(text[start:end]) for start, end in items):
            continue  # an enumeration of places: "途经林芝、米林、朗县、加查"
        if places.end_like_places([text[start:end] for start, end in items]):
            continue  # villages: "张楼、孙庄、魏楼、陈庄"
        named, others = [], []
        for start, end in items:
            end -= _title_after(text[start:end])  # "闻国凤、白树兴代表："
            if (start, end) == items[-1]:
                end -= _words_after(text[start:end])  # "宋平等人", "付伟表示："
            value = text[start:end]
            if not 2 <= len(value) <= 6:
                others.append(None)
                continue
            if (start, end) in found or _reads_as_name(value):
                named.append((start, end))
            else:
                others.append((start, end))
        if len(named) < 2 or len(named) * 2 < len(items):
            continue
        for start, end in named:
            out.append((start, end, confidence))
        for item in others:
            if item is None:
                continue
            value = text[item[0] : item[1]]
            if len(value) > (5 if value[0] in "小大" else 4) or value in NOT_PERSON:
                continue
            if (
                value[-1] in _PLACE_ENDS
                or item == items[0]
                and text[item[0] - 1 : item[0]] not in ("：", ":", "\n", "、")
            ):
                continue  # the first item must open the list: "分别是：开尊、", not "授予陶建华、"
            if value in names.STOPWORDS or value.endswith(names.ORG_SUFFIXES):
                continue
            if value[-1] in names.ORG_LAST_CHARS or namemodel.is_common_word(value, strict=True):
                continue
            out.append((item[0], item[1], confidence))


# A line of short items separated by blanks, after an optional label ending in a colon
# ("参加人:孙中艮 刘会聪 段太香", "于蓝 于漪 于海俊 卫兴华"): a roster printed without commas.
_BLANK_LINE = re.compile(
    f"^(?:[^\\n:：]{{0,12}}[:：][ \u3000]*)?"
    f"[{_HAN}{_DOTS}]{{1,6}}(?:[ \u3000]+[{_HAN}{_DOTS}]{{1,6}}){{2,}}[ \u3000]*$",
    re.MULTILINE,
)
_BLANK = OneOf(" \u3000", "")


def _blank_line_matches(text: str):
    """`_BLANK_LINE.finditer(text)`, tried only at the start of the lines that hold a blank: a
    match is one whole line with blanks in it, and the pattern, which opens with "^", is
    otherwise tried at every position of the text (the bench corpus joined: 23 of ~700 ms)."""
    blank = _BLANK.search(text)
    while blank is not None:
        at = blank.start()
        m = _BLANK_LINE.match(text, text.rfind("\n", 0, at) + 1)
        if m is not None:
            yield m
        end = text.find("\n", at)
        if end < 0:
            return
        blank = _BLANK.search(text, end + 1)


# An item: a run of Han characters, or two single characters with blanks between ("杨  弃").
_BLANK_ITEM = re.compile(
    f"(?<![{_HAN}])[{_HAN}](?![{_HAN}])[ \u3000]{{1,3}}[{_HAN}](?![{_HAN}])|[{_HAN}{_DOTS}]+"
)


def _blank_lists(
    text: str, out: list, found: set[tuple[int, int]], confidence: float, lines=None
) -> None:
    """Items of a blank-separated line where at least half of the items are names already;
    `lines`: `_blank_line_matches(text)` if listed already."""
    from gongkai.privacy import names

    for m in _blank_line_matches(text) if lines is None else lines:
        body = m.group()
        colon = max(body.rfind(":"), body.rfind("："))
        base = m.start() + colon + 1
        items = [
            (base + i.start(), base + i.end()) for i in _BLANK_ITEM.finditer(body[colon + 1 :])
        ]
        named = [it for it in items if it in found or _reads_as_name(text[it[0] : it[1]])]
        if len(named) < 2 or len(named) * 2 < len(items):
            continue
        if sum(1 for a, b in items if _is_place(text[a:b])) * 3 > len(items):
            continue  # a line of places
        for start, end in items:
            value = text[start:end]
            if (start, end) in found:
                continue
            if (start, end) not in named:
                if value[0] not in names.SINGLE_SURNAMES or len(value) > 4:
                    continue
                if value[-1] in _PLACE_ENDS or value[-1] in names.ORG_LAST_CHARS:
                    continue
                if value in names.STOPWORDS or namemodel.is_common_word(value, strict=True):
                    continue
                if _is_place(value):
                    continue
            out.append((start, end, confidence))


# The judgements of single items depend on the item alone, and enumerations repeat items
# (places, titles, names): cached.
_ITEM_CACHE = 1 << 14


@lru_cache(maxsize=_ITEM_CACHE)
def _title_after(value: str) -> int:
    """The length of the title that ends an item after a name of two characters or more
    ("白树兴代表"), or 0."""
    titles = _titles()
    if value.endswith(titles):
        for title in titles:
            if value.endswith(title) and len(value) - len(title) >= 2:
                return len(title)
    return 0


@lru_cache(maxsize=_ITEM_CACHE)
def _reads_as_name(value: str) -> bool:
    """A Tibetan or a dotted name, or (up to four characters) a Han name."""
    from gongkai.privacy import names

    return (
        is_tibetan_name(value)
        or is_translit_name(value)
        or (len(value) <= 4 and bool(names.name_confidence(value, names.MEDIUM)))
    )


@lru_cache(maxsize=_ITEM_CACHE)
def _is_place(value: str) -> bool:
    if value in PLACES or value in NOT_PERSON or value[-1] in _PLACE_ENDS:
        return True
    info = namemodel.lexicon().get(value)
    return info is not None and info[1] == "ns"


def _pipe_tables(text: str, out: list) -> None:
    """Tables copied with "|" between cells: rewritten (same length) with TABs for the TAB-table
    reader; a page that puts each cell on its own line between "|" lines is one row."""
    if "|" not in text and "｜" not in text:
        return
    from gongkai.privacy import names

    flat = re.sub(r"\n[ \t\u3000]*[|｜][ \t\u3000]*\n", lambda m: "\t" * len(m.group()), text)
    flat = flat.replace("|", "\t").replace("｜", "\t")
    names._tables(flat, out)
    # A form: "法定代表人:" in one cell and the name in the next one.
    labels = frozenset(names.NAME_LABELS) | names.TABLE_HEADERS
    for line_m in re.finditer(r"[^\n]+", flat):
        if "\t" not in line_m.group():
            continue
        cells = []
        for cell in re.finditer(r"[^\t]+", line_m.group()):
            raw = cell.group()
            value = raw.strip(" \u3000\r")
            if value:
                lead = len(raw) - len(raw.lstrip(" \u3000"))
                cells.append((line_m.start() + cell.start() + lead, value))
        for (_, label), (offset, value) in zip(cells, cells[1:], strict=False):
            if label[-1] in "：:" and label.rstrip("：: ") in labels:
                names._cell_names(value, offset, out)


LIST_CONFIDENCE = 0.8
DOTTED_CONFIDENCE = 0.85


def find(text: str, found: list) -> list[tuple[int, int, float]]:
    """(start, end, confidence) of minority names (and of enumeration items next to names) in
    `text`; `found` holds the names found so far by the Han-name rules."""
    out: list[tuple[int, int, float]] = []
    if "·" in text or "・" in text or "•" in text or "．" in text or "‧" in text:
        # (one `in` per character of _DOTS: a fast search each, a regex class is not)
        _dotted(text, out, DOTTED_CONFIDENCE)
        _initial_and_mongolian(text, out, DOTTED_CONFIDENCE)
    if " " in text or "\u3000" in text:
        _spaced(text, out, DOTTED_CONFIDENCE)
    _tibetan(text, out, LIST_CONFIDENCE)
    _mongolian(text, out, LIST_CONFIDENCE)
    _translit_after_role(text, out, LIST_CONFIDENCE)
    if "族" in text:
        _ethnicity_after(text, out, DOTTED_CONFIDENCE)
    # the spans found so far are gathered only for a text with a line or a chain to read
    # (the matches read nothing but the text, so they are the same listed first)
    if "  " in text or " " in text and "\n" in text or "\u3000" in text:
        lines = list(_blank_line_matches(text))
        if lines:
            spans = {(s, e) for s, e, c in found if c >= 0.65} | {(s, e) for s, e, _ in out}
            _blank_lists(text, out, spans, LIST_CONFIDENCE, lines)
    if "、" in text:
        chains = list(_chain_matches(text))
        if chains:
            spans = {(s, e) for s, e, c in found if c >= 0.65} | {(s, e) for s, e, _ in out}
            _chains(text, out, spans, LIST_CONFIDENCE, chains)
    _pipe_tables(text, out)
    return out
