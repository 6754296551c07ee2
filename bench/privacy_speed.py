"""Throughput of the privacy shield, this tree against a baseline tree, in the same run.

    .venv/bin/python bench/privacy_speed.py                    # against HEAD's gongkai/
    .venv/bin/python bench/privacy_speed.py --base 14871f0     # against a commit
    .venv/bin/python bench/privacy_speed.py --base /tmp/base   # against a directory with gongkai/
    .venv/bin/python bench/privacy_speed.py --make-base /tmp/base --revert abc123,def456

The machine is shared and noisy, so the two trees are timed alternately, each round in a fresh
process (the caches of one do not help the other), and what is worth reading is the ratio of
the two within a round. Each process times `scan` on the corpus of `privacy_bench.py` (per
snippet, and the corpus joined into one text) and on the passages of dev.jsonl, the best of
`--repeat` passes in CPU time (one core); "first" is the first pass (caches cold).

`--make-base DIR --revert SHAS` writes the working tree's gongkai/ to DIR less the commits
named (their diffs applied in reverse): the baseline for speed work done while another helper
changes the same package, for this script and for `privacy_oracle.py record --tree DIR`; with
`--revert` empty it is a snapshot of the working tree, for `--tree` (what another helper saves
while the rounds run then gets into neither side).

    .venv/bin/python bench/privacy_speed.py --make-base /tmp/now
    .venv/bin/python bench/privacy_speed.py --make-base /tmp/base --revert abc123,def456
    .venv/bin/python bench/privacy_speed.py --base /tmp/base --tree /tmp/now
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _worker(tree: str, n: int, seed: int, repeat: int) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, tree)
    # the tree's package, imported before privacy_bench puts the repository first on the path
    import gongkai.privacy  # noqa: I001
    import privacy_bench
    from gongkai.privacy import detect

    docs = [text for text, _ in privacy_bench.corpus(n, seed)]
    with (ROOT / "bench" / "privacy_real" / "dev.jsonl").open(encoding="utf-8") as fh:
        dev = [json.loads(line)["text"] for line in fh if line.strip()]
    out: dict = {"tree": str(Path(gongkai.privacy.__file__).parents[2])}
    for label, texts in (("snippets", docs), ("joined", ["\n".join(docs)]), ("dev", dev)):
        size = sum(len(t.encode("utf-8")) for t in texts)
        times = []
        for _ in range(repeat):
            started = time.process_time()
            for text in texts:
                detect.scan(text)
            times.append(time.process_time() - started)
        out[label] = size / min(times) / 1e6
        out[label + "_first"] = size / times[0] / 1e6
    return out


def _sh(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, **kwargs)  # noqa: S603


def _run(tree: str, args) -> dict:
    command = [sys.executable, __file__, "--worker", tree]
    command += ["--n", str(args.n), "--seed", str(args.seed), "--repeat", str(args.repeat)]
    return json.loads(_sh(command, text=True).stdout.strip().splitlines()[-1])


def make_base(target: Path, revert: list[str]) -> None:
    """The working tree's gongkai/ in `target`, less the commits in `revert`."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "gongkai", target / "gongkai", ignore=shutil.ignore_patterns("*.pyc"))
    for sha in reversed(revert):
        # the commit's change undone on the working tree's copy, from a diff without context
        # lines: another helper's edits right next to it would make a patch with context fail
        diff = _sh(  # noqa: S607
            ["git", "show", "-U0", "--format=", sha, "--", "gongkai"], cwd=ROOT, text=True
        ).stdout
        if diff.strip():
            _sh(
                ["patch", "-R", "-p1", "--quiet", "--no-backup-if-mismatch", "-d", str(target)],
                input=diff,
                text=True,
            )  # noqa: S607


def _base_tree(base: str) -> str:
    if Path(base).is_dir():
        return base
    target = Path(tempfile.mkdtemp(prefix="privacy_base_"))
    archive = _sh(["git", "archive", base, "gongkai"], cwd=ROOT).stdout  # noqa: S607
    _sh(["tar", "-x", "-C", str(target)], input=archive)  # noqa: S607
    return str(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="a commit, or a directory with gongkai/")
    parser.add_argument("--rounds", type=int, default=3, help="alternating pairs of processes")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per process")
    parser.add_argument(
        "--tree",
        default=str(ROOT),
        help="the tree measured against the baseline (a snapshot: files other helpers edit "
        "in the shared checkout while the rounds run would get into this side only)",
    )
    parser.add_argument("--worker", metavar="TREE", help=argparse.SUPPRESS)
    parser.add_argument("--make-base", metavar="DIR", help="write a baseline tree and stop")
    parser.add_argument("--revert", default="", help="commits left out of --make-base's tree")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(args.worker, args.n, args.seed, args.repeat)))
        return 0
    if args.make_base:
        make_base(Path(args.make_base), [s for s in args.revert.split(",") if s])
        print(f"baseline tree in {args.make_base}")
        return 0
    base = _base_tree(args.base)
    labels = ("snippets", "joined", "dev", "snippets_first")
    tree = args.tree
    print(f"baseline {args.base} ({base}) against {tree}, MB/s of CPU time, best of {args.repeat}")
    print("round  " + "  ".join(f"{label:>24}" for label in labels))
    ratios: dict[str, list[float]] = {label: [] for label in labels}
    for i in range(args.rounds):
        before = _run(base, args)
        after = _run(tree, args)
        cells = []
        for label in labels:
            ratios[label].append(after[label] / before[label])
            cells.append(f"{before[label]:5.2f} → {after[label]:5.2f} ({ratios[label][-1]:4.2f}×)")
        print(f"{i + 1:>5}  " + "  ".join(f"{c:>24}" for c in cells), flush=True)
    print(
        "ratio  "
        + "  ".join(f"{f'{min(r):.2f}–{max(r):.2f}×':>24}" for r in (ratios[x] for x in labels))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
