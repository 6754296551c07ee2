"""Writes of the operations records. Keyword-only, permission-checked, audited in the same
transaction. `actor=None` is the system (demo loader, management commands)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from gongkai import privacy
from gongkai.core.audit import audit_record, changed_fields, snapshot
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.privacy.findings import PERSON_NAME

from . import permissions, workflow
from .models import (
    Complaint,
    ComplaintStatus,
    Meeting,
    NewMediaAccount,
    OfficeYear,
    PostCount,
    SpecialFund,
    Training,
)

OFFICE_FIELDS = frozenset({"name", "units", "full_time_staff", "part_time_staff", "note"})
FUND_FIELDS = frozenset({"year", "amount_wan", "purpose", "note"})
MEETING_FIELDS = frozenset({"held_on", "title", "kind", "note"})
TRAINING_FIELDS = frozenset({"held_on", "title", "attendees", "note"})
COMPLAINT_FIELDS = frozenset({"received_on", "channel", "complainant", "contact", "summary"})
ACCOUNT_FIELDS = frozenset(
    {"platform", "name", "account", "status", "opened_on", "closed_on", "channel"}
)
POST_COUNT_FIELDS = frozenset({"period_start", "period_end", "count"})


def _complaint_snapshot(complaint: Complaint) -> dict:
    """The audited values with personal data masked: the trail must not keep it in clear."""
    values = snapshot(complaint)
    for name in ("contact", "summary", "handling"):
        values[name] = privacy.mask(values[name] or "")
    if values["complainant"]:
        values["complainant"] = privacy.mask_value(PERSON_NAME, values["complainant"])
    return values


def _create(actor: User | None, obj: models.Model, verb: str, agency: Agency, snap=snapshot):
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, verb=verb, obj=obj, agency=agency, after=snap(obj))
    return obj


def _update(
    actor: User | None,
    obj: models.Model,
    data: dict,
    allowed: frozenset,
    verb: str,
    agency: Agency,
    snap=snapshot,
):
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before = snap(obj)
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    old, new = changed_fields(before, snap(obj))
    if new:
        audit_record(actor=actor, verb=verb, obj=obj, agency=agency, before=old, after=new)
    return obj


def _manage(actor: User | None, agency: Agency) -> None:
    if actor is not None:
        require(permissions.can_manage_operations(actor, agency))


# --- the disclosure office -----------------------------------------------------------------


@transaction.atomic
def office_year_create(
    *,
    actor: User | None,
    agency: Agency,
    year: int,
    units: int,
    full_time_staff: int,
    part_time_staff: int = 0,
    name: str = "",
    note: str = "",
) -> OfficeYear:
    _manage(actor, agency)
    if OfficeYear.objects.filter(agency=agency, year=year).exists():
        raise ValidationError(
            {"year": _("The office of %(year)d is already recorded; edit it.") % {"year": year}}
        )
    office = OfficeYear(
        agency=agency,
        year=year,
        name=name,
        units=units,
        full_time_staff=full_time_staff,
        part_time_staff=part_time_staff,
        note=note,
    )
    return _create(actor, office, "office_year.create", agency)


@transaction.atomic
def office_year_update(*, actor: User | None, office: OfficeYear, data: dict) -> OfficeYear:
    _manage(actor, office.agency)
    return _update(actor, office, data, OFFICE_FIELDS, "office_year.update", office.agency)


# --- special funds -------------------------------------------------------------------------


@transaction.atomic
def fund_create(
    *,
    actor: User | None,
    agency: Agency,
    year: int,
    amount_wan: Decimal,
    purpose: str,
    note: str = "",
) -> SpecialFund:
    _manage(actor, agency)
    fund = SpecialFund(
        agency=agency, year=year, amount_wan=Decimal(amount_wan), purpose=purpose, note=note
    )
    return _create(actor, fund, "special_fund.create", agency)


@transaction.atomic
def fund_update(*, actor: User | None, fund: SpecialFund, data: dict) -> SpecialFund:
    _manage(actor, fund.agency)
    return _update(actor, fund, data, FUND_FIELDS, "special_fund.update", fund.agency)


# --- meetings and trainings ----------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *, actor: User | None, agency: Agency, held_on: date, title: str, kind: str, note: str = ""
) -> Meeting:
    _manage(actor, agency)
    meeting = Meeting(agency=agency, held_on=held_on, title=title, kind=kind, note=note)
    return _create(actor, meeting, "meeting.create", agency)


@transaction.atomic
def meeting_update(*, actor: User | None, meeting: Meeting, data: dict) -> Meeting:
    _manage(actor, meeting.agency)
    return _update(actor, meeting, data, MEETING_FIELDS, "meeting.update", meeting.agency)


@transaction.atomic
def training_create(
    *,
    actor: User | None,
    agency: Agency,
    held_on: date,
    title: str,
    attendees: int,
    note: str = "",
) -> Training:
    _manage(actor, agency)
    training = Training(agency=agency, held_on=held_on, title=title, attendees=attendees, note=note)
    return _create(actor, training, "training.create", agency)


@transaction.atomic
def training_update(*, actor: User | None, training: Training, data: dict) -> Training:
    _manage(actor, training.agency)
    return _update(actor, training, data, TRAINING_FIELDS, "training.update", training.agency)


# --- complaints (举报投诉) ------------------------------------------------------------------


@transaction.atomic
def complaint_create(
    *,
    actor: User | None,
    agency: Agency,
    received_on: date,
    channel: str,
    summary: str,
    complainant: str = "",
    contact: str = "",
) -> Complaint:
    if actor is not None:
        require(permissions.can_handle_complaint(actor, agency))
    complaint = Complaint(
        agency=agency,
        received_on=received_on,
        channel=channel,
        summary=summary,
        complainant=complainant,
        contact=contact,
    )
    return _create(actor, complaint, "complaint.create", agency, _complaint_snapshot)


@transaction.atomic
def complaint_update(*, actor: User | None, complaint: Complaint, data: dict) -> Complaint:
    if actor is not None:
        require(permissions.can_handle_complaint(actor, complaint.agency))
    return _update(
        actor,
        complaint,
        data,
        COMPLAINT_FIELDS,
        "complaint.update",
        complaint.agency,
        _complaint_snapshot,
    )


class WorkflowError(ValidationError):
    """A move the transitions table does not allow from the complaint's current status."""


