"""The staff's dictionary in the database, and this process's segmenter kept in step with it.

Every index write and every search first calls `current()`: one primary-key read of the
dictionary row; only when its stamp changed are the words read and loaded into jieba.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from .models import SearchDictionary, SearchTerm
from .segment import get_segmenter


@dataclass(frozen=True)
class DictionaryState:
    version: int
    indexed_version: int
    # Staff words added after the last complete reindex: documents may still hold them in
    # pieces, so queries accept their bigrams too.
    fresh: frozenset[str]


_lock = threading.Lock()
_term_versions: dict[str, int] = {}


def current() -> DictionaryState:
    row = (
        SearchDictionary.objects.filter(pk=1)
        .values_list("version", "indexed_version", "stamp")
        .first()
    ) or (1, 1, "")
    version, indexed_version, stamp = row
    segmenter = get_segmenter()
    with _lock:
        if segmenter.loaded != (version, stamp):
            terms = dict(SearchTerm.objects.values_list("word", "version"))
            segmenter.load_words(terms, loaded=(version, stamp))
            _term_versions.clear()
            _term_versions.update(terms)
        fresh = frozenset(w for w, v in _term_versions.items() if v > indexed_version)
    return DictionaryState(version=version, indexed_version=indexed_version, fresh=fresh)


def bump() -> int:
    """Raise the version (in the caller's transaction); returns the new version."""
    SearchDictionary.load()
    SearchDictionary.objects.filter(pk=1).update(
        version=F("version") + 1, stamp=uuid.uuid4().hex, updated_at=timezone.now()
    )
    return SearchDictionary.objects.values_list("version", flat=True).get(pk=1)


def mark_indexed(version: int) -> None:
    """Every document is segmented with `version` or later."""
    SearchDictionary.objects.filter(pk=1, indexed_version__lt=version).update(
        indexed_version=version, updated_at=timezone.now()
    )
