"""Find miswritten official terms in a text: `find_wording(text) -> list[WordingFinding]`.

Two passes over the text, both cheap on correct text:

- "known": one compiled regex (a character trie of every known wrong form, so the engine walks
  a term's characters instead of trying each alternative) finds the listed misspellings;
- "near": for terms long enough to be distinctive (see `Term.near`), candidate windows are
  only those that begin with the term's first character and end with its last, one character
  shorter, as long as, or one longer than the term; the edit distance (with transpositions) is
  computed only for them and a window at distance 1 is a finding. Anchoring both ends keeps
  legitimate neighbours out (社会主义核心价值观 / 社会主义核心价值体系), and a window holding a
  punctuation mark, a space or a digit the term does not have is skipped (中华人民共和国、国务院).

No finding is raised where correct text covers the span: a correct form of any term, or one of
the term's `allow` contexts (the wrong form of one term inside the correct name of another), and
no near finding overlaps the term's own correct form (中华人民共和国国务院 is not
"中华人民共和国" with one character too many).

Plain Python: `terms=None` means the built-in list (gongkai/wording/terms/*.toml). Callers with
database access pass `terms=gongkai.wording.selectors.platform_terms()`, which adds the terms the
platform administrator entered.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

KNOWN, NEAR = "known", "near"
_SERIALS = itertools.count(1)
NEAR_MIN_LENGTH = 6  # shorter terms get no edit-distance pass unless the entry asks for it
NEAR_CATEGORIES = frozenset({"state", "party", "law", "ideology", "body", "title"})
# Law titles form families one character apart (中华人民共和国宪法 / 中华人民共和国立法法):
# only the long ones get the edit-distance pass by default.
NEAR_MIN_LENGTH_BY_CATEGORY = {"law": 11}
TERMS_DIR = Path(__file__).resolve().parent / "terms"

# Characters a window may hold without being skipped: CJK ideographs (and 〇).
_CJK = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Term:
    correct: str
    wrong: tuple[str, ...] = ()
    category: str = "common"
    basis: str = ""
    allow: tuple[str, ...] = ()  # correct text that contains a wrong form (not a finding there)
    near: bool | None = None  # None: by length and category
    source: str = "builtin"  # or "admin" (an administrator's entry)
    note: str = ""

    @property
    def near_enabled(self) -> bool:
        if self.near is not None:
            return self.near
        minimum = NEAR_MIN_LENGTH_BY_CATEGORY.get(self.category, NEAR_MIN_LENGTH)
        return len(self.correct) >= minimum and self.category in NEAR_CATEGORIES


@dataclass(frozen=True)
class WordingFinding:
    start: int
    end: int
    found: str
    suggestion: str
    term: Term
    kind: str  # KNOWN (a listed misspelling) | NEAR (one edit away from the term)

    def as_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "found": self.found,
            "suggestion": self.suggestion,
            "kind": self.kind,
            "category": self.term.category,
            "basis": self.term.basis,
            "source": self.term.source,
        }


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex matching any of `words`, longest first at a position (a character trie)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def render(node: dict) -> str:
        end = "" in node
        branches = [re.escape(char) + render(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:  # the word may stop here; the longer continuation is tried first
            return "(?:" + body + ")?"
        return body

    return render(trie)


@dataclass
class TermSet:
    """Terms compiled for checking. Build once and reuse (`compile_terms`)."""

    terms: tuple[Term, ...]
    by_wrong: dict[str, Term] = field(default_factory=dict)
    wrong_re: re.Pattern | None = None
    # wrong form -> [(protecting string, offset of the wrong form inside it)]
    protected_by: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    near_by_first: dict[str, list[Term]] = field(default_factory=dict)
    # (first character, window size) -> last character -> terms; the sizes by first character
    near_index: dict[tuple[str, int], dict[str, list[Term]]] = field(default_factory=dict)
    near_sizes: dict[str, list[int]] = field(default_factory=dict)
    near_first_re: re.Pattern | None = None
    serial: int = 0  # distinct for every compiled list (a cache key for its results)
    protecting: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.terms)


def compile_terms(terms: Iterable[Term]) -> TermSet:
    terms = tuple(terms)
    by_wrong: dict[str, Term] = {}
    corrects = {t.correct for t in terms}
    for term in terms:
        for wrong in term.wrong:
            if wrong and wrong not in corrects and wrong not in by_wrong:
                by_wrong[wrong] = term
    protecting = tuple(sorted(corrects | {a for t in terms for a in t.allow}))
    protected_by: dict[str, list[tuple[str, int]]] = {}
    for wrong in by_wrong:
        for text in protecting:
            start = text.find(wrong)
            while start != -1:
                protected_by.setdefault(wrong, []).append((text, start))
                start = text.find(wrong, start + 1)
    near_by_first: dict[str, list[Term]] = {}
    for term in terms:
        if term.near_enabled and len(term.correct) >= 3:
            near_by_first.setdefault(term.correct[0], []).append(term)
    near_index: dict[tuple[str, int], dict[str, list[Term]]] = {}
    for first, group in near_by_first.items():
        for term in group:
            n = len(term.correct)
            for size in (n - 1, n, n + 1):
                near_index.setdefault((first, size), {}).setdefault(term.correct[-1], []).append(
                    term
                )
    near_sizes = {
        first: sorted({size for (f, size) in near_index if f == first}) for first in near_by_first
    }
    near_first = "".join(sorted(near_by_first))
    pattern = _trie_pattern(sorted(by_wrong)) if by_wrong else None
    return TermSet(
        terms=terms,
        by_wrong=by_wrong,
        wrong_re=re.compile(pattern) if pattern else None,
        protected_by=protected_by,
        near_by_first=near_by_first,
        near_index=near_index,
        near_sizes=near_sizes,
        near_first_re=re.compile("[" + re.escape(near_first) + "]") if near_first else None,
        serial=next(_SERIALS),
        protecting=protecting,
    )


def _covered(text: str, start: int, end: int, protecting: Iterable[str]) -> bool:
    """Whether one of `protecting` occurs in `text` over the whole of [start, end)."""
    for word in protecting:
        if len(word) < end - start:
            continue
        lo = max(0, end - len(word))
        position = text.find(word, lo, start + len(word))
        while position != -1 and position <= start:
            if position + len(word) >= end:
                return True
            position = text.find(word, position + 1, start + len(word))
    return False


def one_edit_apart(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one edit: one character changed, inserted or
    removed, or two adjacent ones swapped (osa_distance == 1, in linear time)."""
    if a == b:
        return False
    if len(a) == len(b):
        first = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
        if a[first + 1 :] == b[first + 1 :]:
            return True
        return (
            first + 1 < len(a)
            and a[first] == b[first + 1]
            and a[first + 1] == b[first]
            and a[first + 2 :] == b[first + 2 :]
        )
    if abs(len(a) - len(b)) != 1:
        return False
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    first = next(
        (i for i, (x, y) in enumerate(zip(longer, shorter, strict=False)) if x != y), len(shorter)
    )
    return longer[first + 1 :] == shorter[first:]


