"""Names detector: the evidence beyond a colon (role and title words, a person's particulars
after a name: gender, age, ethnicity, ID) and the confidence a candidate reads as a name.
Plain Python; `gongkai.privacy.names.find_names` combines the passes."""

import re
from collections.abc import Iterable
from functools import lru_cache

from gongkai.privacy import anchors, namemodel
from gongkai.privacy.names_lexicon import (
    _FOLLOW_STRONG,
    _FOLLOW_VERBS,
    _FOLLOW_WEAK,
    _FOLLOW_WORDS,
    _HAN,
    _LABEL_TAIL,
    _LEFT_STOPS,
    _MASK_CHARS,
    _SCORE_CACHE,
    COMPOUND_SURNAMES,
    HAN_RUN,
    LABEL_CONFIDENCE,
    LIST_CONFIDENCE,
    NAME_LABELS,
    NON_NAME_CHARS,
    ORG_LAST_CHARS,
    SINGLE_SURNAMES,
    SPLIT_CONFIDENCE,
    STOPWORDS,
    TITLE_SUFFIXES,
    _by_frequency,
    _list_from,
    _name_at,
    _plausible_surname,
    _trie_branches,
)

# --- Evidence beyond a colon ------------------------------------------------------------------

# Role words after which a name may follow with no punctuation at all ("申请人史超，…",
# "户主邱兰的银行卡"); there the candidate must also read as a name (see `name_confidence`).
ROLE_WORDS = NAME_LABELS + (
    "法人代表", "被检查人", "被调查人", "被告人", "被告", "原告", "第三人", "复议申请人",
    "赔偿请求人", "请求人", "信访人", "承办人", "审批人", "审核人", "签收人", "签发人", "填表人",
    "制表人", "报告人", "发件人", "权利人", "产权人", "承包人", "承租人", "出租人", "借款人",
    "担保人", "受益人", "参保人", "受助人", "救助对象", "保障对象", "补助对象", "项目负责人",
    "技术负责人", "项目经理", "总监理工程师", "记者", "通讯员", "责任编辑", "编辑", "主编",
    "撰稿", "审稿", "审核", "校对", "执笔", "作者", "摄影", "拟任", "拟提任", "拟录用", "拟聘用",
    "拟推荐", "拟提名", "驾驶人", "驾驶员", "车主", "业主", "房主", "村民", "居民", "农户",
    "职工", "员工", "考生", "患者", "死者", "伤者", "民警", "辅警", "其子", "其女", "其妻",
    "其夫", "之子", "之女", "儿子", "女儿", "妻子", "丈夫", "父亲", "母亲", "配偶",
    "经营者", "发布者", "来源", "责编", "口述", "讲述人", "实习生", "发言人", "候选人",
    # courts' and enforcement's roles ("代理书记员邹眉担任记录", "法警赵科峰")
    "上诉人", "被上诉人", "原审原告", "原审被告", "书记员", "审判员", "审判长", "陪审员",
    "人民陪审员", "法警", "执行员", "执法人员", "委托诉讼代理人", "诉讼代理人", "辩护人",
    # video credits ("摄像 / 郑镇", "监制：缪洪通") and a paper's reviews ("二审 明剑")
    "摄像", "编导", "监制", "总监制", "剪辑", "制片人", "出品人", "二审", "三审", "终审",
    "初审", "复审",
)  # fmt: skip
# Offices and positions written before a name in news and notices ("镇长王玉飞主持",
# "县委组织部副部长尤有光出席"): weak contexts, the candidate must read as a name.
TITLE_WORDS = (
    "书记", "县长", "市长", "区长", "镇长", "乡长", "省长", "州长", "旗长", "局长", "厅长",
    "处长", "科长", "部长", "主任", "主席", "委员", "常委", "政委", "会长", "秘书长", "理事长",
    "董事长", "总经理", "经理", "行长", "院长", "所长", "站长", "校长", "馆长", "社长", "总编",
    "队长", "组长", "村长", "教练", "总教练", "教练员", "运动员", "选手", "队员",
    "调解员", "代表", "干部", "党员", "老党员", "群众", "老人", "残疾人", "村官", "大学生",
    "学生", "教师", "老师", "医生", "护士", "专家", "教授", "工程师", "律师", "法官", "检察官",
    "警官", "领导", "网格员", "志愿者", "科员", "主任科员", "巡视员", "调研员", "参事", "助理",
    "市民", "农民", "游客", "老兵", "烈士", "英雄", "模范", "先进", "冠军",
)  # fmt: skip
_ROLE_SET = frozenset(ROLE_WORDS + TITLE_WORDS)
# Bylines: after these, names follow one another ("记者 王 涛 方由朝", "通讯员王金龙毛丹黄卉").
_BYLINE_ROLES = frozenset(
    {
        "记者", "通讯员", "实习生", "编辑", "责任编辑", "责编", "主编", "摄影", "作者", "撰稿",
        "审稿", "审核", "校对", "执笔", "口述", "发布者", "摄像", "编导", "监制", "总监制",
        "剪辑", "制片人", "出品人", "二审", "三审", "终审", "初审", "复审",
    }
)  # fmt: skip
# Roles mostly followed by an organisation: the name must be a whole token ("来源：李蒙蒙").
_WHOLE_TOKEN_ROLES = frozenset({"来源", "发布者", "作者"})
_TOKEN_END = frozenset(" \u3000\t\r\n）)、，,。；;|")
_TITLE_SET = frozenset(TITLE_WORDS)
# Titles written after a name ("孔宪臣副厅长", "李海国主任", "白树兴代表：").
_TITLE_AFTER = (
    "书记", "县长", "市长", "区长", "镇长", "乡长", "省长", "局长", "厅长", "处长", "科长",
    "部长", "主任", "主席", "委员", "会长", "秘书长", "理事长", "董事长", "总经理", "经理",
    "行长", "院长", "所长", "站长", "校长", "馆长", "队长", "组长", "村长", "教练", "代表",
    "老师", "老人", "师傅", "医生", "教授", "专家", "律师", "警官", "大爷", "大妈", "阿姨",
    "总书记", "总理", "委员长", "法官", "检察官", "检察长", "庭长", "审判长", "审判员",
    "研究员", "工程师", "总裁", "同学", "大夫", "博士", "院士", "护士长", "护士", "班主任",
    "指导员", "教导员", "网友", "司令员", "政委", "主编", "社长", "团长", "厂长", "巡视员", "调研员", "专员",
)  # fmt: skip
# Verbs of speech after a name at the start of a clause ("郭云说，", "王金华介绍，").
_SPEECH = ("说", "表示", "介绍", "指出", "强调", "告诉", "认为", "坦言", "回忆", "笑着说")
_CLAUSE_START = frozenset("，,。；;：:！？!?“”\"'‘’（）()、 \t\u3000\n")
_STRONG_LABELS = frozenset(NAME_LABELS)
# A byline's role and its names parted by a slash, as video credits print them.
_SLASH_TAIL = re.compile(r"[ \t\u3000]*[/／][ \t\u3000]*(?=[^\s/／])")
# A party's role in a case: with a colon it is a label like 申请人 ("原告：于大勇，男"), without
# one a word of running text ("被告于2019年3月…").
_PARTY_ROLES = frozenset(
    {
        "原告", "被告", "被告人", "第三人", "上诉人", "被上诉人", "原审原告", "原审被告",
        "复议申请人", "赔偿请求人", "请求人", "信访人", "权利人", "借款人", "担保人", "承包人",
        "承租人", "出租人", "产权人", "受益人",
    }
)  # fmt: skip
_PARTY_NOTE = re.compile(r"[（(][^（()）\n]{1,12}[）)](?=[ \t\u3000]*[：:])")
_ROLE_RE = re.compile(
    "(?:"
    + "|".join(_by_frequency(_trie_branches(ROLE_WORDS)))
    + ")(?=["
    + "".join(sorted(SINGLE_SURNAMES))
    + " \t\u3000：:|｜为是姓（(/／])"
)
# The role words as `_roles` finds them: from the one anchor scan (`anchors`), with the lookahead
# of `_ROLE_RE` (the plain form, which tests compare with) tested on the character after each.
anchors.register("role", ROLE_WORDS)
_ROLE_NEXT = frozenset(SINGLE_SURNAMES) | frozenset(" \t\u3000：:|｜为是姓（(/／")


