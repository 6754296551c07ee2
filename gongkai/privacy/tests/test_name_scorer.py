"""The learned scorer of names with no rule around them (gongkai/privacy/name_scorer.py)."""

import json
import math
from pathlib import Path

import pytest

from gongkai.privacy import name_scorer, name_scorer_weights, namemodel, names
from gongkai.privacy.name_filters import keep
from gongkai.privacy.tests.helpers import person_names as _names
from gongkai.privacy.traditional import simplified

DEV = Path(__file__).resolve().parents[3] / "bench" / "privacy_real" / "dev.jsonl"
FEATURES = set(
    name_scorer.LEFT
    + name_scorer.RIGHT
    + name_scorer.OTHER_CONTEXT
    + (
        "glen1", "glen2", "sur_top20", "sur_top100", "sur_other", "g_not", "g_t1", "g_t2",
        "g_t3", "g_none", "w_nr", "w_common", "w_rare", "g_org_last", "w_given_word",
        "w_head_word", "gr_hi", "gr_mid", "gr_lo", "gr_neg", "gr_vneg",
    )
)  # fmt: skip


def test_weights_are_the_features_the_scorer_computes():
    assert name_scorer_weights.WEIGHTS
    assert set(name_scorer_weights.WEIGHTS) <= FEATURES
    assert 0.5 < name_scorer_weights.THRESHOLD < 1


def _reference(text, taken):
    """find() without its staged sums: every candidate scored from all its features."""
    scored = []
    for start, end in name_scorer.candidates(text, taken):
        p = name_scorer.score(name_scorer.features(text, start, end))
        if p >= name_scorer.THRESHOLD:
            scored.append((start, end, p))
    return scored


def _dev_rows():
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]


def test_staged_sums_take_the_spans_the_full_score_takes():
    """find() adds the features in stages and drops a span once nothing left could lift it:
    the spans above the threshold must be those of the plain score, on every dev passage."""
    assert _staged_like_plain(_dev_rows()) > 20


def _staged_like_plain(rows):
    checked = 0
    for row in rows:
        text = simplified(row["text"])
        taken = [(s, e) for s, e, _ in keep(text, names.find_names(text))]
        expected = _reference(text, taken)
        got = name_scorer.find(text, taken)
        # find() keeps the best of overlapping spans and adds other occurrences: every span
        # it takes first is one the plain score takes, with the same confidence
        by_span = {(s, e): p for s, e, p in expected}
        for start, end, p in got:
            if (start, end) in by_span:
                assert math.isclose(p, round(by_span[start, end], 3)), (row["id"], start)
                checked += 1
            else:
                # an occurrence of a string taken elsewhere
                assert any(text[s:e] == text[start:end] for s, e, _ in expected), row["id"]
        # and no span above the threshold is left out unless it overlaps a taken one
        taken_spans = [(s, e) for s, e, _ in got]
        for start, end, _ in expected:
            assert any(s < end and start < e for s, e in taken_spans), (row["id"], start)
    return checked


@pytest.mark.parametrize("sign", ["learned", "all positive", "all negative"])
def test_what_a_span_s_neighbours_leave_bounds_its_context(sign, monkeypatch):
    """find() drops a span when its own sum and the most its neighbours leave its context able
    to add miss the threshold (`_left_room`, `_right_room`, `_bound`): that most must hold what
    every candidate's context adds, whatever the signs of the weights, and the staged sums must
    still take what the plain score takes."""
    weights = dict(name_scorer_weights.WEIGHTS)
    if sign != "learned":
        weights = {f: abs(w) if sign == "all positive" else -abs(w) for f, w in weights.items()}
    monkeypatch.setattr(name_scorer, "WEIGHTS", weights)
    name_scorer._bound.cache_clear()
    name_scorer._span_sum.cache_clear()
    rows = _dev_rows()[::4]
    try:
        cut, most, (free, _) = name_scorer._bound()
        joint = name_scorer._plus("both_edges") + name_scorer._plus("x_list")
        for row in rows:
            text = simplified(row["text"])
            for start, end in name_scorer.candidates(text, []):
                left = name_scorer._left_room(text[start - 1] if start else "")
                right = name_scorer._right_room(text[end : end + 1])
                room = left[0] + right[0] + free + (joint if left[3] and right[2] else 0.0)
                added = name_scorer._sum(name_scorer.context_features(text, start, end))
                assert added <= room + 1e-9 <= most + 2e-9, (row["id"], start, end)
        _staged_like_plain(rows)
    finally:
        monkeypatch.undo()
        name_scorer._bound.cache_clear()
        name_scorer._span_sum.cache_clear()


