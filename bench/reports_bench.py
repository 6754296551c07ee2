"""Benchmark of the annual report (年度报告, issue 7 point 10) at scale, against hand-written SQL.

    python bench/reports_bench.py [--db gongkai_bench] [--runs 3] [--load-only] [--json PATH]

1. Data, in the portal bench's database (`gongkai_bench`: 50 agencies, 1,000,000 items; see
   portal_bench.py — it is reused and never dropped here): migrated with `gongkai migrate`, then
   * 1,950 small agencies (departments, offices and 派出机构 under the district government and its
     towns) so that the district's subtree holds 2,000 agencies;
   * 100,000 applications for the district government (the agency with the most items) received
     2024-01-02 … 2026-11-25, with applicant types, channels, outcomes (Outcome codes), receipt,
     due and conclusion dates drawn from fixed distributions (some concluded in the next year,
     the recent ones still open), numbers YSQ-YYYY-NNNNN gap-free per year, status / flag /
     archived_at consistent with concluded_on and due_on, and ~3,000 appeals on them;
   * 20 applications (and an appeal now and then) for each of the other 1,999 agencies.
   Written with COPY into a temporary table and INSERT … ON CONFLICT (agency, number) DO NOTHING,
   5,000 rows per transaction: idempotent and resumable; a complete load is recorded in
   `bench_meta` (key `reports_plan`) and reused.
2. Measures, median of --runs (after one warm-up run each): `compute_report(district, 2025,
   "2021")` (time and SQL statements) and the roll-up of the 2,000 agencies — with
   `gongkai.reports.rollup.aggregate(agency, year, fmt)` when that exists, otherwise a loop of
   compute_report over the subtree (said so in the table) — each against one hand-written SQL
   GROUP BY over the same rows, timed on the same connection in the same run.

Targets: one agency ≤ 2 s; roll-up ≤ 30 s. Exit status 0 when both are met.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402
from rich.table import Table  # noqa: E402

console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)

DATA_VERSION = 1
SECRET = "reports-bench-not-a-secret"  # noqa: S105
ONE_TARGET, ROLLUP_TARGET = 2.0, 30.0
TODAY = date(2026, 11, 25)  # last receipt day of the generated data
FIRST = date(2024, 1, 2)
CHUNK = 5000
TZ = dt_timezone(timedelta(hours=8))

# (value, weight) — fixed distributions, roughly as district-level annual reports show them.
APPLICANT_TYPES = [
    ("natural_person", 880),
    ("commercial", 60),
    ("legal_service", 30),
    ("other_org", 20),
    ("research", 5),
    ("public_interest", 5),
]
CHANNELS = [
    ("online", 550),
    ("post_signed", 150),
    ("in_person", 120),
    ("post_plain", 80),
    ("oral", 80),
    ("fax", 20),
]
OUTCOMES = [
    ("proactive", 100),
    ("disclosed", 250),
    ("partial", 80),
    ("state_secret", 2),
    ("prohibited", 5),
    ("security", 5),
    ("trade_secret", 8),
    ("privacy", 15),
    ("third_party_other", 5),
    ("internal", 15),
    ("process", 20),
    ("enforcement_file", 10),
    ("query_matter", 15),
    ("not_exist", 200),
    ("not_responsible", 80),
    ("needs_creation", 30),
    ("still_unclear", 20),
    ("petition", 50),
    ("repeat", 40),
    ("publication", 5),
    ("excessive", 10),
    ("confirmation", 15),
    ("no_correction", 20),
    ("no_payment", 3),
    ("other", 20),
]
OPEN_STATUSES = [
    ("processing", 60),
    ("received", 15),
    ("correction", 10),
    ("consulting", 10),
    ("awaiting_payment", 5),
]
APPEAL_KINDS = [("review", 70), ("litigation_direct", 20), ("litigation_after_review", 10)]
APPEAL_RESULTS = [("maintained", 75), ("corrected", 12), ("other", 13)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁宋谢唐韩冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国海波宁"
ORGS = [
    "舟山{}海洋科技有限公司",
    "浙江{}律师事务所",
    "普陀{}水产专业合作社",
    "{}研究院",
    "舟山市{}公益服务中心",
    "普陀区{}商贸有限公司",
]
TOPICS = [
    "征收补偿安置方案",
    "土地征收批复文件",
    "建设工程规划许可证",
    "行政处罚决定书",
    "环境影响评价文件",
    "财政预算执行情况",
    "拆迁补偿标准",
    "渔业补贴发放名单",
    "道路改造工程招标文件",
    "海塘安澜工程立项批复",
    "垃圾分类收运合同",
    "学区划分依据",
    "农村宅基地审批记录",
    "安置房分配方案",
    "会议纪要",
    "信访答复意见",
]
SMALL_KINDS = [  # name pattern, level
    ("普陀区{}局第{}科", "department"),
    ("普陀区{}中心", "department"),
    ("{}镇{}社区服务站", "dispatched"),
    ("普陀区{}管理所", "dispatched"),
    ("{}街道{}办事处", "subdistrict"),
]
PLACE = "东港沈家门六横桃花虾峙东极朱家尖展茅勾山登步白沙蚂蚁佛渡葛藤悬山"
SMALL_PER_AGENCY = 20


# --- helpers -----------------------------------------------------------------------------


def pick(rng: random.Random, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def add_workdays(day: date, n: int) -> date:
    """Working days without the holiday calendar (Saturday and Sunday off): close enough for
    generated due dates."""
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def workdays_between(first: date, last: date) -> list[date]:
    out, day = [], first
    while day <= last:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=1)
    return out


def database_url(args, name: str | None = None) -> str:
    return f"postgresql://{args.pg_user}@{args.pg_host}:{args.pg_port}/{name or args.db}"


def django_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="gongkai.config.settings.production",
        SECRET_KEY=SECRET,
        DATABASE_URL=database_url(args),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="ERROR",
    )
    return env


def load_average() -> float:
    return os.getloadavg()[0]


def signature(args) -> str:
    return (
        f"v{DATA_VERSION} apps={args.applications} agencies={args.agencies} "
        f"small={SMALL_PER_AGENCY} seed={args.seed}"
    )


def meta_get(conn, key: str) -> str | None:
    conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
    row = conn.execute("SELECT value FROM bench_meta WHERE key = %s", (key,)).fetchone()
    return row[0] if row else None


def meta_set(conn, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM bench_meta WHERE key = %s", (key,))
    else:
        conn.execute(
            "INSERT INTO bench_meta VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (key, value),
        )


# --- the generated rows ----------------------------------------------------------------------

APP_COLUMNS = [
    "agency_id",
    "number",
    "year",
    "status",
    "channel",
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "information",
    "document_number",
    "forms",
    "delivery",
    "fee_waiver_requested",
    "submitted_at",
    "received_on",
    "submission_token",
    "submitter_ip_hash",
    "query_code_hash",
    "due_on",
    "clock_paused",
    "flag",
    "outcome",
    "outcome_reason",
    "on_the_spot",
    "concluded_on",
    "archived_at",
    "created_at",
    "updated_at",
]


def make_applications(
    rng: random.Random, agency_id: int, n: int, days: list[date], growth: bool
) -> list[dict]:
    """n applications of one agency: receipt days drawn from `days` (more recent ones somewhat
    likelier when `growth`), numbered gap-free per year in receipt order."""
    weights = [1.0 + (i / len(days) if growth else 0.0) for i in range(len(days))]
    received = sorted(rng.choices(days, weights, k=n))
    serial: Counter = Counter()
    rows = []
    for on in received:
        serial[on.year] += 1
        rows.append(make_application(rng, agency_id, on, serial[on.year]))
    return rows


def make_application(rng: random.Random, agency_id: int, received: date, serial: int) -> dict:
    applicant_type = pick(rng, APPLICANT_TYPES)
    channel = pick(rng, CHANNELS)
    person = applicant_type == "natural_person"
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
    if not person:
        org = rng.choice(ORGS).format(rng.choice(["海天", "东海", "金塘", "普陀", "蓝港", "明珠"]))
    submitted = datetime.combine(
        received - timedelta(days=1) if channel == "online" and rng.random() < 0.15 else received,
        datetime.min.time(),
        TZ,
    ) + timedelta(minutes=rng.randrange(8 * 60, 18 * 60))
    due = add_workdays(received, 20)
    on_the_spot = channel == "in_person" and rng.random() < 0.15
    if on_the_spot:
        took = 0
    elif rng.random() < 0.06:  # extended (第三十三条: up to 20 more working days)
        took = rng.randint(21, 40)
        due = add_workdays(received, 40)
    else:
        took = min(20, max(1, int(rng.lognormvariate(2.0, 0.6))))
    concluded = add_workdays(received, took) if took else received
    row = dict.fromkeys(APP_COLUMNS, "")
    row.update(
        agency_id=agency_id,
        number=f"YSQ-{received.year}-{serial:05d}",
        year=received.year,
        channel=channel,
        applicant_type=applicant_type,
        applicant_name=name if person else org,
        id_type="resident_id" if person else "credit_code",
        id_number=(
            f"3309{rng.randrange(10**13, 10**14)}"
            if person
            else f"91330903{rng.randrange(10**9, 10**10)}"
        ),
        legal_representative="" if person else name,
        contact_person="" if person else name,
        phone=f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
        email=f"a{rng.randrange(10**6)}@example.com" if channel == "online" else "",
        address=f"舟山市普陀区{rng.choice(PLACE)}路{rng.randint(1, 300)}号",
        postcode="316100",
        information=f"申请公开{rng.choice(PLACE)}{rng.choice(TOPICS)}（{received.year - rng.randint(0, 5)}年）",
        forms=json.dumps([rng.choice(["paper", "email", "disc"])]),
        delivery=rng.choice(["post", "email", "collect", "online"]),
        fee_waiver_requested=rng.random() < 0.02,
        submitted_at=submitted,
        received_on=received,
        clock_paused=False,
        on_the_spot=on_the_spot,
        created_at=submitted,
        updated_at=submitted,
        archived_at=None,
    )
    if concluded > TODAY:  # still open
        status = pick(rng, OPEN_STATUSES)
        paused = status in ("correction", "awaiting_payment")
        left = len(workdays_between(TODAY + timedelta(days=1), due))
        row.update(
            status=status,
            due_on=due,
            concluded_on=None,
            outcome="",
            clock_paused=paused,
            flag="" if paused else "overdue" if due < TODAY else "near_due" if left <= 5 else "",
        )
    else:
        outcome = pick(rng, OUTCOMES)
        archived = concluded < TODAY - timedelta(days=60) and rng.random() < 0.7
        row.update(
            status="archived" if archived else "concluded",
            due_on=due,
            concluded_on=concluded,
            outcome=outcome,
            outcome_reason="依据《中华人民共和国政府信息公开条例》作出答复。",
            archived_at=(
                datetime.combine(concluded + timedelta(days=30), datetime.min.time(), TZ)
                if archived
                else None
            ),
            updated_at=datetime.combine(concluded, datetime.min.time(), TZ) + timedelta(hours=16),
        )
    return row


def make_appeals(rng: random.Random, apps: list[dict], share: float) -> list[dict]:
    """Appeals on a share of the concluded applications not fully disclosed."""
    out = []
    for app in apps:
        if not app["concluded_on"] or app["outcome"] in ("proactive", "disclosed"):
            continue
        if rng.random() >= share:
            continue
        filed = app["concluded_on"] + timedelta(days=rng.randint(5, 60))
        if filed > TODAY:
            continue
        kind = pick(rng, APPEAL_KINDS)
        decided = filed + timedelta(days=rng.randint(40, 180))
        done = decided <= TODAY
        out.append(
            dict(
                agency_id=app["agency_id"],
                number=app["number"],
                kind=kind,
                filed_on=filed,
                body="舟山市普陀区人民政府" if kind == "review" else "舟山市普陀区人民法院",
                case_number=f"BENCH-{app['agency_id']}-{app['number']}-{len(out)}",
                result=pick(rng, APPEAL_RESULTS) if done else "pending",
                decided_on=decided if done else None,
                note="",
                created_at=datetime.combine(filed, datetime.min.time(), TZ),
            )
        )
    return out


# --- load ----------------------------------------------------------------------------------


def copy_applications(conn, rows: list[dict]) -> int:
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_app ON COMMIT DELETE ROWS AS "  # noqa: S608 (constant column names)
            f"SELECT {', '.join(APP_COLUMNS)} FROM applications_application WITH NO DATA"
        )
        with cur.copy(f"COPY bench_app ({', '.join(APP_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in APP_COLUMNS])
        cur.execute(  # constant column names
            f"INSERT INTO applications_application ({', '.join(APP_COLUMNS)}) "  # noqa: S608
            f"SELECT {', '.join(APP_COLUMNS)} FROM bench_app "
            "ON CONFLICT (agency_id, number) DO NOTHING"
        )
        return cur.rowcount


APPEAL_COLUMNS = [
    "kind",
    "filed_on",
    "body",
    "case_number",
    "result",
    "decided_on",
    "note",
    "created_at",
]


def copy_appeals(conn, rows: list[dict]) -> int:
    cols = ["agency_id", "number", *APPEAL_COLUMNS]
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_appeal (agency_id bigint, number text, "
            "kind text, filed_on date, body text, case_number text, result text, "
            "decided_on date, note text, created_at timestamptz) ON COMMIT DELETE ROWS"
        )
        with cur.copy(f"COPY bench_appeal ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in cols])
        cur.execute(
            f"INSERT INTO applications_appeal (application_id, {', '.join(APPEAL_COLUMNS)}) "  # noqa: S608
            f"SELECT a.id, {', '.join('t.' + c for c in APPEAL_COLUMNS)} FROM bench_appeal t "
            "JOIN applications_application a ON a.agency_id = t.agency_id AND a.number = t.number "
            "WHERE NOT EXISTS (SELECT 1 FROM applications_appeal p "
            "WHERE p.case_number = t.case_number)"
        )
        return cur.rowcount


def ensure_agencies(conn, args, district_id: int) -> list[int]:
    """1,950 (by default) small agencies under the district and its towns; returns every agency id
    of the district's subtree."""
    district_path = conn.execute(
        "SELECT path FROM core_agency WHERE id = %s", (district_id,)
    ).fetchone()[0]
    towns = conn.execute(
        "SELECT id, path, short_name FROM core_agency WHERE parent_id = %s "
        "AND level IN ('township', 'subdistrict') ORDER BY id",
        (district_id,),
    ).fetchall()
    have = conn.execute(
        "SELECT count(*) FROM core_agency WHERE path LIKE %s", (district_path + "%",)
    ).fetchone()[0]
    existing = conn.execute("SELECT count(*) FROM core_agency WHERE slug LIKE 'rb-%%'").fetchone()[
        0
    ]
    extra = max(0, args.agencies - (have - existing))
    from gongkai.core.validators import uscc_check_character

    now = datetime.now(TZ)
    with conn.transaction(), conn.cursor() as cur:
        for n in range(1, extra + 1):
            slug = f"rb-{n:04d}"
            pattern, level = SMALL_KINDS[n % len(SMALL_KINDS)]
            place = PLACE[(n * 2) % len(PLACE) :][:2]
            name = pattern.format(place, n)  # a one-slot pattern ignores n
            parent = (district_id, district_path)
            if level in ("dispatched", "subdistrict") and towns:
                town = towns[n % len(towns)]
                parent = (town[0], town[1])
            first17 = f"12330903{3000000 + n:09d}"
            cur.execute(
                "INSERT INTO core_agency (name, short_name, slug, level, uscc, parent_id, path, "
                "depth, is_active, office_name, office_address, office_hours, office_phone, "
                "office_fax, office_email, office_postcode, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, '', 0, true, '', '', '', '', '', '', '', %s, %s) "
                "ON CONFLICT (slug) DO NOTHING",
                (
                    f"{name}（测{n}）",
                    name[:40],
                    slug,
                    level,
                    first17 + uscc_check_character(first17),
                    parent[0],
                    now,
                    now,
                ),
            )
        # Materialised paths of the new rows (children of the district or of a town).
        cur.execute(
            "UPDATE core_agency c SET path = p.path || c.id || '/', depth = p.depth + 1 "
            "FROM core_agency p WHERE c.parent_id = p.id AND c.slug LIKE 'rb-%%' AND c.path = ''"
        )
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM core_agency WHERE path LIKE %s ORDER BY id", (district_path + "%",)
        )
    ]


