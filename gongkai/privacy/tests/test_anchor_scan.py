"""The one anchor scan (`gongkai.privacy.anchors`) gives each pass what its own regex found.

Each pass that reads the anchor scan's occurrences instead of scanning the text with its own
regex is compared with that regex (kept as the plain form) on the development set of real
text, the synthetic benchmark corpus and strings glued from the words themselves.
"""

import random
import re

import pytest

from gongkai.privacy import anchors, names, names_contexts, names_evidence
from gongkai.privacy.tests.test_scan_speedups import texts  # noqa: F401  (the fixture)


def _glued(words, seed: int, extra=("王", "李", "张三", "，", "\n", " ", "男", "女", "的")):
    pieces = list(words) + list(extra)
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(50)) for _ in range(400)]


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_leftmost_longest_reads_occurrences_as_an_alternation_scans():
    anchors.register("test-words", ["申请", "申请人", "人民", "请人"])
    pattern = re.compile("申请(?:人)?|人民|请人")
    try:
        for text in ["申请人民", "申请人", "请人民申请", "申请申请人人民", "", "人"]:
            assert anchors.leftmost_longest(text, "test-words") == _spans(pattern.finditer(text))
        # a condition as a lookahead: the longest word whose condition holds
        with_next = re.compile("(?:申请(?:人)?|人民|请人)(?=[王李])")
        for text in ["申请人王", "申请王人", "申请人民王", "请人李申请"]:
            found = anchors.leftmost_longest(
                text, "test-words", lambda t, s, e: e < len(t) and t[e] in "王李"
            )
            assert found == _spans(with_next.finditer(text))
    finally:
        anchors._families.pop("test-words")
        anchors.register("back", names_contexts._BACK_KINDS)  # rebuilt without the test words


def test_occurrences_are_kept_for_the_last_text_only():
    text = "申请人张三"
    first = anchors.occurrences(text, "role")
    assert first == anchors.occurrences(text, "role")
    assert anchors.occurrences("无", "role") == []
    assert anchors.occurrences(text, "role") == first


@pytest.mark.parametrize(
    ("family", "plain", "condition", "words"),
    [
        ("back", names._BACK_RE, names_contexts._back_condition, names._BACK_KINDS),
        ("role", names_evidence._ROLE_RE, names_evidence._role_condition, names.ROLE_WORDS),
    ],
)
def test_word_passes_find_what_their_regex_finds(texts, family, plain, condition, words):  # noqa: F811
    made = _glued(words, 3) + ["申请人张三", "户主邱兰的银行卡", "女", "男", "的", "女士"]
    for text in texts + made:
        assert anchors.leftmost_longest(text, family, condition) == _spans(plain.finditer(text))


def test_prose_passes_find_the_places_their_regexes_find(texts):  # noqa: F811
    from gongkai.privacy import prose_names

    tables = prose_names._tables()
    title_re, action_re, titles, starts, kin_re = (tables[i] for i in (1, 2, 5, 6, 8))
    words = [*prose_names.TITLES, *prose_names.ACTIONS, *("的" + w for w in prose_names.KIN)]
    made = _glued(words, 5, ("王", "李", "任", "书记", "副县长", " ", "\u3000", "，", "的"))
    made += ["副镇长王五讲话", "区长 李四，", "长王", "余祖江任党委副书记", "任职", "胡某的母亲"]
    for text in texts + made:
        plain_titles = [
            m.end()
            for m in title_re.finditer(text)
            if any(text[m.end() - k : m.end()] in titles for k in (2, 3, 4, 5))
        ]
        assert prose_names._title_ends(text, starts) == plain_titles
        found = anchors.leftmost_longest(text, "prose-action", prose_names._action_condition)
        assert found == _spans(action_re.finditer(text))
        assert anchors.occurrences(text, "prose-kin") == _spans(kin_re.finditer(text))


def test_gates_and_syllables_read_from_the_anchor_scan(texts):  # noqa: F811
    from gongkai.privacy import minority_names, traditional

    assert all(len(syllable) == 2 for syllable in minority_names.TIBETAN_SYLLABLES)
    syllables = sorted(minority_names.TIBETAN_SYLLABLES)
    made = _glued(syllables, 7, ("小", "扎西", "，", "说"))
    made += _glued(names_contexts._LIST_WORDS, 8) + ["１３８０００", "陳記者說", "臺灣陳"]
    made += [
        "".join(random.Random(i).choice("陳記者說的是了０Ｘ＠ab") for _ in range(12))
        for i in range(300)
    ]
    for text in texts + made:
        assert minority_names._tibetan_matches(text) == _spans(
            minority_names._TIBETAN.finditer(text)
        )
        listed = bool(anchors.occurrences(text, "list"))
        assert listed == (names_contexts._ANY_LIST_WORD.search(text) is not None)
        many = len(traditional._ANY.findall(text)) >= traditional._ENOUGH
        assert traditional.simplified(text) == (
            text.translate(traditional._TABLE) if many else text
        )


def test_bylines_are_looked_for_only_where_their_words_are(texts):  # noqa: F811
    from gongkai.privacy import prose_names

    made = ["记者 | 张  敏\n", "沁园书院 孙琳 报道\n", "（王涛 摄）", "责任编辑：李四\n", "摄\n"]
    for text in texts + made:
        if prose_names._BYLINE_LABEL.search(text):
            assert anchors.occurrences(text, "prose-byline-label")
        if prose_names._BYLINE_AFTER.search(text):
            assert anchors.occurrences(text, "prose-byline-after")
    assert all(prose_names._layouts(text) for text in made[:2])


