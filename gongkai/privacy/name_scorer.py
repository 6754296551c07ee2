"""Names with no rule around them, scored: a small learned model over candidate spans.

Plain Python (no Django). The rule passes (`names.find_names`) take a name where a label, a
role word, a list or a byline says one is there. Running text also names people with nothing
of the kind around them ("张鸿铭住在叶邦满家", "北京张中星与乘客陈潮合力…"). This pass looks at
every span that starts with a surname and has one or two given-name characters, and scores it
with a logistic model over features that do not name any word of the training text:

- the surname: among the twenty commonest, the hundred commonest, a rarer one, a surname that
  is more often a word of its own (`names._WEAK_SURNAMES`), a compound one;
- the given-name characters: their tier in `namemodel` (common, rarer, rare, never), and
  their `namemodel.given_ratio` in five bands (counted on millions of names, so it holds for
  the characters no hand-written tier lists);
- jieba's bundled dictionary: the span tagged as a person (nr), the span a common word, the
  span the head of a longer word, a common word straddling either edge, a common word right
  after it or right before it;
- the characters next to it: start of text or punctuation, 的, a preposition, a place's last
  character, a bracket, a verb of speech or action, 同志, 家; a post or title just before it;
- repetition: the same string elsewhere in the text;
- a list: the span a whole item between separators, next to another item shaped like a name
  ("于蓝 于漪 于海俊", "孙中艮 刘会聪 段太香"), as rosters print names with nothing else.

The weights (`name_scorer_weights.py`) are learned from the development set
(`bench/privacy_real/dev.jsonl`) by `bench/privacy_name_scorer.py`, which also reports their
figures with folds that leave whole sources out. A span is taken above `THRESHOLD`, the best
first where two overlap, and then every other occurrence of the same string.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from gongkai.privacy import minority_names, namemodel, names
from gongkai.privacy.name_scorer_weights import BIAS, THRESHOLD, WEIGHTS

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
TOP20 = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
TOP100 = (
    frozenset(
        "郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾"
        "夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    )
    | TOP20
)
_SURNAME_CHARS = "".join(sorted(names.SINGLE_SURNAMES - names._WEAK_SURNAMES))
_CANDIDATE = re.compile(f"(?=([{re.escape(_SURNAME_CHARS)}][{_HAN}]{{1,2}}))")
# The same places, found by a pattern that starts with a character class: the regex engine
# jumps from surname to surname instead of trying a lookahead at every position.
_SURNAME_AT = re.compile(f"[{re.escape(_SURNAME_CHARS)}](?=[{_HAN}])")
_PUNCT = frozenset("，,。；;：:！？!?“”\"'‘’、 \t\u3000\r\n|｜/／")
_BRACKET_OPEN = frozenset("（(【[《")
_QUOTE_OPEN = frozenset("“‘「『\"'")
# Last characters of places and businesses named after a family (张家浜, 高塘路, 万全堂).
_NAMED_PLACE = frozenset("路街巷弄桥浜塘湾港庄屯寨坝堂楼园苑坊铺号斋阁轩")
_PREP = frozenset("为对给与和及向由经把被让请派叫称将同跟")
_PLACE = frozenset("市县省区镇村京古州国乡街港岛")
_SPEECH = ("说", "表示", "告诉", "介绍", "指出", "强调", "认为", "回忆", "坦言", "问", "答", "笑")
_ACTION = frozenset("在来到与和等是将从向把被为也就都还又已曾称带率赴主出接当作")
COMMON = 300
# A surname with a title or a form of address names nobody (张先生, 王奶奶, 李总).
_ADDRESS = frozenset(names.TITLE_SUFFIXES) | frozenset(
    "奶奶 爷爷 大爷 大妈 大娘 阿姨 大姐 大哥 叔叔 婶婶 老汉 老人 同学 家人 总 董 工 某 哥 姐 姨 伯 叔 嫂 婆 公 老".split()
)


def _word(word: str) -> tuple[int, str] | None:
    return namemodel.lexicon().get(word)


def _common(word: str) -> bool:
    info = _word(word)
    return info is not None and info[0] >= COMMON and info[1] not in ("nr", "nrfg", "nrt")


@lru_cache(maxsize=1)
def _titles() -> tuple[frozenset[str], int]:
    words = frozenset(w for w in names.TITLE_WORDS + names.ROLE_WORDS if len(w) >= 2)
    return words, max(len(w) for w in words)


def _after_title(text: str, start: int) -> bool:
    words, longest = _titles()
    for n in range(2, min(longest, start) + 1):
        if text[start - n : start] in words:
            return True
    return False


def _ratio_band(ratio: float) -> str:
    if ratio >= 3.0:
        return "gr_hi"
    if ratio >= 1.5:
        return "gr_mid"
    if ratio >= 0.0:
        return "gr_lo"
    return "gr_neg" if ratio >= -1.5 else "gr_vneg"


@lru_cache(maxsize=1 << 14)
def span_features(span: str) -> tuple[str, ...]:
    """The features of the span itself: surname, given-name characters, dictionary."""
    surname, given = span[0], span[1:]
    on = ["glen2" if len(given) == 2 else "glen1"]
    if surname in TOP20:
        on.append("sur_top20")
    elif surname in TOP100:
        on.append("sur_top100")
    else:
        on.append("sur_other")
    for char in given:
        if char in namemodel.NOT_GIVEN:
            on.append("g_not")
        elif char in namemodel.GIVEN_TIER1:
            on.append("g_t1")
        elif char in namemodel.GIVEN_TIER2:
            on.append("g_t2")
        elif char in namemodel.GIVEN_TIER3:
            on.append("g_t3")
        else:
            on.append("g_none")
    for char in given:
        on.append(_ratio_band(namemodel.given_ratio(char)))
    info = _word(span)
    if info is not None:
        if info[1] in ("nr", "nrfg", "nrt"):
            on.append("w_nr")
        elif info[0] >= COMMON:
            on.append("w_common")
        else:
            on.append("w_rare")
    if span[-1] in names.ORG_LAST_CHARS or span[-1] in _NAMED_PLACE:
        on.append("g_org_last")
    if len(given) == 2 and _common(given):
        on.append("w_given_word")
    if len(given) == 2 and _common(span[:2]):
        on.append("w_head_word")
    return tuple(on)


# After a name, these make it a road, a waterway or a building named after the person.
_ROAD = frozenset("路街巷弄桥浜塘湾庄屯寨坝堂坊斋阁轩")


def _is_place(span: str) -> bool:
    """A place the shield or jieba's dictionary knows (林芝, 昌都, 叶县)."""
    if span in minority_names.NOT_PERSON or span in minority_names.PLACES:
        return True
    info = _word(span)
    return info is not None and info[1] in ("ns", "nt")


