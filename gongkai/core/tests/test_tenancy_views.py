"""Tenancy through the staff pages: what a member of one agency can reach and read."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gongkai.core import services
from gongkai.core.models import Role
from gongkai.core.tests.factories import UserFactory

# A member of 桃花镇 with names that must never show on 六横镇's pages.
STRANGER = {"username": "th_stranger", "last_name": "欧阳", "first_name": "秘密"}


def detail(agency):
    return reverse("core:agency-detail", args=[agency.pk])


def audit(agency):
    return reverse("core:agency-audit", args=[agency.pk])


@pytest.fixture
def stranger(agency_tree):
    user = UserFactory(**STRANGER)
    services.membership_grant(
        actor=None, user=user, agency=agency_tree["other_town"], role=Role.OFFICER
    )
    # Something in 桃花镇's audit trail that names the stranger.
    services.agency_update(
        actor=None,
        agency=agency_tree["other_town"],
        data={"office_name": f"{STRANGER['last_name']}办公室"},
    )
    return user


@pytest.fixture
def officer_client(client, agency_tree, make_member):
    officer = make_member(agency_tree["town"], Role.OFFICER)
    client.force_login(officer)
    return client


def test_officer_reaches_own_agency_and_its_audit_trail(officer_client, agency_tree):
    town = agency_tree["town"]
    response = officer_client.get(detail(town))
    assert response.status_code == 200
    assert response.context["agency"] == town
    assert response.context["can_view_audit"] is True
    assert response.context["can_change"] is False
    response = officer_client.get(audit(town))
    assert response.status_code == 200
    assert {e.agency for e in response.context["page"]} == {town}


@pytest.mark.parametrize("page", [detail, audit], ids=["detail", "audit"])
def test_officer_gets_404_for_the_other_town(officer_client, agency_tree, stranger, page):
    response = officer_client.get(page(agency_tree["other_town"]))
    assert response.status_code == 404
    assert STRANGER["username"] not in response.content.decode()


@pytest.mark.parametrize("key", ["district", "department"])
def test_officer_gets_404_above_and_below_its_agency(officer_client, agency_tree, key):
    assert officer_client.get(detail(agency_tree[key])).status_code == 404
    assert officer_client.get(audit(agency_tree[key])).status_code == 404


def test_other_towns_members_never_appear(officer_client, agency_tree, stranger):
    town = agency_tree["town"]
    for url in [reverse("core:staff-home"), detail(town), audit(town)]:
        response = officer_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert STRANGER["username"] not in html, url
        assert STRANGER["last_name"] not in html, url
        assert agency_tree["other_town"].name not in html, url


def test_staff_home_lists_only_visible_agencies(officer_client, agency_tree):
    response = officer_client.get(reverse("core:staff-home"))
    assert response.status_code == 200
    assert list(response.context["supervised"]) == [agency_tree["town"]]
    [(agency, roles)] = response.context["memberships"]
    assert agency == agency_tree["town"]
    assert roles == [Role.OFFICER.label]


def test_district_supervisor_reads_every_agency_but_changes_none(
    client, agency_tree, make_member, stranger
):
    supervisor = make_member(agency_tree["district"], Role.SUPERVISOR)
    client.force_login(supervisor)
    home = client.get(reverse("core:staff-home"))
    assert set(home.context["supervised"]) == set(agency_tree.values())
    for key, agency in agency_tree.items():
        response = client.get(detail(agency))
        assert response.status_code == 200, key
        assert response.context["can_change"] is False, key
        assert reverse("admin:core_agency_change", args=[agency.pk]) not in (
            response.content.decode()
        )
        assert client.get(audit(agency)).status_code == 200, key
    # The supervisor reads 桃花镇's staff list (read access is the point of supervision).
    response = client.get(detail(agency_tree["other_town"]))
    assert STRANGER["username"] in response.content.decode()
    # The district page lists both towns as subordinates.
    children = set(client.get(detail(agency_tree["district"])).context["children"])
    assert children == {agency_tree["town"], agency_tree["other_town"]}


def test_editor_gets_404_on_the_audit_page(client, agency_tree, make_member):
    editor = make_member(agency_tree["town"], Role.EDITOR)
    client.force_login(editor)
    response = client.get(detail(agency_tree["town"]))
    assert response.status_code == 200
    assert response.context["can_view_audit"] is False
    assert audit(agency_tree["town"]) not in response.content.decode()
    assert client.get(audit(agency_tree["town"])).status_code == 404


def test_agency_admin_gets_the_edit_link(client, agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    client.force_login(admin)
    response = client.get(detail(agency_tree["town"]))
    assert response.context["can_change"] is True
    assert reverse("admin:core_agency_change", args=[agency_tree["town"].pk]) in (
        response.content.decode()
    )


@pytest.mark.parametrize("name", ["home", "detail", "audit"])
def test_anonymous_user_is_sent_to_login(client, agency_tree, name):
    url = {
        "home": reverse("core:staff-home"),
        "detail": detail(agency_tree["town"]),
        "audit": audit(agency_tree["town"]),
    }[name]
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('core:login')}?next={url}"


def test_user_without_membership_gets_403(client, agency_tree):
    client.force_login(UserFactory())
    assert client.get(reverse("core:staff-home")).status_code == 403
    assert client.get(detail(agency_tree["town"])).status_code == 403


def test_platform_admin_without_membership_sees_everything(client, agency_tree):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("core:staff-home")).status_code == 200
    for agency in agency_tree.values():
        assert client.get(detail(agency)).status_code == 200
        assert client.get(audit(agency)).status_code == 200


def test_revoked_member_loses_access_on_next_request(client, agency_tree, make_member):
    officer = make_member(agency_tree["town"], Role.OFFICER)
    client.force_login(officer)
    assert client.get(detail(agency_tree["town"])).status_code == 200
    services.membership_revoke(actor=None, membership=officer.memberships.get())
    assert client.get(detail(agency_tree["town"])).status_code == 403


def test_staff_pages_are_get_only(officer_client, agency_tree):
    assert officer_client.post(detail(agency_tree["town"])).status_code == 405


# --- query counts ---------------------------------------------------------------------------
# Measured on SQLite and PostgreSQL. Staff home 9: session, user, can_use_staff_pages, roles,
# visible-agency memberships + agencies, and the rolling session save (savepoint, update,
# release). Agency detail 14: the same frame plus three scoped reads (each re-reads the user's
# memberships), the role cache, children, parent and the staff list. The counts must not
# grow with the number of agencies or staff (no N+1): "crowded" adds 15 of each.


def _crowd(agency_tree, make_member, n=15):
    """More staff and agencies, so a per-row query would show up in the count."""
    from gongkai.core.tests.factories import AgencyFactory

    for _ in range(n):
        make_member(agency_tree["town"], Role.EDITOR)
        AgencyFactory(parent=agency_tree["town"])


@pytest.mark.parametrize("crowded", [False, True], ids=["small", "crowded"])
def test_staff_home_query_count(
    client, agency_tree, make_member, django_assert_max_num_queries, crowded
):
    supervisor = make_member(agency_tree["district"], Role.SUPERVISOR)
    services.membership_grant(
        actor=None, user=supervisor, agency=agency_tree["town"], role=Role.OFFICER
    )
    if crowded:
        _crowd(agency_tree, make_member)
    # The staff home is the desk (core/desk.py): its cards count the work of the town (the
    # supervisor's district has none), the same queries however many agencies and members; in
    # December, the most it reads (next year's calendar, this year's report).
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        client.force_login(supervisor)
        with django_assert_max_num_queries(39):
            response = client.get(reverse("core:staff-home"))
    assert response.status_code == 200


@pytest.mark.parametrize("crowded", [False, True], ids=["small", "crowded"])
def test_agency_detail_query_count(
    client, agency_tree, make_member, django_assert_max_num_queries, crowded
):
    # Admin at the town (edit link, audit link) and supervisor above it (children listed).
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    services.membership_grant(
        actor=None, user=admin, agency=agency_tree["district"], role=Role.SUPERVISOR
    )
    if crowded:
        _crowd(agency_tree, make_member)
    client.force_login(admin)
    with django_assert_max_num_queries(14):
        response = client.get(detail(agency_tree["town"]))
    assert response.status_code == 200


@pytest.mark.parametrize("crowded", [False, True], ids=["small", "crowded"])
def test_agency_audit_query_count(
    client, agency_tree, make_member, django_assert_max_num_queries, crowded
):
    """A district supervisor's audit page must not check every agency of the subtree.

    Measured 15 with events on the page (14 without: the paginator skips the page query):
    the staff frame, the agency, one audit-permission check and the page of events.
    """
    supervisor = make_member(agency_tree["district"], Role.SUPERVISOR)
    if crowded:
        _crowd(agency_tree, make_member)
    client.force_login(supervisor)
    with django_assert_max_num_queries(15):
        response = client.get(audit(agency_tree["town"]))
    assert response.status_code == 200