def load(args) -> dict:
    started = time.perf_counter()
    with psycopg.connect(database_url(args, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (args.db,)).fetchone():
            raise SystemExit(
                f"{args.db} does not exist: run bench/portal_bench.py --load-only first"
            )
    subprocess.run(
        [sys.executable, "-m", "gongkai", "migrate", "--noinput", "-v", "0"],
        env=django_env(args),
        cwd=ROOT,
        check=True,
    )
    with psycopg.connect(database_url(args), autocommit=True) as conn:
        if meta_get(conn, "plan") is None:
            raise SystemExit(
                "gongkai_bench has no portal load: run bench/portal_bench.py --load-only first"
            )
        district_id = conn.execute(
            "SELECT agency_id FROM catalogue_item GROUP BY agency_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        items = conn.execute("SELECT count(*) FROM catalogue_item").fetchone()[0]
        sig = signature(args)
        done = meta_get(conn, "reports_plan")
        if done == sig + " complete":
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM core_agency WHERE path LIKE (SELECT path FROM core_agency "
                    "WHERE id = %s) || '%%'",
                    (district_id,),
                )
            ]
            console.print(f"reports data there ({sig}): reused")
            return dict(
                district_id=district_id,
                agencies=len(ids),
                items=items,
                load_seconds=0.0,
                reused=True,
            )
        if done and not done.startswith(sig):
            raise SystemExit(
                f"gongkai_bench holds report data of another plan ({done}); "
                "delete it by hand (applications and rb-* agencies) first"
            )
        meta_set(conn, "reports_plan", sig + " loading")
        ids = ensure_agencies(conn, args, district_id)
        console.print(f"agencies in the district's subtree: {len(ids):,}")

        rng = random.Random(args.seed)
        days = workdays_between(FIRST, TODAY)
        big = make_applications(rng, district_id, args.applications, days, growth=True)
        big_appeals = make_appeals(
            rng,
            big,
            share=args.appeals
            / max(
                1,
                sum(
                    1
                    for a in big
                    if a["concluded_on"] and a["outcome"] not in ("proactive", "disclosed")
                ),
            ),
        )
        small, small_appeals = [], []
        for agency_id in ids:
            if agency_id == district_id:
                continue
            rows = make_applications(rng, agency_id, SMALL_PER_AGENCY, days, growth=False)
            small.extend(rows)
            small_appeals.extend(make_appeals(rng, rows, share=0.03))
        everything = big + small
        columns = [
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[rate]}"),
        ]
        inserted = 0
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("applications", total=len(everything), rate="")
            t0 = time.perf_counter()
            for start in range(0, len(everything), CHUNK):
                inserted += copy_applications(conn, everything[start : start + CHUNK])
                progress.advance(task, min(CHUNK, len(everything) - start))
                done_n = start + CHUNK
                progress.update(
                    task,
                    rate=f"{done_n / (time.perf_counter() - t0):,.0f} rows/s ({inserted:,} new)",
                )
            appeals = big_appeals + small_appeals
            task = progress.add_task("appeals", total=len(appeals), rate="")
            new_appeals = 0
            for start in range(0, len(appeals), CHUNK):
                new_appeals += copy_appeals(conn, appeals[start : start + CHUNK])
                progress.advance(task, min(CHUNK, len(appeals) - start))
                progress.update(task, rate=f"{new_appeals:,} new")
        # Number sequences as the services would have left them.
        conn.execute(
            "INSERT INTO applications_numbersequence (agency_id, year, name, last_value) "
            "SELECT agency_id, year, 'application', count(*) FROM applications_application "
            "WHERE number LIKE 'YSQ-%%' GROUP BY agency_id, year "
            "ON CONFLICT (agency_id, year, name) DO UPDATE SET last_value = "
            "GREATEST(applications_numbersequence.last_value, EXCLUDED.last_value)"
        )
        conn.execute("VACUUM (ANALYZE) applications_application")
        conn.execute("VACUUM (ANALYZE) applications_appeal")
        conn.execute("ANALYZE core_agency")
        meta_set(conn, "reports_plan", sig + " complete")
        seconds = time.perf_counter() - started
        console.print(
            f"loaded {inserted:,} applications and {new_appeals:,} appeals in {seconds:.1f} s"
        )
        return dict(
            district_id=district_id,
            agencies=len(ids),
            items=items,
            load_seconds=seconds,
            reused=False,
        )


