"""The search interface and what both backends share; the SQL of matching is per backend.

A search runs at most these queries: the dictionary's version (always), the column tree (only
with a column filter), the counts per column, the page of ids, the page's public items, and the
attachments' text (only when a hit matched nowhere but there). Counting stops at
GONGKAI_SEARCH_COUNT_CAP matches ("10,000+"), and only the first GONGKAI_SEARCH_MAX_RESULTS
hits can be paged through, so no search costs more than a bounded amount of work.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q
from django.utils.safestring import SafeString

from gongkai.catalogue.models import Column, Item
from gongkai.catalogue.selectors import column_subtree_ids, public_items
from gongkai.core.models import Agency

from .. import dictionary, highlight
from ..documents import (
    COLUMNS,
    DocumentRow,
    attachment_texts,
    build_row,
    is_public,
    item_plain_text,
    source_for_item,
)
from ..models import SearchDocument
from ..segment import AllOf, AnyOf, Node, ParsedQuery, Phrase, Term, get_segmenter

RELEVANCE = "relevance"
DATE = "date"
SORTS = (RELEVANCE, DATE)
PAGE_SIZE = 20
Progress = Callable[[int, int], None]  # (done in this step, total)


def count_cap() -> int:
    return settings.GONGKAI_SEARCH_COUNT_CAP


def max_results() -> int:
    return settings.GONGKAI_SEARCH_MAX_RESULTS


def dense_pool() -> int:
    """How many of the newest matches relevance ranks when a query matches very many."""
    return settings.GONGKAI_SEARCH_DENSE_POOL


@dataclass(frozen=True)
class SearchQuery:
    text: str
    agency: int | None = None
    column: int | None = None  # includes the column's sub-columns
    genre: str = ""
    year: int | None = None
    sort: str = RELEVANCE
    page: int = 1
    page_size: int = PAGE_SIZE


class Hit(NamedTuple):
    item: Item
    title_html: SafeString
    snippet_html: SafeString
    rank: float


class Group(NamedTuple):
    column_id: int
    column_name: str
    agency_name: str
    count: int


@dataclass
class SearchResults:
    query: SearchQuery
    parsed: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    total_exact: bool = True  # False: at least `total` (the count stopped at the cap)
    page: int = 1
    num_pages: int = 0
    groups: list[Group] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.query.page_size + 1 if self.hits else 0

    def page_range(self, around: int = 3) -> list[int]:
        lo = max(1, self.page - around)
        hi = min(self.num_pages, self.page + around)
        return list(range(lo, hi + 1))


@dataclass(frozen=True)
class Filters:
    agency: int | None = None
    column_ids: tuple[int, ...] | None = None
    genre: str = ""
    year: int | None = None

    def sql(self, *, with_column: bool = True) -> tuple[str, list]:
        parts: list[str] = []
        params: list = []
        if self.agency is not None:
            parts.append("d.agency_id = %s")
            params.append(self.agency)
        if with_column and self.column_ids is not None:
            placeholders = ", ".join(["%s"] * len(self.column_ids))
            parts.append(f"d.column_id IN ({placeholders})")
            params.extend(self.column_ids)
        if self.genre:
            parts.append("d.genre = %s")
            params.append(self.genre)
        if self.year is not None:
            parts.append("d.year = %s")
            params.append(self.year)
        return "".join(" AND " + part for part in parts), params


@dataclass(frozen=True)
class ReindexReport:
    indexed: int
    removed: int
    version: int
    remaining: int  # documents still stale (0 unless items were published meanwhile)


class SearchBackend:
    """Writes go through the ORM (the database keeps the full-text structure in step);
    reads are one SQL statement per step, see `_page` and `_source_sql`."""

    vendor = ""

    def __init__(self, alias: str = DEFAULT_DB_ALIAS):
        self.alias = alias

    @property
    def connection(self):
        return connections[self.alias]

    # --- schema ----------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the full-text structures if they are missing (idempotent)."""

    # --- the query language ----------------------------------------------------------------

    def render(self, node: Node) -> str:
        raise NotImplementedError

    def render_query(self, parsed: ParsedQuery) -> str:
        return self.render(AllOf(parsed.clauses))

    def _render_with(self, node: Node, *, quote, phrase_sep, and_op, or_op) -> str:
        if isinstance(node, Term):
            return quote(node.token)
        if isinstance(node, Phrase):
            return phrase_sep(node.tokens)
        if isinstance(node, AllOf | AnyOf):
            op = and_op if isinstance(node, AllOf) else or_op
            inner = f" {op} ".join(self.render(part) for part in node.parts)
            return f"({inner})" if len(node.parts) > 1 else inner
        raise TypeError(node)

    # --- writing ---------------------------------------------------------------------------

    def index_item(self, item: Item) -> bool:
        """Index `item` if it is public, else remove it; in the caller's transaction."""
        if not is_public(item):
            self.remove_item(item.pk)
            return False
        state = dictionary.current()
        texts = attachment_texts([item.pk]).get(item.pk, [])
        self.write_rows([build_row(source_for_item(item, texts), dict_version=state.version)])
        return True

    def remove_item(self, item_id: int) -> None:
        SearchDocument.objects.using(self.alias).filter(item_id=item_id).delete()

    def write_rows(self, rows: list[DocumentRow]) -> None:
        """Insert or replace documents."""
        if not rows:
            return
        SearchDocument.objects.using(self.alias).bulk_create(
            [SearchDocument(**{name: getattr(row, name) for name in COLUMNS}) for row in rows],
            update_conflicts=True,
            unique_fields=["item"],
            update_fields=[name for name in COLUMNS if name != "item_id"],
        )

    def index_batch(self, item_ids: list[int], *, dict_version: int) -> int:
        """(Re)index these items if public, drop their documents if not; one transaction.

        The text is segmented before the transaction; inside it the items are locked and
        checked again, so an item withdrawn meanwhile is never put back into the index."""
        items = list(Item.objects.using(self.alias).filter(pk__in=item_ids).order_by("pk"))
        texts = attachment_texts(item_ids)
        segmenter = get_segmenter()
        rows = {
            item.pk: build_row(
                source_for_item(item, texts.get(item.pk, [])),
                dict_version=dict_version,
                segmenter=segmenter,
            )
            for item in items
            if is_public(item)
        }
        with transaction.atomic(using=self.alias):
            still_public = set(
                public_items()
                .using(self.alias)
                .select_related(None)
                .select_for_update(of=("self",))
                .filter(pk__in=list(rows))
                .values_list("pk", flat=True)
            )
            self.write_rows([row for pk, row in rows.items() if pk in still_public])
            SearchDocument.objects.using(self.alias).filter(item_id__in=item_ids).exclude(
                item_id__in=still_public
            ).delete()
        return len(still_public)

    def _stale_items(self, version: int):
        return (
            public_items()
            .using(self.alias)
            .select_related(None)
            .filter(Q(search_document__isnull=True) | Q(search_document__dict_version__lt=version))
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def reindex(
        self, *, stale_only: bool = False, batch_size: int = 500, progress: Progress | None = None
    ) -> ReindexReport:
        """Bring the index up to date, batch by batch (each batch its own transaction).

        stale_only: re-segment documents older than the dictionary, index public items that
        have no document. Without it every document is re-segmented: the version is raised
        first, so an interrupted run continues with `stale_only=True`. Either way, documents
        of items that are no longer public are removed.
        """
        self.ensure_schema()
        if not stale_only:
            with transaction.atomic(using=self.alias):
                dictionary.bump()
        version = dictionary.current().version
        stale = self._stale_items(version)
        total = stale.count()
        if progress:
            progress(0, total)
        indexed, last = 0, 0
        while True:
            ids = list(stale.filter(pk__gt=last)[:batch_size])
            if not ids:
                break
            indexed += self.index_batch(ids, dict_version=version)
            last = ids[-1]
            if progress:
                progress(len(ids), total)
        removed, _by_model = (
            SearchDocument.objects.using(self.alias)
            .exclude(item_id__in=public_items().select_related(None).values("pk"))
            .delete()
        )
        remaining = stale.count()
        if remaining == 0:
            dictionary.mark_indexed(version)
        return ReindexReport(indexed=indexed, removed=removed, version=version, remaining=remaining)

    # --- reading ---------------------------------------------------------------------------

    def _source_sql(self) -> str:
        """FROM … WHERE <match %s>: the documents matching the rendered query, aliased `d`."""
        raise NotImplementedError

    def _page(
        self, match: str, filters: Filters, sort: str, offset: int, limit: int, *, dense: bool
    ) -> list[tuple[int, float]]:
        """One page of (item_id, rank), best first (or newest first). `dense`: more matches
        than the count cap (the backend may read them differently)."""
        raise NotImplementedError

    def _group_counts(self, match: str, filters: Filters, cap: int) -> list[tuple]:
        where, params = filters.sql(with_column=False)
        sql = f"""
            SELECT g.column_id, c.name, a.short_name, g.n
            FROM (
                SELECT m.column_id, COUNT(*) AS n
                FROM (SELECT d.column_id {self._source_sql()}{where} LIMIT %s) m
                GROUP BY m.column_id
            ) g
            JOIN {Column._meta.db_table} c ON c.id = g.column_id
            JOIN {Agency._meta.db_table} a ON a.id = c.agency_id
            ORDER BY g.n DESC, c.name, g.column_id
        """  # noqa: S608 — table names and fixed fragments only; values are parameters
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, *params, cap])
            return cursor.fetchall()

    def _count(self, match: str, filters: Filters, cap: int) -> int:
        where, params = filters.sql()
        sql = f"SELECT COUNT(*) FROM (SELECT 1 {self._source_sql()}{where} LIMIT %s) m"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, *params, cap])
            return cursor.fetchone()[0]

    def _fetch(self, sql: str, params: list) -> list[tuple[int, float]]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(row[0], float(row[1] or 0)) for row in cursor.fetchall()]

    def search(self, query: SearchQuery) -> SearchResults:
        state = dictionary.current()
        parsed = get_segmenter().segment_query(query.text or "", fresh=state.fresh)
        query = replace(
            query,
            sort=query.sort if query.sort in SORTS else RELEVANCE,
            page=max(1, query.page),
            page_size=max(1, min(query.page_size, 100)),
        )
        results = SearchResults(query=query, parsed=parsed)
        if not parsed:
            return results
        column_ids = None
        if query.column is not None:
            column = (
                Column.objects.using(self.alias)
                .select_related("agency")
                .filter(pk=query.column)
                .first()
            )
            column_ids = tuple(column_subtree_ids(column)) if column else ()
        filters = Filters(
            agency=query.agency, column_ids=column_ids, genre=query.genre, year=query.year
        )
        if column_ids == ():
            return results
        match = self.render_query(parsed)
        cap = count_cap()

        rows = self._group_counts(match, filters, cap + 1)
        counted = sum(row[3] for row in rows)
        exact = counted <= cap
        in_column = set(column_ids) if column_ids is not None else None
        results.groups = [Group(*row) for row in rows]
        if in_column is None:
            total = counted
        elif exact:
            total = sum(row[3] for row in rows if row[0] in in_column)
        else:
            total = self._count(match, filters, cap + 1)
            exact = total <= cap
        results.total, results.total_exact = min(total, cap), exact

        window = min(results.total, max_results())
        results.num_pages = math.ceil(window / query.page_size)
        results.page = min(query.page, max(results.num_pages, 1))
        if not window:
            return results
        offset = (results.page - 1) * query.page_size
        limit = min(query.page_size, window - offset)
        ranked = self._page(match, filters, query.sort, offset, limit, dense=not exact)
        results.hits = self._hits(ranked, parsed)
        return results

    def _hits(self, ranked: list[tuple[int, float]], parsed: ParsedQuery) -> list[Hit]:
        ids = [item_id for item_id, _rank in ranked]
        # Only public items, whatever the index says: a stale document never leaks an item.
        items = public_items().using(self.alias).in_bulk(ids)
        needles = parsed.highlights
        snippets: dict[int, SafeString | None] = {}
        for pk, item in items.items():
            snippets[pk] = highlight.snippet(item_plain_text(item), needles)
        missing = [pk for pk, value in snippets.items() if value is None]
        if missing:
            for pk, texts in attachment_texts(missing).items():
                snippets[pk] = highlight.snippet("\n".join(texts), needles)
        hits = []
        for item_id, rank in ranked:
            item = items.get(item_id)
            if item is None:
                continue
            snippet = snippets.get(item_id) or highlight.head(item_plain_text(item))
            hits.append(Hit(item, highlight.mark(item.title, needles), snippet, rank))
        return hits
