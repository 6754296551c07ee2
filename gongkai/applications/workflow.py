"""The workflow of an application (第四十五条: 登记、审核、办理、答复、归档), and of its reply draft,
declared on the workflow kernel (gongkai/core/workflow.py).

MACHINE and DRAFTS are the whole truth about which moves exist; `_move`/`_draft_move` in services
refuse anything not declared. Moves that only add to the clock change no status: the extension
(第三十三条) is a step whose target is None, open only while the office is WORKING.
"""

from enum import StrEnum

from gongkai.core.workflow import Machine, Transition

from . import permissions
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


# a clock step, not a status move: kept out of Action (the steps the API lists as allowed_actions)
EXTEND = "extend"

S = Status
# the statuses in which the office is handling the request (received, not concluded or waiting)
WORKING = frozenset({S.RECEIVED, S.PROCESSING, S.CONSULTING})


def _refuse(application, step: Transition) -> Exception:
    from django.utils.translation import gettext as _

    from .services import WorkflowError  # services import this module

    if step.name == EXTEND:
        return WorkflowError(_("Only an application being processed can be extended."))
    return WorkflowError(
        _("This step is not possible while the application is “%(status)s”.")
        % {"status": application.get_status_display()},
        code="workflow",
    )


def _handles(user, application) -> bool:
    return permissions.can_handle_application(user, application.agency)


def _extends(user, application) -> bool:
    return permissions.can_extend_application(user, application.agency)


MACHINE = Machine(
    noun="application",
    refuse=_refuse,
    transitions=(
        Transition(Action.CONFIRM_RECEIPT, frozenset({S.REGISTERED}), S.RECEIVED, _handles),
        Transition(Action.ACCEPT, frozenset({S.RECEIVED}), S.PROCESSING, _handles),
        Transition(
            Action.REQUEST_CORRECTION, frozenset({S.RECEIVED, S.PROCESSING}), S.CORRECTION, _handles
        ),
        Transition(Action.RECEIVE_CORRECTION, frozenset({S.CORRECTION}), S.PROCESSING, _handles),
        Transition(Action.LAPSE_CORRECTION, frozenset({S.CORRECTION}), S.CONCLUDED, _handles),
        # Several consultations may run at once; the status returns to PROCESSING when the
        # last ends (the service decides, so END_CONSULTATION has no target).
        Transition(Action.START_CONSULTATION, WORKING, S.CONSULTING, _handles),
        Transition(Action.END_CONSULTATION, frozenset({S.CONSULTING}), None, _handles),
        Transition(
            Action.NOTIFY_FEE, frozenset({S.RECEIVED, S.PROCESSING}), S.AWAITING_PAYMENT, _handles
        ),
        Transition(Action.RECORD_PAYMENT, frozenset({S.AWAITING_PAYMENT}), S.PROCESSING, _handles),
        Transition(Action.LAPSE_FEE, frozenset({S.AWAITING_PAYMENT}), S.CONCLUDED, _handles),
        Transition(Action.REPLY, WORKING, S.CONCLUDED, _handles),
        Transition(
            Action.WITHDRAW,
            frozenset({S.REGISTERED, S.CORRECTION, S.AWAITING_PAYMENT}) | WORKING,
            S.CONCLUDED,
            _handles,
        ),
        Transition(Action.ARCHIVE, frozenset({S.CONCLUDED}), S.ARCHIVED, _handles),
        Transition(EXTEND, WORKING, None, _extends),
    ),
)


def allowed_actions(current: str) -> list[Action]:
    return [action for action in Action if current in MACHINE[action].sources]


# --- the reply letter before it goes out (issue 17) -----------------------------------------


class DraftAction(StrEnum):
    SAVE = "save"  # (re)write the draft: any earlier sign-off no longer holds
    SUBMIT = "submit"  # to the head of the office for sign-off
    SIGN = "sign"  # the head of the office signs it off
    RETURN = "return"  # the head sends it back for changes
    ISSUE = "issue"  # numbered, dated and sent; the application is concluded
    ISSUE_UNSIGNED = "issue_unsigned"  # where the agency does not require sign-off


def _refuse_draft(draft, step: Transition) -> Exception:
    from django.utils.translation import gettext as _

    from .services import WorkflowError  # services import this module

    return WorkflowError(
        _("This step is not possible while the reply is “%(status)s”.")
        % {"status": draft.get_status_display()},
        code="workflow",
    )


def _drafts(user, draft) -> bool:
    return permissions.can_handle_application(user, draft.application.agency)


def _signs(user, draft) -> bool:
    return permissions.can_sign_off_replies(user, draft.application.agency)


D = ReplyDraftStatus
DRAFTS = Machine(
    noun="reply_draft",
    refuse=_refuse_draft,
    transitions=(
        Transition(
            DraftAction.SAVE, frozenset({D.DRAFT, D.AWAITING_SIGNOFF, D.SIGNED}), D.DRAFT, _drafts
        ),
        Transition(DraftAction.SUBMIT, frozenset({D.DRAFT}), D.AWAITING_SIGNOFF, _drafts),
        Transition(DraftAction.SIGN, frozenset({D.AWAITING_SIGNOFF}), D.SIGNED, _signs),
        Transition(DraftAction.RETURN, frozenset({D.AWAITING_SIGNOFF, D.SIGNED}), D.DRAFT, _signs),
        Transition(DraftAction.ISSUE, frozenset({D.SIGNED}), D.ISSUED, _drafts),
        Transition(DraftAction.ISSUE_UNSIGNED, frozenset({D.DRAFT}), D.ISSUED, _drafts),
    ),
)
