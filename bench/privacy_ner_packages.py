"""Chinese NER / POS packages that ship their own weights on PyPI, measured as name evidence.

    /tmp/nerenv/bin/python bench/privacy_ner_packages.py --spans /tmp/ner-spans   # run them all
    /tmp/nerenv/bin/python bench/privacy_ner_packages.py --only lac,thulac --errors 10
    # score saved spans again (no package runs), with agreements, against an older shield:
    /tmp/nerenv/bin/python bench/privacy_ner_packages.py --spans /tmp/ner-spans --from-spans \
        --tree /tmp/t1 --latest 256-292 --agree "lac,jieba-posseg-oov;lac,chinesener,thulac"

Issue 14 allows a package that ships its own weights if it earns its place in recall, precision,
speed and licence. This script runs each package it can import on the development set
(`bench/privacy_real/dev.jsonl`, never a held-out set) and prints, for the whole set and for a
slice (`--latest`, by default the two name batches dev-256 … dev-305):

- the control: the shield's names (`gongkai.privacy.scan`, publication's view: office lines left
  out) alone, and with its own scorer's spans taken at lower probabilities than its threshold;
- the package alone: its person spans against the labelled names (exact span, and overlap);
- the shield plus the package's spans that overlap nothing the shield found: all of them, those
  shaped like a Han name, those the scorer would score (`name_scorer.candidates`: no 张先生,
  杨师傅, 高某, no known place), those with a scorer probability of at least 0.1 … 0.7, and the
  scorer's own spans at 0.7 with the package's candidates at 0.1 added;
- with `--agree`, the same for spans several packages found (all of them, or two of three);
- speed (UTF-8 megabytes per CPU second over the set, one piece of at most ~200 characters
  at a time), load time, size on disk with the runtime it needs, the licence it declares.

`--tree` takes gongkai from another folder (`git archive <commit> gongkai | tar -x -C DIR`), so
the shield can be the one a batch was measured with before it was tuned on. It runs in its own
environment (installs: bench/README.md); a package that is not importable is reported as
skipped. The shield itself needs only the standard library and jieba 0.42.1 there.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# One thread for the numeric libraries, set before any of them is imported.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "CPU_NUM"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEV = ROOT / "bench" / "privacy_real" / "dev.jsonl"
NAME = "person_name"
LATEST = [256, 305]  # the two name batches added 2026-12-07 (--latest changes it)
GATES = (0.1, 0.3, 0.5, 0.7)
# The scorer's own spans at the first probability, plus a package's at the second.
BOTH = (0.7, 0.1)  # lower probabilities than the scorer's threshold, for the gated union

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")
# Sentence ends and line breaks: each piece goes to a package on its own, as they expect
# sentences; a piece longer than _LONGEST is cut again at commas.
_SENTENCE = re.compile(r"[^\n。！？；!?;]*[\n。！？；!?;]?")
_COMMA = re.compile(r"[^，,、]*[，,、]?")
_LONGEST = 200

Span = tuple[int, int]


def pieces(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering the text, each piece at most about _LONGEST characters."""
    for match in _SENTENCE.finditer(text):
        piece = match.group()
        if not piece.strip():
            continue
        if len(piece) <= _LONGEST:
            yield match.start(), piece
            continue
        start = match.start()
        for sub in _COMMA.finditer(piece):
            part = sub.group()
            for cut in range(0, len(part), _LONGEST):
                chunk = part[cut : cut + _LONGEST]
                if chunk.strip():
                    yield start + sub.start() + cut, chunk


def align(piece: str, tokens: list[tuple[str, bool]]) -> list[Span]:
    """Spans of the tokens flagged as a person, found in the piece in order. Adjacent person
    tokens are joined when the first is one character (a surname split from its given name,
    as the People's Daily tag set does) and the whole is at most four characters."""
    spans: list[Span] = []
    at = 0
    for word, is_name in tokens:
        word = word.strip()
        if not word:
            continue
        found = piece.find(word, at)
        if found < 0:
            continue
        at = found + len(word)
        if not is_name:
            continue
        if spans:
            start, end = spans[-1]
            if end == found and end - start == 1 and at - start <= 4:
                spans[-1] = (start, at)
                continue
        spans.append((found, at))
    return spans


