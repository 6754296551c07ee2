"""Due-date and late badges for lists of agencies (the staff reports index, the roll-up).

``{% report_deadlines agencies as due %}`` reads the statuses of last year's reports of every
agency in three queries; ``{% include "reports/_due_badge.html" with status=due|due_of:agency %}``
shows one.
"""

from django import template
from django.utils import timezone

from gongkai.reports.deadlines import report_statuses

register = template.Library()


@register.simple_tag
def report_deadlines(agencies, year=None):
    """{agency id: DeadlineStatus} for the reports of `year` (default: last year)."""
    year = year or timezone.localdate().year - 1
    return report_statuses(list(agencies), int(year))


@register.filter
def due_of(statuses, agency):
    return statuses.get(getattr(agency, "pk", agency))
