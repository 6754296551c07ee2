"""Writes of the portal: its per-agency settings. Keyword-only, permission-checked, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import permissions
from gongkai.core.audit import audit_record, changed_fields, snapshot
from gongkai.core.models import Agency, User

from .models import PortalSettings

EDITABLE_FIELDS = frozenset(
    {
        "site_name",
        "sponsor",
        "operator",
        "site_code",
        "icp_record",
        "police_record",
        "police_record_code",
        "badge_image",
        "badge_url",
        "contact_phone",
        "contact_email",
    }
)


def _snapshot(config: PortalSettings) -> dict:
    fields = sorted(EDITABLE_FIELDS - {"badge_image"})
    return {**snapshot(config, fields), "badge_image": config.badge_image.name or ""}


@transaction.atomic
def portal_settings_update(*, actor: User | None, agency: Agency, data: dict) -> PortalSettings:
    """Create or change the agency's portal settings (actor=None: the system, e.g. the demo)."""
    if actor is not None:
        permissions.require(permissions.can_change_agency(actor, agency))
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    config, created = PortalSettings.objects.select_for_update().get_or_create(agency=agency)
    before = _snapshot(config)
    for field, value in data.items():
        if field == "badge_image" and not value:
            value = ""  # the admin's "clear" checkbox gives False
        setattr(config, field, value)
    config.full_clean()
    config.save()
    old, new = changed_fields(before, _snapshot(config))
    if new or created:
        audit_record(
            actor=actor,
            verb="portal.settings_update",
            obj=config,
            agency=agency,
            before=None if created else old,
            after=_snapshot(config) if created else new,
        )
    return config
