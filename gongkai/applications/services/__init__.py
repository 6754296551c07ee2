"""Writes of 依申请公开. Keyword-only, permission-checked, audited in the same transaction.

Every move that changes the clock appends an ApplicationEvent and then recomputes the
application's due date from all its events (`_refresh_clock`), so the stored due date can never
drift from the log it is derived from.

By section: common (the query code, the limits, the lock, the events and the clock), inputs,
registration, correction, consultation, extension, fee_notices, stored_files, conclusion (the
reply), reply_letter (draft and sign-off), closing (withdraw, archive), appeals,
agency_settings (templates and settings), tick, recompute, staff_pages, public_status. Every
public service is re-exported here: callers write `from gongkai.applications import services;
services.application_reply(...)`.
"""

# Django's error, which callers and tests catch as services.ValidationError
from django.core.exceptions import ValidationError as ValidationError

from .agency_settings import application_settings_update, letter_template_update
from .appeals import appeal_decide, appeal_record
from .closing import application_archive, application_withdraw
from .common import (
    QUERY_CODE,
    QUERY_CODE_PURPOSE,
    SUBMISSIONS_PER_IP_PER_HOUR,
    SUBMIT_RATE,
    RateLimited,
    WorkflowError,
    clock_events,
    compute_clock,
    hash_ip,
    query_code_matches,
    settings_for,
    today,
)
from .conclusion import application_reply
from .consultation import consultation_close, consultation_start
from .correction import (
    application_lapse_correction,
    application_receive_correction,
    application_request_correction,
    correction_deadline,
)
from .extension import application_extend
from .fee_notices import (
    applications_in_month,
    describe_fee,
    fee_lapse,
    fee_notify,
    fee_quote,
    fee_record_payment,
)
from .inputs import ApplicationInput, validate_input
from .public_status import (
    LOOKUP_RATE,
    STATUS_LOOKUP_FAILED,
    STATUS_LOOKUP_FAILURES_PER_HOUR,
    application_status_lookup,
    decoy_submission,
)
from .recompute import applications_recompute_pending
from .registration import (
    Submitted,
    application_assign,
    application_confirm_receipt,
    application_note,
    application_reset_query_code,
    application_submit,
)
from .reply_letter import (
    reply_draft_issue,
    reply_draft_return,
    reply_draft_save,
    reply_draft_sign,
    reply_draft_submit,
    reply_preview,
)
from .staff_pages import application_download, application_reveal_identity, applications_export
from .stored_files import application_file_add
from .tick import NEAR_DUE, OVERDUE, applications_tick

__all__ = [
    "ApplicationInput",
    "LOOKUP_RATE",
    "NEAR_DUE",
    "OVERDUE",
    "QUERY_CODE",
    "QUERY_CODE_PURPOSE",
    "RateLimited",
    "STATUS_LOOKUP_FAILED",
    "STATUS_LOOKUP_FAILURES_PER_HOUR",
    "SUBMISSIONS_PER_IP_PER_HOUR",
    "SUBMIT_RATE",
    "Submitted",
    "ValidationError",
    "WorkflowError",
    "appeal_decide",
    "appeal_record",
    "application_archive",
    "application_assign",
    "application_confirm_receipt",
    "application_download",
    "application_extend",
    "application_file_add",
    "application_lapse_correction",
    "application_note",
    "application_receive_correction",
    "application_reply",
    "application_request_correction",
    "application_reset_query_code",
    "application_reveal_identity",
    "application_settings_update",
    "application_status_lookup",
    "application_submit",
    "application_withdraw",
    "applications_export",
    "applications_in_month",
    "applications_recompute_pending",
    "applications_tick",
    "clock_events",
    "compute_clock",
    "consultation_close",
    "consultation_start",
    "correction_deadline",
    "decoy_submission",
    "describe_fee",
    "fee_lapse",
    "fee_notify",
    "fee_quote",
    "fee_record_payment",
    "hash_ip",
    "letter_template_update",
    "query_code_matches",
    "reply_draft_issue",
    "reply_draft_return",
    "reply_draft_save",
    "reply_draft_sign",
    "reply_draft_submit",
    "reply_preview",
    "settings_for",
    "today",
    "validate_input",
]
