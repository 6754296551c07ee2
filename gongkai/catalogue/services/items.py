"""Writes of catalogue items: create, update, validate, mask the findings."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.catalogue.services.common import (
    ITEM_FIELDS,
    _clean_item,
    _content_changed,
    _item_snapshot,
    _locked,
)
from gongkai.catalogue.services.editor import _adopt_drafts
from gongkai.core.audit import audit_record, changed_fields
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require

from .. import permissions, richtext, shield
from ..models import (
    Column,
    Item,
)

# --- items -------------------------------------------------------------------------------


def item_validate(
    *, agency: Agency, column: Column, title: str, formed_on: date, genre: str, **fields
) -> None:
    """Check an item exactly as `item_create` would, without saving it (imports check every
    row before writing any). Raises ValidationError."""
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    _clean_item(
        Item(agency=agency, column=column, title=title, formed_on=formed_on, genre=genre, **fields)
    )


@transaction.atomic
def item_create(
    *,
    actor: User,
    agency: Agency,
    column: Column,
    title: str,
    formed_on: date,
    genre: str,
    drafts: str = "",
    **fields,
) -> Item:
    """A new draft item. `drafts`: the form's token; the files uploaded under it before this
    first save (draft_attachment_add, item_docx_import) become the item's attachments."""
    require(permissions.can_create_item(actor, agency))
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    item = Item(
        agency=agency,
        column=column,
        title=title,
        formed_on=formed_on,
        genre=genre,
        created_by=actor,
        **fields,
    )
    _clean_item(item)
    item.save()
    _content_changed(item, actor)
    audit_record(
        actor=actor,
        verb="item.create",
        obj=item,
        agency=agency,
        after=_item_snapshot(item),
    )
    if drafts:
        _adopt_drafts(actor=actor, item=item, token=drafts)
    return item


@transaction.atomic
def item_update(*, actor: User, item: Item, data: dict, drafts: str = "") -> Item:
    """Change a draft's fields; `drafts` as for item_create (files uploaded on the form)."""
    item = _locked(item)
    require(permissions.can_edit_item(actor, item))
    unknown = set(data) - ITEM_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before = _item_snapshot(item)
    for field, value in data.items():
        setattr(item, field, value)
    _clean_item(item)
    item.save()
    old, new = changed_fields(before, _item_snapshot(item))
    if new:
        _content_changed(item, actor)
        audit_record(
            actor=actor, verb="item.update", obj=item, agency=item.agency, before=old, after=new
        )
    if drafts and _adopt_drafts(actor=actor, item=item, token=drafts):
        _content_changed(item, actor)
    return item


@transaction.atomic
def item_mask_findings(*, actor: User, item: Item) -> Item:
    """Mask every finding in title, summary and body in one action (去标识化)."""
    item = _locked(item)
    require(permissions.can_edit_item(actor, item))
    before = {"title": item.title, "summary": item.summary, "body": item.body}
    # one masker for all three: a name found in context anywhere in the item is masked
    # wherever it is written, as are the names the agency knows
    masker = shield.item_masker(item)
    item.title = masker(item.title)
    item.summary = masker(item.summary)
    item.body = richtext.mask_html(item.body, masker=masker)
    after = {"title": item.title, "summary": item.summary, "body": item.body}
    if after != before:
        item.save()
        _content_changed(item, actor)
        masked = [k for k in after if after[k] != before[k]]
        # The audit keeps which fields were masked, not the personal data itself.
        audit_record(
            actor=actor, verb="item.mask", obj=item, agency=item.agency, after={"masked": masked}
        )
    return item
