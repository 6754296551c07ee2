"""The staff pages of 依申请公开: tenancy, the queue and its query counts, the application page and
its actions, identity masking and the audited reveal, the export, and the letter templates.

Assertions avoid English UI text where they can (the Chinese catalogue translates it): they look
at statuses in the database, audit events, data-* attributes and the numbers on the page.
"""

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.applications import letters, presenters, services
from gongkai.applications.defaults import TEMPLATES
from gongkai.applications.models import (
    NOTE,
    Appeal,
    Application,
    ApplicationEvent,
    ApplicationSettings,
    Letter,
    LetterTemplate,
    Status,
)
from gongkai.applications.outcomes import Outcome
from gongkai.applications.tests.conftest import person
from gongkai.core.models import AuditEvent, Role
from gongkai.core.tests.export_helpers import fetch_export

pytestmark = pytest.mark.django_db

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=CST)  # a Monday
FULL_ID = "330902199001011238"
MASKED_ID = "330902********1238"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def admin_user(office, make_member):
    return make_member(office["agency"], Role.AGENCY_ADMIN)


def url(name, agency, *args):
    return reverse(f"applications:{name}", args=[agency.slug, *args])


def act(name, app):
    return reverse("applications:action", args=[app.agency.slug, app.pk, name])


def in_person(office, **overrides) -> Application:
    return services.application_submit(
        agency=office["agency"],
        data=person(**overrides),
        channel="in_person",
        actor=office["officer"],
    ).application


def online(office, **overrides) -> Application:
    return services.application_submit(
        agency=office["agency"], data=person(**overrides)
    ).application


