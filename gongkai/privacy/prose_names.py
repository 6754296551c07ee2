"""Personal names in running prose: news reports, 公示 and 通知 that name officials and people
without a label, a list heading or a table around them.

Plain Python (no Django). `find(text)` returns `(start, end, confidence)` candidates that
`gongkai.privacy.names.find_names` merges with its other passes (and propagates: a name found
here once is then found everywhere in the text).

A candidate is 2–4 Han characters that start with a surname, read as a name (given-name
characters, not a dictionary word) and stand between two pieces of context, each with a
strength:

- before it: a post or title ("镇党委书记", "副镇长", "区领导", "记者", "战士") — strong; the
  start of a clause (punctuation, a line break, the start of the text) or a preposition that
  introduces an agent ("由", "请", "和") — weak;
- after it: a verb of speech or action that follows the person who acts ("表示", "主持",
  "出席", "陪同", "接任"), an honorific or a title after the name ("同志", "副主任", "巡视员"),
  "等领导" / "一行" — strong; punctuation, or any verb or adverb of the
  dictionary ("突然", "进行") — weak.

The two strengths must add up to three: a title and a comma ("区长杲云，"), a clause start and
a verb of action ("。袁贵仁接任"), a title and a verb ("部长周济突然被免职"). A clause start and
a comma alone are not enough. Names whose surname is more often a word ("于", "和", "向") need
common given-name characters as well. Separately, a credit in brackets that holds nothing but
names ("（黄钲平 池惟强）", "（王涛 摄）") is taken.

Layouts that name people with no title beside them are read too (`_layouts`): an author's
note ("包艳华(1980—)"), a line of authors before affiliations or the abstract, bylines
("沁园书院 孙琳 报道", "作者：⏎苏晓春", "记者 | 张  敏", a time then a name), a list counted as
people ("…3名被告"), the speaker after a quotation, a name then its post in brackets, the bench
lines that end a judgment, and the head of state named as a person (not inside a doctrine's
name). Each is found from a literal anchor and judged like the rest.

Speed: three compiled regexes find the anchors (posts and titles followed by a surname,
verbs of action preceded by a Han character, brackets opening on a surname) in C; Python looks
only at those places, and the per-candidate judgement is cached.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from gongkai.privacy import anchors, namemodel
from gongkai.privacy.scanning import OneOf

# The module-level switch: `names.find_names` runs this pass only when it is true (an
# equivalence oracle may turn it off to compare with the other passes alone).
ENABLED = True

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_HAN_RUN = re.compile(f"[{_HAN}]+")

# Posts and titles written right before a name in running text. Compound posts end with one of
# these ("区委常委、常务副区长", "镇党委副书记"), so the last word is enough.
TITLES = (
    # offices
    "书记", "县长", "市长", "区长", "镇长", "乡长", "省长", "州长", "旗长", "局长", "厅长",
    "处长", "科长", "股长", "部长", "主任", "主席", "委员", "常委", "政委", "会长", "秘书长",
    "理事长", "董事长", "总经理", "经理", "行长", "院长", "所长", "站长", "校长", "馆长",
    "社长", "总编", "总编辑", "队长", "组长", "村长", "巡视员", "调研员", "参事", "专员",
    "检察长", "庭长", "审判长", "审判员", "司令员", "主委", "监事长", "团长", "社区主任",
    "场长", "辩护人", "委员长", "总裁", "副总裁", "总监", "园长", "班长", "支书", "村支书",
    "总指挥", "指挥长", "河长", "网格长", "医师", "主任医师", "技师", "高级技师", "传承人",
    "干警", "村医", "护林员", "公诉人", "陪审员", "人民陪审员", "书记员", "委托代理人",
    "讲解员", "宣讲员", "快递员", "司机", "新郎", "新娘",
    "交警", "特警", "法警", "协警", "护士长", "药师", "主治医师", "副主任医师", "科主任",
    "干事", "助理", "专干", "信息员", "安全员", "监督员", "裁判", "裁判长", "领队", "主教练",
    "歌手", "演员", "主播", "诗人", "书法家", "摄影师", "设计师", "工匠", "户主", "业主",
    "车主", "失主", "困难户", "贫困户", "低保户", "五保户", "驻村干部", "工作队员", "青年",
    "少年", "好少年", "保洁员", "环卫工人", "清洁工", "农民工", "店主", "老板", "厨师",
    "文书", "科员", "专业户", "养殖户", "搬迁户", "脱贫户", "监测户", "发展对象",
    "积极分子", "介绍人",
    "领导", "区领导", "县领导", "市领导", "镇领导", "负责人", "带头人", "联络员", "网格员",
    # people in the news
    "记者", "通讯员", "编辑", "责编", "作者", "摄影", "主持人", "发言人", "获得者", "获奖者",
    "志愿者", "代表", "委员", "党员", "老党员", "干部", "村干部", "村民", "居民", "市民",
    "群众", "农民", "老人", "老兵", "战士", "民警", "辅警", "警官", "消防员", "医生", "护士",
    "教师", "老师", "教授", "院士", "专家", "学者", "工程师", "律师", "法官", "检察官",
    "企业家", "经济学家", "科学家", "作家", "画家", "运动员", "教练", "选手", "队员", "学生",
    "大学生", "研究生", "阿姨", "大爷", "大妈", "师傅", "村官", "乡贤", "英雄", "模范",
    "报账员", "管理员", "调解员", "技术员", "会计", "出纳", "驾驶员", "工作人员", "职工",
    "外交官", "主理人", "发起人", "创始人", "译者", "导演", "编剧", "策展人", "讲师", "刑警",
    "传人",
    # honours written before the person ("见义勇为先进个人吴秀林")
    "先进个人", "先进群体", "先进工作者", "劳动模范", "标兵", "能手",
    # verbs that designate a person in 公示 and decisions ("经研究，同意邱立新为…")
    "同意", "确定", "推选", "提名", "批准", "选派", "拟推荐", "拟表彰",
    # and appointments ("决定栗战书为代理省长", "接受韩忠学辞去…", "免去张松岭…职务")
    "决定", "接受", "免去", "任命", "选举",
    # a photo's caption ("图为潘应军前往现场")
    "图为",
)  # fmt: skip
# Words after a name that say the person acts or speaks, or is named with an honorific or a
# title: strong evidence on the right.
ACTIONS = (
    "表示", "指出", "强调", "介绍", "主持", "出席", "参加", "调研", "带队", "率队", "一行",
    "陪同", "讲话", "致辞", "宣读", "汇报", "宣布", "要求", "认为", "说道", "告诉", "回忆",
    "坦言", "透露", "解释", "代表", "带领", "率领", "看望", "走访", "视察", "考察", "传达",
    "接任", "出任", "担任", "兼任", "当选", "任职", "履新", "离任", "挂职", "获得", "荣获",
    "被评为", "被授予", "被任命", "被免职", "突然", "不顾", "毅然", "立即", "随即", "挺身而出",
    "领学", "宣讲", "授课", "主审", "答疑",
    "列席", "辞去", "夺得", "获评", "获封", "入选", "发言", "述职", "作述职", "主讲", "点评",
    "颁奖", "签署", "接受采访", "激动地说", "笑着说", "一同", "一起",
    "同志", "先生", "女士", "老师", "师傅", "等领导", "等同志", "等人", "等村民", "等干部",
    "等专家", "等嘉宾", "等一行", "等陪同", "等参加", "等出席",
    # notices: the person to contact or in charge ("请与邹晓兰联系", "由陶立新负责")
    "联系", "咨询", "负责",
    # titles after a name that `names` does not read there ("杨茂巡视员")
    "巡视员", "调研员", "主委", "副主任",
)  # fmt: skip
# (Verbs that as often follow a thing as a person — 提出, 部署, 检查, 发言 — are left out: each
# costs a test at every place its first character stands, for few names.)
# Kinship and the like after "的" ("胡某某的母亲"): a regex of their own, whose one literal first
# character the regex engine finds at C speed (in the alternation above, "的", the most frequent
# character, would cost a test at each of its places).
KIN = (
    "母亲", "父亲", "妻子", "丈夫", "儿子", "女儿", "简历", "事迹", "带领下", "陪同下",
    # a work and its author ("郁枫的散文《…》", "童军的摄影作品")
    "作品", "散文", "摄影作品", "书法作品", "绘画作品", "诗作", "诗歌",
)  # fmt: skip
# One-character verbs after a name; strong only when a post follows in the same clause
# ("余祖江任党委副书记"), otherwise weak.
_APPOINT_VERBS = frozenset("任为")
_POSTS = "书记|县长|市长|区长|镇长|乡长|局长|厅长|处长|部长|主任|主席|院长|校长|所长|委员|常委|会长|经理|理事长|董事长|站长"
_POST_END = re.compile(_POSTS)
# One-character verbs and prepositions that may follow the person who acts ("副镇长单忠武就…",
# "镇长米厚章讲意见"): weak evidence on the right.
_SINGLE_VERBS = frozenset("讲说谈称问答笑看到来去对向在与和将把被从是就也都还又已曾再即为时率获夺")
# Clause starts (weak evidence on the left) and punctuation after a name (weak on the right).
_CLAUSE = frozenset("，,。；;：:！？!?“”\"'‘’「」（）()【】、 \t\u3000\r\n")
_AFTER_PUNCT = frozenset("，,。；;：:！？!?”\"'’」（）()、 \t\u3000\r\n")
# Prepositions that introduce the person who acts ("由王五主持", "请李四介绍").
_AGENT_BEFORE = frozenset("由请和与同及向被的")
# Characters that end the name of an organisation: "县工作专班刘彩凤…", "镇党委尚金楼主持"
# (weak on the left; a verb of action must follow).
_ORG_END = frozenset("局委办院所站队部处科室馆校厂司村镇乡县区市省组社会店厅署庭团府班")
# Characters that are otherwise never in a given name but are in some ("廖应灿", "梅本炎"):
# allowed after a post or title, with a common character beside them.
_SOMETIMES_GIVEN = frozenset("应本以其有会来从向通日社复前则能送更")
# Parts of speech of the dictionary (jieba) that may follow a name: verbs, adverbs,
# prepositions, conjunctions, idioms.
_FOLLOW_TAGS = frozenset({"v", "vd", "vi", "d", "ad", "p", "c", "i", "l"})
# Real surnames that `names.SINGLE_SURNAMES` leaves out (rare, or more often a word); here they
# count only with a post or title before them.
RARE_SURNAMES = frozenset("占杲茆郇邗鄞郄邛逢暴堵弓咸籍蒿从淦刀妲妙义镡疏藏烟")
# Of those, the ones that are mostly a word: like the weak surnames of `names`.
_RARE_WEAK = frozenset("从逢暴咸籍")
_MASKS = frozenset("*＊×xX○●■□某")
# Given-name characters needed after a surname that is more often a word ("于", "和").
WEAK_GIVEN = 0.75
# Confidence: base + per strength point + given-name characters.
_BASE, _PER_POINT, _PER_GIVEN, _PERSON_BONUS = 0.6, 0.05, 0.2, 0.1
MIN_CONFIDENCE = 0.65
CREDIT_CONFIDENCE = 0.8
_TITLE_TAILS = frozenset(w[-2:] for w in TITLES)
TABLE_CONFIDENCE = 0.85


@cache
def _short_roles() -> frozenset[str]:
    """The role words of one or two characters, that a three-character "name" must not end
    with (one set lookup instead of a pass over every role word)."""
    return frozenset(title for title in _tables()[0]._ROLE_SET if len(title) <= 2)


@cache
def _tables():
    """The regexes and sets, built on first use (they need `names`, which imports us)."""
    from gongkai.privacy import names

    def alternation(words) -> str:
        # A trie, one branch per first character, frequent first characters first: every
        # branch starts with a literal, so the regex engine skips ahead in C to the places
        # where one may match (the helpers of `names`, shared).
        return "|".join(names._by_frequency(names._trie_branches(set(words))))

    surnames = names.SINGLE_SURNAMES | RARE_SURNAMES
    starts = frozenset(surnames) | {c[0] for c in names.COMPOUND_SURNAMES}
    start_class = "".join(sorted(starts))
    # Posts and titles (a name follows): the last character of one followed by a surname (a
    # character class: many times faster than the words themselves; Python then checks that
    # a whole title ends there).
    lasts = "".join(sorted({w[-1] for w in TITLES}))
    # (the last two characters of a title, in a lookbehind after the class: the regex engine
    # skips ahead to the class and refuses most places there, not in Python; the surname
    # after it, a cheap class, is tested before the many titles)
    tails = "|".join(sorted(_TITLE_TAILS))
    title_re = re.compile(f"[{lasts}](?=[ \u3000]?[{start_class}])(?<={tails})")
    # Verbs of action (a name precedes); "任" only where a post follows in the same clause
    # ("余祖江任党委副书记").
    appoint = f"任(?=[{_HAN}]{{0,10}}?(?:{_POSTS}))"
    action_re = re.compile(f"{alternation(ACTIONS)}|{appoint}")
    action_at = re.compile(alternation(ACTIONS) + "|的(?:" + "|".join(KIN) + ")")
    # A space and a post after a name: "接待人：王金岭 党委书记", "李明 副县长".
    spaced_post_re = OneOf(" \u3000", f"(?=[{_HAN}]{{0,6}}?(?:{_POSTS})(?![{_HAN}]))")
    credit_re = OneOf(
        "（(",
        f"(?=[{start_class}])((?:[{_HAN}]{{2,6}}[ \u3000]+)*[{_HAN}]{{2,6}})([ \u3000]*摄)?[）)]",
    )
    titles = frozenset(TITLES)
    kin_re = re.compile(f"的(?:{'|'.join(KIN)})")
    return names, title_re, action_re, action_at, credit_re, titles, starts, spaced_post_re, kin_re


def find(text: str) -> list[tuple[int, int, float]]:
    """(start, end, confidence) of names in running prose (see the module's docstring)."""
    if not ENABLED or len(text) < 3:
        return []
    credit_re, starts, spaced_post_re = _tables()[4], _tables()[6], _tables()[7]
    best: dict[tuple[int, int], float] = {}
    spans = []
    for end in _title_ends(text, starts):
        spans.append(_after_title(text, end + 1 if text[end] in " \u3000" else end))
    for end, _ in anchors.leftmost_longest(text, "prose-action", _action_condition):
        # the name ends where the verb starts: a surname two to four characters back
        if end >= 2 and (
            text[end - 2] in starts
            or (end >= 3 and text[end - 3] in starts)
            or (end >= 4 and text[end - 4] in starts)
        ):
            spans.append(_before_action(text, end))
    for end, _ in anchors.occurrences(text, "prose-kin"):
        if end >= 2 and text[end - 2] in starts or end >= 3 and text[end - 3] in starts:
            spans.append(_before_action(text, end))
    for end, _ in anchors.occurrences(text, "prose-case"):
        # a case named after its party ("卢荣新案是在二审过程中…", "，娄高明案即为一例")
        if end >= 2 and text[end - 2] in starts or end >= 3 and text[end - 3] in starts:
            spans.append(_before_action(text, end))
    # (this pattern and the one of posts in brackets need a post: most texts have none)
    posts = anchors.occurrences(text, "prose-posts")
    if posts and (" " in text or "\u3000" in text):
        for m in spaced_post_re.finditer(text):
            end = m.start()
            if end >= 2 and text[end - 2] in starts or end >= 3 and text[end - 3] in starts:
                spans.append(_before_action(text, end))
    if "|" in text:
        spans.extend(_pipe_table(text))
    if "（" in text or "(" in text:
        for m in credit_re.finditer(text):
            spans.extend(_credit(text, m))
    spans.extend(_layouts(text))
    for span in spans:
        if span is not None:
            start, end, confidence = span
            if confidence > best.get((start, end), 0.0):
                best[start, end] = confidence
    return [(s, e, c) for (s, e), c in best.items()]


# The words the passes above start from, found by the one anchor scan (`anchors`) instead of
# `_tables()`'s title_re, action_re and kin_re (the plain forms, which tests compare with).
anchors.register("prose-title", TITLES)
anchors.register("prose-action", (*ACTIONS, "任"))
anchors.register("prose-kin", ("的" + word for word in KIN))
anchors.register("prose-posts", _POSTS.split("|"))
anchors.register("prose-case", tuple("案" + after for after in "、，,。是曾即中在被的"))
_APPOINT_AHEAD = re.compile(f"(?=[{_HAN}]{{0,10}}?(?:{_POSTS}))")


def _title_ends(text: str, starts: frozenset[str]) -> list[int]:
    """Where title_re matches end: after a whole title (two to five characters) that a
    surname follows, a blank between them or not."""
    size = len(text)
    ends = set()
    for _, end in anchors.occurrences(text, "prose-title"):
        if end < size and (
            text[end] in starts
            or (text[end] in " \u3000" and end + 1 < size and text[end + 1] in starts)
        ):
            ends.add(end)
    return sorted(ends)


def _action_condition(text: str, start: int, end: int) -> bool:
    """action_re's lookahead: "任" only where a post follows in the same clause."""
    return end - start != 1 or text[start] != "任" or _APPOINT_AHEAD.match(text, end) is not None


def _after_title(text: str, start: int) -> tuple[int, int, float] | None:
    """The best name right after a post or title ("镇长米厚章讲意见", "区长杲云，")."""
    found = None
    run = _HAN_RUN.match(text, start, start + 4)
    if run is None:
        return None
    for end in range(start + 2, run.end() + 1):
        name = text[start:end]
        if not _judge(name, 3, True):
            continue  # not a name whatever follows (cached: most strings after a title)
        right = _right_strength(text, end, start)
        if right == 0:
            continue
        confidence = _judge(name, 2 + right, True)
        if confidence and (found is None or confidence >= found[2]):
            found = (start, end, confidence)
    return found


def _before_action(text: str, end: int) -> tuple[int, int, float] | None:
    """The best name right before a verb of action or speech ("，袁贵仁接任")."""
    found = None
    if not _is_han(text[end - 1]):
        return None
    for size in (2, 3, 4):
        start = end - size
        if start < 0 or not _is_han(text[start]):
            break
        name = text[start:end]
        if not _judge(name, 4, True):
            continue  # not a name in any context (cached): the left side is not looked at
        left, titled = _left_strength(text, start)
        if left == 0:
            continue
        confidence = _judge(name, left + 2, titled)
        if confidence and (found is None or confidence > found[2]):
            found = (start, end, confidence)
    return found


def _credit(text: str, m: re.Match) -> list[tuple[int, int, float]]:
    """Names in a credit in brackets: "（黄钲平 池惟强）", "（王涛 摄）", and "（李海国）" at the
    end of a paragraph. Every piece must read as a name, or nothing is taken; a surname that
    is more often a word does not count ("（代章）", "（双拥）"), and a credit of one piece with
    no 摄 must be a three-character name ("（左一）" is a position in a photo)."""
    pieces = list(re.finditer(f"[{_HAN}]+", m.group(1)))
    photo = m.group(2) is not None
    after = text[m.end() : m.end() + 1]
    alone = len(pieces) == 1 and not photo and len(pieces[0].group()) <= 3
    # after a dateline ("中新网南京2月17日电（张楠）", "本网讯（吕国清）") a bracket holds its writers
    dateline = m.start() > 0 and text[m.start() - 1] in "电讯息"
    if alone and not dateline and (after not in ("", "\n", "\r") or len(pieces[0].group()) != 3):
        return []
    out = []
    base = m.start(1)
    weak = _tables()[0]._WEAK_SURNAMES | _RARE_WEAK
    for piece in pieces:
        name = piece.group()
        if name in _CREDIT_ROLES and len(pieces) > 1:
            continue  # "（尚哲 奚萌萌 记者 马智博）"
        if len(name) >= 4 and not alone:
            glued = _glued_pair(name)  # "（马兴立李喜梅）": two names with no blank between
            if glued is None:
                return []
            start = base + piece.start()
            out.append((start, start + glued, CREDIT_CONFIDENCE))
            out.append((start + glued, start + len(name), CREDIT_CONFIDENCE))
            continue
        if not 2 <= len(name) <= 3 or _judge(name, 3, True) == 0.0:
            return []
        if alone and name[0] in weak:
            return []
        out.append((base + piece.start(), base + piece.end(), CREDIT_CONFIDENCE))
    return out


_OTHER_NAMES = ("曾用名", "原名", "别名", "笔名", "又名", "化名", "乳名", "小名", "曾名")


def _glued_pair(run: str) -> int | None:
    """Where a run of four to six characters splits into two names, if exactly one split
    reads so ("马兴立|李喜梅", "王华|杨绮薇"), else None."""
    if run.startswith(_OTHER_NAMES):
        return None  # "（曾用名陈丽玲）": a label, then the name
    splits = [
        k
        for k in (2, 3)
        if 2 <= len(run) - k <= 3
        and _judge(run[:k], 3, True)
        and _judge(run[k:], 3, True)
        and run[k] in _tables()[0].SINGLE_SURNAMES
    ]
    return splits[0] if len(splits) == 1 else None


# Column headings of "|" tables whose cells are people ("接访校领导", "值班人员", "带班领导").
PIPE_HEADER_ENDS = (
    "姓名", "领导", "负责人", "联系人", "主持人", "接待人", "值班人", "值班人员", "带班人",
    "责任人", "经办人", "教师", "老师", "专家", "成员", "代表", "发言人", "主讲人",
)  # fmt: skip
_PIPE_CELL = re.compile(f"[ \u3000]*([{_HAN}]{{2,4}}|[{_HAN}][ \u3000][{_HAN}])[ \u3000]*")


def _pipe_table(text: str) -> list[tuple[int, int, float]]:
    """Names in the columns of a "|" table headed by a word for people ("接访校领导",
    "值班人员"): every cell of the column below the heading that is a name on its own."""
    out = []
    columns: list[int] = []
    line_start = 0
    for line in text.split("\n"):
        start, line_start = line_start, line_start + len(line) + 1
        if line.count("|") < 2:
            columns = []  # not a row: the table ends
            continue
        cells = line.split("|")
        offsets = [start]
        for cell in cells[:-1]:
            offsets.append(offsets[-1] + len(cell) + 1)
        heads = [i for i, c in enumerate(cells) if c.strip().endswith(PIPE_HEADER_ENDS)]
        if heads:
            columns = heads
            continue
        for i in columns:
            if i >= len(cells):
                continue
            m = _PIPE_CELL.fullmatch(cells[i])
            if m is None:
                continue
            name = m.group(1)
            if _judge(name.replace(" ", "").replace("\u3000", ""), 4, True):
                begin = offsets[i] + m.start(1)
                out.append((begin, begin + len(name), TABLE_CONFIDENCE))
    return out


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _left_strength(text: str, start: int) -> tuple[int, bool]:
    """How strongly the text before `start` says a name may begin there (0, 1 or 2), and
    whether a rare surname is allowed (only after a title)."""
    if start == 0:
        return 1, False
    titles = _tables()[5]
    for size in (2, 3, 4, 5):
        if start - size >= 0 and text[start - size : start] in titles:
            return 2, True
    before = text[start - 1]
    if before in _CLAUSE or before in _AGENT_BEFORE or before in _ORG_END:
        return 1, False
    return 0, False


def _right_strength(text: str, end: int, start: int) -> int:
    """How strongly the text from `end` on says a name may end there (0, 1 or 2)."""
    if end >= len(text):
        return 1
    after = text[end]
    if after in _AFTER_PUNCT:
        return 1
    if after in _MASKS:
        return 0
    if _tables()[3].match(text, end):
        return 2
    if after in _APPOINT_VERBS:
        clause = re.split(r"[，,。；;、\n]", text[end + 1 : end + 20], maxsplit=1)[0]
        if _POST_END.search(clause):
            return 2
    if after in _SINGLE_VERBS and (after in namemodel.NOT_GIVEN or end - start >= 3):
        # after a two-character name, only a character no given name holds: "陈学谈家族"
        # is not "陈学" who speaks
        return 1
    words = namemodel.lexicon()
    for size in (2, 3, 4):
        info = words.get(text[end : end + size])
        if info is not None and info[1] in _FOLLOW_TAGS:
            return 1
    return 0


@lru_cache(maxsize=8192)
def _judge(name: str, strength: int, titled: bool) -> float:
    """The confidence that `name` is a personal name given the strength of its context (the
    sum of both sides; `titled`: a post or title stands right before it), or 0."""
    if strength < 3:
        return 0.0
    names = _tables()[0]
    if name in names.STOPWORDS or name in names._ROLE_SET or any(c in _MASKS for c in name):
        return 0.0
    first = name[0]
    rare = first in RARE_SURNAMES and first not in names.SINGLE_SURNAMES
    if len(name) >= 3 and name[:2] in names.COMPOUND_SURNAMES:
        surname = 2
    elif first in names.SINGLE_SURNAMES or (titled and rare):
        surname = 1
    else:
        return 0.0
    given = name[surname:]
    if not 1 <= len(given) <= 2 or name[-1] in names.ORG_LAST_CHARS:
        return 0.0
    if not rare and names._plausible_surname(name) == 0:
        return 0.0  # an organisation or a place ("王家村"), a title ("张主任")
    words = namemodel.lexicon()
    score = namemodel.given_score(given)
    if score is None:
        # "廖应灿": a character that is hardly ever in a given name, next to a common one, and
        # the two not a word ("应当")
        odd = [c for c in given if c in namemodel.NOT_GIVEN]
        if not titled or len(given) != 2 or len(odd) != 1 or odd[0] not in _SOMETIMES_GIVEN:
            return 0.0
        if given in words:
            return 0.0
        score = namemodel.given_score(given.replace(odd[0], "")) or 0.0
        score = min(score, 0.5)
    info = words.get(name)
    person = info is not None and info[1] in namemodel.PERSON_TAGS
    if info is not None and not person:
        return 0.0  # a dictionary word ("高度", "单位", "江山")
    if person and len(name) == 2 and info[0] >= namemodel.PERSON_WORD_MAX_FREQ and not titled:
        return 0.0  # tagged a name but frequent as a word: "（抢前抓早、）周密部署"
    if len(name) == 3 and surname == 1:
        head = words.get(name[:2])
        if head is not None and head[1] not in namemodel.PERSON_TAGS:
            return 0.0  # "全力推", "党委书"
        if name[-2:] in _short_roles() or name[-1] in _short_roles():
            return 0.0
    weak = first in names._WEAK_SURNAMES or first in _RARE_WEAK
    if weak and (
        not titled
        or score < WEAK_GIVEN
        or name[:2] in words
        or namemodel.tagged(given, _VERB_TAGS, _VERB_FREQ)
    ):
        # "（代表镇委）向新当选", "（主任）向大家"; a frequent verb, adjective or adverb after a
        # surname that is more often an adverb: the clause goes on ("（教师）都清楚")
        return 0.0
    confidence = _BASE + _PER_POINT * (strength - 3) + _PER_GIVEN * score
    if person:
        confidence += _PERSON_BONUS
    confidence = min(confidence, 0.9)
    return confidence if confidence >= MIN_CONFIDENCE else 0.0


_VERB_FREQ = 1000
_VERB_TAGS = frozenset({"a", "ad", "an", "d", "v", "vd"})


# --- Layouts that name people without a title: author notes, author lines, bylines, counts ---

LAYOUT_CONFIDENCE = 0.85
# "包艳华(1980—)，女": an author's note (作者简介) opens with the name and the year of birth.
_BORN = OneOf("（(", "(?:19|20)\\d\\d[—–\\-－~～]")
# Words an author's note may start with, glued to the name ("[作者简介]彭明唱(1977—)").
_NOTE_HEADS = ("作者简介", "简介", "作者", "通讯作者", "第一作者")
# "张三、李四、王五3名被告", "等5人": names listed, then counted as people.
_COUNT = re.compile(f"、[{_HAN}]{{2,3}}?(?=(?:等)?(?:\\d+|[一二两三四五六七八九十]+)(?:名|位|人))")
# the list before the count, read backwards from it (the count is the anchor: C speed)
_LISTED = re.compile(f"(?:[{_HAN}]{{2,3}}、)+[{_HAN}]{{2,3}}$")
# A line of authors ("陈 越", "潘才健，李红武", "龚文婷") is followed by their affiliations in
# brackets or by the abstract.
_AUTHOR_TOKEN = f"(?:[{_HAN}]{{2,4}}|[{_HAN}][ \u3000][{_HAN}])[\\d,*＊]*"
_AUTHOR_LINE = re.compile(
    f"(?m)^[ \u3000]*({_AUTHOR_TOKEN}(?:[ \u3000,，、;；]+{_AUTHOR_TOKEN}){{0,7}})[ \u3000]*\\n"
    f"(?=(?:[ \u3000]*\\n){{0,3}}[ \u3000]*(?:[（(](?:[^）)\\n]{{0,40}}?(?:大学|学院|研究|院|所|"
    f"局|中心|公司|学校|医院|委员会|省|市))|[（(]?1[.．、]|【?(?:内容)?(?:摘[ \u3000]?要|提要)))"
)
# What must follow a line of authors, loosened (a line break, then brackets, "1." or an
# abstract's heading): a pattern that starts with a literal, searched first, because the one
# above starts each line and the regex engine tries it at every position.
_AUTHOR_LINE_NEXT = re.compile(
    "\n(?:[ \u3000]*\n){0,3}[ \u3000]*(?:[（(]|1[.．、]|【|内容|摘|提要)"
)
_AUTHOR_NAME = re.compile(f"[{_HAN}][ \u3000][{_HAN}](?![{_HAN}])|[{_HAN}]{{2,4}}")
# Bylines: "沁园书院 孙琳 报道", "记者 沈湛 摄", "作者：⏎苏晓春", "2021-11-13 14:26:07 付欣".
_BYLINE_AFTER_WORDS = ("报道", "摄", "供稿", "撰稿", "撰文")
_BYLINE_AFTER = re.compile(f"(?:{'|'.join(_BYLINE_AFTER_WORDS)})(?=[ \u3000]*(?:\n|$|）|\\)))")
_BYLINE_NAME = re.compile(f"[ \u3000]([{_HAN}]{{2,3}})[ \u3000]+$")
_BYLINE_LABEL_WORDS = (
    "作者", "编辑", "责任编辑", "责编", "记者", "通讯员", "撰稿", "撰文", "摄影", "校对", "审核",
    "审校", "初审", "复审", "终审", "排版", "美编",
)  # fmt: skip
# Roles inside a credit, skipped there: the byline labels and a few more.
_CREDIT_ROLES = frozenset((*_BYLINE_LABEL_WORDS, "实习生", "见习记者", "摄", "文", "图"))
_BYLINE_LABEL = re.compile(
    f"(?:{'|'.join(_BYLINE_LABEL_WORDS)})"
    f"[ \u3000]*[:：|｜丨][ \u3000]*\\n?[ \u3000]*"
    f"([{_HAN}]{{2,3}}|[{_HAN}][ \u3000]{{1,2}}[{_HAN}]{{1,2}})[ \u3000]*(?=\\n|$)"
)
# (the colon first, the digits before it in a lookbehind: a pattern that starts with a
# literal lets the regex engine skip ahead to the colons, one that starts with a lookbehind
# tries every position)
_BYLINE_TIME = re.compile(
    f":(?<=\\d\\d:)\\d\\d(?::\\d\\d)?[ \u3000]+([{_HAN}]{{2,3}})[ \u3000]*(?=\\n)"
)
# The head of state named as a person (labelled), not inside a doctrine's or a book's name
# (习近平新时代中国特色社会主义思想, 《习近平谈治国理政》), which are not.
# The bench and the clerk at the end of a judgment, one a line: "审判长　周  强", "书记员 陈晨".
_BENCH = re.compile(
    "(?m)^[ \u3000]*(?:审判长|审判员|代理审判员|人民陪审员|陪审员|书记员|法官助理|执行员|速录员)"
    f"[ \u3000:：]*([{_HAN}](?:[ \u3000]{{0,3}}[{_HAN}]){{1,2}})[ \u3000]*$"
)
# A name then its post in brackets: "主持人：王建军（县委副书记）", "、李红（女，副镇长）".
_POST_IN_BRACKETS = OneOf(
    "（(", f"(?<=[{_HAN}][（(])(?=[^）)\\n]{{0,20}}?(?:{_POSTS})[^）)\\n]{{0,6}}[）)])"
)
# After a quotation, the one who spoke: "“……？”王清华问。"
_SPEAKER = re.compile(
    f"[”」]([{_HAN}]{{2,3}}?)(?:问道|问|说道|说|答道|答|笑道|笑着说|接着说|补充说|感慨)"
)
_LEADERS = re.compile(
    "(?<!《)习近平(?!新时代|[\u4e00-\u9fff]{0,6}思想|谈治国理政|著作|重要讲话精神|经济学)"
)


def _layouts(text: str) -> list[tuple[int, int, float]]:
    out: list[tuple[int, int, float]] = []
    if "(" in text or "（" in text:
        for m in _BORN.finditer(text):
            out.extend(_born(text, m.start()))
    if "、" in text:
        for m in _COUNT.finditer(text):
            out.extend(_counted(text, m.end()))
    if "\n" in text:
        for m in _author_lines(text):
            out.extend(_author_line(m))
        # (both patterns open with their words: a text with none of them has no match)
        if anchors.occurrences(text, "prose-byline-label"):
            for m in _BYLINE_LABEL.finditer(text):
                out.extend(_taken(m, 1))
        if ":" in text:
            for m in _BYLINE_TIME.finditer(text):
                out.extend(_taken(m, 1))
    if (" " in text or "\u3000" in text) and anchors.occurrences(text, "prose-byline-after"):
        for m in _BYLINE_AFTER.finditer(text):
            name = _BYLINE_NAME.search(text, max(0, m.start() - 8), m.start())
            if name is not None:
                out.extend(_taken(name, 1))
    if ("（" in text or "(" in text) and anchors.occurrences(text, "prose-posts"):
        for m in _POST_IN_BRACKETS.finditer(text):
            span = _before_action(text, m.start())
            if span is not None:
                out.append(span)
    if "审判" in text or "书记员" in text or "陪审员" in text:
        for m in _BENCH.finditer(text):
            printed = m.group(1)
            if _judge(printed.replace(" ", "").replace("\u3000", ""), 5, True):
                out.append((m.start(1), m.end(1), LAYOUT_CONFIDENCE))
    if "”" in text or "」" in text:
        for m in _SPEAKER.finditer(text):
            out.extend(_taken(m, 1))
    if "习近平" in text:
        out.extend((m.start(), m.end(), LAYOUT_CONFIDENCE) for m in _LEADERS.finditer(text))
    return out


anchors.register("prose-byline-label", _BYLINE_LABEL_WORDS)
anchors.register("prose-byline-after", _BYLINE_AFTER_WORDS)


def _author_lines(text: str):
    """`_AUTHOR_LINE.finditer(text)`, tried only on the lines before what `_AUTHOR_LINE_NEXT`
    finds. Every line of authors ends with a line break where `_AUTHOR_LINE_NEXT` matches, and
    that break is the start of one of its matches (one that started earlier would have to run
    over the line of authors, and it only runs over blank lines); the pattern, which opens
    with "^", is otherwise tried at every position (the bench corpus joined: 19 of ~700 ms)."""
    for after in _AUTHOR_LINE_NEXT.finditer(text):
        at = after.start()
        m = _AUTHOR_LINE.match(text, text.rfind("\n", 0, at) + 1)
        if m is not None:
            yield m


def _taken(m: re.Match, group: int) -> list[tuple[int, int, float]]:
    name = m.group(group).replace(" ", "").replace("\u3000", "")
    if 2 <= len(name) <= 3 and _judge(name, 4, True):
        return [(m.start(group), m.end(group), LAYOUT_CONFIDENCE)]
    return []


def _born(text: str, paren: int) -> list[tuple[int, int, float]]:
    """The name before "(1980—": the whole Han run, or its end after a note's heading."""
    start = paren
    while start > 0 and paren - start < 8 and _is_han(text[start - 1]):
        start -= 1
    if start > 0 and _is_han(text[start - 1]):
        return []  # the run goes on: part of a longer phrase
    run = text[start:paren]
    name = run
    if len(run) > 4:
        name = next((run[len(h) :] for h in _NOTE_HEADS if run.startswith(h)), "")
    if 2 <= len(name) <= 4 and _judge(name, 5, True):
        return [(paren - len(name), paren, LAYOUT_CONFIDENCE)]
    return []


def _counted(text: str, count: int) -> list[tuple[int, int, float]]:
    """Every item of the list before a count of people, when every one reads as a name
    ("石河、闻晓、杜虹3名被告")."""
    m = _LISTED.search(text, max(0, count - 40), count)
    if m is None or (m.start() > 0 and _is_han(text[m.start() - 1])):
        return []
    out = []
    pos = m.start()
    for item in m.group().split("、"):
        if not _judge(item, 4, False):
            return []
        out.append((pos, pos + len(item), LAYOUT_CONFIDENCE))
        pos += len(item) + 1
    return out


def _author_line(m: re.Match) -> list[tuple[int, int, float]]:
    """The names of a line of authors; all of them must read as names."""
    out = []
    base = m.start(1)
    for piece in _AUTHOR_NAME.finditer(m.group(1)):
        name = piece.group().replace(" ", "").replace("\u3000", "")
        if not _judge(name, 4, True):
            return []
        out.append((base + piece.start(), base + piece.end(), LAYOUT_CONFIDENCE))
    return out
