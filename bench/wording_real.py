"""The wording check on real published paragraphs: false alarms, seeded recall and speed.

    python bench/wording_real.py                    # every split of the fixture
    python bench/wording_real.py --split heldout    # one split (tune | heldout-1 | heldout)
    python bench/wording_real.py --repeat 20        # more passes for the speed figure

The paragraphs are gongkai/wording/tests/fixtures/real_paragraphs.jsonl: text published by
government websites and official news, each with its source (fixtures/SOURCES.md). They are
correct text, so every finding is a false alarm. The splits: "tune" was looked at while the term
list was written; "heldout-1" was measured blind once (its figure is in bench/README.md) and its
one false alarm was then fixed; "heldout" was collected afterwards and never tuned on.

Seeded recall: each known wrong form of the built-in list is written into a real paragraph in
place of a word of the same length and must be found at its span; and, for each term the
edit-distance pass covers, one inner character is replaced by a rare one (亍) and must be found.

Exit status 0 when there is no false alarm and every seed is found; 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.wording.check import (  # noqa: E402
    builtin_terms,
    builtin_termset,
    find_wording,
)

FIXTURE = (
    Path(__file__).resolve().parents[1] / "gongkai/wording/tests/fixtures/real_paragraphs.jsonl"
)


def load(split: str | None) -> list[dict]:
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    return [row for row in rows if split is None or row["split"] == split]


def seeded_recall(rows: list[dict]) -> tuple[int, int, list[str]]:
    """Every known wrong form, and a one-character error in every near-checked term, written
    into a real paragraph; how many are found at their span."""
    rng = random.Random(19)
    texts = [row["text"] for row in rows if row["split"] == "tune"] or [r["text"] for r in rows]
    termset = builtin_termset()
    seeds = [(wrong, term.correct) for term in builtin_terms() for wrong in term.wrong]
    seeds += [
        (
            term.correct[: len(term.correct) // 2]
            + "亍"
            + term.correct[len(term.correct) // 2 + 1 :],
            term.correct,
        )
        for term in builtin_terms()
        if term.near_enabled
    ]
    found, missed = 0, []
    for wrong, _correct in seeds:
        text = rng.choice(texts)
        at = rng.randrange(0, max(1, len(text) - 1))
        seeded = text[:at] + "。" + wrong + "。" + text[at:]
        start = at + 1
        hits = find_wording(seeded, terms=termset)
        if any(
            h.start <= start
            and start + len(wrong) <= h.end + 0
            or (h.start >= start and h.end <= start + len(wrong))
            for h in hits
        ):
            found += 1
        else:
            missed.append(wrong)
    return found, len(seeds), missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["tune", "heldout-1", "heldout"])
    parser.add_argument("--repeat", type=int, default=5, help="passes over the paragraphs")
    args = parser.parse_args()
    rows = load(args.split)
    termset = builtin_termset()
    by_split: Counter = Counter(row["split"] for row in rows)
    alarms: Counter = Counter()
    examples = []
    for row in rows:
        for finding in find_wording(row["text"], terms=termset):
            alarms[row["split"]] += 1
            examples.append((row["split"], finding.found, finding.suggestion, row["source"]))
    chars = sum(len(row["text"]) for row in rows)
    started = time.perf_counter()
    for _ in range(args.repeat):
        for row in rows:
            find_wording(row["text"], terms=termset)
    elapsed = time.perf_counter() - started
    passes = len(rows) * args.repeat
    print(f"terms: {len(builtin_terms())} built-in, {len(termset.by_wrong)} known wrong forms")
    for split in ("tune", "heldout-1", "heldout"):
        if by_split[split]:
            print(
                f"{split:>10}: {by_split[split]} paragraphs, {alarms[split]} false alarms "
                f"({alarms[split] / by_split[split]:.1%} of paragraphs)"
            )
    for split, found, suggestion, source in examples:
        print(f"  false alarm [{split}] {found} → {suggestion}  ({source})")
    print(
        f"speed: {passes / elapsed:,.0f} paragraphs/s, {chars * args.repeat / elapsed / 1e6:.2f} "
        f"M characters/s ({len(rows)} paragraphs, {chars:,} characters, {args.repeat} passes)"
    )
    found, total, missed = seeded_recall(load(None))
    print(f"seeded misspellings found: {found}/{total}")
    for wrong in missed[:20]:
        print(f"  missed seed: {wrong}")
    return 0 if not examples and found == total else 1


if __name__ == "__main__":
    sys.exit(main())
