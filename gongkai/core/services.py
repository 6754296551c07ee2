"""Writes for agencies, users, roles, logins and the working-day calendar.

Every function is keyword-only, checks the actor's permission (actor=None means the system
itself: migrations, seeding commands), and records an audit event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import deadlines, permissions
from .audit import audit_record, changed_fields, snapshot
from .models import (
    Agency,
    CalendarDay,
    CalendarYear,
    DayKind,
    Membership,
    Role,
    User,
)
from .notice import NoticeSchedule, read_notice
from .permissions import require
from .workdays import PACKAGE_SOURCE, package_schedules

AGENCY_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "short_name",
        "slug",
        "level",
        "uscc",
        "is_active",
        "office_name",
        "office_address",
        "office_hours",
        "office_phone",
        "office_fax",
        "office_email",
        "office_postcode",
    }
)


def _set_path(agency: Agency) -> None:
    parent_path = agency.parent.path if agency.parent is not None else "/"
    agency.path = f"{parent_path}{agency.pk}/"
    agency.depth = parent_path.count("/") - 1


@transaction.atomic
def agency_create(
    *,
    actor: User | None,
    name: str,
    short_name: str,
    slug: str,
    level: str,
    uscc: str,
    parent: Agency | None = None,
    **office: str,
) -> Agency:
    if actor is not None:
        require(permissions.can_create_agency(actor, parent))
    unknown = set(office) - AGENCY_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"unknown agency fields: {sorted(unknown)}")
    agency = Agency(
        name=name,
        short_name=short_name,
        slug=slug,
        level=level,
        uscc=uscc.strip().upper(),
        parent=parent,
        **office,
    )
    agency.full_clean(exclude=["path", "depth"])
    agency.save()
    _set_path(agency)
    agency.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor, verb="agency.create", obj=agency, agency=agency, after=snapshot(agency)
    )
    return agency


@transaction.atomic
def agency_update(*, actor: User | None, agency: Agency, data: dict) -> Agency:
    if actor is not None:
        require(permissions.can_change_agency(actor, agency))
    unknown = set(data) - AGENCY_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = snapshot(agency)
    for field, value in data.items():
        setattr(agency, field, value)
    agency.uscc = agency.uscc.strip().upper()
    agency.full_clean(exclude=["path", "depth"])
    agency.save()
    old, new = changed_fields(before, snapshot(agency))
    if new:
        audit_record(
            actor=actor, verb="agency.update", obj=agency, agency=agency, before=old, after=new
        )
    return agency


@transaction.atomic
def agency_set_publishes_annual_report(
    *, actor: User | None, agency: Agency, value: bool
) -> Agency:
    """Set whether the agency owes its own annual report (the roll-up matrix expects only those
    that do); decided by an administrator above it. Audited when it changes."""
    if actor is not None:
        require(permissions.can_set_publishes_annual_report(actor, agency))
    if not isinstance(value, bool):
        raise ValidationError(_("Say yes or no."))
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.publishes_annual_report == value:
        return agency
    agency.publishes_annual_report = value
    agency.save(update_fields=["publishes_annual_report", "updated_at"])
    audit_record(
        actor=actor,
        verb="agency.publishes_annual_report_set",
        obj=agency,
        agency=agency,
        before={"publishes_annual_report": not value},
        after={"publishes_annual_report": value},
    )
    return agency


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    last_name: str = "",
    first_name: str = "",
    email: str = "",
    agency: Agency | None = None,
    is_superuser: bool = False,
) -> User:
    """Create a staff account; an agency admin may create users only for an agency they manage."""
    if actor is not None:
        require(
            actor.is_superuser
            or (
                agency is not None
                and not is_superuser
                and permissions.can_change_agency(actor, agency)
            )
        )
    user = User(
        username=username,
        last_name=last_name,
        first_name=first_name,
        email=email,
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        verb="user.create",
        obj=user,
        agency=agency,
        after=snapshot(user, ["username", "last_name", "first_name", "email", "is_superuser"]),
    )
    return user


def _sync_staff_flag(user: User) -> None:
    # Agency administrators use Django's admin (scoped); other roles use the staff pages only.
    should_be_staff = user.is_superuser or user.memberships.filter(role=Role.AGENCY_ADMIN).exists()
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def membership_grant(*, actor: User | None, user: User, agency: Agency, role: str) -> Membership:
    if actor is not None:
        require(permissions.can_manage_memberships(actor, agency))
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %s") % role)
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    if created:
        _sync_staff_flag(user)
        audit_record(
            actor=actor,
            verb="membership.grant",
            obj=membership,
            agency=agency,
            after={"user": user.username, "role": role},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership) -> None:
    if actor is not None:
        require(permissions.can_manage_memberships(actor, membership.agency))
    audit_record(
        actor=actor,
        verb="membership.revoke",
        obj=membership,
        agency=membership.agency,
        before={"user": membership.user.username, "role": membership.role},
    )
    user = membership.user
    membership.delete()
    _sync_staff_flag(user)


# Logins are checked and counted by django-axes (gongkai.core.lockout); these record them.


@transaction.atomic
def login_record(*, user: User) -> None:
    """A successful login, through any login page (the staff one or the admin's)."""
    audit_record(actor=user, verb="user.login", obj=user)


@transaction.atomic
def lockout_record(*, username: str, until, ip: str | None) -> None:
    """A login lockout: too many failures for this name from this address, or from the address
    for any names. The failures themselves are in axes' AccessFailureLog."""
    audit_record(
        actor=None,
        verb="user.lockout",
        object_type="core.user",
        object_repr=(username or "")[:150],
        after={"until": until, "ip": ip},
    )


# --- working-day calendar ----------------------------------------------------------------


def _check_schedule(
    year: int, holidays: Iterable[tuple[date, str]], workdays: Iterable[tuple[date, str]]
):
    errors = []
    seen: set[date] = set()
    for day, _name in [*holidays, *workdays]:
        if day.year != year:
            errors.append(_("%(day)s is not in %(year)d.") % {"day": day, "year": year})
        if day in seen:
            errors.append(_("%(day)s is listed twice.") % {"day": day})
        seen.add(day)
    for day, _name in holidays:
        if day.weekday() >= 5:
            errors.append(
                _("%(day)s is a weekend day; only weekdays can be holidays here.") % {"day": day}
            )
    for day, _name in workdays:
        if day.weekday() < 5:
            errors.append(
                _("%(day)s is a weekday; only weekend days can be make-up workdays.") % {"day": day}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def calendar_year_set(
    *,
    actor: User | None,
    year: int,
    holidays: list[tuple[date, str]],
    workdays: list[tuple[date, str]],
    source: str = "",
) -> CalendarYear:
    """Replace a year's whole schedule and mark it complete: a year is entered only as a whole.

    `holidays` are weekdays off, `workdays` weekend days worked (调休上班). Every deadline that
    waited for the year is recomputed in the same transaction; the returned year's `recomputed`
    lists what moved (core.deadlines.Moved).
    """
    if actor is not None:
        require(permissions.can_change_calendar(actor))
    _check_schedule(year, holidays, workdays)
    calendar_year, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    before = {
        "complete": calendar_year.is_complete,
        "days": sorted(f"{d.date}:{d.kind}:{d.name}" for d in calendar_year.days.all()),
    }
    new_days = [
        CalendarDay(calendar_year=calendar_year, date=d, kind=DayKind.HOLIDAY, name=n)
        for d, n in holidays
    ]
    new_days += [
        CalendarDay(calendar_year=calendar_year, date=d, kind=DayKind.WORKDAY, name=n)
        for d, n in workdays
    ]
    after = {"complete": True, "days": sorted(f"{d.date}:{d.kind}:{d.name}" for d in new_days)}
    if before == after and calendar_year.source == source:
        calendar_year.recomputed = []
        return calendar_year
    calendar_year.days.all().delete()
    CalendarDay.objects.bulk_create(new_days)
    calendar_year.is_complete = True
    calendar_year.source = source
    calendar_year.save()
    audit_record(
        actor=actor, verb="calendar.year_set", obj=calendar_year, before=before, after=after
    )
    # The deadlines that waited for this year (or were counted with an earlier version of it).
    calendar_year.recomputed = deadlines.recompute_pending(year=year, actor=actor)
    return calendar_year


def calendar_seed_from_package(*, actor: User | None = None, progress=None) -> list[int]:
    """Load every year the `chinesecalendar` package covers; safe to rerun. Returns the years set."""
    done = []
    for year, (holidays, workdays) in sorted(package_schedules().items()):
        calendar_year_set(
            actor=actor, year=year, holidays=holidays, workdays=workdays, source=PACKAGE_SOURCE
        )
        done.append(year)
        if progress is not None:
            progress(year)
    return done


# Stored as the year's source: a record value, the same whatever the reader's language.
NOTICE_PASTE_SOURCE = "国务院办公厅通知（粘贴）"


def calendar_year_set_from_notice(
    *, actor: User | None, text: str, source: str = NOTICE_PASTE_SOURCE
) -> CalendarYear:
    """Read the State Council's notice (text or HTML) and enter its year; NoticeError if unread."""
    if actor is not None:
        require(permissions.can_change_calendar(actor))
    return calendar_notice_save(actor=actor, notice=read_notice(text), source=source)


@transaction.atomic
def calendar_notice_save(
    *, actor: User | None, notice: NoticeSchedule, source: str
) -> CalendarYear:
    """Enter a read notice: its year replaced as a whole, as the admin form does.

    Days the notice sets in the previous December (元旦 from 12-31, a 上班 day before it) are
    merged into that year, which must already be complete: those days alone are not a year.
    """
    if actor is not None:
        require(permissions.can_change_calendar(actor))
    source = source[:200]
    by_year = notice.schedules_by_year()
    named = {day for day, _name in [*notice.holidays, *notice.workdays]}
    for year in notice.other_years():
        existing = CalendarYear.objects.filter(year=year, is_complete=True).first()
        if existing is None:
            raise ValidationError(
                _(
                    "The notice also sets days in %(year)d, whose schedule has not been "
                    "entered: enter %(year)d first."
                )
                % {"year": year}
            )
        kept = [d for d in existing.days.all() if d.date not in named]
        holidays, workdays = by_year[year]
        holidays = [(d.date, d.name) for d in kept if d.kind == DayKind.HOLIDAY] + holidays
        workdays = [(d.date, d.name) for d in kept if d.kind == DayKind.WORKDAY] + workdays
        merged_source = (
            existing.source if source in existing.source else f"{existing.source}；{source}"
        )
        calendar_year_set(
            actor=actor,
            year=year,
            holidays=sorted(holidays),
            workdays=sorted(workdays),
            source=merged_source.strip("；")[:200],
        )
    holidays, workdays = by_year[notice.year]
    return calendar_year_set(
        actor=actor, year=notice.year, holidays=holidays, workdays=workdays, source=source
    )