def osa_distance(a: str, b: str, limit: int = 1) -> int:
    """Optimal string alignment distance (edits and adjacent transpositions), capped at
    limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


# Left out of a name on purpose: 住房城乡建设部 and 人力资源社会保障局 are the official short forms.
_DROPPABLE = frozenset("和与及的之")
_NUMERALS = frozenset("〇零一二三四五六七八九十百千两")


def _benign_edit(window: str, correct: str) -> bool:
    """An edit that joins or shortens correct words rather than misspelling one: a character
    inserted between two words (人民政府及办公室 is not 人民政府办公室 misspelt; only a doubled
    character is a typo), a conjunction left out (住房城乡建设局), or one numeral for another."""
    if len(window) == len(correct):
        # Another number, not a typo: 第十八次全国代表大会 next to 第十九次全国代表大会.
        changed = [(a, b) for a, b in zip(window, correct, strict=True) if a != b]
        return len(changed) == 1 and all(c in _NUMERALS for c in changed[0])
    longer, shorter = (window, correct) if len(window) > len(correct) else (correct, window)
    index = next(
        (i for i, (a, b) in enumerate(zip(longer, shorter, strict=False)) if a != b), len(shorter)
    )
    extra = longer[index]
    if len(window) > len(correct):
        doubled = (index > 0 and longer[index - 1] == extra) or (
            index + 1 < len(longer) and longer[index + 1] == extra
        )
        return not doubled
    return extra in _DROPPABLE


def _near_findings(text: str, termset: TermSet, taken: list[tuple[int, int]]) -> list:
    found = []
    index, sizes = termset.near_index, termset.near_sizes
    length = len(text)
    # The regex engine skips to the characters a near-checked term starts with.
    for match in termset.near_first_re.finditer(text):
        i = match.start()
        char = text[i]
        for size in sizes[char]:
            end = i + size
            if end > length:
                break
            for term in index[char, size].get(text[end - 1], ()):
                correct = term.correct
                n = len(correct)
                window = text[i:end]
                # One edit leaves the second or the second-to-last character in place.
                if n >= 5 and window[1] != correct[1] and window[-2] != correct[-2]:
                    continue
                if any(not _CJK.match(c) and c not in correct for c in window):
                    continue
                if not one_edit_apart(window, correct) or _benign_edit(window, correct):
                    continue
                if any(s < end and i < e for s, e in taken):
                    continue
                # Not where the term itself is written, nor inside other correct text.
                if text.find(correct, max(0, i - n + 1), end + n - 1) != -1:
                    continue
                if _covered(text, i, end, termset.protecting):
                    continue
                found.append(WordingFinding(i, end, window, correct, term, NEAR))
                taken.append((i, end))
                break
    return found


def find_wording(text: str, *, terms: TermSet | Iterable[Term] | None = None) -> list:
    """The miswritten terms of `text`, in the order they occur (see the module docstring)."""
    if not text:
        return []
    if terms is None:
        termset = builtin_termset()
    elif isinstance(terms, TermSet):
        termset = terms
    else:
        termset = compile_terms(terms)
    findings: list[WordingFinding] = []
    taken: list[tuple[int, int]] = []
    if termset.wrong_re is not None:
        for match in termset.wrong_re.finditer(text):
            wrong = match.group()
            start, end = match.span()
            protected = any(
                text.startswith(word, start - offset)
                for word, offset in termset.protected_by.get(wrong, ())
                if start >= offset
            )
            if protected:
                continue
            term = termset.by_wrong[wrong]
            findings.append(WordingFinding(start, end, wrong, term.correct, term, KNOWN))
            taken.append((start, end))
    if termset.near_by_first:
        findings += _near_findings(text, termset, taken)
    return sorted(findings, key=lambda f: (f.start, f.end))


# --- the built-in list ---------------------------------------------------------------------


def load_terms_file(path: Path) -> list[Term]:
    """One TOML file of [[term]] tables: correct, wrong (list), category, basis, allow, near."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    default_category = data.get("category", "common")
    default_basis = data.get("basis", "")
    return [
        Term(
            correct=entry["correct"],
            wrong=tuple(entry.get("wrong", ())),
            category=entry.get("category", default_category),
            basis=entry.get("basis", default_basis),
            allow=tuple(entry.get("allow", ())),
            near=entry.get("near"),
            note=entry.get("note", ""),
        )
        for entry in data.get("term", ())
    ]


@cache
def builtin_terms() -> tuple[Term, ...]:
    return tuple(
        term for path in sorted(TERMS_DIR.glob("*.toml")) for term in load_terms_file(path)
    )


@cache
def builtin_termset() -> TermSet:
    return compile_terms(builtin_terms())
