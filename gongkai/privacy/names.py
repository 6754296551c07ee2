"""Chinese personal names in context, with or without a colon after the label.

Plain Python (no Django). A name is a common surname (single or compound) followed by one to
three given-name characters, two to four characters in all. Contexts, strongest first:

- a label and a colon ("申请人：张三"), a table column headed 姓名/户主/申请人 … (cells separated
  by TAB, one row per line, as the document extractors write tables), a list head ("名单：",
  "共3人：");
- what follows a name: its gender ("，男"), age, birth, ethnicity, an ID number or a phone (the
  numbers the detector found are passed in as anchors), "拟任";
- a role word without punctuation ("申请人史超", "户主邱兰的银行卡"), where the candidate must
  also read as a name to the statistics of `gongkai.privacy.namemodel` (given-name characters,
  jieba's dictionary): "申请人应当", "当事人对", "户主要求" are not names.

Names the system already knows (an applicant, staff) are found verbatim by `KnownNames`.
"""

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from operator import methodcaller

from gongkai.privacy import minority_names, namemodel, prose_names

# Common single-character surnames (written for this project, roughly by frequency).
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
    "兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻"
    "祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿"
    "桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠"
    "惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉"
    "禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修"
    "邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴"
    "昝智幸奉植衡富尧闭由"
) | (namemodel.MORE_SURNAMES | namemodel.MORE_WEAK_SURNAMES)  # rarer ones, see namemodel
# Compound surnames (复姓).
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "闻人", "澹台", "申屠", "太叔",
        "端木", "南宫", "西门", "万俟", "独孤", "呼延", "赫连", "拓跋", "司空", "百里",
        "东郭", "公羊", "淳于", "单于", "濮阳", "左丘", "公冶", "梁丘", "闾丘", "谷梁",
        "段干", "宰父", "巫马", "仲孙", "羊舌", "南门", "东门", "乐正", "壤驷", "公良",
    }
)  # fmt: skip

# Labels after which a personal name is expected ("申请人：张三", "姓名 李四").
NAME_LABELS = (
    "法定代表人", "受送达人", "被申请人", "被处罚人", "被举报人", "被投诉人", "被执行人",
    "申请人", "联系人", "当事人", "负责人", "经办人", "委托人", "受托人", "收件人", "代理人",
    "举报人", "投诉人", "监护人", "收款人", "领款人", "持卡人", "开户人", "开户名", "账户名",
    "申报人", "户主", "户名", "姓名",
)  # fmt: skip
# Headings that introduce a list of names ("拟录用人员名单：张三、李四").
LIST_HEADS = ("名单", "名册")
LIST_LABELS = ("人员", "候选人", "获奖者", "获奖人", "当选人")

# Organisations end with these; "联系人：办公室" or "申请人：某某公司" are not names.
ORG_SUFFIXES = (
    "公司", "委员会", "办公室", "中心", "政府", "学校", "医院", "银行", "集团", "合作社",
    "协会", "学会", "事务所", "街道", "大学", "中学", "小学", "幼儿园", "研究院", "研究所",
    "管委会", "派出所", "卫生院", "社区", "工作室", "经营部", "门市部", "商店", "超市",
    "酒店", "饭店", "宾馆", "农场", "林场", "单位", "机关", "部门", "支队", "大队", "中队",
    "法院", "检察院", "基金会", "商行", "商会", "车间", "项目部", "指挥部", "服务站",
)  # fmt: skip
ORG_LAST_CHARS = frozenset("局委办院所站队部处科室馆校厂司村镇乡县区市省组社会店厅署庭团府路街巷")
# Titles and forms of address: "负责人：王局长" names nobody.
TITLE_SUFFIXES = (
    "局长", "主任", "科长", "处长", "书记", "镇长", "乡长", "县长", "区长", "市长", "部长",
    "厅长", "经理", "董事长", "总经理", "老师", "同志", "先生", "女士", "小姐", "师傅",
    "村长", "队长", "站长", "所长", "院长", "校长", "组长", "主席", "委员", "秘书", "专员",
    "会计", "律师", "医生", "警官", "某", "某某",
)  # fmt: skip
# Characters that do not occur in given names but do in the words that follow labels.
NON_NAME_CHARS = frozenset("的了是公司局办委室厂店县省镇乡街单位无略详附件或某见")
STOPWORDS = frozenset(
    {
        "本人", "同上", "见下", "暂无", "不详", "待定", "其他", "其它", "全体", "双方", "甲方",
        "乙方", "丙方", "个人", "法人", "公民", "自然人", "申请人", "联系人", "负责人", "经办人",
        "当事人", "委托人", "代理人", "姓名", "如下", "以下", "上述", "相关", "有关", "各位",
        "签字", "签名", "盖章", "日期", "时间", "地址", "电话", "性别", "民族", "籍贯",
        "信息", "平台", "金额", "万元", "明细", "原因", "来源", "全部", "计划", "安全", "国家",
        "常住", "高度", "于是", "文件", "文字", "单位", "党员", "群众", "干部", "职工", "居民",
        "党总支", "党支部", "党工委", "党委", "党组", "合计", "小计", "总计", "共计", "备注", "户数", "人数", "序号", "编号", "名称", "年龄",
        "住址", "身份证", "身份证号", "联系电话", "手机", "户主", "成员",
    }
)  # fmt: skip

# After a name inside running text: "申请人：张三于2026年…", "联系人：李四先生".
_FOLLOW_WORDS = (
    "同志", "先生", "女士", "提出", "申请", "反映", "身份证", "联系", "电话", "手机", "住址",
    "户籍", "性别", "汉族", "出生", "年龄", "现住", "家住", "住所", "居住", "委托", "签字",
)  # fmt: skip
_FOLLOW_STRONG = frozenset("于因等的已称系向对诉在")
_FOLLOW_VERBS = frozenset("从所被是接到带陪率赴兼各今也")
_FOLLOW_WEAK = frozenset("为和与及将自现男女之")
_MASK_CHARS = frozenset("*＊×xX○●■□")

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
HAN_RUN = re.compile(f"[{_HAN}]+")
_LABEL_RE = re.compile("|".join(NAME_LABELS))
_LABEL_TAIL = re.compile(r"(?:姓名)?(?:[ \t\u3000]*[：:|｜][ \t\u3000]*|[ \t\u3000]+)")
_LIST_RE = re.compile("|".join(LIST_HEADS + LIST_LABELS))
_LIST_HEAD_TAIL = re.compile(
    r"(?:如下|公示如下|公布如下)?(?:[ \t\u3000]*[：:][ \t\u3000\r\n]*|[ \t\u3000]*\r?\n[ \t\u3000\r\n]*)"
)
_LIST_LABEL_TAIL = re.compile(r"[ \t\u3000]*[：:][ \t\u3000]*")
# Between two names of a list: 、，, or blanks, after an optional "（男）" and before "2."-style numbering.
_LIST_SEP = re.compile(
    r"(?:[（(][^（()）\n]{0,30}[）)])?"
    r"(?:[ \t\u3000]*[、，,][ \t\u3000\r\n]*|[ \t\u3000\r\n]+)"
    r"(?:[0-9]{1,3}[.．、)）][ \t\u3000]*)?"
)

