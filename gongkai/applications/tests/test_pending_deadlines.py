"""A reply due in a year whose holiday schedule is not entered yet: the application keeps working
with a provisional date (预估) on every page, the API and the tick; API writes that fail leave
nothing behind."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from gongkai.api import applications as api_applications
from gongkai.api import services as api_services
from gongkai.applications import services
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    Letter,
    Status,
)
from gongkai.applications.services import tick
from gongkai.applications.tests.conftest import person
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/applications/"
DECEMBER = "2026-12-14 10:00 +0800"
JANUARY = "2027-01-04 23:30 +0800"  # late at night, Shanghai time, in the year with no schedule


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def token(user) -> dict:
    _token, key = api_services.api_token_create(actor=None, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, body, headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def december(office, schedule_missing):
    """An application received in person on 2026-12-14: 20 working days reach into 2027."""
    with time_machine.travel(DECEMBER, tick=False):
        result = services.application_submit(
            agency=office["agency"], data=person(), channel="in_person", actor=office["officer"]
        )
    application = result.application
    application.refresh_from_db()
    return application, result.query_code


def test_the_application_stores_a_provisional_date_and_no_legal_one(december):
    application, _code = december
    assert application.received_on == date(2026, 12, 14)
    assert application.due_on is None
    assert application.due_pending_year == 2027
    # 13 working days are left in December 2026; the last 7 fall in January at the earliest
    # on the 7th weekday-or-weekend-allowance day: never later than the first seven weekdays.
    assert date(2027, 1, 1) <= application.due_provisional <= date(2027, 1, 11)


def test_the_staff_page_and_the_queue_show_the_estimate(client, office, december):
    application, _code = december
    with time_machine.travel(JANUARY, tick=False), translation.override("zh-hans"):
        client.force_login(office["officer"])
        page = client.get(
            reverse("applications:detail", args=[office["agency"].slug, application.pk])
        )
        queue = client.get(reverse("applications:queue", args=[office["agency"].slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert application.due_provisional.isoformat() in text
    assert "预估" in text and "2027" in text
    assert 'data-due="provisional"' in text
    assert queue.status_code == 200
    assert 'data-deadline="pending"' in queue.content.decode()


def test_the_api_gives_due_on_null_with_the_pending_year_and_the_provisional_date(
    client, office, december
):
    application, _code = december
    with time_machine.travel(JANUARY, tick=False):
        detail = client.get(f"{API}{application.pk}", **token(office["officer"]))
        listing = client.get(f"{API}?agency={office['agency'].slug}", **token(office["officer"]))
    assert detail.status_code == 200, detail.content
    body = detail.json()
    assert body["due_on"] is None
    assert body["due_pending_year"] == 2027
    assert body["due_provisional"] == application.due_provisional.isoformat()
    assert body["clock"]["due_on"] is None and body["clock"]["due_pending_year"] == 2027
    assert listing.status_code == 200
    row = listing.json()["items"][0]
    assert (row["due_on"], row["due_pending_year"]) == (None, 2027)
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"due_pending_year", "due_provisional"} <= set(schema["ApplicationOut"]["properties"])


def test_the_status_page_says_it_in_a_plain_sentence(client, office, december):
    application, code = december
    status_url = reverse("portal:application-status", args=[office["agency"].slug])
    with time_machine.travel(JANUARY, tick=False), translation.override("zh-hans"):
        page = client.post(status_url, {"number": application.number, "code": code}, follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-due="provisional"' in text
    assert application.due_provisional.isoformat() in text
    assert "预估" in text
    # Nothing meant for administrators reaches the applicant.
    assert "工作日历" not in text and "录入" not in text


def test_the_tick_flags_a_pending_date_as_near_due_never_overdue(office, december):
    application, _code = december
    after = application.due_provisional + timedelta(days=1)
    counts = services.applications_tick(on=after)
    application.refresh_from_db()
    assert application.flag == "near_due"
    assert counts["overdue"] == 0 and counts["errors"] == 0


def test_one_failing_application_never_stops_the_tick(office, december, monkeypatch):
    application, _code = december
    with time_machine.travel("2026-09-01 10:00 +0800", tick=False):
        late = services.application_submit(
            agency=office["agency"], data=person(), channel="in_person", actor=office["officer"]
        ).application
    real = tick._tick_flag
    failed = []

    def flaky(app, *args):
        if app.pk == application.pk:
            raise RuntimeError("broken row")
        return real(app, *args)

    # the tick reads the flag from its own module: a tick that ignored it would count no error
    monkeypatch.setattr(tick, "_tick_flag", flaky)
    counts = services.applications_tick(
        on=date(2027, 1, 4), log=lambda app, exc: failed.append(app.pk)
    )
    late.refresh_from_db()
    assert late.flag == "overdue"
    assert counts["errors"] == 1 and failed == [application.pk]


def _trace(application) -> tuple:
    application.refresh_from_db()
    return (
        application.status,
        application.received_on,
        application.due_pending_year,
        ApplicationEvent.objects.filter(application=application).count(),
        Letter.objects.filter(application=application).count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("step", "body"),
    [("confirm", {}), ("correction/request", {"items": "请写明工程名称"})],
)
def test_an_api_write_that_fails_leaves_no_trace(client, office, schedule_missing, step, body):
    with time_machine.travel(DECEMBER, tick=False):
        if step == "confirm":
            application = services.application_submit(
                agency=office["agency"], data=person(), ip="10.1.1.1"
            ).application
            assert application.status == Status.REGISTERED
        else:
            application = services.application_submit(
                agency=office["agency"], data=person(), channel="in_person", actor=office["officer"]
            ).application
        headers = token(office["officer"])
        before = _trace(application)

        def fails(request, app):
            raise ValidationError("the answer could not be built")

        # The step is saved by its service; the answer then fails.
        original = api_applications._fresh
        api_applications._fresh = fails
        try:
            response = post(client, f"{API}{application.pk}/{step}", body, headers)
        finally:
            api_applications._fresh = original
        assert response.status_code == 400
        assert _trace(application) == before
        # A retry goes through (no 409 from a half-saved first attempt).
        retry = post(client, f"{API}{application.pk}/{step}", body, headers)
        assert retry.status_code == 200, retry.content
        assert retry.json()["due_pending_year"] in (2027, None)
    assert Application.objects.get(pk=application.pk).status != before[0]


def test_entering_the_year_recomputes_every_pending_due_date_at_once(office, december):
    from gongkai.core import services as core_services

    application, _code = december
    provisional = application.due_provisional
    # The 2027 schedule as an administrator enters it (a made-up one: no 2027 data is shipped):
    # 1 January off, no make-up day.
    with time_machine.travel(JANUARY, tick=False):
        year = core_services.calendar_year_set(
            actor=None, year=2027, holidays=[(date(2027, 1, 1), "元旦")], workdays=[]
        )
    application.refresh_from_db()
    assert application.due_pending_year is None and application.due_provisional is None
    # 13 working days in December (12-15..12-31), then 1-04..1-08, 1-11, 1-12: 2027-01-12.
    assert application.due_on == date(2027, 1, 12)
    assert provisional <= application.due_on
    assert [(m.label, m.provisional, m.due) for m in year.recomputed] == [
        (application.number, provisional, date(2027, 1, 12))
    ]
    audit = AuditEvent.objects.get(verb="application.due_recomputed")
    assert audit.after["due_on"] == "2027-01-12"
    note = application.events.filter(kind="note").last()
    assert note is not None and not note.public and "2027-01-12" in note.text


def test_the_export_shows_the_estimate(office, december):
    from gongkai.applications import exports

    application, _code = december
    with translation.override("zh-hans"):
        [row] = exports.build_rows(Application.objects.filter(pk=application.pk))
    assert isinstance(row.due_on, str)
    assert row.due_on.startswith(application.due_provisional.isoformat())
    assert "预估" in row.due_on
