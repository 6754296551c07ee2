"""Four eyes on the annual report by author, not only by submitter (issue 13, finding 5): the
head of the office who wrote part of the text, or entered a figure, since the last publication
cannot publish (or return) the version another person submitted."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from gongkai.core.models import Role
from gongkai.reports import permissions, services

NOW = "2026-01-20 10:00 +0800"
CELL = "行政许可|本年处理决定数量"


@pytest.fixture
def office(agency_tree, make_member):
    town = agency_tree["town"]
    with time_machine.travel(NOW, tick=False):
        yield {
            "town": town,
            "officer": make_member(town, Role.OFFICER, "lh-officer"),
            "head": make_member(town, Role.OFFICE_HEAD, "lh-head"),
            "admin": make_member(town, Role.AGENCY_ADMIN, "lh-admin"),
        }


def submitted_after(office, change):
    officer, town = office["officer"], office["town"]
    report = services.report_start(actor=officer, agency=town, year=2025, fmt="2021")
    change(report)
    report = services.report_transition(actor=officer, report=report, action="submit")
    assert report.submitted_by == officer
    return report


@pytest.mark.parametrize("what", ["text", "figure"])
def test_the_head_who_wrote_part_of_the_version_cannot_publish_it(office, what):
    head, town = office["head"], office["town"]

    def change(report):
        if what == "text":
            services.report_narrative_set(
                actor=head, report=report, narrative={"": "本报告由六横镇人民政府编制。"}
            )
        else:
            services.report_entry_set(
                actor=head, agency=town, year=2025, fmt="2021", cell_key=CELL, value=3
            )

    report = submitted_after(office, change)
    assert head.pk in permissions.version_authors(report)
    for action in ("publish", "return"):
        with pytest.raises(PermissionDenied):
            services.report_transition(actor=head, report=report, action=action)
    report.refresh_from_db()
    assert report.status == "in_review" and report.version == 0
    # Someone who wrote none of it can.
    report = services.report_transition(actor=office["admin"], report=report, action="publish")
    assert report.status == "published"


def test_after_a_publication_the_next_version_starts_afresh(office):
    head, officer, town = office["head"], office["officer"], office["town"]

    def change(report):
        services.report_entry_set(
            actor=head, agency=town, year=2025, fmt="2021", cell_key=CELL, value=3
        )

    report = submitted_after(office, change)
    report = services.report_transition(actor=office["admin"], report=report, action="publish")
    report = services.report_transition(
        actor=officer, report=report, action="reopen", correction_note="补填行政许可数量"
    )
    services.report_entry_set(
        actor=officer, agency=town, year=2025, fmt="2021", cell_key=CELL, value=7
    )
    report = services.report_transition(actor=officer, report=report, action="submit")
    assert permissions.version_authors(report) == {officer.pk}
    report = services.report_transition(actor=head, report=report, action="publish")
    assert report.status == "published" and report.version == 2