# Characters that end the word before a name: "同意张三同志", "向李四同志", "、王五同志".
_LEFT_STOPS = frozenset("意命去荐予给对向和与及由经请派的是为将把被让叫称免任授、，了受")
_ROW_START = re.compile(r"[ \t\u3000]*(?:[（(]?[0-9]{1,3}[ \t\u3000.．、)）]+[ \t\u3000]*)?")

LABEL_CONFIDENCE = 0.85
LIST_CONFIDENCE = 0.8
SPLIT_CONFIDENCE = 0.7
SALUTATION_CONFIDENCE = 0.75
HONORIFIC_CONFIDENCE = 0.7


# Scoring depends on the candidate string alone, and the same few thousand strings come back
# in every text (names, and the words next to role words and titles): a cache spares most of
# the dictionary and character-table lookups.
_SCORE_CACHE = 1 << 16


def surname_length(name: str) -> int:
    """1 or 2: the length of the surname that `name` starts with (0 if none is known)."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if name[:1] in SINGLE_SURNAMES else 0


def plausible_name(name: str) -> bool:
    """Whether `name` (2–4 Han characters) reads as a personal name."""
    return _plausible_surname(name) > 0


def _plausible_surname(name: str) -> int:
    """The length of the surname of `name` if it reads as a personal name, else 0."""
    size = len(name)
    if not 2 <= size <= 4 or name in STOPWORDS:
        return 0
    if size >= 3 and name[:2] in COMPOUND_SURNAMES:
        surname = 2
    elif name[0] in SINGLE_SURNAMES:
        surname = 1
    else:
        return 0
    if size - surname > 2:
        return 0
    last = name[-1]
    if last in ORG_LAST_CHARS:
        return 0
    if last in _SUFFIX_LAST and (name.endswith(ORG_SUFFIXES) or name.endswith(TITLE_SUFFIXES)):
        return 0
    return surname if NON_NAME_CHARS.isdisjoint(name[surname:]) else 0


# Last characters of the suffixes above: most names end in none of them (a quick test first).
_SUFFIX_LAST = frozenset(w[-1] for w in ORG_SUFFIXES + TITLE_SUFFIXES)


_ORG_SUFFIX_LAST = frozenset(w[-1] for w in ORG_SUFFIXES)
# How much of a run `_name_in_run_head` reads: a name (up to 4 characters) and the longest
# word looked for after it (3), and one more so that a longer run stays longer than 7.
_RUN_HEAD = 8


def _name_in_run(run: str, running_text: bool) -> int:
    """How many leading characters of a Han run are a name (0 if none).

    A run that is itself 2–4 characters is taken whole unless it ends in a word that usually
    follows a name ("王五于"); in running text (after a label) a longer run is split where such
    a word begins ("张三于二〇二六年", "李四先生").
    """
    if len(run) > 4:
        last = run[-1]
        if last in ORG_LAST_CHARS or (last in _ORG_SUFFIX_LAST and run.endswith(ORG_SUFFIXES)):
            return 0  # "法定代表人：普陀区自然资源和规划分局"
    # The rest depends on the head of the run alone: a short cache key, and long runs that
    # start alike share it (keyed on whole runs, the cache of 4096 was refilled every pass).
    return _name_in_run_head(run[:_RUN_HEAD], running_text)


@lru_cache(maxsize=_SCORE_CACHE)
def _name_in_run_head(run: str, running_text: bool) -> int:
    """`_name_in_run` after its test of the run's end, on the run cut to `_RUN_HEAD`."""
    shortest = 3 if len(run) >= 3 and run[:2] in COMPOUND_SURNAMES else 2
    for k in range(shortest, min(4, len(run)) + 1):
        rest = run[k:]
        if not rest:
            return k if plausible_name(run) else 0
        if not running_text and k < len(run) and not rest.startswith(("同志", "先生", "女士")):
            continue
        if (
            rest.startswith(_FOLLOW_WORDS)
            or rest[0] in _FOLLOW_STRONG
            or (len(run) > 4 and rest[0] in _FOLLOW_WEAK)
        ) and plausible_name(run[:k]):
            return k
    return 0


def _name_at(
    text: str, pos: int, *, running_text: bool, strict: bool = False
) -> tuple[int, int, int] | None:
    """(start, end, end of the token) of a name starting exactly at `pos`, or None."""
    m = HAN_RUN.match(text, pos)
    if m is None:
        return None
    after = text[m.end()] if m.end() < len(text) else ""
    if after and after in _MASK_CHARS:
        return None  # already masked ("张*明") or a placeholder ("张××")
    if not running_text and after and after in "：:":
        return None  # a heading such as "公示时间：", not a list item
    k = _name_in_run(m.group(), running_text)  # positional: a cheaper cache key
    if not k or namemodel.is_common_word(text[pos : pos + k], strict=strict):
        return None  # "当事人：陈述…" or, after a weaker head, "如下：\n关于…"
    return pos, pos + k, m.end()


def _list_from(text: str, pos: int, out: list, confidence: float, *, strict: bool = False) -> None:
    """Names from `pos` on: separated by 、，, or blanks on a line, or one at the head of each row.

    "张三、李四、王五" and "1. 张三 男 1990年\n2. 李四 女 1992年" both give every name. The list
    ends at a row that does not start with a name, at a blank line, or at the end of the text.
    """
    row_start = True
    while pos < len(text):
        found = _name_at(text, pos, running_text=False, strict=strict)
        if found is None:
            if row_start:
                return
            after = pos
        else:
            start, end, after = found
            out.append((start, end, confidence))
            sep = _LIST_SEP.match(text, after)
            if sep is not None and sep.end() > after and "\n" not in sep.group():
                pos, row_start = sep.end(), False
                continue
        newline = text.find("\n", after)
        if newline < 0:
            return
        row = _ROW_START.match(text, newline + 1)
        pos, row_start = row.end(), True
        if pos >= len(text) or text[pos] in "\r\n":
            return  # a blank line ends the list


