"""The complaint (举报投诉) workflow: statuses and the moves allowed between them."""

from .models import ComplaintStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    ComplaintStatus.RECEIVED: frozenset({ComplaintStatus.HANDLING, ComplaintStatus.CLOSED}),
    ComplaintStatus.HANDLING: frozenset({ComplaintStatus.CLOSED}),
    # A complaint closed too early (the complainant writes again) is reopened, not re-entered.
    ComplaintStatus.CLOSED: frozenset({ComplaintStatus.HANDLING}),
}


def allowed_moves(status: str) -> list[str]:
    return sorted(TRANSITIONS.get(status, frozenset()))


def can_move(status: str, to: str) -> bool:
    return to in TRANSITIONS.get(status, frozenset())
