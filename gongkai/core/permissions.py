"""Named permission predicates: `can_<verb>_<entity>(user, obj)`.

Every check of who may do what goes through one of these; views, admin and services ask them
instead of testing roles inline. A supervisor (上级查看) reads a whole subtree and writes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from . import memo
from .models import Agency, Membership, Role


def require(allowed: bool) -> None:
    """Raise PermissionDenied unless `allowed` (a predicate's answer): the one refusal services give."""
    if not allowed:
        raise PermissionDenied(_("You do not have permission to do this."))


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def user_memberships(user) -> tuple[Membership, ...]:
    """The user's memberships with their agencies (tree order), read once per request
    (core/memo.py): the role checks, the side menu, the desk and the scoped selectors share it."""

    def read() -> tuple[Membership, ...]:
        return tuple(Membership.objects.filter(user=user).select_related("agency"))

    return memo.remembered(("memberships", user.pk), read)


def _memberships(user) -> dict[int, set[str]]:
    """{agency id: roles} of the user, read once per request (cached on the user object, with
    the agencies themselves for the side menu)."""
    cache = getattr(user, "_gongkai_roles", None)
    if cache is None:
        cache, agencies = {}, {}
        for membership in user_memberships(user):
            cache.setdefault(membership.agency_id, set()).add(membership.role)
            agencies[membership.agency_id] = membership.agency
        user._gongkai_roles = cache
        user._gongkai_agencies = agencies
    return cache


def roles_at(user, agency: Agency) -> set[str]:
    """The roles `user` holds at `agency` itself (cached on the user for the request)."""
    if not is_active_user(user):
        return set()
    return _memberships(user).get(agency.pk, set())


def member_agencies(user) -> list[Agency]:
    """The agencies where `user` holds a role, tree order (from the request's cache)."""
    if not is_active_user(user):
        return []
    _memberships(user)
    return sorted(user._gongkai_agencies.values(), key=lambda agency: agency.path)


def _holds_above(user, agency: Agency, roles: frozenset) -> bool:
    """Whether `user` holds one of `roles` at `agency` or at one of its ancestors."""
    if not is_active_user(user):
        return False
    cached = getattr(user, "_gongkai_agencies", None)
    if cached is not None:
        # the request's memberships are read already (the staff check): no query per agency
        paths = set(agency.ancestors_and_self_paths())
        return any(
            cached[agency_id].path in paths and held & roles
            for agency_id, held in user._gongkai_roles.items()
        )
    return Membership.objects.filter(
        user=user, role__in=roles, agency__path__in=agency.ancestors_and_self_paths()
    ).exists()


def supervises(user, agency: Agency) -> bool:
    return _holds_above(user, agency, frozenset({Role.SUPERVISOR, Role.AGENCY_ADMIN}))


def has_role(user, agency: Agency, *roles: str) -> bool:
    return bool(roles_at(user, agency) & set(roles))


def can_view_agency(user, agency: Agency) -> bool:
    """May read the agency's non-public records."""
    if not is_active_user(user):
        return False
    if user.is_superuser or roles_at(user, agency):
        return True
    return supervises(user, agency)


def can_change_agency(user, agency: Agency) -> bool:
    """May change the agency's details and grant roles in it (its admin or an ancestor's)."""
    if not is_active_user(user):
        return False
    return (
        user.is_superuser
        or has_role(user, agency, Role.AGENCY_ADMIN)
        or _holds_above(user, agency, frozenset({Role.AGENCY_ADMIN}))
    )


def can_set_publishes_annual_report(user, agency: Agency) -> bool:
    """Whether an agency owes its own annual report is decided above it (an internal office of
    a town does not): an administrator of an ancestor, or the platform administrator."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    above = agency.ancestors_and_self_paths()[:-1]
    return (
        bool(above)
        and Membership.objects.filter(
            user=user, role=Role.AGENCY_ADMIN, agency__path__in=above
        ).exists()
    )


def can_create_agency(user, parent: Agency | None) -> bool:
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return parent is not None and can_change_agency(user, parent)


def can_view_audit(user, agency: Agency) -> bool:
    if not is_active_user(user):
        return False
    if user.is_superuser or has_role(user, agency, Role.AGENCY_ADMIN, Role.OFFICER):
        return True
    return supervises(user, agency)


def can_manage_memberships(user, agency: Agency) -> bool:
    return can_change_agency(user, agency)


def can_change_calendar(user) -> bool:
    """The working-day calendar is shared by every agency: platform administrators only."""
    return is_active_user(user) and user.is_superuser


def can_use_staff_pages(user) -> bool:
    if not is_active_user(user):
        return False
    # the memberships read here serve the page's other role checks and its side menu
    return user.is_superuser or bool(_memberships(user))