def xlsx_with(text: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def travel(frozen, client, user, when: datetime) -> None:
    """Move the clock; staff sessions expire when idle, so log in again."""
    frozen.move_to(when, tick=False)
    client.force_login(user)


def page(client, user, path, **kwargs):
    client.force_login(user)
    return client.get(path, **kwargs)


# --- tenancy --------------------------------------------------------------------------------


def test_queue_and_detail_are_scoped_to_the_agency_and_its_readers(client, office):
    app = in_person(office)
    agency = office["agency"]
    for user in (office["other_officer"], office["editor"]):
        assert page(client, user, url("queue", agency)).status_code == 404
        assert page(client, user, url("detail", agency, app.pk)).status_code == 404
        response = client.post(act("note", app), {"note-text": "x"})
        assert response.status_code == 404
    assert not ApplicationEvent.objects.filter(kind=NOTE).exists()
    # The other town's officer sees their own queue, without this application.
    other = office["other_officer"]
    html = page(client, other, url("queue", other.memberships.get().agency)).content.decode()
    assert app.number not in html
    client.logout()
    assert client.get(url("queue", agency)).status_code == 302  # to the login page


def test_supervisor_reads_but_gets_no_action_forms(client, office):
    app = in_person(office)
    response = page(client, office["supervisor"], url("detail", office["agency"], app.pk))
    html = response.content.decode()
    assert response.status_code == 200 and app.number in html
    assert "data-action=" not in html
    assert url("reveal", office["agency"], app.pk) not in html
    response = client.post(act("note", app), {"note-text": "看一看"})
    assert response.status_code == 403
    assert not ApplicationEvent.objects.filter(kind=NOTE).exists()
    response = client.post(url("reveal", office["agency"], app.pk))
    assert response.status_code == 403 and FULL_ID not in response.content.decode()
    assert not AuditEvent.objects.filter(verb="application.reveal_identity").exists()


def test_officer_sees_the_action_forms_the_status_allows(client, office):
    app = online(office)
    html = page(client, office["officer"], url("detail", office["agency"], app.pk)).content.decode()
    assert 'data-action="confirm_receipt"' in html
    assert 'data-action="reply"' not in html  # receipt not confirmed yet
    assert 'data-action="extend"' not in html  # officers never extend


# --- the queue --------------------------------------------------------------------------------


def test_queue_puts_open_applications_first_with_their_deadline(client, office, frozen):
    frozen.move_to(datetime(2026, 2, 2, 10, 0, tzinfo=CST), tick=False)
    early = in_person(office, applicant_name="李四")
    frozen.move_to(NOW, tick=False)
    late = in_person(office, applicant_name="赵五")
    done = in_person(office, applicant_name="钱六")
    services.application_withdraw(actor=office["officer"], application=done)

    response = page(client, office["officer"], url("queue", office["agency"]))
    html = response.content.decode()
    assert html.index(early.number) < html.index(late.number)  # soonest due first
    assert done.number not in html  # the default filter shows open applications
    assert 'data-deadline="near_due"' in html and 'data-deadline="running"' in html
    assert "李四" in html and FULL_ID not in html and MASKED_ID not in html

    everything = page(client, office["officer"], url("queue", office["agency"]) + "?status=all")
    html = everything.content.decode()
    assert html.index(late.number) < html.index(done.number)  # open before concluded

    travel(frozen, client, office["officer"], datetime(2026, 3, 10, 10, 0, tzinfo=CST))
    html = page(client, office["officer"], url("queue", office["agency"])).content.decode()
    assert 'data-deadline="overdue"' in html

    found = page(client, office["officer"], url("queue", office["agency"]) + f"?q={late.number}")
    html = found.content.decode()
    assert late.number in html and early.number not in html


def test_queue_filters_by_status_and_flag(client, office):
    received = in_person(office)
    waiting = online(office)
    Application.objects.filter(pk=received.pk).update(flag="overdue")
    base = url("queue", office["agency"])
    html = page(client, office["officer"], base + "?status=registered").content.decode()
    assert waiting.number in html and received.number not in html
    html = page(client, office["officer"], base + "?flag=overdue").content.decode()
    assert received.number in html and waiting.number not in html


def _queue_queries(client, user, path) -> int:
    client.force_login(user)
    client.get(path)  # warm the session and the calendar cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queue_query_count_does_not_grow_with_rows(client, office, django_assert_max_num_queries):
    officer = office["officer"]
    for _ in range(3):
        services.application_assign(actor=officer, application=in_person(office), handler=officer)
    path = url("queue", office["agency"])
    few = _queue_queries(client, officer, path)
    for _ in range(9):
        services.application_assign(actor=officer, application=in_person(office), handler=officer)
    assert _queue_queries(client, officer, path) == few
    with django_assert_max_num_queries(16):
        client.get(path)


def test_detail_query_count_is_pinned(client, office, django_assert_max_num_queries):
    officer = office["officer"]
    app = in_person(office)
    services.application_assign(actor=officer, application=app, handler=officer)
    services.application_note(actor=officer, application=app, text="电话联系申请人")
    services.consultation_start(actor=officer, application=app, kind="agency", addressee="区资规局")
    services.application_file_add(
        actor=officer, application=app, name="a.xlsx", data=xlsx_with("工程清单")
    )
    client.force_login(officer)
    path = url("detail", office["agency"], app.pk)
    client.get(path)
    # 29: the reply draft, and the rendering task of the letter whose files are not stored yet
    # (no commit in this test, so its task is still queued)
    with django_assert_max_num_queries(29):
        assert client.get(path).status_code == 200


# --- the application page: masking and the audited reveal -------------------------------------


def test_detail_masks_the_id_number_and_reveal_is_audited(client, office):
    app = in_person(office)
    response = page(client, office["officer"], url("detail", office["agency"], app.pk))
    html = response.content.decode()
    assert MASKED_ID in html and FULL_ID not in html
    assert "13800138000" in html  # the office calls the applicant: the phone is shown

    response = client.post(url("reveal", office["agency"], app.pk))
    assert response.status_code == 200 and FULL_ID in response.content.decode()
    event = AuditEvent.objects.get(verb="application.reveal_identity")
    assert event.actor == office["officer"] and event.object_id == str(app.pk)
    assert FULL_ID not in str(event.after)
    # The next visit is masked again.
    html = client.get(url("detail", office["agency"], app.pk)).content.decode()
    assert FULL_ID not in html


def test_detail_explains_the_clock_and_warns_about_the_correction_limit(client, office, frozen):
    app = in_person(office)
    html = page(client, office["officer"], url("detail", office["agency"], app.pk)).content.decode()
    assert app.due_on.isoformat() in html
    assert 'data-correction="open"' in html
    assert html.count("<li><time") >= 2  # registered, received: the steps of the clock
    travel(frozen, client, office["officer"], datetime(2026, 3, 16, 10, 0, tzinfo=CST))  # day 11
    html = client.get(url("detail", office["agency"], app.pk)).content.decode()
    assert 'data-correction="passed"' in html
    services.application_request_correction(actor=office["officer"], application=app, items="写明")
    html = client.get(url("detail", office["agency"], app.pk)).content.decode()
    assert 'data-correction="late"' in html


# --- actions --------------------------------------------------------------------------------


def test_confirm_assign_note_and_reply_through_the_page(client, office, frozen):
    officer, agency = office["officer"], office["agency"]
    app = online(office)
    client.force_login(officer)
    response = client.post(act("confirm_receipt", app), {"confirm_receipt-received_on": ""})
    assert response.status_code == 302 and response.url == url("detail", agency, app.pk)
    app.refresh_from_db()
    assert app.status == Status.RECEIVED and app.received_on == date(2026, 3, 2)

    client.post(act("assign", app), {"assign-handler": office["head"].pk})
    app.refresh_from_db()
    assert app.status == Status.PROCESSING and app.handler == office["head"]

    client.post(act("note", app), {"note-text": "已电话核实申请内容"})
    note = ApplicationEvent.objects.get(application=app, kind=NOTE)
    assert not note.public
    html = client.get(url("detail", agency, app.pk)).content.decode()
    assert "已电话核实申请内容" in html  # internal notes are on the staff timeline
    assert "<optgroup" in html and "部分公开（区分处理）" in html  # outcomes grouped by family

    # The reply is drafted and previewed; nothing is issued before the head signs it off.
    response = client.post(
        act("reply", app),
        {"reply-outcome": Outcome.PARTIAL, "reply-reason": "部分涉及商业秘密。。"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.PROCESSING and not app.letters.exists()
    html = client.get(url("detail", agency, app.pk)).content.decode()
    assert 'data-testid="letter-preview"' in html and 'data-reply-status="draft"' in html
    preview = html.split('data-testid="letter-preview"')[1].split("</figure>")[0]
    assert "部分涉及商业秘密。" in preview and "。。" not in preview
    assert "您" in preview and "您（单位）" not in preview
    assert 'data-action="reply_sign"' not in html  # the officer is not the head
    assert client.post(act("reply_issue", app), {}).status_code == 400  # not signed off
    assert client.post(act("reply_submit", app), {}).status_code == 302
    assert 'data-action="reply"' not in client.get(url("detail", agency, app.pk)).content.decode()
    assert client.post(act("reply_sign", app), {}).status_code == 403
    client.force_login(office["head"])
    html = client.get(url("detail", agency, app.pk)).content.decode()
    assert 'data-action="reply_sign"' in html and 'data-action="reply_return"' in html
    assert client.post(act("reply_sign", app), {}).status_code == 302
    client.force_login(officer)
    assert client.post(act("reply_issue", app), {}).status_code == 302
    app.refresh_from_db()
    assert app.status == Status.CONCLUDED and app.outcome == Outcome.PARTIAL
    assert Letter.objects.filter(application=app, kind="reply").exists()

    client.post(act("archive", app), {})
    app.refresh_from_db()
    assert app.status == Status.ARCHIVED


def test_refused_input_is_shown_and_kept(client, office):
    app = in_person(office)
    client.force_login(office["officer"])
    response = client.post(
        act("reply", app), {"reply-outcome": Outcome.NOT_EXIST, "reply-reason": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="reply-outcome"' in html and f'value="{Outcome.NOT_EXIST}" selected' in html
    app.refresh_from_db()
    assert app.status == Status.RECEIVED and not app.outcome

    response = client.post(act("request_correction", app), {"request_correction-items": ""})
    assert response.status_code == 400
    assert not Letter.objects.filter(application=app).exists()

    response = client.post(act("lapse_fee", app), {})  # not awaiting payment: a workflow refusal
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == Status.RECEIVED

    assert client.post(act("no_such_action", app), {}).status_code == 404


def test_correction_consultation_and_extension(client, office, frozen):
    officer, head, agency = office["officer"], office["head"], office["agency"]
    app = in_person(office)
    client.force_login(officer)
    client.post(
        act("request_correction", app),
        {"request_correction-items": "请写明工程名称", "request_correction-period_workdays": "10"},
    )
    app.refresh_from_db()
    assert app.status == Status.CORRECTION
    assert Letter.objects.filter(application=app, kind="correction").exists()

    travel(frozen, client, officer, datetime(2026, 3, 4, 10, 0, tzinfo=CST))
    client.post(act("receive_correction", app), {"receive_correction-text": "六横镇海塘加固工程"})
    app.refresh_from_db()
    assert app.status == Status.PROCESSING and app.due_on == date(2026, 4, 1)

    client.post(
        act("start_consultation", app),
        {"start_consultation-kind": "third_party", "start_consultation-addressee": "某建设公司"},
    )
    app.refresh_from_db()
    assert app.status == Status.CONSULTING and app.clock_paused
    consultation = app.consultations.get()
    travel(frozen, client, officer, datetime(2026, 3, 6, 10, 0, tzinfo=CST))
    client.post(
        act("close_consultation", app),
        {"close_consultation-consultation": consultation.pk, "close_consultation-reply": "agree"},
    )
    app.refresh_from_db()
    assert app.status == Status.PROCESSING and not app.clock_paused
    due = app.due_on

    # Officers may not extend: refused with a message, nothing changes.
    response = client.post(act("extend", app), {"extend-days": "10", "extend-reason": "需检索档案"})
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.due_on == due

    client.force_login(head)
    html = client.get(url("detail", agency, app.pk)).content.decode()
    assert 'data-action="extend"' in html
    response = client.post(act("extend", app), {"extend-days": "10", "extend-reason": "需检索档案"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.due_on > due
    assert Letter.objects.filter(application=app, kind="extension").exists()


def test_fee_quote_then_notice_then_payment(client, office):
    app = in_person(office)
    client.force_login(office["officer"])
    data = {"fee_notify-schedule": "per_page", "fee_notify-pages": "120"}
    response = client.post(url("fee-quote", office["agency"], app.pk), data)
    assert response.status_code == 200
    assert 'data-testid="fee-quote">' in response.content.decode()
    assert "1100" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.RECEIVED  # a quote writes nothing

    client.post(act("fee_notify", app), data)
    app.refresh_from_db()
    assert app.status == Status.AWAITING_PAYMENT and app.fee.amount == 1100
    client.post(act("record_payment", app), {"record_payment-receipt_number": "NO.123"})
    app.refresh_from_db()
    assert app.status == Status.PROCESSING and app.fee.receipt_number == "NO.123"


def test_withdraw_then_appeal_recorded_and_decided(client, office):
    app = in_person(office)
    client.force_login(office["officer"])
    client.post(act("withdraw", app), {"withdraw-note": "申请人书面撤回"})
    app.refresh_from_db()
    assert app.status == Status.CONCLUDED and app.outcome == Outcome.OTHER
    client.post(
        act("record_appeal", app),
        {
            "record_appeal-kind": "review",
            "record_appeal-filed_on": "2026-03-02",
            "record_appeal-body": "舟山市普陀区人民政府",
        },
    )
    appeal = Appeal.objects.get(application=app)
    client.post(
        act("decide_appeal", app),
        {
            "decide_appeal-appeal": appeal.pk,
            "decide_appeal-result": "maintained",
            "decide_appeal-decided_on": "2026-03-02",
        },
    )
    appeal.refresh_from_db()
    assert appeal.result == "maintained" and appeal.decided_on == date(2026, 3, 2)


def test_file_upload_shows_privacy_findings(client, office):
    app = in_person(office)
    client.force_login(office["officer"])
    upload = io.BytesIO(xlsx_with(f"联系人张三，身份证号{FULL_ID}，电话13800138000。"))
    upload.name = "名单.xlsx"
    response = client.post(
        act("file_add", app), {"file_add-upload": upload, "file_add-kind": "provided"}
    )
    assert response.status_code == 302
    stored = app.files.get()
    assert stored.findings >= 2
    html = client.get(url("detail", office["agency"], app.pk)).content.decode()
    assert f'<span class="clock clock-overdue">{stored.findings}</span>' in html
    # Releasing it needs a recorded reason.
    response = client.post(
        act("reply", app), {"reply-outcome": Outcome.DISCLOSED, "reply-release": [stored.pk]}
    )
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == Status.RECEIVED


def test_reset_query_code_is_shown_once(client, office):
    app = online(office)
    client.force_login(office["officer"])
    response = client.post(url("reset-code", office["agency"], app.pk))
    code = response.content.decode().split('data-testid="query-code">')[1][:8]
    app.refresh_from_db()
    assert services.query_code_matches(app, code)
    assert code not in client.get(url("detail", office["agency"], app.pk)).content.decode()


def test_letter_download_renders_and_is_scoped(client, office):
    app = in_person(office)
    services.application_request_correction(actor=office["officer"], application=app, items="写明")
    letter = app.letters.get()
    path = reverse("applications:letter", args=[office["agency"].slug, app.pk, letter.pk, "docx"])
    response = page(client, office["officer"], path)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a DOCX is a zip archive
    letter.refresh_from_db()
    assert letter.docx.name  # stored with the letter
    assert page(client, office["other_officer"], path).status_code == 404
    bad = reverse("applications:letter", args=[office["agency"].slug, app.pk, letter.pk, "exe"])
    assert page(client, office["officer"], bad).status_code == 404


# --- registration ---------------------------------------------------------------------------


def _register_data(**overrides):
    data = {
        "submission_token": "tok-abc",
        "channel": "in_person",
        "received_on": "",
        "applicant_type": "natural_person",
        "applicant_name": "孙七",
        "id_type": "resident_id",
        "id_number": FULL_ID,
        "phone": "13800138000",
        "information": "2025年六横镇渔港改造工程的环评批复",
        "forms": ["paper"],
        "delivery": "collect",
    }
    data.update(overrides)
    return data


def test_register_a_paper_application(client, office):
    client.force_login(office["officer"])
    assert client.get(url("register", office["agency"])).status_code == 200
    response = client.post(url("register", office["agency"]), _register_data())
    assert response.status_code == 200
    app = Application.objects.get(applicant_name="孙七")
    assert app.status == Status.RECEIVED and app.received_on == date(2026, 3, 2)
    assert app.registered_by == office["officer"] and app.channel == "in_person"
    code = response.content.decode().split('data-testid="query-code">')[1][:8]
    assert services.query_code_matches(app, code)
    # The same form sent twice registers one application.
    again = client.post(url("register", office["agency"]), _register_data())
    assert again.status_code == 302 and Application.objects.count() == 1


def test_register_shows_the_service_errors_on_the_fields(client, office):
    client.force_login(office["officer"])
    response = client.post(
        url("register", office["agency"]), _register_data(id_number="330902199001011233")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="330902199001011233"' in html and "errorlist" in html
    assert not Application.objects.exists()
    # Plain letters are confirmed later: a receipt date is refused, not guessed.
    response = client.post(
        url("register", office["agency"]),
        _register_data(channel="post_plain", received_on="2026-03-02"),
    )
    assert response.status_code == 400 and not Application.objects.exists()


def test_register_is_for_the_disclosure_office(client, office, admin_user):
    response = page(client, admin_user, url("register", office["agency"]))
    assert response.status_code == 403


# --- export ---------------------------------------------------------------------------------


def test_export_csv_is_masked_and_audited(client, office):
    app = in_person(office)
    services.application_reply(
        actor=office["officer"], application=app, outcome=Outcome.NOT_EXIST, reason="经检索没有"
    )
    client.force_login(office["officer"])
    started = client.post(
        url("export", office["agency"]), {"export-year": "2026", "export-format": "csv"}
    )
    assert AuditEvent.objects.get(verb="export.start").after["params"] == {
        "year": 2026,
        "format": "csv",
    }
    fetched = fetch_export(client, started)  # built by the task queue
    assert "attachment" in fetched.response["Content-Disposition"]
    text = fetched.content.decode("utf-8-sig")
    assert FULL_ID not in text and MASKED_ID in text
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2 and rows[1][0] == app.number
    assert "三（四）1" in rows[1][9]
    event = AuditEvent.objects.get(verb="application.export")
    assert event.after["year"] == 2026 and event.after["rows"] == 1
    assert event.actor == office["officer"] and event.agency == office["agency"]


def test_export_xlsx_and_scope(client, office):
    from openpyxl import load_workbook

    in_person(office)
    client.force_login(office["supervisor"])
    response = client.post(
        url("export", office["agency"]), {"export-year": "2026", "export-format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(fetch_export(client, response).content)).active
    values = [cell.value for cell in sheet[2]]
    assert MASKED_ID in values and FULL_ID not in values
    client.force_login(office["editor"])
    response = client.post(
        url("export", office["agency"]), {"export-year": "2026", "export-format": "csv"}
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(verb="application.export").count() == 1
    assert AuditEvent.objects.filter(verb="export.start").count() == 1


# --- letter templates -----------------------------------------------------------------------


def test_template_edit_makes_a_new_version_and_old_letters_keep_theirs(client, office, admin_user):
    agency = office["agency"]
    client.force_login(admin_user)
    assert client.get(url("letter-templates", agency)).status_code == 200
    edit = url("letter-template", agency, "correction")
    title, body = TEMPLATES[("correction", "")]
    client.post(edit, {"title": title, "body": body + "\n\n第一版"})
    first = LetterTemplate.objects.get(agency=agency, kind="correction")
    assert first.version == 1

    app = in_person(office)
    services.application_request_correction(actor=office["officer"], application=app, items="写明")
    letter = Letter.objects.get(application=app)
    assert letter.template == first and "第一版" in letter.body

    response = client.post(edit, {"title": title, "body": body + "\n\n第二版"})
    assert response.status_code == 302
    current = letters.current_template(agency, "correction")
    assert current.version == 2 and "第二版" in current.body
    letter.refresh_from_db()
    assert letter.template.version == 1 and "第二版" not in letter.body
    html = client.get(edit).content.decode()
    assert 'data-version="2"' in html and 'data-version="1"' in html
    assert AuditEvent.objects.filter(verb="letter_template.update").count() == 2


def test_template_pages_are_for_admins_and_office_heads(client, office):
    agency = office["agency"]
    assert page(client, office["officer"], url("letter-templates", agency)).status_code == 403
    assert page(client, office["head"], url("letter-templates", agency)).status_code == 200
    assert (
        page(client, office["head"], url("letter-template", agency, "nonsense")).status_code == 404
    )
    response = client.post(
        url("letter-template", agency, "reply.partial"), {"title": "", "body": ""}
    )
    assert response.status_code == 400 and not LetterTemplate.objects.filter(agency=agency).exists()


def test_placeholder_reference_covers_every_placeholder_letters_use(office):
    app = in_person(office)
    used = set(letters.application_values(app, date(2026, 3, 2))) | {"文号"}
    for _title, body in TEMPLATES.values():
        used |= set(presenters.placeholders_in(body))
    assert used <= set(presenters.PLACEHOLDERS)


# --- links ----------------------------------------------------------------------------------


def test_staff_home_links_the_queue_for_readers_only(client, office):
    queue = url("queue", office["agency"])
    assert queue in page(client, office["officer"], reverse("core:staff-home")).content.decode()
    assert queue not in page(client, office["editor"], reverse("core:staff-home")).content.decode()


# --- Django admin ---------------------------------------------------------------------------


def test_admin_lists_are_scoped_and_settings_go_through_the_service(client, office, admin_user):
    mine = in_person(office)
    services.application_withdraw(actor=office["officer"], application=mine)
    services.appeal_record(
        actor=office["officer"],
        application=mine,
        kind="review",
        filed_on=date(2026, 3, 2),
        body="普陀区人民政府",
        case_number="普政复〔2026〕1号",
    )
    other_officer = office["other_officer"]
    theirs = services.application_submit(
        agency=other_officer.memberships.get().agency,
        data=person(),
        channel="in_person",
        actor=other_officer,
    ).application
    services.application_withdraw(actor=other_officer, application=theirs)
    services.appeal_record(
        actor=other_officer,
        application=theirs,
        kind="review",
        filed_on=date(2026, 3, 2),
        body="普陀区人民政府",
        case_number="普政复〔2026〕2号",
    )
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    html = client.get(reverse("admin:applications_appeal_changelist")).content.decode()
    assert "普政复〔2026〕1号" in html and "普政复〔2026〕2号" not in html

    response = client.post(
        reverse("admin:applications_applicationsettings_add"),
        {
            "agency": office["agency"].pk,
            "number_pattern": "LH-{YYYY}-{NNN}",
            "letter_pattern": "{简称}依申〔{YYYY}〕第{N}号",
            "letter_prefix": "六横",
            "correction_period_workdays": "10",
            "near_due_workdays": "3",
            "fee_pauses_clock": "on",
            "online_enabled": "on",
        },
    )
    assert response.status_code == 302
    assert ApplicationSettings.objects.get(agency=office["agency"]).near_due_workdays == 3
    assert AuditEvent.objects.filter(verb="application_settings.update").count() == 1