def bio_spans(tags: list[str], label: str = "PER") -> list[Span]:
    """Spans of B-/I- runs of `label` over per-character tags (an I- with no B- opens one)."""
    spans: list[Span] = []
    start = None
    for i, tag in enumerate([*tags, "O"]):
        inside = tag in (f"I-{label}", f"E-{label}", f"M-{label}")
        if start is not None and not inside:
            spans.append((start, i))
            start = None
        if tag in (f"B-{label}", f"S-{label}") or (inside and start is None):
            start = i
    return spans


# --- the packages: load() returns a function piece -> person spans in the piece -------------


def _jieba(hmm: bool, unknown_only: bool) -> Callable[[str], list[Span]]:
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    jieba.initialize()
    known = jieba.dt.FREQ

    def names(piece: str) -> list[Span]:
        tokens = []
        for pair in pseg.lcut(piece, HMM=hmm):
            is_name = pair.flag.startswith("nr")
            if unknown_only and known.get(pair.word):
                is_name = False
            tokens.append((pair.word, is_name))
        return align(piece, tokens)

    return names


def _jiagu(by_word: bool) -> Callable[[str], list[Span]]:
    import jiagu

    jiagu.ner(["王"])  # loads the model

    def names(piece: str) -> list[Span]:
        if not by_word:
            return bio_spans(jiagu.ner(list(piece)))
        words = jiagu.seg(piece)
        tags = jiagu.ner(words)
        return align(piece, [(w, t.endswith("PER")) for w, t in zip(words, tags, strict=False)])

    return names


def _snownlp() -> Callable[[str], list[Span]]:
    from snownlp import SnowNLP

    SnowNLP("王").tags  # noqa: B018 - loads the tagger

    def names(piece: str) -> list[Span]:
        return align(piece, [(w, t == "nr") for w, t in SnowNLP(piece).tags])

    return names


def _thulac() -> Callable[[str], list[Span]]:
    import thulac

    tagger = thulac.thulac()

    def names(piece: str) -> list[Span]:
        return align(piece, [(w, t == "np") for w, t in tagger.cut(piece)])

    return names


def _lac() -> Callable[[str], list[Span]]:
    # LAC 2.1.2 imports paddle.fluid, which PaddlePaddle 2.6 renamed paddle.base with the same
    # old inference calls (AnalysisConfig, PaddleTensor, create_paddle_predictor) still in it.
    import paddle

    if not hasattr(paddle, "fluid"):
        import paddle.base

        sys.modules["paddle.fluid"] = paddle.base
        sys.modules["paddle.fluid.core"] = paddle.base.core
        paddle.fluid = paddle.base
    from LAC import LAC

    lac = LAC(mode="lac")

    def names(piece: str) -> list[Span]:
        words, tags = lac.run(piece)
        return align(piece, [(w, t == "PER") for w, t in zip(words, tags, strict=False)])

    return names


def _chinesener() -> Callable[[str], list[Span]]:
    # ChineseNER 0.1: a character BiLSTM-CRF trained on MSRA (PER, LOC, ORG), in the wheel.
    # Its load() reads its vocabulary from a path relative to the working directory and parses
    # sys.argv; its CRF decoder builds a uint8 mask that torch 2 refuses, so .byte() returns a
    # bool tensor while it decodes (one unpadded sentence at a time: the mask is all false).
    import ChineseNER
    import torch
    from ChineseNER import model as chinese_ner

    torch.set_num_threads(1)
    cwd, argv = os.getcwd(), sys.argv
    os.chdir(Path(ChineseNER.__file__).parent)
    sys.argv = argv[:1]
    try:
        net = chinese_ner.load()
    finally:
        os.chdir(cwd)
        sys.argv = argv
    net.eval()

    def names(piece: str) -> list[Span]:
        ids = torch.tensor([[net.word_vocab.word_to_id(c) for c in piece]]).long()
        byte = torch.Tensor.byte
        torch.Tensor.byte = torch.Tensor.bool
        try:
            with torch.no_grad():
                tags = net.forward(ids, [len(piece)], ids.ne(0))
        finally:
            torch.Tensor.byte = byte
        return bio_spans([net.label_vocab.id_to_label(int(t)) for t in tags.squeeze(0)])

    return names


