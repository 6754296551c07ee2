"""Staff exports built by the task queue (gongkai.core.tasks), one mechanism for every app.

A file that takes long to build (the items list of a large catalogue, a year's applications,
an annual report as DOCX or PDF) is not built inside the request. The page's button posts to
the app's view, which calls `export_start`: the permission is checked, an `export.start` audit
event is recorded, and a task is queued whose payload names the export kind, the agency, the
user and the kind's parameters. The user lands on the export's page (core:export), which
reloads itself showing "n / N" until the file is there, then links to it.

The task builds the file with the kind's `build` and keeps it in the private storage (no URL
maps it) under exports/<token>; the file's name, type and size are the task's result (payload
"result", as the imports keep theirs). So a rerun of a finished export does nothing, and one
interrupted before its result writes the same file again. The file is served by core:export-file
through `private_file_response` (X-Accel-Redirect behind nginx) to the user who started the
export while the kind still allows them, and is removed GONGKAI_EXPORTS_KEEP_SECONDS after it
was built (`exports_expire`, a scheduler job).

A kind is declared in gongkai.<app>.tasks (or a module it imports) with `export_kind`; its name
is its task's name, "<app>.export_<what>", so that the queue finds the module.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import uuid4

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import tasks
from .audit import audit_record
from .models import Agency, Task, TaskStatus, User
from .permissions import require
from .storage import private_storage

PREFIX = "exports/"
# progress reports write a row: at most this often while rows are written
PROGRESS_EVERY_SECONDS = 0.5


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    file_name: str  # as the user will save it
    content_type: str


Progress = Callable[[int, int], None]
# build(actor=, agency=, params=, progress=) -> ExportFile; progress(done, total)
Build = Callable[..., ExportFile]


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: Callable[[dict], str]  # what the export's page calls it, from its parameters
    allowed: Callable[[User, Agency], bool]  # who may start it and fetch its file
    back: Callable[[Agency, dict], str]  # the URL of the page that starts it
    build: Build


_KINDS: dict[str, ExportKind] = {}


def export_kind(
    name: str,
    *,
    label: Callable[[dict], str],
    allowed: Callable[[User, Agency], bool],
    back: Callable[[Agency, dict], str],
) -> Callable[[Build], Build]:
    """Register `build` as the export `name` and its task."""

    def register(build: Build) -> Build:
        _KINDS[name] = ExportKind(name=name, label=label, allowed=allowed, back=back, build=build)

        def run(payload: dict, progress: Callable[[str], None]) -> None:
            export_run(name=name, payload=payload, progress=progress)

        tasks.task(name)(run)
        return build

    return register


def kind_of(name: str) -> ExportKind:
    """The kind registered as `name` (importing its app's tasks module if needed)."""
    tasks.lookup(name)
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"{name!r} is a task, not an export") from None


@transaction.atomic
def export_start(*, actor: User, agency: Agency, kind: str, params: dict | None = None) -> Task:
    """Queue the export `kind` of `agency` for `actor` (who alone will fetch its file)."""
    spec = kind_of(kind)
    require(spec.allowed(actor, agency))
    params = dict(params or {})
    queued = tasks.task_enqueue(
        name=kind,
        payload={
            "export": True,
            "token": uuid4().hex,
            "agency": agency.pk,
            "user": actor.pk,
            "params": params,
        },
    )
    audit_record(
        actor=actor,
        verb="export.start",
        obj=queued,
        agency=agency,
        object_repr=spec.label(params),
        after={"kind": kind, "params": params},
    )
    return queued


