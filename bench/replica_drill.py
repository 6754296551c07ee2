"""The replica drill (issue 18, item 5): public reads from a streaming replica, and the fallback
to the primary when the replica stops in the middle of the load.

    python bench/replica_drill.py [--n 5000] [--keep]

1. Starts a PostgreSQL cluster of its own as the primary (initdb, Debian's PostgreSQL binaries,
   127.0.0.1:--primary-port, data under --dir), never the machine's shared one.
2. Loads a portal data set into it with the portal benchmark's loader (`portal_load`, --n
   items, database gk_bench_drill).
3. Makes the replica: `pg_basebackup -R -X stream` from the primary, started on
   127.0.0.1:--replica-port as a hot standby streaming from it; a row written on the primary
   is read back on the replica, and the lag is printed.
4. Serves the project with gunicorn (production settings, --server-workers processes), the page
   store in a private Redis shared by them, `GONGKAI_REPLICA_URL` pointing at the replica.
   The page store is off by default (--page-cache), so every page reads the database.
5. Runs wrk against item and column pages: a phase with the replica up (the rows each cluster
   returned show where the reads went), a phase during which the replica is stopped
   (`pg_ctl stop -m fast`) --stop-after seconds in, a phase on the primary alone, then the
   replica started again and a last phase back on it. Requests, requests/s and errors (socket
   errors and non-2xx answers) per phase.

Rerunnable: anything left by an interrupted run under --dir is stopped and removed first; all
is stopped and removed at the end unless --keep. Needs root (to run PostgreSQL's tools as the
`postgres` user) or to be run as that user; wrk, gunicorn, redis-server (optional).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import portal_bench as B  # noqa: E402
import portal_data as D  # noqa: E402
import psycopg  # noqa: E402
from rich.table import Table  # noqa: E402

console = B.console
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL's server tools refuse to run as root: run them as `postgres`."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, **kwargs)  # noqa: S603


def pg_ctl(data: Path, action: str, port: int | None = None, log: Path | None = None) -> None:
    command = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-t", "60"]
    if action == "start":
        sockets = data.parent / "sockets"  # not in the data folder: pg_basebackup copies it
        command += ["-l", str(log), "-o", f"-p {port} -c listen_addresses=127.0.0.1 -k {sockets}"]
    if action == "stop":
        command += ["-m", "fast"]
    as_postgres([*command, action], stdout=subprocess.DEVNULL)


def stop_leftovers(root: Path) -> None:
    for data in (root / "replica", root / "primary"):
        if (data / "postmaster.pid").exists():
            console.print(f"stopping a cluster left running in {data}")
            try:
                as_postgres(
                    [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                    stdout=subprocess.DEVNULL,
                )
            except subprocess.CalledProcessError:
                pass
    shutil.rmtree(root, ignore_errors=True)


def query(port: int, sql: str, db: str = "postgres", params: tuple = ()):
    with psycopg.connect(
        f"postgresql://postgres@127.0.0.1:{port}/{db}", autocommit=True, connect_timeout=5
    ) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchone() if cursor.description else None


def rows_returned(port: int, db: str) -> int | None:
    """Rows the cluster has returned to queries on the database (pg_stat_database)."""
    try:
        return int(
            query(
                port,
                "SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = %s",
                params=(db,),
            )[0]
        )
    except psycopg.Error:
        return None


def make_primary(args, root: Path) -> Path:
    data = root / "primary"
    (root / "sockets").mkdir(parents=True)
    if os.geteuid() == 0:
        for path in (root, root / "sockets"):
            shutil.chown(path, "postgres", "postgres")
    as_postgres(
        [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
         "--locale", "C.UTF-8"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    # Small and replication-ready (initdb's pg_hba already lets loopback replicate).
    with (data / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
        conf.write("wal_level = replica\nmax_wal_senders = 5\nshared_buffers = 128MB\n")
        conf.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
    pg_ctl(data, "start", args.primary_port, root / "primary.log")
    return data


def make_replica(args, root: Path) -> Path:
    data = root / "replica"
    as_postgres(
        [str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(args.primary_port),
         "-U", "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast"],
    )  # fmt: skip
    pg_ctl(data, "start", args.replica_port, root / "replica.log")
    return data


def phase(args, server, name: str, paths: list[str], seconds: float, workdir: Path, during=None):
    db = args.db
    before = (rows_returned(args.primary_port, db), rows_returned(args.replica_port, db))
    timer = None
    if during is not None:
        timer = threading.Timer(*during)
        timer.start()
    run = B.wrk(args, server, name, paths, seconds, workdir)
    if timer is not None:
        timer.join()
    after = (rows_returned(args.primary_port, db), rows_returned(args.replica_port, db))
    delta = [
        "—" if b is None or a is None else f"{a - b:,}" for b, a in zip(before, after, strict=True)
    ]
    console.print(
        f"  {name:<34} {run.requests:7,} requests {run.rps:7.1f} req/s  errors {run.errors}  "
        f"rows read: primary {delta[0]}, replica {delta[1]}"
    )
    return run, delta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="items to load")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "gk_replica_drill"))
    parser.add_argument("--primary-port", type=int, default=5441)
    parser.add_argument("--replica-port", type=int, default=5442)
    parser.add_argument("--server-workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=6)
    parser.add_argument("--phase-seconds", type=float, default=8)
    parser.add_argument("--stop-after", type=float, default=3, help="seconds into the phase")
    parser.add_argument("--page-cache", default="off", choices=("off", "redis", "local"))
    parser.add_argument("--keep", action="store_true", help="leave the clusters running")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    root = Path(args.dir)
    bench_args = SimpleNamespace(
        db="gk_bench_drill", fresh=False, pg_host="127.0.0.1", pg_port=str(args.primary_port),
        pg_user="postgres", load_workers=2, page_cache=args.page_cache, redis_port=0,
        server_workers=args.server_workers, worker_class="sync", threads=1,
        connections=args.connections, wrk_threads=1,
    )  # fmt: skip
    args.db = bench_args.db
    bench_args.primary_port, bench_args.replica_port = args.primary_port, args.replica_port
    stop_leftovers(root)
    workdir = Path(tempfile.mkdtemp(prefix="replica-drill-"))
    redis_proc = server = None
    replica_data = None
    try:
        console.rule("1. primary")
        primary_data = make_primary(args, root)
        console.print(f"primary: {primary_data} on 127.0.0.1:{args.primary_port}")
        console.rule("2. portal data")
        os.environ.update(B.server_env(bench_args))
        plan = D.make_plan(args.n, args.seed)
        B.load(bench_args, plan)
        console.rule("3. replica")
        started = time.perf_counter()
        replica_data = make_replica(args, root)
        console.print(
            f"replica: {replica_data} on 127.0.0.1:{args.replica_port} "
            f"(pg_basebackup and start: {time.perf_counter() - started:.1f} s)"
        )
        query(args.primary_port, "CREATE TABLE IF NOT EXISTS drill_probe (at timestamptz)", args.db)
        query(args.primary_port, "INSERT INTO drill_probe VALUES (now())", args.db)
        for _ in range(50):
            try:
                if query(args.replica_port, "SELECT count(*) FROM drill_probe", args.db)[0]:
                    break
            except psycopg.Error:
                pass
            time.sleep(0.2)
        recovery, lag = query(
            args.replica_port,
            "SELECT pg_is_in_recovery(), "
            "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())",
        )
        console.print(
            f"a row written on the primary is read on the replica; in recovery: {recovery}, "
            f"last replayed transaction {float(lag or 0):.2f} s ago"
        )

        console.rule("4. app servers")
        if args.page_cache == "redis":
            redis_proc = B.start_redis(bench_args)
        os.environ.update(
            B.server_env(bench_args),
            GONGKAI_REPLICA_URL=f"postgresql://postgres@127.0.0.1:{args.replica_port}/{args.db}",
            GONGKAI_REPLICA_CHECK_SECONDS="2",
            GONGKAI_REPLICA_MAX_LAG_SECONDS="10",
        )
        server = B.start_server(bench_args)
        paths = B.item_paths(plan, 3000, args.seed) + B.column_paths(plan, args.seed)
        B.check_paths(server, "pages", paths)
        console.print(
            f"gunicorn {args.server_workers} workers on :{server.port}, replica reads on "
            f"(check every 2 s, lag bound 10 s), page store {args.page_cache}; "
            f"{len(set(paths)):,} item and column URLs"
        )

        console.rule("5. load")
        seconds = args.phase_seconds
        results = []

        def stop_replica():
            console.print(f"  [bold red]stopping the replica[/] ({args.stop_after:g} s in)")
            pg_ctl(replica_data, "stop")

        results.append(("replica up", *phase(bench_args, server, "replica up", paths, seconds, workdir)))  # fmt: skip
        results.append(
            ("replica stopped during the phase", *phase(
                bench_args, server, "replica stopped during the phase", paths, seconds,
                workdir, during=(args.stop_after, stop_replica),
            ))
        )  # fmt: skip
        results.append(("replica down", *phase(bench_args, server, "replica down", paths, seconds, workdir)))  # fmt: skip
        pg_ctl(replica_data, "start", args.replica_port, root / "replica.log")
        console.print("  [bold green]replica started again[/]; waiting for the next check")
        time.sleep(3)
        results.append(("replica back", *phase(bench_args, server, "replica back", paths, seconds, workdir)))  # fmt: skip

        table = Table(
            title=f"replica drill: {args.n:,} items, gunicorn {args.server_workers} workers, "
            f"wrk {args.connections} connections, {seconds:g} s per phase, page store "
            f"{args.page_cache}"
        )
        for header in ("phase", "requests", "req/s", "p99 ms", "errors", "rows read on primary",
                       "rows read on replica"):  # fmt: skip
            table.add_column(header, justify="left" if header == "phase" else "right")
        for name, run, delta in results:
            table.add_row(
                name, f"{run.requests:,}", f"{run.rps:.0f}", B.ms(run.p99), str(run.errors),
                *delta,
            )  # fmt: skip
        console.print(table)
        console.print(f"1-minute load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        return 0 if all(run.errors == 0 for _n, run, _d in results) else 1
    finally:
        if server is not None:
            server.stop()
        if redis_proc is not None:
            redis_proc.terminate()
        shutil.rmtree(workdir, ignore_errors=True)
        if not args.keep:
            stop_leftovers(root)
            console.print(f"clusters stopped and {root} removed (--keep leaves them)")


if __name__ == "__main__":
    sys.exit(main())
