"""sitemap.xml: an index of three sections (portal pages, columns, items), each paginated.

/sitemap.xml is always a sitemap index, so crawlers find every page of every section
(/sitemap-items.xml?p=2 …) however large the catalogue grows. Rows are read as tuples of the
few fields a URL needs: a page of the item section is two queries (a count and the slice),
never one per item.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from gongkai.catalogue.models import Column
from gongkai.catalogue.selectors import public_items
from gongkai.core.models import Agency

from .feeds import item_url
from .selectors import OPTIONAL_SECTIONS

# The platform's own pages, and the pages of every agency's portal, in the order listed. A name
# whose URL does not exist (yet) is left out: the later sections join once their issue lands.
PLATFORM_PAGES = ("portal:home", "portal:sitemap-page")
AGENCY_PAGES = (
    "portal:agency-home",
    "portal:guide",
    "portal:catalogue",
    "portal:sitemap-page",
    *(name for name, _label in OPTIONAL_SECTIONS),
)


def _reverse_or_none(name: str, kwargs: dict | None = None) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


class PagesSitemap(Sitemap):
    """The platform home and each active agency's home, 公开指南, 公开目录 and other sections."""

    def items(self) -> list[str]:
        pages = [_reverse_or_none(name) for name in PLATFORM_PAGES]
        for slug in Agency.objects.active().order_by("path").values_list("slug", flat=True):
            pages += [_reverse_or_none(name, {"agency": slug}) for name in AGENCY_PAGES]
        return list(dict.fromkeys(page for page in pages if page))

    def location(self, path: str) -> str:
        return path


class ColumnSitemap(Sitemap):
    """The page of each column the portal shows: active, under active columns, of an active
    agency (one query for all of them)."""

    def items(self) -> list[tuple[str, int]]:
        rows = (
            Column.objects.filter(agency__is_active=True)
            .order_by("agency__path", "position", "pk")
            .values_list("pk", "parent_id", "is_active", "agency__slug")
        )
        parent_of = {pk: parent for pk, parent, _active, _slug in rows}
        active = {pk for pk, _parent, is_active, _slug in rows if is_active}

        def shown(pk: int | None) -> bool:
            while pk is not None:
                if pk not in active:
                    return False
                pk = parent_of.get(pk)
            return True

        return [(slug, pk) for pk, _parent, _active, slug in rows if shown(pk)]

    def location(self, column: tuple[str, int]) -> str:
        slug, pk = column
        return reverse("portal:column", kwargs={"agency": slug, "column": pk})


class ItemSitemap(Sitemap):
    """Every public item of the active agencies, with its last change as lastmod."""

    # Below the protocol's 50,000: a page renders in well under a second.
    limit = 10_000

    def _public(self):
        return public_items().filter(agency__is_active=True)

    def items(self):
        return self._public().order_by("pk").values_list("pk", "agency__slug", "updated_at")

    def location(self, item: tuple) -> str:
        pk, slug, _updated_at = item
        return item_url(slug, pk)

    def lastmod(self, item: tuple):
        return item[2]

    def get_latest_lastmod(self):
        # Django's default would call lastmod() on every item of the catalogue.
        return self._public().aggregate(latest=Max("updated_at"))["latest"]


# Classes, not instances: the views instantiate them per request (a sitemap keeps state).
SITEMAPS = {"pages": PagesSitemap, "columns": ColumnSitemap, "items": ItemSitemap}


@require_safe
def index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="portal:sitemap-section")


@require_safe
def section(request, section: str):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
