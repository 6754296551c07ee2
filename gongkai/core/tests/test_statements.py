"""gongkai.core.statements: a queryset built once, run again with other values, gives what
the ORM gives."""

import pytest
from django.db.models import Count, Q

from gongkai.core.models import Agency, AuditEvent
from gongkai.core.statements import Statement
from gongkai.core.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _by_id(agency_id, pk):
    return (
        Agency.objects.filter(pk=pk)
        .exclude(parent_id=agency_id)
        .annotate(events=Count("audit_events", filter=Q(audit_events__verb="x")))
    )


def test_the_same_rows_as_the_orm_with_other_values_each_time():
    statement = Statement(Agency, _by_id, ("agency_id", "pk"))
    first, second = AgencyFactory(), AgencyFactory()
    AuditEvent.objects.create(agency=second, verb="x", object_type="t", object_id="1")
    for agency in (first, second, first):
        found = statement.first(agency_id=0, pk=agency.pk)
        expected = _by_id(0, agency.pk).get()
        assert found == expected and found.name == expected.name
        assert found.updated_at == expected.updated_at  # the backend's converters applied
        assert found.events == expected.events  # annotations as attributes
        assert found._state.adding is False and found._state.db == "default"
    assert statement.first(agency_id=0, pk=10**12) is None
    # the other slot's value is used too: excluded by its parent
    child = AgencyFactory(parent=first)
    assert statement.first(agency_id=first.pk, pk=child.pk) is None
    assert statement.first(agency_id=second.pk, pk=child.pk) == child


def test_text_slots_and_rows_joined_with_select_related():
    child = AgencyFactory(parent=AgencyFactory())
    statement = Statement(
        Agency,
        lambda slug: Agency.objects.select_related("parent").filter(slug=slug),
        ("slug",),
        text=("slug",),
    )
    found = statement.first(slug=child.slug)
    assert found == child and "parent" in found._state.fields_cache
    assert found.parent == child.parent and found.parent.slug == child.parent.slug
    assert statement.first(slug="no-such-agency") is None


def test_a_slot_the_compiler_did_not_keep_as_a_parameter_is_refused():
    statement = Statement(Agency, lambda pk, unused: Agency.objects.filter(pk=pk), ("pk", "unused"))
    with pytest.raises(ValueError, match="unused"):
        statement.first(pk=1, unused=2)
