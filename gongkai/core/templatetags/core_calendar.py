"""The reminder to enter next year's holiday schedule, shown on the staff desks."""

from django import template
from django.utils import timezone

from gongkai.core import permissions, selectors

register = template.Library()


@register.inclusion_tag("core/_calendar_reminder.html")
def calendar_reminder(user):
    return {
        "year": selectors.missing_next_year_schedule(timezone.localdate()),
        "can_change_calendar": permissions.can_change_calendar(user),
    }
