"""Numbers read from a query string or a cookie: anything that is not one in range is None, so
the page shows its default instead of failing.

`str.isdigit()` is not enough before `int()`: it says yes to "²" and "١", which `int()` refuses
or reads as another number, and a long run of digits overflows a date or the database.
"""

from __future__ import annotations

MAX_DIGITS = 18  # below 2**63: no longer number is in range anywhere here


def int_param(raw: str | None, *, minimum: int, maximum: int) -> int | None:
    """`raw` as an int when it is ASCII digits from `minimum` to `maximum`, else None."""
    if not raw or len(raw) > MAX_DIGITS or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None
