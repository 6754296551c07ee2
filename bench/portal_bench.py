"""Benchmark of the public portal and search at scale, against the framework floor.

    python bench/portal_bench.py [--n 1000000] [--keep] [--duration 15] [--connections 8]

1. Loads N synthetic public items (default 1,000,000; 50 agencies, 10–15 columns each, Chinese
   titles and bodies from templates, 文号 and 索引号) into a separate PostgreSQL database
   (`gongkai_bench`), migrated with `gongkai migrate`, written with COPY together with their
   publications and search documents, then indexed and VACUUM ANALYZEd. A complete load is
   reused; an interrupted one resumes agency by agency. The database is dropped at the end
   unless --keep.
2. Serves the project with gunicorn (production settings, DEBUG off) on a free loopback port,
   plus `/floor/`: a view that returns "ok" behind the same middleware (bench/portal_urls.py).
3. Drives each endpoint with wrk for --duration seconds, cycling through many different URLs
   (items, column lists, searches), and reports requests/s, p50 and p99, each as a ratio to
   the floor measured in the same run.
4. Times ≥ 100 searches of 1–3 terms server-side by calling the search function directly
   (median, p95), and once more each over HTTP.

Targets at 1M items: item and column pages ≥ 50 % of the floor's requests/s; search median
≤ 50 ms and p95 ≤ 250 ms. Exit status 0 when they are met.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import portal_data as D  # noqa: E402
import portal_load as L  # noqa: E402
import portal_search as S  # noqa: E402
import portal_vocab as V  # noqa: E402
import psycopg  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402
from rich.table import Table  # noqa: E402

console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)
ITEM_TARGET = COLUMN_TARGET = 0.5
STATIC_ROOT = ROOT / "var" / "bench_static"
FRONT_TARGET = 3.0  # pages through nginx (--front nginx), against Django's floor
SEARCH_MEDIAN_TARGET = 0.050
SEARCH_P95_TARGET = 0.250
SECRET = "portal-bench-not-a-secret"  # noqa: S105


# --- database ------------------------------------------------------------------------------


def database_url(args, name: str | None = None) -> str:
    return f"postgresql://{args.pg_user}@{args.pg_host}:{args.pg_port}/{name or args.db}"


def server_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal_settings",
        SECRET_KEY=SECRET,
        DATABASE_URL=database_url(args),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT), env.get("PYTHONPATH", "")]),
        LOG_LEVEL="ERROR",
    )
    env.pop("GONGKAI_CACHE_REDIS_URL", None)
    env["BENCH_PAGE_CACHE"] = args.page_cache
    env["BENCH_STATIC_ROOT"] = str(STATIC_ROOT)
    if args.page_cache == "redis" and args.redis_port:
        env["GONGKAI_CACHE_REDIS_URL"] = f"redis://127.0.0.1:{args.redis_port}/0"
    elif args.page_cache == "local":
        # Room for every URL the run cycles through, in each worker.
        env["GONGKAI_PAGE_CACHE_ENTRIES"] = "30000"
    if args.front == "nginx":
        # as `gongkai serve`: nginx keys an agency's pages by its generation (the watcher
        # runs beside it), so the app lets it keep them 10 minutes
        from gongkai.core.serve import FRONT_KEYED_SECONDS

        env["GONGKAI_FRONT_CACHE_SECONDS"] = str(FRONT_KEYED_SECONDS)
    return env


def database_exists(args) -> bool:
    with psycopg.connect(database_url(args, "postgres"), autocommit=True) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (args.db,)).fetchone()
        )


def drop_database(args) -> None:
    with psycopg.connect(database_url(args, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


def migration_hashes() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(ROOT.glob("gongkai/*/migrations/0*.py"))
    }


def changed_migrations(loaded_with: dict[str, str]) -> list[str]:
    """Migrations the database ran that differ now (an edited migration does not run again)."""
    now = migration_hashes()
    return [path for path, digest in loaded_with.items() if now.get(path) != digest]


def load(args, plan: D.Plan) -> dict:
    """Create, migrate and fill the database unless a complete load of this plan is there."""
    started = time.perf_counter()
    if args.fresh:
        drop_database(args)
    if not database_exists(args):
        with psycopg.connect(database_url(args, "postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{args.db}"')
        console.print(f"created database {args.db}")
    url = database_url(args)
    # Always: a reused database gets the migrations added since it was loaded.
    subprocess.run(
        [sys.executable, "-m", "gongkai", "migrate", "--noinput", "-v", "0"],
        env=server_env(args),
        cwd=BENCH,
        check=True,
    )
    with psycopg.connect(url, autocommit=True) as conn:
        signature = L.meta_get(conn, "plan")
        if signature == plan.signature() and L.meta_get(conn, "complete") == "yes":
            changed = changed_migrations(json.loads(L.meta_get(conn, "migrations") or "{}"))
            if changed:
                raise SystemExit(
                    f"{args.db} was migrated with migrations that have been edited since "
                    f"({', '.join(changed)}): run with --fresh to load it again"
                )
            took = L.meta_get(conn, "load_seconds")
            console.print(f"[green]{args.db} already holds {plan.signature()} (loaded in {took} s)")
            return {"reused": True, "seconds": float(took or 0)}
        if signature not in (None, plan.signature()):
            raise SystemExit(
                f"{args.db} holds another data set ({signature}); run with --fresh to replace it"
            )
    hook_factory = S.load_hook_factory()
    with psycopg.connect(url, autocommit=True) as conn:
        L.meta_set(conn, "plan", plan.signature())
        L.load_setup(conn, plan)
        L.drop_secondary_indexes(conn, (*L.BIG_TABLES, S.search_table()))
        done = dict(
            conn.execute("SELECT agency_id, count(*) FROM catalogue_item GROUP BY 1").fetchall()
        )
    todo = [a for a in plan.agencies if done.get(a.id) != a.n_items]
    already = sum(a.n_items for a in plan.agencies if a not in todo)
    if already:
        console.print(
            f"resuming: {len(plan.agencies) - len(todo)} agencies ({already:,} items) there"
        )
    t_items = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("items", total=plan.n, completed=already, rate="")
        done_agencies = progress.add_task(
            "agencies", total=len(plan.agencies), completed=len(plan.agencies) - len(todo), rate=""
        )
        misses = []

        def on_event(event):
            if event[0] == "items":
                progress.advance(task, event[1])
                elapsed = time.perf_counter() - t_items
                loaded = progress.tasks[task].completed - already
                progress.update(task, rate=f"{loaded / max(elapsed, 1e-9):,.0f} items/s")
            elif event[0] == "agency":
                progress.advance(done_agencies)
                if not console.is_terminal:  # a log file: one line per agency instead of bars
                    loaded = progress.tasks[task].completed
                    elapsed = time.perf_counter() - t_items
                    console.print(
                        f"  {event[1]:<12} {event[2]['items']:>7,} items in "
                        f"{event[2]['generate+copy']:5.1f} s; {loaded:,}/{plan.n:,} after "
                        f"{elapsed:.0f} s"
                    )
            elif event[0] == "done":
                misses.append(event[2])

        L.load_items(url, plan, todo, args.load_workers, hook_factory, on_event)
    items_seconds = time.perf_counter() - t_items
    console.print(
        f"items written in {items_seconds:.0f} s "
        f"({(plan.n - already) / max(items_seconds, 1e-9):,.0f} items/s; "
        f"{sum(misses):,} text pieces segmented by jieba)"
    )
    with psycopg.connect(url, autocommit=True) as conn:
        L.finish(conn, console.print)
        seconds = time.perf_counter() - started
        L.meta_set(conn, "migrations", json.dumps(migration_hashes()))
        L.meta_set(conn, "complete", "yes")
        L.meta_set(conn, "load_seconds", f"{seconds:.0f}")
        sizes = conn.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone()[0]
    console.print(f"[bold]load took {seconds / 60:.1f} min[/]; database size {sizes}")
    return {"reused": False, "seconds": seconds, "items_seconds": items_seconds}


# --- URLs and queries ----------------------------------------------------------------------


def search_queries(n: int, seed: int) -> list[str]:
    """1–3 terms drawn from the generator's vocabulary: 2-character words, topic phrases and
    terms only a dictionary keeps whole (places, slogans)."""
    rng = random.Random(f"queries-{seed}")
    topics = D.ALL_TOPICS
    queries: list[str] = []
    while len(queries) < n:
        size = rng.choices((1, 2, 3), (40, 40, 20))[0]
        terms = []
        for _ in range(size):
            pool = rng.choices((V.SEARCH_WORDS_2, topics, V.SEARCH_DICT_TERMS), (40, 30, 30))[0]
            terms.append(rng.choice(pool))
        query = " ".join(dict.fromkeys(terms))
        if query not in queries:
            queries.append(query)
    return queries


def item_paths(plan: D.Plan, k: int, seed: int) -> list[str]:
    rng = random.Random(f"items-urls-{seed}")
    by_id = []
    for agency in plan.agencies:
        by_id.append((agency.first_item_id, agency.first_item_id + agency.n_items, agency.slug))
    paths = []
    for _ in range(k):
        item_id = rng.randint(1, plan.n)
        slug = next(s for lo, hi, s in by_id if lo <= item_id < hi)
        paths.append(f"/gk/{slug}/items/{item_id}/")
    return paths


def column_paths(plan: D.Plan, seed: int) -> list[str]:
    """Every column's first page three times over, and one deeper page (2–20) of each."""
    rng = random.Random(f"column-urls-{seed}")
    slugs = {a.id: a.slug for a in plan.agencies}
    paths = []
    for column in plan.columns:
        base = f"/gk/{slugs[column.agency_id]}/columns/{column.id}/"
        paths += [base] * 3 + [f"{base}?page={rng.randint(2, 20)}"]
    rng.shuffle(paths)
    return paths


