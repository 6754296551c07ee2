"""Load with a fault: public submissions while PostgreSQL restarts, and nothing lost or doubled.

Starts a throwaway PostgreSQL cluster on a spare loopback port (Debian's pg_createcluster, so the
machine's own database is never touched), migrates the project into it, seeds one agency, serves
the project with gunicorn (production settings, DEBUG off) and runs several client processes
that submit 依申请公开 applications and 找错 reports through the real HTML forms (GET the form
for its CSRF and submission tokens, POST) and read pages. Mid-run the cluster is stopped and
started again. Each submission carries a unique marker; a client counts it as succeeded only
when the receipt page shows its number, and as failed otherwise (error page, refused or dropped
connection), after resubmitting the same form (same submission token) up to --retries times as a
person pressing the button again would.

Afterwards every marker is looked up in the database: each succeeded submission must be there
exactly once (with the number the receipt showed) and each failed one absent; a failed one that
is stored anyway is printed (the client may have lost the answer, not the submission). The exit
status is 1 when a success is missing, a submission is stored twice or a number differs, or
when a request failed after the database was back (the server must recover by itself).

Run as root (the cluster belongs to the postgres user), from the repository root:

    make fault                                        # the defaults below
    .venv/bin/python bench/fault_load.py --clients 6 --duration 40 --restart-at 15 --down 3

The public forms allow 5 submissions per address per hour: the server believes X-Forwarded-For
(GONGKAI_TRUST_X_FORWARDED_FOR=1, as behind a proxy) and each submission comes from its own
address. The cluster is dropped at the end, also after a failure or Ctrl-C; a cluster of the same
name left by a killed run is dropped before starting, so the command can simply be rerun.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
SLUG = "faultload"
console = Console(highlight=False)

SEED = f"""
from gongkai.core.demo import demo_uscc
from gongkai.core.models import Agency, AgencyLevel
from gongkai.core.services import agency_create
if not Agency.objects.filter(slug={SLUG!r}).exists():
    agency_create(actor=None, name="故障演练镇人民政府", short_name="演练镇", slug={SLUG!r},
                  level=AgencyLevel.TOWNSHIP, uscc=demo_uscc("002579901"))
