"""First render (a miss) of the portal's item pages, in-process, on a small PostgreSQL database.

No wrk, no gunicorn, no big database: one agency with a three-level column tree (6 × 4 × 2
columns) and `--items` published items (with attachments on every tenth), in the database
`--db` (default gk_render; created and loaded once, kept). The page cache is off (the test
settings), so every request renders the page: the server time of a miss.

With `--base-tree DIR` (a copy of another revision's `gongkai/` package, e.g. made with
`git archive HEAD gongkai | tar -x -C DIR`) the rounds alternate between that code and this
checkout's, in separate processes, and the script reports the ratio of the medians and checks
that every item page's HTML is byte-identical between the two (a machine under other load
slows both alike).

    .venv/bin/python bench/item_render.py --base-tree /tmp/render_base --rounds 4 --profile
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(db: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{db}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings.test"
    import django

    django.setup()


def _ensure_db(db: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
            c.execute(f'CREATE DATABASE "{db}"')


def load(db: str, n_items: int) -> None:
    _ensure_db(db)
    _setup(db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import transaction

    from gongkai.core.models import Agency

    if Agency.objects.filter(slug="render-bench").exists():
        return
    with transaction.atomic():  # all or nothing: a rerun after an interruption loads anew
        _load(n_items)


def _load(n_items: int) -> None:
    from datetime import date, timedelta

    from django.utils import timezone

    from gongkai.catalogue.models import Attachment, Column, Item, ItemStatus
    from gongkai.catalogue.taxonomy import Genre
    from gongkai.core.tests.factories import AgencyFactory, UserFactory

    agency = AgencyFactory(slug="render-bench", name="六横镇人民政府", short_name="六横镇")
    user = UserFactory()
    leaves = []
    position = 0
    for i in range(6):
        top = Column.objects.create(agency=agency, name=f"栏目{i}", position=position)
        position += 1
        for j in range(4):
            mid = Column.objects.create(
                agency=agency, parent=top, name=f"栏目{i}-{j}", position=position
            )
            position += 1
            for k in range(2):
                leaves.append(
                    Column.objects.create(
                        agency=agency, parent=mid, name=f"栏目{i}-{j}-{k}", position=position
                    )
                )
                position += 1
    body = "".join(
        f"<p>第{p}段：为进一步做好政府信息公开工作，根据《中华人民共和国政府信息公开条例》，"
        f"现将有关事项通知如下。<strong>请各单位认真贯彻落实。</strong></p>"
        for p in range(12)
    )
    now = timezone.now()
    items = [
        Item(
            agency=agency,
            column=leaves[n % len(leaves)],
            title=f"六横镇关于做好第{n}批政府信息公开工作的通知",
            summary="政府信息公开工作安排" if n % 3 else "",
            body=body,
            document_number=f"六政〔2026〕{n}号",
            formed_on=date(2026, 3, 2) + timedelta(days=n % 200),
            published_at=now - timedelta(hours=n),
            genre=Genre.WORK_NEWS,
            status=ItemStatus.PUBLISHED,
            index_number=f"11330903-2026-{n:05d}",
            created_by=user,
        )
        for n in range(n_items)
    ]
    Item.objects.bulk_create(items)
    Attachment.objects.bulk_create(
        [
            Attachment(
                item=item,
                file=f"attachments/bench-{item.pk}.pdf",
                original_name=f"附件{item.pk}.pdf",
                kind="pdf",
                content_type="application/pdf",
                size=12345,
                sha256="0" * 64,
                uploaded_by=user,
            )
            for item in items[::10]
        ]
    )


def worker(db: str, repeat: int, profile: bool) -> None:
    """One round: every item page once (a miss each), printed as JSON on stdout."""
    _setup(db)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from gongkai.catalogue.models import Item
    from gongkai.core.models import Agency

    agency = Agency.objects.get(slug="render-bench")
    urls = [
        reverse("portal:item", args=[agency.slug, pk])
        for pk in Item.objects.filter(agency=agency).order_by("pk").values_list("pk", flat=True)
    ]
    client = Client()
    client.get(urls[0])  # imports, template loading, the URL resolver
    times, cpu, queries, digests = [], [], [], {}
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    for _ in range(repeat):
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                start, start_cpu = time.perf_counter(), time.thread_time()
                response = client.get(url)
                times.append(time.perf_counter() - start)
                # the process's own CPU: what a loaded machine's waiting does not inflate
                cpu.append(time.thread_time() - start_cpu)
            assert response.status_code == 200, (url, response.status_code)
            queries.append(len(captured.captured_queries))
            digests[url] = hashlib.sha256(response.content).hexdigest()
    out = {"times": times, "cpu": cpu, "queries": queries, "digests": digests}
    if profiler is not None:
        profiler.stop()
        out["profile"] = profiler.output_text(unicode=False, color=False, show_all=False)
    print(json.dumps(out))


def _round(tree: Path, args) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, __file__, "--worker", "--db", args.db, "--repeat", str(args.repeat)]
    if args.profile:
        cmd.append("--profile")
    # our own interpreter and script, with arguments this script built
    done = subprocess.run(cmd, env=env, cwd=tree, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="gk_render")
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1, help="renders of each page per round")
    parser.add_argument("--base-tree", type=Path, help="the baseline's copy (see above)")
    parser.add_argument(
        "--after-tree", type=Path, default=ROOT, help="the code measured (this checkout)"
    )
    parser.add_argument("--profile", action="store_true", help="pyinstrument of the last round")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.db, args.repeat, args.profile)
        return
    if args.load:
        load(args.db, args.items)
        return
    # loaded by the measured code, in its own process as the rounds are
    env = {**os.environ, "PYTHONPATH": str(args.after_tree.resolve())}
    cmd = [sys.executable, __file__, "--load", "--db", args.db, "--items", str(args.items)]
    subprocess.run(cmd, env=env, cwd=args.after_tree, check=True)  # noqa: S603
    trees = {"after": args.after_tree.resolve()}
    if args.base_tree:
        trees = {"before": args.base_tree.resolve(), **trees}
    results: dict[str, list[dict]] = {name: [] for name in trees}
    for r in range(args.rounds):
        for name, tree in trees.items():
            results[name].append(_round(tree, args))
            med = statistics.median(results[name][-1]["times"]) * 1000
            print(f"round {r + 1} {name:6}: median {med:.2f} ms", flush=True)
    summary, summary_cpu = {}, {}
    for name, rounds in results.items():
        medians = [statistics.median(x["times"]) * 1000 for x in rounds]
        cpu = [statistics.median(x["cpu"]) * 1000 for x in rounds]
        queries = [q for x in rounds for q in x["queries"]]
        summary[name] = statistics.median(medians)
        summary_cpu[name] = statistics.median(cpu)
        print(
            f"{name:6}: median of round medians {summary[name]:.2f} ms wall, "
            f"{summary_cpu[name]:.2f} ms CPU in the process "
            f"(rounds {', '.join(f'{m:.2f}/{c:.2f}' for m, c in zip(medians, cpu, strict=True))}), "
            f"queries per page {min(queries)}–{max(queries)}, pages {len(rounds[0]['digests'])}"
        )
    if "before" in summary:
        print(
            f"after / before: {summary['after'] / summary['before']:.3f} wall, "
            f"{summary_cpu['after'] / summary_cpu['before']:.3f} CPU"
        )
        before, after = results["before"][-1]["digests"], results["after"][-1]["digests"]
        differ = [url for url in before if before[url] != after.get(url)]
        print(f"HTML byte-identical: {len(before) - len(differ)}/{len(before)} pages")
        if differ:
            print("differ:", *differ[:5])
    if args.profile:
        for name, rounds in results.items():
            print(f"--- profile ({name}, last round) ---")
            print(rounds[-1]["profile"])


if __name__ == "__main__":
    main()
