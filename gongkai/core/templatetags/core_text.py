"""How names and file names typed by others are shown: `{{ name|isolate }}`."""

from django import template
from django.utils.html import format_html

from gongkai.core.validators import strip_invisible

register = template.Library()


@register.filter
def isolate(value) -> str:
    """The value in a <bdi> (its direction kept from the text around it) without bidi controls
    or zero-width characters: names stored before input was cleaned, or that reached the
    database another way, cannot reorder what the page shows around them or inside them."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="auto">{}</bdi>', strip_invisible(str(value)))
