"""The real-text corpus (bench/privacy_real/dev.jsonl, eval.jsonl, eval2.jsonl … eval6.jsonl) is
well-formed, and the runner (bench/privacy_real.py) scores a passage the way its
report says it does.

The detector's figures on dev and eval are held above floors (the last test); the evaluation set
is measured there, never tuned on. eval3, eval5 and eval6 are held-out sets kept for the final
figures (eval2 and eval4 were opened for development in the fourth session, when eval5 was made;
eval6 was made in the fifth): they have no floor here and are only checked for their format and
their pages."""

import functools
import importlib.util
import itertools
import json
import re
import sys
from pathlib import Path

import pytest

from gongkai.privacy.checks import id_check_ok, luhn_ok
from gongkai.privacy.findings import TYPES

BENCH = Path(__file__).resolve().parents[3] / "bench"
CORPUS = BENCH / "privacy_real"
KINDS = {"公示", "名单", "处罚决定书", "答复书", "通知", "新闻", "其他"}
KEYS = {"id", "source", "publisher", "kind", "text", "labels"}
# Each set and the prefix of its passage ids (dev-001, eval-001, e2-001, e3-001, e4-001).
SETS = {
    "dev": "dev",
    "eval": "eval",
    "eval2": "e2",
    "eval3": "e3",
    "eval4": "e4",
    "eval5": "e5",
    "eval6": "e6",
}


@functools.cache
def _runner():
    spec = importlib.util.spec_from_file_location("privacy_real", BENCH / "privacy_real.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _rows(name: str) -> list[dict]:
    path = CORPUS / f"{name}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize("name", list(SETS))
def test_corpus_is_well_formed(name):
    rows = _rows(name)
    assert rows
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert KEYS <= set(row), row.get("id")
        assert set(row) <= KEYS | {"synthetic_ids"}, row["id"]
        assert re.fullmatch(rf"{SETS[name]}-\d{{3,4}}", row["id"]), row["id"]
        assert row["source"].startswith(("http://", "https://")), row["id"]
        assert row["kind"] in KINDS, row["id"]
        assert row.get("synthetic_ids", True) is True, row["id"]
        text, previous_end = row["text"], 0
        assert text.strip(), row["id"]
        for label in row["labels"]:
            assert label["type"] in TYPES, row["id"]
            assert 0 <= label["start"] < label["end"] <= len(text), row["id"]
            assert text[label["start"] : label["end"]] == label["text"], (row["id"], label)
            # Sorted and non-overlapping.
            assert label["start"] >= previous_end, (row["id"], label)
            previous_end = label["end"]


@pytest.mark.parametrize("name", list(SETS))
def test_identifiers_are_of_a_real_shape(name):
    """Identifiers replaced by made-up ones must still look real (check digits included), or
    the set would measure the detector on numbers it rightly refuses."""
    for row in _rows(name):
        for label in row["labels"]:
            value = label["text"]
            if label["type"] == "id_card":
                assert id_check_ok(value.upper()), (row["id"], value)
            elif label["type"] == "bank_card":
                assert luhn_ok(re.sub(r"\D", "", value)), (row["id"], value)
            elif label["type"] == "mobile":
                assert re.search(r"1[3-9]\d", re.sub(r"\D", "", value)), (row["id"], value)


@pytest.mark.parametrize("first, second", list(itertools.combinations(SETS, 2)))
def test_sets_share_no_page(first, second):
    """A page copied into one set is in no other: the held-out sets stay unseen."""
    pages = {row["source"] for row in _rows(first)}
    overlap = [row["id"] for row in _rows(second) if row["source"] in pages]
    assert overlap == []


@pytest.mark.parametrize("name", ["eval2", "eval3", "eval4", "eval5", "eval6"])
def test_held_out_passages_are_listed_in_sources(name):
    listed = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for row in _rows(name):
        assert f"- {row['id']} → " in listed, row["id"]
        assert row["source"] in listed, row["id"]


def test_scoring_counts_hits_misses_false_and_wrong_type_hits():
    runner = _runner()
    score = runner.Score()
    labels = [(0, 2, "person_name"), (5, 8, "person_name"), (10, 21, "mobile")]
    found = [
        (0, 2, "person_name"),  # a true positive
        # (5, 8) is missed
        (30, 32, "person_name"),  # a false hit
        (10, 21, "landline"),  # the right span with the wrong type
    ]
    runner.score_passage(score, "t-1", "x" * 40, labels, found)
    names, mobile, landline = (
        score.types["person_name"],
        score.types["mobile"],
        score.types["landline"],
    )
    assert (names.labelled, names.found, names.hits) == (2, 2, 1)
    assert (mobile.labelled, mobile.found, mobile.hits) == (1, 0, 0)
    assert (landline.labelled, landline.found, landline.hits) == (0, 1, 0)
    assert names.recall == 0.5 and names.precision == 0.5
    assert mobile.recall == 0.0 and landline.precision == 0.0
    assert [e[2] for e in score.errors["person_name"].misses] == [(5, 8, "person_name")]
    assert [e[2] for e in score.errors["person_name"].false_hits] == [(30, 32, "person_name")]
    assert [e[2] for e in score.errors["mobile"].misses] == [(10, 21, "mobile")]
    assert [e[2] for e in score.errors["landline"].false_hits] == [(10, 21, "landline")]
    assert not runner.passed(score)


def test_overlap_line_counts_partly_found_names():
    runner = _runner()
    score = runner.Score()
    # 欧阳建国 labelled at 0-4; the shield finds 欧阳建 (0-3): not exact, but it overlaps.
    runner.score_passage(
        score, "t-2", "欧阳建国同志", [(0, 4, "person_name")], [(0, 3, "person_name")]
    )
    assert score.types["person_name"].hits == 0
    assert score.names_overlap_recall.hits == 1
    assert score.names_overlap_precision.precision == 1.0


def test_passing_needs_the_name_targets_and_perfect_other_types():
    runner = _runner()
    score = runner.Score()
    labels = [(i * 10, i * 10 + 2, "person_name") for i in range(10)] + [(200, 218, "id_card")]
    runner.score_passage(score, "t-3", "x" * 300, labels, labels[:9] + labels[10:])
    assert score.types["person_name"].recall == 0.9
    assert runner.passed(score)
    # A type with labels must be perfect: one e-mail found and one false e-mail fail the run.
    email = (260, 275, "email")
    runner.score_passage(score, "t-4", "x" * 300, [email], [email, (280, 295, "email")])
    assert score.types["email"].precision == 0.5
    assert not runner.passed(score)


# Floors, not targets: the figures measured when these sets were made (bench/README.md), a
# little below, so that a change that loses names or starts blocking words on real text fails
# here. The evaluation set is only measured, never tuned on.
# eval's floor is a loose guard on purpose: its failure prints eval's figures, and whoever
# works on the names must not read them while choosing anything (bench/README.md).
FLOORS = {"dev": (0.90, 0.965), "eval": (0.85, 0.95)}


@pytest.mark.parametrize("name", ["dev", "eval"])
def test_shield_keeps_its_figures_on_real_text(name):
    score = _runner().evaluate(_rows(name))
    names = score.types["person_name"]
    recall_floor, precision_floor = FLOORS[name]
    assert names.recall >= recall_floor, (names.hits, names.labelled)
    assert names.precision >= precision_floor, (names.hits, names.found)
    for kind, tally in score.types.items():
        if kind != "person_name" and tally.labelled:
            assert tally.recall == 1.0, kind
