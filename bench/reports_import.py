"""Cells right on the real annual reports (gongkai/reports/tests/fixtures/real/): each report is
imported by ``gongkai.reports.importers.import_file`` and compared cell by cell with its
hand-checked JSON. Prints right/total per report, per subset (dev, eval, dev2, eval2) and the misses.

    .venv/bin/python bench/reports_import.py [--subset dev|eval|dev2|eval2] [--misses]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.local")

import django  # noqa: E402

django.setup()

from gongkai.reports.tests.realset import SUBSETS, reports, score  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", choices=SUBSETS)
    parser.add_argument("--misses", action="store_true", help="print every wrong cell")
    args = parser.parse_args()
    totals: dict[str, list[int]] = {}
    for source, spec in reports(args.subset):
        result = score(source, spec)
        subtotal = totals.setdefault(result.subset, [0, 0, 0])
        subtotal[0] += result.right
        subtotal[1] += result.total
        subtotal[2] += 1
        flag = "" if result.format_ok else "  (format wrong)"
        print(f"{result.subset:4} {result.right:4}/{result.total:<4} {result.name}{flag}")
        if args.misses:
            for key, expected, got in result.wrong:
                print(f"       {key}: expected {expected!r}, got {got!r}")
    for subset, (right, total, count) in sorted(totals.items()):
        share = 100 * right / total if total else 0.0
        print(f"{subset}: {right}/{total} cells right ({share:.2f} %) on {count} reports")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
