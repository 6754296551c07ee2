"""The catalogue's import rows and previews, over the generic table reader
(gongkai.core.tables)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gongkai.core.tables import RowError, TableRow, choice_map

from .models import Channel, Item
from .taxonomy import Genre, Validity


@dataclass
class ItemRow:
    row: int
    values: dict[str, Any]  # keyword arguments of services.item_create (column is a Column)


@dataclass
class ItemsPreview:
    rows: list[ItemRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)  # field -> heading in the file

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class PublicationRow:
    row: int
    item: Item
    published_on: date
    url: str
    already_recorded: bool  # the item is already recorded on this channel: the row is skipped


@dataclass
class PublicationsPreview:
    channel: Channel
    rows: list[PublicationRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)  # field -> heading in the file

    @property
    def ok(self) -> bool:
        return not self.errors


class ItemTableRow(TableRow):
    model = Item


GENRES = choice_map(Genre.choices)
VALIDITIES = choice_map(Validity.choices)
PATH_SEPARATORS = re.compile(r"\s*[/／\\>＞]\s*")


def body_html(text: str) -> str:
    """Plain text becomes paragraphs; HTML is kept (the service sanitises it)."""
    if re.search(r"<[a-zA-Z/][^>]*>", text):
        return text
    return "".join(
        f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip()
    )
