"""The life of a matter: 草稿 → 已发布 → 已停用, and back.

- publish: a draft goes online (its 办事指南 page and the catalogue item that discloses it);
- revise: a published matter that is changed becomes a draft again; the catalogue item of the
  last published version stays online until a reviewer publishes the new one;
- retire: the matter leaves the service hall (its catalogue item is withdrawn);
- reopen: a retired matter becomes a draft, to be revised and published again.

The table is the whole truth about which moves exist; `services._move` refuses anything else.
"""

from enum import StrEnum

from .models import MatterStatus


class Action(StrEnum):
    PUBLISH = "publish"
    REVISE = "revise"
    RETIRE = "retire"
    REOPEN = "reopen"


TRANSITIONS: dict[Action, tuple[frozenset[str], str]] = {
    Action.PUBLISH: (frozenset({MatterStatus.DRAFT}), MatterStatus.PUBLISHED),
    Action.REVISE: (frozenset({MatterStatus.PUBLISHED}), MatterStatus.DRAFT),
    Action.RETIRE: (frozenset({MatterStatus.DRAFT, MatterStatus.PUBLISHED}), MatterStatus.RETIRED),
    Action.REOPEN: (frozenset({MatterStatus.RETIRED}), MatterStatus.DRAFT),
}


def target_status(action: Action, current: str) -> str | None:
    """The status `action` leads to from `current`, or None if the move is illegal."""
    sources, target = TRANSITIONS[action]
    return target if current in sources else None


def allowed_actions(current: str) -> list[Action]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if current in sources]
