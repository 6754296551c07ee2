"""The full-text structures the migration creates, per database."""

import pytest
from django.db import connection

from gongkai.search.backends import get_backend
from gongkai.search.backends.postgres import PostgresBackend
from gongkai.search.backends.sqlite import SqliteBackend
from gongkai.search.models import SearchDictionary

from .conftest import VENDOR, run_search, titles

pytestmark = pytest.mark.django_db


def test_the_backend_follows_the_database(settings):
    expected = {"postgresql": PostgresBackend, "sqlite": SqliteBackend}[VENDOR]
    assert type(get_backend()) is expected
    settings.GONGKAI_SEARCH_BACKEND = "gongkai.search.backends.sqlite.SqliteBackend"
    assert type(get_backend()) is SqliteBackend


def test_the_migration_creates_the_dictionary_row():
    row = SearchDictionary.objects.get(pk=1)
    assert (row.version, row.indexed_version) == (1, 1)


@pytest.mark.skipif(VENDOR != "sqlite", reason="SQLite FTS5")
def test_sqlite_fts5_table_and_triggers(publish):
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'search_fts%'")
        names = {name for _type, name in cursor.fetchall()}
    assert {"search_fts", "search_fts_insert", "search_fts_update", "search_fts_delete"} <= names
    publish("六横镇召开防汛工作会议")
    # Triggers lost (a table rebuild by a later migration): ensure_schema restores and rebuilds.
    with connection.cursor() as cursor:
        for trigger in ("search_fts_insert", "search_fts_update", "search_fts_delete"):
            cursor.execute(f"DROP TRIGGER {trigger}")
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
    assert titles("防汛") == []
    get_backend().ensure_schema()
    assert titles("防汛") == ["六横镇召开防汛工作会议"]
    get_backend().ensure_schema()  # idempotent
    assert titles("防汛") == ["六横镇召开防汛工作会议"]


@pytest.mark.skipif(VENDOR != "postgresql", reason="PostgreSQL")
def test_postgres_generated_tsvector_and_gin_index(publish):
    publish("六横镇召开防汛工作会议", body="部署防汛工作")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attgenerated FROM pg_attribute "
            "WHERE attrelid = 'search_searchdocument'::regclass AND attname = 'tsv'"
        )
        assert cursor.fetchone()[0] == "s"
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_doc_tsv_idx'")
        assert "USING gin (tsv)" in cursor.fetchone()[0]
        cursor.execute("SELECT tsv::text FROM search_searchdocument")
        vector = cursor.fetchone()[0]
    assert "'六横镇':3A" in vector and "'防汛':" in vector
    get_backend().ensure_schema()  # idempotent, and takes no lock when nothing is missing


@pytest.mark.skipif(VENDOR != "postgresql", reason="PostgreSQL")
def test_postgres_queries_can_use_the_gin_index(publish):
    """The WHERE clause of every search statement is the indexed expression."""
    publish("六横镇召开防汛工作会议")
    backend = get_backend()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT 1 {backend._source_sql()} LIMIT 10",
            ["'防汛' & '会议'"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_doc_tsv_idx" in plan


def test_query_syntax_cannot_be_injected(publish):
    publish("六横镇召开防汛工作会议")
    for text in ["防汛' | '会议", "NEAR(防汛 会议)", "防汛 OR 会议", "*", "防汛)"]:
        run_search(text)  # no database error
    assert titles("防汛 OR 台风") == []  # "or" is a word here, not an operator


@pytest.mark.skipif(VENDOR != "postgresql", reason="PostgreSQL")
def test_postgres_search_restores_the_planner_setting(publish):
    publish("六横镇召开防汛工作会议")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = on")
        assert titles("防汛") == ["六横镇召开防汛工作会议"]
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.skipif(VENDOR != "postgresql", reason="PostgreSQL")
def test_postgres_pages_beyond_the_ranked_pool_continue_by_date(publish, settings):
    """Many matches: relevance ranks the newest few, later pages go on by date, no repeats."""
    for n in range(7):
        publish(f"防汛简报第{n}期", body="防汛" * (n % 3 + 1))
    settings.GONGKAI_SEARCH_COUNT_CAP = 5
    settings.GONGKAI_SEARCH_DENSE_POOL = 4
    pages = [run_search("防汛", page=p, page_size=3) for p in (1, 2)]
    assert not pages[0].total_exact and pages[0].num_pages == 2
    seen = [hit.item.title for r in pages for hit in r.hits]
    assert len(seen) == len(set(seen)) == 5
    newest_four = {f"防汛简报第{n}期" for n in (3, 4, 5, 6)}
    assert set(seen[:4]) == newest_four  # the ranked pool
    assert seen[4] == "防汛简报第2期"  # then by date
