"""Who may do what with annual reports (named predicates over core's roles)."""

from django.db.models import Q

from gongkai.core.models import Agency, AuditEvent, Membership, Role
from gongkai.core.permissions import can_view_agency, has_role, is_active_user

from .models import Report, ReportEntry, ReportStatus

# The disclosure office drafts the report and enters the figures other systems hold.
EDIT_ROLES = (Role.OFFICER, Role.OFFICE_HEAD)
# The head of the office or the agency's administrator signs it off (never the submitter).
REVIEW_ROLES = (Role.OFFICE_HEAD, Role.AGENCY_ADMIN)


def can_view_report(user, agency: Agency) -> bool:
    return can_view_agency(user, agency)


def can_enter_report_figures(user, agency: Agency) -> bool:
    return has_role(user, agency, *EDIT_ROLES)


# An administrator of a supervising agency (who sees its subtree; a 上级查看 supervisor writes
# nothing) records the reports the agencies under it published elsewhere (the matrix reads them).
SUPERVISING_OFFICE_ROLES = (Role.AGENCY_ADMIN,)


def _office_at(user, paths: list[str]) -> bool:
    return (
        bool(paths)
        and is_active_user(user)
        and Membership.objects.filter(
            user=user, role__in=SUPERVISING_OFFICE_ROLES, agency__path__in=paths
        ).exists()
    )


def can_store_imported_report(user, agency: Agency) -> bool:
    """Store a report the agency published elsewhere: its own disclosure office, or an
    administrator of an agency above it."""
    return can_enter_report_figures(user, agency) or _office_at(
        user, agency.ancestors_and_self_paths()[:-1]
    )


def can_store_imported_reports_under(user, agency: Agency) -> bool:
    """`can_store_imported_report` for every agency strictly under `agency` (one query)."""
    return _office_at(user, agency.ancestors_and_self_paths())


def can_edit_report(user, report: Report) -> bool:
    return report.status == ReportStatus.DRAFT and has_role(user, report.agency, *EDIT_ROLES)


def can_submit_report(user, report: Report) -> bool:
    return can_edit_report(user, report)


# The audit events that change what the report's next version says: its text, the 更正说明 a
# reopening writes, and (on the entries) the figures staff enter.
CONTENT_VERBS = ("report.narrative_set", "report.narrative_draft", "report.reopen")


def version_authors(report: Report) -> set[int]:
    """Who wrote the version in review: everyone the audit trail shows changing its text or its
    entered figures since the report was last published."""
    events = AuditEvent.objects.filter(actor__isnull=False)
    own = Q(object_type=Report._meta.label_lower, object_id=str(report.pk))
    published = (
        events.filter(own, verb="report.publish")
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if published is not None:
        events = events.filter(id__gt=published)
    entries = ReportEntry.objects.filter(
        agency_id=report.agency_id, year=report.year, format=report.format
    ).values_list("pk", flat=True)
    changes = events.filter(
        (own & Q(verb__in=CONTENT_VERBS))
        | Q(
            object_type=ReportEntry._meta.label_lower,
            object_id__in=[str(pk) for pk in entries],
            verb="report.entry_set",
        )
    )
    return set(changes.values_list("actor_id", flat=True))


def can_review_report(user, report: Report) -> bool:
    """Four eyes: the reviewer neither submitted the version nor wrote any of it."""
    return (
        report.status == ReportStatus.IN_REVIEW
        and has_role(user, report.agency, *REVIEW_ROLES)
        and report.submitted_by_id != user.pk
        and user.pk not in version_authors(report)
    )


def can_reopen_report(user, report: Report) -> bool:
    """A published report is corrected by reopening it as a draft of the next version."""
    return report.status == ReportStatus.PUBLISHED and has_role(
        user, report.agency, *EDIT_ROLES, *REVIEW_ROLES
    )


# The batch check of the reports of the agencies under one (the supervising office's tool).
CHECK_ROLES = (Role.SUPERVISOR, Role.AGENCY_ADMIN, Role.OFFICE_HEAD, Role.OFFICER)


def can_check_reports(user, agency: Agency) -> bool:
    """Run a batch check as `agency` and read its batches: a role at the agency itself (its
    batches are its own: neither the agencies above nor those below see them)."""
    return bool(
        user and user.is_active and (user.is_superuser or has_role(user, agency, *CHECK_ROLES))
    )
