"""The review workflow of an item:草稿 → 待审核 → 已通过 → 已发布 → 已撤回.

MACHINE (gongkai/core/workflow.py) is the whole truth about which moves exist and who may make
them: the services apply it and refuse anything else, the item page offers MACHINE.actions.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy

from gongkai.core.workflow import Machine, Transition

from . import permissions
from .models import ItemStatus


class Action(StrEnum):
    SUBMIT = "submit"
    REJECT = "reject"
    APPROVE = "approve"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"


ILLEGAL_MOVE_MESSAGES = {
    Action.SUBMIT: gettext_lazy(
        "Only a draft can be submitted for review; this item is “%(status)s”."
    ),
    Action.REJECT: gettext_lazy(
        "Only an item pending review can be returned; this item is “%(status)s”."
    ),
    Action.APPROVE: gettext_lazy(
        "Only an item pending review can be approved; this item is “%(status)s”."
    ),
    Action.PUBLISH: gettext_lazy(
        "Only an approved item can be published; this item is “%(status)s”."
    ),
    Action.WITHDRAW: gettext_lazy(
        "Only an approved or published item can be withdrawn; this item is “%(status)s”."
    ),
}


def _refuse(item, step: Transition) -> Exception:
    from .services import WorkflowError  # services import this module

    return WorkflowError(
        ILLEGAL_MOVE_MESSAGES[Action(step.name)] % {"status": item.get_status_display()},
        code="illegal_transition",
    )


S = ItemStatus
MACHINE = Machine(
    noun="item",
    refuse=_refuse,
    transitions=(
        Transition(Action.SUBMIT, frozenset({S.DRAFT}), S.PENDING, permissions.can_submit_item),
        Transition(Action.REJECT, frozenset({S.PENDING}), S.DRAFT, permissions.can_review_item),
        Transition(Action.APPROVE, frozenset({S.PENDING}), S.APPROVED, permissions.can_review_item),
        Transition(
            Action.PUBLISH, frozenset({S.APPROVED}), S.PUBLISHED, permissions.can_publish_item
        ),
        # An approved item waiting for its scheduled time can be withdrawn as well.
        Transition(
            Action.WITHDRAW,
            frozenset({S.APPROVED, S.PUBLISHED}),
            S.WITHDRAWN,
            permissions.can_withdraw_item,
        ),
    ),
)