def search_paths(queries: list[str]) -> list[str]:
    return [S.search_path(q) for q in queries]


# --- server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    port: int

    def get(self, path: str, timeout: float = 30) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def collect_static(args) -> None:
    """The production settings name static files by their manifest (collected once, then
    only what changed)."""
    subprocess.run(
        [sys.executable, "-m", "gongkai", "collectstatic", "--noinput", "-v", "0"],
        env=server_env(args),
        cwd=BENCH,
        check=True,
    )


def start_server(args) -> Server:
    collect_static(args)
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "portal_wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.server_workers),
        "--worker-class", args.worker_class,
        "--chdir", str(BENCH),
        "--log-level", "warning",
        "--timeout", "120",
    ]  # fmt: skip
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    if getattr(args, "socket", None):  # nginx in front (--front nginx) proxies to it
        command += ["--bind", f"unix:{args.socket}"]
    proc = subprocess.Popen(command, env=server_env(args), cwd=BENCH)  # noqa: S603
    server = Server(proc, port)
    # a loaded machine takes a while to import the project in every worker
    deadline = time.time() + 240
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited: see its output above")
        try:
            status, _body = server.get("/floor/", timeout=5)
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.stop()
    raise SystemExit("gunicorn did not answer /floor/ within 240 s")


def redis_available() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    return bool(shutil.which("redis-server"))


