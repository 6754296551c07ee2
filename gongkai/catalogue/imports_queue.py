"""The confirmed items import as a background task (catalogue.import_items), and the
confirmed publications import (catalogue.import_publications) the same way, through
gongkai.core.imports_queue.
"""

from __future__ import annotations

from collections.abc import Callable

from gongkai.core import imports_queue, staging
from gongkai.core.models import Agency, Task
from gongkai.core.permissions import require

from . import imports, permissions
from .models import Channel

IMPORT_ITEMS_TASK = "catalogue.import_items"
IMPORT_PUBLICATIONS_TASK = "catalogue.import_publications"


def items_import_queue(*, actor, agency: Agency, staged: staging.Staged) -> Task:
    """Queue the import of a staged items file the user confirmed; the task owns the file."""
    require(permissions.can_create_item(actor, agency))
    return imports_queue.import_queue(
        name=IMPORT_ITEMS_TASK,
        actor=actor,
        agency=agency,
        file=staged.name,
        file_name=staged.file_name,
        sha256=staged.sha256,
    )


def publications_import_queue(
    *, actor, agency: Agency, channel: Channel, staged: staging.Staged
) -> Task:
    """Queue the recording of a staged file of a channel's posts the user confirmed."""
    require(permissions.can_record_publication(actor, agency))
    return imports_queue.import_queue(
        name=IMPORT_PUBLICATIONS_TASK,
        actor=actor,
        agency=agency,
        file=staged.name,
        file_name=staged.file_name,
        sha256=staged.sha256,
        extra={"channel": channel.pk},
    )


def items_task_for(*, user, agency: Agency, pk: int) -> Task | None:
    """The items import `pk` if `user` queued it for `agency` (others see nothing)."""
    return imports_queue.import_task_for(user=user, agency=agency, pk=pk, name=IMPORT_ITEMS_TASK)


def publications_task_for(*, user, agency: Agency, channel: Channel, pk: int) -> Task | None:
    """The publications import `pk` if `user` queued it for `channel` of `agency`."""
    found = imports_queue.import_task_for(
        user=user, agency=agency, pk=pk, name=IMPORT_PUBLICATIONS_TASK
    )
    if found is None or (found.payload or {}).get("channel") != channel.pk:
        return None
    return found


def items_import_run(*, payload: dict, progress: Callable[[str], None]) -> None:
    """The task: import the staged items file, all or nothing, once."""

    def write(*, actor, agency, file_name, data, progress) -> dict:
        created = imports.items_import(
            actor=actor, agency=agency, file_name=file_name, data=data, progress=progress
        )
        return {"items": [item.pk for item in created]}

    imports_queue.import_run(
        name=IMPORT_ITEMS_TASK, payload=payload, progress=progress, write=write
    )


def publications_import_run(*, payload: dict, progress: Callable[[str], None]) -> None:
    """The task: record the staged file's posts on the channel, all or nothing, once."""

    def write(*, actor, agency, file_name, data, progress) -> dict:
        channel = Channel.objects.get(pk=payload["channel"], agency=agency)
        recorded = imports.publications_import(
            actor=actor, channel=channel, file_name=file_name, data=data, progress=progress
        )
        return {"publications": [publication.pk for publication in recorded]}

    imports_queue.import_run(
        name=IMPORT_PUBLICATIONS_TASK, payload=payload, progress=progress, write=write
    )
