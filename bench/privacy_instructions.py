"""Instructions the privacy shield's `scan` executes per text, counted by callgrind.

    .venv/bin/python bench/privacy_instructions.py --tree /tmp/base            # bench snippets
    .venv/bin/python bench/privacy_instructions.py --tree /tmp/now --joined    # as one text
    .venv/bin/python bench/privacy_instructions.py --tree /tmp/now --dev       # dev passages

Time on a shared machine moves by ±10 % from run to run; the number of instructions does not
depend on the load. The script runs itself under `valgrind --tool=callgrind` (about a minute
for the defaults): the worker scans the texts once (caches warm), zeroes the counters
(`callgrind_control -z`), scans them `--passes` times more and dumps the counters
(`callgrind_control -d`), so that importing, building the corpus and the first pass are not
counted. Printed: the instructions of the counted passes per text (per snippet for
`--joined`: the joined text holds `--n` of them). `--tree` is a directory with `gongkai/`
(e.g. from `privacy_speed.py --make-base`); the dump stays in `--keep` for
`callgrind_annotate`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _worker(tree: str, n: int, passes: int, kind: str) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, tree)
    import gongkai.privacy  # noqa: F401, I001  (the tree's package first)
    import privacy_bench
    from gongkai.privacy import detect

    if kind == "dev":
        with (ROOT / "bench" / "privacy_real" / "dev.jsonl").open(encoding="utf-8") as fh:
            texts = [json.loads(line)["text"] for line in fh if line.strip()]
    else:
        texts = [text for text, _ in privacy_bench.corpus(n, 1)]
        if kind == "joined":
            texts = ["\n".join(texts)]
    for text in texts:
        detect.scan(text)
    pid = str(os.getpid())
    _control(["-z", pid])
    for _ in range(passes):
        for text in texts:
            detect.scan(text)
    _control(["-d", "counted", pid])


def _control(args: list[str]) -> None:
    subprocess.run(["callgrind_control", *args], check=True, capture_output=True)  # noqa: S603, S607


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", default=str(ROOT), help="a directory with gongkai/")
    parser.add_argument("--n", type=int, default=1000, help="bench snippets")
    parser.add_argument("--passes", type=int, default=2, help="counted passes")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--joined", action="store_true", help="the snippets as one text")
    group.add_argument("--dev", action="store_true", help="the passages of dev.jsonl")
    parser.add_argument("--keep", help="directory for the callgrind dump")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        tree, n, passes, kind = args.worker
        _worker(tree, int(n), int(passes), kind)
        return 0
    kind = "joined" if args.joined else "dev" if args.dev else "snippets"
    out = Path(args.keep or tempfile.mkdtemp(prefix="privacy_cg_")) / "callgrind.out"
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable]
    command += [__file__, "--worker", args.tree, str(args.n), str(args.passes), kind]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603
    dump = Path(f"{out}.1")  # the counted passes (the dump at exit has no suffix)
    total = next(
        int(line.split()[1])
        for line in dump.read_text().splitlines()
        if line.startswith(("summary:", "totals:"))
    )
    texts = args.n if kind != "dev" else None
    if texts is None:
        with (ROOT / "bench" / "privacy_real" / "dev.jsonl").open(encoding="utf-8") as fh:
            texts = sum(1 for line in fh if line.strip())
    per = total / (texts * args.passes)
    label = "snippet" if kind != "dev" else "passage"
    print(f"{args.tree} {kind}: {total:,} instructions, {per:,.0f} per {label} ({dump})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
