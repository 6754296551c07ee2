"""The workflow of an application (第四十五条: 登记、审核、办理、答复、归档), and of its reply draft,
declared on the workflow kernel (gongkai/core/workflow.py).

MACHINE and DRAFTS are the whole truth about which moves exist: the services check a step with
`MACHINE.check` where their refusals come in order and take it with `MACHINE.apply` (the status,
the save, the audit event under the verb declared here), so nothing else sets a status. Moves that
only add to the clock change no status: the extension (第三十三条) is a step whose target is
None, open only while the office is WORKING.
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
# the audit verb of a consultation's end, with or without the step (services write it too)
CONSULTATION_CLOSE = "application.consultation_close"
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
        # the audit verbs are those the services have always written
        Transition(
            Action.CONFIRM_RECEIPT,
            frozenset({S.REGISTERED}),
            S.RECEIVED,
            _handles,
            verb="application.confirm",
        ),
        # taken when a received application is assigned to its handler
        Transition(
            Action.ACCEPT,
            frozenset({S.RECEIVED}),
            S.PROCESSING,
            _handles,
            verb="application.assign",
        ),
        Transition(
            Action.REQUEST_CORRECTION,
            frozenset({S.RECEIVED, S.PROCESSING}),
            S.CORRECTION,
            _handles,
            verb="application.correction_request",
        ),
        Transition(
            Action.RECEIVE_CORRECTION,
            frozenset({S.CORRECTION}),
            S.PROCESSING,
            _handles,
            verb="application.correction_receive",
        ),
        Transition(
            Action.LAPSE_CORRECTION,
            frozenset({S.CORRECTION}),
            S.CONCLUDED,
            _handles,
            verb="application.correction_lapsed",
        ),
        # Several consultations may run at once: the service takes END_CONSULTATION when the
        # last one ends (an earlier one ends without a step, the status stays CONSULTING).
        Transition(
            Action.START_CONSULTATION,
            WORKING,
            S.CONSULTING,
            _handles,
            verb="application.consultation_start",
        ),
        Transition(
            Action.END_CONSULTATION,
            frozenset({S.CONSULTING}),
            S.PROCESSING,
            _handles,
            verb=CONSULTATION_CLOSE,
        ),
        Transition(
            Action.NOTIFY_FEE,
            frozenset({S.RECEIVED, S.PROCESSING}),
            S.AWAITING_PAYMENT,
            _handles,
            verb="application.fee_notify",
        ),
        Transition(
            Action.RECORD_PAYMENT,
            frozenset({S.AWAITING_PAYMENT}),
            S.PROCESSING,
            _handles,
            verb="application.fee_paid",
        ),
        Transition(
            Action.LAPSE_FEE,
            frozenset({S.AWAITING_PAYMENT}),
            S.CONCLUDED,
            _handles,
            verb="application.fee_lapsed",
        ),
        Transition(Action.REPLY, WORKING, S.CONCLUDED, _handles, verb="application.replied"),
        Transition(
            Action.WITHDRAW,
            frozenset({S.REGISTERED, S.CORRECTION, S.AWAITING_PAYMENT}) | WORKING,
            S.CONCLUDED,
            _handles,
            verb="application.withdrawn",
        ),
        Transition(Action.ARCHIVE, frozenset({S.CONCLUDED}), S.ARCHIVED, _handles),
        Transition(EXTEND, WORKING, None, _extends),
    ),
)


def allowed_actions(user, application) -> list[Action]:
    """The status steps `user` may take on `application` now (the API's allowed_actions):
    the machine's guards, the extension aside."""
    return [Action(name) for name in MACHINE.actions(user, application) if name in _STATUS_STEPS]


_STATUS_STEPS = frozenset(Action)


def awaiting_correction(application) -> bool:
    """The applicant's correction is awaited: the step that receives it starts from here (what
    the status page, the staff page and the API say, and when the correction form is open)."""
    return MACHINE.target(Action.RECEIVE_CORRECTION, application.status) is not None


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


def _signs_other(user, draft) -> bool:
    # four eyes: not a reply they drafted themselves (letters.own_signoff_refusal)
    from .letters import own_signoff_refusal  # letters imports the models this module does

    return _signs(user, draft) and not own_signoff_refusal(user, draft)


D = ReplyDraftStatus
DRAFTS = Machine(
    noun="reply_draft",
    refuse=_refuse_draft,
    transitions=(
        Transition(
            DraftAction.SAVE, frozenset({D.DRAFT, D.AWAITING_SIGNOFF, D.SIGNED}), D.DRAFT, _drafts
        ),
        Transition(DraftAction.SUBMIT, frozenset({D.DRAFT}), D.AWAITING_SIGNOFF, _drafts),
        Transition(DraftAction.SIGN, frozenset({D.AWAITING_SIGNOFF}), D.SIGNED, _signs_other),
        Transition(DraftAction.RETURN, frozenset({D.AWAITING_SIGNOFF, D.SIGNED}), D.DRAFT, _signs),
        Transition(DraftAction.ISSUE, frozenset({D.SIGNED}), D.ISSUED, _drafts),
        # the same audit verb as a signed reply's issue
        Transition(
            DraftAction.ISSUE_UNSIGNED,
            frozenset({D.DRAFT}),
            D.ISSUED,
            _drafts,
            verb="reply_draft.issue",
        ),
    ),
)
