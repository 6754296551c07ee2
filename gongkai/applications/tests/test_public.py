"""The public side of 依申请公开: the online form, the result page, the status page."""

import re
from datetime import date

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gongkai.applications import render, services
from gongkai.applications.models import Application, ApplicationFile, FileKind, Letter, Status
from gongkai.applications.outcomes import Outcome
from gongkai.applications.public_views import STATUS_ACCESS_KEY
from gongkai.applications.tests.conftest import person
from gongkai.catalogue.tests.factories import make_png
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NAME, ID_NUMBER, PHONE = "王小明", "330902199001011238", "13800138000"
PNG = make_png()  # a real image: uploads are opened (safely) to be checked


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


def form_data(**overrides):
    values = {
        "applicant_type": "natural_person",
        "applicant_name": NAME,
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "email": "wang@example.com",
        "address": "",
        "postcode": "",
        "information": "2025年六横镇海塘加固工程的招标文件和中标公告",
        "document_number": "",
        "forms": ["email"],
        "delivery": "email",
        "submission_token": "token-1",
        "website": "",
    }
    values.update(overrides)
    return values


def apply_url(slug="liuheng"):
    return reverse("portal:apply", args=[slug])


def status_url(slug="liuheng"):
    return reverse("portal:application-status", args=[slug])


def html(response) -> str:
    return response.content.decode()


def submit(client, **overrides):
    return client.post(apply_url(), form_data(**overrides))


def shown_code(response) -> str:
    found = re.search(r'class="query-code"><code>([A-Z0-9]{8})</code>', html(response))
    return found.group(1) if found else ""


def registered(office, **overrides):
    """An online application of the town (the service, as the form calls it) and its code."""
    result = services.application_submit(
        agency=office["agency"], data=person(**overrides), ip="10.9.9.9"
    )
    return result.application, result.query_code


def unlock(client, application, code, slug="liuheng"):
    return client.post(status_url(slug), {"number": application.number, "code": code})


# --- the form ------------------------------------------------------------------------------


def test_the_form_is_linked_and_works_without_javascript(client, office):
    home = html(client.get(reverse("portal:agency-home", args=["liuheng"])))
    assert '<a href="/gk/liuheng/apply/">依申请公开</a>' in home
    response = client.get(apply_url())
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    page = html(response)
    token = re.search(r'name="submission_token" value="([0-9a-f]{32})"', page)
    assert token, "a fresh submission token is in the form"
    assert token.group(1) not in html(client.get(apply_url())), "one token per form"
    assert 'name="csrfmiddlewaretoken"' in page
    # The honeypot: hidden from people and from assistive technology, out of the tab order.
    honeypot = page.split('aria-hidden="true">', 1)[1].split("</div>", 1)[0]
    assert 'name="website"' in honeypot and 'tabindex="-1"' in honeypot
    assert '<label for="id_website">' in honeypot
    # Radio groups are fieldsets with a legend; the organisation types are all offered.
    assert "<legend>法人或其他组织</legend>" in page
    for label in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构"):
        assert f">{label}</label>" in page
    intro = page.split('class="apply-intro"', 1)[1].split("</section>", 1)[0]
    assert "20" in intro  # the legal clock is explained before the form


def test_valid_submission_is_stored_and_the_code_shown_once(client, office):
    response = submit(client)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    application = Application.objects.get(agency=office["agency"])
    assert application.status == Status.REGISTERED and application.channel == "online"
    assert application.applicant_name == NAME and application.forms == ["email"]
    page = html(response)
    assert application.number in page
    code = shown_code(response)
    assert services.query_code_matches(application, code)
    assert code not in application.query_code_hash
    # The code lives in that response only: not in the session, not on the next pages.
    assert code not in str(dict(client.session.items()))
    assert code not in html(client.get(status_url()))
    assert code not in html(client.get(apply_url()))
    assert "/status/" in page  # the way to the status page