def _enumerations_plain(text: str, found: list) -> list:
    """`names_contexts._enumerations` without its first test (every name looked at)."""
    saved = names_contexts._ENUM_NEXT_FIRST, names_contexts._ENUM_PREV_LAST
    try:
        # every character passes the first test; the regexes decide as before
        class Anything(frozenset):
            def __contains__(self, item):
                return True

        names_contexts._ENUM_NEXT_FIRST = names_contexts._ENUM_PREV_LAST = Anything()
        return names_contexts._enumerations(text, found)
    finally:
        names_contexts._ENUM_NEXT_FIRST, names_contexts._ENUM_PREV_LAST = saved


def test_enumerations_start_only_next_to_a_separator(texts):  # noqa: F811
    made = ["官正平、李小红同志", "王向党、黄志鹏、李晶晶（皮划赛艇）", "陈婕和曹明丽", "张三 李四"]
    for text in texts[:800] + made:
        found = names.find_names(text)
        assert names_contexts._enumerations(text, found) == _enumerations_plain(text, found)


def test_scorer_windows_keep_the_spans_the_plain_loop_keeps(texts):  # noqa: F811
    from gongkai.privacy import name_scorer as ns

    cut, _, (free, _) = ns._bound()
    joint = ns._plus("both_edges") + ns._plus("x_list")
    for text in texts + ["王", "王小", "王小明", "说王小明", "（王小明）"]:
        for m in ns._SURNAME_AT.finditer(text):
            start = m.start()
            left = ns._left_room(text[start - 1] if start else "")
            plain = []
            for size, total in ns._open_spans(text[start : start + 3]):
                after = text[start + size : start + size + 1]
                right = ns._right_room(after)
                room = left[0] + right[0] + free + (joint if left[3] and right[2] else 0.0)
                if total + room >= cut and after not in ns._ROAD:
                    plain.append((size, total, left[1:3], right[1]))
            window = text[start - 1 : start + 4] if start else text[:4]
            assert list(ns._window_spans(window, not start)) == plain


def test_a_scan_does_not_keep_its_text():
    from gongkai.privacy import detect

    text = "申请人张三，电话13800008000。" * 50
    detect.scan(text)
    assert anchors._last[0] is None
    names.find_names(text)
    assert anchors._last[0] is None


def test_posts_are_looked_for_only_where_a_post_is(texts):  # noqa: F811
    from gongkai.privacy import prose_names

    spaced_post = prose_names._tables()[7]
    made = [
        "接待人：王金岭 党委书记",
        "李明 副县长",
        "主持人：王建军（县委副书记）",
        "（主任）",
        " 书记",
    ]
    for text in texts + made:
        if spaced_post.search(text) or prose_names._POST_IN_BRACKETS.search(text):
            assert anchors.occurrences(text, "prose-posts")
    assert all(anchors.occurrences(text, "prose-posts") for text in made)


def test_lists_glosses_and_digit_groups_match_as_before(texts):  # noqa: F811
    from gongkai.privacy import detect
    from gongkai.privacy.names_lexicon import _LIST_RE

    gloss = re.compile(r"(?<=[\u3400-\u9fff])\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")
    groups = re.compile(r"[ -][0-9]{4}[ -][0-9]{4}")
    made = _glued(names_contexts._LIST_WORDS + ("候选人员", "名单如下"), 9)
    made += ["累計(jì)收到", "a(jì)", "(jì)", "徐健匯(huì)款", "138 0000 8000", "6222-0212-3456"]
    for text in texts + made:
        assert anchors.leftmost_longest(text, "list-words") == _spans(_LIST_RE.finditer(text))
        assert _spans(detect._GLOSS.finditer(text)) == _spans(gloss.finditer(text))
        found, expected = detect._TWO_GROUPS.search(text), groups.search(text)
        assert (found and found.span()) == (expected and expected.span())


def test_occurrences_carried_to_the_ascii_copy_are_those_found_in_it(texts):  # noqa: F811
    from gongkai.privacy import detect

    changed = detect._FULLWIDTH_CHARS + "0123456789Xx+-@"
    made = [
        "申请人张三，电话１３８００００８０００",
        "联系人：李四（身份证号：３３０１０２１９９０）",
    ]
    made += [t.replace("1", "１").replace("3", "３") for t in texts[:400]]
    for text in made:
        if not detect._FULLWIDTH_ANY.search(text):
            continue
        work = detect._FULLWIDTH_RUN.sub(lambda m: m.group().translate(detect._FULLWIDTH), text)
        anchors.forget()
        anchors.occurrences(text, "back")
        anchors.carry(text, work, changed)
        assert anchors._last[0] is work and anchors._last[2] == {"fullwidth"}
        kept = [family for family in anchors._families if family != "fullwidth"]
        carried = {family: anchors.occurrences(work, family) for family in kept}
        assert anchors._last[2]  # not scanned again
        assert anchors.occurrences(work, "fullwidth") == []  # scanned again: asked for
        assert not anchors._last[2]
        assert carried == {family: anchors.occurrences(work, family) for family in kept}
    anchors.forget()


def test_the_callers_text_does_not_grow():
    """The automaton reads a copy: CPython would keep the UTF-8 form it reads with the text."""
    import sys

    from gongkai.privacy import detect

    text = "申请人张三的材料，联系电话13800008000。" * 200
    size = sys.getsizeof(text)
    detect.scan(text)
    assert sys.getsizeof(text) == size
