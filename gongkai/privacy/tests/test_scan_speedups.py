"""The speed-ups of the name passes find exactly what the plain forms find.

Each rewritten regex or gate is compared with the plain form it replaces on the development
set of real text and on the synthetic benchmark corpus, and on strings made to hit it.
"""

import json
import re
import sys
from pathlib import Path

import pytest

from gongkai.privacy import names, prose_names

ROOT = Path(__file__).resolve().parents[3]
_HAN = prose_names._HAN


@pytest.fixture(scope="module")
def texts() -> list[str]:
    with (ROOT / "bench" / "privacy_real" / "dev.jsonl").open(encoding="utf-8") as fh:
        dev = [json.loads(line)["text"] for line in fh if line.strip()]
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import privacy_bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    made = [text for text, _ in privacy_bench.corpus(1500, 3)]
    words = list(names._BACK_KINDS) + ["王", "李", "张三", "，", "\n", "男", "女"]
    rng = __import__("random").Random(2)
    glued = ["".join(rng.choice(words) for _ in range(60)) for _ in range(300)]
    return dev + made + glued + ["\n".join(dev)]


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_grouped_alternation_finds_what_the_single_regex_finds(texts):
    single = re.compile(names._BACK_RE.pattern)
    for text in texts:
        assert _spans(names._BACK_RE.finditer(text)) == _spans(single.finditer(text))


@pytest.mark.parametrize(
    ("fast", "plain"),
    [
        (
            prose_names._BYLINE_TIME,
            f"(?<=\\d\\d):\\d\\d(?::\\d\\d)?[ \u3000]+([{_HAN}]{{2,3}})[ \u3000]*(?=\\n)",
        ),
        (
            prose_names._POST_IN_BRACKETS,
            f"(?<=[{_HAN}])[（(](?=[^）)\\n]{{0,20}}?(?:{prose_names._POSTS})[^）)\\n]{{0,6}}[）)])",
        ),
    ],
)
def test_patterns_that_start_with_a_literal_match_as_before(texts, fast, plain):
    plain_re = re.compile(plain)
    extra = ["发布时间：2021-11-13 14:26:07 付欣\n", "主持人：王建军（县委副书记）", "12:30 张三\n"]
    for text in texts + extra:
        assert _spans(fast.finditer(text)) == _spans(plain_re.finditer(text))


def test_author_lines_are_looked_for_only_where_their_next_line_can_follow(texts):
    extra = ["陈 越，潘才健\n（武汉大学 法学院）", "龚文婷\n\n摘要：本文", "王五 李四\n1. 引言"]
    for text in texts + extra:
        if prose_names._AUTHOR_LINE.search(text):
            assert prose_names._AUTHOR_LINE_NEXT.search(text)
    assert all(prose_names._AUTHOR_LINE.search(text) for text in extra)


def test_number_patterns_are_looked_for_only_where_their_gate_matches(texts):
    from gongkai.privacy import detect, samples

    rng = __import__("random").Random(4)
    made = [
        f"电话：{samples.landline(rng, style)}，手机 {samples.mobile(rng, 'hyphen')}，"
        f"卡号 {samples.bank_card(rng, grouped=True)}"
        for style in ("hyphen", "paren", "plain", "ext")
        for _ in range(50)
    ]
    for text in texts + made:
        if detect._MOBILE_SEP.search(text) or detect._BANK_GROUPED.search(text):
            assert detect._TWO_GROUPS.search(text)
        if detect._LANDLINE_SEP.search(text):
            assert detect._LOCAL_AFTER_SEP.search(text)
    assert sum(1 for text in made if detect._LANDLINE_SEP.search(text)) >= 150


def test_titles_are_found_where_a_title_ends_before_a_surname(texts):
    title_re = prose_names._tables()[1]
    starts = prose_names._tables()[6]
    lasts = "".join(sorted({w[-1] for w in prose_names.TITLES}))
    plain = re.compile(f"[{lasts}](?=[ \u3000]?[{''.join(sorted(starts))}])")
    for text in texts + ["副镇长王五讲话", "区长 李四，", "长王"]:
        expected = [
            m.span()
            for m in plain.finditer(text)
            if text[m.end() - 2 : m.end()] in prose_names._TITLE_TAILS
        ]
        assert _spans(title_re.finditer(text)) == expected


