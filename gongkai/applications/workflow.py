"""The workflow of an application (第四十五条: 登记、审核、办理、答复、归档).

The table is the whole truth about which moves exist; `_transition` in services refuses anything
not listed here. Moves that only add to the clock (extension, notes) change no status.
"""

from enum import StrEnum

from .models import Status


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