def start_redis(args) -> subprocess.Popen:
    """A private Redis for the page cache: no persistence, on a free loopback port."""
    if not shutil.which("redis-server"):
        raise SystemExit("--page-cache redis needs redis-server (apt-get install -y redis-server)")
    try:
        import redis  # noqa: F401 - Django's Redis backend needs it
    except ImportError:
        raise SystemExit("--page-cache redis needs the redis package: pip install redis") from None
    args.redis_port = free_port()
    command = ["redis-server", "--port", str(args.redis_port), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "no", "--maxmemory", "2gb",
               "--maxmemory-policy", "allkeys-lru"]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", args.redis_port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("redis-server did not start")


def start_nginx(args, workdir: Path) -> Server:
    """nginx with the configuration `gongkai serve` writes (its microcache included), on a
    free loopback port, in front of the same gunicorn (its Unix socket)."""
    from gongkai.core import serve

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    run = workdir / "nginx"
    for sub in ("tmp", "log"):
        (run / sub).mkdir(parents=True, exist_ok=True)
    user = None
    if os.geteuid() == 0:  # nginx would hand its workers to "nobody"
        user = "root root"
    port = free_port()
    layout = serve.Layout(
        listen=f"127.0.0.1:{port}", static_root=STATIC_ROOT,
        media_root=ROOT / "var" / "media", private_root=ROOT / "var" / "private",
        socket=Path(args.socket), run_dir=run, log_dir=run / "log", user=user,
        cache_dir=run / "cache", generations=run / "generations.map",
    )  # fmt: skip
    (run / "proxy_params").write_text(serve.PROXY_PARAMS, encoding="utf-8")
    conf = run / "nginx.conf"
    conf.write_text(serve.nginx_main_conf(layout), encoding="utf-8")
    # the agencies' generations, written before nginx starts and kept by the watcher (one
    # statement a second, as `gongkai serve` runs it)
    watch = [sys.executable, "-m", "gongkai", "front", "watch", str(layout.generations)]
    subprocess.run([*watch, "--once"], env=server_env(args), cwd=BENCH, check=True)  # noqa: S603
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(run)])  # noqa: S603
    args.front_watcher = subprocess.Popen(  # noqa: S603
        [*watch, "--nginx-pid", str(run / "nginx.pid")], env=server_env(args), cwd=BENCH
    )
    server = Server(proc, port)
    deadline = time.time() + 20
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("nginx exited: see its output above")
        try:
            if server.get("/floor/", timeout=5)[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise SystemExit("nginx did not answer within 20 s")


def warm(server: Server, paths: list[str], threads: int) -> tuple[int, float]:
    """Request every distinct path once, `threads` at a time: the page cache is filled with
    them (a shared cache entirely; a per-process one only in the worker that answered).
    Returns (paths, seconds): what a page costs when it is not stored yet."""
    from concurrent.futures import ThreadPoolExecutor

    distinct = list(dict.fromkeys(paths))
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for status, body in pool.map(server.get, distinct):
            if status != 200:
                raise SystemExit(f"warm-up answered {status}: {body[:300]!r}")
    return len(distinct), time.perf_counter() - started


# --- load generation -----------------------------------------------------------------------

WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local counter = math.random(#paths)
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], {["Host"] = "127.0.0.1"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.6f, "p50": %d, "p90": %d, "p99": %d, "mean": %.1f, ' ..
    '"max": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max, e.connect, e.read, e.write, e.status,
    e.timeout))