def _salutation_at(text: str, colon: int, out: list) -> None:
    """A name alone on a line before a colon that ends the line ("张三：", "尊敬的李四女士："),
    as reply letters (答复书) open."""
    line_start = text.rfind("\n", 0, colon) + 1
    line = text[line_start:colon]
    stripped = line.strip(" \t\u3000")
    offset = line_start + line.index(stripped) if stripped else line_start
    if stripped.startswith("尊敬的"):
        stripped, offset = stripped[3:], offset + 3
    for honorific in ("同志", "先生", "女士"):
        if stripped.endswith(honorific) and len(stripped) > len(honorific) + 1:
            stripped = stripped[: -len(honorific)]
            break
    if plausible_name(stripped) and HAN_RUN.fullmatch(stripped):
        out.append((offset, offset + len(stripped), SALUTATION_CONFIDENCE))


def _trie_branches(words: Iterable[str]) -> list[str]:
    """The top-level alternatives of a trie of literal words, one per first character."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    if "" in trie:
        return [build(trie)]  # an empty word: one optional group
    return [re.escape(c) + build(child) for c, child in sorted(trie.items()) if c]


def _trie_pattern(words: Iterable[str]) -> str:
    """One regular expression for many literal words, as a trie (fast on long lists)."""
    branches = _trie_branches(words)
    if not branches:
        return ""
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


# Characters of Chinese administrative text, most frequent first. The regex engine tries the
# alternatives of a big alternation one after the other at every character that starts one:
# those whose first character is frequent in text go first, so that a frequent character that
# starts no match ("市", "区", "年") is refused after a few tests instead of a hundred.
_FREQUENT_CHARS = (
    "人的区公市日年政号工会一村有为中民委作行在员镇月名了发和开长到定大生关报法办局信记任通"
    "件上时请理部于电地本单出普府书事期路议进主经实社是现个务下家收证金各党位方申用选代对教"
    "道表新不者元以省业成建话要将示江查陀当山国系县组副联来自息提项全机学农码编间文布份如告"
    "海后安东处据展决张同身面保共动服推门合子前体群分限资乡调等情活目高我之北见场心过施起天"
    "舟规可其条次内户邮交某管第明老街及设志额常况补复力他队性小网度标营化向意效干解源王监依"
    "知程评案重众贴义统问式无好里织商手入所十司相此督南"
)
_CHAR_RANK = {c: i for i, c in enumerate(_FREQUENT_CHARS)}


def _by_frequency(branches: list[str]) -> list[str]:
    """Alternatives that start with different characters, frequent first characters first (a
    stable sort: alternatives with the same first character keep their order, and the regex
    reports the same matches)."""
    return sorted(branches, key=lambda b: _CHAR_RANK.get(b[:1], len(_CHAR_RANK)))


class _Alternation:
    """`finditer` of the regex "branch|branch|…", run as a few smaller regexes.

    Where a character starts a branch, the regex engine tries the branches one after the other
    (a few nanoseconds each, even when the rest of the branch fails at once): with 160 branches
    and one character in five of news text starting one, that is most of a scan. Grouped by
    how frequent their first character is, each regex skips ahead to its own characters and
    tries a few branches there (a quarter less time on the dev set).

    The matches are those of the single regex: every branch starts with a literal character
    and the branches of one character stay together and in order, so at a position at most
    one group matches, and with the same match. The groups' matches are merged as the single
    regex scans: the leftmost next match of any group is taken, and a group whose next match
    starts inside it is searched again from its end.
    """

    def __init__(self, branches: Iterable[str], sizes: tuple[int, ...] = (16, 32, 64)):
        ordered = _by_frequency(list(branches))
        self.pattern = "|".join(ordered)  # the single regex it stands for (tests compare)
        groups: list[list[str]] = [[]]
        for branch in ordered:
            group = groups[-1]
            full = len(groups) <= len(sizes) and len(group) >= sizes[len(groups) - 1]
            if full and group[-1][:1] != branch[:1]:
                groups.append(group := [])
            group.append(branch)
        self._parts = [re.compile("|".join(group)) for group in groups]

    def finditer(self, text: str) -> Iterable[re.Match]:
        # The single regex's leftmost-first scan, merged from the groups: the next match of
        # each group from the current position, the leftmost one taken, and a group searched
        # again only when its next match starts inside the one taken (no sort, no second pass).
        pending = [m for part in self._parts if (m := part.search(text)) is not None]
        if len(pending) <= 1:
            if not pending:
                return ()
            # one group has a match: its finditer is the single regex's (no other group
            # matches anywhere)
            first = pending[0]
            return chain((first,), first.re.finditer(text, first.end()))
        out = []
        while pending:
            m = min(pending, key=_START)
            out.append(m)
            end = m.end()  # every branch is a literal word or more: never empty
            following = []
            for p in pending:
                if p.start() < end:  # the match taken, or one inside it: search on
                    p = p.re.search(text, end)
                    if p is None:
                        continue
                following.append(p)
            pending = following
        return out


_START = methodcaller("start")


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
        "审稿", "审核", "校对", "执笔", "口述", "发布者",
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
)  # fmt: skip
# Verbs of speech after a name at the start of a clause ("郭云说，", "王金华介绍，").
_SPEECH = ("说", "表示", "介绍", "指出", "强调", "告诉", "认为", "坦言", "回忆", "笑着说")
_CLAUSE_START = frozenset("，,。；;：:！？!?“”\"'‘’（）()、 \t\u3000\n")
_STRONG_LABELS = frozenset(NAME_LABELS)
_ROLE_RE = re.compile(
    "(?:"
    + "|".join(_by_frequency(_trie_branches(ROLE_WORDS)))
    + ")(?=["
    + "".join(sorted(SINGLE_SURNAMES))
    + " \t\u3000：:|｜为是姓])"
)
# A role word inside a longer word: "客户主管", "物业主任", "摄影师", "记者站", "联系人员".
_ROLE_LEFT_VETO = {
    "户主": "客用住账门农散商租",
    "户名": "用账门",
    "业主": "物创农企就专",
    "作者": "工",
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
_AFTER_ROLE = frozenset(" \t\u3000：:|｜为是姓名")

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
    r"共[0-9一二三四五六七八九十百]{1,4}(?:人|名|户)[，,]?(?:分别是|分别为|名单如下|如下)?"
    r"|分别是|分别为|如下"
    r"(?=[ \t\u3000]*[：:\r\n])"
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
_HAN_TAIL = re.compile(f"[{_HAN}]+\\Z")


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@lru_cache(maxsize=_SCORE_CACHE)
def name_confidence(name: str, level: int) -> float:
    """Confidence that `name` is a personal name in a context of the given strength (0 if it
    is not one): surname, given-name characters, and jieba's dictionary."""
    surname = _plausible_surname(name)
    if not surname or name in _ROLE_SET:
        return 0.0
    given = namemodel.given_score(name[surname:])
    if given is None or namemodel.is_common_word(name, strict=level < STRONG):
        return 0.0
    if level == STRONG:
        confidence = LABEL_CONFIDENCE
    else:
        if name[0] in _WEAK_SURNAMES or name[:2] in _ROLE_SET or name[:2] in STOPWORDS:
            return 0.0  # "党和", "由教师", "居民小（组长）"
        if len(name) == 3 and namemodel.is_common_word(name[:2], strict=False):
            return 0.0  # "（提醒群众）严禁野外用火": a verb, not surname and given name
        if level == MEDIUM:
            confidence = 0.65 + 0.25 * given
        else:
            confidence = 0.5 + 0.3 * given
    if namemodel.is_person_word(name):
        confidence += 0.1
    return min(confidence, 0.95) if confidence >= THRESHOLD else 0.0