def test_bylines_and_list_items_with_no_label_the_rules_know():
    assert _names("省乒羽中心来校洽谈培训合作工作\n\n作者:吕红波时间:2024-05-13点击数:") == [
        "吕红波"
    ]
    text = "二等奖5名:姜依伦(浙江温州市龙湾区海城一小)许永康(江苏邳州市新河镇袁场小学)"
    assert "姜依伦" in _names(text)
    assert "许永康" in _names(text)


def test_traditional_script_is_read_as_simplified():
    assert _names("文/賈麗英\n被告人認罪審程序的“破”與“立”") == ["賈麗英"]


def test_a_surname_with_a_title_or_a_road_is_not_taken():
    assert _names("他们办理报名手续时,市民张先生风风火火地走了进来。") == []
    assert _names("止点为高路的道路命名为“高塘路”。将位于高塘路北。") == []
    assert _names("车辆在道路上疾驰,穿过了镇政府。") == []


def test_an_item_of_a_list_next_to_a_name_shaped_item():
    text = "于蓝 于漪 于海俊\n"
    assert "x_list" in name_scorer.features(text, 0, 2)
    assert "x_list" in name_scorer.features(text, 6, 9)
    # a whole item, but nothing name-shaped next to it; or not a whole item
    assert "x_list" not in name_scorer.features("上午 于漪 报告厅很大", 3, 5)
    assert "x_list" not in name_scorer.features("于蓝 于漪说", 3, 5)


def test_a_word_for_a_person_or_a_label_for_one_before_the_span():
    assert "l_agent" in name_scorer.features("落水儿童家长邹联志说", 6, 9)
    assert "l_label" in name_scorer.features("发布人：郑科研 | 发布日期", 4, 7)
    assert "l_agent" not in name_scorer.features("会上，邹联志说", 3, 6)


def test_a_string_named_three_times_is_often():
    text = "中心的段永照收到锦旗。9日,段永照换防后用餐。见到段永照,确认"
    assert "x_often" in name_scorer.features(text, 3, 6)
    assert "x_often" not in name_scorer.features("段永照收到锦旗。段永照说", 0, 3)
    assert "repeated" in name_scorer.features("段永照收到锦旗。段永照说", 0, 3)


def test_no_weights_no_names():
    saved = name_scorer.WEIGHTS
    name_scorer.WEIGHTS = {}
    try:
        assert name_scorer.find("作者:吕红波时间:2024-05-13", []) == []
    finally:
        name_scorer.WEIGHTS = saved


def test_one_pass_finds_the_occurrences_one_search_per_string_finds(monkeypatch):
    """`_occurrences_of` reads a long text once for all the strings taken: the positions must be
    those of one `str.find` loop per string, overlapping ones and strings sharing a start too."""
    cases = [
        ("张张张三张三丰，三丰张三", {"张张", "张三", "张三丰", "三丰", "三张"}),
        ("李四", {"王五"}),
    ]
    for row in _dev_rows()[::3]:
        text = simplified(row["text"])
        strings = {text[s:e] for s, e, _ in name_scorer.find(text, [])}
        cases.append((text, strings | {text[:2]}))
    for text, strings in cases:
        monkeypatch.setattr(name_scorer, "_ONE_PASS", 1 << 60)
        plain = name_scorer._occurrences_of(text, strings)
        monkeypatch.setattr(name_scorer, "_ONE_PASS", 0)
        assert name_scorer._occurrences_of(text, strings) == plain
    assert name_scorer._occurrences_of(*cases[0]) == {
        "张张": [0, 1], "张三": [2, 4, 10], "张三丰": [4], "三丰": [5, 8], "三张": [3]
    }  # fmt: skip
    assert name_scorer._occurrences_of(*cases[1]) == {"王五": []}


def test_given_ratio_tells_names_characters_from_the_texts():
    """Counted on millions of names: characters no hand-written tier decides."""
    for char in "俊梅欣晶":
        assert namemodel.given_ratio(char) > 3, char
    for char in "回共和术":
        assert namemodel.given_ratio(char) < -1.5, char
    assert name_scorer._ratio_band(namemodel.given_ratio("俊")) == "gr_hi"
    assert name_scorer._ratio_band(namemodel.given_ratio("回")) == "gr_vneg"
    assert "gr_hi" in name_scorer.span_features("王俊")


def test_a_name_no_tier_lists_is_found_by_its_characters():
    # 壮 and 科 are in no first tier; 王壮科 named eight times in a report with nothing else
    # around him was missed before the ratio (dev batch of 2026-12-07)
    text = (
        "我们找到目击者王壮科，请他讲讲当时的情形。\n巡逻的治安员王壮科发现水里有人落水。\n"
        "王壮科不会游泳，在岸边急得团团转。\n还没等王壮科看清，一个人已经跃入水中。"
    )
    assert _names(text) == ["王壮科"] * 4
