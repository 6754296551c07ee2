"""The staff layout's side menu and breadcrumbs (base.html), built from the sections the apps
declare (gongkai/core/desk.py) and the URL being shown.

Breadcrumbs are computed, not written by each page: 工作台 › the agency › its section › the
page. The page's own crumb is the first part of its <title> block ("Review queue · 六横镇" →
"Review queue"), so every staff page gets them, the pages added later included. A page may
still override `{% block breadcrumbs %}` in base.html.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import reverse
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.translation import gettext as _

from gongkai.core import desk, permissions
from gongkai.core.models import Agency
from gongkai.core.selectors import SUBTREE_ROLES

register = template.Library()

STAFF_PREFIX = "/staff/"
# core's own staff pages (its other URLs are the login, the logout and the probes)
CORE_STAFF_PAGES = {"staff-home", "agency-detail", "agency-audit", "calendar", "export"}


def is_staff_page(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or not request.path.startswith(STAFF_PREFIX):
        return False
    return match.namespace != "core" or match.url_name in CORE_STAFF_PAGES


@dataclass(frozen=True)
class MenuEntry:
    title: str
    url: str
    current: bool


def _current_section(request) -> tuple[str, str]:
    """(namespace, agency key) of the page shown, for marking the menu."""
    match = request.resolver_match
    key = match.kwargs.get("agency") or match.kwargs.get("pk") or ""
    return match.namespace, str(key)


@register.simple_tag(takes_context=True)
def staff_menu(context) -> dict | None:
    """Every section of every agency the user works for, or None off the staff pages."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return None
    if not is_staff_page(request):
        return None
    namespace, key = _current_section(request)
    agencies = []
    # the agencies come from the memberships the staff check read (no query of its own)
    for agency in permissions.member_agencies(user):
        entries = []
        for section in desk.sections():
            if section.applies(user, agency):
                here = section.namespace == namespace and key in (agency.slug, str(agency.pk))
                entries.append(MenuEntry(str(section.title), section.url(agency), here))
        agencies.append((agency, entries))
    tools = []
    # The overview of every agency's reports serves those who look after agencies below theirs;
    # to anyone else it repeated their own agency's 年度报告 entry under the same name.
    if user.is_superuser or any(
        permissions.roles_at(user, agency) & SUBTREE_ROLES for agency, _entries in agencies
    ):
        tools.append(
            MenuEntry(_("Annual reports of all agencies"), reverse("reports:index"), False)
        )
    tools.append(MenuEntry(_("Working-day calendar"), reverse("core:calendar"), False))
    if user.is_staff:
        tools.append(MenuEntry(_("Administration"), reverse("admin:index"), False))
    return {"agencies": agencies, "tools": tools}


def _page_title(context) -> str:
    """The first part of the page's <title> block, as text."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block("title") if blocks is not None else None
    if block is None:
        return ""
    with context.push(block=block):
        text = html.unescape(strip_tags(block.nodelist.render(context)))
    return " ".join(text.split(" · ", 1)[0].split())


def _agency(context, request) -> Agency | None:
    agency = context.get("agency")
    if isinstance(agency, Agency):
        return agency
    kwargs = request.resolver_match.kwargs
    from gongkai.core.selectors import agencies_visible_to

    if "agency" in kwargs:
        return agencies_visible_to(request.user).filter(slug=kwargs["agency"]).first()
    if request.resolver_match.namespace == "core" and "pk" in kwargs:
        return agencies_visible_to(request.user).filter(pk=kwargs["pk"]).first()
    return None


@register.simple_tag(takes_context=True)
def staff_breadcrumbs(context) -> str:
    """<nav class="breadcrumbs">: 工作台 › agency › section › page, on every staff page."""
    request = context.get("request")
    if request is None or not is_staff_page(request):
        return ""
    match = request.resolver_match
    home = reverse("core:staff-home")
    trail: list[tuple[str, str]] = [(_("Staff home"), home)]  # (label, url)
    agency = _agency(context, request)
    if agency is not None:
        trail.append((agency.name, reverse("core:agency-detail", kwargs={"pk": agency.pk})))
        section = desk.section_for(match.namespace)
        if section is not None and match.namespace != "core":
            trail.append((str(section.title), section.url(agency)))
    elif match.namespace == "reports" and match.url_name != "index":
        trail.append((_("Annual reports"), reverse("reports:index")))
    title = _page_title(context)
    if title and title not in (label for label, _url in trail):
        trail.append((title, request.path))
    # The page shown is the last crumb, not a link; the crumbs before it link up.
    *ancestors, (current, _url) = trail
    return format_html(
        '<nav class="breadcrumbs" aria-label="{}"><ol>{}<li aria-current="page">{}</li></ol></nav>',
        _("Breadcrumb"),
        format_html_join("", '<li><a href="{}">{}</a></li>', ((u, t) for t, u in ancestors)),
        current,
    )
