"""Names detector: the passes over lists, tables, titles, speech, honorifics and enumerations.
Plain Python; `gongkai.privacy.names.find_names` combines them."""

import re
from functools import lru_cache

from gongkai.privacy import anchors, namemodel
from gongkai.privacy.names_evidence import (
    _AFTER_AGE,
    _AFTER_ROLE,
    _CELL_PIECE,
    _CLAUSE_START,
    _COUNT_HEAD,
    _EVIDENCE_KIND,
    _HAN_TAIL,
    _HEADER_NOISE,
    _MINORITY_NAME,
    _ROLE_RIGHT_VETO,
    _SPEECH,
    _TITLE_AFTER,
    MEDIUM,
    STRONG,
    TABLE_CONFIDENCE,
    TABLE_HEADERS,
    TITLE_WORDS,
    WEAK,
    _after_age_at,
    _boundary_before,
    _evidence_at,
    _is_han,
    _name_before,
    _weak_name,
    name_confidence,
    reads_as_rare_surname_name,
)
from gongkai.privacy.names_lexicon import (
    _HAN,
    _LABEL_TAIL,
    _LEFT_STOPS,
    _LIST_HEAD_TAIL,
    _LIST_LABEL_TAIL,
    _MASK_CHARS,
    _ROW_START,
    _SCORE_CACHE,
    COMPOUND_SURNAMES,
    HAN_RUN,
    HONORIFIC_CONFIDENCE,
    LIST_CONFIDENCE,
    LIST_HEADS,
    LIST_LABELS,
    SINGLE_SURNAMES,
    STOPWORDS,
    _Alternation,
    _list_from,
    _trie_branches,
    plausible_name,
    run_before,
    surname_length,
)

# A cheap test before the list passes: most texts hold none of these.
_LIST_WORDS = (*LIST_HEADS, *LIST_LABELS, "共", "分别", "如下")
_ANY_LIST_WORD = re.compile("|".join(_LIST_WORDS))  # the plain form of the gate below
anchors.register("list", _LIST_WORDS)  # found with the other passes' words, in one scan
anchors.register("list-words", LIST_HEADS + LIST_LABELS)  # what _LIST_RE finds


def _lists(text: str, out: list) -> None:
    """Lists after 名单/名册 and 人员：…, and after the weaker heads "共3人：", "分别是：",
    "如下：" (where common words are refused)."""
    starts = set()
    if not anchors.occurrences(text, "list"):  # what `_ANY_LIST_WORD.search` tells
        return
    for start, end in anchors.leftmost_longest(text, "list-words"):  # _LIST_RE.finditer
        tail = (_LIST_HEAD_TAIL if text[start:end] in LIST_HEADS else _LIST_LABEL_TAIL).match(
            text, end
        )
        if tail is not None:
            pos = _ROW_START.match(text, tail.end()).end()
            starts.add(pos)
            _list_from(text, pos, out, LIST_CONFIDENCE)
    heads = []
    if "共" in text or "分别" in text or "如下" in text:
        heads = [m.end() for m in _COUNT_HEAD.finditer(text)]
    if "名：" in text or "名:" in text:
        heads += [
            m.start() + 1 for m in _COUNT_COLON.finditer(text) if _counted_before(text, m.start())
        ]
    for end in heads:
        tail = _LIST_HEAD_TAIL.match(text, end)
        if tail is not None:
            pos = _ROW_START.match(text, tail.end()).end()
            if pos not in starts:  # "名单公示如下：" was read above
                _list_from(text, pos, out, LIST_CONFIDENCE, strict=True)


# A count of people right before a colon: "优秀共产党员10名：马建国、于海洋…" (found from 名, a
# literal the regex engine jumps to, then the count read backwards).
_COUNT_COLON = re.compile(r"名[ \t\u3000]*[：:]")
_COUNT_DIGITS = frozenset("0123456789一二三四五六七八九十百")


def _counted_before(text: str, at: int) -> bool:
    """One to four digits or numerals right before `at` ("10名：", "十名：")."""
    return 1 <= run_before(text, at, _COUNT_DIGITS) <= 4


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


def table_columns(text: str, found: list) -> list:
    """Names in a table's column with no header that says so, where two cells of it or more
    are whole names found by other evidence and they are at least half its cells ("何茉莉\t心内科",
    "淦细红\t创伤外科"): the column is a column of names."""
    out: list = []
    whole = {(s, e) for s, e, c in found if c >= 0.65}
    if not whole:
        return out
    columns: dict[int, list[tuple[int, str]]] = {}
    line_start = 0
    for line in text.split("\n") + [""]:
        start, line_start = line_start, line_start + len(line) + 1
        if "\t" in line:
            offset = start
            for i, cell in enumerate(line.rstrip("\r").split("\t")):
                stripped = cell.strip(" \u3000")
                if stripped:
                    columns.setdefault(i, []).append((offset + cell.index(stripped), stripped))
                offset += len(cell) + 1
        elif line.strip() or not line:  # a paragraph, a blank line or the text's end: the table's
            for cells in columns.values():
                _column_of_names(cells, whole, out)
            columns = {}
    return out


