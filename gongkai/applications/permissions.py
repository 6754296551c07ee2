"""Who may do what with applications. Applicant data is personal: editors and reviewers of the
catalogue do not see it; the disclosure office handles it; a supervisor reads it."""

from gongkai.core.models import Agency, Role
from gongkai.core.permissions import has_role, is_active_user, supervises

HANDLER_ROLES = (Role.OFFICER, Role.OFFICE_HEAD)
READER_ROLES = (Role.OFFICER, Role.OFFICE_HEAD, Role.AGENCY_ADMIN)


def can_view_applications(user, agency: Agency) -> bool:
    if not is_active_user(user):
        return False
    return user.is_superuser or has_role(user, agency, *READER_ROLES) or supervises(user, agency)


def can_handle_application(user, agency: Agency) -> bool:
    """Register, confirm, ask for correction, consult, reply: the disclosure office."""
    return has_role(user, agency, *HANDLER_ROLES)


def can_extend_application(user, agency: Agency) -> bool:
    """第三十三条: an extension needs the consent of the head of the disclosure office."""
    return has_role(user, agency, Role.OFFICE_HEAD)


def can_sign_off_replies(user, agency: Agency) -> bool:
    """A reply letter is signed off by the head of the disclosure office (工作机构负责人) before
    it is numbered and sent, where the agency requires it (ApplicationSettings.requires_signoff)."""
    return has_role(user, agency, Role.OFFICE_HEAD)


def can_manage_letter_templates(user, agency: Agency) -> bool:
    return has_role(user, agency, Role.AGENCY_ADMIN, Role.OFFICE_HEAD)


def can_export_applications(user, agency: Agency) -> bool:
    return can_view_applications(user, agency)
