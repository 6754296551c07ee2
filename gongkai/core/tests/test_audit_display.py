"""The audit trail in words: every field an event records gets a label, reverse relations too."""

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from gongkai.core.audit import audit_record
from gongkai.core.audit_display import audit_lines
from gongkai.core.models import Membership, Role
from gongkai.matters.models import Matter


def test_a_related_set_is_labelled_by_the_related_models_plural(agency_tree):
    """A matter's event holds its materials (a reverse foreign key: ManyToOneRel), a group's its
    users (a reverse many-to-many: ManyToManyRel); neither has a verbose_name of its own."""
    town = agency_tree["town"]
    matter_event = audit_record(
        actor=None,
        verb="matter.update",
        agency=town,
        object_type=Matter._meta.label_lower,
        object_id="1",
        object_repr="户籍迁移",
        before={"materials": []},
        after={"materials": [{"name": "身份证", "copies": 1}]},
    )
    group_event = audit_record(
        actor=None,
        verb="group.update",
        agency=town,
        object_type=Group._meta.label_lower,
        object_id="1",
        object_repr="editors",
        after={"user": [1, 2]},
    )
    with translation.override("en"):
        matter_line, group_line = audit_lines([matter_event, group_event])
        assert [c.field for c in matter_line.changes] == ["application materials"]
        assert [c.field for c in group_line.changes] == ["users"]
    assert "身份证" in matter_line.changes[0].after


def test_the_audit_page_shows_an_event_with_a_related_set(client, agency_tree, make_member):
    town = agency_tree["town"]
    officer = make_member(town, Role.OFFICER)
    audit_record(
        actor=None,
        verb="agency.update",
        obj=town,
        agency=town,
        after={"memberships": [officer.pk], "children": []},
    )
    client.force_login(officer)
    response = client.get(reverse("core:agency-audit", args=[town.pk]))
    assert response.status_code == 200
    with translation.override(response.get("Content-Language") or "zh-hans"):
        assert str(Membership._meta.verbose_name_plural) in response.content.decode()