def _envpos() -> Callable[[str], list[Span]]:
    # envpos 0.82: an ALBERT-CRF tagger for environment and policy text (part of speech plus
    # entities, "per" among them), its weights in the wheel. Importing it builds the tagger;
    # it needs transformers 4.x (5.x fails to load it) and nothing from a hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch

    torch.set_num_threads(1)
    import envpos

    def names(piece: str) -> list[Span]:
        words, tags = envpos.cut(piece)
        return align(piece, [(w, t == "per") for w, t in zip(words, tags, strict=False)])

    return names


@dataclass(frozen=True)
class Package:
    name: str
    module: str  # what must import
    dist: str  # distribution for the licence and version
    load: Callable[[], Callable[[str], list[Span]]]
    extra: tuple[str, ...] = ()  # other modules whose size counts (the runtime it needs)
    licence: str = ""


PACKAGES = (
    Package("jieba-posseg", "jieba", "jieba", lambda: _jieba(True, False), (), "MIT"),
    Package("jieba-posseg-oov", "jieba", "jieba", lambda: _jieba(True, True), (), "MIT"),
    Package("jiagu-chars", "jiagu", "jiagu", lambda: _jiagu(False), (), "MIT"),
    Package("jiagu-words", "jiagu", "jiagu", lambda: _jiagu(True), (), "MIT"),
    Package("snownlp", "snownlp", "snownlp", _snownlp, (), "MIT"),
    Package("thulac", "thulac", "thulac", _thulac, (), "research only (see README)"),
    Package("lac", "LAC", "LAC", _lac, ("paddle",), "Apache-2.0"),
    Package("chinesener", "ChineseNER", "ChineseNER", _chinesener, ("torch",), "MIT"),
    Package("envpos", "envpos", "envpos", _envpos, ("torch", "transformers"), "Apache-2.0"),
)


# --- the shield ---------------------------------------------------------------------------


def shield_spans(text: str) -> tuple[list[Span], list[Span]]:
    """The shield's names and everything else it blocks, as publication sees them."""
    from gongkai.privacy.detect import scan

    found = [f for f in scan(text) if not f.public_contact]
    names = [(f.start, f.end) for f in found if f.type == NAME]
    return names, [(f.start, f.end) for f in found]


def scorer_probability(text: str, span: Span) -> float:
    from gongkai.privacy import name_scorer

    return name_scorer.score(name_scorer.features(text, *span))


def scorer_alone(text: str, blocked: list[Span], gate: float) -> list[Span]:
    """The control: the scorer's own candidates at or above `gate`, best first, none
    overlapping another or anything the shield found (what lowering its threshold gives)."""
    from gongkai.privacy import name_scorer

    scored = sorted(
        (-scorer_probability(text, span), span) for span in name_scorer.candidates(text, blocked)
    )
    taken: list[Span] = []
    for minus_p, span in scored:
        if -minus_p >= gate and not any(_overlaps(span, t) for t in taken):
            taken.append(span)
    return taken


def name_shaped(text: str, span: Span) -> bool:
    """Han only, 2–4 characters, starting with a known surname (compound ones 3–4)."""
    from gongkai.privacy.names_lexicon import COMPOUND_SURNAMES, SINGLE_SURNAMES

    word = text[span[0] : span[1]]
    if not 2 <= len(word) <= 4 or _HAN.fullmatch(word) is None:
        return False
    if word[:2] in COMPOUND_SURNAMES and len(word) >= 3:
        return True
    return word[0] in SINGLE_SURNAMES and len(word) <= 3


