"""Equivalence oracle for speed work on the privacy shield: same findings before and after.

    .venv/bin/python bench/privacy_oracle.py record    # before a change: store the findings
    .venv/bin/python bench/privacy_oracle.py compare   # after it: print the number of differences

With another helper changing the rules in the same checkout, record from a tree that is the
current one less your own change (`--tree DIR`: DIR holds a `gongkai/` package, e.g. from
`git archive HEAD gongkai | tar -x -C DIR`, or `bench/privacy_speed.py --make-base`), then
compare in the same session: what differs is your change alone.

    .venv/bin/python bench/privacy_oracle.py record --tree /tmp/base

`--dev FILE` reads a frozen copy of dev.jsonl instead of the file others may be changing, and
`--no-held-out` leaves the held-out sets out entirely (give both to `record` and `compare`):

    .venv/bin/python bench/privacy_oracle.py record --dev /tmp/dev.jsonl --no-held-out --tree /tmp/base
    .venv/bin/python bench/privacy_oracle.py compare --dev /tmp/dev.jsonl --no-held-out

Optional, the strings the privacy tests pass to the detector (recorded once, before the change):

    PYTHONPATH=bench .venv/bin/pytest -p privacy_oracle -n 2 -q gongkai/privacy

What is compared (every field of every finding, and the name passes' candidates): `scan` on the
corpora of `privacy_bench.py` (seeds 1, 7, 3, per snippet and seed 1 as one text), on dev.jsonl
(whole passages, 3,000 random slices, half-traditional copies, with and without known names,
all passages as one text, dev fragments glued to bench snippets), `names.find_names` on dev, and
the recorded test inputs (scan, find_names, prose_names.find, minority_names.find). The held-out
sets (eval, eval2) are scanned too, but only a SHA-256 of each passage's findings is stored and
only the number of passages that differ is printed: nothing of their text or findings is shown.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORE = Path(
    os.environ.get("PRIVACY_ORACLE") or Path(tempfile.gettempdir()) / "privacy_oracle.json"
)
INPUTS = STORE.with_suffix(".inputs.jsonl")
TODAY = date(2026, 12, 7)

_recorded: set[str] = set()


# `--dev FILE`: a frozen copy of dev.jsonl (the rules' helpers change it while speed work is
# measured); `--no-held-out`: no held-out set is read at all, not even for digests
_options: dict = {"dev": None, "held_out": True}


def _load(name: str) -> list[str]:
    path = ROOT / "bench" / "privacy_real" / f"{name}.jsonl"
    if name == "dev" and _options["dev"]:
        path = Path(_options["dev"])
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def _cases(tree: str | None = None):
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    if tree:
        # imported before privacy_bench, which puts the repository first on the path: the
        # package (and so every submodule) then comes from the tree
        sys.path.insert(0, tree)
        import gongkai.privacy  # noqa: F401
    import privacy_bench

    from gongkai.privacy import detect, minority_names, names, prose_names
    from gongkai.privacy.traditional import _PAIRS

    def scan(text, **kw):
        found = detect.scan(text, today=kw.pop("today", TODAY), **kw)
        return tuple((f.type, f.start, f.end, f.text, f.confidence, f.note) for f in found)

    def candidates(text, **kw):
        return tuple(sorted(names.find_names(text, **kw)))

    for seed in (1, 7, 3):
        docs = privacy_bench.corpus(10_000 if seed == 1 else 6_000, seed)
        for i, (text, _) in enumerate(docs):
            yield (f"bench{seed}", i), (lambda t=text: scan(t))
        if seed == 1:
            joined = "\n".join(t for t, _ in docs)
            yield ("bench1-joined",), (lambda t=joined: scan(t))
    dev = _load("dev")
    known = ["张三", "王建国", "李明", "欧阳娜娜"]
    for i, text in enumerate(dev):
        yield ("dev", i), (lambda t=text: scan(t))
        yield ("dev-names", i), (lambda t=text: candidates(t))
        yield ("dev-known", i), (lambda t=text: scan(t, known_names=known))
    rng = random.Random(5)
    for j in range(3000):
        text = rng.choice(dev)
        a = rng.randrange(len(text))
        b = min(len(text), a + rng.choice((5, 20, 60, 200, 800)))
        yield ("dev-slice", j), (lambda t=text[a:b]: scan(t))
    traditional = {_PAIRS[i + 1]: _PAIRS[i] for i in range(0, len(_PAIRS), 2)}
    for i, text in enumerate(dev):
        r = random.Random(i)
        mixed = "".join(traditional.get(c, c) if r.random() < 0.5 else c for c in text)
        yield ("dev-trad", i), (lambda t=mixed: scan(t))
    dev_joined = "\n\n".join(dev)
    yield ("dev-joined",), (lambda t=dev_joined: scan(t))
    for j, (text, _) in enumerate(privacy_bench.corpus(2000, 11)):
        d = rng.choice(dev)
        a = rng.randrange(len(d))
        glued = d[a : a + 100] + text + d[max(0, a - 100) : a]
        yield ("glued", j), (lambda t=glued: scan(t))
    if INPUTS.exists():
        for line in INPUTS.open(encoding="utf-8"):
            rec = json.loads(line)
            text, kind = rec["text"], rec["kind"]
            if kind == "scan":
                kw = {}
                if "known_names" in rec:
                    kw["known_names"] = rec["known_names"]
                if "today" in rec:
                    kw["today"] = date.fromisoformat(rec["today"])
                yield ("test", line), (lambda t=text, kw=kw: scan(t, **kw))
            elif kind == "find_names":
                yield ("test", line), (lambda t=text, a=rec["anchors"]: candidates(t, anchors=a))
            elif kind == "prose":
                yield ("test", line), (lambda t=text: tuple(sorted(prose_names.find(t))))
            elif kind == "minority":
                found = [tuple(x) for x in rec["found"]]
                yield (
                    ("test", line),
                    (lambda t=text, f=found: tuple(sorted(minority_names.find(t, list(f))))),
                )
    for name in ("eval", "eval2"):  # digests only: never printed, never looked at
        for i, text in enumerate(_load(name) if _options["held_out"] else ()):
            yield (
                ("held-out", name, i),
                (
                    lambda t=text: hashlib.sha256(
                        repr((scan(t), candidates(t))).encode()
                    ).hexdigest()
                ),
            )


def main(argv: list[str]) -> int:
    tree = None
    if "--no-held-out" in argv:
        argv = [a for a in argv if a != "--no-held-out"]
        _options["held_out"] = False
    if "--dev" in argv and argv.index("--dev") + 1 < len(argv):
        at = argv.index("--dev")
        _options["dev"] = argv[at + 1]
        argv = argv[:at] + argv[at + 2 :]
    if len(argv) == 3 and argv[1] == "--tree":
        argv, tree = argv[:1], argv[2]
    if len(argv) != 1 or argv[0] not in ("record", "compare"):
        print(__doc__)
        return 2
    started = time.process_time()
    # keys and values as JSON text: what is stored is what is compared
    results = {json.dumps(key): json.dumps(thunk()) for key, thunk in _cases(tree)}
    took = time.process_time() - started
    import gongkai

    print(f"gongkai from {Path(gongkai.__file__).parent.parent}")
    if argv[0] == "record":
        STORE.write_text(json.dumps(results), encoding="utf-8")
        print(f"recorded {len(results)} cases in {STORE} ({took:.1f} s CPU)")
        return 0
    expected = json.loads(STORE.read_text(encoding="utf-8"))
    differ = [k for k in expected.keys() | results.keys() if expected.get(k) != results.get(k)]
    held_out = sum(1 for k in differ if k.startswith('["held-out"'))
    print(f"{len(expected)} cases, {took:.1f} s CPU")
    print(f"differences: {len(differ) - held_out} visible, {held_out} held-out passages")
    return 1 if differ else 0


# --- pytest plugin: record the strings the privacy tests pass to the detector ------------------


def _wrap(module, attr: str, kind: str):
    original = getattr(module, attr)

    def recording(text, *args, **kwargs):
        if isinstance(text, str):
            rec: dict = {"kind": kind, "text": text}
            if kind == "scan":
                known = kwargs.get("known_names")
                if known is not None:
                    rec["known_names"] = sorted(getattr(known, "names", known))
                if kwargs.get("today") is not None:
                    rec["today"] = kwargs["today"].isoformat()
            elif kind == "find_names":
                rec["anchors"] = list(kwargs.get("anchors", ()))
            elif kind == "minority":
                rec["found"] = [list(x) for x in (args[0] if args else kwargs.get("found", []))]
            _recorded.add(json.dumps(rec, ensure_ascii=False, sort_keys=True))
        return original(text, *args, **kwargs)

    setattr(module, attr, recording)
    return recording


def pytest_configure(config):
    import gongkai.privacy as package
    from gongkai.privacy import detect, minority_names, names, prose_names

    package.scan = _wrap(detect, "scan", "scan")
    _wrap(names, "find_names", "find_names")
    _wrap(prose_names, "find", "prose")
    _wrap(minority_names, "find", "minority")


def pytest_unconfigure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    part = INPUTS.with_suffix(f".{worker}.jsonl")
    part.write_text("".join(r + "\n" for r in sorted(_recorded)), encoding="utf-8")
    if worker == "main":  # the controller (or a run without xdist) merges the parts
        lines = set()
        for path in INPUTS.parent.glob(INPUTS.stem + ".*.jsonl"):
            lines |= set(path.read_text(encoding="utf-8").splitlines())
            path.unlink()
        INPUTS.write_text("".join(line + "\n" for line in sorted(lines) if line), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
