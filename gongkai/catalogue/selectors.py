"""Scoped reads of the catalogue, and the counts later reports need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from gongkai.core.models import Agency, AuditEvent, Membership
from gongkai.core.selectors import agencies_visible_to
from gongkai.core.workdays import WorkCalendar

from .models import Channel, Column, DraftAttachment, Item, ItemReview, ItemStatus, Publication
from .permissions import REVIEW_ROLES
from .taxonomy import DisclosureMode, Scope

# Audit object types of the catalogue's structure whose changes show on the public site, which
# carry no timestamp of their own: the columns (column pages), and with the channels and the 索引号
# rule what the 指南 shows (the portal's pages and the compliance monitor date them alike).
COLUMN_EVENTS = ("catalogue.column",)
GUIDE_EVENTS = ("catalogue.column", "catalogue.channel", "catalogue.cataloguesettings")

# 第二十六条: "属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时公开。"
PUBLICATION_WORKDAYS = 20


def items_visible_to(user) -> QuerySet[Item]:
    return Item.objects.filter(agency__in=agencies_visible_to(user)).select_related(
        "agency", "column"
    )


def columns_visible_to(user) -> QuerySet[Column]:
    return Column.objects.filter(agency__in=agencies_visible_to(user))


def channels_visible_to(user) -> QuerySet[Channel]:
    return Channel.objects.filter(agency__in=agencies_visible_to(user))


def public_items() -> QuerySet[Item]:
    """What the public may read on the website: published, proactively disclosed, to everyone,
    and not only on other channels."""
    return Item.objects.filter(
        status=ItemStatus.PUBLISHED,
        disclosure_mode=DisclosureMode.PROACTIVE,
        scope=Scope.PUBLIC,
        on_website=True,
    ).select_related("agency", "column")


def column_tree(agency: Agency) -> list[tuple[Column, int]]:
    """The agency's columns depth-first, each with its depth, in one query."""
    columns = list(Column.objects.filter(agency=agency).order_by("position", "id"))
    children: dict[int | None, list[Column]] = {}
    for column in columns:
        children.setdefault(column.parent_id, []).append(column)
    ordered: list[tuple[Column, int]] = []

    def walk(parent_id, depth):
        for column in children.get(parent_id, []):
            ordered.append((column, depth))
            walk(column.pk, depth + 1)

    walk(None, 0)
    return ordered


@dataclass(frozen=True)
class PublicationClock:
    """Where an item stands against the 20-working-day publication limit of 第二十六条.

    While the limit reaches a year whose holiday schedule is missing, `pending_year` is set, `due`
    is a provisional date never later than the legal one and `days_left` a safe count."""

    due: date | None
    days_left: int | None  # negative when overdue
    pending_year: int | None = None

    @property
    def overdue(self) -> bool:
        # Past a provisional date is not known to be past the legal one.
        return self.days_left is not None and self.days_left < 0 and self.pending_year is None


def publication_clock(
    item: Item, *, calendar: WorkCalendar, today: date | None = None
) -> PublicationClock:
    today = today or timezone.localdate()
    due = calendar.due(item.formed_on, PUBLICATION_WORKDAYS)
    end = timezone.localtime(item.published_at).date() if item.published_at else today
    left = calendar.lenient().workdays_between(end, due.on)
    return PublicationClock(due=due.on, days_left=left, pending_year=due.pending_year)


def overdue_items(
    user, *, agency: Agency, calendar: WorkCalendar, today: date | None = None
) -> list[tuple[Item, PublicationClock]]:
    """Proactive items not yet published whose 20 working days have passed."""
    candidates = items_visible_to(user).filter(
        agency=agency,
        disclosure_mode=DisclosureMode.PROACTIVE,
        status__in=[ItemStatus.DRAFT, ItemStatus.PENDING, ItemStatus.APPROVED],
    )
    result = []
    for item in candidates:
        clock = publication_clock(item, calendar=calendar, today=today)
        if clock.overdue:
            result.append((item, clock))
    return result


def distinct_items_published(agency: Agency, start: date, end: date) -> int:
    """Items published on any channel in [start, end]: one item on several channels counts once."""
    return (
        Publication.objects.filter(item__agency=agency, published_on__range=(start, end))
        .values("item_id")
        .distinct()
        .count()
    )


def publications_per_channel_kind(agency: Agency, start: date, end: date) -> dict[str, int]:
    """Distinct items per channel kind in [start, end] (two Weibo accounts carrying one item: 1)."""
    rows = (
        Publication.objects.filter(item__agency=agency, published_on__range=(start, end))
        .values("channel__kind")
        .annotate(n=Count("item_id", distinct=True))
    )
    return {row["channel__kind"]: row["n"] for row in rows}


def review_queue(user, *, agency: Agency | None = None) -> QuerySet[Item]:
    """Pending items `user` may review: at agencies where they hold a review role, and never
    what they submitted or wrote (four eyes)."""
    reviewer_at = Membership.objects.filter(user=user, role__in=REVIEW_ROLES).values("agency_id")
    items = (
        items_visible_to(user)
        .filter(status=ItemStatus.PENDING, agency_id__in=reviewer_at)
        .exclude(Q(submitted_by=user))
        .exclude(content_authors=user)
        .select_related("submitted_by")
        .order_by("updated_at", "id")
    )
    if agency is not None:
        items = items.filter(agency=agency)
    return items


