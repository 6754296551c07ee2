"""Feed links for page templates.

    {% load portal_feeds %}
    {% feed_link_tags agency column %}          {# the two <link rel="alternate"> tags #}
    {% feed_links agency column as feeds %}     {# feeds.rss, feeds.atom, feeds.title #}

`column` may be omitted (or None) for the agency's own feeds.
"""

from django import template
from django.utils.html import format_html

from gongkai.portal.feeds import FeedLinks, platform_feed_links
from gongkai.portal.feeds import feed_links as _feed_links

register = template.Library()


@register.simple_tag
def feed_links(agency, column=None) -> FeedLinks:
    return _feed_links(agency, column)


@register.simple_tag
def site_feed_links(site) -> FeedLinks:
    """The feeds of a portal site: its agency's, or the platform's (every agency)."""
    if site.agency is None:
        return platform_feed_links(site.name)
    return _feed_links(site.agency)


@register.simple_tag
def feed_link_tags(agency, column=None) -> str:
    return _link_tags(_feed_links(agency, column))


@register.simple_tag
def site_feed_link_tags(site) -> str:
    return _link_tags(site_feed_links(site))


def _link_tags(links: FeedLinks) -> str:
    return format_html(
        '<link rel="alternate" type="application/rss+xml" title="{} (RSS)" href="{}">\n'
        '<link rel="alternate" type="application/atom+xml" title="{} (Atom)" href="{}">',
        links.title,
        links.rss,
        links.title,
        links.atom,
    )
