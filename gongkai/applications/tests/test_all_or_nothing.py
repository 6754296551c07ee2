"""Form steps are all or nothing (issue 13, finding 6): a step whose answer fails after its
service saved leaves no change, no timeline event and no audit row, and the retry goes through.

The public form's result page (a template that breaks) and a staff step's redirect (raising);
the API's steps are covered in test_pending_deadlines.py.
"""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.applications import services, views
from gongkai.applications.models import Application, ApplicationEvent, Status
from gongkai.applications.tests.conftest import person
from gongkai.core.models import AuditEvent

from .test_public import apply_url, form_data, shown_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def broken_template(settings, tmp_path):
    """broken_template(name): the template `name` fails when rendered, as a template with an
    error does; broken_template(None) puts the real ones back."""
    engine = settings.TEMPLATES[0]

    def use(name):
        dirs = list(engine["DIRS"])
        if name is not None:
            target = tmp_path / "broken" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text('{% url "no-such-page" %}', encoding="utf-8")
            dirs = [tmp_path / "broken", *dirs]
        else:
            dirs = [d for d in dirs if d != tmp_path / "broken"]
        settings.TEMPLATES = [{**engine, "DIRS": dirs}, *settings.TEMPLATES[1:]]

    return use


def trace():
    return (
        Application.objects.count(),
        ApplicationEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_public_form_stores_nothing_when_its_result_page_fails(office, broken_template):
    client = Client(raise_request_exception=False)
    before = trace()
    broken_template("applications/public/submitted.html")
    response = client.post(apply_url(), form_data())
    assert response.status_code == 500
    assert trace() == before

    # The retry (same form, same token) is a new application with its code, not "already
    # registered" without one; the number the failed attempt took is given back.
    broken_template(None)
    response = client.post(apply_url(), form_data())
    assert response.status_code == 200
    application = Application.objects.get(agency=office["agency"])
    assert application.number == "YSQ-2026-0001"
    assert services.query_code_matches(application, shown_code(response))


def test_a_staff_step_whose_redirect_fails_saves_nothing(office, monkeypatch):
    application = services.application_submit(agency=office["agency"], data=person()).application
    assert application.status == Status.REGISTERED
    client = Client(raise_request_exception=False)
    client.force_login(office["officer"])
    url = reverse(
        "applications:action", args=[office["agency"].slug, application.pk, "confirm_receipt"]
    )
    before = trace()

    def fails(agency, application):
        raise RuntimeError("the answer could not be built")

    with monkeypatch.context() as patched:
        patched.setattr(views, "_detail_url", fails)
        response = client.post(url, {"confirm_receipt-received_on": ""})
    assert response.status_code == 500
    assert trace() == before
    application.refresh_from_db()
    assert application.status == Status.REGISTERED and application.received_on is None

    # The retry confirms (before: "only a registered application can be confirmed").
    response = client.post(url, {"confirm_receipt-received_on": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
