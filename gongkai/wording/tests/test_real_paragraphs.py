"""Precision on real published text and recall on seeded misspellings.

fixtures/real_paragraphs.jsonl holds paragraphs published by government websites and official
news (annual reports on 政府信息公开, 通知, work reports, 条例 text, local news), one JSON object
a line with its source address (fixtures/SOURCES.md lists them) and its split: "tune" (looked at
while writing the term list), "heldout-1" (measured blind once: one false alarm, then fixed) and
"heldout" (never looked at while tuning; bench/wording_real.py reports its figure).
"""

import json
import random
from pathlib import Path

import pytest

from gongkai.wording.check import KNOWN, NEAR, find_wording

FIXTURE = Path(__file__).parent / "fixtures" / "real_paragraphs.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def test_the_fixture_has_200_paragraphs_with_their_sources():
    assert len(ROWS) >= 200
    for row in ROWS:
        assert row["source"].startswith(("http://", "https://", "../shared/")), row
        assert row["split"] in ("tune", "heldout-1", "heldout")
        assert len(row["text"]) >= 20


@pytest.mark.parametrize("split", ["tune", "heldout-1", "heldout"])
def test_no_finding_on_real_published_paragraphs(split):
    false_alarms = [
        (row["source"], f.found, f.suggestion)
        for row in ROWS
        if row["split"] == split
        for f in find_wording(row["text"])
    ]
    assert false_alarms == []


# (correct text found in the real paragraphs, a known misspelling of it)
KNOWN_SEEDS = [
    ("中华人民共和国政府信息公开条例", "中华人民共和国政府公开信息条例"),
    ("政府信息公开工作年度报告", "政府信息工开工作年度报告"),
    ("习近平新时代中国特色社会主义思想", "习近平新时期中国特色社会主义思想"),
    ("扫黑除恶", "扫黑险恶"),
    ("纪检监察", "纪检检察"),
    ("人民检察院", "人民检查院"),
    ("营商环境", "营商坏境"),
    ("乡村振兴", "乡村振新"),
    ("部署", "布署"),
    ("全国人民代表大会常务委员会", "全国人民代表大会常委委员会"),
    ("人民代表大会常务委员会", "人民代表大会常务委会"),
    ("最高人民检察院", "最高人民检查院"),
    ("高举中国特色社会主义伟大旗帜", "高举中国特设社会主义伟大旗帜"),
    ("依申请公开", "依申清公开"),
]
# (correct text, the same with one character changed inside): found by edit distance only.
NEAR_SEEDS = [
    ("中华人民共和国政府信息公开条例", "中华人民共和国政府信息公幵条例"),
    ("全国人民代表大会常务委员会", "全国人民代表大会常务委原会"),
    ("习近平新时代中国特色社会主义思想", "习近平新时代中国特色社会主乂思想"),
    ("中央第三生态环境保护督察组", None),  # not a term: nothing to seed
]


def _paragraph_with(text):
    for row in ROWS:
        if text in row["text"]:
            return row["text"]
    return None


@pytest.mark.parametrize(("correct", "wrong"), KNOWN_SEEDS)
def test_a_seeded_known_misspelling_is_found_at_its_span(correct, wrong):
    paragraph = _paragraph_with(correct)
    assert paragraph, f"no real paragraph holds {correct}"
    start = paragraph.index(correct)
    seeded = paragraph[:start] + wrong + paragraph[start + len(correct) :]
    findings = find_wording(seeded)
    # The finding is the misspelt part: where the seed carries context, only the changed word.
    lead = next(i for i, (a, b) in enumerate(zip(correct, wrong, strict=False)) if a != b)
    assert len(findings) == 1
    (finding,) = findings
    assert finding.kind == KNOWN
    assert start <= finding.start <= start + lead < finding.end <= start + len(wrong)
    assert seeded[finding.start : finding.end] == finding.found
    assert finding.suggestion in correct


@pytest.mark.parametrize(("correct", "wrong"), [s for s in NEAR_SEEDS if s[1]])
def test_a_seeded_one_character_error_is_found_by_edit_distance(correct, wrong):
    paragraph = _paragraph_with(correct)
    assert paragraph
    start = paragraph.index(correct)
    seeded = paragraph[:start] + wrong + paragraph[start + len(correct) :]
    findings = find_wording(seeded)
    assert [(f.start, f.end, f.found, f.suggestion, f.kind) for f in findings] == [
        (start, start + len(wrong), wrong, correct, NEAR)
    ]


def test_several_seeds_in_one_body_are_all_found_in_order():
    rng = random.Random(19)
    body_rows = [row["text"] for row in ROWS if row["split"] == "tune"]
    seeded, expected = [], []
    offset = 0
    for correct, wrong in KNOWN_SEEDS:
        paragraph = _paragraph_with(correct)
        start = paragraph.index(correct)
        text = paragraph[:start] + wrong + paragraph[start + len(correct) :]
        filler = rng.choice(body_rows)
        (finding,) = find_wording(text)
        expected.append((offset + finding.start, finding.found))
        seeded.append(text)
        offset += len(text) + 1
        seeded.append(filler)
        offset += len(filler) + 1
    findings = find_wording("\n".join(seeded))
    assert [(f.start, f.found) for f in findings] == expected
