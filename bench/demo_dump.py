"""A canonical dump of what `gongkai demo` creates, from a fixed time, to compare two versions
of the demo (issue 16, item 4: the demo data moved to data files must give the same database).

    GONGKAI_VAR_DIR=/tmp/x .venv/bin/python bench/demo_dump.py OUT.json [--at 2026-11-26T10:00+08:00]

Runs `migrate` and `demo` on a fresh SQLite under GONGKAI_VAR_DIR with the clock started at --at
(tasks left queued), then writes every gongkai model's rows (all concrete fields; files by
presence; hashes, random codes and the run's own timestamps masked), ordered by primary key, as
JSON. For the other version, run it from a copy of the tree (`PYTHONPATH=/copy`) and compare.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

import django
import time_machine

# how long a run may take (its own timestamps are masked)
RUN = timedelta(hours=2)
# volatile by construction: salted hashes, random codes and tokens, files stamped with the time
SKIP = {
    "password",
    "last_login",
    "token",
    "token_hash",
    "secret",
    "key",
    "query_code_hash",
    "check_code_hash",
    "sha256",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--at", default="2026-11-26T10:00:00+08:00")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.local")
    # the letters' rendering tasks stay queued: a worker thread writing beside the demo in one
    # SQLite file makes the run depend on timing (and can lock the file)
    os.environ["GONGKAI_TASKS_MODE"] = "manual"
    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import models

    # the clock starts at --at and runs (a frozen clock stalls the in-process task runner's
    # waits); timestamps of the run itself are written as "<run>", the demo's own dates stay
    start = datetime.fromisoformat(args.at)
    with time_machine.travel(start, tick=True):
        call_command("migrate", verbosity=0)
        call_command("demo", stdout=open(os.devnull, "w"))
        dump: dict = {}
        for model in apps.get_models():
            if not model.__module__.startswith("gongkai."):
                continue
            rows = []
            for obj in model._default_manager.order_by("pk"):
                row = {}
                for f in model._meta.concrete_fields:
                    if f.name in SKIP:
                        row[f.name] = "<skipped>"
                        continue
                    value = getattr(obj, f.attname)
                    if isinstance(f, models.FileField):
                        value = bool(value)
                    elif isinstance(value, datetime) and start <= value <= start + RUN:
                        value = "<run>"
                    row[f.name] = value
                rows.append(row)
            dump[model._meta.label] = {"count": len(rows), "rows": rows}
    Path(args.out).write_text(
        json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    )
    print({label: d["count"] for label, d in dump.items() if d["count"]}, file=sys.stderr)


if __name__ == "__main__":
    main()
