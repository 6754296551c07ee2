"""Loads the synthetic catalogue of portal_data.py into a PostgreSQL database with COPY.

Used by portal_bench.py; no Django in here (psycopg only), except that the schema comes from
`gongkai migrate`, run by the caller beforehand.

Rerunnable: the plan's signature is kept in a table `bench_meta`; agencies whose item count
matches the plan are skipped, and an agency is written in one transaction (items,
publications, search documents, index sequences), so an interrupted load resumes with the
agencies it did not finish. Secondary indexes of the big tables are dropped before the load
and rebuilt after it (their definitions are kept in bench_meta until they are back).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import queue
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import portal_data as D
import psycopg

BIG_TABLES = ("catalogue_item", "catalogue_publication")
NOW = datetime(2026, 11, 1, tzinfo=UTC)
BENCH_USER_ID = 1


def copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    s = value if isinstance(value, str) else str(value)
    if "\\" in s or "\t" in s or "\n" in s or "\r" in s:
        s = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return s


def ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")


# What the loader writes, per table. A NOT NULL column of the model that is not listed here makes
# the load stop (table_shape) and fails tests/test_bench_loader.py: a silently zero-filled column
# once loaded every item with on_website false, and every item page answered 404.
USER_COLUMNS = [
    "id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
    "is_active", "date_joined",
]  # fmt: skip
AGENCY_COLUMNS = [
    "id", "name", "short_name", "slug", "level", "uscc", "parent_id", "path", "depth",
    "is_active", "publishes_annual_report", "office_name", "office_address", "office_hours",
    "office_phone", "office_fax", "office_email", "office_postcode", "created_at", "updated_at",
]  # fmt: skip
COLUMN_COLUMNS = ["id", "agency_id", "parent_id", "name", "column_type", "position", "is_active"]
CHANNEL_COLUMNS = ["id", "agency_id", "kind", "name", "account", "url", "is_active"]


@dataclass
class TableShape:
    table: str
    columns: list[str]

    def copy_sql(self) -> str:
        cols = ", ".join(f'"{c}"' for c in self.columns)
        return f"COPY {self.table} ({cols}) FROM STDIN"


def table_shape(cur, table: str, columns: list[str]) -> TableShape:
    """The COPY target, after checking that the table and the loader agree."""
    cur.execute(
        """SELECT column_name, is_nullable, column_default, is_identity, is_generated
           FROM information_schema.columns WHERE table_name = %s AND table_schema = 'public'""",
        (table,),
    )
    rows = cur.fetchall()
    if not rows:
        raise RuntimeError(f"table {table} does not exist: did the migration run?")
    known = {r[0] for r in rows}
    missing = [c for c in columns if c not in known]
    if missing:
        raise RuntimeError(f"{table} has no column(s) {missing}: the model changed")
    unwritten = [
        name
        for name, nullable, default, identity, generated in rows
        if name not in columns
        and nullable == "NO"
        and default is None
        and identity != "YES"
        and generated != "ALWAYS"
    ]
    if unwritten:
        raise RuntimeError(
            f"{table}.{', '.join(unwritten)} is NOT NULL and the loader does not write it: "
            "give it its model value in bench/portal_load.py"
        )
    return TableShape(table, columns)


def copy_rows(cur, shape: TableShape, rows: Iterable[list], chunk: int = 2000) -> int:
    n = 0
    with cur.copy(shape.copy_sql()) as copy:
        buffer: list[str] = []
        for row in rows:
            buffer.append("\t".join(map(copy_text, row)) + "\n")
            n += 1
            if len(buffer) >= chunk:
                copy.write("".join(buffer))
                buffer = []
        if buffer:
            copy.write("".join(buffer))
    return n


# --- meta --------------------------------------------------------------------------------


def meta_get(conn, key: str) -> str | None:
    conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
    row = conn.execute("SELECT value FROM bench_meta WHERE key = %s", (key,)).fetchone()
    return row[0] if row else None


def meta_set(conn, key: str, value: str | None) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
    if value is None:
        conn.execute("DELETE FROM bench_meta WHERE key = %s", (key,))
    else:
        conn.execute(
            "INSERT INTO bench_meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = %s",
            (key, value, value),
        )


# --- the small tables ----------------------------------------------------------------------


def load_setup(conn, plan: D.Plan) -> None:
    """User, agencies, columns, channels: once, in one transaction."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM core_agency")
        if cur.fetchone()[0]:
            return
        user = table_shape(cur, "core_user", USER_COLUMNS)
        copy_rows(
            cur, user, [[BENCH_USER_ID, "!", False, "bench", "", "", "", True, True, ts(NOW)]]
        )
        agencies = table_shape(cur, "core_agency", AGENCY_COLUMNS)
        copy_rows(
            cur,
            agencies,
            (
                [a.id, a.name, a.short_name, a.slug, a.level, a.uscc, a.parent_id, a.path,
                 a.depth, True, True, f"{a.name}办公室", "浙江省舟山市普陀区（演示地址）",
                 "工作日 上午8:30—12:00，下午14:00—17:30", f"0580-0000{a.id:03d}", "",
                 f"gongkai@{a.slug}.example.cn", "316100", ts(NOW), ts(NOW)]
                for a in plan.agencies
            ),
        )  # fmt: skip
        columns = table_shape(cur, "catalogue_column", COLUMN_COLUMNS)
        copy_rows(
            cur,
            columns,
            (
                [c.id, c.agency_id, c.parent_id, c.name, c.column_type, c.position, True]
                for c in plan.columns
            ),
        )
        channels = table_shape(cur, "catalogue_channel", CHANNEL_COLUMNS)
        rows = []
        for a in plan.agencies:
            rows.append([a.website_channel_id, a.id, "website", f"{a.name}门户网站", "",
                         f"https://{a.slug}.example.cn/", True])  # fmt: skip
            rows.append(
                [a.wechat_channel_id, a.id, "wechat", f"{a.short_name}发布", a.slug, "", True]
            )
        copy_rows(cur, channels, rows)
        for table in ("core_user", "core_agency", "catalogue_column", "catalogue_channel"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )


