"""What of an item goes into the index, as rows of `search_searchdocument`.

Title stream (weight A): the title and the document number (文号). Body stream (weight B): the
summary, the body as plain text and the extracted text of the attachments, together capped at
GONGKAI_SEARCH_MAX_CHARS characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from gongkai.catalogue import richtext
from gongkai.catalogue.models import Attachment, Item, ItemStatus
from gongkai.catalogue.taxonomy import DisclosureMode, Scope

from .models import SearchDocument
from .segment import Segmenter, get_segmenter

# The columns of a row, in order (COPY and bulk writes use the same order).
COLUMNS = [
    "item_id",
    "agency_id",
    "column_id",
    "genre",
    "year",
    "published_at",
    "title_seg",
    "body_seg",
    "dict_version",
    "indexed_at",
]
TABLE = SearchDocument._meta.db_table


def max_chars() -> int:
    return settings.GONGKAI_SEARCH_MAX_CHARS


def is_public(item: Item) -> bool:
    """The test of catalogue.selectors.public_items(), on one loaded item."""
    return (
        item.status == ItemStatus.PUBLISHED
        and item.disclosure_mode == DisclosureMode.PROACTIVE
        and item.scope == Scope.PUBLIC
        and item.on_website
    )


@dataclass(frozen=True)
class DocumentSource:
    """The text and filters of one public item, before segmentation."""

    item_id: int
    agency_id: int
    column_id: int
    genre: str
    published_at: datetime
    title: str
    text: str


@dataclass(frozen=True)
class DocumentRow:
    item_id: int
    agency_id: int
    column_id: int
    genre: str
    year: int
    published_at: datetime
    title_seg: str
    body_seg: str
    dict_version: int
    indexed_at: datetime

    def values(self) -> list:
        return [getattr(self, name) for name in COLUMNS]


def item_plain_text(item: Item, attachment_texts: Iterable[str] = ()) -> str:
    parts = [item.summary, richtext.to_text(item.body), *attachment_texts]
    return "\n".join(part for part in parts if part)


def attachment_texts(item_ids: Iterable[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {}
    rows = (
        Attachment.objects.filter(item_id__in=list(item_ids))
        .exclude(text="")
        .order_by("item_id", "id")
        .values_list("item_id", "text")
    )
    for item_id, text in rows:
        texts.setdefault(item_id, []).append(text)
    return texts


def source_for_item(item: Item, attachments: Iterable[str] = ()) -> DocumentSource:
    limit = max_chars()
    title = " ".join(part for part in (item.title, item.document_number) if part)
    return DocumentSource(
        item_id=item.pk,
        agency_id=item.agency_id,
        column_id=item.column_id,
        genre=item.genre,
        published_at=item.published_at or item.created_at or timezone.now(),
        title=title[:limit],
        text=item_plain_text(item, attachments)[:limit],
    )


def publication_year(moment: datetime) -> int:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).year


def build_row(
    source: DocumentSource,
    *,
    dict_version: int,
    segmenter: Segmenter | None = None,
    now: datetime | None = None,
) -> DocumentRow:
    segmenter = segmenter or get_segmenter()
    return row_from_segments(
        source,
        title_seg=segmenter.segment_for_index(source.title),
        body_seg=segmenter.segment_for_index(source.text),
        dict_version=dict_version,
        now=now,
    )


def row_from_segments(
    source: DocumentSource,
    *,
    title_seg: str,
    body_seg: str,
    dict_version: int,
    now: datetime | None = None,
) -> DocumentRow:
    return DocumentRow(
        item_id=source.item_id,
        agency_id=source.agency_id,
        column_id=source.column_id,
        genre=source.genre,
        year=publication_year(source.published_at),
        published_at=source.published_at,
        title_seg=title_seg,
        body_seg=body_seg,
        dict_version=dict_version,
        indexed_at=now or timezone.now(),
    )