# --- measure -------------------------------------------------------------------------------


class QueryCounter:
    """Counts SQL statements through Django's execute wrapper (cheaper than capturing them)."""

    def __init__(self):
        self.n, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - t0


def timed(fn, runs: int, warm: bool = True) -> tuple[float, list[float], object, int, float]:
    """Median wall time of `runs` calls (after one warm-up call unless warm=False: the first
    call meets cold caches), the SQL statements of one call and the seconds one call spends in
    them (psycopg's client-side cursor: executing includes fetching every row)."""
    from django.db import connection

    if warm:
        fn()
    times, result, counter = [], None, QueryCounter()
    with connection.execute_wrapper(counter):
        for _ in range(runs):
            t0 = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result, counter.n // runs, counter.seconds / runs


BASELINE_ONE = """
SELECT applicant_type, outcome, count(*) FROM applications_application
WHERE agency_id = %s AND concluded_on BETWEEN %s AND %s AND received_on IS NOT NULL
  AND outcome <> ''
GROUP BY applicant_type, outcome
"""
BASELINE_ROLLUP = """
SELECT a.agency_id, a.applicant_type, a.outcome, count(*)
FROM applications_application a JOIN core_agency g ON g.id = a.agency_id
WHERE g.path LIKE %s AND a.concluded_on BETWEEN %s AND %s AND a.received_on IS NOT NULL
  AND a.outcome <> ''
GROUP BY a.agency_id, a.applicant_type, a.outcome
"""