# --- secondary indexes ---------------------------------------------------------------------


def drop_secondary_indexes(conn, tables: tuple[str, ...]) -> None:
    """Drop the indexes no constraint owns (kept in bench_meta to be rebuilt later)."""
    saved = json.loads(meta_get(conn, "dropped_indexes") or "[]")
    rows = conn.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           JOIN pg_class c ON c.relname = i.indexname
           WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)""",
        (list(tables),),
    ).fetchall()
    with conn.transaction():
        for name, definition in rows:
            if [name, definition] not in saved:
                saved.append([name, definition])
        meta_set(conn, "dropped_indexes", json.dumps(saved, ensure_ascii=False))
        for name, _definition in rows:
            conn.execute(f'DROP INDEX IF EXISTS "{name}"')


def rebuild_indexes(conn, report: Callable[[str], None]) -> None:
    saved = json.loads(meta_get(conn, "dropped_indexes") or "[]")
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET max_parallel_maintenance_workers = 2")
    for name, definition in saved:
        exists = conn.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", (name,)).fetchone()
        if exists:
            continue
        started = time.perf_counter()
        conn.execute(definition)
        report(f"  index {name}: {time.perf_counter() - started:.1f} s")
    meta_set(conn, "dropped_indexes", None)


def is_superuser(cur) -> bool:
    cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cur.fetchone()[0])


# --- the items, per agency -----------------------------------------------------------------

ITEM_COLUMNS = [
    "id", "agency_id", "column_id", "index_number", "index_year", "index_serial", "title",
    "summary", "body", "document_number", "publisher", "formed_on", "published_at",
    "scheduled_at", "topic", "genre", "validity", "valid_from", "invalid_on", "disclosure_mode",
    "non_disclosure_ground", "scope", "on_website", "status", "withdrawn_reason", "privacy_override",
    "privacy_override_note", "created_by_id", "submitted_by_id", "approved_by_id", "created_at",
    "updated_at",
]  # fmt: skip
PUBLICATION_COLUMNS = ["item_id", "channel_id", "published_on", "url", "source", "created_at"]


def item_row(item: D.GeneratedItem) -> list:
    published = ts(item.published_at)
    return [
        item.id, item.agency.id, item.column.id, item.index_number, item.index_year,
        item.index_serial, item.title, item.summary, item.body, item.document_number,
        item.publisher, item.formed_on.isoformat(), published, None, item.topic, item.genre,
        item.validity, item.formed_on.isoformat() if item.genre == "normative" else None,
        item.invalid_on.isoformat() if item.invalid_on else None, "proactive", "", "public",
        True, "published", "", "", "", BENCH_USER_ID, BENCH_USER_ID, BENCH_USER_ID, published, published,
    ]  # fmt: skip


@dataclass
class SearchHook:
    """How the search app's table is filled: its name, columns and a row per item."""

    table: str
    columns: list[str]
    row: Callable[[D.GeneratedItem], list]
    cut: Callable[[str], str]  # the segmentation the search app applies to text