def _org_follows(rest: str) -> bool:
    """Whether the name candidate is the head of a place or an organisation ("金华市", "王家村"),
    not a name followed by 所作/所说 …"""
    return rest[:1] in ORG_LAST_CHARS and not (rest[:1] == "所" and rest[1:2] in "作做说述提")


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
    return rest[:2] in words or rest[:3] in words or rest[:4] in words


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
        confidence = name_confidence(run[:k], level)
        if confidence and (best is None or confidence > best[1] + 0.05):
            best = (k, confidence)
    return best


def _roles(text: str, out: list) -> None:
    """Names after role words: with a colon as before, and now also with blanks or nothing."""
    size = len(text)
    for label in _ROLE_RE.finditer(text):
        end = label.end()
        if end >= size:
            continue
        nxt = text[end]
        if nxt not in _AFTER_ROLE and nxt not in SINGLE_SURNAMES:
            if text[end : end + 2] not in COMPOUND_SURNAMES:
                continue  # most role words are followed by a verb or a particle: no name
        word, start = label.group(), label.start()
        veto = _ROLE_LEFT_VETO.get(word)
        if veto and start and text[start - 1] in veto:
            continue
        if end < len(text) and text[end] in _ROLE_RIGHT_VETO:
            continue
        tail = _LABEL_TAIL.match(text, end)
        colon = tail is not None and not tail.group().isspace()
        if tail is not None and (word in _STRONG_LABELS or colon and word in _BYLINE_ROLES):
            found = _name_at(text, tail.end(), running_text=True, strict=not colon)
            if found is None:
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
            pos = tail.end() if tail is not None else end
            found = _token_at(text, pos) or _weak_name(text, pos, MEDIUM, glued=True)
            if found is not None:
                out.append(found)
                _byline_from(text, found[1], out)
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


# A cheap test before the list passes: most texts hold none of these.
_LIST_WORDS = (*LIST_HEADS, *LIST_LABELS, "共", "分别", "如下")
_ANY_LIST_WORD = re.compile("|".join(_LIST_WORDS))  # one search instead of one per word


def _lists(text: str, out: list) -> None:
    """Lists after 名单/名册 and 人员：…, and after the weaker heads "共3人：", "分别是：",
    "如下：" (where common words are refused)."""
    starts = set()
    if _ANY_LIST_WORD.search(text) is None:
        return
    for m in _LIST_RE.finditer(text):
        tail = (_LIST_HEAD_TAIL if m.group() in LIST_HEADS else _LIST_LABEL_TAIL).match(
            text, m.end()
        )
        if tail is not None:
            pos = _ROW_START.match(text, tail.end()).end()
            starts.add(pos)
            _list_from(text, pos, out, LIST_CONFIDENCE)
    if "共" not in text and "分别" not in text and "如下" not in text:
        return
    for m in _COUNT_HEAD.finditer(text):
        tail = _LIST_HEAD_TAIL.match(text, m.end())
        if tail is not None:
            pos = _ROW_START.match(text, tail.end()).end()
            if pos not in starts:  # "名单公示如下：" was read above
                _list_from(text, pos, out, LIST_CONFIDENCE, strict=True)


def _cell_names(cell: str, offset: int, out: list) -> bool:
    """Names in one table cell (one or several: "张三、李四"); True if any was found."""
    found = False
    for piece in _CELL_PIECE.finditer(cell):
        value = piece.group()
        if any(c in _MASK_CHARS for c in value) or "某" in value:
            continue
        start = offset + piece.start()
        if _MINORITY_NAME.fullmatch(value):
            out.append((start, start + len(value), TABLE_CONFIDENCE))
            found = True
        elif HAN_RUN.fullmatch(value) and value not in STOPWORDS and value not in TABLE_HEADERS:
            if name_confidence(value, STRONG) and not namemodel.is_common_word(value, strict=True):
                out.append((start, start + len(value), TABLE_CONFIDENCE))
                found = True
    return found


def _header_key(cell: str) -> str:
    return _HEADER_NOISE.sub("", cell)


def _tables(text: str, out: list) -> None:
    """Names in table columns headed 姓名, 户主, 申请人 … (rows on lines, cells split by TAB)."""
    columns: list[int] | None = None
    line_start = 0
    for line in text.split("\n"):
        start, line_start = line_start, line_start + len(line) + 1
        if "\t" not in line:
            if line.strip():
                columns = None  # a paragraph ends the table
            continue
        cells = line.rstrip("\r").split("\t")
        offsets = [start]
        for cell in cells[:-1]:
            offsets.append(offsets[-1] + len(cell) + 1)
        if columns is not None:
            found = False
            for i in columns:
                if i < len(cells):
                    found |= _cell_names(cells[i], offsets[i], out)
            if found:
                continue
        header = [i for i, cell in enumerate(cells) if _header_key(cell) in TABLE_HEADERS]
        if not header:
            continue
        columns = header
        # A form laid out as a table: "姓名\t张三\t性别\t男".
        for i in header:
            if i + 1 < len(cells) and _header_key(cells[i + 1]) not in TABLE_HEADERS:
                _cell_names(cells[i + 1], offsets[i + 1], out)


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