def _role_condition(text: str, start: int, end: int) -> bool:
    return end < len(text) and text[end] in _ROLE_NEXT


# A role word inside a longer word: "客户主管", "物业主任", "摄影师", "记者站", "联系人员".
_ROLE_LEFT_VETO = {
    "户主": "客用住账门农散商租",
    "户名": "用账门",
    "业主": "物创农企就专",
    "作者": "工",
    "女儿": "妇",  # 妇女儿童合法权益
}
_ROLE_RIGHT_VETO = frozenset("员们部处科室组会师长站")

# Surnames that are far more often a word of their own ("党和", "由教师", "区候任", "和一些"):
# only a strong context (a label and a colon, a table column) takes a name starting with one.
_WEAK_SURNAMES = (
    frozenset(
        "区党和向于都那时门云相平国来普利但元信展阴由海花强帅豆盖位满楼盘南班原乐谈明查师巴支计索宣初敬容战危玉银居干衣智幸富闭植衡尧印隆茹诸鲜宿杭赫修母乌羊辜雍邸薄伏戈浦阙"
    )
    | namemodel.MORE_WEAK_SURNAMES
)

# What may stand between a role word and its name (besides nothing at all).
_AFTER_ROLE = frozenset(" \t\u3000：:|｜为是姓名/／")

