"""The public 办事指南 pages of an agency's portal.

They are rendered for every request (no stored copy, see portal/caching.py): they carry no
form and no personal data, but a guide changes with its matter, which the portal's page
generation does not follow.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from gongkai.catalogue.models import ItemStatus
from gongkai.core import sites

from . import guide, selectors
from .models import Matter, MatterStatus, MatterType

PAGE_SIZE = 30


def _site(slug: str):
    agency = get_object_or_404(sites.public_agencies(), slug=slug)
    return sites.site_for(agency)


@require_safe
def guide_list(request, agency: str):
    site = _site(agency)
    matters = selectors.public_matters(site.agency).order_by("code", "id")
    sectors = selectors.public_sectors(site.agency)
    matter_type = request.GET.get("type", "")
    if matter_type not in MatterType.values:
        matter_type = ""
    sector = request.GET.get("sector", "")
    sector_ids = {str(s.pk) for s in sectors}
    if sector not in sector_ids:
        sector = ""
    if matter_type:
        matters = matters.filter(matter_type=matter_type)
    if sector:
        matters = matters.filter(sector_id=int(sector))
    page = Paginator(matters, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in (("type", matter_type), ("sector", sector)) if v}
    return render(
        request,
        "matters/public_list.html",
        {
            "site": site,
            "agency": site.agency,
            "nav": "service-guides",
            "page": page,
            "types": MatterType.choices,
            "sectors": sectors,
            "current_type": matter_type,
            "current_sector": sector,
            "query": query,
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )


@require_safe
def guide_detail(request, agency: str, pk: int):
    site = _site(agency)
    matter = get_object_or_404(
        Matter.objects.select_related("agency", "sector", "item"), agency=site.agency, pk=pk
    )
    if matter.status != MatterStatus.PUBLISHED:
        # Under revision: the version last published is the catalogue item's.
        if (
            matter.status == MatterStatus.DRAFT
            and matter.item is not None
            and matter.item.status == ItemStatus.PUBLISHED
        ):
            return redirect(reverse("portal:item", args=[site.agency.slug, matter.item_id]))
        if matter.status != MatterStatus.RETIRED or matter.published_on is None:
            raise Http404  # never published: nothing of it is public
        return render(
            request,
            "matters/public_gone.html",
            {"site": site, "agency": site.agency, "matter": matter},
            status=410,
        )
    return render(
        request,
        "matters/public_detail.html",
        {
            "site": site,
            "agency": site.agency,
            "nav": "service-guides",
            **guide.context(matter),
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )
