"""One search interface, a backend per database: PostgreSQL full-text search or SQLite FTS5.

The backend follows the database (`connection.vendor`); GONGKAI_SEARCH_BACKEND, a dotted path
to a SearchBackend subclass, overrides it (a third backend, e.g. OpenSearch, plugs in there).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.module_loading import import_string

from .base import SearchBackend

BACKENDS = {
    "postgresql": "gongkai.search.backends.postgres.PostgresBackend",
    "sqlite": "gongkai.search.backends.sqlite.SqliteBackend",
}


def get_backend(alias: str = DEFAULT_DB_ALIAS) -> SearchBackend:
    path = settings.GONGKAI_SEARCH_BACKEND or BACKENDS.get(connections[alias].vendor)
    if not path:
        raise ImproperlyConfigured(
            f"No search backend for the database vendor {connections[alias].vendor!r}: "
            "set GONGKAI_SEARCH_BACKEND."
        )
    return import_string(path)(alias)
