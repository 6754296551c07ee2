"""Public reads from a streaming replica (issue 18, item 5).

With `GONGKAI_REPLICA_URL` set, a database alias `replica` exists and `ReplicaRouter` sends it
the reads of a *public* request: a GET or HEAD of the portal's public pages (items, columns,
search, feeds, site maps), or of the public API (`/api/v1/…/public/…`), marked so by
`PublicReadsMiddleware` through a context variable. Everything else goes to the primary:
writes, any read inside a transaction, every request that is not public (staff pages, the
citizens' own look-ups and forms), and whatever the public pages read about users, sessions
and the login lockout (a session written a moment ago on the primary must be found).

The replica is left out while it is down or lags more than `GONGKAI_REPLICA_MAX_LAG_SECONDS`:
its state is asked (one short query) at most every `GONGKAI_REPLICA_CHECK_SECONDS` per process,
never per query. A public request whose replica query fails (the replica stopped under it) is
answered again from the primary, and the replica is marked down until the next check.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

REPLICA = "replica"
log = logging.getLogger(__name__)

# Set for the duration of a public request (PublicReadsMiddleware).
_public: ContextVar[bool] = ContextVar("gongkai_public_reads", default=False)
# Set when a query of this request was sent to the replica.
_used: ContextVar[bool] = ContextVar("gongkai_replica_used", default=False)

# Never from the replica, even in a public request: who is logged in, the lockout's counts.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "admin", "contenttypes"})
PRIMARY_ONLY_MODELS = frozenset({"core.user", "core.task"})

# The portal's public pages (URL names in the `portal` namespace) whose reads are public data
# only. The citizens' look-ups and forms (application status, 找错, …) are not among them.
PUBLIC_URL_NAMES = frozenset(
    {
        "home",
        "search",
        "agency-home",
        "guide",
        "catalogue",
        "column",
        "item",
        "item-by-index",
        "sitemap-page",
        "platform-feed-rss",
        "platform-feed-atom",
        "agency-feed-rss",
        "agency-feed-atom",
        "column-feed-rss",
        "column-feed-atom",
        "sitemap",
        "sitemap-section",
    }
)
PUBLIC_API = re.compile(r"^/api/v1/[^/]+/public/")
READ_METHODS = frozenset({"GET", "HEAD"})


class _State:
    """The replica's last known state, per process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.usable = False
        self.lag: float | None = None

    def reset(self) -> None:
        with self.lock:
            self.checked_at = float("-inf")
            self.usable = False
            self.lag = None


state = _State()


def configured() -> bool:
    return settings.GONGKAI_REPLICA_READS and REPLICA in connections.settings


def replica_lag() -> float:
    """Seconds the replica's replay is behind (0 when it has replayed all it received: an idle
    primary leaves the last replayed transaction's time old without any lag)."""
    conn = connections[REPLICA]
    with conn.cursor() as cursor:
        if conn.vendor != "postgresql":  # a test mirror of the same database: reachable
            cursor.execute("SELECT 1")
            return 0.0
        cursor.execute(
            "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
            " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
            " END"
        )
        return float(cursor.fetchone()[0])


def replica_usable(*, now: float | None = None) -> bool:
    """Whether public reads may go to the replica: asked again every few seconds."""
    if not configured():
        return False
    now = time.monotonic() if now is None else now
    if now - state.checked_at < settings.GONGKAI_REPLICA_CHECK_SECONDS:
        return state.usable
    with state.lock:
        if now - state.checked_at < settings.GONGKAI_REPLICA_CHECK_SECONDS:
            return state.usable
        lag: float | None
        try:
            measured = replica_lag()
        except DatabaseError as error:
            log.warning("replica unreachable, reading from the primary: %s", error)
            connections[REPLICA].close()
            usable, lag = False, None
        else:
            usable, lag = measured <= settings.GONGKAI_REPLICA_MAX_LAG_SECONDS, measured
            if not usable:
                log.warning("replica %.1f s behind, reading from the primary", lag)
        state.usable, state.lag, state.checked_at = usable, lag, now
        return usable


def mark_down() -> None:
    """The replica failed a query: use the primary until the next check."""
    with state.lock:
        state.usable, state.checked_at = False, time.monotonic()
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass


def _in_transaction() -> bool:
    """A transaction of the code's own (the blocks a test case wraps each test in do not
    count: a test of the routing sees what the application would)."""
    conn = transaction.get_connection(DEFAULT_DB_ALIAS)
    return conn.in_atomic_block and any(
        not getattr(block, "_from_testcase", False) for block in conn.atomic_blocks
    )


def request_is_public(request) -> bool:
    if request.method not in READ_METHODS:
        return False
    match = request.resolver_match
    if match is None:
        return False
    if match.namespace == "portal" and match.url_name in PUBLIC_URL_NAMES:
        return True
    return bool(PUBLIC_API.match(request.path_info))


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _public.get() or not configured():
            return None
        meta = model._meta
        if meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS:
            return None
        # Inside a transaction (a service's, or a test's) the primary's own rows must be seen.
        if _in_transaction():
            return None
        if not replica_usable():
            return None
        _used.set(True)
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


class PublicReadsMiddleware:
    """Marks the public read requests (see the module's docstring) for the router."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            self._clear(request)
        if getattr(request, "_gongkai_replica_failed", False):
            # The replica went away during this request: answer it again from the primary.
            mark_down()
            request._gongkai_primary_only = True
            response = self.get_response(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            configured()
            and not getattr(request, "_gongkai_primary_only", False)
            and request_is_public(request)
        ):
            request._gongkai_tokens = (_public.set(True), _used.set(False))
        return None

    def process_exception(self, request, exception):
        if (
            getattr(request, "_gongkai_tokens", None) is not None
            and _used.get()
            and isinstance(exception, DatabaseError)
        ):
            request._gongkai_replica_failed = True
        return None

    @staticmethod
    def _clear(request) -> None:
        tokens = getattr(request, "_gongkai_tokens", None)
        if tokens is not None:
            request._gongkai_tokens = None
            try:
                _public.reset(tokens[0])
                _used.reset(tokens[1])
            except ValueError:  # set in another context: clear it
                _public.set(False)
                _used.set(False)
