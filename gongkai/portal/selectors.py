"""Public reads for the portal.

Everything a visitor reads comes from `catalogue.selectors.public_items()` (published, 主动公开,
面向社会); the only other item read is the title and date of a withdrawn item, for its 410
notice. Agencies are the active ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, ExtractYear, RowNumber

from gongkai.catalogue.models import (
    DEFAULT_INDEX_PATTERN,
    Attachment,
    CatalogueSettings,
    Channel,
    Column,
    Item,
    ItemStatus,
)
from gongkai.catalogue.selectors import (  # noqa: F401 (the portal's views read them here)
    COLUMN_EVENTS,
    GUIDE_EVENTS,
    ItemsState,
    column_tree,
    items_state,
    public_items,
    subtree,
)
from gongkai.catalogue.taxonomy import TOPICS, DisclosureMode, Genre, Scope
from gongkai.core.models import Agency, AuditEvent
from gongkai.core.sites import (  # noqa: F401 (the portal's modules read them here)
    OPTIONAL_SECTIONS,
    REPORT_ERROR_URL_NAME,
    Site,
    changes,
    default_site_name,
    optional_url,
    platform_site,
    public_agencies,
    settings_of,
    site_for,
)
from gongkai.core.statements import Statement

from .models import PageGeneration, PortalSettings

PAGE_SIZE = 20


# --- agencies and their sites (core.sites, which the apps' public pages read too) ----------


def portal_agencies() -> QuerySet[Agency]:
    """Agencies with a public portal: the active ones, with their portal settings joined."""
    return public_agencies()


_PORTAL_AGENCY = Statement(
    Agency, lambda slug: portal_agencies().filter(slug=slug), ("slug",), text=("slug",)
)


def portal_agency(slug: str) -> Agency | None:
    """The agency of `slug` with its portal settings, as `portal_agencies()` reads it, in a
    statement built once per process (building it cost more than running it)."""
    return _PORTAL_AGENCY.first(slug=slug)


@dataclass(frozen=True)
class AgencyEntry:
    agency: Agency
    site: Site
    last_published: datetime | None


def platform_listing() -> list[AgencyEntry]:
    """Every active agency in tree order, with its site name and latest publication (2 queries)."""
    latest = dict(
        public_items()
        .order_by()
        .values("agency_id")
        .annotate(last=Max("published_at"))
        .values_list("agency_id", "last")
    )
    return [
        AgencyEntry(agency, site_for(agency), latest.get(agency.pk))
        for agency in portal_agencies().order_by("path")
    ]


# --- columns -----------------------------------------------------------------------------


def portal_columns(agency: Agency) -> list[tuple[Column, int]]:
    """The agency's active columns depth-first with their depth; a deactivated column hides
    its sub-columns too (one query)."""
    visible: list[tuple[Column, int]] = []
    hidden_depth: int | None = None
    for column, depth in column_tree(agency):
        if hidden_depth is not None and depth > hidden_depth:
            continue
        hidden_depth = None
        if not column.is_active:
            hidden_depth = depth
            continue
        visible.append((column, depth))
    return visible


# The visible column trees this process built, by agency and the last audit event about its
# columns (every change to a column records one, in its transaction: `changes`); bounded.
TREES_KEPT = 256
_trees: dict[tuple, list[tuple[Column, int]]] = {}


def kept_portal_columns(
    agency: Agency, column_changes: tuple[int | None, datetime | None]
) -> list[tuple[Column, int]]:
    """`portal_columns(agency)`, built once per state of the agency's columns, which the
    pages' validators read anyway (`changes(agency, COLUMN_EVENTS)`): a page's first render
    then reads no column. Shared between requests: callers never change the list or its
    columns. Another process's change to a column is a new audit event, so a new key; this
    process forgets every tree at once when a column or an agency is saved (signals.py)."""
    key = (agency.pk, agency.updated_at, column_changes)
    tree = _trees.get(key)
    if tree is None:
        tree = portal_columns(agency)
        if len(_trees) >= TREES_KEPT:
            _trees.pop(next(iter(_trees)), None)  # the oldest
        _trees[key] = tree
    return tree


def forget_column_trees(*_args, **_kwargs) -> None:
    _trees.clear()


def subtree_ids(tree: list[tuple[Column, int]], column: Column) -> list[int]:
    """`column` and the columns below it, from a depth-first tree."""
    return [node.pk for node, _depth in subtree(tree, column)]


def column_path(tree: list[tuple[Column, int]], column_id: int) -> list[Column]:
    """The visible columns from the root down to `column_id` (empty if it is not visible)."""
    by_id = {column.pk: column for column, _depth in tree}
    path: list[Column] = []
    current = by_id.get(column_id)
    while current is not None:
        path.append(current)
        current = by_id.get(current.parent_id) if current.parent_id else None
    return list(reversed(path))


# --- items -------------------------------------------------------------------------------


def agency_items(agency: Agency) -> QuerySet[Item]:
    """The agency's public items, newest publication first."""
    return public_items().filter(agency=agency).order_by("-published_at", "-id")