def _before_title_at(text: str, end: int, title_end: int, out: list) -> None:
    """The name right before a title: "孔宪臣副厅长", "李海国主任", "白树兴代表：" (not "王局长")."""
    if text[title_end : title_end + 1] == "们":
        return  # "祝福老人们"
    if end and text[end - 1] == "副":
        end -= 1
    tail = _HAN_TAIL.search(text, max(0, end - 8), end)
    if tail is None:
        return
    found = _name_before_title(tail.group())
    if found is not None:
        out.append((end - found[0], end, found[1]))


@lru_cache(maxsize=_SCORE_CACHE)
def _name_before_title(run: str) -> tuple[int, float] | None:
    """(length, confidence) of the name that ends the Han run `run` (at most 8 characters)
    right before a title, or None."""
    for k in (3, 2):
        if k > len(run):
            continue
        name = run[-k:]
        if name[0] not in SINGLE_SURNAMES and name[:2] not in COMPOUND_SURNAMES:
            continue  # no surname: no name (name_confidence would say 0)
        if not _boundary_before(run, k):
            continue
        if k == 2 and (name[0] in _LEFT_STOPS or len(run) > 2 and run[-3] in SINGLE_SURNAMES):
            continue  # "向李局长", "对王主任"
        confidence = name_confidence(name, MEDIUM)
        if confidence:
            return k, confidence
    return None


def _after_title_at(text: str, end: int, out: list) -> None:
    """The name right after a title: "镇长王玉飞主持", "代县长的陈蕾妍"."""
    if end >= len(text):
        return
    nxt = text[end]
    if nxt in _ROLE_RIGHT_VETO:
        return  # "书记员", "委员会"
    if nxt not in _AFTER_ROLE and nxt not in SINGLE_SURNAMES and nxt != "的":
        return
    tail = _LABEL_TAIL.match(text, end)
    if tail is not None:
        colon = not tail.group().isspace()
        # "主任：王五" reads as a label; "老人 单亲家庭" is a list of words, not a name
        found = _weak_name(text, tail.end(), MEDIUM if colon else WEAK)
    else:
        found = _weak_name(text, end + 1 if nxt == "的" else end, MEDIUM)
    if found is not None:
        out.append(found)


def _speech_at(text: str, end: int, out: list) -> None:
    """A name at the start of a clause before a verb of speech: "郭云说，", "王金华介绍"."""
    for k in (3, 2):
        start = end - k
        if start < 0 or not (start == 0 or text[start - 1] in _CLAUSE_START):
            continue
        name = text[start:end]
        if HAN_RUN.fullmatch(name):
            confidence = name_confidence(name, MEDIUM)
            if confidence:
                out.append((start, end, confidence))
                return


def _honorific_at(text: str, end: int, out: list) -> None:
    """The name right before 同志, 先生 or 女士: "张三同志", "同意李四同志任…", "王五先生"."""
    if end and text[end - 1] == "等":
        end -= 1  # "授予肖颖等同志"
    tail = _HAN_TAIL.search(text, max(0, end - 5), end)
    start = tail.start() if tail is not None else end
    run = text[start:end]
    for k in (2, 3, 4):
        if k > len(run):
            break
        if (k == len(run) or run[-k - 1] in _LEFT_STOPS) and plausible_name(run[-k:]):
            if namemodel.given_score(run[-k + surname_length(run[-k:]) :]) is not None:
                out.append((end - k, end, HONORIFIC_CONFIDENCE))
            break


def _of_name_at(text: str, pos: int, out: list) -> None:
    """ "东阳的朱建军，兰溪的朱瑞俊": a whole item after 的, ended by punctuation, that reads
    well as a name (a weak context: the model must be confident)."""
    if pos >= len(text) or text[pos] not in SINGLE_SURNAMES:
        return
    token = HAN_RUN.match(text, pos)
    if token is None or not 2 <= token.end() - pos <= 3:
        return
    if token.end() < len(text) and text[token.end()] not in "，,、":
        return
    value = token.group()
    if namemodel.is_common_word(value, strict=True):
        return
    score = name_confidence(value, WEAK)
    if score:
        out.append((pos, token.end(), score))


def _looking_back(text: str, out: list) -> None:
    """One pass for every word a name stands next to: titles (before or after it), evidence
    (gender, age, ID …), verbs of speech, 同志/先生/女士, "等N人"."""
    for m in _BACK_RE.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        for kind in _BACK_KINDS[word]:
            if kind == "title_after":
                _before_title_at(text, start, end, out)
            elif kind == "title_before":
                _after_title_at(text, end, out)
            elif kind == "evidence":
                _evidence_at(text, word, start, end, out)
            elif kind == "speech":
                _speech_at(text, start, out)
            elif kind == "honorific":
                _honorific_at(text, start, out)
            elif kind == "others":
                if _AND_OTHERS.match(text, start) and start and _is_han(text[start - 1]):
                    _name_before(text, start, MEDIUM, out)
            elif kind == "intro":
                # "分别是陈琪林和李志锋": the enumeration goes on from the first name
                found = _weak_name(text, end, MEDIUM)
                if found is not None:
                    out.append(found)
            elif kind == "photo":
                # "现场关雪松摄" at the end of a caption
                if end >= len(text) or text[end] in "\r\n ）)":
                    if start and _is_han(text[start - 1]):
                        _name_before(text, start, MEDIUM, out)
            elif kind == "of":
                _of_name_at(text, end, out)
            elif kind == "month_of":
                if _AFTER_AGE.search(text, max(0, start - 12), end):
                    _after_age_at(text, end, out)


_ENUM_NEXT = re.compile(
    r"[ \t\u3000]*(?:[（(][^（()）\n]{0,12}[）)])?[ \t\u3000]*(?:、|和|与|及)[ \t\u3000]*"
)
_ENUM_PREV = re.compile(r"(?:、|和|与|及)[ \t\u3000]*\Z")
_ENUM_NEXT_FIRST = frozenset(" \t\u3000（(、和与及")
_ENUM_PREV_LAST = frozenset("、和与及 \t\u3000")


