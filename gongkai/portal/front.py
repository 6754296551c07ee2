"""The agencies' generations in nginx's cache key (issue 18, item 7; gongkai.core.serve writes
the nginx side).

nginx keys an agency's pages (/gk/<slug>/…) with a digest of what the app's own page store is
keyed with (signals.py's token, the agency's and its portal settings' `updated_at`, the agency
switched off). `gongkai front watch MAP` keeps the map nginx includes up to date: it reads every
agency's state in one statement a second, waits until every app process would read the same
(front_settle_seconds), writes the map when it changed and has nginx reload it. A change then
moves all of the agency's pages to new keys at once, so nginx may keep them long.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, connections

from gongkai.core.models import Agency
from gongkai.core.serve import write_generations

from .models import PageGeneration, PortalSettings
from .selectors import PAGE_STATE_SECONDS

# How often the watcher reads the generations (one statement over the agencies).
FRONT_WATCH_SECONDS = 1.0


def _generations_sql() -> str:
    q = connection.ops.quote_name
    agency, portal, generation = Agency._meta, PortalSettings._meta, PageGeneration._meta
    # What an agency's stored pages are keyed with (selectors.page_cache_state), for every
    # agency at once; table and column names come from the models.
    return (
        f"SELECT a.{q('slug')}, a.{q('id')}, a.{q('is_active')}, a.{q('updated_at')}, "  # noqa: S608
        f"s.{q('updated_at')}, g.{q('token')} FROM {q(agency.db_table)} a "
        f"LEFT JOIN {q(portal.db_table)} s ON s.{q('agency_id')} = a.{q('id')} "
        f"LEFT JOIN {q(generation.db_table)} g ON g.{q('agency_id')} = a.{q('id')}"
    )


def front_generations(using: str = "default") -> dict[str, str]:
    """Each agency's slug and a short digest of its page-cache state: it changes whenever the
    app's own page store would render the agency's pages again."""
    with connections[using].cursor() as cursor:
        cursor.execute(_generations_sql())
        rows = cursor.fetchall()
    return {
        row[0]: hashlib.sha256(repr(row[1:]).encode()).hexdigest()[:16] for row in rows if row[0]
    }


def front_settle_seconds() -> float:
    """How long a generation read now waits before nginx keys pages with it.

    An app process goes on using the agency's state it read up to PAGE_STATE_SECONDS before:
    asked by nginx under the new key earlier, it could answer the old page from its store,
    which nginx would keep under the new key. With a replica, a process may also read one
    that lags up to GONGKAI_REPLICA_MAX_LAG_SECONDS, and finds out it does only at its next
    check.
    """
    wait = PAGE_STATE_SECONDS + 0.2
    if settings.GONGKAI_REPLICA_URL and settings.GONGKAI_REPLICA_READS:
        wait += settings.GONGKAI_REPLICA_MAX_LAG_SECONDS + settings.GONGKAI_REPLICA_CHECK_SECONDS
    return wait


def front_bound_seconds() -> float:
    """The longest a change takes to reach nginx's cache once committed (the note promises
    it): a read that just missed it, its settling and the interval, the next read's settling,
    and a second for the reload."""
    return FRONT_WATCH_SECONDS + 2 * front_settle_seconds() + 1.0


def watch_front(path: Path, *, reload, say=print, once: bool = False) -> None:
    """Keep the generations' map up to date: read, let it settle, write when it changed and
    reload nginx. Runs until stopped (SIGTERM); a database that cannot be reached is retried."""
    settle = front_settle_seconds()
    owed = False  # a map written while nginx could not be told yet
    while True:
        try:
            generations = front_generations()
        except DatabaseError as exc:
            say(f"front watch: database unreachable ({exc.__class__.__name__}); retrying")
            connections.close_all()
            time.sleep(FRONT_WATCH_SECONDS)
            continue
        if not once:
            time.sleep(settle)
        if write_generations(path, generations) or owed:
            owed = not reload()
        if once:
            return
        time.sleep(FRONT_WATCH_SECONDS)
