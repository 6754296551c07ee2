"""The confirmed post counts import as a background task (operations.import_posts).

Upload → preview → confirm, as the catalogue's and the matters' imports: the upload is checked
by `imports.post_counts_preview` (nothing written) and, when every row is good, kept in the
private storage where the catalogue's staged imports wait (swept by its `purge_stale`); the
session remembers it for this user and agency. The confirmation hands the file to a task, which
runs `imports.post_counts_import` through `gongkai.catalogue.imports_queue.import_run`: all rows
or none, the result stored in the task's payload in the same transaction, so a rerun of a
finished import does nothing and a crashed one (rolled back) writes the same rows again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from uuid import uuid4

from django.core.files.base import ContentFile

from gongkai.catalogue import imports_queue as catalogue_queue
from gongkai.catalogue import staging as catalogue_staging
from gongkai.core.models import Agency, Task
from gongkai.core.permissions import require
from gongkai.core.storage import private_storage

from . import imports, permissions

IMPORT_POSTS_TASK = "operations.import_posts"
STAGED_KEY = "operations.import.posts"
_STAGED_NAME = re.compile(r"imports/[0-9a-f]{32}")


@dataclass(frozen=True)
class StagedPosts:
    name: str  # in the private storage
    file_name: str  # as the user uploaded it
    sha256: str


def posts_stage(request, *, agency: Agency, file_name: str, data: bytes) -> StagedPosts:
    """Keep a previewed file for the confirmation, replacing any staged before."""
    posts_discard(request)
    catalogue_staging.purge_stale()
    name = private_storage().save(f"{catalogue_staging.PREFIX}{uuid4().hex}", ContentFile(data))
    staged = StagedPosts(name=name, file_name=file_name, sha256=catalogue_staging.sha256(data))
    request.session[STAGED_KEY] = {
        "name": staged.name,
        "file_name": staged.file_name,
        "sha256": staged.sha256,
        "agency": agency.pk,
        "user": request.user.pk,
    }
    return staged


def posts_discard(request) -> None:
    """Forget the staged file and delete its bytes."""
    record = request.session.pop(STAGED_KEY, None)
    name = record.get("name") if isinstance(record, dict) else None
    if isinstance(name, str) and _STAGED_NAME.fullmatch(name):
        private_storage().delete(name)


def posts_staged(request, *, agency: Agency, confirmed: str) -> StagedPosts | None:
    """The staged file whose preview the user confirmed (its SHA-256), checked against the
    session's user and agency and against the stored bytes; None when it must be uploaded
    again. A mismatched hash alone keeps the file: a newer upload in another tab is staged."""
    record = request.session.get(STAGED_KEY)
    if not isinstance(record, dict) or record.get("sha256") != confirmed:
        return None
    name = record.get("name")
    if not (
        isinstance(name, str)
        and _STAGED_NAME.fullmatch(name)
        and record.get("agency") == agency.pk
        and record.get("user") == request.user.pk
    ):
        posts_discard(request)
        return None
    try:
        with private_storage().open(name, "rb") as handle:
            data = handle.read()
    except OSError:
        posts_discard(request)
        return None
    if catalogue_staging.sha256(data) != confirmed:
        posts_discard(request)
        return None
    return StagedPosts(name=name, file_name=str(record.get("file_name", "")), sha256=confirmed)


def posts_hand_over(request) -> None:
    """The task owns the file now: the session forgets it (so it is confirmed once only) but
    the bytes stay for the task, which deletes them when it is done."""
    request.session.pop(STAGED_KEY, None)


def post_counts_import_queue(*, actor, agency: Agency, staged: StagedPosts) -> Task:
    """Queue the import of a staged post counts file the user confirmed."""
    require(permissions.can_manage_operations(actor, agency))
    return catalogue_queue.import_queue(
        name=IMPORT_POSTS_TASK,
        actor=actor,
        agency=agency,
        file=staged.name,
        file_name=staged.file_name,
        sha256=staged.sha256,
    )


def post_counts_task_for(*, user, agency: Agency, pk: int) -> Task | None:
    """The post counts import `pk` if `user` queued it for `agency` (others see nothing)."""
    return catalogue_queue.import_task_for(user=user, agency=agency, pk=pk, name=IMPORT_POSTS_TASK)


def post_counts_import_run(*, payload: dict, progress: Callable[[str], None]) -> None:
    """The task: record the staged file's post counts, all or nothing, once."""

    def write(*, actor, agency, file_name, data, progress) -> dict:
        records = imports.post_counts_import(
            actor=actor, agency=agency, file_name=file_name, data=data, progress=progress
        )
        return {"post_counts": [record.pk for record in records]}

    catalogue_queue.import_run(
        name=IMPORT_POSTS_TASK, payload=payload, progress=progress, write=write
    )