def measure(args, info: dict) -> dict:
    os.environ.update(django_env(args))
    import django

    django.setup()
    from django.db import connection

    from gongkai.applications.outcomes import RULES
    from gongkai.core.models import Agency
    from gongkai.reports.compute import compute_report
    from gongkai.reports.formats import get

    year, fmt_key = args.year, "2021"
    fmt = get(fmt_key)
    district = Agency.objects.get(pk=info["district_id"])
    first, last = date(year, 1, 1), date(year, 12, 31)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM applications_application WHERE agency_id = %s", [district.pk]
        )
        n_apps = cur.fetchone()[0]
        cur.execute(
            "SELECT count(*) FROM applications_application a JOIN core_agency g "
            "ON g.id = a.agency_id WHERE g.path LIKE %s",
            [district.path + "%"],
        )
        n_subtree_apps = cur.fetchone()[0]

    def baseline_one():
        with connection.cursor() as cur:
            cur.execute(BASELINE_ONE, [district.pk, first, last])
            return cur.fetchall()

    def baseline_rollup():
        with connection.cursor() as cur:
            cur.execute(BASELINE_ROLLUP, [district.path + "%", first, last])
            return cur.fetchall()

    console.print(
        f"measuring: {district.name}, {year}, format {fmt_key}; load average {load_average():.2f}"
    )
    load_before = load_average()
    one_time, one_times, report, one_queries, one_sql = timed(
        lambda: compute_report(district, year, fmt), args.runs
    )
    base_one, base_one_times, rows, _, _ = timed(baseline_one, args.runs)

    # Cross-check: the outcome rows of 表三 against the GROUP BY.
    expected: Counter = Counter()
    for applicant_type, outcome, count in rows:
        expected[(RULES[outcome].row_2021, applicant_type)] += count
    mismatches = []
    for row in fmt.data_rows():
        if row.source != "applications.outcome":
            continue
        for column, key in fmt.cells_of(row):
            if column.key == "total":
                want = sum(v for (r, _t), v in expected.items() if r == row.key)
            else:
                want = expected.get((row.key, column.key), 0)
            if report.cells.get(key) != want:
                mismatches.append((key, report.cells.get(key), want))
    concluded_total = sum(c for _a, _o, c in rows)

    try:
        rollup_module = importlib.import_module("gongkai.reports.rollup")
        aggregate = getattr(rollup_module, "aggregate", None)
    except ImportError:
        aggregate = None
    agencies = list(Agency.objects.subtree_of(district).order_by("path"))
    if aggregate is not None:
        how = "gongkai.reports.rollup.aggregate"

        def rollup():
            return aggregate(district, year, fmt_key)
    else:
        how = f"loop of compute_report over {len(agencies):,} agencies (no rollup.aggregate)"

        def rollup():
            return [compute_report(a, year, fmt) for a in agencies]

    console.print(f"roll-up: {how}")
    rollup_runs = args.rollup_runs or args.runs
    # No warm-up for the loop: the single-agency runs above warmed the code paths already.
    roll_time, roll_times, _, roll_queries, roll_sql = timed(
        rollup, rollup_runs, warm=aggregate is not None
    )
    base_roll, base_roll_times, roll_rows, _, _ = timed(baseline_rollup, args.runs)
    load_after = load_average()
    return dict(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        agency=district.name,
        year=year,
        format=fmt_key,
        applications_agency=n_apps,
        applications_subtree=n_subtree_apps,
        concluded_in_year=concluded_total,
        agencies=len(agencies),
        items=info["items"],
        concluded_in_subtree=sum(row[-1] for row in roll_rows),
        one=dict(
            seconds=one_time,
            runs=one_times,
            queries=one_queries,
            sql_seconds=one_sql,
            baseline=base_one,
            baseline_runs=base_one_times,
            groups=len(rows),
        ),
        rollup=dict(
            how=how,
            seconds=roll_time,
            runs=roll_times,
            queries=roll_queries,
            sql_seconds=roll_sql,
            baseline=base_roll,
            baseline_runs=base_roll_times,
            groups=len(roll_rows),
        ),
        outcome_mismatches=mismatches,
        load_average=[round(load_before, 2), round(load_after, 2)],
        cpus=os.cpu_count(),
    )


