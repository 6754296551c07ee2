"""Writes of service matters. Keyword-only, permission-checked, audited in the same transaction.

A 办事指南 is 政府信息 to be disclosed proactively (条例 第二十条（五）), so publishing a matter also
publishes a catalogue item in the agency's 办事指南 column through the catalogue's own services,
with the catalogue's four-eyes review: the item is written (created and submitted) by the person
who wrote the matter's current version, and approved and published by the person publishing the
matter, who must be someone else. Publishing a revised matter withdraws the item of the previous
version and publishes a new one; retiring a matter withdraws its item.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue import permissions as catalogue_permissions
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Column, Item, ItemStatus
from gongkai.catalogue.taxonomy import ColumnType, Genre
from gongkai.core.audit import audit_record, changed_fields, snapshot
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require

from . import guide, permissions
from .models import (
    DEFAULT_SECTORS,
    Material,
    MaterialForm,
    Matter,
    MatterStatus,
    ServiceSector,
    Star,
    StarCriterion,
)
from .workflow import MACHINE, Action

GUIDE_COLUMN = "办事指南"

# In the order of the staff form.
MATTER_FIELD_ORDER = (
    "name",
    "code",
    "matter_type",
    "legal_basis",
    "conditions",
    "procedure",
    "statutory_days",
    "promised_days",
    "charged",
    "fee_basis",
    "fee_standard",
    "place",
    "hours",
    "consult_phone",
    "complaint_phone",
    "star",
    "online_application",
    "fully_online",
    "express_delivery",
    "zero_visit",
    "online",
    "mobile",
    "at_most_once",
    "at_most_once_required",
    "sector",
    "no_difference",
)
MATTER_FIELDS = frozenset(MATTER_FIELD_ORDER)
MATERIAL_FIELDS = ("name", "copies", "form", "required", "note")
AUDITED_FIELDS = sorted(MATTER_FIELDS | {"status", "published_on", "retired_on", "item"})


class WorkflowError(ValidationError):
    """A move the transitions table does not allow from the matter's current status."""


# --- agency configuration ----------------------------------------------------------------


@transaction.atomic
def sector_create(
    *, actor: User | None, agency: Agency, name: str, position: int = 0
) -> ServiceSector:
    if actor is not None:
        require(permissions.can_configure_matters(actor, agency))
    sector = ServiceSector(agency=agency, name=name.strip(), position=position)
    sector.full_clean()
    sector.save()
    audit_record(
        actor=actor, verb="sector.create", obj=sector, agency=agency, after=snapshot(sector)
    )
    return sector


@transaction.atomic
def sector_update(*, actor: User | None, sector: ServiceSector, data: dict) -> ServiceSector:
    if actor is not None:
        require(permissions.can_configure_matters(actor, sector.agency))
    unknown = set(data) - {"name", "position", "is_active"}
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before = snapshot(sector)
    for field, value in data.items():
        setattr(sector, field, value)
    sector.full_clean()
    sector.save()
    old, new = changed_fields(before, snapshot(sector))
    if new:
        audit_record(
            actor=actor,
            verb="sector.update",
            obj=sector,
            agency=sector.agency,
            before=old,
            after=new,
        )
    return sector


def sectors_ensure_defaults(agency: Agency) -> list[ServiceSector]:
    """The agency's sectors; the seven default 板块 are created the first time (system write)."""
    sectors = list(ServiceSector.objects.filter(agency=agency))
    if not sectors:
        sectors = [
            sector_create(actor=None, agency=agency, name=name, position=position)
            for position, name in enumerate(DEFAULT_SECTORS, 1)
        ]
    return sectors