def _name_in_whole_run(run: str, running_text: bool) -> int:
    """`names._name_in_run` as it was written before its cache was keyed on the run's head."""
    if len(run) > 4 and (run.endswith(names.ORG_SUFFIXES) or run[-1] in names.ORG_LAST_CHARS):
        return 0
    shortest = 3 if len(run) >= 3 and run[:2] in names.COMPOUND_SURNAMES else 2
    for k in range(shortest, min(4, len(run)) + 1):
        rest = run[k:]
        if not rest:
            return k if names.plausible_name(run) else 0
        if not running_text and k < len(run) and not rest.startswith(("同志", "先生", "女士")):
            continue
        if (
            rest.startswith(names._FOLLOW_WORDS)
            or rest[0] in names._FOLLOW_STRONG
            or (len(run) > 4 and rest[0] in names._FOLLOW_WEAK)
        ) and names.plausible_name(run[:k]):
            return k
    return 0


def test_a_name_at_the_head_of_a_run_is_judged_by_the_head_alone(texts):
    runs = {m.group() for text in texts for m in names.HAN_RUN.finditer(text)}
    runs |= {"张三于二〇二六年", "李四先生", "欧阳娜娜身份证号", "王五身份证", "张三委托李四办理"}
    for run in runs:
        for running_text in (True, False):
            assert names._name_in_run(run, running_text) == _name_in_whole_run(run, running_text)


def test_scorer_looks_at_the_spans_of_the_plain_candidate_scan(texts):
    from gongkai.privacy import name_scorer

    cut, after_span, _ = name_scorer._bound()
    for text in texts:
        plain = []
        for m in name_scorer._CANDIDATE.finditer(text):
            run = m.group(1)
            for size in (2, 3):
                if size <= len(run):
                    total = name_scorer._span_sum(run[:size])
                    if total + after_span >= cut:
                        plain.append((m.start(), size, total))
        fast = [
            (m.start(), size, total)
            for m in name_scorer._SURNAME_AT.finditer(text)
            for size, total in name_scorer._open_spans(text[m.start() : m.start() + 3])
        ]
        assert fast == plain


def test_findings_built_without_init_are_the_dataclass():
    from gongkai.privacy import detect
    from gongkai.privacy.findings import Finding

    text = "联系人：张三，电话13800008000"
    fast = detect._finding(text, 4, 6, "person_name", 0.9, "")
    plain = Finding("person_name", 4, 6, "张三", 0.9, "")
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert vars(fast) == vars(plain) and list(vars(fast)) == list(vars(plain))
    with pytest.raises(AttributeError):
        fast.start = 5  # type: ignore[misc]


def test_scorer_forgets_its_open_spans_when_the_weights_are_swapped(texts, monkeypatch):
    """bench/privacy_name_scorer.py swaps the weights and clears `_bound` and `_span_sum`:
    the spans left open by the old weights must not be reused."""
    from gongkai.privacy import name_scorer

    sample = texts[:60]
    before = [name_scorer.find(text, []) for text in sample]

    # a higher bias: the spans' own sums (cached with the spans left open) change
    monkeypatch.setattr(name_scorer, "BIAS", name_scorer.BIAS + 1.0)
    name_scorer._bound.cache_clear()
    name_scorer._span_sum.cache_clear()
    swapped = [name_scorer.find(text, []) for text in sample]
    name_scorer._open_spans.cache_clear()
    assert swapped == [name_scorer.find(text, []) for text in sample]
    assert swapped != before
    monkeypatch.undo()
    name_scorer._bound.cache_clear()
    name_scorer._span_sum.cache_clear()
    assert [name_scorer.find(text, []) for text in sample] == before


def test_scorer_counts_occurrences_as_far_as_its_features_read(texts):
    """`_occurrences` stops at REPETITION_MOST: `_repetition` must read nothing above it, and
    below it the count is str.count's (non-overlapping, from the left)."""
    from gongkai.privacy import name_scorer

    most = name_scorer.REPETITION_MOST
    for n in range(most, 4 * most):
        assert name_scorer._repetition(n) == name_scorer._repetition(most)
    for text in texts[:300] + ["王王王王王", "张三张三，张三", "李四"]:
        for m in name_scorer._SURNAME_AT.finditer(text):
            for end in (m.start() + 2, m.start() + 3):
                if end <= len(text):
                    count = text.count(text[m.start() : end])
                    assert name_scorer._occurrences(text, m.start(), end) == min(count, most)


