"""The request's memo (core/memo.py): read once per request, never across requests or outside
one, and forgotten when a role changes within the request."""

from __future__ import annotations

import pytest

from gongkai.core import memo
from gongkai.core.models import Agency, Membership, Role
from gongkai.core.selectors import agencies_visible_to, roles_by_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency_tree, make_member):
    # a town's officer; the district above and the town's department are not theirs yet
    town = agency_tree["town"]
    return agency_tree["district"], town, make_member(town, Role.OFFICER)


def test_a_request_reads_the_memberships_once(world, django_assert_num_queries):
    _district, town, user = world
    with memo.request_scope():
        with django_assert_num_queries(1):
            for _ in range(5):
                agencies_visible_to(user)  # a queryset to filter by: the memberships are read
                roles_by_agency(user)
        with django_assert_num_queries(1):  # the queryset's own query, no membership read
            assert list(agencies_visible_to(user)) == [town]


def test_outside_a_request_every_call_reads(world, django_assert_num_queries):
    _district, _town, user = world
    with django_assert_num_queries(2):
        roles_by_agency(user)
        roles_by_agency(user)


def test_a_role_granted_within_the_request_is_seen(world):
    district, town, user = world
    with memo.request_scope():
        assert set(agencies_visible_to(user)) == {town}
        Membership.objects.create(user=user, agency=district, role=Role.SUPERVISOR)
        assert set(agencies_visible_to(user)) == set(Agency.objects.all())  # the whole subtree
        Membership.objects.filter(user=user, agency=district).delete()
        assert set(agencies_visible_to(user)) == {town}


def test_requests_do_not_share(world):
    _district, town, user = world
    with memo.request_scope():
        assert set(agencies_visible_to(user)) == {town}
    # a later request (or a test) starts afresh even if nothing told the memo to forget
    Membership.objects.filter(user=user).update(role=Role.EDITOR)  # no signal
    with memo.request_scope():
        assert [role for _agency, role in _roles(user)] == [Role.EDITOR.label]


def _roles(user):
    return [(agency, role) for agency, roles in roles_by_agency(user) for role in roles]
