"""PostgreSQL: to_tsvector('simple', …) over the segmented text, a GIN index, ts_rank.

The document table has a stored generated column

    tsv = setweight(to_tsvector('simple', title_seg), 'A')
          || setweight(to_tsvector('simple', body_seg), 'B')

with a GIN index (migration 0002). A query is one to_tsquery('simple', …) string: terms joined
by &, alternatives by |, phrases by <->.

At a million documents a common word matches hundreds of thousands of them, and testing one
row against a query means reading its tsvector from TOAST (a few microseconds). So:

* the counts per column read at most GONGKAI_SEARCH_COUNT_CAP + 1 matches through the GIN
  bitmap ("10,000+" beyond), and their number decides how the page is read:
* few matches (the count is exact): all of them through the bitmap (a MATERIALIZED CTE, so
  the planner cannot walk the date index testing rows one by one), newest first;
* many matches (at least COUNT_CAP, so at least 1 in N/COUNT_CAP rows): walk the date index
  from the newest end, which stops after a few rows per hit;
* relevance ranks (ts_rank, title weighted A, body B) a pool of the newest matches only:
  GONGKAI_SEARCH_MAX_RESULTS of them when few, GONGKAI_SEARCH_DENSE_POOL (200) when many;
  pages beyond the pool continue by date;
* the heap rows stay narrow (toast_tuple_target = 128 moves the segmented text and the
  tsvector of every sizeable document out of line), so bitmap heap scans touch few pages;
* sequential scans are off while a search runs (SET LOCAL, restored after): the planner
  prices the tsvector test at nearly nothing and would otherwise scan the table "until
  10,000 matches" for a common word, testing row after row (20 ms → 270 ms at a million);
* highlighting happens in Python on the page's rows only (no ts_headline).
"""

from __future__ import annotations

from django.db import DatabaseError, transaction

from ..documents import COLUMNS, TABLE, DocumentRow
from ..segment import Node
from .base import (
    DATE,
    Filters,
    SearchBackend,
    SearchQuery,
    SearchResults,
    dense_pool,
    max_results,
)

MATCH = "d.tsv @@ to_tsquery('simple', %s)"

ENSURE_SCHEMA = [
    f"""
    ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_seg), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_seg), 'B')
    ) STORED
    """,
    f"CREATE INDEX IF NOT EXISTS search_doc_tsv_idx ON {TABLE} USING gin (tsv)",
]

# The matches in date order, a slice of them: through the bitmap when they are few …
FEW_SQL = f"""
WITH matches AS MATERIALIZED (
    SELECT d.item_id, d.published_at FROM {TABLE} d WHERE {MATCH}{{where}}
), ordered AS (
    SELECT item_id, published_at FROM matches
    ORDER BY published_at DESC, item_id DESC LIMIT %s OFFSET %s
)
"""  # noqa: S608 — fixed fragments; values are parameters
# … along the date index when they are many.
MANY_SQL = f"""
WITH ordered AS (
    SELECT d.item_id, d.published_at FROM {TABLE} d WHERE {MATCH}{{where}}
    ORDER BY d.published_at DESC, d.item_id DESC LIMIT %s OFFSET %s
)
"""  # noqa: S608
# Then rank the slice (the pool) and take a page of it, or keep its date order.
RANKED_SQL = f"""
SELECT o.item_id, ts_rank(d.tsv, to_tsquery('simple', %s)) AS rank
FROM ordered o JOIN {TABLE} d ON d.item_id = o.item_id
ORDER BY rank DESC, o.published_at DESC, o.item_id DESC
LIMIT %s OFFSET %s
"""  # noqa: S608
BY_DATE_SQL = f"""
SELECT o.item_id, ts_rank(d.tsv, to_tsquery('simple', %s)) AS rank
FROM ordered o JOIN {TABLE} d ON d.item_id = o.item_id
ORDER BY o.published_at DESC, o.item_id DESC
"""  # noqa: S608

# Bulk writes: COPY into a temporary table, then one upsert.
STAGE = "search_document_stage"
# Above this many rows a batch goes through COPY instead of INSERT … ON CONFLICT.
COPY_THRESHOLD = 200


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def ensure_schema(self) -> None:
        # Look before altering: even ALTER … IF NOT EXISTS takes an exclusive lock.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attname = 'tsv' AND NOT attisdropped), "
                "EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'search_doc_tsv_idx')",
                [TABLE],
            )
            has_column, has_index = cursor.fetchone()
            if not has_column:
                cursor.execute(ENSURE_SCHEMA[0])
            if not has_index:
                cursor.execute(ENSURE_SCHEMA[1])

    def render(self, node: Node) -> str:
        return self._render_with(
            node,
            quote=_quote,
            phrase_sep=lambda tokens: "(" + " <-> ".join(map(_quote, tokens)) + ")",
            and_op="&",
            or_op="|",
        )

    def _source_sql(self) -> str:
        return f"FROM {TABLE} d WHERE {MATCH}"

    def search(self, query: SearchQuery) -> SearchResults:
        with transaction.atomic(using=self.alias, savepoint=False):
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('enable_seqscan'), "
                    "set_config('enable_seqscan', 'off', true)"
                )
                previous = cursor.fetchone()[0]
            try:
                return super().search(query)
            finally:
                try:
                    with self.connection.cursor() as cursor:
                        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])
                except DatabaseError:
                    pass  # the transaction failed: its rollback undoes the setting anyway

    def _page(
        self, match: str, filters: Filters, sort: str, offset: int, limit: int, *, dense: bool
    ) -> list[tuple[int, float]]:
        where, params = filters.sql()
        ordered = (MANY_SQL if dense else FEW_SQL).format(where=where)
        if sort == DATE:
            return self._fetch(ordered + BY_DATE_SQL, [match, *params, limit, offset, match])
        pool = min(dense_pool(), max_results()) if dense else max_results()
        rows: list[tuple[int, float]] = []
        if offset < pool:
            take = min(offset + limit, pool) - offset
            rows += self._fetch(
                ordered + RANKED_SQL, [match, *params, pool, 0, match, take, offset]
            )
        if offset + limit > pool:  # beyond the ranked pool: on by date
            start = max(offset, pool)
            rows += self._fetch(
                ordered + BY_DATE_SQL, [match, *params, offset + limit - start, start, match]
            )
        return rows

    def write_rows(self, rows: list[DocumentRow]) -> None:
        if len(rows) < COPY_THRESHOLD:
            super().write_rows(rows)
            return
        columns = ", ".join(COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "item_id")
        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} "
                f"(LIKE {TABLE} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
            # The stage copies `tsv` as a plain column; it stays empty.
            with cursor.cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row.values())
            cursor.execute(
                f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM {STAGE} "  # noqa: S608
                f"ON CONFLICT (item_id) DO UPDATE SET {updates}"
            )
            cursor.execute(f"DELETE FROM {STAGE}")  # noqa: S608