# --- scoring ------------------------------------------------------------------------------


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Tally:
    labelled: int = 0
    found: int = 0
    hits: int = 0
    touched: int = 0  # labelled names some found span overlaps

    def add(self, gold: list[Span], got: list[Span]) -> None:
        gold_set, got_set = set(gold), set(got)
        self.labelled += len(gold_set)
        self.found += len(got_set)
        self.hits += len(gold_set & got_set)
        self.touched += sum(any(_overlaps(g, f) for f in got_set) for g in gold_set)

    def figures(self) -> str:
        recall = self.hits / self.labelled if self.labelled else 1.0
        precision = self.hits / self.found if self.found else 1.0
        overlap = self.touched / self.labelled if self.labelled else 1.0
        return f"{recall:6.1%} {precision:6.1%} {overlap:6.1%}  ({self.hits}/{self.labelled}, found {self.found})"


def gold_names(row: dict) -> list[Span]:
    return [(lab["start"], lab["end"]) for lab in row["labels"] if lab["type"] == NAME]


def latest(pid: str) -> bool:
    number = int(pid.rsplit("-", 1)[1])
    return LATEST[0] <= number <= LATEST[1]


def combinations(text: str, shield: list[Span], blocked: list[Span], pkg: list[Span]) -> dict:
    """The ways to add the package's spans to the shield's names."""
    fresh = [s for s in pkg if not any(_overlaps(s, b) for b in blocked)]
    shaped = [s for s in fresh if name_shaped(text, s)]
    scored = candidate_spans(text, blocked)
    kept = [s for s in shaped if s in scored or text[s[0] : s[0] + 2] in _compound()]
    out = {
        "alone": pkg,
        "shield + all": shield + fresh,
        "shield + name-shaped": shield + shaped,
        "shield + candidates": shield + kept,
    }
    probabilities = {s: scorer_probability(text, s) for s in kept}
    for gate in GATES:
        out[f"shield + candidates, p>={gate}"] = shield + [
            s for s in kept if probabilities[s] >= gate
        ]
    out[f"scorer>={BOTH[0]} | cand.>={BOTH[1]}"] = shield + either(
        text, blocked, [s for s in kept if probabilities[s] >= BOTH[1]]
    )
    return out


def either(text: str, blocked: list[Span], agreed: list[Span]) -> list[Span]:
    """The scorer's spans at BOTH[0] (a lower threshold than its own), and the spans a package
    agreed on that overlap none of them."""
    low = scorer_alone(text, blocked, BOTH[0])
    return low + [s for s in agreed if not any(_overlaps(s, t) for t in low)]


def candidate_spans(text: str, blocked: list[Span]) -> set[Span]:
    """The spans the shield's scorer would score (`name_scorer.candidates`): a surname and one
    or two characters, not a form of address (张先生, 杨师傅), not 某, not a known place."""
    from gongkai.privacy import name_scorer

    return set(name_scorer.candidates(text, blocked))


def _compound() -> frozenset[str]:
    from gongkai.privacy.names_lexicon import COMPOUND_SURNAMES

    return COMPOUND_SURNAMES


def dir_size(module: str) -> float:
    """Megabytes on disk of an imported module's package directory."""
    path = Path(importlib.import_module(module).__file__).parent
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def measure(package: Package, rows: list[dict]) -> tuple[dict, dict] | None:
    """The package's person spans in every passage, and its load time, size, speed."""
    if importlib.util.find_spec(package.module) is None:
        print(f"\n== {package.name}: skipped, {package.module} is not installed")
        return None
    started = time.perf_counter()
    try:
        names = package.load()
    except Exception as exc:  # noqa: BLE001 - whatever fails to load is reported and skipped
        print(f"\n== {package.name}: skipped, failed to load ({exc.__class__.__name__}: {exc})")
        return None
    load_s = time.perf_counter() - started
    try:
        declared = importlib.metadata.metadata(package.dist).get("License") or "?"
        version = importlib.metadata.version(package.dist)
    except importlib.metadata.PackageNotFoundError:
        declared, version = "?", "?"
    found: dict[str, list[Span]] = {}
    cpu = time.process_time()
    for row in rows:
        spans = []
        for offset, piece in pieces(row["text"]):
            spans.extend((offset + s, offset + e) for s, e in names(piece))
        found[row["id"]] = spans
    cpu = time.process_time() - cpu
    megabytes = sum(len(row["text"].encode("utf-8")) for row in rows) / 1e6
    info = {
        "package": package.name,
        "version": version,
        "declared_licence": declared,
        "load_s": round(load_s, 2),
        "size_mb": round(dir_size(package.module) + sum(dir_size(m) for m in package.extra)),
        "mb_per_cpu_s": round(megabytes / cpu, 4),
    }
    return found, info