@transaction.atomic
def star_criterion_set(
    *, actor: User | None, agency: Agency, star: int, text: str
) -> StarCriterion:
    """Record what the agency requires for `star` (replacing what was recorded before)."""
    if actor is not None:
        require(permissions.can_configure_matters(actor, agency))
    if star not in Star.values:
        raise ValidationError({"star": _("Choose a star level from one to five.")})
    if not text.strip():
        raise ValidationError({"text": _("Describe the criteria of this star level.")})
    criterion = StarCriterion.objects.filter(agency=agency, star=star).first()
    before = criterion.text if criterion else None
    if criterion is None:
        criterion = StarCriterion(agency=agency, star=star)
    criterion.text = text.strip()
    criterion.full_clean()
    criterion.save()
    if before != criterion.text:
        audit_record(
            actor=actor,
            verb="star_criterion.set",
            obj=criterion,
            agency=agency,
            before={"star": star, "text": before} if before is not None else None,
            after={"star": star, "text": criterion.text},
        )
    return criterion


# --- matters -----------------------------------------------------------------------------


def _clean_matter(matter: Matter) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    matter.name = (matter.name or "").strip()
    matter.code = (matter.code or "").strip()
    if matter.sector is not None and matter.sector.agency_id != matter.agency_id:
        add("sector", _("The sector belongs to another agency."))
    if matter.no_difference and not matter.sector_id:
        add("sector", _("Choose the sector whose windows accept this matter (无差别受理)."))
    if (
        matter.statutory_days is not None
        and matter.promised_days is not None
        and matter.promised_days > matter.statutory_days
    ):
        add("promised_days", _("The promised time limit cannot exceed the statutory one."))
    if matter.charged and not matter.fee_standard.strip():
        add("fee_standard", _("Give the fee standard of a charged matter."))
    if not matter.charged:
        matter.fee_basis = ""
        matter.fee_standard = ""
    if matter.zero_visit and not matter.at_most_once:
        add("at_most_once", _("A matter that needs no visit (跑零次) is also 最多跑一次."))
    if matter.fully_online and not matter.online:
        add("online", _("A matter handled fully online (全程网办) can be handled online."))
    if errors:
        raise ValidationError(errors)
    # The unique code is checked by _check_code_free, with a message naming the field.
    matter.full_clean(exclude=["created_by", "updated_by", "item"], validate_constraints=False)


def _clean_materials(rows: Sequence[dict]) -> list[Material]:
    """Unsaved materials from dicts of MATERIAL_FIELDS; errors under "materials"."""
    materials, messages = [], []
    for position, row in enumerate(rows, 1):
        unknown = set(row) - set(MATERIAL_FIELDS)
        if unknown:
            raise TypeError(f"unknown material fields: {sorted(unknown)}")
        material = Material(
            position=position,
            name=(row.get("name") or "").strip(),
            copies=row.get("copies") or 1,
            form=row.get("form") or MaterialForm.ORIGINAL,
            required=row.get("required", True),
            note=(row.get("note") or "").strip(),
        )
        try:
            material.full_clean(exclude=["matter"])
        except ValidationError as exc:
            for field, field_messages in exc.message_dict.items():
                # a field of Material (never a reverse relation, which has no verbose_name)
                label = getattr(Material._meta.get_field(field), "verbose_name", field)
                for message in field_messages:
                    messages.append(
                        _("Material %(n)d, %(field)s: %(message)s")
                        % {"n": position, "field": label, "message": message}
                    )
        materials.append(material)
    names = [m.name for m in materials]
    for position, name in enumerate(names, 1):
        if name and names.index(name) + 1 != position:
            messages.append(_("Material %(n)d repeats “%(name)s”.") % {"n": position, "name": name})
    if messages:
        raise ValidationError({"materials": messages})
    return materials


def _materials_snapshot(materials) -> list[dict]:
    return [
        {"name": m.name, "copies": m.copies, "form": m.form, "required": m.required, "note": m.note}
        for m in materials
    ]


def _check_code_free(matter: Matter) -> None:
    taken = Matter.objects.filter(agency_id=matter.agency_id, code=matter.code)
    if matter.pk:
        taken = taken.exclude(pk=matter.pk)
    if matter.code and taken.exists():
        raise ValidationError(
            {"code": _("Another matter of this agency has the code “%s”.") % matter.code}
        )


def matter_validate(*, agency: Agency, materials: Sequence[dict] = (), **fields) -> None:
    """Check a new matter exactly as `matter_create` would, without saving it (imports check
    every row before writing any). Raises ValidationError."""
    unknown = set(fields) - MATTER_FIELDS
    if unknown:
        raise TypeError(f"unknown matter fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    try:
        _clean_matter(Matter(agency=agency, **fields))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _clean_materials(list(materials))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def matter_create(
    *, actor: User, agency: Agency, materials: Sequence[dict] = (), **fields
) -> Matter:
    require(permissions.can_create_matter(actor, agency))
    unknown = set(fields) - MATTER_FIELDS
    if unknown:
        raise TypeError(f"unknown matter fields: {sorted(unknown)}")
    matter = Matter(agency=agency, created_by=actor, updated_by=actor, **fields)
    errors: dict[str, list[str]] = {}
    try:
        _clean_matter(matter)
        _check_code_free(matter)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        rows = _clean_materials(list(materials))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    matter.save()
    for row in rows:
        row.matter = matter
    Material.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        verb="matter.create",
        obj=matter,
        agency=agency,
        after={**snapshot(matter, AUDITED_FIELDS), "materials": _materials_snapshot(rows)},
    )
    return matter


def _locked(matter: Matter) -> Matter:
    return (
        Matter.objects.select_for_update(of=("self",))
        .select_related("agency", "sector", "item")
        .get(pk=matter.pk)
    )


def _move(*, actor: User | None, matter: Matter, action: Action, extra: dict | None = None):
    # the service has checked the permission where its refusals come in order
    MACHINE.apply(matter, action, actor=actor, after=extra, check_permission=False)


@transaction.atomic
def matter_update(
    *, actor: User, matter: Matter, data: dict, materials: list[dict] | None = None
) -> Matter:
    """Change a draft or published matter (and, when given, replace its materials).

    A published matter that changes becomes a draft (the `revise` move): its public guide and
    catalogue item stay at the published version until a reviewer publishes the new one.
    """
    matter = _locked(matter)
    require(permissions.can_edit_matter(actor, matter))
    unknown = set(data) - MATTER_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before = snapshot(matter, AUDITED_FIELDS)
    old_materials = _materials_snapshot(matter.materials.all())
    for field, value in data.items():
        setattr(matter, field, value)
    errors: dict[str, list[str]] = {}
    try:
        _clean_matter(matter)
        _check_code_free(matter)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    rows = None
    if materials is not None:
        try:
            rows = _clean_materials(list(materials))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    new_materials = _materials_snapshot(rows) if rows is not None else old_materials
    old, new = changed_fields(before, snapshot(matter, AUDITED_FIELDS))
    if new_materials != old_materials:
        old["materials"], new["materials"] = old_materials, new_materials
    if not new:
        return matter
    matter.updated_by = actor
    matter.save()
    if rows is not None and new_materials != old_materials:
        matter.materials.all().delete()
        for row in rows:
            row.matter = matter
        Material.objects.bulk_create(rows)
    audit_record(
        actor=actor, verb="matter.update", obj=matter, agency=matter.agency, before=old, after=new
    )
    if matter.status == MatterStatus.PUBLISHED:
        _move(actor=actor, matter=matter, action=Action.REVISE)
    return matter


def guide_column(agency: Agency) -> Column:
    """The agency's 办事指南 column, created (at the root) the first time it is needed."""
    column = (
        Column.objects.filter(agency=agency, name=GUIDE_COLUMN, is_active=True)
        .order_by("parent_id", "id")
        .first()
    )
    if column is None:
        column = catalogue_services.column_create(
            actor=None,
            agency=agency,
            name=GUIDE_COLUMN,
            column_type=ColumnType.OTHER,
            position=Column.objects.filter(agency=agency, parent=None).count() + 1,
        )
    return column