def _enumerations(text: str, found: list) -> list:
    """Names next to a found name in an enumeration: "官正平、李小红同志" gives 官正平 too,
    "王向党、黄志鹏、李晶晶（皮划赛艇）" all of them once one is known."""
    if not found:
        return []
    out: list = []
    seen = {(s, e) for s, e, _ in found}
    # One entry per span (its last, which is popped first): a span seen again would only
    # find again what it found the first time.
    last = {(s, e): i for i, (s, e, _) in enumerate(found)}
    queue = [found[i] for i in sorted(last.values())]
    size = len(text)
    while queue and len(out) < 200:
        start, end, _ = queue.pop()
        # the two regexes below can only match next to these characters (a quick test first)
        nxt = _ENUM_NEXT.match(text, end) if end < size and text[end] in _ENUM_NEXT_FIRST else None
        if nxt is not None:
            cand = _weak_name(text, nxt.end(), MEDIUM)
            if cand is not None and (cand[0], cand[1]) not in seen:
                seen.add((cand[0], cand[1]))
                out.append(cand)
                queue.append(cand)
        prev = None
        if start and text[start - 1] in _ENUM_PREV_LAST:
            prev = _ENUM_PREV.search(text, max(0, start - 4), start)
        if prev is not None:
            pos = prev.start()
            before: list = []
            if pos and _is_han(text[pos - 1]):
                _name_before(text, pos, MEDIUM, before)
            for cand in before:
                if (cand[0], cand[1]) not in seen:
                    seen.add((cand[0], cand[1]))
                    out.append(cand)
                    queue.append(cand)
    return out


_SPACED_NAME = re.compile(f"[{_HAN}][ \u3000][{_HAN}](?=[ \u3000\t\n、，,）)]|\\Z)")
_TOKEN = re.compile(f"[{_HAN}][ \u3000][{_HAN}](?=[ \u3000\t\n、，,）)]|\\Z)|[{_HAN}·]+")


@lru_cache(maxsize=_SCORE_CACHE)
def _token_name(token: str, level: int) -> float:
    """Confidence that a whole token (a cell of a line of names) is a name: "王永志",
    "田 华" (a two-character name spaced to the width of three), "巴依卡·凯力迪别克"."""
    if _MINORITY_NAME.fullmatch(token):
        return LIST_CONFIDENCE
    if len(token) == 3 and token[1] in " \u3000":
        if token[0] not in SINGLE_SURNAMES:
            return 0.0
        return name_confidence(token[0] + token[2], level)
    return name_confidence(token, level)


_SPACED = re.compile("[ \u3000]+")
_SIGNATURE = re.compile(f"[ \u3000]+([{_HAN}]{{2,3}})\\Z")
_ROW_NUMBER = re.compile(r"[0-9]{1,4}[.、．)）]?[ \u3000]+")
_GAPS_OK = re.compile(r"[ \u3000、，,]*")


def _name_lines(text: str, out: list) -> None:
    """Lines that are only names separated by blanks or 、 ("王永志 王振义 李振声 黄宗德",
    "庄珠凤 宋 睿 金秀芳 鞠 婷"), and a line that starts with a name and a blank then goes on
    ("梁剑斌 高安市蓝坊镇初级中学")."""
    lines = set()
    for m in _SPACED.finditer(text):  # only lines with a blank between two Han characters
        if m.start() and m.end() < len(text) and _is_han(text[m.end()]):
            before = text[m.start() - 1]
            if _is_han(before) or before.isdigit():
                lines.add(text.rfind("\n", 0, m.start()) + 1)
    for start in sorted(lines):
        end = text.find("\n", start)
        line = text[start : end if end >= 0 else len(text)]
        stripped = line.strip(" \t\u3000\r□■●○◆◇★☆—-－·•/")
        if not stripped or len(stripped) > 80 or "\t" in stripped:
            continue
        number = _ROW_NUMBER.match(stripped)
        if number is not None:  # "1 张三 女 330…": a table row read from a PDF
            offset_shift = number.end()
            stripped = stripped[offset_shift:]
            if not stripped:
                continue
        else:
            offset_shift = 0
        signature = _SIGNATURE.search(stripped)
        if signature is not None:  # "卧龙区见义勇为事业促进会  刘嘉辉": an office and a name
            head = stripped[: signature.start()]
            if head.endswith(ORG_SUFFIXES) or head[-1:] in ORG_LAST_CHARS:
                value = signature.group(1)
                score = name_confidence(value, MEDIUM)
                if score and not namemodel.is_common_word(value, strict=True):
                    pos = start + line.index(stripped) + signature.start(1)
                    out.append((pos, pos + len(value), score))
        if stripped[0] not in SINGLE_SURNAMES and not _MINORITY_NAME.match(stripped):
            continue  # a line of names starts with one
        offset = start + line.index(stripped)
        tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(stripped)]
        if not tokens or tokens[0][0] != 0:
            continue
        joined_ok = _GAPS_OK.fullmatch(_gaps(stripped, tokens)) is not None
        if joined_ok and len(tokens) >= 2:
            scores = [_token_name(t, MEDIUM) for _, t in tokens]
            if sum(1 for x in scores if x) >= max(2, len(tokens) - 1):
                for (pos, token), score in zip(tokens, scores, strict=True):
                    if score:
                        out.append((offset + pos, offset + pos + len(token), score))
                continue
        first_pos, first = tokens[0]
        after = stripped[len(first) : len(first) + 1]
        if after in (" ", "\u3000") and (len(tokens) >= 2 or offset_shift):
            score = _token_name(first, MEDIUM)
            if score and not namemodel.is_common_word(first.replace(" ", ""), strict=True):
                out.append((offset, offset + len(first), score))


def _gaps(line: str, tokens: list) -> str:
    pieces = []
    pos = 0
    for start, token in tokens:
        pieces.append(line[pos:start])
        pos = start + len(token)
    pieces.append(line[pos:])
    return "".join(pieces)


_BYLINE = re.compile(r"[（(]([^（()）\n]{2,24})[）)][ \t\u3000]*(?=\n|\Z)")
_BYLINE_ROLE = re.compile("(?:记者|通讯员|实习生|作者|摄影|编辑|撰稿)[ \u3000]*")


def _trailing_bylines(text: str, out: list) -> None:
    """Authors in brackets at the end of a paragraph: "（张琦）", "(汪孝菲 郑万富)",
    "(金集镇人大 李子和)"."""
    for m in _BYLINE.finditer(text):
        inner_start = m.start(1)
        for token in _TOKEN.finditer(m.group(1)):
            value = _BYLINE_ROLE.sub("", token.group())
            shift = len(token.group()) - len(value)
            score = _token_name(value, MEDIUM) if value else 0.0
            if score:
                start = inner_start + token.start() + shift
                out.append((start, start + len(value), score))


_AFTER_AGE = re.compile(r"(?:19|20)[0-9]{2}年[0-9]{1,2}月的\Z")


def _after_age_at(text: str, pos: int, out: list) -> None:
    """A name after its age or birth: "今年80岁的王兆华", "出生于1970年7月的刘小涛"."""
    found = _weak_name(text, pos, MEDIUM)
    if found is not None:
        out.append(found)


_ANNOTATION = re.compile(r"[ \u3000]?[（(][^（()）\n]{1,12}[）)]")


