"""Writes of 回应解读 and 找错. Keyword-only, permission-checked, audited in the same transaction.

A public 找错 report has no actor; everything else is done by staff (or by the demo loader and
tests with `actor=None`, which skips the permission check as in the other apps).
"""

# the services by section (common, incidents, error_reports), re-exported here: callers write
# `from gongkai.engagement import services; services.incident_create(...)`
from .common import (
    CHECK_CODE,
    CHECK_CODE_PURPOSE,
    CONFERENCE_FIELDS,
    DESCRIPTION_MAX,
    INCIDENT_FIELDS,
    INTERPRETATION_FIELDS,
    LOOKUP_FAILURES_PER_HOUR,
    LOOKUP_RATE,
    REFERENCE_PATTERN,
    REPORTS_PER_IP_PER_HOUR,
    SUBMIT_RATE,
    RateLimited,
    WorkflowError,
    today,
)
from .error_reports import (
    Submitted,
    check_code_matches,
    error_report_assign,
    error_report_close,
    error_report_decoy,
    error_report_reply,
    error_report_rework,
    error_report_status_lookup,
    error_report_submit,
    hash_ip,
    masked_contact,
)
from .incidents import (
    conference_create,
    conference_update,
    incident_close,
    incident_create,
    incident_reopen,
    incident_respond,
    incident_update,
    interpretation_create,
    interpretation_update,
)

__all__ = [
    "CHECK_CODE",
    "CHECK_CODE_PURPOSE",
    "CONFERENCE_FIELDS",
    "DESCRIPTION_MAX",
    "INCIDENT_FIELDS",
    "INTERPRETATION_FIELDS",
    "LOOKUP_FAILURES_PER_HOUR",
    "LOOKUP_RATE",
    "REFERENCE_PATTERN",
    "REPORTS_PER_IP_PER_HOUR",
    "RateLimited",
    "SUBMIT_RATE",
    "Submitted",
    "WorkflowError",
    "check_code_matches",
    "conference_create",
    "conference_update",
    "error_report_assign",
    "error_report_close",
    "error_report_decoy",
    "error_report_reply",
    "error_report_rework",
    "error_report_status_lookup",
    "error_report_submit",
    "hash_ip",
    "incident_close",
    "incident_create",
    "incident_reopen",
    "incident_respond",
    "incident_update",
    "interpretation_create",
    "interpretation_update",
    "masked_contact",
    "today",
]
