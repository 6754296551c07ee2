from django import template
from django.utils.http import urlencode
from django.utils.translation import get_language

from gongkai.portal.caching import _Recent, row_values

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


# Parts of the frame that depend only on the site (its agency's, host's and settings' rows),
# the language and a few values named in the tag: rendered once per process for each state and
# reused (a first render of a page spent a tenth of its time on the footer and the navigation).
_fragments = _Recent(4000)  # ~2-4 kB each: a few navigations of 800 agencies


def _site_state(site) -> tuple:
    rows = (site.agency, site.host, site.settings)
    return tuple(None if row is None else row_values(row) for row in rows)


class SiteFragmentNode(template.Node):
    def __init__(self, nodelist, site, name: str, extras):
        self.nodelist, self.site, self.name, self.extras = nodelist, site, name, extras

    def render(self, context):
        site = self.site.resolve(context)
        if site is None:
            return self.nodelist.render(context)
        key = (
            self.name,
            get_language(),
            _site_state(site),
            tuple(extra.resolve(context) for extra in self.extras),
        )
        found = _fragments.get(key)
        if found is None:
            found = self.nodelist.render(context)
            _fragments.put(key, found)
        return found


@register.tag
def site_fragment(parser, token):
    """{% site_fragment s "footer" [value …] %}…{% endsite_fragment %}: the enclosed template,
    which must read nothing but `s` and the values named, rendered once per site state,
    language and values."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("site_fragment takes a site and a name")
    nodelist = parser.parse(("endsite_fragment",))
    parser.delete_first_token()
    name = bits[2].strip("\"'")
    return SiteFragmentNode(
        nodelist, parser.compile_filter(bits[1]), name, [parser.compile_filter(b) for b in bits[3:]]
    )
