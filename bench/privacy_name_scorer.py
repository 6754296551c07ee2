"""Train and cross-validate `gongkai.privacy.name_scorer` on the development set.

    .venv/bin/python bench/privacy_name_scorer.py              # folds by source, figures
    .venv/bin/python bench/privacy_name_scorer.py --write      # also write the weights
    .venv/bin/python bench/privacy_name_scorer.py --ids dev-229:dev-255   # figures on a slice
    .venv/bin/python bench/privacy_name_scorer.py --test batch.jsonl --folds 0   # a fresh batch

Candidates are the spans `name_scorer.candidates` yields on each passage beside the names the
rules find; a candidate is positive when a labelled name has exactly its span. The model is a
logistic regression (plain Python, L2, batch gradient descent). The figures are those of the
whole shield (the rules' names plus the scorer's) with folds that keep every passage of one
source (page) on the same side: each passage is scored by a model that never saw its page.
eval and eval2 are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gongkai.privacy import detect, name_scorer, names  # noqa: E402
from gongkai.privacy.findings import PERSON_NAME  # noqa: E402
from gongkai.privacy.name_filters import drop_heads, drop_things, keep  # noqa: E402
from gongkai.privacy.traditional import simplified  # noqa: E402

DEV = ROOT / "bench" / "privacy_real" / "dev.jsonl"
WEIGHTS = ROOT / "gongkai" / "privacy" / "name_scorer_weights.py"


def load(path: Path = DEV):
    saved = name_scorer.WEIGHTS
    name_scorer.WEIGHTS = {}  # the rules alone
    try:
        return _load(path)
    finally:
        name_scorer.WEIGHTS = saved


def _load(path: Path):
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    data = []
    for row in rows:
        text = row["text"]
        gold = {(lab["start"], lab["end"]) for lab in row["labels"] if lab["type"] == PERSON_NAME}
        found = {(f.start, f.end) for f in detect.scan(text) if f.type == PERSON_NAME}
        plain = simplified(text)
        taken = [(s, e) for s, e, _ in keep(plain, names.find_names(plain))]
        taken += list(found)
        cands = []
        for start, end in name_scorer.candidates(plain, taken):
            on = name_scorer.features(plain, start, end)
            cands.append((start, end, on, (start, end) in gold))
        data.append(
            {
                "row": row,
                "gold": gold,
                "found": found,
                "plain": plain,
                "taken": taken,
                "cands": cands,
            }
        )
    return data


# "newton" (the default): the penalised likelihood's optimum, found by Newton's method;
# "gradient": 400 rounds of plain gradient descent from zero, as the weights were first
# learned (it stops far from the optimum, so its weights are shrunk towards zero).
SOLVER = ["newton"]


def train(examples, l2=1.0):
    """Logistic regression with an L2 penalty; positives weighed up so that the model sees
    them (the threshold is set after)."""
    if SOLVER[0] == "gradient":
        return train_gradient(examples)
    import numpy as np  # a training tool's dependency (numpy comes with pymupdf), not scan's

    names_ = sorted({f for on, _ in examples for f in on})
    index = {f: i for i, f in enumerate(names_)}
    n = len(examples)
    x = np.zeros((n, len(names_) + 1))
    x[:, 0] = 1.0  # the bias, not penalised
    for row, (on, _) in enumerate(examples):
        for f in on:
            x[row, index[f] + 1] += 1.0
    y = np.array([1.0 if label else 0.0 for _, label in examples])
    pos = y.sum()
    wpos = (n - pos) / max(pos, 1) * 0.2 if pos else 1.0
    weight = np.where(y > 0, wpos, 1.0)
    penalty = np.full(len(names_) + 1, l2)
    penalty[0] = 1e-6
    w = np.zeros(len(names_) + 1)
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ ((p - y) * weight) + penalty * w
        hessian = (x * (weight * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return float(w[0]), {f: float(w[i + 1]) for i, f in enumerate(names_)}


def train_gradient(examples, l2=0.5, rounds=400, rate=0.5):
    names_ = sorted({f for on, _ in examples for f in on})
    w = dict.fromkeys(names_, 0.0)
    b = 0.0
    n = len(examples)
    pos = sum(1 for _, y in examples if y)
    # weigh the rare positives up so that the model sees them (the threshold is set after)
    wpos = (n - pos) / max(pos, 1) ** 1 * 0.2 if pos else 1.0
    for _ in range(rounds):
        gw = dict.fromkeys(names_, 0.0)
        gb = 0.0
        total = 0.0
        for on, y in examples:
            z = b + sum(w[f] for f in on)
            p = 1.0 / (1.0 + math.exp(-max(min(z, 30), -30)))
            weight = wpos if y else 1.0
            g = (p - (1.0 if y else 0.0)) * weight
            total += weight
            gb += g
            for f in on:
                gw[f] += g
        b -= rate * gb / total
        for f in names_:
            w[f] -= rate * (gw[f] / total + l2 * w[f] / total)
    return b, w


def predict(item, bias, weights, threshold):
    """The scorer's additions on one passage, as name_scorer.find makes them."""
    saved = (name_scorer.BIAS, name_scorer.WEIGHTS, name_scorer.THRESHOLD)
    name_scorer.BIAS, name_scorer.WEIGHTS, name_scorer.THRESHOLD = bias, weights, threshold
    name_scorer._bound.cache_clear()
    name_scorer._span_sum.cache_clear()
    try:
        spans = name_scorer.find(item["plain"], item["taken"])
        return {(s, e) for s, e, _ in keep(item["plain"], spans)}
    finally:
        name_scorer.BIAS, name_scorer.WEIGHTS, name_scorer.THRESHOLD = saved
        name_scorer._bound.cache_clear()
        name_scorer._span_sum.cache_clear()