# Context strength: the base confidence a candidate gets, before its own statistics.
WEAK, MEDIUM, STRONG = 0, 1, 2
THRESHOLD = 0.65
KNOWN_CONFIDENCE = 0.95
PROPAGATE_CONFIDENCE = 0.75
PROPAGATED_CONFIDENCE = 0.75
TABLE_CONFIDENCE = 0.9

# What may follow a name in running text, after a role word with no punctuation.
_RUN_FOLLOW = _FOLLOW_WORDS + (
    "说", "表示", "介绍", "指出", "报道", "告诉", "同学", "老师", "家", "户", "一家", "夫妇",
    "拟任", "拟提任", "现任", "任", "签名", "本人", "名下", "账户", "银行",
)  # fmt: skip

_ETHNIC = (
    "汉族", "回族", "满族", "壮族", "苗族", "维吾尔族", "藏族", "蒙古族", "彝族", "土家族",
    "布依族", "侗族", "瑶族", "白族", "朝鲜族", "哈尼族", "黎族", "傣族", "畲族", "傈僳族",
    "仡佬族", "东乡族", "拉祜族", "水族", "佤族", "纳西族", "羌族", "土族", "仫佬族", "锡伯族",
    "柯尔克孜族", "达斡尔族", "景颇族", "毛南族", "撒拉族", "布朗族", "塔吉克族", "阿昌族",
    "普米族", "鄂温克族", "怒族", "京族", "基诺族", "德昂族", "保安族", "俄罗斯族", "裕固族",
    "乌孜别克族", "门巴族", "鄂伦春族", "独龙族", "塔塔尔族", "赫哲族", "高山族", "珞巴族",
    "哈萨克族",
)  # fmt: skip
_END_OF_ITEM = frozenset("）)，,、。；;：: \t\u3000\r\n")
# What may follow a name: its gender, age, birth, ethnicity, an ID, an appointment, a contact.
# One alternation of literal words finds the places to look at (every branch starts with a
# literal character, so the regex engine skips ahead; named groups or a leading class would
# make it try every position); each hit is then read in Python.
_BIRTH_BEFORE = re.compile(
    r"(?:19|20)[0-9]{2}(?:年|\.|-)(?:[0-9]{1,2}(?:月|\.|-)?)?(?:[0-9]{1,2}日?)?出?\Z"
)
_AGE_BEFORE = re.compile(r"[0-9]{1,3}周?\Z")
_APPOINT = (
    "拟任", "拟提任", "拟提名", "拟推荐为", "拟聘为", "拟聘任", "拟录用为", "现任", "兼任", "出任",
    "担任", "调任", "被任命",
)  # fmt: skip
_CONTACT = ("联系电话", "联系方式", "电话", "手机", "住址", "家住", "现住", "住所")
_ID_WORDS = ("公民身份号码", "公民身份证", "身份证", "身份号码", "证件号码")
_CASE = ("另案处理",)
_EVIDENCE_KIND = {
    "男": "gender",
    "女": "gender",
    "岁": "age",
    "出生": "birth",
    "年生": "birth",
    "月生": "birth",
    "日生": "birth",
    **dict.fromkeys(_ETHNIC, "ethnic"),
    **dict.fromkeys(_ID_WORDS, "id"),
    **dict.fromkeys(_APPOINT, "appoint"),
    **dict.fromkeys(_CONTACT, "contact"),
    **dict.fromkeys(_CASE, "case"),
}
# Evidence that needs a separator between it and the name ("张三，男", not "子女").
_NEEDS_SEPARATOR = frozenset({"gender", "age", "ethnic"})
_SEPARATORS = frozenset("，,、 \t\u3000（(")
_LEVEL_OF = {
    "gender": MEDIUM,
    "age": MEDIUM,
    "birth": MEDIUM,
    "ethnic": MEDIUM,
    "id": MEDIUM,
    "appoint": MEDIUM,
    "case": MEDIUM,
    "contact": WEAK,
}
# The label between a name and its number: "张三，身份证号码：330…", "李四 手机 139…".
_NUMBER_LABEL_BEFORE = re.compile(
    r"(?:公民身份号码|身份证号码|身份证号|身份证|证件号码|证件号|身份号码|手机号码|手机号|手机"
    r"|联系电话|联系方式|电话|银行卡号|银行账号|卡号|账号|号码)[ \t\u3000]*[：:]?[ \t\u3000]*\Z"
)