def _column_of_names(cells: list[tuple[int, str]], whole: set, out: list) -> None:
    named = sum((at, at + len(cell)) in whole for at, cell in cells)
    if named < 2 or 2 * named < len(cells):
        return
    for at, cell in cells:
        if (at, at + len(cell)) in whole or _cell_names(cell, at, out):
            continue
        if 2 <= len(cell) <= 3 and HAN_RUN.fullmatch(cell) and reads_as_rare_surname_name(cell):
            out.append((at, at + len(cell), LIST_CONFIDENCE))  # 淦细红: a surname lists lack


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
        if k == 2 and (
            name[0] in _LEFT_STOPS
            or len(run) > 2
            and run[-3] in SINGLE_SURNAMES
            and run[-3] not in _LEFT_STOPS
            and _boundary_before(run, 3)
        ):
            # "向李局长", "对王主任" (but "原告向祝清法官": 向 is the preposition; and "感谢程艳
            # 医生": no name of three starts inside 感谢)
            continue
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
            head = namemodel.lexicon().get(run[-3:-1]) if k == 3 else None
            if head is not None and head[0] >= 300 and head[1] not in namemodel.PERSON_TAGS:
                break  # 顾客吴女士: a word, then a surname and the title (a masked form)
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
    for start, end in anchors.leftmost_longest(text, "back", _back_condition):
        word = text[start:end]
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
    size = len(text)
    # Only a name next to a separator or a bracket can start an enumeration, and the names
    # it finds are queued from those: with none, nothing is found (most texts, most names).
    for start, end, _ in found:
        if (end < size and text[end] in _ENUM_NEXT_FIRST) or (
            start and text[start - 1] in _ENUM_PREV_LAST
        ):
            break
    else:
        return []
    out: list = []
    seen = {(s, e) for s, e, _ in found}
    # One entry per span (its last, which is popped first): a span seen again would only
    # find again what it found the first time.
    last = {(s, e): i for i, (s, e, _) in enumerate(found)}
    queue = [found[i] for i in sorted(last.values())]
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


# "肖颖等16名同志", "许莹莹等172人", "王鹂等示范教师303名"
_AND_OTHERS = re.compile(
    f"等[{_HAN}]{{0,6}}?(?:[0-9一二三四五六七八九十百千]+|多|数)?(?:名|人|位)"
)  # "肖颖等16名同志", "王鹂等示范教师303名"


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
# 男/女 ends an item, so that Python looks at few of them. One compiled regex, in the order
# `_Alternation` gives the branches: its split into four smaller regexes scans the text four
# times, which on today's branches costs more than the branches it saves (snippets of the
# bench 10.9 → 8.5 µs, dev passages 19.2 → 16.2 µs, the dev set joined 10.6 → 9.6 ms).
_BACK_RE = re.compile(
    _Alternation(
        [
            # every branch starts with a literal character, so the regex engine skips ahead to
            # the characters that start one (a branch starting with a class or a group would
            # make it try every position: six times slower)
            *_trie_branches(w for w in _BACK_KINDS if w not in ("的", "男", "女")),
            f"的(?=[{''.join(sorted(SINGLE_SURNAMES))}])",
            *(f"{c}(?=[）)，,、。；;：: \t\u3000\r\n]|\\Z)" for c in "男女"),
        ]
    ).pattern
)

# The same words found by the one anchor scan of `anchors` (what `_looking_back` reads): the
# spans of `_BACK_RE.finditer`, its lookaheads tested in `_back_condition`.
anchors.register("back", _BACK_KINDS)
_BACK_NEXT = {
    "的": frozenset(SINGLE_SURNAMES),
    "男": frozenset("）)，,、。；;：: \t\u3000\r\n"),
    "女": frozenset("）)，,、。；;：: \t\u3000\r\n"),
}


def _back_condition(text: str, start: int, end: int) -> bool:
    """`_BACK_RE`'s lookahead after the word at [start, end): 的 before a surname, 男 and 女
    ending an item; none after the other words."""
    if end - start != 1:
        return True
    after = _BACK_NEXT.get(text[start])
    if after is None:
        return True
    if end >= len(text):
        return text[start] != "的"  # "(?=…|\Z)" after 男 and 女
    return text[end] in after


# Units that a 表彰 list glues its people to: "惠安五峰中学庄振农、紫山中心小学张艳君"
# (found with the other passes' words), then the whole item up to a separator.
anchors.register(
    "unit",
    "中学 小学 幼儿园 医院 卫生院 学校 大学 学院 公司 中心 研究所 研究院 委员会 办公室 派出所 "
    "法院 检察院 队 市 县".split(),
)
_ITEM_TO_SEPARATOR = re.compile(f"[{_HAN}]{{2,4}}(?=[、，,；;。 \t\u3000\r\n（(]|\\Z)")


def _unit_lists(text: str, out: list) -> None:
    """The names a list glues after their units, where two items at least read so: the
    item's tail after a school's, a hospital's or a company's kind, whole up to a separator."""
    found = []
    for _, end in anchors.occurrences(text, "unit"):
        m = _ITEM_TO_SEPARATOR.match(text, end)
        if m is None:
            continue
        value = m.group()
        if namemodel.is_common_word(value, strict=True):
            continue
        confidence = name_confidence(value, MEDIUM)
        if confidence:
            found.append((m.start(), m.end(), confidence))
    if len(found) >= 2:
        out.extend(found)
