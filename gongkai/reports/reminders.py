"""The daily reminders of annual reports due soon or late (the scheduler's
reports.deadline_reminders job, declared in apps.py)."""

from __future__ import annotations

import logging

from django.utils import timezone

from gongkai.core.models import Agency

from . import deadlines

logger = logging.getLogger(__name__)

REMINDER_DAYS = 10


def report_reminders(*, today=None) -> list[dict]:
    """Agencies owing last year's annual report that is not published and due within
    REMINDER_DAYS days or late; each logged as a warning (agency and dates only)."""
    today = today or timezone.localdate()
    year = today.year - 1
    agencies = Agency.objects.filter(publishes_annual_report=True)
    reminders = []
    for agency_id, status in deadlines.report_statuses(agencies, year, today=today).items():
        if status.status == deadlines.PUBLISHED:
            continue
        days_left = (status.due - today).days
        if days_left > REMINDER_DAYS:
            continue
        reminder = {
            "agency_id": agency_id,
            "year": year,
            "due": status.due.isoformat(),
            "days_left": days_left,
            "late": status.is_late,
        }
        logger.warning(
            "annual report %s of agency %s %s (due %s)",
            year,
            agency_id,
            "late" if status.is_late else f"due in {days_left} days",
            status.due,
            extra=reminder,
        )
        reminders.append(reminder)
    return reminders
