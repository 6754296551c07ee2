"""Segmentation and query parsing: plain Python, no database."""

import pytest

from gongkai.search.segment import (
    MAX_CLAUSES,
    AllOf,
    AnyOf,
    Phrase,
    Segmenter,
    Term,
    builtin_words,
    segment_for_index,
    segment_query,
    split_quotes,
)


def tokens(text: str) -> list[str]:
    return segment_for_index(text).split()


@pytest.mark.parametrize(
    "word", ["六横镇", "普陀区", "最多跑一次", "无差别受理", "政务公开", "一事一议", "浙里办"]
)
def test_project_terms_stay_one_word(word):
    assert word in [w for w, _freq in builtin_words()]
    assert word in tokens(f"关于{word}的通知")
    assert segment_query(word).clauses == (Term(word),)


def test_without_the_project_dictionary_a_place_name_falls_apart():
    plain = Segmenter(builtin=False)
    assert "六横镇" not in plain.segment_for_index("六横镇召开会议").split()
    assert "六横镇" in tokens("六横镇召开会议")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("关于2026年部门预算的公示", "预算"),
        ("关于2026年部门预算的公示", "公示"),
        ("关于做好春节期间安全工作的通知", "通知"),
        ("六横镇人民政府", "政府"),  # inside a longer word: its bigrams are indexed
        ("六横镇人民政府", "六横"),  # inside a dictionary word
        ("无差别受理窗口", "受理"),
    ],
)
def test_two_character_words_are_tokens(text, word):
    assert word in tokens(text)
    assert segment_query(word).clauses == (Term(word),)


def test_unknown_single_characters_are_interleaved_with_their_bigrams():
    assert tokens("登步岛开展工作")[:5] == ["登", "登步", "步", "步岛", "岛"]
    # The query takes the run's bigrams, which the document has.
    assert segment_query("登步岛").clauses == (AllOf((Term("登步"), Term("步岛"))),)
    assert segment_query("步岛").clauses == (Term("步岛"),)


def test_punctuation_and_case():
    assert tokens("Ｇ２０峰会，APP上线！") == ["g20", "峰会", "app", "上线"]
    assert segment_query("，。！").clauses == ()
    assert not segment_query("   ")


def test_punctuation_breaks_a_run_of_single_characters():
    assert "步岛" not in tokens("登步，岛")


def test_phrases_in_every_kind_of_quotes():
    for text in ['"安全生产"', "“安全生产”", "「安全生产」", "『安全生产』", "”安全生产“"]:
        assert segment_query(text).clauses == (Phrase(("安全", "生产")),), text
    parsed = segment_query('六横镇 "安全生产" 会议')
    assert parsed.clauses == (Term("六横镇"), Phrase(("安全", "生产")), Term("会议"))
    assert parsed.highlights == ("六横镇", "安全生产", "会议")


def test_a_phrase_is_the_index_stream_of_its_text():
    phrase = segment_query("“六横镇人民政府”").clauses[0]
    assert isinstance(phrase, Phrase)
    stream = tokens("六横镇人民政府")
    assert list(phrase.tokens) == stream


def test_unclosed_quote_is_ordinary_text():
    assert split_quotes('安全 "生产') == [(False, "安全  生产")]
    assert segment_query('安全 "生产').clauses == (Term("安全"), Term("生产"))


def test_terms_are_deduplicated_and_capped():
    assert segment_query("会议 会议").clauses == (Term("会议"),)
    many = " ".join(f"词{i}号" for i in range(MAX_CLAUSES + 5))
    assert len(segment_query(many).clauses) <= MAX_CLAUSES


def test_fresh_staff_words_are_also_searched_by_their_bigrams():
    segmenter = Segmenter()
    segmenter.load_words(["登步岛"])
    assert "登步岛" in segmenter.segment_for_index("登步岛开展工作").split()
    assert segmenter.segment_query("登步岛").clauses == (Term("登步岛"),)
    assert segmenter.segment_query("登步岛", fresh=frozenset({"登步岛"})).clauses == (
        AnyOf((Term("登步岛"), AllOf((Term("登步"), Term("步岛"))))),
    )


def test_removing_a_staff_word_restores_jiebas_own_frequency():
    segmenter = Segmenter()
    before = segmenter.segment_for_index("安全生产工作")
    segmenter.load_words(["安全生产", "登步岛"])
    assert "安全生产" in segmenter.segment_for_index("安全生产工作").split()
    segmenter.load_words(["登步岛"])
    assert segmenter.segment_for_index("安全生产工作") == before
    segmenter.load_words([])
    assert "登步岛" not in segmenter.segment_for_index("登步岛").split()


def test_long_tokens_are_dropped():
    assert tokens("a" * 41 + " 会议") == ["会议"]
