"""Agency, user and role services: tree bookkeeping, validation and permission checks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from gongkai.core import services
from gongkai.core.models import Agency, AgencyLevel, AuditEvent, Membership, Role, User
from gongkai.core.tests.factories import UserFactory, make_uscc


def fresh(user):
    return User.objects.get(pk=user.pk)


def create(actor=None, n=1, **kwargs):
    fields = {
        "name": f"服务测试机关{n}",
        "short_name": f"机关{n}",
        "slug": f"svc-{n}",
        "level": AgencyLevel.TOWNSHIP,
        "uscc": make_uscc(900000 + n),
    }
    fields.update(kwargs)
    return services.agency_create(actor=actor, **fields)


# --- agency_create ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_agency_create_builds_paths_for_a_three_level_tree():
    county = create(n=1, level=AgencyLevel.COUNTY)
    town = create(n=2, parent=county)
    office = create(n=3, parent=town, level=AgencyLevel.DEPARTMENT)
    for agency in (county, town, office):
        agency.refresh_from_db()
    assert (county.path, county.depth) == (f"/{county.pk}/", 0)
    assert (town.path, town.depth) == (f"/{county.pk}/{town.pk}/", 1)
    assert (office.path, office.depth) == (f"/{county.pk}/{town.pk}/{office.pk}/", 2)
    assert list(Agency.objects.subtree_of(county)) == [county, town, office]
    assert list(Agency.objects.subtree_of(town)) == [town, office]
    assert office.ancestors_and_self_paths() == [county.path, town.path, office.path]


@pytest.mark.django_db
def test_agency_create_records_an_event():
    county = create(n=1, level=AgencyLevel.COUNTY, office_phone="0580-1")
    event = AuditEvent.objects.get(verb="agency.create")
    assert event.agency == county
    assert event.object_id == str(county.pk)
    assert event.after["office_phone"] == "0580-1"
    assert event.after["uscc"] == county.uscc


@pytest.mark.django_db
def test_agency_create_normalises_the_credit_code():
    code = make_uscc(900123)
    agency = create(uscc=f"  {code.lower()} ")
    assert Agency.objects.get(pk=agency.pk).uscc == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "uscc",
    [
        make_uscc(900001)[:-1] + ("0" if make_uscc(900001)[-1] != "0" else "1"),  # check char
        make_uscc(900001)[:17],  # too short
        "I" + make_uscc(900001)[1:],  # I is not in the alphabet
    ],
    ids=["check", "length", "charset"],
)
def test_agency_create_rejects_invalid_credit_code(uscc):
    with pytest.raises(ValidationError) as excinfo:
        create(uscc=uscc)
    assert "uscc" in excinfo.value.message_dict
    assert not Agency.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_agency_create_rejects_duplicate_credit_code():
    first = create(n=1)
    with pytest.raises(ValidationError):
        create(n=2, uscc=first.uscc)
    assert Agency.objects.count() == 1


@pytest.mark.django_db
def test_agency_create_rejects_unknown_fields():
    with pytest.raises(TypeError):
        create(path="/1/")
    assert not Agency.objects.exists()


def test_agency_create_permissions(agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    child = create(actor=admin, n=5, parent=agency_tree["town"], level=AgencyLevel.DEPARTMENT)
    assert child.path == f"{agency_tree['town'].path}{child.pk}/"
    with pytest.raises(PermissionDenied):
        create(actor=admin, n=6, parent=agency_tree["other_town"])
    with pytest.raises(PermissionDenied):
        create(actor=admin, n=7, parent=None)
    supervisor = make_member(agency_tree["district"], Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        create(actor=supervisor, n=8, parent=agency_tree["district"])
    assert not Agency.objects.filter(slug__in=["svc-6", "svc-7", "svc-8"]).exists()


# --- agency_update ---------------------------------------------------------------------------


def test_agency_update_changes_allowed_fields(agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    town = agency_tree["town"]
    updated = services.agency_update(
        actor=admin, agency=town, data={"office_phone": "0580-1111111", "office_hours": "工作日"}
    )
    row = Agency.objects.get(pk=town.pk)
    assert (row.office_phone, row.office_hours) == ("0580-1111111", "工作日")
    assert updated.office_phone == "0580-1111111"
    assert row.path == town.path


@pytest.mark.parametrize("field", ["parent", "path", "depth", "id", "created_at", "nonsense"])
def test_agency_update_rejects_unknown_fields(agency_tree, field):
    town = agency_tree["town"]
    before = model_to_dict(Agency.objects.get(pk=town.pk))
    with pytest.raises(ValidationError):
        services.agency_update(actor=None, agency=town, data={field: agency_tree["other_town"]})
    assert model_to_dict(Agency.objects.get(pk=town.pk)) == before


def test_agency_update_rejects_invalid_credit_code(agency_tree):
    town = agency_tree["town"]
    with pytest.raises(ValidationError) as excinfo:
        services.agency_update(actor=None, agency=town, data={"uscc": "123"})
    assert "uscc" in excinfo.value.message_dict
    assert Agency.objects.get(pk=town.pk).uscc == town.uscc


def test_agency_update_rejects_another_agencys_name(agency_tree):
    town = agency_tree["town"]
    with pytest.raises(ValidationError):
        services.agency_update(
            actor=None, agency=town, data={"name": agency_tree["other_town"].name}
        )
    assert Agency.objects.get(pk=town.pk).name == town.name


@pytest.mark.parametrize(
    ("role", "target"),
    [
        (Role.EDITOR, "town"),  # an editor may not change its own agency
        (Role.OFFICER, "town"),
        (Role.OFFICE_HEAD, "town"),
        (Role.SUPERVISOR, "town"),
        (Role.AGENCY_ADMIN, "other_town"),  # an admin of 六横镇 may not change 桃花镇
        (Role.AGENCY_ADMIN, "district"),  # nor its parent
    ],
)
def test_agency_update_permission_denied(agency_tree, make_member, role, target):
    actor = make_member(agency_tree["town"], role)
    agency = agency_tree[target]
    with pytest.raises(PermissionDenied):
        services.agency_update(actor=actor, agency=agency, data={"office_phone": "0580-0"})
    assert Agency.objects.get(pk=agency.pk).office_phone == agency.office_phone
    assert not AuditEvent.objects.filter(verb="agency.update").exists()


def test_superuser_may_update_any_agency(agency_tree):
    root = UserFactory(is_superuser=True, is_staff=True)
    services.agency_update(actor=root, agency=agency_tree["other_town"], data={"office_fax": "9"})
    assert Agency.objects.get(pk=agency_tree["other_town"].pk).office_fax == "9"


# --- memberships -----------------------------------------------------------------------------


def test_membership_grant_is_idempotent(agency_tree):
    user = UserFactory()
    town = agency_tree["town"]
    first = services.membership_grant(actor=None, user=user, agency=town, role=Role.EDITOR)
    second = services.membership_grant(actor=None, user=user, agency=town, role=Role.EDITOR)
    assert first.pk == second.pk
    assert Membership.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(verb="membership.grant").count() == 1


def test_membership_grant_sets_staff_only_for_agency_admin(agency_tree):
    user = UserFactory()
    services.membership_grant(actor=None, user=user, agency=agency_tree["town"], role=Role.OFFICER)
    assert not fresh(user).is_staff
    services.membership_grant(
        actor=None, user=user, agency=agency_tree["town"], role=Role.AGENCY_ADMIN
    )
    assert fresh(user).is_staff


def test_membership_revoke_removes_staff_flag(agency_tree):
    user = UserFactory()
    membership = services.membership_grant(
        actor=None, user=user, agency=agency_tree["town"], role=Role.AGENCY_ADMIN
    )
    assert fresh(user).is_staff
    services.membership_revoke(actor=None, membership=membership)
    assert not fresh(user).is_staff
    assert not Membership.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(verb="membership.revoke")
    assert event.before == {"user": user.username, "role": Role.AGENCY_ADMIN}
    assert event.agency == agency_tree["town"]


def test_membership_revoke_keeps_staff_while_another_admin_role_remains(agency_tree):
    user = UserFactory()
    town_admin = services.membership_grant(
        actor=None, user=user, agency=agency_tree["town"], role=Role.AGENCY_ADMIN
    )
    services.membership_grant(
        actor=None, user=user, agency=agency_tree["other_town"], role=Role.AGENCY_ADMIN
    )
    services.membership_revoke(actor=None, membership=town_admin)
    assert fresh(user).is_staff


def test_membership_revoke_keeps_superuser_staff(agency_tree):
    root = UserFactory(is_superuser=True, is_staff=True)
    membership = services.membership_grant(
        actor=None, user=root, agency=agency_tree["town"], role=Role.AGENCY_ADMIN
    )
    services.membership_revoke(actor=None, membership=membership)
    assert fresh(root).is_staff


def test_membership_grant_rejects_unknown_role(agency_tree):
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.membership_grant(actor=None, user=user, agency=agency_tree["town"], role="king")
    assert not Membership.objects.filter(user=user).exists()


def test_membership_permissions(agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    officer = make_member(agency_tree["town"], Role.OFFICER)
    newcomer = UserFactory()
    # The admin grants and revokes in its own agency...
    granted = services.membership_grant(
        actor=admin, user=newcomer, agency=agency_tree["town"], role=Role.EDITOR
    )
    assert granted.agency == agency_tree["town"]
    # ...but not in the sibling town, and an officer grants nothing.
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=admin, user=newcomer, agency=agency_tree["other_town"], role=Role.EDITOR
        )
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=officer, user=newcomer, agency=agency_tree["town"], role=Role.AGENCY_ADMIN
        )
    other_member = services.membership_grant(
        actor=None, user=newcomer, agency=agency_tree["other_town"], role=Role.EDITOR
    )
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=admin, membership=other_member)
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=officer, membership=granted)
    assert set(Membership.objects.filter(user=newcomer).values_list("agency", "role")) == {
        (agency_tree["town"].pk, Role.EDITOR),
        (agency_tree["other_town"].pk, Role.EDITOR),
    }
    assert not fresh(newcomer).is_staff
    services.membership_revoke(actor=admin, membership=granted)
    assert not Membership.objects.filter(pk=granted.pk).exists()


# --- user_create -----------------------------------------------------------------------------


def test_user_create_by_agency_admin(agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    user = services.user_create(
        actor=admin, username="new_clerk", password="Clerk-pass-2026", agency=agency_tree["town"]
    )
    assert not user.is_staff and not user.is_superuser
    event = AuditEvent.objects.get(verb="user.create")
    assert (event.actor, event.agency) == (admin, agency_tree["town"])
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=admin,
            username="other_clerk",
            password="Clerk-pass-2026",
            agency=agency_tree["other_town"],
        )
    with pytest.raises(PermissionDenied):
        services.user_create(actor=admin, username="loose", password="Clerk-pass-2026")
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=admin,
            username="root2",
            password="Clerk-pass-2026",
            agency=agency_tree["town"],
            is_superuser=True,
        )
    assert not User.objects.filter(username__in=["other_clerk", "loose", "root2"]).exists()


@pytest.mark.django_db
def test_user_create_superuser_is_staff():
    root = services.user_create(
        actor=None, username="root", password="Root-pass-2026", is_superuser=True
    )
    assert root.is_superuser and root.is_staff


@pytest.mark.django_db
def test_user_create_rejects_duplicate_username():
    services.user_create(actor=None, username="dup", password="Dup-pass-2026")
    with pytest.raises(ValidationError):
        services.user_create(actor=None, username="dup", password="Dup-pass-2027")
    assert User.objects.filter(username="dup").count() == 1