def _throttled(progress: Callable[[str], None]) -> Progress:
    last = [0.0]

    def rows(done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = now
            progress(f"{done} / {total}")

    return rows


def export_run(*, name: str, payload: dict, progress: Callable[[str], None]) -> None:
    """The task: build the file once and keep it privately."""
    if "result" in payload:
        return  # finished before: a rerun changes nothing
    found = Task.objects.filter(name=name, payload__token=payload["token"]).first()
    if found is None or "result" in (found.payload or {}):
        return
    spec = kind_of(name)
    agency = Agency.objects.get(pk=payload["agency"])
    actor = get_user_model().objects.get(pk=payload["user"])
    if not spec.allowed(actor, agency):  # a role taken away since the export was started
        _store(found, {"refused": True})
        return
    built = spec.build(
        actor=actor,
        agency=agency,
        params=payload.get("params") or {},
        progress=_throttled(progress),
    )
    storage = private_storage()
    file = f"{PREFIX}{payload['token']}"
    if storage.exists(file):  # written by an attempt interrupted before its result
        storage.delete(file)
    saved = storage.save(file, ContentFile(built.content))
    _store(
        found,
        {
            "file": saved,
            "file_name": built.file_name,
            "content_type": built.content_type,
            "size": len(built.content),
        },
    )


def _store(found: Task, result: dict) -> None:
    # the row as it is now: the payload of the task object the worker holds may be stale
    current = Task.objects.get(pk=found.pk).payload or {}
    Task.objects.filter(pk=found.pk).update(payload={**current, "result": result})


# --- reading an export back -------------------------------------------------------------------


@dataclass(frozen=True)
class ExportState:
    task: Task
    kind: ExportKind
    agency: Agency
    params: dict
    result: dict | None
    running: bool
    ready: bool  # the file is there to fetch
    expired: bool
    failed: bool
    expires_at: datetime | None


def keep_for() -> timedelta:
    return timedelta(seconds=int(settings.GONGKAI_EXPORTS_KEEP_SECONDS))


def export_for(*, user: User, pk: int, now: datetime | None = None) -> ExportState | None:
    """The export `pk` if `user` started it and its kind still allows them (else None: the page
    answers 404, as for anything the user may not see)."""
    found = Task.objects.filter(pk=pk, payload__export=True).first()
    if found is None:
        return None
    payload = found.payload or {}
    if payload.get("user") != user.pk:
        return None
    try:
        spec = kind_of(found.name)
    except LookupError:
        return None
    agency = Agency.objects.filter(pk=int(payload.get("agency") or 0)).first()
    if agency is None or not spec.allowed(user, agency):
        return None
    result = payload.get("result")
    running = result is None and found.status in (TaskStatus.QUEUED, TaskStatus.RUNNING)
    expires_at = found.finished_at + keep_for() if found.finished_at else None
    built = bool(result and result.get("file"))
    expired = bool(result and result.get("expired")) or bool(
        built and expires_at and (now or timezone.now()) >= expires_at
    )
    return ExportState(
        task=found,
        kind=spec,
        agency=agency,
        params=payload.get("params") or {},
        result=result,
        running=running,
        ready=built and not expired,
        expired=expired,
        failed=not running and not built and not expired,
        expires_at=expires_at,
    )


def export_download(*, actor: User, state: ExportState) -> None:
    """Record that `actor` fetched the file (it leaves the system)."""
    require(state.ready)
    audit_record(
        actor=actor,
        verb="export.download",
        obj=state.task,
        agency=state.agency,
        object_repr=state.kind.label(state.params),
        after={"kind": state.kind.name, "file_name": (state.result or {}).get("file_name", "")},
    )


def exports_expire(*, now: datetime | None = None) -> int:
    """Remove the files of exports built longer than GONGKAI_EXPORTS_KEEP_SECONDS ago; the
    task keeps a result saying so. Rerunnable. The number of files removed."""
    cutoff = (now or timezone.now()) - keep_for()
    storage = private_storage()
    removed = 0
    old = Task.objects.filter(
        payload__export=True, status=TaskStatus.DONE, finished_at__lt=cutoff
    ).order_by("id")
    for found in old.iterator():
        result = (found.payload or {}).get("result") or {}
        if not result.get("file"):
            continue
        if storage.exists(result["file"]):
            storage.delete(result["file"])
        _store(found, {"expired": True, "file_name": result.get("file_name", "")})
        removed += 1
    return removed
