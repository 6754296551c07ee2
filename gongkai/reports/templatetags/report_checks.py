"""{% can_check_reports agency as allowed %}: whether the user may run the batch check as the
agency (the link to gongkai/reports/views_batch.py is shown only then)."""

from django import template

from gongkai.reports.permissions import can_check_reports as _can_check_reports

register = template.Library()


@register.simple_tag(takes_context=True)
def can_check_reports(context, agency) -> bool:
    request = context.get("request")
    return request is not None and _can_check_reports(request.user, agency)
