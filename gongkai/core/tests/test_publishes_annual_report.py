"""Whether an agency owes its own annual report: decided above it (service, permission, audit)
and shown in the admin, where only those above it may change it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.core import services
from gongkai.core.models import Agency, AuditEvent, Role
from gongkai.core.permissions import can_set_publishes_annual_report
from gongkai.core.tests.factories import UserFactory
from gongkai.core.tests.test_tenancy_admin import agency_post_data

pytestmark = pytest.mark.django_db
VERB = "agency.publishes_annual_report_set"


def flag(agency) -> bool:
    return Agency.objects.get(pk=agency.pk).publishes_annual_report


def test_an_administrator_above_sets_it_audited(agency_tree, make_member):
    admin = make_member(agency_tree["district"], Role.AGENCY_ADMIN)
    office = agency_tree["department"]
    services.agency_set_publishes_annual_report(actor=admin, agency=office, value=False)
    assert not flag(office)
    event = AuditEvent.objects.get(verb=VERB)
    assert (event.actor, event.agency_id, event.object_id) == (admin, office.pk, str(office.pk))
    assert event.before == {"publishes_annual_report": True}
    assert event.after == {"publishes_annual_report": False}
    # the same value again changes nothing and records nothing
    services.agency_set_publishes_annual_report(actor=admin, agency=office, value=False)
    assert AuditEvent.objects.filter(verb=VERB).count() == 1


def test_the_towns_administrator_decides_for_its_office_not_for_itself(agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    services.agency_set_publishes_annual_report(
        actor=admin, agency=agency_tree["department"], value=False
    )
    with pytest.raises(PermissionDenied):
        services.agency_set_publishes_annual_report(
            actor=admin, agency=agency_tree["town"], value=False
        )
    assert flag(agency_tree["town"])


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.OFFICER, Role.OFFICE_HEAD])
def test_other_roles_above_may_not(agency_tree, make_member, role):
    user = make_member(agency_tree["district"], role)
    with pytest.raises(PermissionDenied):
        services.agency_set_publishes_annual_report(
            actor=user, agency=agency_tree["department"], value=False
        )
    assert flag(agency_tree["department"])
    assert not AuditEvent.objects.filter(verb=VERB).exists()


def test_another_towns_administrator_may_not(agency_tree, make_member):
    user = make_member(agency_tree["other_town"], Role.AGENCY_ADMIN)
    assert not can_set_publishes_annual_report(user, agency_tree["department"])


def test_the_platform_administrator_may_and_the_root_only_by_them(agency_tree, make_member):
    superuser = UserFactory(is_superuser=True)
    assert can_set_publishes_annual_report(superuser, agency_tree["district"])
    district_admin = make_member(agency_tree["district"], Role.AGENCY_ADMIN)
    assert not can_set_publishes_annual_report(district_admin, agency_tree["district"])


def test_only_a_boolean(agency_tree):
    with pytest.raises(ValidationError):
        services.agency_set_publishes_annual_report(
            actor=None, agency=agency_tree["department"], value="no"
        )


# --- the admin ------------------------------------------------------------------------------


def test_admin_lists_it_and_a_district_admin_changes_it_through_the_service(
    client, agency_tree, make_member
):
    admin = make_member(agency_tree["district"], Role.AGENCY_ADMIN)
    client.force_login(admin)
    listing = client.get(reverse("admin:core_agency_changelist"))
    assert "publishes_annual_report" in listing.content.decode()
    office = agency_tree["department"]
    data = agency_post_data(office)  # the checkbox left unticked: False
    response = client.post(reverse("admin:core_agency_change", args=[office.pk]), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert not flag(office)
    assert AuditEvent.objects.get(verb=VERB).actor == admin
    assert not AuditEvent.objects.filter(verb="agency.update", agency=office).exists()


def test_admin_shows_it_read_only_to_the_agencys_own_administrator(
    client, agency_tree, make_member
):
    town = agency_tree["town"]
    client.force_login(make_member(town, Role.AGENCY_ADMIN))
    url = reverse("admin:core_agency_change", args=[town.pk])
    page = client.get(url).content.decode()
    assert 'name="publishes_annual_report"' not in page
    client.post(url, agency_post_data(town, office_phone="0580-7654321"))
    assert flag(town)
    assert Agency.objects.get(pk=town.pk).office_phone == "0580-7654321"


def test_admin_creates_an_internal_office_that_owes_no_report(client, agency_tree, make_member):
    admin = make_member(agency_tree["district"], Role.AGENCY_ADMIN)
    client.force_login(admin)
    data = {
        "name": "六横镇综合行政执法队",
        "short_name": "执法队",
        "slug": "liuheng-zfd",
        "level": "department",
        "uscc": "11330903MB12345673",
        "parent": agency_tree["town"].pk,
        "is_active": "on",
        # publishes_annual_report left unticked
    }
    response = client.post(reverse("admin:core_agency_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    created = Agency.objects.get(slug="liuheng-zfd")
    assert created.parent == agency_tree["town"]
    assert not created.publishes_annual_report
    assert AuditEvent.objects.get(verb=VERB).object_id == str(created.pk)
