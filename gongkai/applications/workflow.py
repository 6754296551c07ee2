"""The workflow of an application (第四十五条: 登记、审核、办理、答复、归档).

The table is the whole truth about which moves exist; `_transition` in services refuses anything
not listed here. Moves that only add to the clock (extension, notes) change no status.
"""

from enum import StrEnum

from .models import ReplyDraftStatus, Status


class Action(StrEnum):
    CONFIRM_RECEIPT = "confirm_receipt"
    ACCEPT = "accept"
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    LAPSE_CORRECTION = "lapse_correction"
    START_CONSULTATION = "start_consultation"
    END_CONSULTATION = "end_consultation"
    NOTIFY_FEE = "notify_fee"
    RECORD_PAYMENT = "record_payment"
    LAPSE_FEE = "lapse_fee"
    REPLY = "reply"
    WITHDRAW = "withdraw"
    ARCHIVE = "archive"


S = Status
# the statuses in which the office is handling the request (received, not concluded or waiting)
WORKING = frozenset({S.RECEIVED, S.PROCESSING, S.CONSULTING})

TRANSITIONS: dict[Action, tuple[frozenset[str], str | None]] = {
    Action.CONFIRM_RECEIPT: (frozenset({S.REGISTERED}), S.RECEIVED),
    Action.ACCEPT: (frozenset({S.RECEIVED}), S.PROCESSING),
    Action.REQUEST_CORRECTION: (frozenset({S.RECEIVED, S.PROCESSING}), S.CORRECTION),
    Action.RECEIVE_CORRECTION: (frozenset({S.CORRECTION}), S.PROCESSING),
    Action.LAPSE_CORRECTION: (frozenset({S.CORRECTION}), S.CONCLUDED),
    # Several consultations may run at once; the status returns to PROCESSING when the last ends.
    Action.START_CONSULTATION: (frozenset({S.RECEIVED, S.PROCESSING, S.CONSULTING}), S.CONSULTING),
    Action.END_CONSULTATION: (frozenset({S.CONSULTING}), None),
    Action.NOTIFY_FEE: (frozenset({S.RECEIVED, S.PROCESSING}), S.AWAITING_PAYMENT),
    Action.RECORD_PAYMENT: (frozenset({S.AWAITING_PAYMENT}), S.PROCESSING),
    Action.LAPSE_FEE: (frozenset({S.AWAITING_PAYMENT}), S.CONCLUDED),
    Action.REPLY: (WORKING, S.CONCLUDED),
    Action.WITHDRAW: (
        frozenset({S.REGISTERED, S.CORRECTION, S.AWAITING_PAYMENT}) | WORKING,
        S.CONCLUDED,
    ),
    Action.ARCHIVE: (frozenset({S.CONCLUDED}), S.ARCHIVED),
}


def allowed(action: Action, current: str) -> bool:
    return current in TRANSITIONS[action][0]


def allowed_actions(current: str) -> list[Action]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if current in sources]


# --- the reply letter before it goes out (issue 17) -----------------------------------------


class DraftAction(StrEnum):
    SAVE = "save"  # (re)write the draft: any earlier sign-off no longer holds
    SUBMIT = "submit"  # to the head of the office for sign-off
    SIGN = "sign"  # the head of the office signs it off
    RETURN = "return"  # the head sends it back for changes
    ISSUE = "issue"  # numbered, dated and sent; the application is concluded
    ISSUE_UNSIGNED = "issue_unsigned"  # where the agency does not require sign-off


D = ReplyDraftStatus
DRAFT_TRANSITIONS: dict[DraftAction, tuple[frozenset[str], str]] = {
    DraftAction.SAVE: (frozenset({D.DRAFT, D.AWAITING_SIGNOFF, D.SIGNED}), D.DRAFT),
    DraftAction.SUBMIT: (frozenset({D.DRAFT}), D.AWAITING_SIGNOFF),
    DraftAction.SIGN: (frozenset({D.AWAITING_SIGNOFF}), D.SIGNED),
    DraftAction.RETURN: (frozenset({D.AWAITING_SIGNOFF, D.SIGNED}), D.DRAFT),
    DraftAction.ISSUE: (frozenset({D.SIGNED}), D.ISSUED),
    DraftAction.ISSUE_UNSIGNED: (frozenset({D.DRAFT}), D.ISSUED),
}


def draft_allowed(action: DraftAction, current: str) -> bool:
    return current in DRAFT_TRANSITIONS[action][0]
