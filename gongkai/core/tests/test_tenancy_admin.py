"""Tenancy through Django's admin: an agency administrator sees and changes its own agency only."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from gongkai.core import services
from gongkai.core.models import Agency, AuditEvent, Membership, Role
from gongkai.core.tests.factories import UserFactory

AGENCY_FORM_FIELDS = [
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
]


def agency_post_data(agency: Agency, **changes) -> dict:
    """What the admin change form posts for `agency`, with `changes` applied."""
    data = model_to_dict(agency, fields=AGENCY_FORM_FIELDS)
    data.update(changes)
    if data.pop("is_active"):
        data["is_active"] = "on"
    return data


def row_state(agency: Agency) -> dict:
    return model_to_dict(Agency.objects.get(pk=agency.pk), fields=AGENCY_FORM_FIELDS)


@pytest.fixture
def town_admin(agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    assert admin.is_staff, "membership_grant makes agency administrators staff"
    return admin


@pytest.fixture
def admin_client(client, town_admin):
    client.force_login(town_admin)
    return client


@pytest.fixture
def populated(agency_tree, make_member):
    """Staff and audit events in both towns."""
    return {
        "town_editor": make_member(agency_tree["town"], Role.EDITOR),
        "other_officer": make_member(agency_tree["other_town"], Role.OFFICER, "th_officer_x"),
        "other_admin": make_member(agency_tree["other_town"], Role.AGENCY_ADMIN, "th_admin_x"),
    }


def test_agency_changelist_shows_only_own_agency(admin_client, agency_tree):
    response = admin_client.get(reverse("admin:core_agency_changelist"))
    assert response.status_code == 200
    # The town and the department under it; neither the district above nor the sibling town.
    assert list(response.context["cl"].result_list) == [
        agency_tree["town"],
        agency_tree["department"],
    ]
    html = response.content.decode()
    assert agency_tree["town"].name in html
    assert "桃花镇" not in html


def test_agency_changelist_search_does_not_escape_scope(admin_client, agency_tree):
    response = admin_client.get(reverse("admin:core_agency_changelist"), {"q": "桃花"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_other_towns_change_page_is_not_reachable(admin_client, agency_tree):
    other = agency_tree["other_town"]
    url = reverse("admin:core_agency_change", args=[other.pk])
    response = admin_client.get(url)
    # Django's admin redirects to the index ("doesn't exist") for objects outside the queryset.
    assert response.status_code != 200
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response.headers["Location"] == reverse("admin:index")
    history = admin_client.get(reverse("admin:core_agency_history", args=[other.pk]))
    assert history.status_code != 200


def test_other_town_cannot_be_changed_by_post(admin_client, agency_tree):
    other = agency_tree["other_town"]
    before = row_state(other)
    response = admin_client.post(
        reverse("admin:core_agency_change", args=[other.pk]),
        agency_post_data(other, office_phone="0580-6666666", name="桃花镇（被改）"),
    )
    assert response.status_code != 200
    assert row_state(other) == before
    assert not AuditEvent.objects.filter(agency=other, verb="agency.update").exists()


def test_own_agency_change_goes_through_the_service(admin_client, town_admin, agency_tree):
    town = agency_tree["town"]
    old_phone = town.office_phone
    response = admin_client.post(
        reverse("admin:core_agency_change", args=[town.pk]),
        agency_post_data(town, office_phone="0580-1234567"),
        REMOTE_ADDR="198.51.100.20",
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert response.headers["Location"] == reverse("admin:core_agency_changelist")
    assert Agency.objects.get(pk=town.pk).office_phone == "0580-1234567"
    event = AuditEvent.objects.get(verb="agency.update", agency=town)
    assert event.before == {"office_phone": old_phone}
    assert event.after == {"office_phone": "0580-1234567"}
    assert event.actor == town_admin
    assert event.ip == "198.51.100.20"
    assert event.object_id == str(town.pk)


def test_own_agency_invalid_uscc_is_refused_by_the_form(admin_client, agency_tree):
    town = agency_tree["town"]
    before = row_state(town)
    bad = town.uscc[:-1] + ("0" if town.uscc[-1] != "0" else "1")
    response = admin_client.post(
        reverse("admin:core_agency_change", args=[town.pk]), agency_post_data(town, uscc=bad)
    )
    assert response.status_code == 200  # the form again, with the error
    assert "uscc" in response.context["adminform"].form.errors
    assert row_state(town) == before
    assert not AuditEvent.objects.filter(verb="agency.update").exists()


def test_agency_cannot_be_deleted_in_admin(admin_client, agency_tree):
    town = agency_tree["town"]
    response = admin_client.post(
        reverse("admin:core_agency_delete", args=[town.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Agency.objects.filter(pk=town.pk).exists()


def test_membership_changelist_shows_only_visible_agencies(
    admin_client, agency_tree, town_admin, populated
):
    response = admin_client.get(reverse("admin:core_membership_changelist"))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert {m.agency for m in rows} == {agency_tree["town"]}
    assert {m.user for m in rows} == {town_admin, populated["town_editor"]}
    html = response.content.decode()
    assert "th_officer_x" not in html
    assert "th_admin_x" not in html


def test_membership_of_other_town_cannot_be_deleted(admin_client, agency_tree, populated):
    membership = Membership.objects.get(user=populated["other_officer"])
    url = reverse("admin:core_membership_delete", args=[membership.pk])
    assert admin_client.get(url).status_code != 200
    admin_client.post(url, {"post": "yes"})
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_cannot_be_granted_in_other_town(admin_client, agency_tree, populated):
    editor = populated["town_editor"]
    response = admin_client.post(
        reverse("admin:core_membership_add"),
        {"user": editor.pk, "agency": agency_tree["other_town"].pk, "role": Role.AGENCY_ADMIN},
    )
    assert response.status_code == 200  # form error: 桃花镇 is not a choice
    assert "agency" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=editor, agency=agency_tree["other_town"]).exists()


def test_membership_grant_and_revoke_in_admin_use_the_services(
    admin_client, agency_tree, populated
):
    editor = populated["town_editor"]
    town = agency_tree["town"]
    response = admin_client.post(
        reverse("admin:core_membership_add"),
        {"user": editor.pk, "agency": town.pk, "role": Role.AGENCY_ADMIN},
    )
    assert response.status_code == 302
    granted = Membership.objects.get(user=editor, agency=town, role=Role.AGENCY_ADMIN)
    editor.refresh_from_db()
    assert editor.is_staff  # the service's side effect, not the admin's default save
    assert AuditEvent.objects.filter(verb="membership.grant", object_id=str(granted.pk)).exists()

    response = admin_client.post(
        reverse("admin:core_membership_delete", args=[granted.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=granted.pk).exists()
    editor.refresh_from_db()
    assert not editor.is_staff
    assert AuditEvent.objects.filter(verb="membership.revoke", object_id=str(granted.pk)).exists()


def test_audit_changelist_shows_only_visible_agencies(admin_client, agency_tree, populated):
    assert AuditEvent.objects.filter(agency=agency_tree["other_town"]).exists()
    response = admin_client.get(reverse("admin:core_auditevent_changelist"))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows
    assert {e.agency for e in rows} == {agency_tree["town"]}
    assert "th_officer_x" not in response.content.decode()


def test_other_towns_audit_event_is_not_viewable(admin_client, agency_tree, populated):
    event = AuditEvent.objects.filter(agency=agency_tree["other_town"]).first()
    response = admin_client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert response.status_code != 200


def test_audit_events_cannot_be_added_changed_or_deleted(admin_client, agency_tree, populated):
    event = AuditEvent.objects.filter(agency=agency_tree["town"]).first()
    snapshot = model_to_dict(event)
    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:core_auditevent_add"),
        {"verb": "forged", "object_type": "x", "agency": agency_tree["town"].pk},
    )
    assert response.status_code == 403
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    response = admin_client.post(change, {"verb": "forged", "object_repr": "forged"})
    assert response.status_code == 403
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    # The bulk delete action is not offered either.
    response = admin_client.post(
        reverse("admin:core_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert model_to_dict(AuditEvent.objects.get(pk=event.pk)) == snapshot
    assert not AuditEvent.objects.filter(verb="forged").exists()


def test_even_a_superuser_cannot_edit_audit_events(client, agency_tree, populated):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    event = AuditEvent.objects.first()
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    assert client.post(change, {"verb": "forged"}).status_code == 403
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).verb == event.verb


def test_user_admin_is_superuser_only(admin_client, town_admin, populated):
    assert admin_client.get(reverse("admin:core_user_changelist")).status_code == 403
    assert admin_client.get(reverse("admin:core_user_add")).status_code == 403
    url = reverse("admin:core_user_change", args=[populated["town_editor"].pk])
    assert admin_client.get(url).status_code == 403
    # Not even to raise its own rights.
    response = admin_client.post(
        reverse("admin:core_user_change", args=[town_admin.pk]),
        {"username": town_admin.username, "is_superuser": "on", "is_staff": "on"},
    )
    assert response.status_code == 403
    town_admin.refresh_from_db()
    assert not town_admin.is_superuser


def test_superuser_uses_the_user_admin(client, populated):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:core_user_changelist"))
    assert response.status_code == 200
    assert populated["other_officer"] in set(response.context["cl"].result_list)


def test_admin_index_lists_only_permitted_models(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert "User" not in models
    assert {"Agency", "Membership", "AuditEvent"} <= models


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.EDITOR])
def test_non_admin_roles_cannot_enter_the_admin(client, agency_tree, make_member, role):
    user = make_member(agency_tree["town"], role)
    assert not user.is_staff
    client.force_login(user)
    response = client.get(reverse("admin:core_agency_changelist"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))


def test_revoking_the_admin_role_closes_the_admin(admin_client, town_admin):
    services.membership_revoke(actor=None, membership=town_admin.memberships.get())
    response = admin_client.get(reverse("admin:core_agency_changelist"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))