def fold_of(source: str, k: int) -> int:
    return int(hashlib.sha256(source.encode()).hexdigest(), 16) % k


def figures(items, extra):
    labelled = found = hits = 0
    for item, add in zip(items, extra, strict=True):
        spans = item["found"] | add
        # as detect.scan does after both passes (杨梅基地: a crop named as one; 张裕商标: a
        # brand's head)
        plain = item["plain"]
        kept = drop_heads(plain, drop_things(plain, [(s, e, 0.0) for s, e in spans]))
        spans = {(s, e) for s, e, _ in kept}
        labelled += len(item["gold"])
        found += len(spans)
        hits += len(spans & item["gold"])
    return labelled, found, hits


def show(label, fig):
    labelled, found, hits = fig
    r = hits / labelled if labelled else 0
    p = hits / found if found else 0
    print(
        f"  {label:32} names {labelled:5}  found {found:5}  hits {hits:5}  "
        f"recall {100 * r:5.1f} %  precision {100 * p:5.1f} %"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--solver",
        choices=("newton", "gradient"),
        default="newton",
        help="how the weights are learned (gradient: as before 2026-12-07's sixth pass)",
    )
    parser.add_argument("--thresholds", default="0.5,0.6,0.7,0.8,0.85,0.9,0.95")
    parser.add_argument("--ids", help="also report a slice of passages, e.g. dev-229:dev-255")
    parser.add_argument(
        "--show",
        type=float,
        metavar="THRESHOLD",
        help="print the scorer's false hits at this threshold (dev only)",
    )
    parser.add_argument(
        "--write",
        type=float,
        metavar="THRESHOLD",
        help="train on all of dev and write the weights with this threshold",
    )
    parser.add_argument(
        "--test",
        metavar="FILE",
        help="train on all of dev and report on this file (a fresh batch; never a held-out set)",
    )
    args = parser.parse_args()
    SOLVER[0] = args.solver
    if args.test and Path(args.test).name.startswith("eval"):
        parser.error("the held-out sets are not read here")
    data = load()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    if args.test:
        test = load(Path(args.test))
        bias, weights = train([(c[2], c[3]) for d in data for c in d["cands"]])
        print(f"trained on all of dev, {len(test)} passages of {args.test}:")
        show("rules alone", figures(test, [set() for _ in test]))
        for t in thresholds:
            show(
                f"rules + scorer >= {t}",
                figures(test, [predict(d, bias, weights, t) for d in test]),
            )
        if not args.folds:
            return
    print(
        f"{len(data)} passages, {sum(len(d['cands']) for d in data)} candidates, "
        f"{sum(1 for d in data for c in d['cands'] if c[3])} of them labelled names"
    )
    folds = [fold_of(d["row"]["source"], args.folds) for d in data]
    extra = {t: [set() for _ in data] for t in thresholds}
    for k in range(args.folds):
        examples = [
            (c[2], c[3]) for d, f in zip(data, folds, strict=True) if f != k for c in d["cands"]
        ]
        bias, weights = train(examples)
        for i, (d, f) in enumerate(zip(data, folds, strict=True)):
            if f == k:
                for t in thresholds:
                    extra[t][i] = predict(d, bias, weights, t)
    subsets = [("all dev", range(len(data)))]
    if args.ids:
        # by number: "dev-999" < "dev-1000"
        lo, hi = (int(part.rsplit("-", 1)[1]) for part in args.ids.split(":"))
        subsets.append(
            (
                args.ids,
                [
                    i
                    for i, d in enumerate(data)
                    if lo <= int(d["row"]["id"].rsplit("-", 1)[1]) <= hi
                ],
            )
        )
    for label, idx in subsets:
        items = [data[i] for i in idx]
        print(f"{label}, {args.folds} folds by source:")
        show("rules alone", figures(items, [set() for _ in items]))
        for t in thresholds:
            show(f"rules + scorer >= {t}", figures(items, [extra[t][i] for i in idx]))
    if args.show is not None:
        for d, add in zip(data, extra[args.show], strict=True):
            for s, e in sorted(add):
                mark = "+" if (s, e) in d["gold"] else "-"
                t = d["row"]["text"]
                ctx = (t[max(0, s - 12) : s] + "【" + t[s:e] + "】" + t[e : e + 12]).replace(
                    "\n", "⏎"
                )
                print(f"  {mark} {d['row']['id']}: {ctx}")
    if args.write is not None:
        bias, weights = train([(c[2], c[3]) for d in data for c in d["cands"]])
        lines = [
            '"""Weights of `name_scorer`, written by bench/privacy_name_scorer.py (do not edit'
            ' by hand)."""',
            "",
            f"BIAS = {bias:.4f}",
            f"THRESHOLD = {args.write}",
            "WEIGHTS: dict[str, float] = {",
            *(f'    "{k}": {v:.4f},' for k, v in sorted(weights.items())),
            "}",
            "",
        ]
        WEIGHTS.write_text("\n".join(lines), encoding="utf-8")
        print("weights written:", WEIGHTS.relative_to(ROOT))
        for k, v in sorted(weights.items(), key=lambda kv: kv[1]):
            print(f"  {k:20} {v:+.2f}")


if __name__ == "__main__":
    main()
