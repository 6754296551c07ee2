"""Confirmed imports run as background tasks (gongkai.core.tasks), for every app's imports.

The confirmation queues a task whose payload names the staged file (private storage, never
served; gongkai.core.staging), its hash, the agency and the user; the task's `write` imports
every row in one transaction (all rows or none) and its outcome is recorded in the task's
payload ("result") in that same transaction. So:

- a rerun of a finished import finds the result and does nothing;
- a crashed one left nothing behind (rolled back, no result) and runs the whole import again;
- rows rejected by the import (the records changed since the preview) are kept as the result
  with their row-level messages, for the import page to show.

While it runs, "n / N" rows reaches the page through a connection of its own on PostgreSQL
(the import's transaction would hide it until the end); on SQLite, one writer at a time, the
progress shows at the end only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.utils import timezone

from gongkai.core import staging, tasks
from gongkai.core.models import Agency, Task
from gongkai.core.tables import ImportRejected


def import_queue(
    *,
    name: str,
    actor,
    agency: Agency,
    file: str,
    file_name: str,
    sha256: str,
    extra: dict | None = None,
) -> Task:
    """Queue the import task `name` for a staged file (the caller checked the permission);
    `extra` joins the payload (the channel of a publications import)."""
    return tasks.task_enqueue(
        name=name,
        payload={
            "agency": agency.pk,
            "user": actor.pk,
            "file": file,
            "file_name": file_name,
            "sha256": sha256,
            **(extra or {}),
        },
    )


def import_task_for(*, user, agency: Agency, pk: int, name: str) -> Task | None:
    """The import task `pk` if `user` queued it for `agency` (others see nothing)."""
    found = Task.objects.filter(pk=pk, name=name).first()
    if found is None:
        return None
    payload = found.payload or {}
    if payload.get("user") != user.pk or payload.get("agency") != agency.pk:
        return None
    return found


def _side_progress(task_pk: int) -> tuple[Callable[[str], None] | None, Any]:
    """Progress written outside the import's transaction (PostgreSQL only), so the page sees
    it while the rows are written."""
    alias = router.db_for_write(Task) or DEFAULT_DB_ALIAS
    if connections[alias].vendor != "postgresql":
        return None, None
    side = connections.create_connection(alias)
    table = Task._meta.db_table

    def report(text: str) -> None:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET progress = %s, heartbeat_at = %s WHERE id = %s",  # noqa: S608
                [text[:200], timezone.now(), task_pk],
            )

    return report, side


def import_run(
    *, name: str, payload: dict, progress: Callable[[str], None], write: Callable[..., dict]
) -> None:
    """Run an import task once: `write(actor=, agency=, file_name=, data=, progress=)` writes
    every row in one transaction (raising ImportRejected, or anything on a crash) and
    answers the result to keep, stored in that same transaction."""
    if "result" in payload:
        return  # finished before: a rerun changes nothing
    found = Task.objects.filter(name=name, payload__file=payload["file"]).first()
    if found is None or "result" in (found.payload or {}):
        return
    agency = Agency.objects.get(pk=payload["agency"])
    actor = get_user_model().objects.get(pk=payload["user"])
    try:
        data = staging.read_handed(payload["file"], payload["sha256"])
    except staging.StagedFileRefused:
        _store(found, {"refused": True}, payload)
        return
    side, side_connection = _side_progress(found.pk)
    total = [0]

    def rows(done: int, count: int) -> None:
        total[0] = count
        text = f"{done} / {count}"
        if side is not None:
            side(text)
        else:
            progress(text)

    try:
        with transaction.atomic():
            result = write(
                actor=actor,
                agency=agency,
                file_name=payload["file_name"],
                data=data,
                progress=rows,
            )
            # with the rows, in one transaction: a rerun sees it, a crash leaves neither
            _store(found, result, payload)
    except ImportRejected as exc:
        _store(found, {"errors": [asdict(error) for error in exc.row_errors]}, payload)
    else:
        progress(f"{total[0]} / {total[0]}")
    finally:
        if side_connection is not None:
            side_connection.close()
    staging.delete_handed(payload["file"])


def _store(found: Task, result: dict, payload: dict) -> None:
    Task.objects.filter(pk=found.pk).update(payload={**payload, "result": result})
