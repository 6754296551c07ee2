"""Background tasks of the matters (gongkai.core.tasks)."""

from gongkai.core.tasks import task

IMPORT_TASK = "matters.import_matters"


@task(IMPORT_TASK)
def import_matters(payload: dict, progress) -> None:
    """Import a confirmed matters file, all or nothing; a rerun of a finished import does
    nothing (see gongkai.core.imports_queue)."""
    from gongkai.core import imports_queue

    from . import imports

    def write(*, actor, agency, file_name, data, progress) -> dict:
        created, updated = imports.matters_import(
            actor=actor, agency=agency, file_name=file_name, data=data, progress=progress
        )
        return {"created": [m.pk for m in created], "updated": [m.pk for m in updated]}

    imports_queue.import_run(name=IMPORT_TASK, payload=payload, progress=progress, write=write)
