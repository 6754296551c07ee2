"""What makes an agency's cached public pages obsolete: a new `PageGeneration` token.

Written for every change to what the agency's pages show: the agency's office details, its
portal settings, columns, channels and catalogue settings, and its items and their attachments
once an item has been published.

Every write the portal shows goes through the ORM (catalogue.services, the admin, the demo and
import loaders), so model signals see it; a write that bypasses them (raw SQL, a queryset
`update()`) is seen at the latest when the cached pages expire (the cache's TIMEOUT).

The token is written after the commit, never inside the writer's transaction: a publication or
an import does not hold a lock on the agency's row until it ends (writers of one agency would
queue behind each other, and could deadlock with the locks the services take), and no reader
can meet the new token before the data it stands for. Between the commit and the write a reader
may still be served the previous page, and processes other than the writer's read the token
again within `selectors.PAGE_STATE_SECONDS` (one second).
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from gongkai.catalogue.models import Attachment, CatalogueSettings, Channel, Column, Item
from gongkai.core.models import Agency

from . import selectors
from .models import PageGeneration, PortalSettings


def bump(agency_id: int | None) -> None:
    """Give the agency's pages a new generation once the current transaction commits."""
    if agency_id is not None:
        transaction.on_commit(lambda: _write(agency_id), robust=True)


def _write(agency_id: int) -> None:
    # An upsert: no read, and a random token rather than a counter, so that concurrent
    # writers need no lock and any write makes a token no reader has seen.
    PageGeneration.objects.bulk_create(
        [
            PageGeneration(
                agency_id=agency_id, token=secrets.randbits(62), changed_at=timezone.now()
            )
        ],
        update_conflicts=True,
        unique_fields=["agency"],
        update_fields=["token", "changed_at"],
    )
    # This process sees its own change at once; the others within PAGE_STATE_SECONDS.
    selectors.forget_page_cache_states()


def _agency_changed(sender, instance: Agency, **kwargs) -> None:
    """The office's details (also part of the key, by `updated_at`: a new token makes the
    process that changed them read them again at once)."""
    bump(instance.pk)


def _settings_changed(sender, instance: PortalSettings, **kwargs) -> None:
    bump(instance.agency_id)


def _structure_changed(sender, instance, **kwargs) -> None:
    """Columns, channels, the 索引号 rule: shown on many pages of the agency."""
    bump(instance.agency_id)


def _item_changed(sender, instance: Item, **kwargs) -> None:
    # Drafts and items under review show nowhere: an item matters once it has been published
    # (published_at is set then and kept, also when the item is withdrawn).
    if instance.published_at is not None:
        bump(instance.agency_id)


def _attachment_changed(sender, instance: Attachment, **kwargs) -> None:
    item = Item.objects.filter(pk=instance.item_id).values("agency_id", "published_at").first()
    if item is not None and item["published_at"] is not None:
        bump(item["agency_id"])


def connect() -> None:
    post_save.connect(_agency_changed, sender=Agency, dispatch_uid="portal-agency")
    post_save.connect(_settings_changed, sender=PortalSettings, dispatch_uid="portal-settings")
    post_delete.connect(_settings_changed, sender=PortalSettings, dispatch_uid="portal-set-del")
    for model in (Column, Channel, CatalogueSettings):
        post_save.connect(_structure_changed, sender=model, dispatch_uid=f"portal-{model}")
        post_delete.connect(_structure_changed, sender=model, dispatch_uid=f"portal-{model}-del")
    # The column trees this process keeps (selectors.kept_portal_columns) are forgotten at
    # once, not after the commit: a rolled-back column or agency must not leave its tree.
    for model in (Agency, Column):
        for signal in (post_save, post_delete):
            signal.connect(
                selectors.forget_column_trees, sender=model, dispatch_uid=f"portal-trees-{model}"
            )
    post_save.connect(_item_changed, sender=Item, dispatch_uid="portal-item")
    post_delete.connect(_item_changed, sender=Item, dispatch_uid="portal-item-del")
    post_save.connect(_attachment_changed, sender=Attachment, dispatch_uid="portal-attachment")
    post_delete.connect(_attachment_changed, sender=Attachment, dispatch_uid="portal-att-del")