def returned_items(user, *, agency: Agency) -> QuerySet[Item]:
    """Drafts a reviewer sent back (their latest review returned them), waiting for changes."""
    last = ItemReview.objects.filter(item=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        items_visible_to(user)
        .filter(agency=agency, status=ItemStatus.DRAFT)
        .annotate(last_decision=Subquery(last.values("decision")[:1]))
        .filter(last_decision=ItemReview.Decision.REJECT)
    )


# --- staff pages -------------------------------------------------------------------------


# The staff list's sortable columns: the key in ?sort= and the fields it orders by.
ITEM_SORTS = {
    "index": ("index_number",),
    "title": ("title",),
    "column": ("column__name",),
    "status": ("status",),
    "formed": ("formed_on",),
    "published": ("published_at",),
}
DEFAULT_ITEM_SORT = "-formed"


def item_ordering(sort: str) -> list[str]:
    """The ORDER BY of a ?sort= value ("title", "-formed" …; an unknown one gives the default,
    newest first), with the id last so that pages never overlap."""
    key = (sort or "").lstrip("-")
    if key not in ITEM_SORTS:
        sort, key = DEFAULT_ITEM_SORT, DEFAULT_ITEM_SORT.lstrip("-")
    descending = sort.startswith("-")
    fields = [f"-{f}" if descending else f for f in ITEM_SORTS[key]]
    return [*fields, "-id" if descending else "id"]


def agency_items(
    user,
    *,
    agency: Agency,
    column: Column | None = None,
    status: str = "",
    year: int | None = None,
    genre: str = "",
    returned: bool = False,
    q: str = "",
    formed_from: date | None = None,
    formed_to: date | None = None,
    sort: str = "",
) -> QuerySet[Item]:
    """The agency's items for the staff list, newest first unless `sort` says otherwise
    (item_ordering); `column` includes its sub-columns; `returned`: only the drafts returned
    for changes (the desk's count); `q` is looked for in the title and the 索引号."""
    items = (returned_items(user, agency=agency) if returned else items_visible_to(user)).filter(
        agency=agency
    )
    items = items.order_by(*item_ordering(sort))
    if q.strip():
        items = items.filter(Q(title__icontains=q.strip()) | Q(index_number__icontains=q.strip()))
    if formed_from:
        items = items.filter(formed_on__gte=formed_from)
    if formed_to:
        items = items.filter(formed_on__lte=formed_to)
    if column is not None:
        items = items.filter(column_id__in=column_subtree_ids(column))
    if status:
        items = items.filter(status=status)
    if year:
        items = items.filter(formed_on__year=year)
    if genre:
        items = items.filter(genre=genre)
    return items


def column_subtree_ids(column: Column) -> list[int]:
    """The column and every column below it."""
    return [c.pk for c, _depth in subtree(column_tree(column.agency), column)]


def subtree(tree: list[tuple[Column, int]], root: Column) -> list[tuple[Column, int]]:
    # The tree is depth-first: the subtree is the run after `root` deeper than it.
    for index, (column, depth) in enumerate(tree):
        if column.pk == root.pk:
            run = [(column, depth)]
            for child, child_depth in tree[index + 1 :]:
                if child_depth <= depth:
                    break
                run.append((child, child_depth))
            return run
    return []


def item_years(user, *, agency: Agency) -> list[int]:
    """Years of 成文日期 that occur in the agency's catalogue, newest first."""
    return [
        d.year
        for d in items_visible_to(user).filter(agency=agency).dates("formed_on", "year", "DESC")
    ]


def item_counts_by_column(user, *, agency: Agency) -> dict[int, int]:
    """Items per column (the column's own, not its sub-columns')."""
    rows = (
        items_visible_to(user)
        .filter(agency=agency)
        .order_by()
        .values("column_id")
        .annotate(n=Count("id"))
    )
    return {row["column_id"]: row["n"] for row in rows}


def item_timeline(user, item: Item) -> QuerySet[AuditEvent]:
    """The audit events of one item, oldest first, for anyone who may read the item."""
    return (
        AuditEvent.objects.filter(
            agency__in=agencies_visible_to(user),
            object_type=Item._meta.label_lower,
            object_id=str(item.pk),
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def draft_attachments(user, *, agency: Agency, token: str) -> QuerySet[DraftAttachment]:
    """The files `user` uploaded on one item form (its token) before saving it: their own
    only, at an agency they can see."""
    return DraftAttachment.objects.filter(
        agency=agency, agency__in=agencies_visible_to(user), user=user, token=token
    )


class ItemsState(NamedTuple):
    n: int  # items that are or were public
    at: datetime | None  # their last change
    published: int  # of them, the ones public now: what a list page counts


def items_state(*, agency: Agency | None = None, column_ids: list[int] | None = None) -> ItemsState:
    """Counts and last change of the items that are or were public, of one agency or a column
    subtree (all agencies without either).

    A published item changes only by being withdrawn: publishing one adds to both counts,
    withdrawing one takes it from `published`, whatever the clock said when it was saved. The
    last change alone misses a change whose clock is not ahead of the newest one's (clock skew
    between servers, a clock set back, frozen time): core.selectors.current_work_calendar
    counts its days for the same reason."""
    items = Item.objects.filter(
        status__in=[ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN],
        disclosure_mode=DisclosureMode.PROACTIVE,
        scope=Scope.PUBLIC,
        on_website=True,
    )
    if agency is not None:
        items = items.filter(agency=agency)
    if column_ids is not None:
        items = items.filter(column_id__in=column_ids)
    row = items.order_by().aggregate(
        n=Count("id"),
        at=Max("updated_at"),
        published=Count("id", filter=Q(status=ItemStatus.PUBLISHED)),
    )
    return ItemsState(row["n"], row["at"], row["published"])