def _han(char: str) -> bool:
    return "\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff"


# Context features that exclude each other (one class for the left, one for the right).
LEFT = ("l_quote", "l_punct", "l_bracket", "l_de", "l_prep", "l_place", "l_other")
RIGHT = (
    "r_punct",
    "r_bracket",
    "r_tongzhi",
    "r_jia",
    "r_de",
    "r_speech",
    "r_action",
    "r_org",
    "r_other",
)
OTHER_CONTEXT = (
    "x_straddle_right",
    "x_straddle_left",
    "x_word_after",
    "x_word_before",
    "x_longer_word",
    "l_title",
    "both_edges",
    "repeated",
    "x_list",
    "l_agent",
    "l_label",
    "x_often",
)


def edge_features(text: str, start: int, end: int) -> list[str]:
    """The characters right before and after the span: cheap tests of one character."""
    on = []
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before in _QUOTE_OPEN:
        on.append("l_quote")
    elif not before or before in _PUNCT:
        on.append("l_punct")
    elif before in _BRACKET_OPEN:
        on.append("l_bracket")
    elif before == "的":
        on.append("l_de")
    elif before in _PREP:
        on.append("l_prep")
    elif before in _PLACE:
        on.append("l_place")
    elif not _han(before):
        on.append("l_other")
    if start >= 2:
        if before in _AGENT and _han(text[start - 2]):
            on.append("l_agent")  # (no other left feature: the character is Han)
        elif before in ":：" and text[start - 2] in _LABEL_LAST:
            on.append("l_label")  # (with l_punct)
    if not after or after in _PUNCT:
        on.append("r_punct")
    elif after in "(（":
        on.append("r_bracket")
    elif text.startswith("同志", end):
        on.append("r_tongzhi")
    elif after == "家":
        on.append("r_jia")
    elif after == "的":
        on.append("r_de")
    elif text.startswith(_SPEECH, end):
        on.append("r_speech")
    elif after in _ACTION:
        on.append("r_action")
    elif after in names.ORG_LAST_CHARS or after in _NAMED_PLACE:
        on.append("r_org")
    elif not _han(after):
        on.append("r_other")
    if (not before or before in _PUNCT or before in _BRACKET_OPEN) and (
        not after or after in _PUNCT or after in "(（"
    ):
        on.append("both_edges")
        if in_list(text, start, end):
            on.append("x_list")
    return on