@transaction.atomic
def complaint_transition(
    *,
    actor: User | None,
    complaint: Complaint,
    to: str,
    handling: str = "",
    on: date | None = None,
) -> Complaint:
    """Move a complaint along workflow.MACHINE. Closing needs the handling (what was done) and the
    closing date `on`; reopening clears the closing date."""
    if actor is not None:
        require(permissions.can_handle_complaint(actor, complaint.agency))
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if to not in workflow.MACHINE.names():
        raise workflow.refusal(complaint, to)
    workflow.MACHINE.check(complaint, to)
    before = _complaint_snapshot(complaint)
    if handling.strip():
        complaint.handling = handling.strip()
    if to == ComplaintStatus.CLOSED:
        if not complaint.handling.strip():
            raise ValidationError({"handling": _("Say how the complaint was handled.")})
        if on is None:
            raise ValidationError({"closed_on": _("Give the closing date.")})
        complaint.closed_on = on
    else:
        complaint.closed_on = None
    # the permission was checked above, before the row was locked
    workflow.MACHINE.apply(
        complaint,
        to,
        actor=actor,
        check_permission=False,
        clean=True,
        changes=lambda c: changed_fields(before, _complaint_snapshot(c)),
    )
    return complaint


# --- 政务新媒体 accounts and their post counts --------------------------------------------


@transaction.atomic
def account_create(
    *,
    actor: User | None,
    agency: Agency,
    platform: str,
    name: str,
    account: str = "",
    opened_on: date | None = None,
    channel=None,
) -> NewMediaAccount:
    _manage(actor, agency)
    record = NewMediaAccount(
        agency=agency,
        platform=platform,
        name=name,
        account=account,
        opened_on=opened_on,
        channel=channel,
    )
    return _create(actor, record, "new_media_account.create", agency)


@transaction.atomic
def account_update(*, actor: User | None, account: NewMediaAccount, data: dict) -> NewMediaAccount:
    """Change an account; closing it is `status` 已关停 with its `closed_on`."""
    _manage(actor, account.agency)
    return _update(actor, account, data, ACCOUNT_FIELDS, "new_media_account.update", account.agency)


def post_count_validate(
    *,
    account: NewMediaAccount,
    period_start: date,
    period_end: date,
    count: int,
    exclude_pk: int | None = None,
) -> None:
    """Every rule of a post count, without writing: the form and the import both ask."""
    record = PostCount(
        account=account, period_start=period_start, period_end=period_end, count=count
    )
    record.full_clean(exclude=["account", "source"], validate_unique=False)
    errors: dict[str, list[str]] = {}
    if account.opened_on and period_start < account.opened_on:
        errors.setdefault("period_start", []).append(
            _("The account was opened on %(date)s, after the period starts.")
            % {"date": account.opened_on.isoformat()}
        )
    if account.closed_on and period_end > account.closed_on:
        errors.setdefault("period_end", []).append(
            _("The account was closed on %(date)s, before the period ends.")
            % {"date": account.closed_on.isoformat()}
        )
    overlapping = PostCount.objects.filter(
        account=account, period_start__lte=period_end, period_end__gte=period_start
    )
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    clash = overlapping.first()
    if clash is not None:
        errors.setdefault("period_start", []).append(
            _("The period overlaps the one already recorded from %(start)s to %(end)s.")
            % {"start": clash.period_start.isoformat(), "end": clash.period_end.isoformat()}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def post_count_record(
    *,
    actor: User | None,
    account: NewMediaAccount,
    period_start: date,
    period_end: date,
    count: int,
    source: str = PostCount.Source.MANUAL,
) -> PostCount:
    _manage(actor, account.agency)
    # Lock the account: two recordings of overlapping periods must not both pass the check.
    NewMediaAccount.objects.select_for_update().filter(pk=account.pk).first()
    post_count_validate(
        account=account, period_start=period_start, period_end=period_end, count=count
    )
    record = PostCount(
        account=account,
        period_start=period_start,
        period_end=period_end,
        count=count,
        source=source,
    )
    return _create(actor, record, "post_count.create", account.agency)


@transaction.atomic
def post_count_update(*, actor: User | None, post_count: PostCount, data: dict) -> PostCount:
    account = post_count.account
    _manage(actor, account.agency)
    unknown = set(data) - POST_COUNT_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    NewMediaAccount.objects.select_for_update().filter(pk=account.pk).first()
    merged = {name: getattr(post_count, name) for name in POST_COUNT_FIELDS} | data
    post_count_validate(account=account, exclude_pk=post_count.pk, **merged)
    return _update(actor, post_count, data, POST_COUNT_FIELDS, "post_count.update", account.agency)
