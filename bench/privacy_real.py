"""The privacy shield on real published text: recall and precision on a hand-labelled set.

    python bench/privacy_real.py                 # the held-out evaluation set
    python bench/privacy_real.py --set dev       # the development set
    python bench/privacy_real.py --set eval2     # the second held-out set (final figures only)
    python bench/privacy_real.py --file my.jsonl --errors 5 --json

Each line of bench/privacy_real/<set>.jsonl is one passage copied from a page a Chinese agency
(or the press) published, with its personal data labelled by hand (format and labelling rules:
bench/README.md). The shield runs exactly as publication runs it: `gongkai.privacy.detect.scan`
minus the findings noted as an office's public line (gongkai/catalogue/shield.py,
`personal_findings`), so the figures are those an editor gets. A hit is an exact span of the
right type; "names (overlap)" also counts a labelled name as found when a found person_name
overlaps it, and a found name as right when it overlaps a labelled one.

Exit status 0 when names recall >= 0.90 and precision >= 0.97 (exact spans) and every other
type that has labels is found with recall and precision 1.0; 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.privacy.detect import scan  # noqa: E402
from gongkai.privacy.findings import TYPES  # noqa: E402

HERE = Path(__file__).resolve().parent / "privacy_real"
NAME = "person_name"
NAME_RECALL_TARGET = 0.90
NAME_PRECISION_TARGET = 0.97
CONTEXT = 20

Span = tuple[int, int, str]  # start, end (exclusive), type


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def shield(text: str) -> list[Span]:
    """What publication blocks: the scan without office lines (see catalogue.shield)."""
    return [(f.start, f.end, f.type) for f in scan(text) if not f.public_contact]


@dataclass
class Tally:
    labelled: int = 0
    found: int = 0
    hits: int = 0

    @property
    def recall(self) -> float:
        return self.hits / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0


@dataclass
class Errors:
    misses: list[tuple[str, str, Span]] = field(default_factory=list)  # passage id, text, span
    false_hits: list[tuple[str, str, Span]] = field(default_factory=list)


@dataclass
class Score:
    types: dict[str, Tally] = field(default_factory=lambda: {t: Tally() for t in TYPES})
    names_overlap_recall: Tally = field(default_factory=Tally)  # labelled names touched
    names_overlap_precision: Tally = field(default_factory=Tally)  # found names touching one
    errors: dict[str, Errors] = field(default_factory=dict)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_passage(score: Score, pid: str, text: str, labels: list[Span], found: list[Span]) -> None:
    """Add one passage's labels and findings to `score` (exact span and type for a hit)."""
    gold, got = set(labels), set(found)
    for span in gold:
        tally = score.types.setdefault(span[2], Tally())
        tally.labelled += 1
        if span in got:
            tally.hits += 1
        else:
            score.errors.setdefault(span[2], Errors()).misses.append((pid, text, span))
    for span in got:
        score.types.setdefault(span[2], Tally()).found += 1
        if span not in gold:
            score.errors.setdefault(span[2], Errors()).false_hits.append((pid, text, span))
    gold_names = [s for s in gold if s[2] == NAME]
    got_names = [s for s in got if s[2] == NAME]
    for span in gold_names:
        score.names_overlap_recall.labelled += 1
        score.names_overlap_recall.hits += any(_overlaps(span, g) for g in got_names)
    for span in got_names:
        score.names_overlap_precision.found += 1
        score.names_overlap_precision.hits += any(_overlaps(span, g) for g in gold_names)


def evaluate(rows: list[dict]) -> Score:
    """Score every passage against the shield's findings."""
    score = Score()
    for row in rows:
        labels = [(lab["start"], lab["end"], lab["type"]) for lab in row["labels"]]
        score_passage(score, row["id"], row["text"], labels, shield(row["text"]))
    return score


def throughput(rows: list[dict], repeat: int) -> tuple[float, float]:
    """UTF-8 megabytes scanned and CPU seconds spent, the whole set scanned `repeat` times (the
    set is small: one pass takes a few milliseconds, below the clock's useful resolution)."""
    texts = [row["text"] for row in rows]
    size = repeat * sum(len(t.encode("utf-8")) for t in texts) / 1e6
    started = time.process_time()
    for _ in range(repeat):
        for text in texts:
            shield(text)
    return size, time.process_time() - started


