"""Writes of 找错 (我为政府网站找错): a public report (no actor), its status lookup, and the staff's
handling. Keyword-only, permission-checked, audited in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai import privacy
from gongkai.core import codes, intake, throttle
from gongkai.core.audit import audit_record, snapshot
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.core.sequences import next_value
from gongkai.engagement.services.common import (
    CHECK_CODE,
    DESCRIPTION_MAX,
    LOOKUP_RATE,
    REFERENCE_PATTERN,
    SUBMIT_RATE,
    _not_future,
    today,
)

from .. import permissions
from ..models import (
    ErrorReport,
    ErrorReportSequence,
)
from ..taxonomy import ErrorOutcome, ErrorType
from ..workflow import ERROR_REPORTS, ErrorAction

# --- 我为政府网站找错 ---------------------------------------------------------------------


@dataclass
class Submitted:
    report: ErrorReport
    check_code: str  # shown once; "" when the same submission came again
    created: bool


def hash_ip(ip: str) -> str:
    return codes.hash_ip("engagement", ip)


def check_code_matches(report: ErrorReport, code: str) -> bool:
    return CHECK_CODE.matches(report, code)


@transaction.atomic
def error_report_status_lookup(
    *, agency: Agency, reference: str, code: str, ip: str = ""
) -> ErrorReport | None:
    """The reporter's own report, by its reference number and check code; None when they do
    not match (the same answer for both). Failures are counted by the public limiter: after
    LOOKUP_FAILURES_PER_HOUR from one address within an hour, every look-up from it is refused
    (RateLimited), so that check codes cannot be guessed."""
    from ..selectors import public_error_report

    return intake.lookup(
        rate=LOOKUP_RATE,
        ip=ip,
        find=lambda: public_error_report(agency, reference),
        code=code,
        kind=CHECK_CODE,
    )


def masked_contact(value: str) -> str:
    """A reporter's contact as staff lists show it: personal data masked, never in clear."""
    value = (value or "").strip()
    if not value:
        return ""
    masked = privacy.mask(value)
    if masked != value:
        return masked
    keep = 1 if len(value) > 2 else 0
    return value[:keep] + "*" * (len(value) - 2 * keep) + (value[-keep:] if keep else "")


def _report_audit(report: ErrorReport) -> dict:
    values = snapshot(
        report, ["reference", "page_url", "error_type", "status", "assignee", "outcome"]
    )
    values["description"] = privacy.mask(report.description)
    values["contact"] = masked_contact(report.contact)
    return values


def _clean_report_input(page_url: str, error_type: str, description: str, contact: str) -> dict:
    errors: dict[str, list[str]] = {}
    page_url = (page_url or "").strip()
    if page_url:
        # Not URLValidator: intranet portals have host names without a top-level domain.
        parts = urlsplit(page_url)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or any(c.isspace() for c in page_url)
        ):
            errors["page_url"] = [_("Enter the full address of the page (http:// or https://).")]
        if len(page_url) > 500:
            errors["page_url"] = [_("The address is too long.")]
    if error_type not in ErrorType.values:
        errors["error_type"] = [_("Choose the type of error.")]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Describe the error.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [
            _("Keep the description under %(n)d characters.") % {"n": DESCRIPTION_MAX}
        ]
    contact = (contact or "").strip()
    if len(contact) > 100:
        errors["contact"] = [_("The contact is too long.")]
    if errors:
        raise ValidationError(errors)
    return {
        "page_url": page_url,
        "error_type": error_type,
        "description": description,
        "contact": contact,
    }


def error_report_submit(
    *,
    agency: Agency,
    error_type: str,
    description: str,
    page_url: str = "",
    contact: str = "",
    submission_token: str = "",
    ip: str = "",
    actor: User | None = None,
    submitted_at: datetime | None = None,
) -> Submitted:
    """Take a 找错 report. From the public (actor None): a per-network rate limit (a robot
    caught by the form's honeypot is answered by `error_report_decoy` instead); staff may
    register one received by telephone or e-mail, with its date. The same submission token
    twice gives the first report back (a double click, a reload)."""
    if actor is not None:
        require(permissions.can_handle_error_report(actor, agency))
    data = _clean_report_input(page_url, error_type, description, contact)
    submitted_before = ErrorReport.objects.filter(agency=agency)
    existing = intake.find_submitted(submitted_before, submission_token)
    if existing is not None:
        return _again(existing)
    ip_hash = hash_ip(ip)
    if actor is None:
        if submitted_at is not None:
            raise ValidationError(_("Only staff can register a report with an earlier date."))
        throttle.throttle_check(rate=SUBMIT_RATE, ip=ip)
    elif submitted_at is not None and submitted_at > timezone.now():
        raise ValidationError(_("The date cannot be in the future."), code="date")
    return intake.register_once(
        register=lambda: _register(
            agency=agency,
            data=data,
            token=submission_token,
            ip_hash=ip_hash,
            actor=actor,
            now=submitted_at or timezone.now(),
        ),
        queryset=submitted_before,
        token=submission_token,
        again=_again,
        rate=SUBMIT_RATE if actor is None else None,
        ip=ip,
    )