# List heads besides 名单: "共3人：", "分别是：", "公示如下：".
_COUNT_HEAD = re.compile(
    r"(?:共[0-9一二三四五六七八九十百]{1,4}(?:人|名|户)[，,]?(?:分别是|分别为|名单如下|如下)?"
    r"|分别是|分别为|如下)(?=[ \t\u3000]*[：:\r\n])"
)


# Column headers of tables of people (cells separated by TAB, one row per line).
TABLE_HEADERS = frozenset(
    {
        "姓名", "名字", "户主", "户主姓名", "户主名", "申请人", "申请人姓名", "联系人",
        "联系人姓名", "领款人", "领取人", "收款人", "负责人", "项目负责人", "被处罚人",
        "被处罚人姓名", "当事人", "当事人姓名", "法定代表人", "法人代表", "户名", "开户名",
        "账户名", "持卡人", "救助对象", "救助对象姓名", "保障对象", "补助对象", "发放对象",
        "对象姓名", "受助人", "考生姓名", "学生姓名", "职工姓名", "人员姓名", "患者姓名",
        "监护人", "代理人", "经办人", "拟录用人员", "拟聘用人员", "拟聘人员", "拟任人员",
        "拟提任人员", "候选人", "获奖人", "获奖者", "家庭成员", "成员姓名", "共同生活家庭成员",
        "申报人", "签收人", "被检查人", "被调查人", "被举报人", "被投诉人", "举报人", "投诉人",
        "承包人", "承租人", "业主", "业主姓名", "房主", "车主", "驾驶人", "驾驶员", "农户姓名",
        "贫困户姓名", "老人姓名", "儿童姓名", "残疾人姓名", "教师姓名", "作者",
    }
)  # fmt: skip
_HEADER_NOISE = re.compile(r"[ \t\u3000*＊]|[（(][^）)]*[）)]")
_CELL_PIECE = re.compile(r"[^、，,；;/ \u3000]+")
_MINORITY_NAME = re.compile(f"[{_HAN}]{{1,8}}[·•・][{_HAN}]{{1,10}}(?:[·•・][{_HAN}]{{1,10}})?")


# The run of Han characters that ends where a search's `endpos` is (the leftmost start wins,
# so it is the whole run within the window searched).
_SPACED_TAIL = re.compile(f"(?<![{_HAN}])[{_HAN}][ \u3000]{{1,3}}[{_HAN}]\\Z")
_HAN_TAIL = re.compile(f"[{_HAN}]+\\Z")


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@lru_cache(maxsize=_SCORE_CACHE)
def name_confidence(name: str, level: int) -> float:
    """Confidence that `name` is a personal name in a context of the given strength (0 if it
    is not one): surname, given-name characters, and jieba's dictionary."""
    surname = _plausible_surname(name)
    if not surname or name in _ROLE_SET or name[1:] in _ROLE_SET:
        return 0.0  # (连村民, 权村民: a character, then a role word)
    given = namemodel.given_score(name[surname:])
    if given is None or namemodel.is_common_word(name, strict=level < STRONG):
        return 0.0
    if level == STRONG:
        confidence = LABEL_CONFIDENCE
    else:
        if (
            surname == 1
            and name[0] in _WEAK_SURNAMES
            or name[:2] in _ROLE_SET
            or name[:2] in STOPWORDS
        ):
            return 0.0  # "党和", "由教师", "居民小（组长）"
        if len(name) == 3 and namemodel.is_common_word(name[:2], strict=False):
            return 0.0  # "（提醒群众）严禁野外用火": a verb, not surname and given name
        if len(name) == 2 and _word_not_name(name):
            return 0.0  # "慰问高龄老人", "让老人安享晚年"
        if level == MEDIUM:
            confidence = 0.65 + 0.25 * given
        else:
            confidence = 0.5 + 0.3 * given
    if namemodel.is_person_word(name):
        confidence += 0.1
    return min(confidence, 0.95) if confidence >= THRESHOLD else 0.0


