"""The demo loader: idempotent, and what it loads works through the real login and pages."""

from io import StringIO

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import reverse

from gongkai.core import permissions, selectors
from gongkai.core.demo import DEMO_PASSWORD, USERS, load_demo
from gongkai.core.models import Agency, AuditEvent, Membership, Role, User
from gongkai.core.validators import validate_uscc


def counts():
    return {
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "staff": User.objects.filter(is_staff=True).count(),
        "events": AuditEvent.objects.count(),
    }


@pytest.fixture
def demo(db):
    load_demo()
    return {agency.slug: agency for agency in Agency.objects.all()}


def test_load_demo_is_idempotent(db):
    load_demo()
    first = counts()
    assert first["agencies"] > 0 and first["users"] > 0 and first["memberships"] > 0
    load_demo()
    assert counts() == first


def test_load_demo_leaves_changes_alone(demo):
    town = demo["liuheng"]
    Agency.objects.filter(pk=town.pk).update(office_phone="0580-7777777")
    load_demo()
    assert Agency.objects.get(pk=town.pk).office_phone == "0580-7777777"


def test_demo_tree_is_consistent(demo):
    district, town, other = demo["putuo"], demo["liuheng"], demo["taohua"]
    assert district.parent is None and district.depth == 0
    assert {town.parent_id, other.parent_id} == {district.pk}
    for agency in demo.values():
        validate_uscc(agency.uscc)
        parent_path = agency.parent.path if agency.parent else "/"
        assert agency.path == f"{parent_path}{agency.pk}/", agency.slug
        assert agency.depth == agency.path.count("/") - 2, agency.slug
    departments = Agency.objects.subtree_of(town).exclude(pk=town.pk)
    assert departments.exists()
    assert all(d.depth == 2 for d in departments)


def test_demo_roles_behave(demo):
    users = {u.username: u for u in User.objects.all()}
    town, other = demo["liuheng"], demo["taohua"]
    assert users["admin"].is_superuser and users["admin"].is_staff
    [admin_spec] = [u for u in USERS if u.role == Role.AGENCY_ADMIN]
    agency_admin = users[admin_spec.username]
    assert agency_admin.is_staff and not agency_admin.is_superuser
    assert permissions.can_change_agency(agency_admin, town)
    assert not permissions.can_change_agency(agency_admin, other)
    [supervisor_spec] = [u for u in USERS if u.role == Role.SUPERVISOR]
    supervisor = users[supervisor_spec.username]
    assert set(selectors.agencies_visible_to(supervisor)) == set(demo.values())
    assert not supervisor.is_staff
    for spec in USERS:
        if spec.role not in (None, Role.AGENCY_ADMIN):
            assert not users[spec.username].is_staff, spec.username


def test_home_page_lists_the_demo_agencies(client, demo):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "六横镇" in html
    assert demo["taohua"].office_phone in html


def test_home_page_hides_inactive_agencies(client, demo):
    Agency.objects.filter(slug="taohua").update(is_active=False)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert demo["taohua"].name not in response.content.decode()


@pytest.mark.parametrize("username", [spec.username for spec in USERS])
def test_demo_users_log_in_with_the_published_password(client, demo, username):
    response = client.post(reverse("core:login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert response.headers["Location"] == reverse("core:staff-home")
    assert str(client.session[SESSION_KEY]) == str(User.objects.get(username=username).pk)
    assert client.get(reverse("core:staff-home")).status_code == 200
    assert AuditEvent.objects.filter(verb="user.login", actor__username=username).exists()


def test_demo_command_prints_the_logins(db):
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)  # rerunning is safe
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for spec in USERS:
        assert spec.username in text
    assert User.objects.filter(username__in=[s.username for s in USERS]).count() == len(USERS)
