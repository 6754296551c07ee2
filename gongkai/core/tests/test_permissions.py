"""Role predicates (permissions.py) and the scoped selectors they pair with.

The tree (conftest.agency_tree) is 普陀区 → {六横镇 → 党政办, 桃花镇}.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from gongkai.core import permissions, selectors, services
from gongkai.core.audit import audit_record
from gongkai.core.models import AuditEvent, Role
from gongkai.core.tests.factories import AgencyFactory, UserFactory


def fresh(user):
    """The user as a new request would load it (no cached roles)."""
    return type(user).objects.get(pk=user.pk)


# Expected rights of each role held at 六横镇, over 六横镇 itself.
ROLE_MATRIX = [
    # role, view, view audit, change
    (Role.EDITOR, True, False, False),
    (Role.REVIEWER, True, False, False),
    (Role.OFFICER, True, True, False),
    (Role.OFFICE_HEAD, True, False, False),
    (Role.AGENCY_ADMIN, True, True, True),
    (Role.SUPERVISOR, True, True, False),
]


@pytest.mark.parametrize(("role", "view", "audit", "change"), ROLE_MATRIX)
def test_role_matrix_at_own_agency(agency_tree, make_member, role, view, audit, change):
    town = agency_tree["town"]
    user = make_member(town, role)
    assert permissions.can_view_agency(user, town) is view
    assert permissions.can_view_audit(user, town) is audit
    assert permissions.can_change_agency(user, town) is change
    assert permissions.can_manage_memberships(user, town) is change
    assert permissions.can_use_staff_pages(user) is True
    assert permissions.can_change_calendar(user) is False


@pytest.mark.parametrize("role", [r for r, *_ in ROLE_MATRIX])
def test_no_role_reaches_the_sibling_town_or_the_district(agency_tree, make_member, role):
    user = make_member(agency_tree["town"], role)
    for key in ("other_town", "district"):
        agency = agency_tree[key]
        assert not permissions.can_view_agency(user, agency), key
        assert not permissions.can_view_audit(user, agency), key
        assert not permissions.can_change_agency(user, agency), key
        assert not permissions.can_create_agency(user, agency), key


def test_non_supervisor_member_does_not_see_subordinate_department(agency_tree, make_member):
    officer = make_member(agency_tree["town"], Role.OFFICER)
    assert not permissions.can_view_agency(officer, agency_tree["department"])
    assert set(selectors.agencies_visible_to(officer)) == {agency_tree["town"]}


def test_district_supervisor_reads_whole_subtree_and_writes_nothing(agency_tree, make_member):
    supervisor = make_member(agency_tree["district"], Role.SUPERVISOR)
    for key, agency in agency_tree.items():
        assert permissions.can_view_agency(supervisor, agency), key
        assert permissions.can_view_audit(supervisor, agency), key
        assert not permissions.can_change_agency(supervisor, agency), key
        assert not permissions.can_manage_memberships(supervisor, agency), key
        assert not permissions.can_create_agency(supervisor, agency), key
    assert set(selectors.agencies_visible_to(supervisor)) == set(agency_tree.values())
    assert not selectors.agencies_managed_by(supervisor).exists()


def test_town_supervisor_sees_its_subtree_only(agency_tree, make_member):
    supervisor = make_member(agency_tree["town"], Role.SUPERVISOR)
    visible = set(selectors.agencies_visible_to(supervisor))
    assert visible == {agency_tree["town"], agency_tree["department"]}
    assert permissions.can_view_agency(supervisor, agency_tree["department"])
    assert not permissions.can_view_agency(supervisor, agency_tree["district"])
    assert not permissions.can_view_agency(supervisor, agency_tree["other_town"])


def test_supervision_is_by_path_prefix_not_by_string_prefix(agency_tree, make_member):
    """A path /1/ must not cover /19/: prefixes end with a slash."""
    supervisor = make_member(agency_tree["town"], Role.SUPERVISOR)
    town_path = agency_tree["town"].path
    # An unrelated root whose path starts with the same digits as the town's (e.g. /2/ vs /23/).
    lookalike = AgencyFactory()
    lookalike.path = town_path.rstrip("/") + "9/"
    lookalike.save(update_fields=["path"])
    assert lookalike not in set(selectors.agencies_visible_to(supervisor))
    assert not permissions.can_view_agency(fresh(supervisor), lookalike)


def test_agency_admin_may_create_children_only_under_its_agency(agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    assert permissions.can_create_agency(admin, agency_tree["town"])
    assert not permissions.can_create_agency(admin, agency_tree["other_town"])
    assert not permissions.can_create_agency(admin, None)  # a new root is for platform admins
    # The admin looks after what is created under the town, and nothing beside or above it.
    assert set(selectors.agencies_managed_by(admin)) == {
        agency_tree["town"],
        agency_tree["department"],
    }
    assert permissions.can_change_agency(admin, agency_tree["department"])
    assert not permissions.can_change_agency(admin, agency_tree["district"])
    assert permissions.can_view_agency(admin, agency_tree["department"])
    assert not permissions.can_view_agency(admin, agency_tree["district"])
    # Administering the department does not make the admin an author there.
    assert not permissions.has_role(admin, agency_tree["department"], Role.EDITOR)


def test_superuser_may_do_everything(agency_tree):
    root = UserFactory(is_superuser=True, is_staff=True)
    for agency in agency_tree.values():
        assert permissions.can_view_agency(root, agency)
        assert permissions.can_view_audit(root, agency)
        assert permissions.can_change_agency(root, agency)
    assert permissions.can_create_agency(root, None)
    assert permissions.can_change_calendar(root)
    assert permissions.can_use_staff_pages(root)
    assert set(selectors.agencies_visible_to(root)) == set(agency_tree.values())


def test_user_without_membership_has_no_rights(agency_tree):
    nobody = UserFactory()
    assert not permissions.can_use_staff_pages(nobody)
    assert not selectors.agencies_visible_to(nobody).exists()
    for agency in agency_tree.values():
        assert not permissions.can_view_agency(nobody, agency)


def test_deactivated_user_loses_every_right(agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    admin.is_active = False
    admin.save()
    admin = fresh(admin)
    town = agency_tree["town"]
    assert not permissions.can_view_agency(admin, town)
    assert not permissions.can_change_agency(admin, town)
    assert not permissions.can_view_audit(admin, town)
    assert not permissions.can_use_staff_pages(admin)
    assert not selectors.agencies_visible_to(admin).exists()
    assert not selectors.agencies_managed_by(admin).exists()


def test_anonymous_user_has_no_rights(agency_tree):
    anonymous = AnonymousUser()
    town = agency_tree["town"]
    assert not permissions.can_view_agency(anonymous, town)
    assert not permissions.can_view_audit(anonymous, town)
    assert not permissions.can_change_agency(anonymous, town)
    assert not permissions.can_create_agency(anonymous, town)
    assert not permissions.can_use_staff_pages(anonymous)
    assert not permissions.can_change_calendar(anonymous)
    assert not selectors.agencies_visible_to(anonymous).exists()


def test_roles_are_per_agency(agency_tree, make_member):
    """An admin at one town and an editor at the other is an admin only at the first."""
    user = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    services.membership_grant(
        actor=None, user=user, agency=agency_tree["other_town"], role=Role.EDITOR
    )
    user = fresh(user)
    assert permissions.can_change_agency(user, agency_tree["town"])
    assert not permissions.can_change_agency(user, agency_tree["other_town"])
    assert permissions.can_view_agency(user, agency_tree["other_town"])
    assert not permissions.can_view_audit(user, agency_tree["other_town"])


def test_memberships_and_users_visible_are_scoped(agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    colleague = make_member(agency_tree["town"], Role.EDITOR)
    stranger = make_member(agency_tree["other_town"], Role.OFFICER)
    memberships = selectors.memberships_visible_to(admin)
    assert {m.agency for m in memberships} == {agency_tree["town"]}
    assert set(selectors.users_visible_to(admin)) == {admin, colleague}
    assert stranger not in set(selectors.users_visible_to(admin))


def test_audit_events_visible_are_scoped(agency_tree, make_member):
    # make_member grants through the service, which records one event per grant.
    officer = make_member(agency_tree["town"], Role.OFFICER)
    make_member(agency_tree["other_town"], Role.OFFICER)
    editor = make_member(agency_tree["town"], Role.EDITOR)
    events = list(selectors.audit_events_visible_to(officer))
    assert events, "the officer's own agency has events"
    assert {e.agency for e in events} == {agency_tree["town"]}
    # An editor may read the agency but not its audit trail.
    assert not selectors.audit_events_visible_to(editor).exists()
    # Events without an agency (logins, lockouts) are for platform administrators.
    loose = audit_record(actor=None, verb="user.lockout", object_type="core.user")
    assert loose not in set(selectors.audit_events_visible_to(officer))
    root = UserFactory(is_superuser=True)
    assert loose in set(selectors.audit_events_visible_to(root))


def test_audit_events_of_one_agency_stay_scoped(agency_tree, make_member):
    officer = make_member(agency_tree["town"], Role.OFFICER)
    supervisor = make_member(agency_tree["district"], Role.SUPERVISOR)
    make_member(agency_tree["other_town"], Role.OFFICER)
    other = agency_tree["other_town"]
    assert AuditEvent.objects.filter(agency=other).exists()
    assert not selectors.audit_events_visible_to(officer, agency=other).exists()
    events = list(selectors.audit_events_visible_to(supervisor, agency=other))
    assert events
    assert {e.agency for e in events} == {other}


def test_audit_scope_agrees_with_the_predicate(agency_tree, make_member):
    """The set form (one query) and the per-agency predicate must never disagree."""
    users = [
        make_member(agency_tree["town"], Role.OFFICER),
        make_member(agency_tree["town"], Role.EDITOR),
        make_member(agency_tree["town"], Role.AGENCY_ADMIN),
        make_member(agency_tree["district"], Role.SUPERVISOR),
        make_member(agency_tree["department"], Role.REVIEWER),
    ]
    for user in users:
        scoped = set(selectors.agencies_with_audit_visible_to(user))
        for agency in agency_tree.values():
            assert (agency in scoped) == permissions.can_view_audit(fresh(user), agency), (
                user.memberships.get().role,
                agency.name,
            )