def report(name: str, found: dict, rows: list[dict], shields: dict, errors: int) -> dict:
    """Print and return the figures of one package's spans, alone and with the shield."""
    tallies: dict[tuple[str, str], Tally] = {}
    gained: list[tuple[str, str, Span]] = []
    added: list[tuple[str, str, Span]] = []
    for row in rows:
        text, pid = row["text"], row["id"]
        gold = gold_names(row)
        shield, blocked = shields[pid]
        kinds = combinations(text, shield, blocked, found[pid])
        for kind, got in kinds.items():
            for where in ("dev", "latest") if latest(pid) else ("dev",):
                tallies.setdefault((where, kind), Tally()).add(gold, got)
        for span in kinds["shield + candidates"][len(shield) :]:
            (gained if span in gold else added).append((pid, text, span))
    print(f"{'set':7} {'combination':28} recall  prec.  overlap")
    for (where, kind), tally in tallies.items():
        print(f"{where:7} {kind:28} {tally.figures()}")
    for title, spans in (("a name the shield missed", gained), ("not a labelled name", added)):
        for pid, text, (s, e) in spans[:errors]:
            before, after = text[max(0, s - 12) : s], text[e : e + 12]
            print(f"  {title}: {pid} {before}[{text[s:e]}]{after}".replace("\n", "⏎"))
    return {f"{w}/{k}": [t.labelled, t.found, t.hits, t.touched] for (w, k), t in tallies.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated package names")
    parser.add_argument("--errors", type=int, default=0, help="show this many names gained")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--spans", type=Path, help="folder to save each package's spans in")
    parser.add_argument(
        "--agree", default="", help="packages whose saved spans to combine: a,b,c;a,d (groups)"
    )
    parser.add_argument(
        "--tree",
        type=Path,
        help="take gongkai from this folder (an older commit's, extracted with git archive)",
    )
    parser.add_argument("--latest", default="256-305", help="the slice reported apart, A-B")
    parser.add_argument(
        "--from-spans", action="store_true", help="score the spans saved in --spans, run nothing"
    )
    args = parser.parse_args()
    if args.tree:
        sys.path.insert(0, str(args.tree.resolve()))
    LATEST[:] = [int(n) for n in args.latest.split("-")]
    with DEV.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    chosen = [p for p in PACKAGES if not args.only or p.name in args.only.split(",")]
    shields = {row["id"]: shield_spans(row["text"]) for row in rows}
    print(
        f"{len(rows)} passages, {sum(1 for r in rows if latest(r['id']))} in dev-{LATEST[0]}…dev-{LATEST[1]}"
    )
    print(f"{'set':7} {'the shield alone':28} recall  prec.  overlap")
    control: dict[str, list[int]] = {}
    # the control: no package, the shield's scorer taking spans at a lower probability
    for kind, gate in (("shield", None), *((f"shield + scorer p>={g}", g) for g in GATES)):
        for where in ("dev", "latest"):
            tally = Tally()
            for row in rows:
                if where == "dev" or latest(row["id"]):
                    names, blocked = shields[row["id"]]
                    more = scorer_alone(row["text"], blocked, gate) if gate else []
                    tally.add(gold_names(row), names + more)
            print(f"{where:7} {kind:28} {tally.figures()}")
            control[f"{where}/{kind}"] = [tally.labelled, tally.found, tally.hits, tally.touched]
    results: list[dict] = [{"package": "control", "figures": control}]
    for package in chosen:
        saved = args.spans / f"{package.name}.json" if args.spans else None
        if args.from_spans:
            if not saved or not saved.exists():
                print(f"\n== {package.name}: skipped, no saved spans")
                continue
            spans = json.loads(saved.read_text(encoding="utf-8"))
            found = {pid: [tuple(s) for s in got] for pid, got in spans.items()}
            info = {"package": package.name}
            print(f"\n== {package.name} (saved spans)")
        else:
            outcome = measure(package, rows)
            if outcome is None:
                continue
            found, info = outcome
            print(
                f"\n== {package.name} {info['version']} (declared licence: "
                f"{info['declared_licence']}; {package.licence})\n"
                f"load {info['load_s']:.2f} s, {info['size_mb']} MB on disk with its runtime, "
                f"{info['mb_per_cpu_s']:.3f} MB/s of CPU time"
            )
            if saved:
                saved.parent.mkdir(parents=True, exist_ok=True)
                saved.write_text(json.dumps(found), encoding="utf-8")
        info["figures"] = report(package.name, found, rows, shields, args.errors)
        results.append(info)
    for group in args.agree.split(";") if args.agree and args.spans else ():
        figures = agreement(rows, shields, args.spans, group.split(","))
        results.append({"package": f"agree:{group}", "figures": figures})
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


def agreement(rows: list[dict], shields: dict, folder: Path, chosen: list[str]) -> dict:
    """The shield plus name-shaped spans that several packages found (from saved spans)."""
    found = {}
    for name in chosen:
        path = folder / f"{name}.json"
        if path.exists():
            found[name] = {
                pid: [tuple(s) for s in spans]
                for pid, spans in json.loads(path.read_text()).items()
            }
    if len(found) < 2:
        print(f"\nagreement: spans of fewer than two of {chosen} in {folder}")
        return {}
    print(f"\n== agreement of {', '.join(found)} (candidates, nothing the shield found)")
    print(f"{'set':7} {'combination':28} recall  prec.  overlap")
    figures = {}
    needs = {f"shield + by >=2 of {len(found)}": 2, f"shield + by all {len(found)}": len(found)}
    if len(found) == 2:
        needs.pop(f"shield + by >=2 of {len(found)}")
    for label, need in needs.items():
        for gate in (0.0, *GATES):
            tallies = {"dev": Tally(), "latest": Tally()}
            for row in rows:
                text, pid = row["text"], row["id"]
                gold = gold_names(row)
                names, blocked = shields[pid]
                votes: dict[Span, int] = {}
                for spans in found.values():
                    for span in set(spans.get(pid, ())):
                        votes[span] = votes.get(span, 0) + 1
                scored = candidate_spans(text, blocked)
                extra = [
                    s
                    for s, n in votes.items()
                    if n >= need
                    and not any(_overlaps(s, b) for b in blocked)
                    and name_shaped(text, s)
                    and (s in scored or text[s[0] : s[0] + 2] in _compound())
                    and (not gate or scorer_probability(text, s) >= gate)
                ]
                tallies["dev"].add(gold, names + extra)
                if latest(pid):
                    tallies["latest"].add(gold, names + extra)
            kind = label + (f", p>={gate}" if gate else "")
            for where, tally in tallies.items():
                print(f"{where:7} {kind:28} {tally.figures()}")
                figures[f"{where}/{kind}"] = [
                    tally.labelled,
                    tally.found,
                    tally.hits,
                    tally.touched,
                ]
        tallies = {"dev": Tally(), "latest": Tally()}
        for row in rows:
            text, pid = row["text"], row["id"]
            gold = gold_names(row)
            names, blocked = shields[pid]
            scored = candidate_spans(text, blocked)
            votes = {}
            for spans in found.values():
                for span in set(spans.get(pid, ())):
                    votes[span] = votes.get(span, 0) + 1
            agreed = [
                s
                for s, n in votes.items()
                if n >= need
                and not any(_overlaps(s, b) for b in blocked)
                and name_shaped(text, s)
                and (s in scored or text[s[0] : s[0] + 2] in _compound())
                and scorer_probability(text, s) >= BOTH[1]
            ]
            got = names + either(text, blocked, agreed)
            tallies["dev"].add(gold, got)
            if latest(pid):
                tallies["latest"].add(gold, got)
        kind = f"scorer>={BOTH[0]} | {label[9:]}"
        for where, tally in tallies.items():
            print(f"{where:7} {kind:28} {tally.figures()}")
            figures[f"{where}/{kind}"] = [tally.labelled, tally.found, tally.hits, tally.touched]
    return figures


if __name__ == "__main__":
    main()
