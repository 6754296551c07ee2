"""robots.txt: crawl the public portal and the public catalogue API, not the staff side."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Allow lines come first: parsers that take the first matching rule (rather than the longest,
# as RFC 9309 says) must not read "Disallow: /api/" before the public API's exception.
ALLOW = ("/api/v1/catalogue/public/",)
# /prefs/ is not a page: it sets the display cookies and redirects back.
DISALLOW = ("/staff/", "/admin/", "/accounts/", "/api/", "/prefs/")


def robots_lines(sitemap_url: str) -> list[str]:
    return [
        "User-agent: *",
        *(f"Allow: {path}" for path in ALLOW),
        *(f"Disallow: {path}" for path in DISALLOW),
        "Allow: /",
        "",
        f"Sitemap: {sitemap_url}",
    ]


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("portal:sitemap"))
    return HttpResponse(
        "\n".join(robots_lines(sitemap_url)) + "\n", content_type="text/plain; charset=utf-8"
    )
