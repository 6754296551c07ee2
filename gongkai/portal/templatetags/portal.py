from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def current_site(context):
    """The page's `site`, or the platform's (pages of other apps that extend portal/base.html
    without passing one, e.g. the search page)."""
    return context.get("site") or context.get("portal_platform")


@register.simple_tag
def filter_query(filters, **changes) -> str:
    """The query string of the browse filters with `changes` (an empty value removes one);
    the page number always starts again at 1."""
    query = filters.query(**changes)
    return "?" + urlencode(query) if query else "?"


@register.simple_tag
def page_query(filters, number) -> str:
    query = filters.query() if filters else {}
    if int(number) > 1:
        query["page"] = str(number)
    return "?" + urlencode(query) if query else "?"
