"""One scan per text for the literal words the passes of the shield start from.

Plain Python (no Django, no other module of the shield). The name passes used to find their
words each with a regex of its own (the words next to a name, role words, prose's titles and
verbs, list heads, Tibetan syllables …): some ten scans of every text, each about 1 µs on a
140-character snippet whether it finds anything or not. Here one Aho–Corasick automaton
(ahocorasick-rs, in Rust) holds every word of every family and lists all their occurrences,
overlapping ones included, in one pass (about 2.5 µs a snippet for some 1,600 words); each
pass reads its family's occurrences, and a pass whose family does not occur in a text skips
its work there.

A module registers a family of words at import time (`register`); `occurrences(text, family)`
gives (start, end) of every occurrence of a word of the family in `text`, sorted by start and,
at one start, longest first, which is the order in which a regex alternation of the words,
written as a trie (`names_lexicon._trie_branches`), tries them. `leftmost_longest` reads such
a list as `finditer` of that alternation reads the text: from left to right, at each position
the longest word whose condition holds, the search going on after its end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import ahocorasick_rs

_families: dict[str, frozenset[str]] = {}
# (automaton, the families of each of its words) built from `_families` on first use, and
# built again after a family is registered
_automaton: tuple | None = None
# the last text scanned, its occurrences by family, and the families not known for it (see
# `carry`); several passes read the same text, and `detect.scan` and `names.find_names`
# forget them when they return
_NOTHING: frozenset[str] = frozenset()
_last: tuple[str | None, dict[str, list[tuple[int, int]]], frozenset[str]] = (None, {}, _NOTHING)
_NONE: list[tuple[int, int]] = []
# for `carry`: the families with a word that holds one of the characters given
_touching: dict[str, frozenset[str]] = {}


def register(family: str, words: Iterable[str]) -> None:
    """Make `words` (non-empty strings) the family `family`; the automaton is rebuilt."""
    global _automaton, _last
    chosen = frozenset(words)
    if not chosen or "" in chosen:
        raise ValueError(f"family {family!r}: words must be non-empty strings")
    _families[family] = chosen
    _touching.clear()
    _automaton = None
    _last = (None, {}, _NOTHING)


def _build() -> tuple:
    global _automaton
    words: dict[str, list[str]] = {}
    for family, members in _families.items():
        for word in members:
            words.setdefault(word, []).append(family)
    ordered = sorted(words)
    # (the contiguous NFA: a third faster than the default on a long text, as fast on a
    # snippet, 0.2 MB; the DFA is a little faster still but takes 2 MB)
    automaton = ahocorasick_rs.AhoCorasick(
        ordered, implementation=ahocorasick_rs.Implementation.ContiguousNFA
    )
    _automaton = (automaton, [tuple(words[w]) for w in ordered])
    return _automaton


def _scan(text: str) -> dict[str, list[tuple[int, int]]]:
    automaton, families_of = _automaton or _build()
    found: dict[str, list[tuple[int, int]]] = {}
    # A copy is given to the automaton: ahocorasick-rs reads a string's UTF-8 form, which
    # CPython then keeps with the string for as long as it lives (on the caller's text, 3
    # bytes a character more for its whole life; the copy goes when the scan forgets it).
    copy = text[:1] + text[1:]
    for index, start, end in automaton.find_matches_as_indexes(copy, overlapping=True):
        for family in families_of[index]:
            spans = found.get(family)
            if spans is None:
                found[family] = [(start, end)]
            else:
                spans.append((start, end))
    for spans in found.values():
        if len(spans) > 1:
            spans.sort(key=_start_longest)
    return found


def _start_longest(span: tuple[int, int]) -> tuple[int, int]:
    return span[0], -span[1]


def occurrences(text: str, family: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of a word of `family` in `text`, overlapping ones
    included, by start and at one start longest first. The list is shared: do not change it."""
    global _last
    last_text, found, unknown = _last
    if text is not last_text or family in unknown:
        found = _scan(text)
        _last = (text, found, _NOTHING)
    return found.get(family, _NONE)


def carry(old: str, new: str, changed: str) -> None:
    """`new` is `old` with some of the characters of `changed` replaced by others of
    `changed`, one for one (so at the same offsets): take the occurrences found in `old` as
    those of `new` for every family none of whose words holds one of those characters (the
    others are looked for again if asked for). Nothing is done unless `old` was the last text
    scanned. `detect.scan` reads the names from its text with full-width digits made ASCII."""
    global _last
    last_text, found, unknown = _last
    if last_text is not old or len(new) != len(old):
        return
    touched = _touching.get(changed)
    if touched is None:
        chars = frozenset(changed)
        touched = _touching[changed] = frozenset(
            family
            for family, words in _families.items()
            if any(chars.intersection(word) for word in words)
        )
    kept = {family: spans for family, spans in found.items() if family not in touched}
    _last = (new, kept, unknown | touched)


def forget() -> None:
    """Drop the occurrences kept for the last text (and the reference to the text): called
    when a scan ends, so that a long text is not kept alive and a text scanned again is
    scanned again."""
    global _last
    _last = (None, {}, _NOTHING)


def leftmost_longest(
    text: str, family: str, condition: Callable[[str, int, int], bool] | None = None
) -> list[tuple[int, int]]:
    """The spans `finditer` gives for the alternation of the family's words (longest first
    at each position), with `condition(text, start, end)` as the lookahead of the word at
    [start, end): from left to right, at each position the longest word it accepts."""
    out = []
    last = 0
    for start, end in occurrences(text, family):
        if start >= last and (condition is None or condition(text, start, end)):
            out.append((start, end))
            last = end
    return out
