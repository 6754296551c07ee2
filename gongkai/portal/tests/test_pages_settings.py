"""Portal settings: the service, its audit trail, the scoped admin and the demo loader."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.core.models import AuditEvent, Role
from gongkai.portal import services
from gongkai.portal.demo import SETTINGS, load_portal_demo
from gongkai.portal.models import PortalSettings


def test_update_creates_lazily_and_audits_only_changes(agency_tree):
    town = agency_tree["town"]
    assert not PortalSettings.objects.filter(agency=town).exists()  # nothing until saved
    services.portal_settings_update(actor=None, agency=town, data={"site_code": "3309030001"})
    services.portal_settings_update(actor=None, agency=town, data={"site_code": "3309030001"})
    services.portal_settings_update(actor=None, agency=town, data={"sponsor": "六横镇人民政府"})
    events = AuditEvent.objects.filter(verb="portal.settings_update", agency=town).order_by("id")
    assert [e.after for e in events][1:] == [{"sponsor": "六横镇人民政府"}]
    assert events.first().after["site_code"] == "3309030001"


@pytest.mark.parametrize(
    "data",
    [{"site_code": "33090300"}, {"police_record_code": "浙公网安备"}, {"agency": 1}],
)
def test_update_rejects_bad_values(agency_tree, data):
    with pytest.raises(ValidationError):
        services.portal_settings_update(actor=None, agency=agency_tree["town"], data=data)


def test_only_the_agency_administrators_may_update(agency_tree, make_member):
    town, other = agency_tree["town"], agency_tree["other_town"]
    admin = make_member(town, Role.AGENCY_ADMIN)
    officer = make_member(town, Role.OFFICER)
    services.portal_settings_update(actor=admin, agency=town, data={"operator": "党政办"})
    for actor, agency in ((officer, town), (admin, other)):
        with pytest.raises(PermissionDenied):
            services.portal_settings_update(actor=actor, agency=agency, data={"operator": "x"})


def test_admin_is_scoped_and_saves_through_the_service(client, agency_tree, make_member):
    town, other = agency_tree["town"], agency_tree["other_town"]
    services.portal_settings_update(actor=None, agency=other, data={"site_code": "3309030002"})
    admin = make_member(town, Role.AGENCY_ADMIN)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    add = reverse("admin:portal_portalsettings_add")
    response = client.get(add)
    assert response.status_code == 200
    choices = response.context["adminform"].form.fields["agency"].queryset
    assert town in choices and other not in choices
    response = client.post(add, {"agency": town.pk, "site_code": "3309030001"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AuditEvent.objects.filter(
        verb="portal.settings_update", agency=town, actor=admin
    ).exists()
    listing = client.get(reverse("admin:portal_portalsettings_changelist")).content.decode()
    assert "3309030001" in listing and "3309030002" not in listing
    theirs = PortalSettings.objects.get(agency=other)
    url = reverse("admin:portal_portalsettings_change", args=[theirs.pk])
    assert client.get(url).status_code in (302, 403, 404)


def test_demo_loader_is_idempotent(agency_tree):
    assert load_portal_demo() == 3  # the district (the platform's host) and the two towns
    assert load_portal_demo() == 0
    liuheng = PortalSettings.objects.get(agency__slug="liuheng")
    assert liuheng.site_code == SETTINGS["liuheng"]["site_code"] == "3309030001"