def test_invalid_input_shows_errors_on_the_fields(client, office):
    response = submit(client, id_number="330902199001011233", phone="12", information="", forms=[])
    assert response.status_code == 200
    assert not Application.objects.exists()
    page = html(response)
    for name in ("id_number", "phone", "information"):
        assert f'id="id_{name}-error"' in page
        field = re.search(rf'<(input|textarea)[^>]* id="id_{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in field and f"id_{name}-error" in field
    assert 'id="id_forms-error"' in page
    assert 'aria-describedby="id_forms-error"' in page
    assert 'role="alert"' in page  # the summary at the top
    assert "id_applicant_name-error" not in page
    # What was typed is kept.
    assert 'value="330902199001011233"' in page


def test_organisation_fields_are_checked_by_the_service(client, office):
    response = submit(
        client,
        applicant_type="commercial",
        id_type="resident_id",
        contact_person="",
    )
    assert not Application.objects.exists()
    page = html(response)
    assert 'id="id_id_type-error"' in page and 'id="id_contact_person-error"' in page


def test_double_submit_gives_one_application_and_no_second_code(client, office):
    first = submit(client, submission_token="same-token")
    second = submit(client, submission_token="same-token")
    assert Application.objects.count() == 1
    application = Application.objects.get()
    assert shown_code(first)
    assert second.status_code == 200
    assert application.number in html(second)
    assert shown_code(second) == "" and "query-code" not in html(second)
    assert 'class="already-received"' in html(second)


def test_honeypot_looks_like_success_and_stores_nothing(client, office):
    response = submit(client, website="http://spam.example")
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert not AuditEvent.objects.filter(verb="application.submit").exists()
    assert AuditEvent.objects.filter(verb="intake.decoy").count() == 1  # a trace, no record
    assert len(shown_code(response)) == 8
    assert re.search(r'class="application-number">YSQ-2026-\d{4}<', html(response))


def test_rate_limited_after_five_submissions_an_hour(client, office):
    for n in range(5):
        assert submit(client, submission_token=f"t{n}").status_code == 200
    assert Application.objects.count() == 5
    response = submit(client, submission_token="t5")
    assert response.status_code == 429
    assert Application.objects.count() == 5
    assert 'role="alert"' in html(response)
    # Another address is not held back.
    other = client.post(apply_url(), form_data(submission_token="t6"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200 and Application.objects.count() == 6
    with time_machine.travel("2026-03-02 11:01 +0800", tick=False):
        assert submit(client, submission_token="t7").status_code == 200


def test_unknown_agency_is_404(client, office):
    assert client.get(apply_url("nowhere")).status_code == 404
    assert client.get(status_url("nowhere")).status_code == 404


# --- the status page -----------------------------------------------------------------------


def test_wrong_code_shows_nothing_and_is_recorded(client, office):
    application, _code = registered(office)
    response = unlock(client, application, "AAAAAAAA")
    assert response.status_code == 200
    page = html(response)
    assert NAME not in page and application.information not in page
    assert 'role="alert"' in page
    assert STATUS_ACCESS_KEY not in client.session
    failure = AuditEvent.objects.get(verb=services.STATUS_LOOKUP_FAILED)
    assert failure.actor is None and failure.agency == office["agency"]
    assert failure.ip == "127.0.0.1" and "AAAAAAAA" not in str(failure.after)


def test_right_code_shows_status_timeline_and_due_date(client, office):
    application, code = registered(office)
    services.application_confirm_receipt(actor=office["officer"], application=application)
    response = unlock(client, application, code.lower())
    assert response.status_code == 302 and response["Location"] == status_url()
    assert client.session[STATUS_ACCESS_KEY]["application"] == application.pk
    response = client.get(status_url())
    assert "no-store" in response.headers["Cache-Control"]
    page = html(response)
    assert application.number in page and NAME in page
    application.refresh_from_db()
    with translation.override("zh-hans"):
        assert f'class="application-status">{application.get_status_display()}<' in page
    # Due 20 working days after 2026-03-02, and how that was computed.
    assert "2026-03-30" in page
    assert 'class="timeline clock-steps"' in page
    with translation.override("zh-hans"):
        steps = services.compute_clock(application).steps
    assert len(steps) == 2
    for step in steps:
        assert step.text in page
    # The public timeline only.
    for event in application.events.filter(public=True):
        assert event.text in page
    # Masked: the document and the phone.
    assert ID_NUMBER not in page and PHONE not in page
    assert "330902********1238" in page and "138****8000" in page


def test_the_number_of_another_agency_opens_nothing(client, office):
    application, code = registered(office)
    response = unlock(client, application, code, slug="taohua")
    assert response.status_code == 200
    assert NAME not in html(response)
    assert STATUS_ACCESS_KEY not in client.session
    # Unlocked on its own portal, it stays closed on another's.
    unlock(client, application, code)
    page = html(client.get(status_url("taohua")))
    assert NAME not in page and application.number not in page


def test_lookups_are_refused_after_ten_failures(client, office):
    application, code = registered(office)
    for _n in range(services.STATUS_LOOKUP_FAILURES_PER_HOUR):
        assert unlock(client, application, "WRONG999").status_code == 200
    response = unlock(client, application, code)  # even the right code
    assert response.status_code == 429
    assert STATUS_ACCESS_KEY not in client.session
    # Another address may look up; an hour later the first may again.
    other = client.post(
        status_url(), {"number": application.number, "code": code}, REMOTE_ADDR="10.3.3.3"
    )
    assert other.status_code == 302
    with time_machine.travel("2026-03-02 11:01 +0800", tick=False):
        assert unlock(client, application, code).status_code == 302


def test_access_ends_after_half_an_hour_and_on_request(client, office):
    application, code = registered(office)
    unlock(client, application, code)
    assert NAME in html(client.get(status_url()))
    with time_machine.travel("2026-03-02 10:31 +0800", tick=False):
        assert NAME not in html(client.get(status_url()))
    unlock(client, application, code)
    client.post(reverse("portal:application-status-leave", args=["liuheng"]))
    assert NAME not in html(client.get(status_url()))


def correction_url():
    return reverse("portal:application-correction", args=["liuheng"])


def test_correction_only_when_one_was_asked(client, office):
    application, code = registered(office)
    services.application_confirm_receipt(actor=office["officer"], application=application)
    unlock(client, application, code)
    assert correction_url() not in html(client.get(status_url()))
    response = client.post(correction_url(), {"text": "补充说明"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    assert not application.events.filter(kind="correction_received").exists()

    services.application_request_correction(
        actor=office["officer"], application=application, items="请说明工程名称"
    )
    page = html(client.get(status_url()))
    assert correction_url() in page and 'enctype="multipart/form-data"' in page
    assert "请说明工程名称" in page  # what to correct, from the public timeline
    too_many = [SimpleUploadedFile(f"p{n}.png", PNG, "image/png") for n in range(4)]
    response = client.post(correction_url(), {"text": "x", "files": too_many})
    assert response.status_code == 400 and 'id="id_files-error"' in html(response)
    application.refresh_from_db()
    assert application.status == Status.CORRECTION

    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        unlock(client, application, code)
        upload = SimpleUploadedFile("plan.png", PNG, "image/png")
        response = client.post(
            correction_url(), {"text": "六横镇海塘加固工程（二期）", "files": [upload]}
        )
        assert response.status_code == 302
        page = html(client.get(status_url()))
    application.refresh_from_db()
    assert application.status == Status.PROCESSING
    assert application.due_on == date(2026, 4, 1)
    stored = ApplicationFile.objects.get(application=application)
    assert stored.kind == FileKind.CORRECTION and stored.original_name == "plan.png"
    assert "六横镇海塘加固工程（二期）" in page and "2026-04-01" in page


def test_correction_needs_the_session(client, office):
    application, _code = registered(office)
    services.application_confirm_receipt(actor=office["officer"], application=application)
    services.application_request_correction(
        actor=office["officer"], application=application, items="请说明工程名称"
    )
    assert client.post(correction_url(), {"text": "补充说明"}).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.CORRECTION


@pytest.fixture
def replied(office):
    """A town application replied 部分公开 with one released file and one kept back."""
    application, code = registered(office)
    officer = office["officer"]
    services.application_confirm_receipt(actor=officer, application=application)
    released = services.application_file_add(
        actor=officer, application=application, name="招标公告.png", data=PNG
    )
    kept = services.application_file_add(
        actor=officer, application=application, name="内部.png", data=PNG + b"1"
    )
    services.application_reply(
        actor=officer,
        application=application,
        outcome=Outcome.PARTIAL,
        reason="部分内容涉及商业秘密",
        release=[released.pk],
    )
    return application, code, released, kept


def test_downloads_need_the_session(client, office, replied, monkeypatch):
    application, code, released, kept = replied
    letter = Letter.objects.get(application=application, kind="reply")
    letter_url = reverse("portal:application-letter", args=["liuheng", letter.pk, "pdf"])
    file_url = reverse("portal:application-file", args=["liuheng", released.pk])
    assert client.get(letter_url).status_code == 404
    assert client.get(file_url).status_code == 404

    unlock(client, application, code)
    page = html(client.get(status_url()))
    assert letter_url in page and file_url in page
    assert "招标公告.png" in page and "内部.png" not in page
    download = client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PNG
    hidden = reverse("portal:application-file", args=["liuheng", kept.pk])
    assert client.get(hidden).status_code == 404

    calls = []

    def fake_file(letter_row, fmt):
        calls.append((letter_row.pk, fmt))
        letter_row.pdf.save("reply.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        return letter_row.pdf

    monkeypatch.setattr(render, "letter_file", fake_file)
    response = client.get(letter_url)
    assert response.status_code == 200 and calls == [(letter.pk, "pdf")]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    bad_format = reverse("portal:application-letter", args=["liuheng", letter.pk, "exe"])
    assert client.get(bad_format).status_code == 404

    # Another visitor, or this one on another portal, gets nothing.
    stranger = Client()
    assert stranger.get(letter_url).status_code == 404
    assert stranger.get(file_url).status_code == 404
    other_portal = reverse("portal:application-letter", args=["taohua", letter.pk, "pdf"])
    assert client.get(other_portal).status_code == 404


def test_letters_of_another_application_are_not_served(client, office, replied):
    application, _code, _released, _kept = replied
    other, other_code = registered(office, applicant_name="李四")
    unlock(client, other, other_code)
    letter = Letter.objects.get(application=application, kind="reply")
    url = reverse("portal:application-letter", args=["liuheng", letter.pk, "pdf"])
    assert client.get(url).status_code == 404


def test_applicant_data_never_appears_on_other_portal_pages(client, office):
    submit(client, submission_token="pii")
    application = Application.objects.get()
    services.application_confirm_receipt(actor=office["officer"], application=application)
    pages = [
        (reverse("portal:agency-home", args=["liuheng"]), {}),
        (reverse("portal:catalogue", args=["liuheng"]), {}),
        (reverse("portal:guide", args=["liuheng"]), {}),
        (reverse("portal:search"), {"q": "海塘加固"}),
        (apply_url(), {}),
        (status_url(), {}),
    ]
    for url, query in pages:
        response = client.get(url, query)
        assert response.status_code == 200, url
        page = html(response)
        for secret in (NAME, ID_NUMBER, PHONE, application.number):
            assert secret not in page, (url, secret)
    # Searching for the applicant finds nothing (the page repeats only the query).
    for query in (NAME, ID_NUMBER, PHONE):
        page = html(client.get(reverse("portal:search"), {"q": query}))
        assert 'class="search-hit"' not in page


def test_status_page_query_count(client, office, replied, django_assert_max_num_queries):
    application, code, _released, _kept = replied
    unlock(client, application, code)
    client.get(status_url())  # warm the working-day calendar
    with django_assert_max_num_queries(13):
        response = client.get(status_url())
    assert response.status_code == 200 and application.number in html(response)
