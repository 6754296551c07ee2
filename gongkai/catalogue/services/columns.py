"""Writes of the catalogue's columns, settings and channels."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record, changed_fields, snapshot
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require

from .. import indexing, permissions
from ..models import (
    CatalogueSettings,
    Channel,
    Column,
)
from ..taxonomy import ChannelKind

# --- columns, settings, channels ---------------------------------------------------------


@transaction.atomic
def column_create(
    *,
    actor: User | None,
    agency: Agency,
    name: str,
    column_type: str,
    parent: Column | None = None,
    position: int = 0,
) -> Column:
    if actor is not None:
        require(permissions.can_manage_columns(actor, agency))
    if parent is not None and parent.agency_id != agency.pk:
        raise ValidationError(_("The parent column belongs to another agency."))
    column = Column(
        agency=agency, parent=parent, name=name, column_type=column_type, position=position
    )
    column.full_clean()
    column.save()
    audit_record(
        actor=actor, verb="column.create", obj=column, agency=agency, after=snapshot(column)
    )
    return column


@transaction.atomic
def column_update(*, actor: User | None, column: Column, data: dict) -> Column:
    if actor is not None:
        require(permissions.can_manage_columns(actor, column.agency))
    unknown = set(data) - {"name", "column_type", "position", "is_active", "parent"}
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before = snapshot(column)
    for field, value in data.items():
        setattr(column, field, value)
    if column.parent is not None and column.parent.agency_id != column.agency_id:
        raise ValidationError(_("The parent column belongs to another agency."))
    column.full_clean()
    column.save()
    old, new = changed_fields(before, snapshot(column))
    if new:
        audit_record(
            actor=actor,
            verb="column.update",
            obj=column,
            agency=column.agency,
            before=old,
            after=new,
        )
    return column


@transaction.atomic
def catalogue_settings_update(
    *, actor: User | None, agency: Agency, index_pattern: str
) -> CatalogueSettings:
    if actor is not None:
        require(permissions.can_manage_columns(actor, agency))
    indexing.validate_pattern(index_pattern)
    config, _created = CatalogueSettings.objects.get_or_create(agency=agency)
    before = config.index_pattern
    config.index_pattern = index_pattern
    config.save()
    if before != index_pattern or _created:
        audit_record(
            actor=actor,
            verb="catalogue.settings_update",
            obj=config,
            agency=agency,
            before={"index_pattern": before},
            after={"index_pattern": index_pattern},
        )
    return config


@transaction.atomic
def channel_create(
    *, actor: User | None, agency: Agency, kind: str, name: str, account: str = "", url: str = ""
) -> Channel:
    if actor is not None:
        require(permissions.can_manage_channels(actor, agency))
    channel = Channel(agency=agency, kind=kind, name=name, account=account, url=url)
    channel.full_clean()
    channel.save()
    audit_record(
        actor=actor, verb="channel.create", obj=channel, agency=agency, after=snapshot(channel)
    )
    return channel


def website_channel(agency: Agency) -> Channel:
    """The agency's own website channel, created the first time it is needed."""
    channel = Channel.objects.filter(agency=agency, kind=ChannelKind.WEBSITE).first()
    if channel is None:
        channel = channel_create(
            actor=None, agency=agency, kind=ChannelKind.WEBSITE, name=agency.name
        )
    return channel
