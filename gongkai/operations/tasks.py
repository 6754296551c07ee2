"""Background tasks of the operations records (gongkai.core.tasks)."""

from gongkai.core.tasks import task


@task("operations.import_posts")
def import_posts(payload: dict, progress) -> None:
    """Record a confirmed post counts file, all or nothing; a rerun of a finished import does
    nothing (see imports_queue)."""
    from . import imports_queue

    imports_queue.post_counts_import_run(payload=payload, progress=progress)
