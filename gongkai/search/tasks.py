"""Background tasks of the full-text search (gongkai.core.tasks)."""

from gongkai.core.tasks import task


@task("search.reindex_stale")  # formerly core.search_reindex_stale (core.tasks.ALIASES)
def reindex_stale(payload: dict, progress) -> None:
    """Re-segment the documents the dictionary or an edit made stale (`search reindex --stale`)."""
    from . import indexing

    def advance(done: int, total: int) -> None:
        progress(f"{done} of {total}")

    indexing.reindex(stale_only=True, progress=advance)
