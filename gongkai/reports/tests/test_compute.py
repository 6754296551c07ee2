"""compute_report: bounded queries, staff entries (service, audit), the 表四 and pre-2019
definitions."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from gongkai.applications.models import Appeal, Application
from gongkai.core.models import Agency, AuditEvent, Role, User
from gongkai.reports import services
from gongkai.reports.compute import compute_report
from gongkai.reports.formats import get

pytestmark = pytest.mark.django_db
NOW = "2026-11-26 10:00 +0800"


@pytest.fixture
def demo(monkeypatch):
    # The demo without its published 2025 report: these tests make and publish their own.
    monkeypatch.setattr("gongkai.reports.demo.load_reports_demo", lambda: False)
    with time_machine.travel(NOW, tick=False):
        call_command("demo", stdout=StringIO())
        yield Agency.objects.get(slug="liuheng")


def _more_applications(agency, n: int, year: int = 2025):
    template = Application.objects.filter(agency=agency, year=year).exclude(outcome="").first()
    rows = []
    for i in range(n):
        template.pk = None
        template.number = f"BULK-{year}-{i:05d}"
        template.submission_token = ""
        template.received_on = date(year, 1, 2) + timedelta(days=i % 300)
        template.concluded_on = template.received_on + timedelta(days=10)
        rows.append(
            Application(
                **{
                    f.attname: getattr(template, f.attname)
                    for f in Application._meta.concrete_fields
                }
            )
        )
    Application.objects.bulk_create(rows)
    for app in Application.objects.filter(number__startswith="BULK-")[:10]:
        Appeal.objects.create(application=app, kind="review", filed_on=date(year, 6, 1), body="x")


@pytest.mark.parametrize("fmt", ["2021", "2019", "pre2019"])
def test_a_report_computes_in_a_bounded_number_of_queries(demo, fmt, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        small = compute_report(demo, 2025, fmt)
    _more_applications(demo, 200)
    with django_assert_max_num_queries(40):
        big = compute_report(demo, 2025, fmt)
    assert small.cells != big.cells


def test_entries_are_merged_audited_and_only_for_entered_cells(demo):
    officer = User.objects.get(username="lh_officer")
    with time_machine.travel(NOW, tick=False):
        services.report_entry_set(
            actor=officer,
            agency=demo,
            year=2025,
            fmt="2021",
            cell_key="行政处罚|本年处理决定数量",
            value="12",
            note="执法平台导出",
        )
        services.report_entry_set(
            actor=officer,
            agency=demo,
            year=2025,
            fmt="2021",
            cell_key="行政事业性收费|本年收费金额（单位：万元）",
            value="3.25",
        )
    report = compute_report(demo, 2025, "2021")
    assert report.cells["行政处罚|本年处理决定数量"] == 12
    assert report.cells["行政事业性收费|本年收费金额（单位：万元）"] == Decimal("3.25")
    assert report.cells["行政许可|本年处理决定数量"] is None  # not entered: blank, not 0
    assert report.entry_notes == {"行政处罚|本年处理决定数量": "执法平台导出"}
    assert report.sources["行政处罚|本年处理决定数量"] == "entered"
    assert AuditEvent.objects.filter(verb="report.entry_set").count() == 2
    with pytest.raises(ValidationError):
        services.report_entry_set(
            actor=officer,
            agency=demo,
            year=2025,
            fmt="2021",
            cell_key="规章|本年制发件数",
            value=1,
        )
    with pytest.raises(ValidationError):
        services.report_entry_set(
            actor=officer,
            agency=demo,
            year=2025,
            fmt="2021",
            cell_key="行政处罚|本年处理决定数量",
            value="1.5",
        )
    editor = User.objects.get(username="lh_editor")
    with pytest.raises(PermissionDenied):
        services.report_entry_set(
            actor=editor,
            agency=demo,
            year=2025,
            fmt="2021",
            cell_key="行政处罚|本年处理决定数量",
            value=1,
        )
    taohua = Agency.objects.get(slug="taohua")
    with pytest.raises(PermissionDenied):
        services.report_entry_set(
            actor=officer,
            agency=taohua,
            year=2025,
            fmt="2021",
            cell_key="行政处罚|本年处理决定数量",
            value=1,
        )


def test_appeals_filed_in_the_year_with_their_result_at_year_end(demo):
    app = Application.objects.filter(agency=demo, year=2025).exclude(outcome="").first()
    Appeal.objects.create(
        application=app,
        kind="litigation_direct",
        filed_on=date(2025, 11, 3),
        body="法院",
        result="maintained",
        decided_on=date(2026, 2, 1),
    )
    Appeal.objects.create(
        application=app,
        kind="litigation_direct",
        filed_on=date(2024, 11, 3),
        body="法院",
        result="corrected",
        decided_on=date(2025, 2, 1),
    )
    before = Appeal.objects.filter(
        application__agency=demo, filed_on__year=2025, kind="litigation_direct"
    ).count()
    cells = compute_report(demo, 2025, "2021").cells
    assert cells["行政诉讼|未经复议直接起诉|总计"] == before  # the 2024 one is not counted
    assert cells["行政诉讼|未经复议直接起诉|尚未审结"] >= 1  # decided only in 2026
    assert get("2021").evaluate(cells) == []


def test_extended_replies_count_as_extended_in_the_old_table(demo):
    cells = compute_report(demo, 2025, "pre2019").cells
    concluded = cells["（二）申请办结数|统计数"]
    assert cells["2.延期办结数|统计数"] >= 1
    assert cells["1.按时办结数|统计数"] + cells["2.延期办结数|统计数"] == concluded
    assert get("pre2019").evaluate(cells) == []


def test_a_year_not_over_is_provisional(demo):
    with time_machine.travel(NOW, tick=False):
        report = compute_report(demo, 2026, "2021")
    assert any("临时数据" in note for note in report.provisional_notes)
    with time_machine.travel(NOW, tick=False):
        assert not any("临时" in n for n in compute_report(demo, 2025, "2021").provisional_notes)


def test_report_lifecycle_four_eyes_and_frozen_cells(demo, make_member):
    officer = User.objects.get(username="lh_officer")
    head = make_member(demo, Role.OFFICE_HEAD)
    report = services.report_start(actor=officer, agency=demo, year=2025, fmt="2021")
    report = services.report_transition(actor=head, report=report, action="submit")
    with pytest.raises(PermissionDenied):  # nobody reviews their own submission
        services.report_transition(actor=head, report=report, action="publish")
    admin = make_member(demo, Role.AGENCY_ADMIN)
    report = services.report_transition(actor=admin, report=report, action="publish")
    assert report.status == "published" and report.version == 1
    frozen = report.versions.get(number=1).cells
    with pytest.raises(ValidationError):  # published: figures frozen
        services.report_entry_set(
            actor=officer,
            agency=demo,
            year=2025,
            fmt="2021",
            cell_key="行政许可|本年处理决定数量",
            value=1,
        )
    with pytest.raises(ValidationError):  # a correction needs its 更正说明
        services.report_transition(actor=officer, report=report, action="reopen")
    report = services.report_transition(
        actor=officer, report=report, action="reopen", correction_note="补填行政许可数量"
    )
    services.report_entry_set(
        actor=officer,
        agency=demo,
        year=2025,
        fmt="2021",
        cell_key="行政许可|本年处理决定数量",
        value=7,
    )
    assert report.versions.get(number=1).cells == frozen
    report = services.report_transition(actor=officer, report=report, action="submit")
    report = services.report_transition(actor=admin, report=report, action="publish")
    v2 = report.versions.get(number=2)
    assert v2.correction_note == "补填行政许可数量" and v2.cells["行政许可|本年处理决定数量"] == 7
