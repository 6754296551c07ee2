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

from gongkai.privacy import anchors, minority_names, namemodel, places, prose_names
from gongkai.privacy.anchors import forget as _forget_anchor_scan
from gongkai.privacy.names_contexts import (
    _BACK_KINDS,
    _BACK_RE,
    _cell_names,
    _enumerations,
    _lists,
    _looking_back,
    _tables,
    _unit_lists,
    table_columns,
)
from gongkai.privacy.names_evidence import (
    _MINORITY_NAME,
    _ROLE_SET,
    _TOKEN,
    _WEAK_SURNAMES,
    KNOWN_CONFIDENCE,
    MEDIUM,
    PROPAGATE_CONFIDENCE,
    PROPAGATED_CONFIDENCE,
    ROLE_WORDS,
    STRONG,
    TABLE_HEADERS,
    TITLE_WORDS,
    _before_numbers,
    _is_han,
    _name_before,
    _roles,
    _token_name,
    _weak_name,
    name_confidence,
)
from gongkai.privacy.names_lexicon import (
    _FOLLOW_STRONG,
    _FOLLOW_WEAK,
    _FOLLOW_WORDS,
    _HAN,
    _MASK_CHARS,
    _SCORE_CACHE,
    COMPOUND_SURNAMES,
    HAN_RUN,
    LIST_CONFIDENCE,
    NAME_LABELS,
    NON_NAME_CHARS,
    ORG_LAST_CHARS,
    ORG_SUFFIXES,
    PLAIN_COMPOUND_SURNAMES,
    SINGLE_SURNAMES,
    STOPWORDS,
    TITLE_SUFFIXES,
    _by_frequency,
    _name_in_run,
    _plausible_surname,
    _salutation_at,
    _trie_branches,
    plausible_name,
    surname_length,
)
from gongkai.privacy.scanning import OneOf

# the detector's words and passes live in names_lexicon, names_evidence and names_contexts;
# what callers, the other passes (prose_names, minority_names, name_scorer) and tests read
# through this module is re-exported here
__all__ = [
    "COMPOUND_SURNAMES",
    "HAN_RUN",
    "KnownNames",
    "MEDIUM",
    "NAME_LABELS",
    "NON_NAME_CHARS",
    "ORG_LAST_CHARS",
    "ORG_SUFFIXES",
    "ROLE_WORDS",
    "SINGLE_SURNAMES",
    "STOPWORDS",
    "TABLE_HEADERS",
    "TITLE_SUFFIXES",
    "TITLE_WORDS",
    "_BACK_KINDS",
    "_BACK_RE",
    "_FOLLOW_STRONG",
    "_FOLLOW_WEAK",
    "_FOLLOW_WORDS",
    "_ROLE_SET",
    "_WEAK_SURNAMES",
    "_by_frequency",
    "_cell_names",
    "_name_in_run",
    "_plausible_surname",
    "_tables",
    "_trie_branches",
    "find_names",
    "name_confidence",
    "plausible_name",
    "surname_length",
    "table_columns",
]


_SPACED = OneOf(" \u3000", "[ \u3000]*")  # "[ \u3000]+"
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


_NAME_TOKEN = f"(?:[{_HAN}][ \u3000]{{1,2}}[{_HAN}]|[{_HAN}]{{2,4}})"
# A line that ends with its people after a slash or a school class: a table of contents
# ("出版史研究的新问题 / 杜 敏", "…对策 / 骆 瑾 王 昕 方立国") or a prize list ("《丝瓜汤》
# 初二(3)班 李 慧"). Two such lines at least, every token of each tail a name.
_LINE_TAIL = re.compile(
    "(?m)(?:[ \u3000]/|[0-9０-９)）]班)[ \u3000]+"
    f"({_NAME_TOKEN}(?:[ \u3000]+{_NAME_TOKEN}){{0,4}})[ \u3000]*$"
)


# A prize list's lines: the author, then the work ("卢凌日《四十年，您这片光辉的土地》（散文）"),
# or the work, then the author ("《罗湖康居，幸福圆梦》\t丁运时").
_AUTHOR_WORK = re.compile(f"(?m)^[ \u3000]*({_NAME_TOKEN})《[^》\n]{{2,40}}》")
_WORK_AUTHOR = re.compile(f"(?m)》[ \u3000\t]+({_NAME_TOKEN})[ \u3000]*$")


def _line_tails(text: str, out: list) -> None:
    if "》" in text:
        for pattern in (_AUTHOR_WORK, _WORK_AUTHOR):
            _tails(pattern.finditer(text), out)
    if " /" in text or "班" in text:
        _tails(_LINE_TAIL.finditer(text), out)


def _tails(matches: Iterable[re.Match], out: list) -> None:
    """The names of the lines `matches` took (group 1), if two lines at least hold only names."""
    lines = [names for m in matches if (names := _names_of(m.group(1), m.start(1)))]
    if len(lines) >= 2:
        for names in lines:
            out.extend(names)


def _token_score(token: str) -> float:
    """How well a whole token reads as a name in a medium context: 0 for a dictionary word."""
    if namemodel.is_common_word(token.replace(" ", "").replace("\u3000", ""), strict=True):
        return 0.0
    return _token_name(token, MEDIUM)


def _names_of(line: str, offset: int) -> list[tuple[int, int, float]]:
    """Every token of `line` (which starts at `offset`) as a name, or [] if one is not."""
    found = []
    for m in _TOKEN.finditer(line):
        score = _token_score(m.group())
        if not score:
            return []
        found.append((offset + m.start(), offset + m.end(), score))
    return found


