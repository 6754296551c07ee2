"""The two workflows of this app, each a transitions table; the services refuse any move not
listed here.

Incidents: 处置中 → 已回应 (a public response is recorded) → 已办结; an incident can also be
closed without a public response (handled: verified, dealt with offline), and a closed one
reopened. 找错 reports: 待处理 → 处理中 (assigned) → 已答复 → 已办结, with reassignment and a
replied report sent back for more work.
"""

from enum import StrEnum

from .taxonomy import ErrorStatus, IncidentStatus


class IncidentAction(StrEnum):
    RESPOND = "respond"
    CLOSE = "close"
    REOPEN = "reopen"


INCIDENT_TRANSITIONS: dict[IncidentAction, tuple[frozenset[str], str]] = {
    IncidentAction.RESPOND: (
        frozenset({IncidentStatus.OPEN, IncidentStatus.RESPONDED}),
        IncidentStatus.RESPONDED,
    ),
    IncidentAction.CLOSE: (
        frozenset({IncidentStatus.OPEN, IncidentStatus.RESPONDED}),
        IncidentStatus.CLOSED,
    ),
    IncidentAction.REOPEN: (frozenset({IncidentStatus.CLOSED}), IncidentStatus.OPEN),
}


class ErrorAction(StrEnum):
    ASSIGN = "assign"
    REPLY = "reply"
    REWORK = "rework"
    CLOSE = "close"


ERROR_TRANSITIONS: dict[ErrorAction, tuple[frozenset[str], str]] = {
    ErrorAction.ASSIGN: (
        frozenset({ErrorStatus.SUBMITTED, ErrorStatus.ASSIGNED}),
        ErrorStatus.ASSIGNED,
    ),
    ErrorAction.REPLY: (
        frozenset({ErrorStatus.SUBMITTED, ErrorStatus.ASSIGNED}),
        ErrorStatus.REPLIED,
    ),
    ErrorAction.REWORK: (frozenset({ErrorStatus.REPLIED}), ErrorStatus.ASSIGNED),
    ErrorAction.CLOSE: (frozenset({ErrorStatus.REPLIED}), ErrorStatus.CLOSED),
}


def target(table: dict, action, current: str) -> str | None:
    """The status `action` leads to from `current`, or None if the table has no such move."""
    sources, goal = table[action]
    return goal if current in sources else None


def allowed_actions(table: dict, current: str) -> list:
    return [action for action, (sources, _goal) in table.items() if current in sources]