def _again(report: ErrorReport) -> Submitted:
    # The same submission token came again: the first report, its code not shown again.
    return Submitted(report, "", False)


def error_report_decoy(*, agency: Agency, ip: str = "") -> intake.Decoy:
    """The answer to a report that filled the form's honeypot (gongkai.core.intake): a
    reference number and a check code shaped like real ones, stored nowhere."""
    year = timezone.localdate().year
    return intake.decoy_answer(
        agency=agency,
        form="engagement.errorreport",
        ip=ip,
        number=lambda serial: REFERENCE_PATTERN.format(year=year, serial=serial),
    )


def _register(*, agency, data, token, ip_hash, actor, now) -> Submitted:
    year = timezone.localtime(now).year
    serial = next_value(ErrorReportSequence, agency=agency, year=year)
    report = ErrorReport(
        agency=agency,
        reference=REFERENCE_PATTERN.format(year=year, serial=serial),
        year=year,
        serial=serial,
        submitted_at=now,
        submission_token=token,
        submitter_ip_hash=ip_hash,
        registered_by=actor if actor is not None and actor.is_authenticated else None,
        **data,
    )
    report.save()
    code = CHECK_CODE.issue(report)
    audit_record(
        actor=actor,
        verb="error_report.submit",
        obj=report,
        agency=agency,
        after=_report_audit(report),
    )
    return Submitted(report, code, True)


def _locked_report(report: ErrorReport) -> ErrorReport:
    return (
        ErrorReport.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=report.pk)
    )


def _report_move(
    *, actor: User | None, report: ErrorReport, action: ErrorAction, extra: dict | None = None
) -> None:
    """The one guarded move of a 找错 report: the machine, then the audit event."""
    ERROR_REPORTS.apply(report, action, actor=actor, after=extra, check_permission=False)


@transaction.atomic
def error_report_assign(*, actor: User | None, report: ErrorReport, assignee: User) -> ErrorReport:
    report = _locked_report(report)
    if actor is not None:
        ERROR_REPORTS.require(actor, report, ErrorAction.ASSIGN)
    if not permissions.can_be_assigned_error_report(assignee, report.agency):
        raise ValidationError(
            {"assignee": _("This person holds no role at the agency that can take the report.")}
        )
    report.assignee = assignee
    _report_move(
        actor=actor, report=report, action=ErrorAction.ASSIGN, extra={"assignee": assignee.pk}
    )
    return report


@transaction.atomic
def error_report_reply(
    *, actor: User | None, report: ErrorReport, reply: str, replied_at: datetime | None = None
) -> ErrorReport:
    """Answer the reporter; the reply is what they read with the reference and check code."""
    report = _locked_report(report)
    if actor is not None:
        ERROR_REPORTS.require(actor, report, ErrorAction.REPLY)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Write the reply.")})
    replied_at = replied_at or timezone.now()
    if replied_at < report.submitted_at or replied_at > timezone.now():
        raise ValidationError({"reply": _("The reply date is not possible.")}, code="date")
    report.reply = reply
    report.replied_at = replied_at
    if report.assignee_id is None and actor is not None and actor.is_authenticated:
        report.assignee = actor
    _report_move(
        actor=actor, report=report, action=ErrorAction.REPLY, extra={"reply": privacy.mask(reply)}
    )
    return report


@transaction.atomic
def error_report_rework(*, actor: User | None, report: ErrorReport) -> ErrorReport:
    """Take a replied report back (the reply was wrong or incomplete); the reply stays visible
    until a new one replaces it."""
    report = _locked_report(report)
    if actor is not None:
        ERROR_REPORTS.require(actor, report, ErrorAction.REWORK)
    _report_move(actor=actor, report=report, action=ErrorAction.REWORK)
    return report


@transaction.atomic
def error_report_close(
    *,
    actor: User | None,
    report: ErrorReport,
    outcome: str,
    closed_on: date | None = None,
) -> ErrorReport:
    report = _locked_report(report)
    if actor is not None:
        ERROR_REPORTS.require(actor, report, ErrorAction.CLOSE)
    if outcome not in ErrorOutcome.values:
        raise ValidationError({"outcome": _("Choose how the report ended.")})
    closed_on = closed_on or today()
    _not_future(closed_on, "closed_on")
    if report.replied_at and closed_on < timezone.localdate(report.replied_at):
        raise ValidationError({"closed_on": _("A report cannot be closed before its reply.")})
    report.outcome = outcome
    report.closed_on = closed_on
    _report_move(
        actor=actor,
        report=report,
        action=ErrorAction.CLOSE,
        extra={"outcome": outcome, "closed_on": closed_on},
    )
    return report
