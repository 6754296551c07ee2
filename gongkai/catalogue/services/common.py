"""What the catalogue's services share: the item's fields as audited, the errors, an item's
checks and its row lock."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai import privacy
from gongkai.core.audit import snapshot
from gongkai.core.models import User

from .. import richtext, shield
from ..models import (
    Item,
)
from ..taxonomy import DisclosureMode, Genre, Validity

ITEM_FIELDS = frozenset(
    {
        "column",
        "title",
        "summary",
        "body",
        "document_number",
        "publisher",
        "formed_on",
        "topic",
        "genre",
        "validity",
        "valid_from",
        "invalid_on",
        "disclosure_mode",
        "non_disclosure_ground",
        "scope",
        "on_website",
        "scheduled_at",
    }
)
AUDITED_ITEM_FIELDS = sorted(ITEM_FIELDS | {"status", "index_number", "published_at"})
TEXT_FIELDS = ("title", "summary", "body")


def _item_snapshot(item: Item) -> dict:
    """The audited fields, with personal data masked: the trail must not keep what the privacy
    shield removed from the item."""
    values = snapshot(item, AUDITED_ITEM_FIELDS)
    for field in TEXT_FIELDS:
        values[field] = privacy.mask(values[field] or "")
    return values


class WorkflowError(ValidationError):
    """A move the transitions table does not allow from the item's current status."""


class PrivacyBlocked(ValidationError):
    def __init__(self, findings: list[shield.ItemFinding]):
        self.findings = findings
        super().__init__(
            _(
                "This item still contains personal information (%(n)d findings). Mask it, or a "
                "reviewer must record why it may be published."
            )
            % {"n": len(findings)},
            code="privacy",
        )


def _clean_item(item: Item) -> None:
    item.body = richtext.sanitize(item.body)
    if not item.publisher:
        item.publisher = item.agency.name
    errors: dict[str, list[str]] = {}
    if item.column_id and item.column.agency_id != item.agency_id:
        errors.setdefault("column", []).append(_("The column belongs to another agency."))
    if item.disclosure_mode == DisclosureMode.NOT_PUBLIC and not item.non_disclosure_ground:
        errors.setdefault("non_disclosure_ground", []).append(
            _("Give the legal ground when an item is not to be disclosed.")
        )
    if item.disclosure_mode != DisclosureMode.NOT_PUBLIC:
        item.non_disclosure_ground = ""
    if item.validity in (Validity.EXPIRED, Validity.REPEALED) and not item.invalid_on:
        errors.setdefault("invalid_on", []).append(
            _("Give the date the document expired or was repealed.")
        )
    if item.genre == Genre.RULE and item.agency.level in ("township", "subdistrict"):
        # 立法法 第九十三条: 规章 are made by ministries and governments of provinces and
        # districted cities; a town or 街道 cannot issue one.
        errors.setdefault("genre", []).append(_("A township or subdistrict cannot issue 规章."))
    if errors:
        raise ValidationError(errors)
    item.full_clean(exclude=["created_by"])


def _content_changed(item: Item, actor: User | None) -> None:
    """Count `actor` among those who wrote the item's content since its last approval: none of
    them may review it (four eyes, permissions.is_content_author)."""
    if actor is not None:
        item.content_authors.add(actor)


def _locked(item: Item) -> Item:
    # of=("self",): lock the item's row only. A plain FOR UPDATE would lock the joined agency
    # row as well and so serialise every item transition of the agency (and its edits).
    return Item.objects.select_for_update(of=("self",)).select_related("agency").get(pk=item.pk)
