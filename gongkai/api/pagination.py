"""The API's page-number pagination, with a bound on the page number.

ninja's PageNumberPagination takes any page: past about 10**17 the offset it computes overflows
the database's 64-bit OFFSET (SQLite: "datatype mismatch", PostgreSQL: "bigint out of range"),
which answered 500. A page past PAGE_MAX is refused with 422 like any other invalid parameter;
a page past the last one (below the bound) is an empty page, as before.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_MAX = 1_000_000


class Pagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        page_size: int | None = Field(None, ge=1)
