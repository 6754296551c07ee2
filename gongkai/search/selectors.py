"""Reads of the search app. `search` only ever returns public items
(catalogue.selectors.public_items()), whatever the index holds."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from gongkai.catalogue.selectors import public_items

from . import dictionary
from .backends import get_backend
from .backends.base import DATE, RELEVANCE, SORTS, Group, Hit, SearchQuery, SearchResults
from .models import SearchDocument, SearchTerm

__all__ = [
    "DATE",
    "RELEVANCE",
    "SORTS",
    "Group",
    "Hit",
    "SearchQuery",
    "SearchResults",
    "index_status",
    "search",
    "search_terms",
]


def search(query: SearchQuery) -> SearchResults:
    return get_backend().search(query)


def search_terms():
    return SearchTerm.objects.select_related("added_by").order_by("word")


@dataclass(frozen=True)
class IndexStatus:
    version: int
    indexed_version: int
    documents: int
    public_items: int
    stale: int  # public items without a current document


def index_status() -> IndexStatus:
    state = dictionary.current()
    stale = (
        public_items()
        .select_related(None)
        .filter(
            Q(search_document__isnull=True) | Q(search_document__dict_version__lt=state.version)
        )
        .count()
    )
    return IndexStatus(
        version=state.version,
        indexed_version=state.indexed_version,
        documents=SearchDocument.objects.count(),
        public_items=public_items().count(),
        stale=stale,
    )
