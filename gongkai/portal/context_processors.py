"""Template context of the portal: display preferences (read server-side from cookies, so
they work without JavaScript), the platform's site for pages without an agency, and the search
page's address once it exists. Everything here is lazy: staff pages pay nothing for it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject, lazy

from gongkai.core.params import int_param

FONT_COOKIE = "gk_font"
CONTRAST_COOKIE = "gk_contrast"
# Font size steps (A− / A / A+): 0 = 90 %, 1 = 100 % (default), 2 = 115 %, 3 = 130 %, 4 = 150 %.
FONT_STEPS = range(5)
DEFAULT_FONT = 1
PREFS_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class DisplayPrefs:
    font: int = DEFAULT_FONT
    contrast: bool = False

    @property
    def html_class(self) -> str:
        return f"fs-{self.font}" + (" contrast-high" if self.contrast else "")

    @property
    def can_shrink(self) -> bool:
        return self.font > FONT_STEPS[0]

    @property
    def can_grow(self) -> bool:
        return self.font < FONT_STEPS[-1]


def display_prefs(request) -> DisplayPrefs:
    font = int_param(request.COOKIES.get(FONT_COOKIE), minimum=0, maximum=max(FONT_STEPS))
    if font not in FONT_STEPS:
        font = DEFAULT_FONT
    return DisplayPrefs(font=font, contrast=request.COOKIES.get(CONTRAST_COOKIE) == "1")


def _search_url() -> str:
    try:
        return reverse("portal:search")
    except NoReverseMatch:
        return ""


def portal(request) -> dict:
    from .selectors import platform_site

    return {
        "portal_prefs": SimpleLazyObject(lambda: display_prefs(request)),
        "portal_platform": SimpleLazyObject(platform_site),
        "portal_search_url": lazy(_search_url, str)(),
    }
