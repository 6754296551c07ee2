"""The confirmed post counts import as a background task (operations.import_posts).

Upload → preview → confirm, as the catalogue's and the matters' imports: the upload is checked
by `imports.post_counts_preview` (nothing written) and, when every row is good, staged by
`gongkai.core.staging` (kind STAGING) for this user and agency. The confirmation hands the file
to a task, which runs `imports.post_counts_import` through
`gongkai.core.imports_queue.import_run`: all rows or none, the result stored in the task's
payload in the same transaction, so a rerun of a finished import does nothing and a crashed one
(rolled back) writes the same rows again.
"""

from __future__ import annotations

from collections.abc import Callable

from gongkai.core import imports_queue, staging
from gongkai.core.models import Agency, Task
from gongkai.core.permissions import require

from . import imports, permissions

IMPORT_POSTS_TASK = "operations.import_posts"
# the kind of staged file (gongkai.core.staging) of this import
STAGING = "operations.posts"


def post_counts_import_queue(*, actor, agency: Agency, staged: staging.Staged) -> Task:
    """Queue the import of a staged post counts file the user confirmed."""
    require(permissions.can_manage_operations(actor, agency))
    return imports_queue.import_queue(
        name=IMPORT_POSTS_TASK,
        actor=actor,
        agency=agency,
        file=staged.name,
        file_name=staged.file_name,
        sha256=staged.sha256,
    )


def post_counts_task_for(*, user, agency: Agency, pk: int) -> Task | None:
    """The post counts import `pk` if `user` queued it for `agency` (others see nothing)."""
    return imports_queue.import_task_for(user=user, agency=agency, pk=pk, name=IMPORT_POSTS_TASK)


def post_counts_import_run(*, payload: dict, progress: Callable[[str], None]) -> None:
    """The task: record the staged file's post counts, all or nothing, once."""

    def write(*, actor, agency, file_name, data, progress) -> dict:
        records = imports.post_counts_import(
            actor=actor, agency=agency, file_name=file_name, data=data, progress=progress
        )
        return {"post_counts": [record.pk for record in records]}

    imports_queue.import_run(
        name=IMPORT_POSTS_TASK, payload=payload, progress=progress, write=write
    )
