"""Miswritten terms on an agency's published items, for the compliance monitor's 严重表述错误
indicator (gongkai.compliance.rules.serious_wording_error).

Three queries (the administrator's terms, the published items' text, their attachments' text),
plus one for the approvals' acknowledgements when anything is found: the count does not grow
with the number of items.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from .check import find_wording
from .selectors import platform_terms

# Published text rarely changes: each text's findings are kept for the compiled term list they
# were found with, so a monitor page does not read every body again (bounded, oldest dropped).
_CACHE_SIZE = 50_000
_cache: OrderedDict[tuple[int, str], tuple[tuple[str, str], ...]] = OrderedDict()


def _hits(text: str, terms) -> tuple[tuple[str, str], ...]:
    if not text:
        return ()
    key = (terms.serial, hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest())
    hits = _cache.get(key)
    if hits is None:
        hits = tuple((f.found, f.suggestion) for f in find_wording(text, terms=terms))
        _cache[key] = hits
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return hits


@dataclass(frozen=True)
class PublishedWording:
    item_id: int
    title: str
    found: tuple[tuple[str, str], ...]  # (miswritten text, suggestion), in reading order
    acknowledged: bool  # the reviewer confirmed every one of them as intended when approving


def published_findings(agency) -> list[PublishedWording]:
    from gongkai.catalogue import richtext
    from gongkai.catalogue.models import Attachment, Item, ItemStatus
    from gongkai.core.models import AuditEvent

    terms = platform_terms()
    texts: dict[int, list[str]] = {}
    titles: dict[int, str] = {}
    rows = (
        Item.objects.filter(agency=agency, status=ItemStatus.PUBLISHED)
        .order_by("-published_at", "id")
        .values_list("id", "title", "summary", "body")
    )
    for pk, title, summary, body in rows:
        titles[pk] = title
        texts[pk] = [title or "", summary or "", richtext.scan_text(body or "")]
    attachments = (
        Attachment.objects.filter(item__agency=agency, item__status=ItemStatus.PUBLISHED)
        .exclude(text="")
        .values_list("item_id", "text")
    )
    for item_id, text in attachments:
        texts.setdefault(item_id, []).append(text)
    found = {}
    for pk, parts in texts.items():
        hits = tuple(hit for part in parts for hit in _hits(part, terms))
        if hits:
            found[pk] = hits
    if not found:
        return []
    # What the reviewer acknowledged at the latest approval of each item (catalogue services
    # record the findings and the acknowledgement in the approval's audit event).
    acknowledged: dict[int, set[str]] = {}
    events = (
        AuditEvent.objects.filter(
            verb="item.approve",
            object_type="catalogue.item",
            object_id__in=[str(pk) for pk in found],
        )
        .order_by("created_at", "id")
        .values_list("object_id", "after")
    )
    for object_id, after in events:
        after = after or {}
        confirmed = after.get("wording_acknowledged") is True
        acknowledged[int(object_id)] = (
            {w.get("found") for w in after.get("wording") or ()} if confirmed else set()
        )
    return [
        PublishedWording(
            item_id=pk,
            title=titles.get(pk, ""),
            found=hits,
            acknowledged=all(text in acknowledged.get(pk, set()) for text, _ in hits),
        )
        for pk, hits in found.items()
    ]