def latest_items(agency: Agency, limit: int = 10) -> list[Item]:
    return list(agency_items(agency)[:limit])


def recent_by_column(agency: Agency, column_ids: list[int], per_column: int = 5):
    """The newest `per_column` public items of each column (its own items), in one query."""
    rows = (
        agency_items(agency)
        .filter(column_id__in=column_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("column_id")],
                order_by=[F("published_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=per_column)
    )
    grouped: dict[int, list[Item]] = {}
    for item in rows:
        grouped.setdefault(item.column_id, []).append(item)
    return grouped


def _one_value(rows: QuerySet, key: str, aggregate) -> Subquery:
    # An aggregate over the rows of one group as a scalar subquery (NULL when there are none).
    return Subquery(rows.order_by().values(key).annotate(v=aggregate).values("v")[:1])


def _portal_item_query(agency_id: int, pk: int) -> QuerySet[Item]:
    attachments = Attachment.objects.filter(item=OuterRef("pk"))
    events = AuditEvent.objects.filter(agency_id=agency_id, object_type__in=COLUMN_EVENTS)
    return (
        public_items()
        .select_related(None)
        .filter(agency_id=agency_id, pk=pk)
        .annotate(
            attachment_count=Coalesce(_one_value(attachments, "item", Count("id")), 0),
            attachment_last=_one_value(attachments, "item", Max("id")),
            attachment_changed=_one_value(attachments, "item", Max("uploaded_at")),
            column_event_last=_one_value(events, "agency", Max("id")),
            column_event_at=_one_value(events, "agency", Max("created_at")),
        )
    )


_PORTAL_ITEM = Statement(Item, _portal_item_query, ("agency_id", "pk"))


def portal_item(agency: Agency, pk: int) -> Item | None:
    """A public item of the agency, with everything its page's validator needs in the same
    statement: its attachments' count, last id and upload, and the last audit event about the
    agency's columns (`changes(agency, COLUMN_EVENTS)`: `column_event_last`, `_at`).

    Scalar subqueries rather than a join grouped by every column of the item, and no join of
    the agency or the column: the caller has the agency, and the page takes the column from
    the column tree. A page's first render costs one statement fewer and a narrower one.

    The statement is built once per process (`Statement`) and run with the agency's and the
    item's ids as parameters: building it was half of its cost."""
    item = _PORTAL_ITEM.first(agency_id=agency.pk, pk=pk)
    if item is not None:
        item.agency = agency  # the same row, read already: no second read when it is used
    return item


def _withdrawn() -> QuerySet[Item]:
    # Withdrawn items that were public while published: their URL answers 410, not 404.
    return Item.objects.filter(
        status=ItemStatus.WITHDRAWN,
        disclosure_mode=DisclosureMode.PROACTIVE,
        scope=Scope.PUBLIC,
        on_website=True,
        published_at__isnull=False,
    )


def withdrawn_item(agency: Agency, pk: int) -> Item | None:
    """Only for the notice: the view shows the title and the withdrawal date, never the body."""
    return _withdrawn().filter(agency=agency, pk=pk).only("pk", "title", "updated_at").first()


def withdrawal_date(item: Item) -> datetime:
    """When the item was withdrawn, from its audit trail (its last change, failing that)."""
    event = (
        AuditEvent.objects.filter(
            object_type=Item._meta.label_lower, object_id=str(item.pk), verb="item.withdraw"
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return event or item.updated_at


def item_pk_by_index(agency: Agency, index_number: str) -> int | None:
    """The item a 索引号 names, if it is public or was withdrawn after being public."""
    if not index_number:
        return None
    for items in (public_items(), _withdrawn()):
        pk = items.filter(agency=agency, index_number=index_number).values_list("pk", flat=True)
        found = pk.first()
        if found is not None:
            return found
    return None


# --- the catalogue browse and its facets -------------------------------------------------


@dataclass(frozen=True)
class Filters:
    column: Column | None = None
    column_ids: tuple[int, ...] = ()
    topic: str = ""
    genre: str = ""
    year: int | None = None

    def query(self, **updates) -> dict[str, str]:
        """The query parameters of these filters with `updates` applied ("" or None removes)."""
        values = {
            "column": str(self.column.pk) if self.column else None,
            "topic": self.topic or None,
            "genre": self.genre or None,
            "year": str(self.year) if self.year else None,
        }
        values.update({k: (str(v) if v not in (None, "") else None) for k, v in updates.items()})
        return {k: v for k, v in values.items() if v}


def _filtered(items: QuerySet[Item], filters: Filters, skip: str = "") -> QuerySet[Item]:
    if filters.column_ids and skip != "column":
        items = items.filter(column_id__in=filters.column_ids)
    if filters.topic and skip != "topic":
        items = items.filter(topic=filters.topic)
    if filters.genre and skip != "genre":
        items = items.filter(genre=filters.genre)
    if filters.year and skip != "year":
        items = items.filter(published_at__year=filters.year)
    return items


def browse(agency: Agency, filters: Filters) -> QuerySet[Item]:
    return _filtered(agency_items(agency), filters)


@dataclass
class Facets:
    columns: list[tuple[Column, int, int]] = field(default_factory=list)  # column, depth, count
    topics: list[tuple[str, int]] = field(default_factory=list)
    genres: list[tuple[str, str, int]] = field(default_factory=list)  # value, label, count
    years: list[tuple[int, int]] = field(default_factory=list)


def facets(agency: Agency, tree: list[tuple[Column, int]], filters: Filters) -> Facets:
    """Counts per column (with its sub-columns), 主题分类, 体裁 and year of publication, each
    under the other active filters (4 queries)."""
    base = public_items().filter(agency=agency).order_by()

    def counts(skip: str, key) -> dict:
        rows = _filtered(base, filters, skip).values(key).annotate(n=Count("id"))
        return {row[key]: row["n"] for row in rows}

    own = counts("column", "column_id")
    # One pass from the leaves up: each column adds its subtree's total to its parent's. The
    # tree holds only visible columns, and a hidden column hides its children, so every
    # parent of a column in the tree is in the tree too.
    totals: dict[int, int] = {}
    for column, _depth in reversed(tree):
        totals[column.pk] = totals.get(column.pk, 0) + own.get(column.pk, 0)
        if column.parent_id is not None:
            totals[column.parent_id] = totals.get(column.parent_id, 0) + totals[column.pk]
    column_counts = [(column, depth, totals[column.pk]) for column, depth in tree]
    topics = counts("topic", "topic")
    genres = counts("genre", "genre")
    years_rows = (
        _filtered(base, filters, "year")
        .annotate(y=ExtractYear("published_at"))
        .values("y")
        .annotate(n=Count("id"))
    )
    years = {row["y"]: row["n"] for row in years_rows}
    return Facets(
        columns=column_counts,
        topics=[(t, topics[t]) for t in TOPICS if topics.get(t) or t == filters.topic],
        genres=[
            (value, label, genres.get(value, 0))
            for value, label in Genre.choices
            if genres.get(value) or value == filters.genre
        ],
        years=sorted(years.items(), reverse=True),
    )


# --- the guide (第十二条) ------------------------------------------------------------------


@dataclass(frozen=True)
class Guide:
    columns: list[tuple[Column, int]]
    channels: list[Channel]
    index_pattern: str
    updated_at: datetime


def guide(
    agency: Agency,
    settings: PortalSettings,
    tree: list[tuple[Column, int]],
    structure_changed: datetime | None,
) -> Guide:
    """What the 政府信息公开指南 shows, and when any of it last changed (2 queries).

    `structure_changed` is `changes(agency, GUIDE_EVENTS)[1]`, which the page's validator has
    read already."""
    channels = list(Channel.objects.filter(agency=agency, is_active=True).order_by("kind", "name"))
    pattern = (
        CatalogueSettings.objects.filter(agency=agency)
        .values_list("index_pattern", flat=True)
        .first()
    ) or DEFAULT_INDEX_PATTERN
    stamps = [agency.updated_at, settings.updated_at, structure_changed]
    return Guide(
        columns=tree,
        channels=channels,
        index_pattern=pattern,
        updated_at=max(s for s in stamps if s is not None),
    )


# --- what the validators of the caching layer read ---------------------------------------


# How long a process goes on using an agency's page-cache state before reading it again.
PAGE_STATE_SECONDS = 1.0
_page_states: dict[str, tuple[float, tuple]] = {}


def _page_state_sql() -> str:
    q = connection.ops.quote_name
    agency, settings = Agency._meta, PortalSettings._meta
    generation = PageGeneration._meta
    # Table and column names come from the models; the values are parameters.
    return (
        f"SELECT a.{q('id')}, a.{q('updated_at')}, s.{q('id')}, s.{q('updated_at')}, "  # noqa: S608
        f"g.{q('token')} FROM {q(agency.db_table)} a "
        f"LEFT JOIN {q(settings.db_table)} s ON s.{q('agency_id')} = a.{q('id')} "
        f"LEFT JOIN {q(generation.db_table)} g ON g.{q('agency_id')} = a.{q('id')} "
        f"WHERE a.{q('slug')} = %s AND a.{q('is_active')} = %s"
    )


def page_cache_state(slug: str) -> tuple | None:
    """What an agency's stored pages are keyed with: its id and `updated_at`, its portal
    settings' and its `PageGeneration` token; None for an unknown or inactive agency.

    The same row as `portal_agencies()` selects, read without the ORM (building the query
    would cost several times what the database takes to answer it) and remembered by the
    process for `PAGE_STATE_SECONDS`: a page served from the cache then costs no query at all
    most of the time. So a change reaches the stored pages up to a second late in the other
    processes (the process that made it forgets at once, see signals.py), which is nothing
    next to the minute (caching.MAX_AGE) that browsers and proxies may keep a page anyway.
    The values are only compared, never shown: raw ones (datetimes as the driver gives them)
    serve as well as converted ones.
    """
    now = time.monotonic()
    known = _page_states.get(slug)
    if known is not None and now - known[0] < PAGE_STATE_SECONDS:
        return known[1]
    with connection.cursor() as cursor:
        cursor.execute(_page_state_sql(), [slug, True])
        state = cursor.fetchone()
    if state is not None:  # made-up slugs are not remembered: they would fill the memory
        _page_states[slug] = (now, state)
    return state


def forget_page_cache_states() -> None:
    """Read the states again on the next request (a change was just committed)."""
    _page_states.clear()
    _trees.clear()


def platform_state() -> tuple:
    """What the platform home shows: agencies, their settings, their latest publications."""
    agencies = Agency.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    settings = PortalSettings.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    items = items_state()
    return (
        (
            agencies["n"],
            agencies["at"],
            settings["n"],
            settings["at"],
            items.n,
            items.published,
            items.at,
        ),
        [agencies["at"], settings["at"], items.at],
    )