def _word_not_name(name: str) -> bool:
    """A surname and one character that is rarely a given name's, which the dictionary knows
    as a word ("慰问高龄老人"): in a context that names nobody for sure, the word."""
    info = namemodel.lexicon().get(name)
    if info is None or info[1] in namemodel.PERSON_TAGS or info[0] < 50:
        return False
    return namemodel.given_ratio(name[1]) < 0


def _org_follows(rest: str) -> bool:
    """Whether the name candidate is the head of a place or an organisation ("金华市", "王家村"),
    not a name followed by 所作/所说 …"""
    return rest[:1] in ORG_LAST_CHARS and not (rest[:1] == "所" and rest[1:2] in "作做说述提")


# Verbs and adverbs of one character that open a clause after a name.
_ONE_CHAR_VERBS = "忙瞄扭拿看笑想要去来问答给用让叫把在也都就又还已曾便却仍再坐站走跑送找请做写读听讲唱喊指拉推抱背打骑开修种卖买收交接递掏握搬赶"


@lru_cache(maxsize=1)
def _one_char_verbs() -> frozenset[str]:
    """Those of `_ONE_CHAR_VERBS` that given names rarely hold (so that 王建 + 开 does not
    end a name before its own last character)."""
    return frozenset(c for c in _ONE_CHAR_VERBS if namemodel.given_ratio(c) < 0)


def _rest_ok(rest: str) -> bool:
    """Whether a name may end where `rest` begins: at a word that follows names ("于", "说",
    "同志"), a title, or any dictionary word ("主持", "带领", "告诉记者")."""
    if not rest:
        return True
    if rest.startswith(_RUN_FOLLOW) or rest[0] in _FOLLOW_STRONG or rest[0] in _FOLLOW_WEAK:
        return True
    if rest[0] in _FOLLOW_VERBS:
        return True  # "孟凡余从…", "张艳清所作", "李文飙被任命", "孙红梅是"
    if rest.startswith(TITLE_SUFFIXES) or rest.startswith(TITLE_WORDS):
        return True
    if rest.startswith(ROLE_WORDS):
        return True  # "记者梁雪玲通讯员李晓龙"
    words = namemodel.lexicon()
    if rest[:2] in words or rest[:3] in words or rest[:4] in words:
        return True
    return rest[0] in _one_char_verbs()  # "负责人瞿怀洲忙得…", "法警赵科峰瞄了一眼"


# How much of a Han run `_weak_name` reads: a name (up to 4 characters) and the longest word
# `_rest_ok` may find after it (it also looks 4 characters into the dictionary).
_HEAD = 4 + max(4, *map(len, _RUN_FOLLOW + TITLE_SUFFIXES + TITLE_WORDS + ROLE_WORDS))


def _weak_name(
    text: str, pos: int, level: int, *, glued: bool = False
) -> tuple[int, int, float] | None:
    """A name right at `pos` in running text ("史超，", "邱兰的银行卡"), or None. `glued`: names
    may follow each other with nothing between (bylines: "王金龙毛丹黄卉")."""
    if pos >= len(text):
        return None
    if text[pos] not in SINGLE_SURNAMES and text[pos : pos + 2] not in COMPOUND_SURNAMES:
        return None
    m = HAN_RUN.match(text, pos)
    if m is None:
        return None
    if m.end() < len(text) and text[m.end()] in _MASK_CHARS:
        return None
    # Only the head of the run decides (a name and the word after it): the cache key stays short.
    found = _weak_name_in(text[pos : min(m.end(), pos + _HEAD)], level, glued)
    return None if found is None else (pos, pos + found[0], found[1])


