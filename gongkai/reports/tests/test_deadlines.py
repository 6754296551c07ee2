"""Report deadlines per level (RULES A.5), the supervisor's date for 乡镇/街道, and the status of
each agency's report against its deadline (late = past it and not published)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AgencyLevel, AuditEvent, Role
from gongkai.core.tests.factories import AgencyFactory
from gongkai.reports import deadlines
from gongkai.reports.deadlines import (
    deadline_overrides,
    report_deadline,
    report_deadline_set,
    report_status,
    report_statuses,
)
from gongkai.reports.imported import report_import_store
from gongkai.reports.services import report_start, report_transition

pytestmark = pytest.mark.django_db
PERMIT = "行政许可|本年处理决定数量"


@pytest.fixture
def street(agency_tree):
    return AgencyFactory(
        name="沈家门街道办事处",
        short_name="沈家门街道",
        slug="shenjiamen",
        level=AgencyLevel.SUBDISTRICT,
        parent=agency_tree["district"],
    )


def test_deadline_per_level(agency_tree, street):
    assert report_deadline(agency_tree["district"], 2025) == date(2026, 3, 31)
    assert report_deadline(agency_tree["department"], 2025) == date(2026, 1, 31)
    assert report_deadline(agency_tree["town"], 2025) == date(2026, 1, 31)  # default
    assert report_deadline(street, 2025) == date(2026, 1, 31)


def test_supervisor_sets_the_date_for_towns_nearest_wins(agency_tree, street, make_member):
    admin = make_member(agency_tree["district"], Role.AGENCY_ADMIN)
    report_deadline_set(
        actor=admin, agency=agency_tree["district"], level=AgencyLevel.TOWNSHIP, month=2, day=28
    )
    assert report_deadline(agency_tree["town"], 2025) == date(2026, 2, 28)
    assert report_deadline(street, 2025) == date(2026, 1, 31)  # only townships
    assert report_deadline(agency_tree["department"], 2025) == date(2026, 1, 31)
    event = AuditEvent.objects.get(verb="report.deadline_set")
    assert event.after == {"level": "township", "month": 2, "day": 28}
    # setting it again changes the row, audited with the date before
    report_deadline_set(
        actor=admin, agency=agency_tree["district"], level=AgencyLevel.TOWNSHIP, month=3, day=15
    )
    assert report_deadline(agency_tree["town"], 2025) == date(2026, 3, 15)
    assert AuditEvent.objects.filter(verb="report.deadline_set").latest("pk").before == {
        "month": 2,
        "day": 28,
    }
    # a nearer supervisor's date wins over the district's
    town_under_town = AgencyFactory(parent=agency_tree["town"], level=AgencyLevel.TOWNSHIP)
    town_admin = make_member(agency_tree["town"], Role.AGENCY_ADMIN)
    report_deadline_set(
        actor=town_admin, agency=agency_tree["town"], level="township", month=1, day=20
    )
    assert report_deadline(town_under_town, 2025) == date(2026, 1, 20)


def test_deadline_is_pure_given_the_overrides(agency_tree, django_assert_num_queries):
    town = agency_tree["town"]
    overrides = deadline_overrides([town])
    with django_assert_num_queries(0):
        assert report_deadline(town, 2025, overrides) == date(2026, 1, 31)
        assert report_deadline(town, 2025, {(agency_tree["district"].pk, "township"): (2, 29)}) == (
            date(2026, 2, 28)  # no 29 February in 2026: the month's last day
        )


def test_deadline_set_is_guarded(agency_tree, make_member):
    officer = make_member(agency_tree["district"], Role.OFFICER)
    admin = make_member(agency_tree["district"], Role.AGENCY_ADMIN)
    district = agency_tree["district"]
    with pytest.raises(PermissionDenied):
        report_deadline_set(actor=officer, agency=district, level="township", month=2, day=1)
    with pytest.raises(ValidationError):
        report_deadline_set(actor=admin, agency=district, level="county", month=2, day=1)
    with pytest.raises(ValidationError):
        report_deadline_set(actor=admin, agency=district, level="township", month=2, day=29)
    with pytest.raises(ValidationError):
        report_deadline_set(actor=admin, agency=district, level="township", month=13, day=1)
    assert not deadlines.ReportDeadline.objects.exists()
    assert not AuditEvent.objects.filter(verb="report.deadline_set").exists()


def test_statuses_against_the_deadline(agency_tree, make_member):
    town, other, district = agency_tree["town"], agency_tree["other_town"], agency_tree["district"]
    department = agency_tree["department"]
    officer, head = make_member(town, Role.OFFICER), make_member(town, Role.OFFICE_HEAD)
    other_officer = make_member(other, Role.OFFICER)
    with time_machine.travel("2026-01-20 10:00 +0800", tick=False):
        report = report_start(actor=officer, agency=town, year=2025, fmt="2021")
        other_report = report_start(actor=other_officer, agency=other, year=2025, fmt="2021")
        report_transition(actor=other_officer, report=other_report, action="submit")
        before = report_statuses([town, other, district, department], 2025)
        assert before[town.pk].status == deadlines.DRAFT
        assert before[other.pk].status == deadlines.IN_REVIEW
        assert before[district.pk].status == deadlines.NOT_STARTED
        assert before[district.pk].due == date(2026, 3, 31)
        assert not any(s.is_late for s in before.values())
    with time_machine.travel("2026-02-01 09:00 +0800", tick=False):
        after = report_statuses([town, other, district, department], 2025)
        assert after[town.pk].status == deadlines.LATE
        assert after[town.pk].report_status == deadlines.DRAFT
        assert after[other.pk].status == deadlines.LATE
        assert after[department.pk].status == deadlines.LATE  # never started
        assert after[district.pk].status == deadlines.NOT_STARTED  # due by 3月31日
        report = report_transition(actor=officer, report=report, action="submit")
        report_transition(actor=head, report=report, action="publish")
        assert report_status(town, 2025).status == deadlines.PUBLISHED
    with time_machine.travel("2026-04-01 09:00 +0800", tick=False):
        assert report_status(district, 2025).status == deadlines.LATE
        # a report published late and reopened for a correction stays published
        report = report_transition(
            actor=officer, report=report, action="reopen", correction_note="更正"
        )
        assert report_status(town, 2025).status == deadlines.PUBLISHED


def test_an_imported_report_counts_as_published(agency_tree, make_member):
    district = agency_tree["district"]
    officer = make_member(district, Role.OFFICER)
    with time_machine.travel("2026-05-01 09:00 +0800", tick=False):
        assert report_status(district, 2025).is_late
        report_import_store(
            actor=officer,
            agency=district,
            imported={"format": "2021", "year": 2025, "cells": {PERMIT: 4}},
        )
        status = report_status(district, 2025)
        assert status.status == deadlines.PUBLISHED and status.imported


def test_statuses_query_count_does_not_grow(agency_tree, django_assert_max_num_queries):
    agencies = [AgencyFactory(parent=agency_tree["district"]) for _ in range(8)]
    with django_assert_max_num_queries(3):
        statuses = report_statuses(agencies, 2025)
    assert len(statuses) == 8
