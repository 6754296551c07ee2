"""Public pages: the platform home, and per agency its 政府信息公开 home, 指南, 目录, columns,
items and 网站地图.

Each page is a view plus a stamp function for its conditional GET (caching.public_page). Both
read through the same per-request loaders, so the agency, the column tree and the item are
read once whether the answer is a 304 or the page.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_safe

from gongkai.catalogue import richtext
from gongkai.catalogue.taxonomy import TOPICS, Genre
from gongkai.core.converters import ID_MAX
from gongkai.core.params import int_param
from gongkai.core.storage import private_file_response

from . import guide_text, selectors
from .caching import Stamp, agency_stamp, public_page, stamp
from .context_processors import (
    CONTRAST_COOKIE,
    FONT_COOKIE,
    FONT_STEPS,
    PREFS_MAX_AGE,
    display_prefs,
)
from .selectors import COLUMN_EVENTS, GUIDE_EVENTS, PAGE_SIZE, Filters, Site

# --- per-request loaders -------------------------------------------------------------------


def _memo(request, key, load):
    memo = request.__dict__.setdefault("_portal_memo", {})
    if key not in memo:
        memo[key] = load()
    return memo[key]


def _site(request, slug: str) -> Site:
    """The agency's site; 404 for an unknown or inactive agency."""

    def load():
        agency = selectors.portal_agency(slug)
        if agency is None:
            raise Http404
        return selectors.site_for(agency)

    return _memo(request, ("site", slug), load)


def _tree(request, site: Site):
    def load():
        # Once the validator has read the state of the agency's columns, the tree built for
        # that state is reused (selectors.kept_portal_columns).
        known = request.__dict__.get("_portal_memo", {}).get(("changes", COLUMN_EVENTS))
        if known is None:
            return selectors.portal_columns(site.agency)
        return selectors.kept_portal_columns(site.agency, known)

    return _memo(request, "tree", load)


def _changes(request, site: Site, kinds: tuple[str, ...]):
    return _memo(request, ("changes", kinds), lambda: selectors.changes(site.agency, kinds))


def _column(request, site: Site, pk: int):
    for column, _depth in _tree(request, site):
        if column.pk == pk:
            return column
    raise Http404


def _item(request, site: Site, pk: int):
    """(public item, None) or (None, withdrawn item); 404 for anything else."""

    def load():
        item = selectors.portal_item(site.agency, pk)
        if item is not None:
            # read in the item's statement: `_changes` need not ask again
            changed = (item.column_event_last, item.column_event_at)
            request._portal_memo.setdefault(("changes", COLUMN_EVENTS), changed)
            return item, None
        withdrawn = selectors.withdrawn_item(site.agency, pk)
        if withdrawn is None:
            raise Http404
        return None, withdrawn

    return _memo(request, ("item", pk), load)


def _site_stamp(site: Site) -> Stamp:
    return agency_stamp(site.agency, site.settings)


def _cache_stamp(request, agency: str, **_page) -> Stamp | None:
    """What every stored page of the agency is keyed with (caching.py); None (no stored page)
    for an unknown or inactive agency, whose pages answer 404."""
    state = selectors.page_cache_state(agency)
    return None if state is None else stamp("agency-pages", *state)


def _items_stamp(state: selectors.ItemsState, *parts) -> Stamp:
    """A list of items: the counts change with every publication and withdrawal whatever the
    clock said when it was saved (see selectors.items_state); the last change dates the page."""
    return stamp(*parts, state.n, state.published, state.at, times=[state.at])


def _columns_stamp(request, site: Site) -> Stamp:
    last, changed = _changes(request, site, COLUMN_EVENTS)
    return stamp("columns", last, times=[changed])


def _page(request, template: str, context: dict, status: int = 200, canonical: str = ""):
    request._portal_canonical = canonical or request.path  # only that address is stored
    context["canonical_url"] = request.build_absolute_uri(request._portal_canonical)
    return render(request, template, context, status=status)


