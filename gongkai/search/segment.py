"""Chinese word segmentation for the search index and for queries (jieba + the project dictionary).

Plain Python, no database: `gongkai.search.dictionary` feeds the staff's words in.

jieba runs in its precise mode *without* HMM: only dictionary words are joined, so the same
characters give the same words in a document and in a query (HMM "discovers" words differently
depending on the neighbours). Words jieba does not know stay single characters; the project
dictionary (userdict.txt, plus the words staff add) keeps local names and slogans in one piece.

The index *stream* of a text is a space-separated list of lower-cased tokens, built from jieba's
words so that 2-character words always match:

* a word of 3 or more Chinese characters is preceded by its character bigrams and by the
  dictionary words inside it (cut_for_search's idea, with every bigram): 人民政府 →
  人民 民政 政府 人民政府; 六横镇 → 六横 横镇 六横镇;
* a run of single characters (a name jieba does not know) is interleaved with its bigrams:
  佛 渡 岛 → 佛 佛渡 渡 渡岛 岛, so "渡岛" finds it and a phrase over part of the run stays
  contiguous;
* punctuation and spaces are dropped, and letters and digits are kept as words ("g20", "2026").

A query is parsed into clauses that must all match: each word is a term; a run of unknown
single characters becomes its bigrams; text in quotes ("…", “…”, 「…」) is a phrase: the stream
of the quoted text, adjacent and in order (PostgreSQL `<->`, FTS5 "a b").
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

# Longer "words" (base64, hashes, runs of digits) are not worth indexing.
MAX_TOKEN_LENGTH = 40
MAX_QUERY_LENGTH = 200
MAX_CLAUSES = 12

_ALNUM = re.compile(r"[^\W_]+")
_OPENING_QUOTES = {'"': '"“”', "“": '"“”', "”": '"“”', "「": "」", "『": "』"}


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x323AF
        or code == 0x3007  # 〇
    )


def normalize(text: str) -> str:
    """Full-width forms to ASCII (NFKC), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def normalize_word(word: str) -> str:
    return normalize(word).strip()


# --- parsed queries --------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    token: str


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Node, ...]


Node = Term | Phrase | AllOf | AnyOf


@dataclass(frozen=True)
class ParsedQuery:
    """Clauses that must all match, and the strings to mark in the results."""

    clauses: tuple[Node, ...]
    highlights: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.clauses)


def split_quotes(text: str) -> list[tuple[bool, str]]:
    """[(is_phrase, text)]: quoted parts are phrases; an unclosed quote is ordinary text."""
    parts: list[tuple[bool, str]] = []
    plain: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        closers = _OPENING_QUOTES.get(ch)
        if closers is not None:
            end = next((j for j in range(i + 1, len(text)) if text[j] in closers), -1)
            if end != -1:
                if plain:
                    parts.append((False, "".join(plain)))
                    plain = []
                parts.append((True, text[i + 1 : end]))
                i = end + 1
                continue
            plain.append(" ")
        else:
            plain.append(ch)
        i += 1
    if plain:
        parts.append((False, "".join(plain)))
    return parts


# --- the segmenter ---------------------------------------------------------------------------


