"""Path converters that refuse what no record can have, so such URLs answer 404.

`<int:…>` takes any run of digits: an id past 64 bits reaches the database (PostgreSQL answers
"out of range", SQLite overflows) and a year like 0 or 9999 reaches date arithmetic. These
converters make such a URL match nothing instead. Importing this module registers them.
"""

from __future__ import annotations

from django.urls import register_converter

ID_MAX = 2**63 - 1  # a BigAutoField's largest value on every database Django supports
YEAR_MIN, YEAR_MAX = 1900, 2100  # the years anything here is recorded for (forms say the same)


class IdConverter:
    """A primary key: 1 to 19 digits, at most ID_MAX."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError("id out of range")
        return number

    def to_url(self, value) -> str:
        return str(value)  # as IntConverter: reverse() checks it against the regex


class YearConverter:
    """A calendar year of four digits from YEAR_MIN to YEAR_MAX."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise ValueError("year out of range")
        return year

    def to_url(self, value) -> str:
        return str(value)  # as IntConverter: reverse() checks it against the regex


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