def _enum_token(text: str, pos: int) -> tuple[int, int] | None:
    """(start, end) of a whole token at `pos` between two 、 ("王静", "田 华", "李晶晶（皮划赛艇）"
    gives the name part), or None."""
    while pos < len(text) and text[pos] in " \u3000":
        pos += 1
    m = _TOKEN.match(text, pos)
    if m is None or m.end() - m.start() > 5:
        return None
    end = m.end()
    ann = _ANNOTATION.match(text, end)
    after = ann.end() if ann else end
    while after < len(text) and text[after] in " \u3000":
        after += 1
    if after < len(text) and text[after] != "、":
        return None
    return m.start(), end


def _chains(text: str, out: list) -> None:
    """Enumerations joined by 、 where most items read as names ("林忠仔（射击）、李鸿泉（帆船）、
    王向党、黄志鹏", "官正平、李小红在东湖…"): the items between two 、 must be whole names; the
    first is the tail of the run before the first 、, the last the head of the run after the
    last one."""
    pos = text.find("、")
    while pos >= 0:
        after = pos + 1
        while after < len(text) and text[after] in " \u3000":
            after += 1
        if after >= len(text) or text[after] not in SINGLE_SURNAMES:
            pos = text.find("、", after)  # the item after it cannot be a name: no chain here
            continue
        # Collect a chain of 、 separated by whole short tokens.
        seps = [pos]
        inner: list[tuple[int, int]] = []
        last_done = False
        while True:
            token = _enum_token(text, seps[-1] + 1)
            if token is None:
                break
            inner.append(token)
            nxt = text.find("、", token[1])
            if nxt < 0:
                last_done = True  # the token ends the text
                break
            seps.append(nxt)
        found: list = []
        first_end = seps[0]
        ann = _ANNOTATION_BEFORE.search(text, max(0, first_end - 14), first_end)
        if ann is not None:
            first_end = ann.start()
        while first_end > 0 and text[first_end - 1] in " \u3000":
            first_end -= 1
        if first_end and _is_han(text[first_end - 1]):
            _name_before(text, first_end, MEDIUM, found)
        items = 1 + len(inner)
        for start, end in inner:
            score = _token_name(text[start:end], MEDIUM)
            if score:
                found.append((start, end, score))
        if not last_done:
            items += 1
            last = seps[-1] + 1
            while last < len(text) and text[last] in " \u3000":
                last += 1
            tail = _weak_name(text, last, MEDIUM)
            if tail is not None:
                found.append(tail)
        if len(found) >= 2 and len(found) * 2 >= items and not _place_list(text, seps, found):
            out.extend(found)
        pos = -1 if last_done else text.find("、", seps[-1] + 1)


# The end of a list of places, not of people: "苏州张家港、常熟、太仓等地", "…等县市".
_PLACE_TAIL = re.compile(
    f"[{_HAN}]{{1,6}}?等(?:[0-9一二三四五六七八九十多]+个)?(?:地|省|市|县|区|镇|乡|村|国家|城市)"
)


def _place_list(text: str, seps: list, found: list) -> bool:
    """Whether a 、 chain is a list of places: it ends in "等地" / "等县" …, or the dictionary
    tags one of its items as a place name."""
    if _PLACE_TAIL.match(text, seps[-1] + 1):
        return True
    words = namemodel.lexicon()
    return any(words.get(text[s:e], (0, ""))[1] == "ns" for s, e, _ in found)


_ANNOTATION_BEFORE = re.compile(r"[ \u3000]?[（(][^（()）\n]{1,12}[）)]\Z")
# "肖颖等16名同志", "许莹莹等172人", "王鹂等示范教师303名"
_AND_OTHERS = re.compile(
    f"等[{_HAN}]{{0,6}}?(?:[0-9一二三四五六七八九十百千]+|多|数)?(?:名|人|位)"
)  # "肖颖等16名同志", "王鹂等示范教师303名"


def _propagate(text: str, found: list) -> list:
    """Every other occurrence of a name found with good evidence: news name a person once
    with a title and then by name alone ("高君宇说")."""
    if not found:
        return []
    names = {text[s:e] for s, e, c in found if c >= PROPAGATE_CONFIDENCE and e - s >= 2}
    names = {n for n in names if _propagates(n)}
    if not names:
        return []
    if len(names) > 8:
        if len(text) * len(names) > _PROPAGATE_FIND_LIMIT:  # a long text: one regex pass
            matcher = _propagation_matcher(frozenset(names))
            return [(s, e, PROPAGATED_CONFIDENCE) for s, e, _ in matcher.find(text)]
        return _leftmost_longest(text, names)
    out = []
    for name in names:
        pos = text.find(name)
        while pos >= 0:
            end = pos + len(name)
            if end >= len(text) or text[end] not in _PLACE_AFTER:
                out.append((pos, end, PROPAGATED_CONFIDENCE))
            pos = text.find(name, end)
    return out


@lru_cache(maxsize=_SCORE_CACHE)
def _propagates(name: str) -> bool:
    """Whether a name found with good evidence is looked for elsewhere in its text: Han
    characters only, and (two of them) not a common word."""
    if HAN_RUN.fullmatch(name) is None:
        return False
    return len(name) >= 3 or not namemodel.is_common_word(name, strict=True)


@lru_cache(maxsize=16)
def _propagation_matcher(names: frozenset[str]) -> "KnownNames":
    """The regex of a long text's names, built once per set of names (building the trie and
    compiling it costs more than the search itself when the same text is scanned again)."""
    return KnownNames(names)


# Below this (characters × names) a search per name costs less than compiling a regex.
_PROPAGATE_FIND_LIMIT = 400_000


def _leftmost_longest(text: str, names: set[str]) -> list:
    """What `KnownNames(names).find` returns, without compiling a regex: from left to right,
    the longest name at each position, the search going on after its end."""
    starts = []
    for name in names:
        if not 2 <= len(name) <= 20 or name in STOPWORDS or "某" in name:
            continue  # KnownNames drops them
        pos = text.find(name)
        while pos >= 0:
            starts.append((pos, -len(name)))
            pos = text.find(name, pos + 1)
    starts.sort()
    out = []
    size = len(text)
    last = 0
    for pos, negative in starts:
        if pos < last:
            continue
        last = end = pos - negative
        if end >= size or text[end] not in _PLACE_AFTER:
            out.append((pos, end, PROPAGATED_CONFIDENCE))
    return out


