"""The two workflows of this app, each a machine on the kernel (gongkai/core/workflow.py): the
services apply them (and refuse any move not declared), the pages offer MACHINE.actions.

Incidents: 处置中 → 已回应 (a public response is recorded) → 已办结; an incident can also be
closed without a public response (handled: verified, dealt with offline), and a closed one
reopened. 找错 reports: 待处理 → 处理中 (assigned) → 已答复 → 已办结, with reassignment and a
replied report sent back for more work.
"""

from enum import StrEnum

from django.utils.translation import gettext as _

from gongkai.core.workflow import Machine, Transition

from . import permissions
from .taxonomy import ErrorStatus, IncidentStatus


class IncidentAction(StrEnum):
    RESPOND = "respond"
    CLOSE = "close"
    REOPEN = "reopen"


def _records(user, incident) -> bool:
    return permissions.can_record_engagement(user, incident.agency)


def _refuse_incident(incident, step: Transition) -> Exception:
    from .services import WorkflowError  # services import this module

    return WorkflowError(
        _("This step is not possible while the incident is “%(status)s”.")
        % {"status": incident.get_status_display()},
        code="illegal_transition",
    )


IS = IncidentStatus
INCIDENTS = Machine(
    noun="incident",
    refuse=_refuse_incident,
    transitions=(
        Transition(
            IncidentAction.RESPOND, frozenset({IS.OPEN, IS.RESPONDED}), IS.RESPONDED, _records
        ),
        Transition(IncidentAction.CLOSE, frozenset({IS.OPEN, IS.RESPONDED}), IS.CLOSED, _records),
        Transition(IncidentAction.REOPEN, frozenset({IS.CLOSED}), IS.OPEN, _records),
    ),
)


class ErrorAction(StrEnum):
    ASSIGN = "assign"
    REPLY = "reply"
    REWORK = "rework"
    CLOSE = "close"


def _handles(user, report) -> bool:
    return permissions.can_handle_error_report(user, report.agency)


def _refuse_report(report, step: Transition) -> Exception:
    from .services import WorkflowError  # services import this module

    return WorkflowError(
        _("This step is not possible while the report is “%(status)s”.")
        % {"status": report.get_status_display()},
        code="illegal_transition",
    )


E = ErrorStatus
ERROR_REPORTS = Machine(
    noun="error_report",
    refuse=_refuse_report,
    transitions=(
        Transition(ErrorAction.ASSIGN, frozenset({E.SUBMITTED, E.ASSIGNED}), E.ASSIGNED, _handles),
        Transition(ErrorAction.REPLY, frozenset({E.SUBMITTED, E.ASSIGNED}), E.REPLIED, _handles),
        Transition(ErrorAction.REWORK, frozenset({E.REPLIED}), E.ASSIGNED, _handles),
        Transition(ErrorAction.CLOSE, frozenset({E.REPLIED}), E.CLOSED, _handles),
    ),
)
