"""The daily reminders of annual reports due soon or late (reports.reminders), run by the
scheduler's reports.deadline_reminders job (queued under core.report_deadline_reminders before it
moved from core)."""

import logging
from datetime import timedelta

import pytest

from gongkai.core import tasks
from gongkai.core.models import Agency, TaskStatus
from gongkai.core.tests.factories import AgencyFactory
from gongkai.reports import deadlines
from gongkai.reports.reminders import REMINDER_DAYS, report_reminders


@pytest.mark.django_db
def test_an_agency_whose_report_is_due_soon_or_late_is_reminded_and_others_not(caplog):
    agency = AgencyFactory(publishes_annual_report=True)
    # any other agency (a parent the factory made) publishes none
    Agency.objects.exclude(pk=agency.pk).update(publishes_annual_report=False)
    status = deadlines.report_statuses([agency], 2025)[agency.pk]
    assert status.due.year == 2026  # last year's report is due this year
    assert report_reminders(today=status.due - timedelta(days=REMINDER_DAYS + 1)) == []

    soon = status.due - timedelta(days=REMINDER_DAYS)
    with caplog.at_level(logging.WARNING, logger="gongkai.reports.reminders"):
        (reminder,) = report_reminders(today=soon)
    assert reminder == {
        "agency_id": agency.pk,
        "year": 2025,
        "due": status.due.isoformat(),
        "days_left": REMINDER_DAYS,
        "late": False,
    }
    assert f"due in {REMINDER_DAYS} days" in caplog.text

    (late,) = report_reminders(today=status.due + timedelta(days=1))
    assert late["late"] is True and late["days_left"] == -1


@pytest.mark.django_db
def test_the_task_runs_under_its_former_core_name(settings):
    settings.GONGKAI_TASKS_MODE = "manual"
    queued = tasks.task_enqueue(name="core.report_deadline_reminders", payload={})
    tasks.run_pending()
    queued.refresh_from_db()
    assert queued.status == TaskStatus.DONE and queued.progress.endswith("reminders")