def _withdraw_item(*, actor: User, item: Item | None, reason: str) -> None:
    if item is not None and item.status in (ItemStatus.APPROVED, ItemStatus.PUBLISHED):
        catalogue_services.item_withdraw(actor=actor, item=item, reason=reason)


@transaction.atomic
def matter_publish(
    *,
    actor: User,
    matter: Matter,
    checks: catalogue_services.ReviewChecks,
    published_at: datetime | None = None,
) -> Matter:
    """Publish a draft: its guide page goes online and a catalogue item discloses it.

    The catalogue item is written by the author of the matter's current version and approved by
    `actor` with the review `checks` (secrecy, privacy, wording). `published_at` is for the
    system only (the demo loader and imports of matters published before the agency used
    gongkai): the catalogue records a past publication date only as the system.
    """
    matter = _locked(matter)
    MACHINE.check(matter, Action.PUBLISH)  # the status first
    if permissions.is_own_version(actor, matter):
        raise PermissionDenied(
            _("Four eyes: you cannot publish a version of a matter you wrote yourself.")
        )
    MACHINE.require(actor, matter, Action.PUBLISH)
    author = matter.updated_by
    if not catalogue_permissions.can_create_item(author, matter.agency):
        raise ValidationError(
            _(
                "%(author)s wrote this version but can no longer write catalogue items: an "
                "editor must save the matter again before it is published."
            )
            % {"author": author.get_full_name() or author.username}
        )
    when = published_at or timezone.now()
    previous = matter.item
    # Stored data (the withdrawal notice of the portal shows it): Chinese, not translated.
    _withdraw_item(actor=actor, item=previous, reason="办事指南已更新，由新版本替代。")
    column = guide_column(matter.agency)
    title, summary, body = guide.item_content(matter)
    item = catalogue_services.item_create(
        actor=author,
        agency=matter.agency,
        column=column,
        title=title,
        formed_on=timezone.localdate(when),
        genre=Genre.OTHER,
        summary=summary,
        body=body,
    )
    item = catalogue_services.item_submit(actor=author, item=item)
    item = catalogue_services.item_approve(
        actor=actor, item=item, checks=checks, publish_now=published_at is None
    )
    if published_at is not None:
        item = catalogue_services.item_publish(actor=None, item=item, published_at=published_at)
    matter.item = item
    if matter.published_on is None:
        matter.published_on = timezone.localdate(when)
    _move(
        actor=actor,
        matter=matter,
        action=Action.PUBLISH,
        extra={
            "item": item.pk,
            "replaces": previous.pk if previous else None,
            "published_on": matter.published_on,
        },
    )
    return matter


@transaction.atomic
def matter_retire(
    *, actor: User, matter: Matter, reason: str, retired_on: date | None = None
) -> Matter:
    """Take a matter out of the service hall; its catalogue item is withdrawn."""
    matter = _locked(matter)
    MACHINE.check(matter, Action.RETIRE)  # the status first
    MACHINE.require(actor, matter, Action.RETIRE)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for retiring the matter.")})
    _withdraw_item(actor=actor, item=matter.item, reason=reason)
    matter.retired_on = retired_on or timezone.localdate()
    matter.retired_reason = reason.strip()
    _move(
        actor=actor,
        matter=matter,
        action=Action.RETIRE,
        extra={"reason": matter.retired_reason, "retired_on": matter.retired_on},
    )
    return matter


@transaction.atomic
def matter_reopen(*, actor: User, matter: Matter) -> Matter:
    """A retired matter becomes a draft again; publishing it lists it in the hall anew."""
    matter = _locked(matter)
    MACHINE.check(matter, Action.REOPEN)  # the status first
    MACHINE.require(actor, matter, Action.REOPEN)
    before = {"published_on": matter.published_on, "retired_on": matter.retired_on}
    matter.published_on = None
    matter.retired_on = None
    matter.retired_reason = ""
    matter.updated_by = actor
    _move(actor=actor, matter=matter, action=Action.REOPEN, extra={"was": before})
    return matter
