"""The life of a matter: 草稿 → 已发布 → 已停用, and back.

- publish: a draft goes online (its 办事指南 page and the catalogue item that discloses it);
- revise: a published matter that is changed becomes a draft again; the catalogue item of the
  last published version stays online until a reviewer publishes the new one;
- retire: the matter leaves the service hall (its catalogue item is withdrawn);
- reopen: a retired matter becomes a draft, to be revised and published again.

MACHINE (gongkai/core/workflow.py) is the whole truth about which moves exist and who may make
them; the services apply it, the pages ask it which buttons to show.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy

from gongkai.core.workflow import Machine, Transition

from . import permissions
from .models import MatterStatus


class Action(StrEnum):
    PUBLISH = "publish"
    REVISE = "revise"
    RETIRE = "retire"
    REOPEN = "reopen"


ILLEGAL_MOVE_MESSAGES = {
    Action.PUBLISH: gettext_lazy("Only a draft can be published; this matter is “%(status)s”."),
    Action.REVISE: gettext_lazy("Only a published matter can be revised; it is “%(status)s”."),
    Action.RETIRE: gettext_lazy("This matter is already “%(status)s”."),
    Action.REOPEN: gettext_lazy("Only a retired matter can be reopened; it is “%(status)s”."),
}


def _refuse(matter, step: Transition) -> Exception:
    from .services import WorkflowError  # services import this module

    return WorkflowError(
        ILLEGAL_MOVE_MESSAGES[Action(step.name)] % {"status": matter.get_status_display()},
        code="illegal_transition",
    )


S = MatterStatus
MACHINE = Machine(
    noun="matter",
    refuse=_refuse,
    transitions=(
        Transition(
            Action.PUBLISH, frozenset({S.DRAFT}), S.PUBLISHED, permissions.can_publish_matter
        ),
        Transition(Action.REVISE, frozenset({S.PUBLISHED}), S.DRAFT, permissions.can_edit_matter),
        Transition(
            Action.RETIRE,
            frozenset({S.DRAFT, S.PUBLISHED}),
            S.RETIRED,
            permissions.can_retire_matter,
        ),
        Transition(Action.REOPEN, frozenset({S.RETIRED}), S.DRAFT, permissions.can_reopen_matter),
    ),
)