end
"""


@dataclass
class Run:
    name: str
    rps: float
    p50: float  # seconds
    p90: float
    p99: float
    requests: int
    errors: int
    urls: int
    extra: dict = field(default_factory=dict)


def wrk(args, server: Server, name: str, paths: list[str], duration: float, workdir: Path) -> Run:
    path_file = workdir / f"{name}.txt"
    path_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    script = workdir / "cycle.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    command = [
        "wrk", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d", f"{max(1, round(duration))}s",
        "--timeout", "30s", "-s", str(script), f"http://127.0.0.1:{server.port}",
    ]  # fmt: skip
    env = dict(os.environ, BENCH_PATHS=str(path_file))
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[6:])
    errors = data["connect"] + data["read"] + data["write"] + data["status"] + data["timeout"]
    return Run(
        name=name,
        rps=data["requests"] / data["seconds"],
        p50=data["p50"] / 1e6,
        p90=data["p90"] / 1e6,
        p99=data["p99"] / 1e6,
        requests=data["requests"],
        errors=errors,
        urls=len(set(paths)),
        extra=data,
    )


def check_paths(server: Server, name: str, paths: list[str], sample: int = 20) -> None:
    """Every sampled URL must answer 200 (a 404 page is fast, and a lie)."""
    for path in random.Random(name).sample(paths, min(sample, len(paths))):
        status, body = server.get(path)
        if status != 200:
            raise SystemExit(f"{name}: GET {path} answered {status}: {body[:300]!r}")


def http_search_latency(server: Server, paths: list[str]) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    timings = []
    try:
        for path in paths:
            started = time.perf_counter()
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            timings.append(time.perf_counter() - started)
            if response.status != 200:
                raise SystemExit(f"GET {path} answered {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    finally:
        conn.close()
    return timings


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# --- diagnostics ---------------------------------------------------------------------------


def profile_miss(client, path: str, no_store, n: int = 60) -> None:
    """pyinstrument's profile of an item page rendered (a miss: not served from the store)."""
    from pyinstrument import Profiler

    with no_store:
        for _ in range(5):
            client.get(path, HTTP_HOST="127.0.0.1")
        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(n):
            client.get(path, HTTP_HOST="127.0.0.1")
        profiler.stop()
    console.rule(f"profile: {path} rendered {n} times (pyinstrument)")
    console.print(
        profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total"),
        markup=False,
        highlight=False,
    )