@lru_cache(maxsize=_SCORE_CACHE)
def _weak_name_in(run: str, level: int, glued: bool) -> tuple[int, float] | None:
    """(length, confidence) of the name that starts the Han run `run` (cut to `_HEAD`), or None."""
    shortest = 3 if run[:2] in COMPOUND_SURNAMES and len(run) >= 3 else 2
    best = None
    for k in range(min(shortest + 1, len(run)), shortest - 1, -1):
        rest = run[k:]
        if glued and rest and rest[0] in SINGLE_SURNAMES and len(rest) >= 2:
            pass  # the next name of a byline
        elif k > len(run) or not _rest_ok(rest) or _org_follows(rest):
            continue  # "金华市", "王家村"
        elif (
            k > shortest
            and k < len(run)
            and run[k] not in _FOLLOW_STRONG
            and namemodel.is_common_word(run[k - 1 : k + 1], strict=True)
        ):
            continue  # "包赛得知", "付伟表示": the last character opens the next word
        confidence = name_confidence(run[:k], level)
        if confidence and (best is None or confidence > best[1] + 0.05):
            best = (k, confidence)
    return best


def _rare_surname_token(text: str, pos: int, out: list) -> None:
    """After a label and its colon, a whole token of two or three characters whose surname is
    none the lists know ("审核：镡博", "作者：疏丽云", "经营者：松红林"): a name where its
    given-name characters are names' and the token is no word of the dictionary."""
    token = _TOKEN.match(text, pos)
    if token is None or not 2 <= len(token.group().replace(" ", "").replace("\u3000", "")) <= 3:
        return
    if token.end() < len(text) and text[token.end()] not in _END_OF_ITEM:
        return
    value = token.group().replace(" ", "").replace("\u3000", "")
    from gongkai.privacy import minority_names  # (it reads this module's words)

    if minority_names.is_tibetan_name(value) or minority_names.is_mongolian_name(value):
        out.append((pos, token.end(), LIST_CONFIDENCE))  # "责编：达来", "摄影：扎西"
        return
    if reads_as_rare_surname_name(value):
        out.append((pos, token.end(), LIST_CONFIDENCE))


def reads_as_rare_surname_name(value: str) -> bool:
    """Two or three characters, no word of the dictionary nor a word and a character, whose
    given-name characters are names' ("镡博", "疏丽云", "淦细红"): a name with a surname the lists
    do not know, where a context says a name stands there."""
    first = value[0]
    if first in namemodel.NOT_GIVEN or first in NON_NAME_CHARS or value[-1] in ORG_LAST_CHARS:
        return False
    if value in STOPWORDS or value in _ROLE_SET or value in namemodel.lexicon():
        return False
    head = namemodel.lexicon().get(value[:2])
    if head is not None and head[1] not in namemodel.PERSON_TAGS:
        return False  # a word and a character
    given = namemodel.given_score(value[1:])
    return given is not None and given >= 0.5


def _roles(text: str, out: list) -> None:
    """Names after role words: with a colon as before, and now also with blanks or nothing."""
    for start, end in anchors.leftmost_longest(text, "role", _role_condition):
        nxt = text[end]
        word = text[start:end]
        if nxt in "（(" and word in _PARTY_ROLES:
            # "上诉人（原审原告）：先开梅，女": the party's standing in brackets, then the label
            note = _PARTY_NOTE.match(text, end)
            if note is not None:
                end = note.end()
                nxt = text[end] if end < len(text) else ""
        if nxt not in _AFTER_ROLE and nxt not in SINGLE_SURNAMES:
            if text[end : end + 2] not in COMPOUND_SURNAMES:
                continue  # most role words are followed by a verb or a particle: no name
        veto = _ROLE_LEFT_VETO.get(word)
        if veto and start and text[start - 1] in veto:
            continue
        if end < len(text) and text[end] in _ROLE_RIGHT_VETO:
            continue
        tail = _LABEL_TAIL.match(text, end)
        if word in _BYLINE_ROLES and (tail is None or tail.group().isspace()):
            tail = _SLASH_TAIL.match(text, end) or tail  # "摄像 / 郑镇 吴圣锦"
        colon = tail is not None and not tail.group().isspace()
        if tail is not None and (
            word in _STRONG_LABELS or colon and (word in _BYLINE_ROLES or word in _PARTY_ROLES)
        ):
            found = _name_at(text, tail.end(), running_text=True, strict=not colon)
            if found is None:
                if colon:
                    _rare_surname_token(text, tail.end(), out)
                if word in _BYLINE_ROLES:
                    _glued_byline(text, tail.end(), out)  # "通讯员:石晓坤杨凯"
                continue
            name_start, name_end, token_end = found
            whole = name_end == token_end
            out.append((name_start, name_end, LABEL_CONFIDENCE if whole else SPLIT_CONFIDENCE))
            # "申请人：张三、李四" — an enumeration continues as a list.
            if whole and token_end < len(text) and text[token_end] == "、":
                _list_from(text, token_end + 1, out, LABEL_CONFIDENCE)
            elif word in _BYLINE_ROLES:
                _byline_from(text, name_end, out)
            continue
        if word in _BYLINE_ROLES:
            # "记者 王 涛 方由朝", "（记者张骜）", "通讯员王金龙毛丹黄卉"
            _glued_byline(text, tail.end() if tail is not None else end, out)
            continue
        if tail is not None:
            # "记者 张三"; a title ("老人 单亲家庭") stays a weak context
            found = _weak_name(
                text, tail.end(), WEAK if word in _TITLE_SET and not colon else MEDIUM
            )
        else:
            pos = end + 1 if end < len(text) and text[end] in "为是" else end
            found = _weak_name(text, pos, WEAK)  # "申请人史超，", "户主邱兰的银行卡"
        if found is not None and word in _WHOLE_TOKEN_ROLES and found[1] < len(text):
            if _is_han(text[found[1]]):
                continue  # "来源：石家嘴居委会", "来源：楚天都市报"
        if found is not None:
            out.append(found)