def _found(matches) -> list[tuple]:
    return [(m.span(), m.groups()) for m in matches]


def test_patterns_tried_only_where_they_can_start_match_as_before(texts):
    from gongkai.privacy import minority_names

    names_spaced = [
        "热汗古丽 依米尔",
        "阿不都热合曼 艾买提 吐尔逊 热合曼",
        "买买提艾力江吐尔 逊阿依",
    ]
    extra = [
        "但是热汗古丽 依米尔在会上说，热汗古丽 依米尔\u3000阿不都",
        " ".join(names_spaced) + "\n" + "\u3000".join(names_spaced),
        "参加人:孙中艮 刘会聪 段太香\n于蓝 于漪 于海俊 卫兴华\r\n 王 五  李 四 赵六 \n张三李四",
        "张三 李四\n王五 赵六\n（北京大学 法学院）\n龚文婷\n\n\n摘要：本文\n\n王五 李四\n1. 引言",
        "",
        " ",
        "\n",
    ]
    rng = __import__("random").Random(6)
    pieces = ["热汗古丽", "依米尔", "艾买提", "吐尔逊", " ", "\u3000", "\n", "：", "张三", "、"]
    extra += ["".join(rng.choice(pieces) for _ in range(40)) for _ in range(500)]
    for text in texts + extra:
        assert _found(minority_names._spaced_matches(text)) == _found(
            minority_names._SPACED.finditer(text)
        )
        assert _found(minority_names._blank_line_matches(text)) == _found(
            minority_names._BLANK_LINE.finditer(text)
        )
        assert _found(prose_names._author_lines(text)) == _found(
            prose_names._AUTHOR_LINE.finditer(text)
        )


def test_patterns_that_start_with_one_of_two_characters_match_as_before(texts):
    from gongkai.privacy import minority_names
    from gongkai.privacy.scanning import OneOf

    tables = prose_names._tables()
    patterns = [
        names._COLON,
        names._SPACED,
        names._BYLINE,
        tables[4],  # credits in brackets
        tables[7],  # a blank, then a post
        prose_names._BORN,
        prose_names._POST_IN_BRACKETS,
        minority_names._SPACED_BLANK,
        minority_names._BLANK,
    ]
    assert all(isinstance(p, OneOf) for p in patterns)
    extra = [
        "申请人：张三\n联系人:李四",
        "王 五\u3000李 四",
        "（张琦）\n(汪孝菲 郑万富)\n",
        "包艳华(1980—)，李红（1975-），",
        "主持人：王建军（县委副书记）、李红(女，副镇长)",
        "接待人：王金岭 党委书记\u3000李明 副县长",
        "",
        "无",
    ]
    for text in texts + extra:
        for pattern in patterns:
            plain = re.compile(pattern.pattern)
            assert _found(pattern.finditer(text)) == _found(plain.finditer(text))
            for pos in (0, 5, len(text) // 2):
                found, expected = pattern.search(text, pos), plain.search(text, pos)
                assert (found and found.span()) == (expected and expected.span())
    assert names._SPACED.pattern == "[ \u3000][ \u3000]*"  # "[ \u3000]+" as it was


def test_the_filters_first_characters_hold_every_word_they_stand_for():
    from gongkai.privacy import name_filters

    # the alternatives of _DOCTRINE, "A|(?:B|C)?D|E", spelled out
    top = re.sub(r"\(\?:([^()]*)\)\?", "", name_filters._DOCTRINE.pattern).split("|")
    inner = re.search(r"\(\?:([^()]*)\)\?", name_filters._DOCTRINE.pattern).group(1).split("|")
    words = top + [w + "思想" for w in inner] + list(name_filters._ORGANISATIONS)
    assert "生态文明思想" in words and "新时代" in words and "理论" in words
    for word in words:
        assert name_filters._DOCTRINE.match(word) or word in name_filters._ORGANISATIONS
        assert word[0] in name_filters._AFTER_FIRST
