"""The review workflow of an item:草稿 → 待审核 → 已通过 → 已发布 → 已撤回.

The table is the whole truth about which moves exist; `item_transition` in services refuses
anything not listed here.
"""

from enum import StrEnum

from .models import ItemStatus


class Action(StrEnum):
    SUBMIT = "submit"
    REJECT = "reject"
    APPROVE = "approve"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"


TRANSITIONS: dict[Action, tuple[frozenset[str], str]] = {
    Action.SUBMIT: (frozenset({ItemStatus.DRAFT}), ItemStatus.PENDING),
    Action.REJECT: (frozenset({ItemStatus.PENDING}), ItemStatus.DRAFT),
    Action.APPROVE: (frozenset({ItemStatus.PENDING}), ItemStatus.APPROVED),
    Action.PUBLISH: (frozenset({ItemStatus.APPROVED}), ItemStatus.PUBLISHED),
    # An approved item waiting for its scheduled time can be withdrawn as well.
    Action.WITHDRAW: (frozenset({ItemStatus.APPROVED, ItemStatus.PUBLISHED}), ItemStatus.WITHDRAWN),
}


def target_status(action: Action, current: str) -> str | None:
    """The status `action` leads to from `current`, or None if the move is illegal."""
    sources, target = TRANSITIONS[action]
    return target if current in sources else None


def allowed_actions(current: str) -> list[Action]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if current in sources]
