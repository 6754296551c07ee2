"""The workflow kernel (core/workflow.py), and each app's machine against the table it replaced:
the golden pairs below are the (source, step, target) moves the old tables allowed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.workflow import Machine, Transition, transitions


class Thing:
    """A stand-in record: the kernel needs a status, `save` and (for the audit) a model."""

    def __init__(self, status):
        self.status = status
        self.saved = 0

    def save(self):
        self.saved += 1


def _refuse(obj, step):
    return ValidationError(f"{step.name}: not from here", code="illegal_transition")


MACHINE = Machine(
    noun="thing",
    refuse=_refuse,
    transitions=transitions(
        {"send": ({"draft"}, "sent"), "recall": ({"sent"}, "draft"), "note": ({"sent"}, None)},
        send=lambda user, obj: user == "boss",
    ),
)


def test_the_table():
    assert MACHINE.target("send", "draft") == "sent"
    assert MACHINE.target("send", "sent") is None
    # a step without a target leaves the status as it is
    assert MACHINE.target("note", "sent") == "sent"
    assert MACHINE.possible("sent") == ["recall", "note"]
    assert MACHINE.pairs() == {
        ("draft", "send", "sent"),
        ("sent", "recall", "draft"),
        ("sent", "note", None),
    }


def test_allowed_asks_the_status_and_the_permission():
    draft = Thing("draft")
    assert MACHINE.allowed("boss", draft, "send")
    assert not MACHINE.allowed("clerk", draft, "send")
    assert not MACHINE.allowed("boss", draft, "recall")
    assert MACHINE.actions("boss", draft) == ["send"]
    assert MACHINE.actions("clerk", draft) == []
    # no permission declared: the step is open to whoever the service lets in
    assert MACHINE.actions("clerk", Thing("sent")) == ["recall", "note"]


def test_check_refuses_the_actor_first_then_the_status():
    with pytest.raises(PermissionDenied):
        MACHINE.check(Thing("sent"), "send", actor="clerk")
    with pytest.raises(ValidationError) as exc:
        MACHINE.check(Thing("sent"), "send", actor="boss")
    assert exc.value.code == "illegal_transition"
    # the system (actor None) is not bound by the permission, only by the status
    assert MACHINE.check(Thing("draft"), "send").target == "sent"
    with pytest.raises(PermissionDenied):
        MACHINE.require("clerk", Thing("draft"), "send")


def test_move_sets_the_status_in_memory_after_the_status_check():
    draft = Thing("draft")
    assert MACHINE.move(draft, "send") == "sent" and draft.status == "sent"
    assert draft.saved == 0  # nothing saved, nothing audited: the caller creates the record
    sent = Thing("sent")
    assert MACHINE.move(sent, "note") == "sent"  # a step with no target keeps the status
    with pytest.raises(ValidationError):
        MACHINE.move(sent, "send")
    assert sent.status == "sent"


def test_two_steps_with_one_name_are_refused():
    with pytest.raises(ValueError):
        Machine(
            noun="x",
            refuse=_refuse,
            transitions=(Transition("a", frozenset({"s"}), "t"), Transition("a", frozenset(), "t")),
        )


@pytest.mark.django_db
def test_apply_sets_the_status_saves_and_audits(town, make_member):
    from gongkai.core.models import AuditEvent

    agency = town
    boss = make_member(agency)
    machine = Machine(
        noun="agency",
        status_field="name",
        refuse=_refuse,
        transitions=transitions({"rename": ({agency.name}, "改名后")}),
    )
    assert machine.apply(agency, "rename", actor=boss, after={"why": "test"}) == "改名后"
    agency.refresh_from_db()
    assert agency.name == "改名后"
    event = AuditEvent.objects.get(verb="agency.rename")
    assert event.actor == boss
    assert event.after == {"status": "改名后", "why": "test"}
    with pytest.raises(ValidationError):
        machine.apply(agency, "rename", actor=boss)


# --- each app's machine allows exactly what its old table allowed --------------------------

OLD_MATTERS = {
    ("draft", "publish", "published"),
    ("published", "revise", "draft"),
    ("draft", "retire", "retired"),
    ("published", "retire", "retired"),
    ("retired", "reopen", "draft"),
}


def test_matters_machine_is_the_old_table():
    from gongkai.matters.workflow import MACHINE as MATTERS

    assert MATTERS.pairs() == OLD_MATTERS


OLD_COMPLAINTS = {  # operations: {status: the statuses it may become}; a step is its target
    ("received", "handling", "handling"),
    ("received", "closed", "closed"),
    ("handling", "closed", "closed"),
    ("closed", "handling", "handling"),
}


def test_operations_machine_is_the_old_table():
    from gongkai.operations.workflow import MACHINE as COMPLAINTS

    assert COMPLAINTS.pairs() == OLD_COMPLAINTS


OLD_INCIDENTS = {
    ("open", "respond", "responded"),
    ("responded", "respond", "responded"),
    ("open", "close", "closed"),
    ("responded", "close", "closed"),
    ("closed", "reopen", "open"),
}
OLD_ERROR_REPORTS = {
    ("submitted", "assign", "assigned"),
    ("assigned", "assign", "assigned"),
    ("submitted", "reply", "replied"),
    ("assigned", "reply", "replied"),
    ("replied", "rework", "assigned"),
    ("replied", "close", "closed"),
}


def test_engagement_machines_are_the_old_tables():
    from gongkai.engagement.workflow import ERROR_REPORTS, INCIDENTS

    assert INCIDENTS.pairs() == OLD_INCIDENTS
    assert ERROR_REPORTS.pairs() == OLD_ERROR_REPORTS


OLD_REPORTS = {  # reports/services.py's (status, action) → status
    ("draft", "submit", "in_review"),
    ("in_review", "return", "draft"),
    ("in_review", "publish", "published"),
    ("published", "reopen", "draft"),
}


def test_reports_machine_is_the_old_table():
    from gongkai.reports.workflow import MACHINE as REPORTS

    assert REPORTS.pairs() == OLD_REPORTS


OLD_CATALOGUE = {
    ("draft", "submit", "pending"),
    ("pending", "reject", "draft"),
    ("pending", "approve", "approved"),
    ("approved", "publish", "published"),
    ("approved", "withdraw", "withdrawn"),
    ("published", "withdraw", "withdrawn"),
}


def test_catalogue_machine_is_the_old_table():
    from gongkai.catalogue.workflow import MACHINE as ITEMS

    assert ITEMS.pairs() == OLD_CATALOGUE


OLD_APPLICATIONS = {  # applications/workflow.py's TRANSITIONS before the kernel
    ("registered", "confirm_receipt", "received"),
    ("received", "accept", "processing"),
    ("received", "request_correction", "correction"),
    ("processing", "request_correction", "correction"),
    ("correction", "receive_correction", "processing"),
    ("correction", "lapse_correction", "concluded"),
    ("received", "start_consultation", "consulting"),
    ("processing", "start_consultation", "consulting"),
    ("consulting", "start_consultation", "consulting"),
    # the last consultation's end takes the office back to processing (the service takes the
    # step only then; the old table left the status to it)
    ("consulting", "end_consultation", "processing"),
    ("received", "notify_fee", "awaiting_payment"),
    ("processing", "notify_fee", "awaiting_payment"),
    ("awaiting_payment", "record_payment", "processing"),
    ("awaiting_payment", "lapse_fee", "concluded"),
    ("received", "reply", "concluded"),
    ("processing", "reply", "concluded"),
    ("consulting", "reply", "concluded"),
    ("registered", "withdraw", "concluded"),
    ("correction", "withdraw", "concluded"),
    ("awaiting_payment", "withdraw", "concluded"),
    ("received", "withdraw", "concluded"),
    ("processing", "withdraw", "concluded"),
    ("consulting", "withdraw", "concluded"),
    ("concluded", "archive", "archived"),
}
# the extension (第三十三条) was a status set in the service; now a step of the table
EXTENSION = {(s, "extend", None) for s in ("received", "processing", "consulting")}
OLD_DRAFTS = {
    ("draft", "save", "draft"),
    ("awaiting_signoff", "save", "draft"),
    ("signed", "save", "draft"),
    ("draft", "submit", "awaiting_signoff"),
    ("awaiting_signoff", "sign", "signed"),
    ("awaiting_signoff", "return", "draft"),
    ("signed", "return", "draft"),
    ("signed", "issue", "issued"),
    ("draft", "issue_unsigned", "issued"),
}


def test_applications_machines_are_the_old_tables():
    from gongkai.applications.workflow import DRAFTS, MACHINE, WORKING

    assert MACHINE.pairs() == OLD_APPLICATIONS | EXTENSION
    assert DRAFTS.pairs() == OLD_DRAFTS
    # the working set is defined once: the steps of the office at work start from it
    assert MACHINE["extend"].sources == MACHINE["reply"].sources == WORKING
