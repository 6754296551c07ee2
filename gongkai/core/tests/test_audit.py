"""The audit trail: append-only in the ORM and in the database, written with the change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.forms.models import model_to_dict
from django.urls import reverse

from gongkai.core import services
from gongkai.core.audit import audit_record, changed_fields, snapshot
from gongkai.core.context import current_ip
from gongkai.core.models import Agency, AuditEvent, Membership, Role


@pytest.fixture
def event(agency_tree):
    return audit_record(
        actor=None,
        verb="test.event",
        obj=agency_tree["town"],
        agency=agency_tree["town"],
        after={"office_phone": "0580-1"},
    )


def unchanged(event) -> bool:
    fresh = AuditEvent.objects.get(pk=event.pk)
    return model_to_dict(fresh) == model_to_dict(event) and fresh.created_at == event.created_at


# --- append-only in the ORM ------------------------------------------------------------------


def test_saving_an_existing_event_is_refused(event):
    event.verb = "tampered"
    with pytest.raises(PermissionDenied):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(PermissionDenied):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(verb="tampered")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.verb = "tampered"
    # bulk_update runs in an atomic block that the refusal rolls back.
    with pytest.raises(PermissionDenied), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["verb"])
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


# --- append-only in the database -------------------------------------------------------------


def test_database_trigger_refuses_raw_update(event):
    assert connection.vendor in {"sqlite", "postgresql"}
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET verb='x'")
    # The test database is still usable and the row is as written.
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


def test_database_trigger_refuses_update_of_any_column(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET actor_id = NULL, ip = '10.0.0.1' WHERE id = %s",
            [event.pk],
        )
    assert unchanged(event)


def test_new_events_can_still_be_inserted(event):
    second = audit_record(actor=None, verb="test.second", object_type="x")
    assert AuditEvent.objects.filter(pk__in=[event.pk, second.pk]).count() == 2


# --- written in the service's transaction ----------------------------------------------------


def test_failed_agency_update_writes_no_event_and_changes_nothing(agency_tree):
    town = agency_tree["town"]
    before = model_to_dict(Agency.objects.get(pk=town.pk))
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.agency_update(
            actor=None,
            agency=town,
            data={"office_phone": "0580-9999999", "uscc": "91330903MA0000000X"},
        )
    assert model_to_dict(Agency.objects.get(pk=town.pk)) == before
    assert AuditEvent.objects.count() == count


def test_service_failing_after_its_event_leaves_no_event(agency_tree, make_member, monkeypatch):
    """membership_revoke writes its event first; a later failure must take the event with it."""
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    membership = admin.memberships.get()
    membership_pk = membership.pk
    count = AuditEvent.objects.count()

    def broken(user):
        raise RuntimeError("simulated failure after the audit write")

    monkeypatch.setattr(services, "_sync_staff_flag", broken)
    with pytest.raises(RuntimeError):
        services.membership_revoke(actor=None, membership=membership)
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(verb="membership.revoke").exists()
    assert Membership.objects.filter(pk=membership_pk).exists()


def test_no_op_update_writes_no_event(agency_tree):
    town = agency_tree["town"]
    services.agency_update(actor=None, agency=town, data={"office_phone": town.office_phone})
    services.agency_update(actor=None, agency=town, data={})
    assert not AuditEvent.objects.filter(verb="agency.update").exists()


def test_update_event_lists_only_changed_fields(agency_tree):
    town = agency_tree["town"]
    services.agency_update(
        actor=None,
        agency=town,
        data={"office_phone": "0580-7654321", "short_name": town.short_name},
    )
    event = AuditEvent.objects.get(verb="agency.update")
    assert event.before == {"office_phone": town.office_phone}
    assert event.after == {"office_phone": "0580-7654321"}
    assert event.agency == town
    assert event.object_repr == town.name


# --- who, where, from which address ----------------------------------------------------------


def test_view_request_records_actor_agency_and_ip(client, agency_tree, make_member):
    admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    editor = make_member(agency_tree["town"], Role.EDITOR)
    client.force_login(admin)
    response = client.post(
        reverse("admin:core_membership_add"),
        {"user": editor.pk, "agency": agency_tree["town"].pk, "role": Role.REVIEWER},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="membership.grant", actor=admin)
    assert event.agency == agency_tree["town"]
    assert event.ip == "198.51.100.7"
    assert event.after == {"user": editor.username, "role": Role.REVIEWER}


def test_forwarded_header_is_ignored_unless_the_proxy_is_trusted(
    client, agency_tree, make_member, password
):
    officer = make_member(agency_tree["town"], Role.OFFICER)
    client.post(
        reverse("core:login"),
        {"username": officer.username, "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert AuditEvent.objects.get(verb="user.login").ip == "10.0.0.2"


def test_behind_a_trusted_proxy_the_hop_it_appended_is_recorded(
    client, agency_tree, make_member, password, settings
):
    settings.GONGKAI_TRUST_X_FORWARDED_FOR = True
    officer = make_member(agency_tree["town"], Role.OFFICER)
    client.post(
        reverse("core:login"),
        {"username": officer.username, "password": password},
        REMOTE_ADDR="10.0.0.2",
        # The client forged the first entry; the proxy appended the address it saw.
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.50",
    )
    assert AuditEvent.objects.get(verb="user.login").ip == "203.0.113.50"


def test_ip_does_not_leak_out_of_the_request(client, agency_tree, make_member, password):
    officer = make_member(agency_tree["town"], Role.OFFICER)
    client.post(
        reverse("core:login"),
        {"username": officer.username, "password": password},
        REMOTE_ADDR="203.0.113.51",
    )
    assert current_ip.get() is None
    later = audit_record(actor=None, verb="system.job", object_type="x")
    assert later.ip is None


def test_system_writes_have_no_actor(agency_tree):
    event = AuditEvent.objects.filter(verb="agency.update").first()
    assert event is None
    services.agency_update(actor=None, agency=agency_tree["town"], data={"office_fax": "1"})
    event = AuditEvent.objects.get(verb="agency.update")
    assert event.actor is None
    assert event.ip is None


def test_audit_page_shows_the_agencys_events_newest_first(client, agency_tree, make_member):
    officer = make_member(agency_tree["town"], Role.OFFICER)
    town = agency_tree["town"]
    for phone in ["0580-1000001", "0580-1000002"]:
        services.agency_update(actor=None, agency=town, data={"office_phone": phone})
    services.agency_update(
        actor=None, agency=agency_tree["other_town"], data={"office_phone": "0580-2999999"}
    )
    client.force_login(officer)
    response = client.get(reverse("core:agency-audit", args=[town.pk]))
    events = list(response.context["page"])
    updates = [e.after["office_phone"] for e in events if e.verb == "agency.update"]
    assert updates == ["0580-1000002", "0580-1000001"]
    assert "0580-2999999" not in response.content.decode()


def test_the_audit_page_reads_as_words(client, agency_tree, make_member):
    from django.utils import translation

    from gongkai.core.audit_display import audit_lines

    town = agency_tree["town"]
    officer = make_member(town, Role.OFFICER)
    services.agency_update(actor=None, agency=town, data={"office_phone": "0580-1000009"})
    event = AuditEvent.objects.filter(agency=town, verb="agency.update").latest("id")
    with translation.override("en"):
        (line,) = audit_lines([event])
        assert (line.subject, line.action) == ("agency", "changed")
        phone = [c for c in line.changes if c.after == "0580-1000009"]
        assert [c.field for c in phone] == [
            str(Agency._meta.get_field("office_phone").verbose_name)
        ]
    client.force_login(officer)
    html = client.get(reverse("core:agency-audit", args=[town.pk])).content.decode()
    assert "0580-1000009" in html
    assert "{&#x27;" not in html and "{'" not in html  # no raw dicts


# --- helpers ---------------------------------------------------------------------------------


def test_snapshot_leaves_out_secrets_tree_fields_and_timestamps(agency_tree, make_member):
    town = agency_tree["town"]
    data = snapshot(town)
    assert data["parent"] == agency_tree["district"].pk
    assert data["uscc"] == town.uscc
    assert {"path", "depth", "created_at", "updated_at"}.isdisjoint(data)
    user = make_member(town, Role.OFFICER)
    assert "password" not in snapshot(user)


def test_changed_fields_keeps_only_differences():
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3}) == ({"b": 2}, {"b": 3})
    assert changed_fields({"a": 1}, {"a": 1}) == ({}, {})
