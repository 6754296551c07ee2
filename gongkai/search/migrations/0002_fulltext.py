"""The full-text structures, per database (a GIN index would break SQLite, FTS5 PostgreSQL).

PostgreSQL: a stored generated tsvector over the segmented title (weight A) and body (B) with a
GIN index; the 'simple' configuration only lower-cases, so jieba's tokens are the lexemes.
SQLite: an FTS5 table with external content (the document table itself), kept in step by
triggers in the same transaction as every write of a document.

The SQL is written out here, not imported, so that this migration stays what it was when it
ran; backends/*.py hold the same statements for `ensure_schema()`.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_seg), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_seg), 'B')
    ) STORED
    """,
    "CREATE INDEX search_doc_tsv_idx ON search_searchdocument USING gin (tsv)",
    # Narrow heap rows: once a row needs TOAST (over ~2 kB), move its long values out of line
    # until the rest is under 128 bytes, so bitmap heap scans over many matches touch few pages.
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)",
    # Finer statistics of the most common lexemes: the planner chooses between the GIN index
    # and a walk down the date index by how common a word is.
    "ALTER TABLE search_searchdocument ALTER COLUMN tsv SET STATISTICS 1000",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_searchdocument RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS search_doc_tsv_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title_seg, body_seg,
        content='search_searchdocument', content_rowid='item_id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts (rowid, title_seg, body_seg)
        VALUES (new.item_id, new.title_seg, new.body_seg);
    END
    """,
    """
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_seg, body_seg)
        VALUES ('delete', old.item_id, old.title_seg, old.body_seg);
    END
    """,
    """
    CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_seg, body_seg)
        VALUES ('delete', old.item_id, old.title_seg, old.body_seg);
        INSERT INTO search_fts (rowid, title_seg, body_seg)
        VALUES (new.item_id, new.title_seg, new.body_seg);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def create_dictionary_row(apps, schema_editor):
    apps.get_model("search", "SearchDictionary").objects.get_or_create(
        pk=1, defaults={"version": 1, "indexed_version": 1}
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.RunPython(create_dictionary_row, migrations.RunPython.noop),
    ]
