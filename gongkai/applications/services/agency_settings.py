"""An agency's letter templates and application settings."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require

from .. import letters, permissions
from ..models import ApplicationSettings, LetterTemplate

# --- templates and settings ------------------------------------------------------------------


@transaction.atomic
def letter_template_update(
    *, actor: User, agency: Agency, kind: str, family: str = "", title: str, body: str
) -> LetterTemplate:
    """A new version of the agency's template; letters already issued keep theirs."""
    require(permissions.can_manage_letter_templates(actor, agency))
    if (kind, family) not in {(k, f) for k, f in _template_keys()}:
        raise ValidationError(_("Unknown letter."))
    if not title.strip() or not body.strip():
        raise ValidationError(_("A letter needs a title and a text."))
    current = letters.current_template(agency, kind, family)
    latest = (
        LetterTemplate.objects.filter(agency=agency, kind=kind, family=family)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    ) or 0
    LetterTemplate.objects.filter(agency=agency, kind=kind, family=family).update(is_current=False)
    template = LetterTemplate.objects.create(
        agency=agency,
        kind=kind,
        family=family,
        version=latest + 1,
        title=title.strip()[:100],
        body=body.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb="letter_template.update",
        obj=template,
        agency=agency,
        before={"version": current.version, "agency": current.agency_id},
        after={"version": template.version},
    )
    return template


def _template_keys():
    from ..defaults import TEMPLATES

    return TEMPLATES.keys()


@transaction.atomic
def application_settings_update(*, actor: User, agency: Agency, data: dict) -> ApplicationSettings:
    require(permissions.can_manage_letter_templates(actor, agency))
    allowed_fields = set(ApplicationSettings.EDITABLE_FIELDS)
    unknown = set(data) - allowed_fields
    if unknown:
        raise ValidationError(
            _("Unknown settings: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    config, _created = ApplicationSettings.objects.select_for_update().get_or_create(agency=agency)
    before = {name: getattr(config, name) for name in allowed_fields}
    for name, value in data.items():
        setattr(config, name, value)
    if "letter_pattern" in data:
        letters.validate_number_pattern(config.letter_pattern)
    if "number_pattern" in data and len(re.findall(r"\{N+\}", config.number_pattern)) != 1:
        raise ValidationError(
            _("The pattern must contain exactly one serial token such as {NNNN}.")
        )
    config.full_clean()
    config.save()
    audit_record(
        actor=actor,
        verb="application_settings.update",
        obj=config,
        agency=agency,
        before=before,
        after={name: getattr(config, name) for name in allowed_fields},
    )
    return config