# Between the items of a list: blanks, an enumeration comma or a comma, a slash.
_ITEM_SEP = frozenset(" \t\u3000、，,;；/")
_LIST_SURNAMES = frozenset(names.SINGLE_SURNAMES)


def _item_before(text: str, start: int) -> bool:
    """A name-shaped item (a surname and one to three Han characters, whole) before `start`,
    across one to four separators."""
    i = start
    while i > 0 and start - i < 4 and text[i - 1] in _ITEM_SEP:
        i -= 1
    if i == start:
        return False
    j = i
    while j > 0 and i - j < 5 and _han(text[j - 1]):
        j -= 1
    return 2 <= i - j <= 4 and (j == 0 or not _han(text[j - 1])) and text[j] in _LIST_SURNAMES


def _item_after(text: str, end: int) -> bool:
    """The same after `end`."""
    size = len(text)
    i = end
    while i < size and i - end < 4 and text[i] in _ITEM_SEP:
        i += 1
    if i == end:
        return False
    j = i
    while j < size and j - i < 5 and _han(text[j]):
        j += 1
    return 2 <= j - i <= 4 and (j == size or not _han(text[j])) and text[i] in _LIST_SURNAMES


def in_list(text: str, start: int, end: int) -> bool:
    """The span is a whole item of a list of names: separators (or a line's ends) on both
    sides and a name-shaped item next to it."""
    before = text[start - 1] if start else "\n"
    after = text[end] if end < len(text) else "\n"
    if before not in _ITEM_SEP and before != "\n" or after not in _ITEM_SEP and after != "\n":
        return False
    return _item_before(text, start) or _item_after(text, end)


# Last characters of words for a person by what they do (报账员, 家长, 邀约人, 献血者, 教练),
# right before a name: "家长邹联志说", "报账员李长财".
_AGENT = frozenset("员长人者师生手工夫板")
# Last characters of a label for a person, before its colon: 发布人：, 责任编辑：, 二审二校：.
_LABEL_LAST = frozenset("人者员辑审校稿编长师")


def word_features(text: str, start: int, end: int) -> list[str]:
    """Dictionary words across and next to the span's edges."""
    span = text[start:end]
    on = []

    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if after and _common(span[-1] + after):
        on.append("x_straddle_right")
    if before and _common(before + span[0]):
        on.append("x_straddle_left")
    if end + 1 < len(text) and _common(text[end : end + 2]):
        on.append("x_word_after")
    if start >= 2 and _common(text[start - 2 : start]):
        on.append("x_word_before")
    if after and _word(span + after) is not None:
        on.append("x_longer_word")
    return on


# `_repetition` reads counts up to this: `_occurrences` stops there (a test holds the two).
REPETITION_MOST = 3


def _occurrences(text: str, start: int, end: int) -> int:
    """How many times the span's string is in the text (as `str.count` counts them), up to
    REPETITION_MOST: the search stops there instead of reading the whole of a long text for
    each span scored."""
    span = text[start:end]
    size = len(span)
    count = 0
    i = text.find(span)
    while i >= 0 and count < REPETITION_MOST:
        count += 1
        i = text.find(span, i + size)
    return count


def _repetition(count: int) -> list[str]:
    """Twice or more: repeated; three times or more: often (a person a story is about is
    named again and again: "段永照", "戴咬圻")."""
    if count >= 3:
        return ["repeated", "x_often"]
    return ["repeated"] if count >= 2 else []


def context_features(text: str, start: int, end: int) -> list[str]:
    """The features of the span's neighbours in `text`."""
    on = edge_features(text, start, end) + word_features(text, start, end)
    if start and _after_title(text, start):
        on.append("l_title")
    on += _repetition(_occurrences(text, start, end))
    return on


def features(text: str, start: int, end: int) -> list[str]:
    """The names of the features that are on for the span text[start:end]."""
    return list(span_features(text[start:end])) + context_features(text, start, end)


@lru_cache(maxsize=1 << 15)
def _span_ok(span: str) -> bool:
    """A surname then one or two characters that could be a given name: not a title or a form
    of address (张先生, 王奶奶), no character that is never in one, not a known place."""
    given = span[1:]
    if given in _ADDRESS or given[0] in _ADDRESS or not names.NON_NAME_CHARS.isdisjoint(given):
        return False
    return not _is_place(span)  # 林芝, 叶县


