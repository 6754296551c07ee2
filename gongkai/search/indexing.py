"""Keeping the index in step with the catalogue.

catalogue.services calls `index_item` when an item is published and `remove_item` when it is
withdrawn, inside the same transaction: the document appears and disappears with the commit,
and a rollback undoes both (nothing to lose, nothing to retry). `reindex` repairs everything
else (a changed dictionary, items loaded without the services, documents of items no longer
public) and is safe to interrupt and rerun.
"""

from __future__ import annotations

from gongkai.catalogue.models import Item

from .backends import get_backend
from .backends.base import Progress, ReindexReport


def index_item(item: Item) -> bool:
    """Index a public item (or drop the document of one that is not). True if indexed."""
    return get_backend().index_item(item)


def remove_item(item_id: int) -> None:
    get_backend().remove_item(item_id)


def reindex(
    *, stale_only: bool = False, batch_size: int = 500, progress: Progress | None = None
) -> ReindexReport:
    return get_backend().reindex(stale_only=stale_only, batch_size=batch_size, progress=progress)