def _glued_byline(text: str, pos: int, out: list) -> None:
    """A byline's names from `pos`, whole tokens or glued together."""
    found = _token_at(text, pos) or _weak_name(text, pos, MEDIUM, glued=True)
    if found is not None:
        out.append(found)
        _byline_from(text, found[1], out)


def _token_at(text: str, pos: int) -> tuple[int, int, float] | None:
    """A whole token at `pos` that reads as a name ("王 涛", "黄锋"), or None."""
    m = _TOKEN.match(text, pos)
    if m is None or m.end() - m.start() > 5:
        return None
    if m.end() < len(text) and text[m.end()] not in _TOKEN_END:
        return None
    score = _token_name(m.group(), MEDIUM)
    return (m.start(), m.end(), score) if score else None


def _byline_from(text: str, pos: int, out: list) -> None:
    """More names after a byline's first: "责编: 李伟 胡明兵 张波", "通讯员周双萍 黄锋 杨勤）",
    "通讯员王金龙毛丹黄卉"."""
    for _ in range(8):
        if pos >= len(text):
            return
        if text[pos] in " \u3000":
            while pos < len(text) and text[pos] in " \u3000":
                pos += 1
            found = _token_at(text, pos)
        elif _is_han(text[pos]):
            found = _weak_name(text, pos, MEDIUM, glued=True)
        else:
            return
        if found is None:
            return
        out.append(found)
        pos = found[1]


def _name_before(text: str, end: int, level: int, out: list) -> None:
    """The name whose last character is at end - 1 ("任秀" in "任秀（公民身份号码…"), if any."""
    tail = _HAN_TAIL.search(text, max(0, end - 8), end)
    start = tail.start() if tail is not None else end
    if end - start < 2:
        spaced = _SPACED_TAIL.search(text, max(0, end - 5), end) if end - start == 1 else None
        if spaced is not None:  # "马  兰（女）": a two-character name padded with blanks
            confidence = _token_name(spaced.group(), level)
            if confidence:
                out.append((spaced.start(), end, confidence))
        return
    whole = start == 0 or not _is_han(text[start - 1])
    found = _name_ending_run(text[start:end], whole, level)
    if found is not None:
        out.append((end - found[0], end, found[1]))


@lru_cache(maxsize=_SCORE_CACHE)
def _name_ending_run(run: str, whole: bool, level: int) -> tuple[int, float] | None:
    """(length, confidence) of the name that ends the Han run `run` (at most 8 characters;
    `whole`: nothing Han before it), or None."""
    if len(run) <= 4 and whole:
        confidence = name_confidence(run, level)
        if confidence:
            return len(run), confidence
    # A longer run: the name is its tail after a word that ends before names ("同意", "、").
    for k in (2, 3, 4):
        if k >= len(run):
            return None
        head = run[-k:]
        if head[0] not in SINGLE_SURNAMES and head[:2] not in COMPOUND_SURNAMES:
            continue  # no surname: no name (name_confidence would say 0)
        if _boundary_before(run, k):
            confidence = name_confidence(run[-k:], level)
            if confidence:
                return k, confidence
    return None


