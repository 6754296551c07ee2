"""The annual report's lifecycle, a machine on the kernel (gongkai/core/workflow.py):
草稿 → 审核中 (submit) → 已发布 (publish, four eyes), returned to the draft from review, and a
published report reopened for a correction. `report_transition` applies it; the report page
offers MACHINE.actions (the same guards).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.core.workflow import Machine, Transition

from . import permissions
from .models import ReportStatus

S = ReportStatus


def refusal(report=None, step: Transition | None = None) -> Exception:
    return ValidationError(_("This report cannot do that now."))


MACHINE = Machine(
    noun="report",
    refuse=refusal,
    transitions=(
        Transition("submit", frozenset({S.DRAFT}), S.IN_REVIEW, permissions.can_submit_report),
        Transition("return", frozenset({S.IN_REVIEW}), S.DRAFT, permissions.can_review_report),
        Transition("publish", frozenset({S.IN_REVIEW}), S.PUBLISHED, permissions.can_review_report),
        Transition("reopen", frozenset({S.PUBLISHED}), S.DRAFT, permissions.can_reopen_report),
    ),
)