def diagnose(plan: D.Plan, queries: list[str], direct: dict, profile: bool = False) -> None:
    """What a request costs in the Django process (test client, no HTTP) and what SQL it runs;
    EXPLAIN ANALYZE of the slowest statement of the slowest searches."""
    S.setup()
    from django.test import Client

    client = Client()
    biggest = max(plan.agencies, key=lambda a: a.n_items)
    root = biggest.columns[0]
    leaf = max((c for c in biggest.columns if c.kind), key=lambda c: c.weight)
    item_id = biggest.first_item_id + biggest.n_items // 2
    pages = [
        ("floor", "/floor/"),
        ("item", f"/gk/{biggest.slug}/items/{item_id}/"),
        ("column (leaf, page 1)", f"/gk/{biggest.slug}/columns/{leaf.id}/"),
        ("column (root, page 1)", f"/gk/{biggest.slug}/columns/{root.id}/"),
        ("column (leaf, page 20)", f"/gk/{biggest.slug}/columns/{leaf.id}/?page=20"),
        ("search", S.search_path(sorted(zip(direct["second"], queries, strict=True))[-1][1])),
    ]
    from django.conf import settings
    from django.test import override_settings

    # Each page twice: served from the page cache (in this process's memory), and rendered
    # (the page cache replaced by one that stores nothing): a miss costs that and the store.
    no_store = override_settings(
        CACHES={
            **settings.CACHES,
            "portal": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        }
    )
    console.rule("diagnostics: one request in-process (Django test client, no HTTP)")
    for label, path in pages:
        cached = not (path == "/floor/" or path.startswith("/search/"))
        for how in ("stored", "rendered") if cached else ("",):
            with no_store if how == "rendered" else contextlib.nullcontext():
                for _ in range(5):
                    client.get(path, HTTP_HOST="127.0.0.1")
                n = 30
                cpu, wall = time.process_time(), time.perf_counter()
                for _ in range(n):
                    client.get(path, HTTP_HOST="127.0.0.1")
                cpu, wall = (time.process_time() - cpu) / n, (time.perf_counter() - wall) / n
                statements = S.captured(lambda p=path: client.get(p, HTTP_HOST="127.0.0.1"))
            sql_time = sum(t for t, _sql, _p in statements)
            console.print(
                f"[bold]{label}{f' {how}' if how else ''}[/] {path}: {wall * 1000:.2f} ms wall, "
                f"{cpu * 1000:.2f} ms CPU in Python, {len(statements)} SQL statements taking "
                f"{sql_time * 1000:.2f} ms"
            )
            for seconds, sql, _params in statements[:3]:
                console.print(f"    {seconds * 1000:7.2f} ms  {' '.join(sql.split())[:220]}")
    if profile:
        profile_miss(client, pages[1][1], no_store)
    for query in S.sample_queries_for_explain(direct, queries, 2):
        statements, plan_text = S.explain_search(query)
        console.rule(f"search {query!r}: {len(statements)} statements, slowest explained")
        for seconds, sql, _params in statements[:4]:
            console.print(f"    {seconds * 1000:7.2f} ms  {' '.join(sql.split())[:220]}")
        console.print(plan_text, markup=False)


