"""Chinese personal names in context: after a label (申请人：…) or in a published list (名单：…).

Plain Python (no Django). A name is a common surname (single or compound) followed by one to
three given-name characters, two to four characters in all.
"""

import re

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
)
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
ORG_LAST_CHARS = frozenset("局委办院所站队部处科室馆校厂司村镇乡县区市省组社会店厅署庭团府")
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
    }
)  # fmt: skip

# After a name inside running text: "申请人：张三于2026年…", "联系人：李四先生".
_FOLLOW_WORDS = (
    "同志", "先生", "女士", "提出", "申请", "反映", "身份证", "联系", "电话", "手机", "住址",
    "户籍", "性别", "汉族", "出生", "年龄", "现住", "家住", "住所", "居住", "委托", "签字",
)  # fmt: skip
_FOLLOW_STRONG = frozenset("于因等的已称系向对诉在")
_FOLLOW_WEAK = frozenset("为和与及将自现男女之")
_MASK_CHARS = frozenset("*＊×xX○●■□")

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
HAN_RUN = re.compile(f"[{_HAN}]+")
_LABEL_RE = re.compile("|".join(NAME_LABELS))
_LABEL_TAIL = re.compile(r"(?:姓名)?(?:[ \t\u3000]*[：:][ \t\u3000]*|[ \t\u3000]+)")
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

_HONORIFIC = re.compile("同志|先生|女士")
# Characters that end the word before a name: "同意张三同志", "向李四同志", "、王五同志".
_LEFT_STOPS = frozenset("意命去荐予给对向和与及由经请派的是为将把被让叫称免任授、，")
_ROW_START = re.compile(r"[ \t\u3000]*(?:[（(]?[0-9]{1,3}[ \t\u3000.．、)）]+[ \t\u3000]*)?")
# Two patterns with a literal first character are searched faster than one with a class.
_SALUTATION_ENDS = (
    re.compile(r"：[ \t\u3000]*(?:\r?\n|\Z)"),
    re.compile(r":[ \t\u3000]*(?:\r?\n|\Z)"),
)

LABEL_CONFIDENCE = 0.85
LIST_CONFIDENCE = 0.8
SPLIT_CONFIDENCE = 0.7
SALUTATION_CONFIDENCE = 0.75
HONORIFIC_CONFIDENCE = 0.7


def surname_length(name: str) -> int:
    """1 or 2: the length of the surname that `name` starts with (0 if none is known)."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if name[:1] in SINGLE_SURNAMES else 0


def plausible_name(name: str) -> bool:
    """Whether `name` (2–4 Han characters) reads as a personal name."""
    if not 2 <= len(name) <= 4 or name in STOPWORDS:
        return False
    surname = surname_length(name)
    if not surname or len(name) - surname < 1 or len(name) - surname > 2:
        return False
    if name.endswith(ORG_SUFFIXES) or name[-1] in ORG_LAST_CHARS or name.endswith(TITLE_SUFFIXES):
        return False
    return not any(c in NON_NAME_CHARS for c in name[surname:])


def _name_in_run(run: str, *, running_text: bool) -> int:
    """How many leading characters of a Han run are a name (0 if none).

    A run that is itself 2–4 characters is taken whole unless it ends in a word that usually
    follows a name ("王五于"); in running text (after a label) a longer run is split where such
    a word begins ("张三于二〇二六年", "李四先生").
    """
    if len(run) > 4 and (run.endswith(ORG_SUFFIXES) or run[-1] in ORG_LAST_CHARS):
        return 0  # "法定代表人：普陀区自然资源和规划分局"
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


def _name_at(text: str, pos: int, *, running_text: bool) -> tuple[int, int, int] | None:
    """(start, end, end of the token) of a name starting exactly at `pos`, or None."""
    m = HAN_RUN.match(text, pos)
    if m is None:
        return None
    after = text[m.end()] if m.end() < len(text) else ""
    if after and after in _MASK_CHARS:
        return None  # already masked ("张*明") or a placeholder ("张××")
    if not running_text and after and after in "：:":
        return None  # a heading such as "公示时间：", not a list item
    k = _name_in_run(m.group(), running_text=running_text)
    if not k:
        return None
    return pos, pos + k, m.end()


def _list_from(text: str, pos: int, out: list, confidence: float) -> None:
    """Names from `pos` on: separated by 、，, or blanks on a line, or one at the head of each row.

    "张三、李四、王五" and "1. 张三 男 1990年\n2. 李四 女 1992年" both give every name. The list
    ends at a row that does not start with a name, at a blank line, or at the end of the text.
    """
    row_start = True
    while pos < len(text):
        found = _name_at(text, pos, running_text=False)
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


def _salutations(text: str, out: list) -> None:
    """A name alone on a line before a colon ("张三："), as reply letters (答复书) open."""
    for m in (m for rx in _SALUTATION_ENDS for m in rx.finditer(text)):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start : m.start()]
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


def _before_honorifics(text: str, out: list) -> None:
    """The name right before 同志, 先生 or 女士: "张三同志", "同意李四同志任…", "王五先生"."""
    for m in _HONORIFIC.finditer(text):
        end = m.start()
        start = end
        while start > 0 and end - start < 5 and HAN_RUN.match(text[start - 1]):
            start -= 1
        run = text[start:end]
        for k in (2, 3, 4):
            if k > len(run):
                break
            if (k == len(run) or run[-k - 1] in _LEFT_STOPS) and plausible_name(run[-k:]):
                out.append((end - k, end, HONORIFIC_CONFIDENCE))
                break


def find_names(text: str) -> list[tuple[int, int, float]]:
    """(start, end, confidence) of personal names: after labels ("申请人：张三"), in lists and
    rosters ("名单：张三、李四"), in salutations ("张三：" on its own line) and before
    同志/先生/女士. May overlap; the caller settles overlaps."""
    out: list[tuple[int, int, float]] = []
    for label in _LABEL_RE.finditer(text):
        m = _LABEL_TAIL.match(text, label.end())
        if m is None:
            continue
        found = _name_at(text, m.end(), running_text=True)
        if found is None:
            continue
        start, end, token_end = found
        whole = end == token_end
        out.append((start, end, LABEL_CONFIDENCE if whole else SPLIT_CONFIDENCE))
        # "申请人：张三、李四" — an enumeration continues as a list.
        if whole and token_end < len(text) and text[token_end] == "、":
            _list_from(text, token_end + 1, out, LABEL_CONFIDENCE)
    for m in _LIST_RE.finditer(text):
        tail = (_LIST_HEAD_TAIL if m.group() in LIST_HEADS else _LIST_LABEL_TAIL).match(
            text, m.end()
        )
        if tail is not None:
            _list_from(text, _ROW_START.match(text, tail.end()).end(), out, LIST_CONFIDENCE)
    _salutations(text, out)
    _before_honorifics(text, out)
    return out
