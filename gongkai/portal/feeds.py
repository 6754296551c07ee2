"""RSS 2.0 and Atom feeds of the public catalogue: per agency, and per column with its sub-columns.

A feed carries the latest public items (published, 主动公开, 面向社会) by publication time; an
item that is withdrawn or made non-public drops out on the next request. Each entry links to
the item's stable portal URL, which is also its unique id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from gongkai.catalogue import richtext
from gongkai.catalogue.models import Column, Item
from gongkai.catalogue.selectors import public_items
from gongkai.core.models import Agency

from .selectors import portal_columns, subtree_ids

FEED_SIZE = 50
EXCERPT_CHARS = 200
# Only the head of a body is read for the excerpt: plenty of text for 200 characters, without
# loading 50 whole documents (tables can run to megabytes) on every poll of a feed reader.
BODY_HEAD_CHARS = 4000
_OPEN_TAG_AT_END = re.compile(r"<[^>]*$")


# --- URLs ----------------------------------------------------------------------------------


def item_url(agency_slug: str, pk: int) -> str:
    """The stable public URL of an item (the same for the feeds, the sitemap and the pages)."""
    return reverse("portal:item", kwargs={"agency": agency_slug, "pk": pk})


@dataclass(frozen=True)
class FeedLinks:
    rss: str
    atom: str
    title: str


def feed_links(agency: Agency, column: Column | None = None) -> FeedLinks:
    """The feed URLs of an agency, or of one of its columns, with the feeds' title."""
    if column is None:
        kwargs = {"agency": agency.slug}
        rss, atom = "portal:agency-feed-rss", "portal:agency-feed-atom"
    else:
        kwargs = {"agency": agency.slug, "column": column.pk}
        rss, atom = "portal:column-feed-rss", "portal:column-feed-atom"
    return FeedLinks(
        rss=reverse(rss, kwargs=kwargs),
        atom=reverse(atom, kwargs=kwargs),
        title=feed_title(agency, column),
    )


def feed_title(agency: Agency, column: Column | None = None) -> str:
    part = column.name if column is not None else _("Government information disclosure")
    return f"{agency.name} · {part}"


# --- items ---------------------------------------------------------------------------------


def latest_public_items(items: QuerySet[Item]) -> list[Item]:
    """The newest FEED_SIZE of `items` (already narrowed to public ones), with only the fields
    an entry needs: one query."""
    return list(
        items.select_related(None)
        .select_related("agency", "column")
        .annotate(body_head=Substr("body", 1, BODY_HEAD_CHARS))
        .only(
            "pk",
            "title",
            "summary",
            "genre",
            "published_at",
            "updated_at",
            "agency__slug",
            "column__name",
        )
        .order_by("-published_at", "-pk")[:FEED_SIZE]
    )


def excerpt(item: Item) -> str:
    """内容概述, or else the beginning of the body as plain text."""
    summary = (item.summary or "").strip()
    if summary:
        return summary
    head = getattr(item, "body_head", None)
    if head is None:
        head = item.body[:BODY_HEAD_CHARS]
    text = " ".join(richtext.to_text(_OPEN_TAG_AT_END.sub("", head)).splitlines())
    return Truncator(text).chars(EXCERPT_CHARS, truncate="…")


# --- feeds ---------------------------------------------------------------------------------


class _ItemFeed(Feed):
    """What every feed shares: the entries. Subclasses say what the feed object is."""

    # The entries are Chinese government documents whatever the reader's interface language.
    language = "zh-CN"

    def items(self, obj) -> list[Item]:
        return latest_public_items(self.public_items(obj))

    def public_items(self, obj) -> QuerySet[Item]:
        raise NotImplementedError

    def author_name(self, obj) -> str:
        return obj.agency.name

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        # RSS <description> and Atom <summary type="html"> are HTML: the text is escaped once.
        return escape(excerpt(item))

    def item_link(self, item: Item) -> str:
        return item_url(item.agency.slug, item.pk)

    def item_guid_is_permalink(self, item: Item) -> bool:
        return True  # the guid defaults to the link, which is the item's stable URL

    def item_pubdate(self, item: Item):
        return item.published_at

    def item_updateddate(self, item: Item):
        return item.updated_at

    def item_categories(self, item: Item) -> list[str]:
        return [item.column.name, item.get_genre_display()]


@dataclass(frozen=True)
class AgencyFeedObject:
    agency: Agency