# Labels of places end with these: "现居住地：", "地址：", "住所：", "办理地点：", "籍贯：".
_PLACE_LABEL_END = frozenset("地址所点处籍贯域区位")
_SURNAME_CLASS = "".join(sorted(SINGLE_SURNAMES))
# A colon followed by a surname or by the end of its line (the lookahead is tested in C, so
# the many colons followed by a date or a number cost nothing in Python).
_COLON = re.compile(f"[：:][ \\t\u3000]*(?=[{_SURNAME_CLASS}]|\\r?\\n|\\Z)")
_ITEM_END = frozenset("\r\n、，,；;。")


def _after_colons(text: str, out: list) -> None:
    """A whole item after any colon that reads as a name ("优秀外语教师奖”：柳建红\n"), and a
    line that is nothing but a name after a blank line (a signature: "民警手记\n\n李植\n")."""
    size = len(text)
    for m in _COLON.finditer(text):
        pos = m.end()
        if pos >= size or text[pos] == "\n" or text[pos : pos + 2] == "\r\n":
            _salutation_at(text, m.start(), out)  # "张三：" alone on its line
            continue
        if text[pos] not in SINGLE_SURNAMES or text[m.start() - 1 : m.start()] in _PLACE_LABEL_END:
            continue  # a date, a number or a word; or a place: "现居住地：白沙岛"
        token = _TOKEN.match(text, pos)
        if token is None or token.end() - pos > 4:
            continue
        if token.end() < len(text) and text[token.end()] not in _ITEM_END:
            continue
        value = token.group()
        if namemodel.is_common_word(value.replace(" ", ""), strict=True):
            continue
        score = _token_name(value, MEDIUM)
        if score:
            out.append((pos, token.end(), score))
    for m in _LONE_LINE.finditer(text):
        value = m.group(1)
        if not namemodel.is_common_word(value, strict=True):
            score = name_confidence(value, MEDIUM)
            if score:
                out.append((m.start(1), m.end(1), score))


_LONE_LINE = re.compile(f"\n[ \t\u3000]*\n[ \t\u3000]*([{_HAN}]{{2,3}})[ \t\u3000]*(?=\r?\n|\\Z)")


_BACK_KINDS: dict[str, list[str]] = {}
for _words, _kind in (
    (_TITLE_AFTER, "title_after"),
    (TITLE_WORDS, "title_before"),
    (tuple(_EVIDENCE_KIND), "evidence"),
    (_SPEECH, "speech"),
    (("同志", "先生", "女士"), "honorific"),
    (("等",), "others"),
    (("月的",), "month_of"),
    (("的",), "of"),
    (("另案处理",), "evidence"),
    (("分别是", "分别为", "他们是", "她们是", "包括"), "intro"),
    # appointments and awards: "任命秦远凤为…科员", "免去陶华的…职务", "授予王五…称号"
    (("任命", "免去", "聘任", "聘用", "授予", "表彰", "推荐", "选举"), "intro"),
    (("摄",), "photo"),
):
    for _word in _words:
        _BACK_KINDS.setdefault(_word, []).append(_kind)


# 的 and 男/女 are frequent: the regex reports them only where a surname follows 的 or where
# 男/女 ends an item, so that Python looks at few of them.
_BACK_RE = _Alternation(
    [
        # every branch starts with a literal character, so the regex engine skips ahead to the
        # characters that start one (a branch starting with a class or a group would make it
        # try every position: six times slower)
        *_trie_branches(w for w in _BACK_KINDS if w not in ("的", "男", "女")),
        f"的(?=[{''.join(sorted(SINGLE_SURNAMES))}])",
        *(f"{c}(?=[）)，,、。；;：: \t\u3000\r\n]|\\Z)" for c in "男女"),
    ]
)


def find_names(text: str, *, anchors: Iterable[int] = ()) -> list[tuple[int, int, float]]:
    """(start, end, confidence) of personal names: after labels and role words ("申请人：张三",
    "申请人史超，"), in lists and rosters ("名单：张三、李四", "共2人：…"), in table columns
    (姓名/户主 …), before their gender, age, ID or phone ("任秀（公民身份号码：…）"), before the
    numbers in `anchors` (start offsets of the IDs and phones found), in salutations ("张三：")
    and before 同志/先生/女士. May overlap; the caller settles overlaps."""
    out: list[tuple[int, int, float]] = []
    _roles(text, out)
    _lists(text, out)
    if "\t" in text:
        _tables(text, out)
    _looking_back(text, out)
    _after_colons(text, out)
    _before_numbers(text, anchors, out)
    if " " in text or "\u3000" in text:
        _name_lines(text, out)
    if ")\n" in text or "）\n" in text or text.rstrip(" \t\u3000\r\n").endswith((")", "）")):
        _trailing_bylines(text, out)
    if "、" in text:
        _chains(text, out)
    out += prose_names.find(text)  # officials and people named in running prose
    out += minority_names.find(text, out)  # no Han surname; "|" tables
    out += _propagate(text, out)
    more = _enumerations(text, out)  # "陈婕和曹明丽…" once 曹明丽 is known from elsewhere
    out += more
    out += _propagate(text, more)
    best: dict[tuple[int, int], float] = {}
    for start, end, confidence in out:  # one candidate per span, with its best evidence
        if confidence > best.get((start, end), 0.0):
            best[start, end] = confidence
    return [(start, end, confidence) for (start, end), confidence in best.items()]


# --- Names the system already knows -----------------------------------------------------------

# After a known name, these make it a place or an organisation: "张江路", "王平村".
_PLACE_AFTER = frozenset("路街巷村镇乡县区市省庄屯湾岛桥")


class KnownNames:
    """Full names the system knows (an application's applicant, staff, people in the
    agency's records), found verbatim anywhere in a text."""

    def __init__(self, names: Iterable[str]):
        kept = set()
        for name in names:
            name = (name or "").strip()
            if not 2 <= len(name) <= 20 or name in STOPWORDS or "某" in name:
                continue
            if any(c in _MASK_CHARS for c in name):
                continue  # already masked
            if all(_is_han(c) or c in "·•・" for c in name) and _is_han(name[0]):
                kept.add(name)
        self.names = frozenset(kept)
        pattern = "|".join(_by_frequency(_trie_branches(kept)))
        self._pattern = re.compile(pattern) if kept else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def find(self, text: str) -> list[tuple[int, int, float]]:
        if self._pattern is None:
            return []
        out = []
        for m in self._pattern.finditer(text):
            if m.end() < len(text) and text[m.end()] in _PLACE_AFTER:
                continue
            out.append((m.start(), m.end(), KNOWN_CONFIDENCE))
        return out