def passed(score: Score) -> bool:
    names = score.types[NAME]
    if names.recall < NAME_RECALL_TARGET or names.precision < NAME_PRECISION_TARGET:
        return False
    return all(
        tally.recall == 1.0 and tally.precision == 1.0
        for kind, tally in score.types.items()
        if kind != NAME and tally.labelled
    )


def _context(text: str, span: Span) -> str:
    start, end, _ = span
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return f"{before}【{text[start:end]}】{after}".replace("\n", "⏎").replace("\t", "⇥")


def _ratio(value: float, denominator: int, width: int) -> str:
    # A recall with nothing labelled (or a precision with nothing found) is not a figure.
    return f"{value:>{width}.1%}" if denominator else f"{'—':>{width}}"


def report(score: Score, size: float, cpu: float, n_passages: int, errors: int) -> None:
    print(f"{n_passages} passages")
    print(f"{'type':<16}{'labelled':>9}{'found':>7}{'hits':>6}{'recall':>9}{'precision':>11}")
    for kind, tally in score.types.items():
        if not tally.labelled and not tally.found:
            continue
        print(
            f"{kind:<16}{tally.labelled:>9}{tally.found:>7}{tally.hits:>6}"
            f"{_ratio(tally.recall, tally.labelled, 9)}{_ratio(tally.precision, tally.found, 11)}"
        )
    rec, prec = score.names_overlap_recall, score.names_overlap_precision
    print(
        f"{'names (overlap)':<16}{rec.labelled:>9}{prec.found:>7}{rec.hits:>6}"
        f"{_ratio(rec.recall, rec.labelled, 9)}{_ratio(prec.precision, prec.found, 11)}"
    )
    rate = size / cpu if cpu else float("inf")
    print(f"throughput: {rate:.2f} MB/s of CPU time ({cpu:.3f} s for {size:.3f} MB)")
    if errors:
        for kind, errs in sorted(score.errors.items()):
            for title, items in (("misses", errs.misses), ("false hits", errs.false_hits)):
                if items:
                    print(f"\n{kind} — {title} ({len(items)}):")
                for pid, text, span in items[:errors]:
                    print(f"  {pid}: {_context(text, span)}")


def as_json(score: Score, size: float, cpu: float, n_passages: int) -> dict:
    def tally(t: Tally) -> dict:
        return {
            "labelled": t.labelled,
            "found": t.found,
            "hits": t.hits,
            "recall": t.recall if t.labelled else None,
            "precision": t.precision if t.found else None,
        }

    return {
        "passages": n_passages,
        "types": {k: tally(t) for k, t in score.types.items() if t.labelled or t.found},
        "names_overlap": {
            "labelled": score.names_overlap_recall.labelled,
            "found": score.names_overlap_precision.found,
            "recall": score.names_overlap_recall.recall,
            "precision": score.names_overlap_precision.precision,
        },
        "megabytes_scanned": size,
        "cpu_seconds": cpu,
        "mb_per_cpu_second": size / cpu if cpu else None,
        "passed": passed(score),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--set",
        choices=("eval", "dev", "eval2", "eval3", "eval4", "eval5", "eval6"),
        default="eval",
    )
    which.add_argument("--file", type=Path, help="a JSON Lines file in the same format")
    parser.add_argument("--errors", type=int, default=0, metavar="N")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--repeat", type=int, default=20, help="passes over the set for the throughput figure"
    )
    args = parser.parse_args(argv)
    path = args.file or HERE / f"{args.set}.jsonl"
    rows = load(path)
    score = evaluate(rows)
    size, cpu = throughput(rows, max(1, args.repeat))
    if args.json:
        print(json.dumps(as_json(score, size, cpu, len(rows)), ensure_ascii=False, indent=2))
    else:
        report(score, size, cpu, len(rows), args.errors)
    return 0 if passed(score) else 1


if __name__ == "__main__":
    sys.exit(main())
