"""Loading many documents fast (data migrations, benchmarks, a first index of a big catalogue).

    index_items_bulk(Item.objects.filter(...).iterator(), workers=4)

segments in `workers` processes and writes each batch with COPY and one upsert on PostgreSQL
(bulk INSERT … ON CONFLICT on SQLite). Use it for loading, not alongside staff withdrawing
items: unlike `reindex` it does not lock the items it writes.

A loader that writes the table itself (COPY from outside Django) needs `TABLE`, `COLUMNS`,
`copy_row(...)` and `segment_for_index` (with the dictionary loaded by `dictionary.current()`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from itertools import islice

from django.db import transaction
from django.utils import timezone

from gongkai.catalogue.models import Item

from . import dictionary
from .backends import get_backend
from .documents import (
    COLUMNS,
    TABLE,
    DocumentSource,
    attachment_texts,
    is_public,
    publication_year,
    row_from_segments,
    source_for_item,
)
from .segment import get_segmenter, segment_for_index

__all__ = ["COLUMNS", "TABLE", "copy_row", "index_items_bulk", "segment_for_index"]


def copy_row(
    *,
    item_id: int,
    agency_id: int,
    column_id: int,
    genre: str,
    published_at: datetime,
    title_seg: str,
    body_seg: str,
    dict_version: int,
    indexed_at: datetime | None = None,
) -> list:
    """The values of one document row in COLUMNS order."""
    return [
        item_id,
        agency_id,
        column_id,
        genre,
        publication_year(published_at),
        published_at,
        title_seg,
        body_seg,
        dict_version,
        indexed_at or published_at,
    ]


def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _worker_init(words: list[str]) -> None:
    get_segmenter().load_words(words, loaded="bulk")


def _segment_pair(pair: tuple[str, str]) -> tuple[str, str]:
    segmenter = get_segmenter()
    return segmenter.segment_for_index(pair[0]), segmenter.segment_for_index(pair[1])


def _sources(batch: list[Item | DocumentSource]) -> list[DocumentSource]:
    items = [entry for entry in batch if isinstance(entry, Item)]
    texts = attachment_texts([item.pk for item in items]) if items else {}
    by_id: dict[int, DocumentSource] = {}
    for entry in batch:
        if isinstance(entry, Item):
            if not is_public(entry):
                continue
            entry = source_for_item(entry, texts.get(entry.pk, []))
        by_id[entry.item_id] = entry
    return list(by_id.values())


def index_items_bulk(
    items: Iterable[Item | DocumentSource],
    *,
    batch_size: int = 2000,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Index items (model instances, non-public ones skipped) or prepared DocumentSource rows
    (trusted to be public). Each batch is one transaction. Returns the documents written."""
    backend = get_backend()
    version = dictionary.current().version
    segmenter = get_segmenter()
    pool = None
    if workers > 1:
        pool = ProcessPoolExecutor(
            workers, initializer=_worker_init, initargs=(sorted(segmenter.extra_words),)
        )
    written = 0
    try:
        for batch in _batches(items, batch_size):
            sources = _sources(batch)
            pairs = [(source.title, source.text) for source in sources]
            if pool is not None:
                segments = list(pool.map(_segment_pair, pairs, chunksize=64))
            else:
                segments = [_segment_pair(pair) for pair in pairs]
            now = timezone.now()
            rows = [
                row_from_segments(
                    source, title_seg=title, body_seg=body, dict_version=version, now=now
                )
                for source, (title, body) in zip(sources, segments, strict=True)
            ]
            with transaction.atomic(using=backend.alias):
                backend.write_rows(rows)
            written += len(rows)
            if progress:
                progress(len(batch))
    finally:
        if pool is not None:
            pool.shutdown()
    return written
