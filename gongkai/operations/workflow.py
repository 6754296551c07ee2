"""The complaint (举报投诉) workflow, declared on the kernel (gongkai/core/workflow.py).

A step is named after the status it leads to (the move form posts the target status); the
disclosure office takes every step. `complaint_transition` applies MACHINE; the edit page offers
the steps MACHINE.actions gives the user.
"""

from django.utils.translation import gettext as _

from gongkai.core.workflow import Machine, Transition

from . import permissions
from .models import ComplaintStatus

S = ComplaintStatus


def _handles(user, complaint) -> bool:
    return permissions.can_handle_complaint(user, complaint.agency)


def refusal(complaint, to: str) -> Exception:
    """The refusal of a move to `to`: no step leads there from the complaint's status."""
    from .services import WorkflowError  # services import this module

    return WorkflowError(
        _("A complaint that is “%(status)s” cannot become “%(to)s”.")
        % {
            "status": complaint.get_status_display(),
            "to": ComplaintStatus(to).label if to in ComplaintStatus.values else to,
        },
        code="workflow",
    )


def _refuse(complaint, step: Transition) -> Exception:
    return refusal(complaint, step.name)


MACHINE = Machine(
    noun="complaint",
    refuse=_refuse,
    transitions=(
        # A complaint closed too early (the complainant writes again) is reopened, not re-entered.
        Transition(S.HANDLING, frozenset({S.RECEIVED, S.CLOSED}), S.HANDLING, _handles),
        Transition(S.CLOSED, frozenset({S.RECEIVED, S.HANDLING}), S.CLOSED, _handles),
    ),
)