def _paginate(request, items, count: int | None = None):
    paginator = Paginator(items, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached property: set, it spares the COUNT query
    return paginator.get_page(request.GET.get("page"))


# --- the platform --------------------------------------------------------------------------


def _home_stamp(request) -> Stamp:
    parts, times = selectors.platform_state()
    return stamp("platform", *parts, times=times)


@require_safe
@public_page(_home_stamp)
def home(request):
    entries = selectors.platform_listing()
    top = min(entries, key=lambda e: (e.agency.depth, e.agency.path), default=None)
    site = Site(agency=None, host=top.agency if top else None, settings=top and top.site.settings)
    return _page(request, "portal/home.html", {"site": site, "entries": entries, "nav": "home"})


@require_safe
def prefs(request):
    """Change the display preferences (A− / A / A+, high contrast) and go back.

    A GET form, so it works without JavaScript and without a CSRF token on cacheable pages;
    it only sets two cosmetic cookies (portal.js sets the same cookies without a reload).
    """
    current = display_prefs(request)
    font = current.font
    action = request.GET.get("font")
    if action == "smaller":
        font = max(font - 1, FONT_STEPS[0])
    elif action == "larger":
        font = min(font + 1, FONT_STEPS[-1])
    elif action == "reset":
        font = FONT_STEPS[1]
    contrast = current.contrast
    wanted = request.GET.get("contrast")
    if wanted == "toggle":
        contrast = not contrast
    elif wanted in ("on", "off"):
        contrast = wanted == "on"
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    options = {"max_age": PREFS_MAX_AGE, "samesite": "Lax", "secure": request.is_secure()}
    response.set_cookie(FONT_COOKIE, str(font), **options)
    response.set_cookie(CONTRAST_COOKIE, "1" if contrast else "0", **options)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- an agency's portal --------------------------------------------------------------------


def _agency_home_stamp(request, agency: str) -> Stamp:
    site = _site(request, agency)
    state = selectors.items_state(agency=site.agency)
    return _site_stamp(site) + _columns_stamp(request, site) + _items_stamp(state)


@require_safe
@public_page(_agency_home_stamp, cache_stamp=_cache_stamp)
def agency_home(request, agency: str):
    site = _site(request, agency)
    tree = _tree(request, site)
    latest = selectors.latest_items(site.agency)
    recent = selectors.recent_by_column(site.agency, [column.pk for column, _d in tree])
    blocks = [(column, recent[column.pk]) for column, _depth in tree if column.pk in recent]
    return _page(
        request,
        "portal/agency_home.html",
        {
            "site": site,
            "agency": site.agency,
            "nav": "home",
            "latest": latest,
            "blocks": blocks,
            "last_published": latest[0].published_at if latest else None,
        },
    )


def _guide_stamp(request, agency: str) -> Stamp:
    site = _site(request, agency)
    last, changed = _changes(request, site, GUIDE_EVENTS)
    return _site_stamp(site) + stamp("guide", last, times=[changed])


@require_safe
@public_page(_guide_stamp, cache_stamp=_cache_stamp)
def guide(request, agency: str):
    site = _site(request, agency)
    tree = _tree(request, site)
    _last, changed = _changes(request, site, GUIDE_EVENTS)
    guide = selectors.guide(site.agency, site.settings, tree, changed)
    return _page(
        request,
        "portal/guide.html",
        {
            "site": site,
            "agency": site.agency,
            "nav": "guide",
            "guide": guide,
            "index_rule": guide_text.index_rule(
                guide.index_pattern, uscc=site.agency.uscc, year=guide.updated_at.year
            ),
            **guide_text.application_terms(),
            # the 依申请公开 pages, where this deployment has them
            "apply_url": selectors.optional_url("portal:apply", site.agency),
            "status_url": selectors.optional_url("portal:application-status", site.agency),
            "nodes": _nest(tree),
            "catalogue_url": request.build_absolute_uri(
                reverse("portal:catalogue", args=[site.agency.slug])
            ),
            "home_url": request.build_absolute_uri(site.home_url),
        },
    )


def _catalogue_stamp(request, agency: str) -> Stamp:
    site = _site(request, agency)
    state = selectors.items_state(agency=site.agency)
    return _site_stamp(site) + _columns_stamp(request, site) + _items_stamp(state)


def _parse_filters(request, tree) -> Filters:
    """The browse filters from the query string; values that name nothing are ignored."""
    params = request.GET
    column = None
    column_id = int_param(params.get("column"), minimum=1, maximum=ID_MAX)
    if column_id is not None:
        column = next((c for c, _d in tree if c.pk == column_id), None)
    topic = params.get("topic", "")
    genre = params.get("genre", "")
    year = int_param(params.get("year"), minimum=1900, maximum=2999)
    return Filters(
        column=column,
        column_ids=tuple(selectors.subtree_ids(tree, column)) if column else (),
        topic=topic if topic in TOPICS else "",
        genre=genre if genre in Genre.values else "",
        year=year,
    )


def _canonical(path: str, query: dict, page) -> str:
    if page.number > 1:
        query = {**query, "page": str(page.number)}
    return f"{path}?{urlencode(query)}" if query else path


@require_safe
@public_page(_catalogue_stamp, cache_stamp=_cache_stamp)
def catalogue(request, agency: str):
    site = _site(request, agency)
    tree = _tree(request, site)
    filters = _parse_filters(request, tree)
    page = _paginate(request, selectors.browse(site.agency, filters))
    return _page(
        request,
        "portal/catalogue.html",
        {
            "site": site,
            "agency": site.agency,
            "nav": "catalogue",
            "filters": filters,
            "facets": selectors.facets(site.agency, tree, filters),
            "page": page,
            "genre_labels": dict(Genre.choices),
        },
        canonical=_canonical(request.path, filters.query(), page),
    )


def _column_stamp(request, agency: str, column: int) -> Stamp:
    site = _site(request, agency)
    columns = _columns_stamp(request, site)  # first: the tree is then the one kept for it
    node = _column(request, site, column)
    ids = selectors.subtree_ids(_tree(request, site), node)
    state = _memo(
        request,
        ("column-state", node.pk),
        lambda: selectors.items_state(agency=site.agency, column_ids=ids),
    )
    return _site_stamp(site) + columns + _items_stamp(state, "column", node.pk)


@require_safe
@public_page(_column_stamp, cache_stamp=_cache_stamp)
def column(request, agency: str, column: int):
    site = _site(request, agency)
    tree = _tree(request, site)
    node = _column(request, site, column)
    depth = next(d for c, d in tree if c.pk == node.pk)
    children = [c for c, d in tree if c.parent_id == node.pk and d == depth + 1]
    ids = selectors.subtree_ids(tree, node)
    items = selectors.agency_items(site.agency).filter(column_id__in=ids)
    # The validators already counted the column's public items: don't count them twice.
    state = _memo(
        request,
        ("column-state", node.pk),
        lambda: selectors.items_state(agency=site.agency, column_ids=ids),
    )
    page = _paginate(request, items, count=state.published)
    return _page(
        request,
        "portal/column.html",
        {
            "site": site,
            "agency": site.agency,
            "nav": "catalogue",
            "column": node,
            "path": selectors.column_path(tree, node.pk),
            "children": children,
            "page": page,
        },
        canonical=_canonical(request.path, {}, page),
    )


def _item_stamp(request, agency: str, pk: int) -> Stamp:
    site = _site(request, agency)
    item, withdrawn = _item(request, site, pk)
    if item is None:
        return _site_stamp(site) + stamp(
            "withdrawn", withdrawn.pk, withdrawn.updated_at, times=[withdrawn.updated_at]
        )
    return (
        _site_stamp(site)
        + _columns_stamp(request, site)  # the breadcrumbs name the columns
        + stamp(
            "item",
            item.pk,
            item.updated_at,
            item.attachment_count,
            item.attachment_last,
            item.attachment_changed,
            times=[item.updated_at, item.attachment_changed],
        )
    )


@require_safe
@public_page(_item_stamp, cache_stamp=_cache_stamp)
def item(request, agency: str, pk: int):
    site = _site(request, agency)
    public, withdrawn = _item(request, site, pk)
    canonical = reverse("portal:item", args=[site.agency.slug, pk])
    if public is None:
        return _page(
            request,
            "portal/item_withdrawn.html",
            {
                "site": site,
                "agency": site.agency,
                "nav": "catalogue",
                "item": withdrawn,
                "withdrawn_at": selectors.withdrawal_date(withdrawn),
            },
            status=410,
            canonical=canonical,
        )
    tree = _tree(request, site)
    attachments = list(public.attachments.all()) if public.attachment_count else []
    return _page(
        request,
        "portal/item.html",
        {
            "site": site,
            "agency": site.agency,
            "nav": "catalogue",
            "item": public,
            "path": selectors.column_path(tree, public.column_id),
            # Bodies are sanitised when saved (catalogue.services); sanitised once more here
            # because the template marks the body safe and rows can be written other ways.
            "body_html": richtext.sanitize(public.body),
            "attachments": attachments,
            "text_versions": {a.pk for a in attachments if _has_text_version(a)},
        },
        canonical=canonical,
    )


@require_safe
def item_by_index(request, agency: str, index_number: str):
    """Stable address by 索引号: a permanent redirect to the canonical item URL."""
    site = _site(request, agency)
    pk = selectors.item_pk_by_index(site.agency, index_number)
    if pk is None:
        raise Http404
    return redirect("portal:item", site.agency.slug, pk, permanent=True)


def _attachment_stamp(request, agency: str, pk: int, attachment: int) -> Stamp:
    site = _site(request, agency)
    item, _withdrawn = _item(request, site, pk)
    if item is None:
        raise Http404
    found = _memo(
        request, ("attachment", attachment), lambda: item.attachments.filter(pk=attachment).first()
    )
    if found is None:
        raise Http404
    return stamp("attachment", found.pk, found.sha256, times=[found.uploaded_at])


@require_safe
@public_page(_attachment_stamp)
def attachment(request, agency: str, pk: int, attachment: int):
    found = request._portal_memo[("attachment", attachment)]
    try:
        # Published: public_page sets the (public) caching headers.
        return private_file_response(
            found.file,
            filename=found.original_name,
            content_type=found.content_type,
            public=True,
        )
    except FileNotFoundError:
        raise Http404 from None


def _has_text_version(attachment) -> bool:
    """A scan read by OCR (or checked by a person) has an accessible text version (文字版)."""
    from gongkai.catalogue.models import OcrStatus

    return attachment.ocr_status == OcrStatus.DONE and bool(attachment.text.strip())


def _attachment_text_stamp(request, agency: str, pk: int, attachment: int) -> Stamp:
    found_stamp = _attachment_stamp(request, agency, pk, attachment)
    found = request._portal_memo[("attachment", attachment)]
    if not _has_text_version(found):
        raise Http404
    site = _site(request, agency)
    return (
        _site_stamp(site)
        + _columns_stamp(request, site)  # the breadcrumbs name the columns
        + found_stamp
        + stamp("attachment-text", found.ocr_status, found.ocr_confidence, len(found.text))
    )


@require_safe
@public_page(_attachment_text_stamp)
def attachment_text(request, agency: str, pk: int, attachment: int):
    """The text OCR read from a published scan, for readers of screen readers: the same
    visibility as the download, and the shield's mask once more in case anything personal is
    left (the text is escaped by the template)."""
    from gongkai.catalogue import shield

    site = _site(request, agency)
    public, _withdrawn = _item(request, site, pk)
    found = request._portal_memo[("attachment", attachment)]
    return _page(
        request,
        "portal/attachment_text.html",
        {
            "site": site,
            "agency": site.agency,
            "nav": "catalogue",
            "item": public,
            "attachment": found,
            "path": selectors.column_path(_tree(request, site), public.column_id),
            "text": shield.mask_personal(found.text),
        },
    )


def _sitemap_stamp(request, agency: str) -> Stamp:
    site = _site(request, agency)
    return _site_stamp(site) + _columns_stamp(request, site) + stamp("sitemap")


@require_safe
@public_page(_sitemap_stamp, cache_stamp=_cache_stamp)
def sitemap_page(request, agency: str):
    site = _site(request, agency)
    return _page(
        request,
        "portal/sitemap.html",
        {
            "site": site,
            "agency": site.agency,
            "nav": "sitemap",
            "nodes": _nest(_tree(request, site)),
        },
    )


def _badge_stamp(request, agency: str) -> Stamp:
    site = _site(request, agency)
    if not site.badge:
        raise Http404
    return _site_stamp(site) + stamp("badge", site.settings.badge_image.name)


@require_safe
@public_page(_badge_stamp)
def badge(request, agency: str):
    image = _site(request, agency).settings.badge_image
    try:
        return FileResponse(image.open("rb"))
    except FileNotFoundError:
        raise Http404 from None


# --- helpers -------------------------------------------------------------------------------


class Node:
    __slots__ = ("column", "children")

    def __init__(self, column):
        self.column = column
        self.children: list[Node] = []


def _nest(tree) -> list[Node]:
    """The depth-first (column, depth) list as nested nodes, for nested lists in templates."""
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    for column, depth in tree:
        node = Node(column)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((depth, node))
    return roots
