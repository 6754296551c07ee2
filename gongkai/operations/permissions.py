"""Who may read and keep the operations records: the disclosure office and the agency's
administrator keep them; a supervisor reads them. Complaints hold personal data, so editors and
reviewers of the catalogue do not see these records."""

from gongkai.core.models import Agency, Role
from gongkai.core.permissions import has_role, is_active_user, supervises

KEEPER_ROLES = (Role.OFFICER, Role.OFFICE_HEAD, Role.AGENCY_ADMIN)
READER_ROLES = KEEPER_ROLES


def can_view_operations(user, agency: Agency) -> bool:
    if not is_active_user(user):
        return False
    return user.is_superuser or has_role(user, agency, *READER_ROLES) or supervises(user, agency)


def can_manage_operations(user, agency: Agency) -> bool:
    """Create and change the office, funds, meetings, trainings, accounts and post counts."""
    return is_active_user(user) and (user.is_superuser or has_role(user, agency, *KEEPER_ROLES))


def can_handle_complaint(user, agency: Agency) -> bool:
    """Register a complaint and move it through its handling: the disclosure office."""
    return is_active_user(user) and (
        user.is_superuser or has_role(user, agency, Role.OFFICER, Role.OFFICE_HEAD)
    )
