"""Feed links for page templates.

    {% load portal_feeds %}
    {% feed_link_tags agency column %}          {# the two <link rel="alternate"> tags #}
    {% feed_links agency column as feeds %}     {# feeds.rss, feeds.atom, feeds.title #}

`column` may be omitted (or None) for the agency's own feeds.
"""

from django import template
from django.utils.html import format_html

from gongkai.portal.feeds import FeedLinks
from gongkai.portal.feeds import feed_links as _feed_links

register = template.Library()


@register.simple_tag
def feed_links(agency, column=None) -> FeedLinks:
    return _feed_links(agency, column)


@register.simple_tag
def feed_link_tags(agency, column=None) -> str:
    links = _feed_links(agency, column)
    return format_html(
        '<link rel="alternate" type="application/rss+xml" title="{} (RSS)" href="{}">\n'
        '<link rel="alternate" type="application/atom+xml" title="{} (Atom)" href="{}">',
        links.title,
        links.rss,
        links.title,
        links.atom,
    )