def candidates(text: str, taken: list[tuple[int, int]]):
    """(start, end) of the spans to score: a surname and one or two Han characters, not
    overlapping a name the rules found, not followed by 路/街/桥… (林国庆路, 张家浜)."""
    blocked = bytearray(len(text))
    for start, end in taken:
        blocked[start:end] = b"\x01" * (end - start)
    for match in _CANDIDATE.finditer(text):
        start = match.start()
        run = match.group(1)
        for length in (2, 3):
            end = start + length
            if length > len(run) or blocked.find(1, start, end) >= 0:
                continue
            if text[end : end + 1] in _ROAD or not _span_ok(run[:length]):
                continue
            yield start, end


def score(on: list[str]) -> float:
    total = BIAS + sum(WEIGHTS.get(name, 0.0) for name in on)
    return 1.0 / (1.0 + math.exp(-total))


WORDS = (
    "x_straddle_right",
    "x_straddle_left",
    "x_word_after",
    "x_word_before",
    "x_longer_word",
)


@lru_cache(maxsize=1)
def _edge_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Last characters of the common words of two characters (x_word_before), their first
    characters (x_word_after), last characters of the title words (l_title): a span whose
    neighbour is none of them cannot have the feature."""
    lexicon = namemodel.lexicon()
    common = [w for w in lexicon if len(w) == 2 and _common(w)]
    return (
        frozenset(w[-1] for w in common),
        frozenset(w[0] for w in common),
        frozenset(w[-1] for w in _titles()[0]),
    )


def _plus(name: str) -> float:
    return max(0.0, WEIGHTS.get(name, 0.0))


@lru_cache(maxsize=1 << 12)
def _left_room(before: str) -> tuple[float, float, float, bool]:
    """What the character before a span ("" at the start of the text) leaves its context able
    to add, for the features of that side: (the edges' and everything after them, the word
    features' and l_title's, l_title's, whether both_edges can hold). Upper bounds: the
    character before that is taken as the best it could be."""
    weight = WEIGHTS.get
    words_last, _, titles_last = _edge_words()
    if before in _QUOTE_OPEN:
        room = weight("l_quote", 0.0)
    elif not before or before in _PUNCT:
        room = weight("l_punct", 0.0)
    elif before in _BRACKET_OPEN:
        room = weight("l_bracket", 0.0)
    elif before == "的":
        room = weight("l_de", 0.0)
    elif before in _PREP:
        room = weight("l_prep", 0.0)
    elif before in _PLACE:
        room = weight("l_place", 0.0)
    elif not _han(before):
        room = weight("l_other", 0.0)
    else:
        room = 0.0
    room = max(0.0, room)
    if before in _AGENT:
        room += _plus("l_agent")
    if before and before in ":：":
        room += _plus("l_label")
    title = _plus("l_title") if before in titles_last else 0.0
    later = title + (_plus("x_word_before") if before in words_last else 0.0)
    edge = not before or before in _PUNCT or before in _BRACKET_OPEN
    return room + later, later, title, edge


_SPEECH_FIRST = frozenset(word[0] for word in _SPEECH)


@lru_cache(maxsize=1 << 12)
def _right_room(after: str) -> tuple[float, float, bool]:
    """The same for the character after a span: (the edges' and everything after them, the
    word features', whether both_edges can hold)."""
    weight = WEIGHTS.get
    _, words_first, _ = _edge_words()
    if not after or after in _PUNCT:
        room = weight("r_punct", 0.0)
    elif after in "(（":
        room = weight("r_bracket", 0.0)
    else:
        # one of these at most; which one the characters after `after` decide
        room = max(
            weight("r_tongzhi", 0.0) if after == "同" else 0.0,
            weight("r_jia", 0.0) if after == "家" else 0.0,
            weight("r_de", 0.0) if after == "的" else 0.0,
            weight("r_speech", 0.0) if after in _SPEECH_FIRST else 0.0,
            weight("r_action", 0.0) if after in _ACTION else 0.0,
            weight("r_org", 0.0) if after in names.ORG_LAST_CHARS or after in _NAMED_PLACE else 0.0,
            weight("r_other", 0.0) if not _han(after) else 0.0,
        )
    room = max(0.0, room)
    later = _plus("x_word_after") if after and after in words_first else 0.0
    edge = not after or after in _PUNCT or after in "(（"
    return room + later, later, edge


@lru_cache(maxsize=1)
def _bound() -> tuple[float, float, tuple[float, float]]:
    """logit(THRESHOLD); the most the context can add to a span's own sum, whatever is next to
    it; (what any span's context can add whatever is next to it: repetition, and the word
    features that need no particular neighbour where their weights are positive; repetition's
    part)."""
    # the weights are read afresh here (whoever swaps them clears `_bound`): so are the rooms
    _left_room.cache_clear()
    _right_room.cache_clear()
    repeated = WEIGHTS.get("repeated", 0.0)
    # "x_often" only comes with "repeated"
    repeat = max(0.0, repeated, repeated + WEIGHTS.get("x_often", 0.0))
    free = repeat + sum(_plus(f) for f in ("x_straddle_right", "x_straddle_left", "x_longer_word"))
    # the rooms depend on which sets a character is in: one character of each set, and a Han
    # and a non-Han character in none of them, reach every value they take
    words_last, words_first, titles_last = _edge_words()
    sets = (_PUNCT, _BRACKET_OPEN, _QUOTE_OPEN, _PREP, _PLACE, _AGENT, _ACTION, _SPEECH_FIRST)
    chars = {"", "的", "同", "家", "(", "（", ":", "：", "a", "\u4e00"}
    chars |= {c for group in (*sets, names.ORG_LAST_CHARS, _NAMED_PLACE) for c in group}
    chars |= words_last | words_first | titles_last
    lefts = [_left_room(c) for c in chars]
    rights = [_right_room(c) for c in chars]
    joint = _plus("both_edges") + _plus("x_list")
    most = max(
        max(room for room, _, _, _ in lefts) + max(room for room, _, _ in rights),
        max(room for room, _, _, edge in lefts if edge)
        + max(room for room, _, edge in rights if edge)
        + joint,
    )
    return math.log(THRESHOLD / (1.0 - THRESHOLD)), most + free, (free, repeat)


@lru_cache(maxsize=1 << 15)
def _span_sum(span: str) -> float:
    """The span's own part of the sum; minus infinity where it is no candidate."""
    if not _span_ok(span):
        return -math.inf
    return BIAS + sum(WEIGHTS.get(name, 0.0) for name in span_features(span))


# The `_bound()` the cache of `_open_spans` was filled under: whoever swaps the weights clears
# `_bound` and `_span_sum` (bench/privacy_name_scorer.py's folds), and `find` then clears
# `_open_spans` too.
_OPEN_FOR: list = [None]


@lru_cache(maxsize=1 << 16)
def _open_spans(head: str) -> tuple[tuple[int, float], ...]:
    """(length, own sum) of the spans of two and three characters at the start of `head` (a
    surname, a Han character, then any character) whose own sum leaves them a chance to reach
    the threshold with the best context: one cached lookup per surname in the text."""
    cut, after_span, _ = _bound()
    size = 3 if len(head) == 3 and _han(head[2]) else 2
    out = []
    for n in range(2, size + 1):
        total = _span_sum(head[:n])
        if total + after_span >= cut:
            out.append((n, total))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def _window_spans(window: str, at_start: bool) -> tuple[tuple[int, float, tuple, float], ...]:
    """The spans at a surname that its neighbours leave a chance: (length, own sum, what the
    left side's word features and l_title can add, what the right side's can), from
    `window`, the character before the surname (none `at_start` of the text), the surname and
    the three characters after it. Neither the text nor the names taken count here."""
    before, chars = ("", window) if at_start else (window[:1], window[1:])
    spans = _open_spans(chars[:3])
    if not spans:
        return ()
    cut, _, (free, _) = _bound()
    joint = _plus("both_edges") + _plus("x_list")
    # the most the context can add, from the characters next to the span: a feature whose
    # neighbour it needs is not there counts for nothing
    left = _left_room(before)
    out = []
    for size, total in spans:
        after = chars[size : size + 1]
        right = _right_room(after)
        room = left[0] + right[0] + free + (joint if left[3] and right[2] else 0.0)
        if total + room < cut or after in _ROAD:
            continue
        out.append((size, total, left[1:3], right[1]))
    return tuple(out)


def _sum(on: list[str]) -> float:
    return sum(WEIGHTS.get(f, 0.0) for f in on)


def find(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """Names above the threshold, the best of overlapping ones, each string then taken at
    every occurrence that no other name overlaps.

    The same sum as `score(features(…))`, added in stages from the cheapest, and a span is
    dropped as soon as what is left could not lift it over the threshold."""
    if not WEIGHTS:
        return []
    bound = _bound()
    if bound is not _OPEN_FOR[0]:
        _open_spans.cache_clear()
        _window_spans.cache_clear()
        _OPEN_FOR[0] = bound
    cut = bound[0]
    scored = []
    blocked = None
    # candidates(), with the span's own sum and the room its neighbours leave tested first:
    # most places stop at one cache lookup on the characters around the surname
    for match in _SURNAME_AT.finditer(text):
        start = match.start()
        if start:
            spans = _window_spans(text[start - 1 : start + 4], False)
        else:
            spans = _window_spans(text[:4], True)
        for size, total, left_words, right_words in spans:
            end = start + size
            if blocked is None:
                blocked = bytearray(len(text))
                for lo, hi in taken:
                    blocked[lo:hi] = b"\x01" * (hi - lo)
            if blocked.find(1, start, end) >= 0:
                continue
            scored_span = _score_context(text, start, end, total, cut, left_words, right_words)
            if scored_span is not None:
                scored.append(scored_span)
    if not scored:
        return []
    return _take(text, taken, scored)


def _score_context(
    text: str, start: int, end: int, total: float, cut: float, left: tuple, right_words: float
):
    """(p, start, end) if the span's sum with its context reaches `cut`, else None: the
    features added from the cheapest, stopping once nothing left could lift it (`left`: what
    the word features and l_title, and l_title alone, can add on the left; `right_words`: what
    the word features can add on the right)."""
    free, repeat_room = _bound()[2]
    left_words, title_room = left
    total += _sum(edge_features(text, start, end))
    if total + left_words + right_words + free < cut:
        return None
    total += _sum(word_features(text, start, end))
    # l_title, then repetition, only where they can change the decision (or the confidence
    # of a span that is taken): the title scan and the search are the dearest
    if total + title_room + repeat_room < cut:
        return None
    title = WEIGHTS.get("l_title", 0.0)
    # no room for it: not after a title's last character, unless its weight takes away
    if (title_room or title < 0) and start and _after_title(text, start):
        total += title
    if total + repeat_room >= cut:
        total += _sum(_repetition(_occurrences(text, start, end)))
    if total < cut:
        return None
    return 1.0 / (1.0 + math.exp(-total)), start, end


def _take(text: str, taken: list[tuple[int, int]], scored: list) -> list[tuple[int, int, float]]:
    """The best of overlapping spans, then every other occurrence of the strings taken that
    no name overlaps and no 路/街/桥… follows."""
    scored.sort(key=lambda s: (-s[0], s[1]))
    used = bytearray(len(text))
    for start, end in taken:
        used[start:end] = b"\x01" * (end - start)
    out = []
    for p, start, end in scored:
        if used.find(1, start, end) >= 0:
            continue
        used[start:end] = b"\x01" * (end - start)
        out.append((start, end, round(p, 3)))
    more = []
    at = _occurrences_of(text, {text[start:end] for start, end, _ in out})
    for start, end, p in out:
        span = text[start:end]
        size = len(span)
        for i in at[span]:
            if used.find(1, i, i + size) < 0 and text[i + size : i + size + 1] not in _ROAD:
                used[i : i + size] = b"\x01" * size
                more.append((i, i + size, p))
    return out + more


# Above this many characters read (the text's length times the strings looked for), one
# pattern finds every string's occurrences in one pass over the text instead of one each.
_ONE_PASS = 100_000


def _occurrences_of(text: str, strings: set[str]) -> dict[str, list[int]]:
    """Where each string starts in `text`, overlapping occurrences too, from the left."""
    at: dict[str, list[int]] = {string: [] for string in strings}
    if len(text) * len(strings) < _ONE_PASS:
        for string in strings:
            found = at[string]
            i = text.find(string)
            while i >= 0:
                found.append(i)
                i = text.find(string, i + 1)
        return at
    by_first: dict[str, list[str]] = {}
    for string in strings:
        by_first.setdefault(string[0], []).append(string)
    # the pattern's matches do not overlap and take one string where several start at the
    # same place: each match's own characters are looked at for every string starting there
    pattern = re.compile("|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True)))
    for match in pattern.finditer(text):
        for i in range(match.start(), match.end()):
            for string in by_first.get(text[i], ()):
                if text.startswith(string, i):
                    at[string].append(i)
    return at