def load_agency(conn, plan: D.Plan, agency: D.AgencyPlan, segment: D.Segmenter,
                search: SearchHook | None, progress: Callable[[int], None]) -> dict:  # fmt: skip
    timings = {"generate+copy": 0.0}
    started = time.perf_counter()
    sequences: dict[int, int] = {}
    publications: list[list] = []
    search_rows: list[list] = []
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        if is_superuser(cur):
            # The rows are consistent by construction: skip the per-row foreign-key triggers.
            cur.execute("SET LOCAL session_replication_role = replica")
        # Leftovers of an interrupted attempt (should not exist: one transaction per agency).
        if search is not None:
            cur.execute(
                f"DELETE FROM {search.table} WHERE item_id IN "  # noqa: S608
                "(SELECT id FROM catalogue_item WHERE agency_id = %s)",
                (agency.id,),
            )
        cur.execute(
            "DELETE FROM catalogue_publication WHERE item_id IN "
            "(SELECT id FROM catalogue_item WHERE agency_id = %s)",
            (agency.id,),
        )
        cur.execute("DELETE FROM catalogue_indexsequence WHERE agency_id = %s", (agency.id,))
        cur.execute("DELETE FROM catalogue_item WHERE agency_id = %s", (agency.id,))

        items_shape = table_shape(cur, "catalogue_item", ITEM_COLUMNS)
        publication_shape = table_shape(cur, "catalogue_publication", PUBLICATION_COLUMNS)
        search_shape = table_shape(cur, search.table, search.columns) if search else None

        def rows():
            for count, item in enumerate(D.agency_items(plan, agency, segment), 1):
                sequences[item.index_year] = max(
                    sequences.get(item.index_year, 0), item.index_serial
                )
                day = (item.published_at + D.CHINA).date().isoformat()
                created = ts(item.published_at)
                publications.append([item.id, agency.website_channel_id, day,
                                     f"https://{agency.slug}.example.cn/art/{item.id}.html",
                                     "auto", created])  # fmt: skip
                if item.on_wechat:
                    publications.append(
                        [item.id, agency.wechat_channel_id, day, "", "manual", created]
                    )
                if search is not None:
                    search_rows.append(search.row(item))
                if count % 2000 == 0:
                    progress(2000)
                yield item_row(item)

        n = copy_rows(cur, items_shape, rows())
        progress(n % 2000)
        copy_rows(cur, publication_shape, publications)
        if search_shape is not None:
            copy_rows(cur, search_shape, search_rows)
        cur.executemany(
            "INSERT INTO catalogue_indexsequence (agency_id, year, last_value) VALUES (%s, %s, %s)",
            [(agency.id, year, last) for year, last in sorted(sequences.items())],
        )
    timings["generate+copy"] = time.perf_counter() - started
    timings["items"] = n
    return timings


# --- workers -------------------------------------------------------------------------------


def _worker(dsn, plan, agency_ids, search_factory, todo: mp.Queue, events: mp.Queue) -> None:
    search = search_factory() if search_factory else None
    cut = search.cut if search else (lambda s: s)
    segment = D.Segmenter(cut)
    by_id = {a.id: a for a in plan.agencies}
    with psycopg.connect(dsn) as conn:
        while True:
            try:
                agency_id = todo.get_nowait()
            except queue.Empty:
                break
            agency = by_id[agency_id]
            result = load_agency(
                conn, plan, agency, segment, search, lambda k: events.put(("items", k))
            )
            events.put(("agency", agency.slug, result))
    events.put(("done", os.getpid(), segment.misses))


def load_items(dsn: str, plan: D.Plan, agencies: list[D.AgencyPlan], workers: int,
               search_factory, on_event: Callable) -> None:  # fmt: skip
    ctx = mp.get_context("fork")
    todo: mp.Queue = ctx.Queue()
    events: mp.Queue = ctx.Queue()
    # Biggest first, so the two workers finish together.
    for agency in sorted(agencies, key=lambda a: -a.n_items):
        todo.put(agency.id)
    time.sleep(0.1)
    procs = [
        ctx.Process(target=_worker, args=(dsn, plan, [], search_factory, todo, events))
        for _ in range(workers)
    ]
    for p in procs:
        p.start()
    finished = 0
    while finished < len(procs):
        try:
            event = events.get(timeout=1)
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"a load worker failed (exit code {dead[0].exitcode})") from None
            continue
        if event[0] == "done":
            finished += 1
        on_event(event)
    for p in procs:
        p.join()


def finish(conn, report: Callable[[str], None]) -> None:
    started = time.perf_counter()
    rebuild_indexes(conn, report)
    report(f"indexes rebuilt in {time.perf_counter() - started:.0f} s")
    for table in ("catalogue_item", "catalogue_publication", "catalogue_indexsequence"):
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"coalesce((SELECT max(id) FROM {table}), 1))"
        )
    started = time.perf_counter()
    conn.execute("VACUUM (ANALYZE)")
    report(f"VACUUM (ANALYZE) in {time.perf_counter() - started:.0f} s")