def builtin_words() -> list[tuple[str, int | None]]:
    """The words of userdict.txt with their optional frequencies."""
    words = []
    text = resources.files("gongkai.search").joinpath("userdict.txt").read_text("utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        words.append((normalize_word(parts[0]), freq))
    return words


class Segmenter:
    """jieba's tokenizer with the project dictionary, loaded on first use.

    One per process (`get_segmenter()`); every use holds a lock, so threads see the dictionary
    either before or after a change, never half-way.
    """

    def __init__(self, *, builtin: bool = True):
        self._lock = threading.RLock()
        self._tokenizer = None
        self._builtin = builtin
        self._builtin_words: frozenset[str] = frozenset()
        self._extra: dict[str, int] = {}  # staff word → the frequency jieba had before (0: none)
        self.loaded: object = None  # which state of the staff's dictionary is loaded

    # jieba ----------------------------------------------------------------------------------

    def _jieba(self):
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    loaded = set()
                    if self._builtin:
                        for word, freq in builtin_words():
                            tokenizer.add_word(word, freq or tokenizer.suggest_freq(word, False))
                            loaded.add(word)
                    self._builtin_words = frozenset(loaded)
                    self._tokenizer = tokenizer
        return self._tokenizer

    @property
    def builtin(self) -> frozenset[str]:
        self._jieba()
        return self._builtin_words

    @property
    def extra_words(self) -> frozenset[str]:
        return frozenset(self._extra)

    def load_words(self, words: Iterable[str], loaded: object = None) -> None:
        """Make `words` (the staff's dictionary) the extra words, adding and removing the
        difference from what is loaded."""
        wanted = {normalize_word(w) for w in words} - {""}
        with self._lock:
            tokenizer = self._jieba()
            for word in set(self._extra) - wanted:
                original = self._extra.pop(word)
                if word in self._builtin_words:
                    continue
                if original:
                    tokenizer.add_word(word, original)
                else:
                    tokenizer.del_word(word)
            for word in sorted(wanted - set(self._extra)):
                self._extra[word] = tokenizer.FREQ.get(word, 0)
                if word not in self._builtin_words:
                    tokenizer.add_word(word, tokenizer.suggest_freq(word, False))
            self.loaded = loaded

    # tokens ---------------------------------------------------------------------------------

    def words(self, text: str) -> list[str | None]:
        """jieba's words of `text`, lower-cased, letters and digits only; None where
        punctuation or space separated them."""
        out: list[str | None] = []
        with self._lock:
            pieces = list(self._jieba().cut(normalize(text), HMM=False))
        for piece in pieces:
            runs = _ALNUM.findall(piece)
            if len(runs) == 1 and runs[0] == piece:
                out.append(piece if len(piece) <= MAX_TOKEN_LENGTH else None)
                continue
            out.append(None)
            for run in runs:
                if len(run) <= MAX_TOKEN_LENGTH:
                    out.append(run)
                out.append(None)
        return out

    def expand(self, word: str) -> list[str]:
        """A word and the tokens indexed with it (see the module's docstring)."""
        if len(word) <= 2 or not all(is_cjk(ch) for ch in word):
            return [word]
        tokens = [word[i : i + 2] for i in range(len(word) - 1)]
        freq = self._jieba().FREQ
        for size in range(3, len(word)):
            for i in range(len(word) - size + 1):
                sub = word[i : i + size]
                if freq.get(sub):
                    tokens.append(sub)
        tokens.append(word)
        return list(dict.fromkeys(tokens))

    def split_word(self, word: str) -> tuple[str, ...]:
        """The shorter dictionary words (2 characters or more) that make up `word` end to end,
        the longest first from the left: 财政预算 → (财政, 预算); () when they do not. The
        project's and the staff's words (names, terms such as 无差别受理) stay whole."""
        if len(word) <= 2 or not all(is_cjk(ch) for ch in word):
            return ()
        if word in self.builtin or word in self._extra:
            return ()
        freq = self._jieba().FREQ
        parts: list[str] = []
        start = 0
        while start < len(word):
            longest = len(word) - start - (1 if start == 0 else 0)
            for size in range(longest, 1, -1):
                if freq.get(word[start : start + size]):
                    parts.append(word[start : start + size])
                    start += size
                    break
            else:
                return ()
        return tuple(parts)

    def stream(self, words: list[str | None]) -> list[str]:
        out: list[str] = []
        run: list[str] = []

        def flush():
            for i, ch in enumerate(run):
                out.append(ch)
                if i + 1 < len(run):
                    out.append(ch + run[i + 1])
            run.clear()

        for word in words:
            if word is not None and len(word) == 1 and is_cjk(word):
                run.append(word)
                continue
            flush()
            if word is not None:
                out.extend(self.expand(word))
        flush()
        return out

    def segment_for_index(self, text: str) -> str:
        return " ".join(self.stream(self.words(text)))

    # queries --------------------------------------------------------------------------------

    def segment_query(self, text: str, *, fresh: frozenset[str] = frozenset()) -> ParsedQuery:
        """Parse a query. `fresh` are staff words added since documents were last indexed:
        for them the bigrams are accepted too, so documents not yet re-segmented still match.
        """
        text = normalize(text[:MAX_QUERY_LENGTH])
        clauses: list[Node] = []
        highlights: list[str] = []
        for is_phrase, part in split_quotes(text):
            if is_phrase:
                words = self.words(part)
                tokens = self.stream(words)
                if tokens:
                    clauses.append(Term(tokens[0]) if len(tokens) == 1 else Phrase(tuple(tokens)))
                    highlights.append("".join(w for w in words if w))
                continue
            for chunk in part.split():
                run: list[str] = []
                for word in [*self.words(chunk), None]:
                    if word is not None and len(word) == 1 and is_cjk(word):
                        run.append(word)
                        continue
                    if run:
                        clauses.append(_bigrams("".join(run)))
                        highlights.append("".join(run))
                        run = []
                    if word is None:
                        continue
                    # A compound the dictionary knows as one word (财政预算) also matches
                    # where its words stand apart (…部门预算… and 财政 elsewhere): the whole
                    # word ranks higher, as the document then holds all the tokens.
                    options: list[Node] = [Term(word)]
                    if word in fresh and len(word) > 2:
                        options.append(_bigrams(word))
                    parts = self.split_word(word)
                    if parts:
                        options.append(AllOf(tuple(Term(p) for p in parts)))
                    clauses.append(options[0] if len(options) == 1 else AnyOf(tuple(options)))
                    highlights.extend((word, *parts))
        unique = tuple(dict.fromkeys(clauses))[:MAX_CLAUSES]
        return ParsedQuery(clauses=unique, highlights=tuple(dict.fromkeys(highlights)))


def _bigrams(chars: str) -> Node:
    if len(chars) <= 2:
        return Term(chars)
    grams = tuple(dict.fromkeys(chars[i : i + 2] for i in range(len(chars) - 1)))
    return AllOf(tuple(Term(g) for g in grams))


_segmenter = Segmenter()


def get_segmenter() -> Segmenter:
    return _segmenter


def segment_for_index(text: str) -> str:
    """The index stream of `text` with this process's dictionary (see the module docstring)."""
    return _segmenter.segment_for_index(text)


def segment_query(text: str, *, fresh: frozenset[str] = frozenset()) -> ParsedQuery:
    return _segmenter.segment_query(text, fresh=fresh)
