"""Who may do what with annual reports (named predicates over core's roles)."""

from gongkai.core.models import Agency, Role
from gongkai.core.permissions import can_view_agency, has_role

from .models import Report, ReportStatus

# The disclosure office drafts the report and enters the figures other systems hold.
EDIT_ROLES = (Role.OFFICER, Role.OFFICE_HEAD)
# The head of the office or the agency's administrator signs it off (never the submitter).
REVIEW_ROLES = (Role.OFFICE_HEAD, Role.AGENCY_ADMIN)


def can_view_report(user, agency: Agency) -> bool:
    return can_view_agency(user, agency)


def can_enter_report_figures(user, agency: Agency) -> bool:
    return has_role(user, agency, *EDIT_ROLES)


def can_edit_report(user, report: Report) -> bool:
    return report.status == ReportStatus.DRAFT and has_role(user, report.agency, *EDIT_ROLES)


def can_submit_report(user, report: Report) -> bool:
    return can_edit_report(user, report)


def can_review_report(user, report: Report) -> bool:
    """Four eyes: the reviewer is not who submitted it."""
    return (
        report.status == ReportStatus.IN_REVIEW
        and has_role(user, report.agency, *REVIEW_ROLES)
        and report.submitted_by_id != user.pk
    )


def can_reopen_report(user, report: Report) -> bool:
    """A published report is corrected by reopening it as a draft of the next version."""
    return report.status == ReportStatus.PUBLISHED and has_role(
        user, report.agency, *EDIT_ROLES, *REVIEW_ROLES
    )