# --- main ----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="items to load")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", default="gongkai_bench", help="database name (created, dropped)")
    parser.add_argument("--keep", action="store_true", help="keep the database for another run")
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument("--load-only", action="store_true", help="load, then stop (implies --keep)")
    parser.add_argument("--load-workers", type=int, default=2)
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", default="5432")
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--server-workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--duration", type=float, default=15, help="seconds per endpoint, in all")
    parser.add_argument("--rounds", type=int, default=5, help="rounds the duration is split in")
    parser.add_argument("--warmup", type=float, default=3, help="seconds before each measurement")
    parser.add_argument("--queries", type=int, default=150, help="search queries (≥ 100)")
    parser.add_argument("--page-cache", default="auto",
                        choices=("auto", "redis", "local", "off"),
                        help="where the server keeps rendered pages: a private redis-server "
                        "shared by the workers, each worker's memory (the default settings), "
                        "or nowhere; auto: redis when redis-server and the redis package are "
                        "installed, else local")  # fmt: skip
    parser.add_argument("--warm-passes", type=int, default=1,
                        help="times every item and column URL is requested before the rounds")  # fmt: skip
    parser.add_argument("--front", default="none", choices=("none", "nginx"),
                        help="nginx: also measure item and column pages through nginx with "
                        "the configuration gongkai serve writes (its microcache), beside the "
                        "floor measured in the same rounds")  # fmt: skip
    parser.add_argument("--json", metavar="PATH", help="also write the figures to PATH")
    parser.add_argument("--explain", action="store_true",
                        help="after the measurements: per-request SQL and EXPLAIN ANALYZE")  # fmt: skip
    parser.add_argument("--profile", action="store_true",
                        help="after the measurements: pyinstrument's profile of an item page "
                        "rendered (a miss), with the --explain diagnostics")  # fmt: skip
    parser.add_argument("--check-segmentation", type=int, default=2000, metavar="K",
                        help="compare pre-segmented text with jieba on K items (0: skip)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.load_only:
        args.keep = True
    if not shutil.which("wrk") and not args.load_only:
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    args.redis_port = 0
    if args.page_cache == "auto":
        args.page_cache = "redis" if redis_available() else "local"
    os.environ.update(server_env(args))
    plan = D.make_plan(args.n, args.seed)
    console.print(
        f"[bold]portal benchmark[/]: {args.n:,} items, {len(plan.agencies)} agencies, "
        f"{len(plan.columns)} columns, database {args.db}"
    )
    loaded = load(args, plan)
    if args.load_only:
        return 0
    try:
        return measure(args, plan, loaded)
    finally:
        if not args.keep:
            drop_database(args)
            console.print(f"dropped database {args.db} (--keep keeps it)")


def measure(args, plan: D.Plan, loaded: dict) -> int:
    queries = search_queries(args.queries, args.seed)
    segmentation = None
    if args.check_segmentation:
        segmentation = S.check_segmentation(plan, args.check_segmentation, queries)
    direct = S.direct_latency(queries)

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    redis_proc = start_redis(args) if args.page_cache == "redis" else None
    args.socket = str(workdir / "gunicorn.sock") if args.front == "nginx" else None
    server = start_server(args)
    front = start_nginx(args, workdir) if args.front == "nginx" else None
    runs: list[Run] = []
    loads = [os.getloadavg()[0]]
    warmed: dict[str, dict] = {}
    try:
        endpoints = [
            ("item", item_paths(plan, 20_000, args.seed)),
            ("column", column_paths(plan, args.seed)),
        ]
        if S.available():
            endpoints.append(("search", search_paths(queries)))
        for name, paths in endpoints:
            check_paths(server, name, paths)
        if args.page_cache != "off" and args.warm_passes:
            # Pages are stored when first rendered: fill the cache with every URL the rounds
            # cycle through, and time it (that is the price of a page not stored yet).
            for name, paths in endpoints[:2]:
                for pass_ in range(args.warm_passes):
                    n, seconds = warm(server, paths, args.connections)
                    warmed.setdefault(name, {"urls": n, "passes": []})["passes"].append(seconds)
                    console.print(
                        f"  warm-up pass {pass_ + 1} {name:<7} {n:,} URLs in {seconds:.1f} s "
                        f"({n / seconds:.0f} req/s)"
                    )
            if front is not None:
                # nginx keeps what it was asked once, as the app's store does: one pass
                # through it, timed (each a request to the app, answered from its store)
                for name, paths in endpoints[:2]:
                    n, seconds = warm(front, paths, args.connections)
                    key = f"{name} via nginx"
                    warmed.setdefault(key, {"urls": n, "passes": []})["passes"].append(seconds)
                    console.print(
                        f"  warm-up via nginx {name:<7} {n:,} URLs in {seconds:.1f} s "
                        f"({n / seconds:.0f} req/s)"
                    )
        http_latency = (
            http_search_latency(server, search_paths(queries)) if S.available() else [0.0]
        )
        floor_paths = ["/floor/"]
        # Rounds of floor, item, column, search: on a shared machine the load drifts, so each
        # page is compared with the floor measured next to it, round by round.
        sequence = [("floor", floor_paths), *endpoints]
        servers = dict.fromkeys((name for name, _paths in sequence), server)
        if front is not None:
            for name, paths in endpoints[:2]:
                check_paths(front, name, paths)
                sequence.append((f"{name} via nginx", paths))
                servers[f"{name} via nginx"] = front
        if args.warmup:
            for name, paths in sequence:
                wrk(args, servers[name], name, paths, args.warmup, workdir)
        for round_ in range(1, args.rounds + 1):
            for name, paths in sequence:
                run = wrk(args, servers[name], name, paths, args.duration / args.rounds, workdir)
                run.extra["round"] = round_
                loads.append(os.getloadavg()[0])
                runs.append(run)
                console.print(
                    f"  round {round_} {name:<17} {run.rps:8.1f} req/s  p50 {ms(run.p50)} ms  "
                    f"p99 {ms(run.p99)} ms  ({run.requests:,} requests, {run.errors} errors)"
                )
    finally:
        if front is not None:
            front.stop()
            args.front_watcher.terminate()
            args.front_watcher.wait(timeout=20)
        server.stop()
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    floor_by_round = {r.extra["round"]: r for r in runs if r.name == "floor"}
    table = Table(
        title=f"portal at {args.n:,} items — gunicorn {args.server_workers}×{args.worker_class}, "
        f"wrk {args.connections} connections, {args.rounds}×{args.duration / args.rounds:g} s "
        f"per endpoint (medians over rounds), page cache {args.page_cache}"
    )
    for header in ("endpoint", "URLs", "req/s", "× floor", "p50 ms", "p99 ms", "errors",
                   "target", ""):  # fmt: skip
        table.add_column(
            header, justify="left" if header in ("endpoint", "target", "") else "right"
        )
    ok = True
    summary = {}
    for name, paths in sequence:
        mine = [r for r in runs if r.name == name]
        ratios = [r.rps / floor_by_round[r.extra["round"]].rps for r in mine]
        ratio = statistics.median(ratios)
        rps = statistics.median(r.rps for r in mine)
        p50 = statistics.median(r.p50 for r in mine)
        p99 = statistics.median(r.p99 for r in mine)
        errors = sum(r.errors for r in mine)
        summary[name] = {"rps": rps, "ratio": ratio, "p50": p50, "p99": p99, "errors": errors}
        target, met = "", None
        if name in ("item", "column"):
            target = f"≥ {ITEM_TARGET:.0%} of floor"
            met = ratio >= ITEM_TARGET
        elif name.endswith(" via nginx"):
            target = f"≥ {FRONT_TARGET:g}× floor"
            met = ratio >= FRONT_TARGET
        verdict = "" if met is None else ("[green]met" if met else "[red]missed")
        if met is False or errors:
            ok = False
        table.add_row(
            "floor (/floor/)" if name == "floor" else name, f"{len(set(paths)):,}", f"{rps:.0f}",
            f"{ratio:.3f}", ms(p50), ms(p99), str(errors), target, verdict,
        )  # fmt: skip
    console.print(table)
    for name, info in warmed.items():
        first = info["passes"][0]
        console.print(
            f"warm-up, {name}: {info['urls']:,} URLs not stored yet, {args.connections} at a "
            f"time: {info['urls'] / first:.0f} req/s ({first:.1f} s)"
        )
    console.print(
        f"1-minute load average during the runs: {min(loads):.1f}–{max(loads):.1f} "
        f"on {os.cpu_count()} CPUs (the server, PostgreSQL and wrk share them)"
    )

    search_table = Table(title=f"search latency, {len(queries)} queries of 1–3 terms")
    for header in ("measured", "median ms", "p95 ms", "max ms", "target", ""):
        search_table.add_column(
            header, justify="left" if header in ("measured", "target", "") else "right"
        )
    for label, timings, judge in (
        ("search function, first run", direct["first"], False),
        ("search function, second run", direct["second"], True),
        ("HTTP GET /search/, one at a time", http_latency, False),
    ):
        median, p95 = statistics.median(timings), percentile(timings, 95)
        verdict = ""
        if judge:
            met = median <= SEARCH_MEDIAN_TARGET and p95 <= SEARCH_P95_TARGET
            verdict = "[green]met" if met else "[red]missed"
            ok = ok and met
        search_table.add_row(
            label, ms(median), ms(p95), ms(max(timings)),
            "median ≤ 50, p95 ≤ 250" if judge else "", verdict,
        )  # fmt: skip
    console.print(search_table)
    S.print_slowest(console, direct, queries)
    if segmentation:
        console.print(segmentation)
    if args.json:
        summary["search"] = {
            label: {"median": statistics.median(t), "p95": percentile(t, 95), "max": max(t)}
            for label, t in (("direct", direct["second"]), ("http", http_latency))
        } | ({"pages": summary.get("search")} if "search" in summary else {})
        summary["load"] = loaded
        summary["load_average"] = [min(loads), max(loads)]
        summary["page_cache"] = {"backend": args.page_cache, "warm_up": warmed}
        Path(args.json).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    if args.explain or args.profile:
        diagnose(plan, queries, direct, profile=args.profile)
    console.print(
        "load: "
        + ("reused" if loaded.get("reused") else "fresh")
        + f", {loaded['seconds'] / 60:.1f} min"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
