"""What the staff exports cost inside a request, on the demo (issue 18 item 2).

Loads the demo into a SQLite database under `--var` (default var/exports_bench; loaded once,
kept) and measures, in-process with the test client, the median of `--n` requests:

- baseline: the item list page, measured in the same run (the machine is shared and noisy, so
  every figure is also printed as a ratio to it);
- the exports moved to the task queue: what building the file costs (the kind's `build`, which
  the request used to run) against what starting the export now costs the request;
- the exports that stay synchronous, against the page they are exported from (which computes
  the same data): where the ratio stays near 1, the file costs no more than viewing the page.

    .venv/bin/python bench/exports_timing.py --n 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _prepare(var: Path) -> None:
    var.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GONGKAI_VAR_DIR": str(var), "GONGKAI_TASKS_MODE": "manual"}
    marker = var / "demo-loaded"
    if not marker.exists():
        gongkai = str(ROOT / ".venv" / "bin" / "gongkai")
        subprocess.run([gongkai, "migrate", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
        subprocess.run([gongkai, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        marker.write_text("ok")
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings.local"
    import django

    django.setup()


def _median_ms(function, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path, default=ROOT / "var" / "exports_bench")
    parser.add_argument("--n", type=int, default=5)
    args = parser.parse_args()
    _prepare(args.var)

    from django.contrib.auth import get_user_model
    from django.test import Client

    from gongkai.applications.exports_queue import APPLICATIONS_EXPORT
    from gongkai.catalogue.exports_queue import ITEMS_EXPORT
    from gongkai.core import exports
    from gongkai.core.models import Agency, Task
    from gongkai.reports.exports_queue import REPORT_EXPORT

    users = get_user_model().objects
    officer, supervisor = users.get(username="lh_officer"), users.get(username="pt_supervisor")
    town = Agency.objects.get(slug="liuheng")
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(officer)
    above = Client(HTTP_HOST="127.0.0.1")
    above.force_login(supervisor)

    def get(client, url):
        return lambda: _ok(client.get(url))

    def post(client, url, data=None):
        return lambda: _ok(client.post(url, data or {}), 302)

    baseline = _median_ms(get(staff, "/staff/catalogue/liuheng/items/"), args.n)
    print(f"baseline: the item list page {baseline:8.1f} ms (ratio 1.00)")
    print("\nmoved to the task queue: building the file (was in the request) → starting it now")
    moved = [
        (
            "item list XLSX",
            ITEMS_EXPORT,
            {"query": ""},
            post(staff, "/staff/catalogue/liuheng/items/export.xlsx"),
        ),
        (
            "applications 2025 XLSX",
            APPLICATIONS_EXPORT,
            {"year": 2025, "format": "xlsx"},
            post(
                staff,
                "/staff/applications/liuheng/export/",
                {"export-year": "2025", "export-format": "xlsx"},
            ),
        ),
    ]
    for kind in ("docx", "pdf"):
        moved.append(
            (
                f"annual report 2025 {kind.upper()}",
                REPORT_EXPORT,
                {"year": 2025, "kind": kind, "format": "2021", "version": None},
                post(staff, f"/staff/reports/liuheng/2025/export/{kind}/"),
            )
        )
    for label, name, params, start in moved:
        spec = exports.kind_of(name)

        def build(spec=spec, params=params):
            spec.build(actor=officer, agency=town, params=params, progress=lambda d, t: None)

        built = _median_ms(build, args.n)
        started = _median_ms(start, args.n)
        print(
            f"  {label:28s} build {built:8.1f} ms ({built / baseline:5.2f}×)"
            f"  start {started:6.1f} ms ({started / baseline:5.2f}×)"
        )
    Task.objects.filter(payload__export=True).delete()  # the bench's own queued exports

    print("\nstaying synchronous: the file against the page it is exported from")
    kept = [
        ("annual report 2025 XLSX", staff, "/staff/reports/liuheng/2025/download/xlsx/",
         "/staff/reports/liuheng/2025/"),
        ("annual report 2025 HTML", staff, "/staff/reports/liuheng/2025/download/html/",
         "/staff/reports/liuheng/2025/"),
        ("annual report 2025 JSON", staff, "/staff/reports/liuheng/2025/download/json/",
         "/staff/reports/liuheng/2025/"),
        ("reports matrix XLSX (district)", above, "/staff/reports/putuo/2025/matrix/xlsx/",
         "/staff/reports/putuo/2025/matrix/"),
        ("compliance matrix XLSX (district)", above, "/staff/compliance/putuo/matrix/xlsx/",
         "/staff/compliance/putuo/matrix/"),
    ]  # fmt: skip
    for label, client, file_url, page_url in kept:
        file_ms = _median_ms(get(client, file_url), args.n)
        page_ms = _median_ms(get(client, page_url), args.n)
        print(
            f"  {label:34s} file {file_ms:7.1f} ms  page {page_ms:7.1f} ms"
            f"  file/page {file_ms / page_ms:5.2f}  file/baseline {file_ms / baseline:5.2f}"
        )


def _ok(response, status: int = 200):
    if response.status_code != status:
        raise SystemExit(f"{response.request['PATH_INFO']}: {response.status_code}, not {status}")
    return response


if __name__ == "__main__":
    sys.exit(main())
