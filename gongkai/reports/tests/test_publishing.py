"""A published report is disclosed in the catalogue's 年度报告 column: the report as the item's
body, its DOCX and PDF attached, a link to the portal's page; a correction replaces the item."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gongkai.catalogue.models import ItemReview, ItemStatus
from gongkai.catalogue.taxonomy import ColumnType, Genre
from gongkai.core import services as core_services
from gongkai.core.models import AuditEvent, Role
from gongkai.reports.services import report_start, report_transition

TZ = ZoneInfo("Asia/Shanghai")
FIRST = datetime(2026, 1, 20, 10, 0, tzinfo=TZ)
LATER = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


@pytest.fixture
def people(town, make_member):
    return make_member(town, Role.OFFICER), make_member(town, Role.OFFICE_HEAD)


def _publish(officer, head, report):
    report = report_transition(actor=officer, report=report, action="submit")
    return report_transition(actor=head, report=report, action="publish")


def _column_page(client, town, column):
    return client.get(reverse("portal:column", args=[town.slug, column.pk])).content.decode()


def test_publishing_discloses_the_report_in_the_catalogue(
    client, town, people, django_capture_on_commit_callbacks
):
    officer, head = people
    with time_machine.travel(FIRST, tick=False), django_capture_on_commit_callbacks(execute=True):
        report = report_start(actor=officer, agency=town, year=2025, fmt="2021")
        report = _publish(officer, head, report)
    item = report.versions.get(number=1).item
    assert item.status == ItemStatus.PUBLISHED and item.index_number
    assert item.title == "六横镇人民政府2025年政府信息公开工作年度报告"
    assert item.genre == Genre.ANNUAL_REPORT
    assert item.column.column_type == ColumnType.ANNUAL_REPORT
    assert (item.created_by, item.submitted_by, item.approved_by) == (officer, officer, head)
    assert sorted(a.kind for a in item.attachments.all()) == ["docx", "pdf"]
    assert all(a.metadata_stripped for a in item.attachments.all())
    portal_page = reverse("portal:annual-report", kwargs={"agency": town.slug, "year": 2025})
    assert f'href="{portal_page}"' in item.body
    assert "<table" in item.body and "<style" not in item.body
    assert "一、本年新收政府信息公开申请数量" in item.body or "主动公开" in item.body
    # the office head is no catalogue reviewer: the system published it on the report's review
    create = AuditEvent.objects.get(verb="item.create", object_id=str(item.pk))
    assert create.actor is None and create.after["basis"] == "report.publish"
    event = AuditEvent.objects.get(verb="report.catalogue_publish")
    assert event.actor == head and event.after["item"] == item.pk and event.after["by_system"]
    page = _column_page(client, town, item.column)
    assert item.title in page
    assert client.get(reverse("portal:item", args=[town.slug, item.pk])).status_code == 200

    with time_machine.travel(LATER, tick=False), django_capture_on_commit_callbacks(execute=True):
        report = report_transition(
            actor=officer, report=report, action="reopen", correction_note="更正表三数据"
        )
        report = _publish(officer, head, report)
    item.refresh_from_db()
    new = report.versions.get(number=2).item
    assert item.status == ItemStatus.WITHDRAWN and new.status == ItemStatus.PUBLISHED
    assert new.pk != item.pk and new.column_id == item.column_id
    assert new.index_number != item.index_number
    assert "更正表三数据" in new.body
    event = AuditEvent.objects.filter(verb="report.catalogue_publish").latest("pk")
    assert event.after["replaces"] == item.pk and event.after["version"] == 2
    assert item.column.items.filter(status=ItemStatus.PUBLISHED).get() == new
    with time_machine.travel(LATER, tick=False):
        page = _column_page(client, town, item.column)
    assert reverse("portal:item", args=[town.slug, new.pk]) in page
    # one column, however many reports
    assert town.columns.filter(column_type=ColumnType.ANNUAL_REPORT).count() == 1


def test_a_reviewer_with_the_catalogue_role_approves_the_item_themselves(town, people):
    officer, head = people
    core_services.membership_grant(actor=None, user=head, agency=town, role=Role.REVIEWER)
    with time_machine.travel(FIRST, tick=False):
        report = report_start(actor=officer, agency=town, year=2025, fmt="2021")
        report = _publish(officer, head, report)
    item = report.versions.get(number=1).item
    assert item.status == ItemStatus.PUBLISHED
    review = ItemReview.objects.get(item=item)
    assert review.reviewer == head and review.decision == ItemReview.Decision.APPROVE
    assert AuditEvent.objects.get(verb="item.approve", object_id=str(item.pk)).actor == head