def show(result: dict) -> bool:
    table = Table(
        title=(
            f"年度报告 {result['format']} · {result['year']} · "
            f"{result['items']:,} items · {result['agencies']:,} agencies"
        )
    )
    for name in (
        "what",
        "rows",
        "SQL statements",
        "in SQL s",
        "median s",
        "runs s",
        "baseline",
        "× baseline",
        "target",
    ):
        table.add_column(name, justify="left" if name in ("what", "target") else "right")
    ok = True
    for key, label, rows, target in (
        ("one", f"compute_report, {result['agency']}", result["concluded_in_year"], ONE_TARGET),
        (
            "rollup",
            f"roll-up: {result['rollup']['how']}",
            result["concluded_in_subtree"],
            ROLLUP_TARGET,
        ),
    ):
        r = result[key]
        met = r["seconds"] <= target
        ok &= met
        table.add_row(
            label,
            f"{rows:,}",
            f"{r['queries']:,}",
            f"{r['sql_seconds']:.3f}",
            f"{r['seconds']:.3f}",
            " ".join(f"{t:.3f}" for t in r["runs"]),
            f"{r['baseline'] * 1000:.1f} ms",
            f"{r['seconds'] / r['baseline']:,.0f}",
            f"≤ {target:.0f} s: " + ("[green]met[/]" if met else "[red]missed[/]"),
        )
    console.print(table)
    console.print(
        f"agency: {result['applications_agency']:,} applications, "
        f"{result['concluded_in_year']:,} concluded in {result['year']} "
        f"({result['one']['groups']} groups); subtree: {result['applications_subtree']:,} "
        f"applications, {result['concluded_in_subtree']:,} concluded in {result['year']} "
        f"({result['rollup']['groups']:,} groups in the roll-up baseline). "
        "rows = the rows the baseline GROUP BY counts. "
        f"1-minute load average {result['load_average'][0]}–{result['load_average'][1]} on "
        f"{result['cpus']} CPUs; {result['date']}."
    )
    if result["outcome_mismatches"]:
        ok = False
        console.print(
            f"[red]表三 outcome cells differ from the GROUP BY[/]: "
            f"{result['outcome_mismatches'][:5]}"
        )
    else:
        console.print("表三 outcome cells equal the GROUP BY's counts.")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="gongkai_bench")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", default=5432, type=int)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--applications", default=100_000, type=int)
    parser.add_argument("--agencies", default=2000, type=int)
    parser.add_argument("--appeals", default=3000, type=int, help="about this many, big agency")
    parser.add_argument("--seed", default=1, type=int)
    parser.add_argument("--year", default=2025, type=int)
    parser.add_argument("--runs", default=3, type=int)
    parser.add_argument("--rollup-runs", default=0, type=int, help="default: --runs")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    info = load(args)
    if args.load_only:
        return 0
    result = measure(args, info)
    ok = show(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
