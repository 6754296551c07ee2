"""Scoped reads. Every staff read starts from a queryset filtered by what the user may see."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Max, Q, QuerySet

from .models import (
    Agency,
    AuditEvent,
    CalendarDay,
    CalendarYear,
    DayKind,
    Membership,
    Role,
    Task,
    TaskStatus,
    User,
)
from .permissions import user_memberships
from .workdays import WorkCalendar

# An administrator looks after the agencies created under theirs; a supervisor reads a subtree.
SUBTREE_ROLES = frozenset({Role.SUPERVISOR, Role.AGENCY_ADMIN})


def _membership_rows(user) -> tuple[tuple[int, str, str], ...]:
    """(agency id, role, agency path) of each role the user holds, read once per request
    (core.memo: a page's scoped selectors each ask; outside a request, every time)."""
    return tuple((m.agency_id, m.role, m.agency.path) for m in user_memberships(user))


def agencies_reached_by(user, roles: Iterable[str]) -> QuerySet[Agency]:
    """Agencies where `user` holds one of `roles`, and the subtrees they supervise or
    administer: the set form of an app's `can_view_*` predicate, as one queryset (the
    memberships come from the request's memo)."""
    if not (user and user.is_authenticated and user.is_active):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    roles = frozenset(roles)
    condition = Q(pk__in=[])
    for agency_id, role, path in _membership_rows(user):
        if role in roles:
            condition |= Q(pk=agency_id)
        if role in SUBTREE_ROLES:
            condition |= Q(path__startswith=path)
    return Agency.objects.filter(condition)


def agencies_visible_to(user) -> QuerySet[Agency]:
    """Agencies whose non-public records `user` may read: member agencies and supervised subtrees."""
    if not (user and user.is_authenticated and user.is_active):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    rows = _membership_rows(user)
    if not rows:
        return Agency.objects.none()
    condition = Q(pk__in={agency_id for agency_id, _, _ in rows})
    for _, role, path in rows:
        if role in SUBTREE_ROLES:
            condition |= Q(path__startswith=path)
    return Agency.objects.filter(condition)


def agencies_managed_by(user) -> QuerySet[Agency]:
    """Agencies whose details and roles `user` administers: admin agencies and their subtrees."""
    if not (user and user.is_authenticated and user.is_active):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    condition = Q(pk__in=[])
    for _, role, path in _membership_rows(user):
        if role == Role.AGENCY_ADMIN:
            condition |= Q(path__startswith=path)
    return Agency.objects.filter(condition)


def memberships_visible_to(user) -> QuerySet[Membership]:
    return Membership.objects.filter(agency__in=agencies_visible_to(user)).select_related(
        "user", "agency"
    )


def users_visible_to(user) -> QuerySet[User]:
    if user.is_authenticated and user.is_superuser:
        return User.objects.all()
    return User.objects.filter(
        Q(pk=user.pk) | Q(memberships__agency__in=agencies_managed_by(user))
    ).distinct()


def agencies_with_audit_visible_to(user) -> QuerySet[Agency]:
    """Agencies whose audit trail `user` may read, as one query: the set form of
    permissions.can_view_audit (officer or admin of the agency, or supervisor/admin above it)."""
    return agencies_reached_by(user, (Role.AGENCY_ADMIN, Role.OFFICER))


def audit_events_visible_to(user, *, agency: Agency | None = None) -> QuerySet[AuditEvent]:
    if user.is_authenticated and user.is_superuser:
        events = AuditEvent.objects.all()
    else:
        events = AuditEvent.objects.filter(agency__in=agencies_with_audit_visible_to(user))
    if agency is not None:
        events = events.filter(agency=agency)
    return events.select_related("actor", "agency")


def roles_by_agency(user) -> list[tuple[Agency, list[str]]]:
    """The user's memberships grouped by agency, for the staff home."""
    grouped: dict[int, tuple[Agency, list[str]]] = {}
    for membership in user_memberships(user):
        grouped.setdefault(membership.agency_id, (membership.agency, []))[1].append(
            membership.get_role_display()
        )
    return sorted(grouped.values(), key=lambda pair: pair[0].path)


_calendar_lock = threading.Lock()
_calendar_cache: tuple[tuple, WorkCalendar] | None = None


def current_work_calendar() -> WorkCalendar:
    """The calendar from the database, rebuilt only when a year has changed since the last load."""
    global _calendar_cache
    stamp = CalendarYear.objects.aggregate(
        n=Count("id"), changed=Max("updated_at"), complete=Count("id", filter=Q(is_complete=True))
    )
    # `updated_at` alone misses a change whose clock is not ahead of the newest year's (clock
    # skew between servers, a clock set back, frozen time). Days are replaced, never edited, and
    # primary keys are never reused, so the days' count and highest id change with every edit.
    day_stamp = CalendarDay.objects.aggregate(n=Count("id"), last=Max("id"))
    version = (stamp["n"], stamp["changed"], stamp["complete"], day_stamp["n"], day_stamp["last"])
    with _calendar_lock:
        if _calendar_cache is not None and _calendar_cache[0] == version:
            return _calendar_cache[1]
    days = list(
        CalendarDay.objects.filter(calendar_year__is_complete=True).values_list("date", "kind")
    )
    calendar = WorkCalendar.build(
        holidays=[d for d, kind in days if kind == DayKind.HOLIDAY],
        workdays=[d for d, kind in days if kind == DayKind.WORKDAY],
        complete_years=CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True),
    )
    with _calendar_lock:
        _calendar_cache = (version, calendar)
    return calendar


# The State Council publishes next year's holidays in late October or November.
NEXT_YEAR_REMINDER_FROM = (11, 1)


def missing_next_year_schedule(today: date) -> int | None:
    """From 1 November, next year when its holiday schedule is not complete; otherwise None.

    Before November nothing is read, so the desks that show the reminder cost no query then.
    """
    if (today.month, today.day) < NEXT_YEAR_REMINDER_FROM:
        return None
    next_year = today.year + 1
    if CalendarYear.objects.filter(year=next_year, is_complete=True).exists():
        return None
    return next_year


def task_counts_by_status() -> dict[str, int]:
    """Background tasks per status (every status present, zero when none), in one query."""
    counts = dict.fromkeys(TaskStatus.values, 0)
    counts.update(Task.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return counts
