from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.applications import services
from gongkai.applications.models import ApplicationEvent, Letter, Status
from gongkai.applications.outcomes import Outcome
from gongkai.applications.tests.conftest import person
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def submit_online(agency, **kwargs):
    return services.application_submit(agency=agency, data=person(), ip="10.0.0.1", **kwargs)


@time_machine.travel("2026-09-25 10:00 +0800", tick=False)
def test_online_application_waits_for_confirmation_then_runs_the_clock(office):
    result = submit_online(office["agency"], submission_token="tok-1")
    app = result.application
    assert result.created and len(result.query_code) == 8
    assert app.number == "YSQ-2026-0001"
    assert app.status == Status.REGISTERED and app.due_on is None
    assert services.query_code_matches(app, result.query_code.lower())
    assert not services.query_code_matches(app, "AAAAAAAA")

    with time_machine.travel("2026-09-28 09:00 +0800", tick=False):
        services.application_confirm_receipt(actor=office["officer"], application=app)
    app.refresh_from_db()
    assert app.status == Status.RECEIVED
    assert app.received_on == date(2026, 9, 28)
    assert app.due_on == date(2026, 10, 30)  # RULES A.1's worked example
    assert AuditEvent.objects.filter(verb="application.confirm", object_id=str(app.pk)).exists()


@time_machine.travel("2026-09-25 10:00 +0800", tick=False)
def test_double_submit_gives_one_application(office):
    first = submit_online(office["agency"], submission_token="same")
    second = submit_online(office["agency"], submission_token="same")
    assert second.application.pk == first.application.pk and not second.created
    assert office["agency"].applications.count() == 1


@time_machine.travel("2026-09-25 10:00 +0800", tick=False)
def test_invalid_input_lists_every_problem(office):
    with pytest.raises(ValidationError) as caught:
        services.application_submit(
            agency=office["agency"],
            data=person(id_number="330902199001011233", phone="12", information="", forms=[]),
        )
    assert {"id_number", "phone", "information", "forms"} <= set(caught.value.message_dict)


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_full_path_correction_extension_reply(office):
    agency, officer, head = office["agency"], office["officer"], office["head"]
    app = services.application_submit(
        agency=agency, data=person(), channel="in_person", actor=officer
    ).application
    assert app.status == Status.RECEIVED and app.received_on == date(2026, 3, 2)
    services.application_request_correction(actor=officer, application=app, items="请说明工程名称")
    with pytest.raises(ValidationError):
        services.application_request_correction(actor=officer, application=app, items="again")
    with time_machine.travel("2026-03-06 10:00 +0800", tick=False):
        services.application_receive_correction(application=app, text="六横镇海塘加固工程（二期）")
    app.refresh_from_db()
    assert app.status == Status.PROCESSING and app.due_on == date(2026, 4, 3)
    with pytest.raises(PermissionDenied):
        services.application_extend(actor=officer, application=app, days=10, reason="需要检索档案")
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        services.application_extend(actor=head, application=app, days=10, reason="需要检索档案")
        app.refresh_from_db()
        assert app.due_on == date(2026, 4, 20)  # 清明 Monday 04-06 is off
        services.application_reply(
            actor=officer, application=app, outcome=Outcome.PARTIAL, reason="部分内容涉及商业秘密"
        )
    app.refresh_from_db()
    assert app.status == Status.CONCLUDED and app.outcome == Outcome.PARTIAL
    kinds = list(Letter.objects.filter(application=app).values_list("kind", flat=True))
    assert kinds == ["correction", "extension", "reply"]
    reply = Letter.objects.get(application=app, kind="reply")
    assert "行政复议" in reply.body and app.number in reply.body
    assert ApplicationEvent.objects.filter(application=app).count() >= 5


def test_other_agency_cannot_handle(office):
    app = submit_online(office["agency"]).application
    with pytest.raises(PermissionDenied):
        services.application_confirm_receipt(actor=office["other_officer"], application=app)
    with pytest.raises(PermissionDenied):
        services.application_confirm_receipt(actor=office["editor"], application=app)


@time_machine.travel("2026-12-15 10:00 +0800", tick=False)
def test_a_december_application_gets_a_provisional_date_when_next_years_calendar_is_missing(
    office, schedule_missing
):
    # 20 working days after 2026-12-15 fall in January 2027, which has no schedule yet.
    result = services.application_submit(
        agency=office["agency"], data=person(), channel="in_person", actor=office["officer"]
    )
    app = result.application
    app.refresh_from_db()
    assert result.created and app.status == Status.RECEIVED
    assert app.received_on == date(2026, 12, 15) and app.due_on is None
    assert app.due_pending_year == 2027
    assert date(2027, 1, 1) <= app.due_provisional <= date(2027, 1, 12)
    assert app.deadline_on == app.due_provisional
    assert services.compute_clock(app).pending_year == 2027