"""

APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "王小明",
    "id_type": "resident_id",
    "id_number": "330902199001011238",
    "phone": "13800138000",
    "email": "wang@example.com",
    "forms": "email",
    "delivery": "email",
    "website": "",
}


# --- the cluster --------------------------------------------------------------------------


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


def cluster_exists(version: str, name: str) -> bool:
    out = run(["pg_lsclusters", "--no-header"]).stdout
    return any(line.split()[:2] == [version, name] for line in out.splitlines())


def pg_ctl(version: str, name: str, action: str, *extra: str) -> float:
    started = time.monotonic()
    run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action, *extra])
    return time.monotonic() - started


def pg_isready(port: int) -> int:
    """0: accepting connections, 1: rejecting (starting up), 2: no answer."""
    cmd = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]
    return subprocess.run(cmd, check=False).returncode  # noqa: S603


def wait_ready(port: int, timeout: float = 30) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if pg_isready(port) == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"PostgreSQL on port {port} did not become ready")


def cluster_up(version: str, name: str, port: int, db: str) -> None:
    if cluster_exists(version, name):
        console.print(f"dropping the cluster {version}/{name} a previous run left")
        run(["pg_dropcluster", "--stop", version, name])
    if pg_isready(port) in (0, 1):  # something answers there: not ours to take
        raise RuntimeError(f"port {port} is in use; pick another with --pg-port")
    run(["pg_createcluster", version, name, "-p", str(port), "--", "--auth=trust"])
    pg_ctl(version, name, "start")
    wait_ready(port)
    run(["psql", "-q", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-c",
         f'CREATE DATABASE "{db}"'])  # fmt: skip


def cluster_down(version: str, name: str) -> None:
    if cluster_exists(version, name):
        run(["pg_dropcluster", "--stop", version, name])


# --- the clients --------------------------------------------------------------------------

INPUT = re.compile(r'<input[^>]*name="(csrfmiddlewaretoken|submission_token|token|page_url)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
APPLICATION_NUMBER = re.compile(r'class="application-number">([^<]+)<')
REPORT_REFERENCE = re.compile(r"data-reference>([^<]+)<")


@dataclass
class Reply:
    status: int  # 0: no HTTP answer (refused, reset, timed out)
    body: str = ""
    cookies: dict = field(default_factory=dict)
    error: str = ""


def request(port: int, method: str, path: str, *, headers=None, form=None) -> Reply:
    body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
    headers = dict(headers or {})
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, text, cookies)
    except (OSError, http.client.HTTPException) as exc:
        return Reply(0, error=type(exc).__name__)
    finally:
        conn.close()


def form_fields(html: str) -> dict[str, str]:
    fields = {}
    for match in INPUT.finditer(html):
        value = VALUE.search(match.group(0))
        fields[match.group(1)] = value.group(1) if value else ""
    return fields


class Client:
    def __init__(self, index, port, run_id, retries, out: Path, counters, quiet):
        self.index = index
        self.port = port
        self.run_id = run_id
        self.retries = retries
        self.out = out.open("a", encoding="utf-8")
        self.counters = counters
        self.quiet = quiet
        self.n = 0

    def address(self) -> str:
        # One address per submission: the per-address limit of the public forms stays out of
        # the way (the server trusts X-Forwarded-For for this run).
        return f"10.{self.index}.{self.n // 250}.{self.n % 250 + 1}"

    def record(self, **data) -> None:
        self.out.write(json.dumps(data, ensure_ascii=False) + "\n")
        self.out.flush()

    def count(self, slot: int) -> None:
        with self.counters.get_lock():
            self.counters[slot] += 1

    def read_page(self) -> None:
        path = [f"/gk/{SLUG}/", "/", f"/gk/{SLUG}/guide/", f"/gk/{SLUG}/catalogue/"][self.n % 4]
        reply = request(self.port, "GET", path)
        self.count(4 if reply.status == 200 else 5)
        self.record(kind="page", path=path, status=reply.status, error=reply.error, at=time.time())

    def submit(self, kind: str) -> None:
        self.n += 1
        marker = f"FAULT-{self.run_id}-{self.index}-{self.n}"
        path = f"/gk/{SLUG}/apply/" if kind == "application" else f"/gk/{SLUG}/report-error/"
        page = request(self.port, "GET", path)
        if page.status != 200:
            # The form itself did not load (the database is down): nothing was sent.
            self.count(5)
            self.record(
                kind="page", path=path, status=page.status, error=page.error, at=time.time()
            )
            time.sleep(0.2)
            return
        fields = form_fields(page.body)
        csrf_cookie = page.cookies.get("csrftoken", "")
        if kind == "application":
            form = {
                **APPLICANT,
                "information": f"{marker} 2025年海塘加固工程的招标文件和中标公告",
                "csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
                "submission_token": fields.get("submission_token", ""),
            }
            receipt = APPLICATION_NUMBER
        else:
            form = {
                "page_url": fields.get("page_url", ""),
                "error_type": "typo",
                "description": f"{marker} 首页通知公告栏目有错别字。",
                "contact": "",
                "website": "",
                "token": fields.get("token", ""),
                "csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
            }
            receipt = REPORT_REFERENCE
        headers = {"Cookie": f"csrftoken={csrf_cookie}", "X-Forwarded-For": self.address()}
        attempts = []
        number = None
        for attempt in range(self.retries + 1):
            reply = request(self.port, "POST", path, headers=headers, form=form)
            attempts.append(reply.status or reply.error)
            found = receipt.search(reply.body) if reply.status == 200 else None
            if found:
                number = found.group(1).strip()
                break
            if reply.status and reply.status < 500:
                break  # refused for a reason of its own (400, 403, 429): sending again won't help
            time.sleep(0.5 * (attempt + 1))
        ok = number is not None
        self.count((0 if ok else 1) if kind == "application" else (2 if ok else 3))
        self.record(
            kind=kind, marker=marker, ok=ok, number=number, attempts=attempts, at=time.time()
        )

    def loop(self, stop_at: float) -> None:
        step = 0
        while time.time() < stop_at:
            if self.quiet.is_set():
                time.sleep(0.05)
                continue
            step += 1
            if step % 5 in (0, 3):
                self.read_page()
            elif step % 5 == 1:
                self.submit("error_report")
            else:
                self.submit("application")


def client_main(index, port, run_id, retries, out, counters, quiet, stop_at):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    Client(index, port, run_id, retries, out, counters, quiet).loop(stop_at)


# --- checking -----------------------------------------------------------------------------


def stored(dsn: str, run_id: str) -> dict[str, dict[str, list[str]]]:
    """marker -> the numbers stored under it, for both kinds."""
    import psycopg

    found: dict[str, dict[str, list[str]]] = {"application": {}, "error_report": {}}
    pattern = re.compile(rf"FAULT-{run_id}-\d+-\d+")
    queries = {
        "application": "SELECT information, number FROM applications_application "
        "WHERE information LIKE %s",
        "error_report": "SELECT description, reference FROM engagement_errorreport "
        "WHERE description LIKE %s",
    }
    with psycopg.connect(dsn) as conn:
        for kind, sql in queries.items():
            for text, number in conn.execute(sql, (f"FAULT-{run_id}-%",)):
                marker = pattern.match(text).group(0)
                found[kind].setdefault(marker, []).append(number)
    return found


def check(records: list[dict], found: dict, back_at: float) -> tuple[dict, list[str]]:
    figures: Counter = Counter()
    problems: list[str] = []
    seen: dict[str, set] = {"application": set(), "error_report": set()}
    for rec in records:
        failed = not rec["ok"] if rec["kind"] != "page" else rec["status"] != 200
        if failed and back_at and rec["at"] > back_at:
            # Answered after the database was back (pg_ctlcluster start returns once it
            # accepts connections): the server did not recover by itself (a connection the
            # restart closed was reused, a worker stuck).
            figures["failed after recovery"] += 1
        if rec["kind"] == "page":
            figures["pages ok" if rec["status"] == 200 else "pages failed"] += 1
            continue
        kind, marker = rec["kind"], rec["marker"]
        seen[kind].add(marker)
        numbers = found[kind].get(marker, [])
        figures[f"{kind}s attempted"] += 1
        if len(rec["attempts"]) > 1:
            figures[f"{kind}s sent again"] += 1
        if len(numbers) > 1:
            figures["duplicates"] += 1
            problems.append(f"{kind} {marker} stored {len(numbers)} times: {numbers}")
        if rec["ok"]:
            figures[f"{kind}s succeeded"] += 1
            if not numbers:
                figures["missing"] += 1
                problems.append(f"{kind} {marker} succeeded ({rec['number']}) but is not stored")
            elif len(numbers) == 1:
                figures["found exactly once"] += 1
                if numbers[0] != rec["number"]:
                    problems.append(f"{kind} {marker}: receipt {rec['number']}, stored {numbers}")
        else:
            figures[f"{kind}s failed"] += 1
            if numbers:
                figures["failed but stored"] += 1
                console.print(
                    f"[yellow]reported:[/] {kind} {marker} was answered {rec['attempts']} "
                    f"but is stored as {numbers}"
                )
            else:
                figures["failed and absent"] += 1
    for kind, markers in found.items():
        for marker in set(markers) - seen[kind]:
            # A client killed between sending and recording: not a lost answer we can judge.
            figures["stored, no client record"] += 1
            console.print(f"[yellow]reported:[/] {kind} {marker} stored with no client record")
    return figures, problems


# --- main ---------------------------------------------------------------------------------


def wait_http(port: int, timeout: float = 60) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if request(port, "GET", f"/gk/{SLUG}/").status == 200:
            return
        time.sleep(0.3)
    raise RuntimeError("the server did not answer")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=6, help="client processes (6)")
    parser.add_argument("--duration", type=float, default=40, help="seconds of load (40)")
    parser.add_argument("--restart-at", type=float, default=15, help="stop PostgreSQL after (15)")
    parser.add_argument("--down", type=float, default=3, help="seconds PostgreSQL stays down (3)")
    parser.add_argument(
        "--quiet-restart",
        action="store_true",
        help="no requests while PostgreSQL restarts: every worker comes back to a connection "
        "the restart closed (the case a health check must catch)",
    )
    parser.add_argument("--retries", type=int, default=2, help="resubmissions on failure (2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--pg-version", default=None, help="Debian PostgreSQL version (newest)")
    parser.add_argument("--pg-port", type=int, default=5499)
    parser.add_argument("--http-port", type=int, default=8799)
    parser.add_argument("--cluster", default="gkfault")
    parser.add_argument("--keep-logs", action="store_true", help="keep the server log and records")
    args = parser.parse_args()

    if os.geteuid() != 0:
        console.print("run as root: the throwaway cluster is created for the postgres user")
        return 2
    version = args.pg_version or sorted(os.listdir("/etc/postgresql"), key=float)[-1]
    dsn = f"postgres://postgres@127.0.0.1:{args.pg_port}/{args.cluster}"
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-fault-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": dsn,
        "GONGKAI_VAR_DIR": str(workdir / "var"),
        "GONGKAI_TRUST_X_FORWARDED_FOR": "1",
        # The code next to this script, whatever the virtualenv's editable install points at.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    server = None
    clients: list[mp.Process] = []

    def stop_on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)
    try:
        console.print(f"PostgreSQL {version}: cluster {args.cluster} on 127.0.0.1:{args.pg_port}")
        cluster_up(version, args.cluster, args.pg_port, args.cluster)
        console.print("migrating and seeding …")
        gongkai = [sys.executable, "-m", "gongkai"]
        run([*gongkai, "migrate", "--noinput"], env=env, cwd=REPO)
        run([*gongkai, "shell", "-c", SEED], env=env, cwd=REPO)
        log = (workdir / "server.log").open("w")
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "gongkai.config.wsgi:application",
             "--bind", f"127.0.0.1:{args.http_port}", "--workers", str(args.workers),
             "--timeout", "30"],
            env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_http(args.http_port)

        run_id = secrets.token_hex(3)
        counters = mp.Array("i", 6)  # apps ok/failed, reports ok/failed, pages ok/failed
        quiet = mp.Event()
        started = time.time()
        stop_at = started + args.duration
        for index in range(args.clients):
            proc = mp.Process(
                target=client_main,
                args=(index, args.http_port, run_id, args.retries,
                      workdir / f"client-{index}.jsonl", counters, quiet, stop_at),
            )  # fmt: skip
            proc.start()
            clients.append(proc)
        console.print(
            f"run {run_id}: {args.clients} clients for {args.duration:.0f} s, PostgreSQL "
            f"stopped at {args.restart_at:.0f} s for {args.down:.0f} s, {args.workers} workers"
        )

        restart = {}

        def progress(tag: str = "") -> None:
            c = list(counters)
            console.print(
                f"{time.time() - started:5.1f} s  applications {c[0]} ok / {c[1]} failed · "
                f"reports {c[2]} ok / {c[3]} failed · pages {c[4]} ok / {c[5]} failed {tag}"
            )

        next_print = started
        while any(p.is_alive() for p in clients):
            now = time.time()
            if not restart and now - started >= args.restart_at:
                progress("— stopping PostgreSQL")
                if args.quiet_restart:
                    quiet.set()
                    time.sleep(1)  # let the requests under way finish
                restart["stop_at"] = now - started
                restart["stop_s"] = pg_ctl(version, args.cluster, "stop", "-m", "fast")
                time.sleep(args.down)
                restart["start_s"] = pg_ctl(version, args.cluster, "start")
                restart["back_at"] = time.time()
                quiet.clear()
                restart["down_s"] = restart["back_at"] - started - restart["stop_at"]
                progress(
                    f"— PostgreSQL back (stop {restart['stop_s']:.1f} s, "
                    f"down {restart['down_s']:.1f} s)"
                )
            if now >= next_print:
                progress()
                next_print = now + 5
            time.sleep(0.2)
        elapsed = time.time() - started
        for proc in clients:
            proc.join()
        console.print(f"load ran {elapsed:.1f} s; checking the database …")

        records = []
        for index in range(args.clients):
            path = workdir / f"client-{index}.jsonl"
            if path.exists():
                records += [json.loads(line) for line in path.read_text().splitlines()]
        figures, problems = check(records, stored(dsn, run_id), restart.get("back_at", 0))
        server_errors = (workdir / "server.log").read_text(errors="replace")
        figures["server errors logged"] = server_errors.count("Internal Server Error")

        table = Table(title=f"fault run {run_id}: {elapsed:.1f} s")
        table.add_column("figure")
        table.add_column("count", justify="right")
        shown = [
            *(f"{kind}s {what}" for kind in ("application", "error_report")
              for what in ("attempted", "succeeded", "failed", "sent again")),
            "found exactly once", "missing", "duplicates", "failed and absent",
            "failed but stored", "stored, no client record", "pages ok", "pages failed",
            "failed after recovery", "server errors logged",
        ]  # fmt: skip
        for name in shown:
            table.add_row(name, str(figures[name]))
        if restart:
            table.add_row("PostgreSQL stopped at (s)", f"{restart['stop_at']:.1f}")
            table.add_row("stop took (s)", f"{restart['stop_s']:.1f}")
            table.add_row("start took (s)", f"{restart['start_s']:.1f}")
            table.add_row("database down (s)", f"{restart['down_s']:.1f}")
        console.print(table)
        for problem in problems:
            console.print(f"[red]{problem}[/]")
        if figures["server errors logged"]:
            first = server_errors.find("Internal Server Error")
            console.print("first server error logged:\n" + server_errors[first : first + 1500])
        if not figures["applications succeeded"] or not figures["error_reports succeeded"]:
            problems.append("no submission succeeded: the run tested nothing")
        if not restart:
            problems.append("the run ended before the restart")
        if figures["failed after recovery"]:
            problems.append(f"{figures['failed after recovery']} requests failed after recovery")
        console.print(
            "[red]FAILED[/]" if problems else "[green]OK[/]: nothing lost, nothing doubled"
        )
        return 1 if problems else 0
    finally:
        for proc in clients:
            if proc.is_alive():
                proc.terminate()
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        cluster_down(version, args.cluster)
        if args.keep_logs:
            console.print(f"logs and records kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