@dataclass(frozen=True)
class ColumnFeedObject:
    agency: Agency
    column: Column
    column_ids: tuple[int, ...]  # the column and its visible sub-columns


class AgencyRssFeed(_ItemFeed):
    def get_object(self, request, agency: str) -> AgencyFeedObject:
        return AgencyFeedObject(agency=get_object_or_404(Agency.objects.active(), slug=agency))

    def public_items(self, obj: AgencyFeedObject) -> QuerySet[Item]:
        return public_items().filter(agency=obj.agency)

    def title(self, obj: AgencyFeedObject) -> str:
        return feed_title(obj.agency)

    def link(self, obj: AgencyFeedObject) -> str:
        return reverse("portal:agency-home", kwargs={"agency": obj.agency.slug})

    def description(self, obj: AgencyFeedObject) -> str:
        return _("Government information proactively disclosed by %(agency)s.") % {
            "agency": obj.agency.name
        }

    def feed_url(self, obj: AgencyFeedObject) -> str:
        return reverse("portal:agency-feed-rss", kwargs={"agency": obj.agency.slug})


class AgencyAtomFeed(AgencyRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: AgencyFeedObject) -> str:
        return self.description(obj)

    def feed_url(self, obj: AgencyFeedObject) -> str:
        return reverse("portal:agency-feed-atom", kwargs={"agency": obj.agency.slug})


class ColumnRssFeed(_ItemFeed):
    def get_object(self, request, agency: str, column: int) -> ColumnFeedObject:
        found = get_object_or_404(Agency.objects.active(), slug=agency)
        # The columns the portal shows: a deactivated column hides its sub-columns too. A column
        # of another agency under this slug is not in the tree, like an unknown one.
        tree = portal_columns(found)
        for node, _depth in tree:
            if node.pk == column:
                return ColumnFeedObject(
                    agency=found, column=node, column_ids=tuple(subtree_ids(tree, node))
                )
        raise Http404("No such column.")

    def public_items(self, obj: ColumnFeedObject) -> QuerySet[Item]:
        return public_items().filter(agency=obj.agency, column_id__in=obj.column_ids)

    def title(self, obj: ColumnFeedObject) -> str:
        return feed_title(obj.agency, obj.column)

    def link(self, obj: ColumnFeedObject) -> str:
        return reverse("portal:column", kwargs={"agency": obj.agency.slug, "column": obj.column.pk})

    def description(self, obj: ColumnFeedObject) -> str:
        return _("%(column)s: government information proactively disclosed by %(agency)s.") % {
            "column": obj.column.name,
            "agency": obj.agency.name,
        }

    def feed_url(self, obj: ColumnFeedObject) -> str:
        return feed_links(obj.agency, obj.column).rss


class ColumnAtomFeed(ColumnRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: ColumnFeedObject) -> str:
        return self.description(obj)

    def feed_url(self, obj: ColumnFeedObject) -> str:
        return feed_links(obj.agency, obj.column).atom


# --- the platform's feed (every agency on it; the platform home links it) -----------------


@dataclass(frozen=True)
class PlatformFeedObject:
    name: str  # the platform's site name
    host: Agency | None


class PlatformRssFeed(_ItemFeed):
    def get_object(self, request) -> PlatformFeedObject:
        from .selectors import platform_site

        site = platform_site()
        return PlatformFeedObject(name=site.name, host=site.host)

    def public_items(self, obj: PlatformFeedObject) -> QuerySet[Item]:
        return public_items().filter(agency__in=Agency.objects.active())

    def author_name(self, obj: PlatformFeedObject) -> str:
        return obj.host.name if obj.host else obj.name

    def title(self, obj: PlatformFeedObject) -> str:
        return obj.name

    def link(self, obj: PlatformFeedObject) -> str:
        return reverse("portal:home")

    def description(self, obj: PlatformFeedObject) -> str:
        return _("Government information proactively disclosed by the agencies of %(site)s.") % {
            "site": obj.name
        }

    def feed_url(self, obj: PlatformFeedObject) -> str:
        return reverse("portal:platform-feed-rss")


class PlatformAtomFeed(PlatformRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: PlatformFeedObject) -> str:
        return self.description(obj)

    def feed_url(self, obj: PlatformFeedObject) -> str:
        return reverse("portal:platform-feed-atom")


def platform_feed_links(title: str) -> FeedLinks:
    return FeedLinks(
        rss=reverse("portal:platform-feed-rss"),
        atom=reverse("portal:platform-feed-atom"),
        title=title,
    )