def _gaps(line: str, tokens: list) -> str:
    pieces = []
    pos = 0
    for start, token in tokens:
        pieces.append(line[pos:start])
        pos = start + len(token)
    pieces.append(line[pos:])
    return "".join(pieces)


_BYLINE = OneOf("（(", r"([^（()）\n]{2,24})[）)][ \t\u3000]*(?=\n|\Z)")
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
        weak: list = []  # items whose surname is more often a word (于立, 向玉, 查洪辉)
        for start, end in inner:
            score = _token_name(text[start:end], MEDIUM)
            if score:
                found.append((start, end, score))
            elif _weak_surname_item(text[start:end]):
                weak.append((start, end, LIST_CONFIDENCE))
        if not last_done:
            items += 1
            last = seps[-1] + 1
            while last < len(text) and text[last] in " \u3000":
                last += 1
            tail = _weak_name(text, last, MEDIUM)
            if tail is not None:
                found.append(tail)
        if (
            len(found) >= 2
            and len(found) * 2 >= items
            and not _place_list(text, seps, found)
            and not places.end_like_places(_item_texts(text, first_end, inner, seps, last_done))
        ):
            out.extend(found)
            if len(found) >= 2 * len(weak):
                out.extend(weak)  # among names, so long as the others are most of the list
        pos = -1 if last_done else text.find("、", seps[-1] + 1)


def _weak_surname_item(item: str) -> bool:
    """A whole item of a list of names that starts with a surname more often a word (于, 向,
    查, 师): a name when it is one for a strong context and no word of the dictionary."""
    return (
        2 <= len(item) <= 3
        and item[0] in _WEAK_SURNAMES
        and name_confidence(item, STRONG) > 0
        and item not in namemodel.lexicon()
    )


def _item_texts(text: str, first_end: int, inner: list, seps: list, last_done: bool) -> list:
    """The items of a 、 chain as far as their endings go: the first item's last character, the
    whole items between, and the last item up to a place's last character ("郑口河南北流经")."""
    texts = [text[first_end - 1 : first_end]] + [text[s:e] for s, e in inner]
    if not last_done:
        head = text[seps[-1] + 1 : seps[-1] + 5].lstrip(" \u3000")
        cut = next((i + 1 for i, c in enumerate(head) if c in places.PLACE_LAST), len(head))
        texts.append(head[:cut])
    return texts


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
_COLON = OneOf("：:", f"[ \\t\u3000]*(?=[{_SURNAME_CLASS}]|\\r?\\n|\\Z)")
_ITEM_END = frozenset("\r\n、，,；;。")


_WIDE_GAP = re.compile(f"[ \u3000]{{2,}}(?=[{_HAN}])")


def _line_of_names(text: str, pos: int, out: list) -> bool:
    """The rest of a line from `pos`, if it is nothing but two names or more separated by
    blanks (after a colon: "一等奖：谢丽萍 邓超")."""
    end = text.find("\n", pos)
    line = text[pos : end if end >= 0 else len(text)].rstrip(" \t\u3000\r")
    found = _names_of(line, pos)
    tokens = [(start - pos, text[start:stop]) for start, stop, _ in found]
    if len(found) < 2 or _GAPS_OK.fullmatch(_gaps(line, tokens)) is None:
        return False
    out.extend(found)
    return True


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
        if token is None or len(token.group().replace(" ", "").replace("\u3000", "")) > 4:
            continue
        if token.end() < len(text) and text[token.end()] in " \u3000\t":
            if _line_of_names(text, pos, out) or not _WIDE_GAP.match(text, token.end()):
                continue
            # (not a line of names, but "组     长：王   庆   镇党委副书记": a name, then its post)
        elif token.end() < len(text) and text[token.end()] not in _ITEM_END:
            continue
        score = _token_score(token.group())
        if score:
            out.append((pos, token.end(), score))
    for m in _LONE_LINE.finditer(text):
        value = m.group(1)
        if not namemodel.is_common_word(value, strict=True):
            score = name_confidence(value, MEDIUM)
            if score:
                out.append((m.start(1), m.end(1), score))


anchors.register("compound", PLAIN_COMPOUND_SURNAMES)  # found with the other passes' words


def _compound_names(text: str, out: list) -> None:
    """A name that starts with a compound surname, wherever the name can end ("诸葛宇杰任",
    "农民日报社欧阳靖雯："): these surnames are no common words, so they need no context."""
    for start, _ in anchors.occurrences(text, "compound"):
        if start and text[start - 1] in "·•・．‧":
            continue  # 吾斯曼江·司马义: the part of a dotted name, read by minority_names
        found = _weak_name(text, start, MEDIUM)
        if found is not None:
            out.append(found)


_LONE_LINE = re.compile(f"\n[ \t\u3000]*\n[ \t\u3000]*([{_HAN}]{{2,3}})[ \t\u3000]*(?=\r?\n|\\Z)")


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
        _line_tails(text, out)
    if ")\n" in text or "）\n" in text or text.rstrip(" \t\u3000\r\n").endswith((")", "）")):
        _trailing_bylines(text, out)
    if "、" in text:
        _chains(text, out)
    _compound_names(text, out)
    _unit_lists(text, out)
    out += prose_names.find(text)  # officials and people named in running prose
    out += minority_names.find(text, out)  # no Han surname; "|" tables
    out += _propagate(text, out)
    more = _enumerations(text, out)  # "陈婕和曹明丽…" once 曹明丽 is known from elsewhere
    out += more
    out += _propagate(text, more)
    _forget_anchor_scan()  # the passes above read the text's word scan: not kept after them
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
