"""How names and file names typed by others are shown (`{{ name|isolate }}`), and amounts
(`{{ value|amount }}`)."""

from decimal import Decimal, InvalidOperation

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


@register.filter
def amount(value, places: int = 2) -> str:
    """A money amount as people write it: at least `places` decimals, no trailing noise.

    A sum of DecimalField on SQLite comes back as 1.80000000000000 (it adds floats); 1.8000
    (4 places, 万元) shows as 1.80 and 0.0180 as 0.018.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    # Amounts are stored with at most 4 decimals (万元 to the yuan): beyond that is float noise.
    number = number.quantize(Decimal("0.0001"))
    text = f"{number:f}"
    whole, _, decimals = text.partition(".")
    decimals = decimals.rstrip("0").ljust(int(places), "0")
    return f"{whole}.{decimals}" if decimals else whole
