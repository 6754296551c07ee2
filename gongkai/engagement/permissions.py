"""Who may do what with the engagement records (named predicates over core's roles)."""

from gongkai.core.models import Agency, Role
from gongkai.core.permissions import has_role, is_active_user

RECORD_ROLES = (Role.OFFICER, Role.EDITOR)
HANDLER_ROLES = (Role.OFFICER, Role.EDITOR)
# Who can be given a 找错 report to deal with.
ASSIGNABLE_ROLES = (Role.OFFICER, Role.EDITOR, Role.REVIEWER, Role.OFFICE_HEAD)


def can_record_engagement(user, agency: Agency) -> bool:
    """Create and change incidents, responses, press conferences and interpretations."""
    return is_active_user(user) and (user.is_superuser or has_role(user, agency, *RECORD_ROLES))


def can_handle_error_report(user, agency: Agency) -> bool:
    """Assign, answer and close 找错 reports."""
    return is_active_user(user) and (user.is_superuser or has_role(user, agency, *HANDLER_ROLES))


def can_be_assigned_error_report(user, agency: Agency) -> bool:
    return is_active_user(user) and has_role(user, agency, *ASSIGNABLE_ROLES)
