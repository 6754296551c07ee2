"""SQLite: FTS5 over the same segmented text, ranked by bm25 (the title counts ten times).

`search_fts` is an external-content FTS5 table over the document table (rowid = item id),
kept in step by triggers (migration 0002), so a document written in a transaction is
searchable, or gone, exactly when that transaction commits. The query is FTS5 syntax: terms
"…" joined by AND, alternatives by OR, phrases as one quoted string of tokens.
"""

from __future__ import annotations

from ..documents import TABLE
from ..segment import Node
from .base import DATE, Filters, SearchBackend

FTS = "search_fts"
# bm25 weights of the FTS columns (title_seg, body_seg).
WEIGHTS = "10.0, 1.0"

ENSURE_SCHEMA = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title_seg, body_seg,
        content='search_searchdocument', content_rowid='item_id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts (rowid, title_seg, body_seg)
        VALUES (new.item_id, new.title_seg, new.body_seg);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_seg, body_seg)
        VALUES ('delete', old.item_id, old.title_seg, old.body_seg);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_seg, body_seg)
        VALUES ('delete', old.item_id, old.title_seg, old.body_seg);
        INSERT INTO search_fts (rowid, title_seg, body_seg)
        VALUES (new.item_id, new.title_seg, new.body_seg);
    END
    """,
]

PAGE_SQL = f"""
SELECT d.item_id, -bm25({FTS}, {WEIGHTS}) AS rank
FROM {FTS} JOIN {TABLE} d ON d.item_id = {FTS}.rowid
WHERE {FTS} MATCH %s{{where}}
ORDER BY {{order}}
LIMIT %s OFFSET %s
"""  # noqa: S608 — fixed fragments; values are parameters

ORDER = {
    "relevance": "rank DESC, d.published_at DESC, d.item_id DESC",
    DATE: "d.published_at DESC, d.item_id DESC",
}


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def ensure_schema(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
                ["search_fts_insert", "search_fts_delete", "search_fts_update"],
            )
            missing_triggers = cursor.fetchone()[0] < 3
            for statement in ENSURE_SCHEMA:
                cursor.execute(statement)
            if missing_triggers:
                # The table was rebuilt (or the triggers dropped): the FTS index is out of step.
                cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")

    def render(self, node: Node) -> str:
        return self._render_with(
            node,
            quote=_quote,
            phrase_sep=lambda tokens: '"' + " ".join(t.replace('"', '""') for t in tokens) + '"',
            and_op="AND",
            or_op="OR",
        )

    def _source_sql(self) -> str:
        return f"FROM {FTS} JOIN {TABLE} d ON d.item_id = {FTS}.rowid WHERE {FTS} MATCH %s"

    def _page(
        self, match: str, filters: Filters, sort: str, offset: int, limit: int, *, dense: bool
    ) -> list[tuple[int, float]]:
        where, params = filters.sql()
        sql = PAGE_SQL.format(where=where, order=ORDER.get(sort, ORDER["relevance"]))
        return self._fetch(sql, [match, *params, limit, offset])
