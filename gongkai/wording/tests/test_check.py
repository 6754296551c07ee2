"""The checker on its own: no database, no Django settings needed."""

import pytest

from gongkai.wording.check import (
    KNOWN,
    NEAR,
    Term,
    builtin_terms,
    compile_terms,
    find_wording,
    osa_distance,
)


def spans(text, **kwargs):
    return [(f.start, f.end, f.found, f.suggestion, f.kind) for f in find_wording(text, **kwargs)]


def test_a_known_misspelling_is_found_at_its_span():
    text = "根据《中华人民共和国政府公开信息条例》第十九条"
    assert spans(text) == [
        (3, 18, "中华人民共和国政府公开信息条例", "中华人民共和国政府信息公开条例", KNOWN)
    ]
    assert text[3:18] == "中华人民共和国政府公开信息条例"


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("二十大三中全会", "二十届三中全会"),
        ("中央纪律检察委员会", "中央纪律检查委员会"),
        ("最高人民检查院", "最高人民检察院"),
        ("扫黑险恶", "扫黑除恶"),
        ("国家总体安全观", "总体国家安全观"),
        ("退伍军人事务局", "退役军人事务局"),
        ("习近平新时期中国特色社会主义思想", "习近平新时代中国特色社会主义思想"),
        ("“十四五”计划", "“十四五”规划"),
        ("再接再励", "再接再厉"),
    ],
)
def test_listed_wrong_forms(wrong, right):
    text = f"会议要求，{wrong}，务必落实。"
    found = find_wording(text)
    assert [(f.found, f.suggestion, f.kind) for f in found] == [(wrong, right, KNOWN)]
    assert text[found[0].start : found[0].end] == wrong


def test_one_edit_away_from_a_long_term_is_a_near_finding():
    text = "经全国人民代表大会常务委原会第十次会议通过"
    assert spans(text) == [
        (1, 14, "全国人民代表大会常务委原会", "全国人民代表大会常务委员会", NEAR)
    ]


def test_near_covers_omission_insertion_and_transposition():
    assert spans("向人力资源和社保障局申请")[0][2:] == (
        "人力资源和社保障局",
        "人力资源和社会保障局",
        NEAR,
    )
    assert spans("国家发展和改革革委员会")[0][3:] == ("国家发展和改革委员会", NEAR)
    assert spans("中国人民政治商协会议")[0][3:] == ("中国人民政治协商会议", NEAR)


@pytest.mark.parametrize(
    "text",
    [
        "中华人民共和国国务院令第711号",  # the term followed by another that starts alike
        "全国人民代表大会常务委员会副委员长",
        "浙江省人民代表大会常务委员会",
        "中华人民共和国、国务院各部门",  # punctuation between two terms
        "坚持社会主义核心价值体系",  # a legitimate neighbour of 社会主义核心价值观
        "在门户网站发布署名文章",  # 布署 inside correct text
        "习近平新时代中国特色社会主义思想",
        "中国人民政治协商会议全国委员会",
        "",
    ],
)
def test_correct_text_gives_nothing(text):
    assert find_wording(text) == []


def test_a_wrong_form_inside_another_terms_correct_form_is_not_a_finding():
    terms = [
        Term(correct="国务院", wrong=("国务",), near=False),
        Term(correct="国务院办公厅", near=False),
    ]
    assert [f.found for f in find_wording("国务院办公厅；国务", terms=terms)] == ["国务"]


def test_allow_contexts_protect_a_wrong_form():
    terms = [Term(correct="部署", wrong=("布署",), allow=("发布署",))]
    assert [f.start for f in find_wording("发布署名；布署", terms=terms)] == [5]


def test_the_longest_wrong_form_wins():
    terms = [
        Term(correct="政府信息公开条例", wrong=("政府公开信息条例",)),
        Term(
            correct="中华人民共和国政府信息公开条例",
            wrong=("中华人民共和国政府公开信息条例",),
        ),
    ]
    found = find_wording("《中华人民共和国政府公开信息条例》", terms=terms)
    assert [(f.start, f.end) for f in found] == [(1, 16)]


def test_near_is_off_for_short_terms_and_on_request():
    short = [Term(correct="信访局", near=True)]
    assert [f.found for f in find_wording("市信仿局", terms=short)] == ["信仿局"]
    assert find_wording("市信仿局", terms=[Term(correct="信访局")]) == []


def test_as_dict_carries_the_term():
    (finding,) = find_wording("人民检查院")
    data = finding.as_dict()
    assert data["suggestion"] == "人民检察院"
    assert data["kind"] == KNOWN
    assert data["source"] == "builtin"
    assert data["basis"]


def test_compiled_terms_can_be_reused():
    terms = compile_terms([Term(correct="政务公开", wrong=("政务工开",))])
    assert len(terms) == 1
    assert [f.found for f in find_wording("政务工开", terms=terms)] == ["政务工开"]


def test_osa_distance():
    assert osa_distance("政府信息公开", "政府信息公开") == 0
    assert osa_distance("政府信息公开", "政府信公息开") == 1
    assert osa_distance("政府信息公开", "政府信息开") == 1
    assert osa_distance("政府信息公开", "信息公开政府") == 2  # capped at limit + 1


def test_builtin_list_is_consistent():
    terms = builtin_terms()
    assert len(terms) >= 300
    corrects = {t.correct for t in terms}
    for term in terms:
        assert term.correct not in term.wrong
        assert term.basis, term.correct
        for wrong in term.wrong:
            assert wrong not in corrects, wrong
            # Each wrong form is found on its own, with its term's suggestion (or a longer one's).
            found = find_wording(wrong)
            assert found, wrong
            assert found[0].found == wrong or len(found[0].found) < len(wrong), wrong


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("政府信息公开", "政府信息公开"),
        ("政府信息公开", "政府信公息开"),
        ("政府信息公开", "政府信息开"),
        ("政府信息公开", "政府信息公公开"),
        ("政府信息公开", "政府信急公升"),
        ("政府信息公开", "信息公开政府"),
        ("政府信息公开", "府政信息公开"),
        ("政府信息公开", "政府信息公开条例"),
        ("政府", "政"),
    ],
)
def test_one_edit_apart_agrees_with_the_distance(a, b):
    from gongkai.wording.check import one_edit_apart

    assert one_edit_apart(a, b) == (osa_distance(a, b) == 1)