def _skip_separators_back(text: str, pos: int, limit: int = 3) -> int:
    start = pos
    while start > 0 and pos - start < limit and text[start - 1] in _SEPARATORS:
        start -= 1
    return start


def _whole_run_before(text: str, end: int) -> bool:
    """Whether the Han run ending at `end` is 2–4 characters long and starts after a non-Han."""
    start = end
    while start > 0 and end - start <= 4 and _is_han(text[start - 1]):
        start -= 1
    return 2 <= end - start <= 4 and (start == 0 or not _is_han(text[start - 1]))


def _evidence_at(text: str, word: str, start: int, end: int, out: list) -> None:
    """A name followed by its gender, age, birth, ethnicity, ID, appointment or contact (the
    word at [start, end)); after an age or a birth, also the name that follows ("今年80岁的
    王兆华")."""
    kind = _EVIDENCE_KIND[word]
    if kind in ("gender", "ethnic"):
        if end < len(text) and text[end] not in _END_OF_ITEM:
            return  # "男女", "汉族人口"
    elif kind == "age":
        age = _AGE_BEFORE.search(text, max(0, start - 4), start)
        if age is None:
            return
        if text[end : end + 1] == "的":
            _after_age_at(text, end + 1, out)
        start = age.start()
        if text[start - 2 : start] in ("今年", "年仅", "现年", "年满"):
            start -= 2  # "孙群今年47岁"
    elif kind == "birth":
        if end < len(text) and text[end] in "产活态效命物":
            return  # "出生产", "年生活"
        birth = _BIRTH_BEFORE.search(text, max(0, start - 14), end - 1)
        if birth is None:
            return
        if text[end : end + 1] == "的":
            _after_age_at(text, end + 1, out)
        start = birth.start()
    pos = _skip_separators_back(text, start)
    if pos == start and kind in _NEEDS_SEPARATOR:
        if kind != "age" or not _whole_run_before(text, pos):
            return  # "子女，" is no gender; "胡祥雨42岁" (a whole run) is an age
    if pos and _is_han(text[pos - 1]):
        _name_before(text, pos, _LEVEL_OF[kind], out)


def _before_numbers(text: str, anchors: Iterable[int], out: list) -> None:
    """The name right before a number the detector found: "张三 330902…", "李四，手机：139…"."""
    for anchor in anchors:
        pos = _skip_separators_back(text, anchor, limit=4)
        label = _NUMBER_LABEL_BEFORE.search(text, max(0, pos - 10), pos)
        if label is not None:
            pos = _skip_separators_back(text, label.start())
        if pos and _is_han(text[pos - 1]):
            _name_before(text, pos, MEDIUM, out)


def _boundary_before(run: str, k: int) -> bool:
    """Whether a name of k characters may start k characters before the end of `run`."""
    if k == len(run):
        return True
    head = run[:-k]
    if head[-1] in _LEFT_STOPS or head[-1] in ORG_LAST_CHARS or head.endswith(ROLE_WORDS):
        return True
    if head.endswith(TITLE_WORDS):
        return True
    words = namemodel.lexicon()
    return head[-2:] in words or head[-3:] in words


# (a two-character name padded to the width of three: one blank, two, or three: "刘  琼")
_TOKEN = re.compile(
    f"[{_HAN}][ \u3000]{{1,3}}[{_HAN}](?=[ \u3000\t\n、，,；;。（()）]|\\Z)|[{_HAN}·]+"
)


@lru_cache(maxsize=_SCORE_CACHE)
def _token_name(token: str, level: int) -> float:
    """Confidence that a whole token (a cell of a line of names) is a name: "王永志",
    "田 华" (a two-character name spaced to the width of three), "巴依卡·凯力迪别克"."""
    if _MINORITY_NAME.fullmatch(token):
        return LIST_CONFIDENCE
    if len(token) >= 3 and not token[1:-1].strip(" \u3000"):
        if token[0] not in SINGLE_SURNAMES:
            return 0.0
        return name_confidence(token[0] + token[-1], level)
    return name_confidence(token, level)


_AFTER_AGE = re.compile(r"(?:19|20)[0-9]{2}年[0-9]{1,2}月的\Z")


def _after_age_at(text: str, pos: int, out: list) -> None:
    """A name after its age or birth: "今年80岁的王兆华", "出生于1970年7月的刘小涛"."""
    found = _weak_name(text, pos, MEDIUM)
    if found is not None:
        out.append(found)
