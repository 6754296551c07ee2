"""Reply letters as official documents: drafted, previewed, signed off by the head of the
disclosure office, issued (numbered and dated that day); the agency signs, the applicant is
addressed by type, the DOCX and the PDF say the same thing."""

import io
import re
import shutil
import subprocess

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from docx import Document

from gongkai.applications import render, services
from gongkai.applications.demo import demo_credit_code
from gongkai.applications.models import (
    REPLY_SIGNED,
    ApplicationSettings,
    Letter,
    ReplyDraftStatus,
    Status,
)
from gongkai.applications.outcomes import Outcome
from gongkai.applications.services import WorkflowError
from gongkai.applications.tests.conftest import person
from gongkai.core.models import AuditEvent, Task

pytestmark = pytest.mark.django_db

COMPANY = {
    "applicant_type": "commercial",
    "applicant_name": "舟山演示海运有限公司",
    "id_type": "credit_code",
    "id_number": demo_credit_code("MA2D0001X"),
    "contact_person": "郑经理",
    # typed with its own full stop: the template adds one after it
    "information": "2025年六横镇海塘加固工程的验收报告。",
}
REASON = "验收报告中施工单位的报价明细涉及商业秘密，已作区分处理。。"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def submit(office, **data):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        return services.application_submit(
            agency=office["agency"],
            data=person(**data),
            channel="in_person",
            actor=office["officer"],
        ).application


def draft_partial(office, application, reason=REASON):
    return services.reply_draft_save(
        actor=office["officer"], application=application, outcome=Outcome.PARTIAL, reason=reason
    )


def test_sign_off_before_the_letter_is_numbered_and_the_date_is_the_issue_day(
    office, media, django_capture_on_commit_callbacks
):
    application = submit(office, **COMPANY)
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        draft = draft_partial(office, application)
        # drafting issues nothing and does not conclude
        application.refresh_from_db()
        assert application.status == Status.RECEIVED and not application.letters.exists()
        with pytest.raises(WorkflowError):
            services.reply_draft_issue(actor=office["officer"], draft=draft)
        draft = services.reply_draft_submit(actor=office["officer"], draft=draft)
        assert draft.status == ReplyDraftStatus.AWAITING_SIGNOFF
        with pytest.raises(PermissionDenied):  # the officer is not the head of the office
            services.reply_draft_sign(actor=office["officer"], draft=draft)
        draft = services.reply_draft_sign(actor=office["head"], draft=draft)
        assert draft.status == ReplyDraftStatus.SIGNED and draft.signed_by == office["head"]
    with (
        time_machine.travel("2026-03-05 10:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        draft = services.reply_draft_issue(actor=office["officer"], draft=draft)
    application.refresh_from_db()
    letter = draft.letter
    assert draft.status == ReplyDraftStatus.ISSUED
    assert application.status == Status.CONCLUDED and application.outcome == Outcome.PARTIAL
    # the clock stops the day the letter goes out, not the day it was drafted or signed
    assert str(application.concluded_on) == str(letter.issued_on) == "2026-03-05"
    assert letter.number.endswith("第1号")
    assert application.events.filter(kind=REPLY_SIGNED, public=False).exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"reply_draft.save", "reply_draft.submit", "reply_draft.sign"} <= verbs
    assert "reply_draft.issue" in verbs
    # rendered by the background task, queued on commit (eager in tests)
    task = Task.objects.get(name="applications.render_letter", payload__letter=letter.pk)
    assert task.status == "done"
    letter.refresh_from_db()
    assert letter.docx.name and letter.pdf.name


def test_a_change_after_sign_off_needs_a_new_sign_off(office):
    application = submit(office)
    draft = draft_partial(office, application)
    services.reply_draft_submit(actor=office["officer"], draft=draft)
    services.reply_draft_sign(actor=office["head"], draft=draft)
    draft = draft_partial(office, application, reason="涉及第三方商业秘密")
    assert draft.status == ReplyDraftStatus.DRAFT and draft.signed_by is None
    with pytest.raises(WorkflowError):
        services.reply_draft_issue(actor=office["officer"], draft=draft)


def test_the_head_may_return_a_draft(office):
    application = submit(office)
    draft = draft_partial(office, application)
    services.reply_draft_submit(actor=office["officer"], draft=draft)
    draft = services.reply_draft_return(actor=office["head"], draft=draft, note="理由再具体些")
    assert draft.status == ReplyDraftStatus.DRAFT


def test_without_required_sign_off_a_draft_is_issued_directly(office):
    ApplicationSettings.objects.create(agency=office["agency"], requires_signoff=False)
    application = submit(office)
    draft = draft_partial(office, application)
    draft = services.reply_draft_issue(actor=office["officer"], draft=draft)
    assert draft.status == ReplyDraftStatus.ISSUED and draft.letter is not None


def test_the_page_reply_cannot_skip_the_sign_off(office):
    application = submit(office)
    with pytest.raises(WorkflowError):
        services.application_reply(
            actor=office["officer"],
            application=application,
            outcome=Outcome.PARTIAL,
            reason="x",
            check_signoff=True,
        )


def _issued(office, **data) -> Letter:
    application = submit(office, **data)
    draft = draft_partial(office, application)
    services.reply_draft_submit(actor=office["officer"], draft=draft)
    services.reply_draft_sign(actor=office["head"], draft=draft)
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        return services.reply_draft_issue(actor=office["officer"], draft=draft).letter


def test_an_organisation_is_addressed_as_gui_danwei_and_the_agency_signs(office):
    letter = _issued(office, **COMPANY)
    assert "贵单位" in letter.body and "您" not in letter.body
    assert "您（单位）" not in letter.body and "。。" not in letter.body
    assert "报告。。" not in letter.body and "验收报告。" in letter.body
    parts = render.layout(letter)
    assert parts.signature == ["六横镇人民政府", "2026年3月4日"]
    assert any(text.startswith("联系机构：") for text in parts.paragraphs)


def test_a_person_is_addressed_as_nin(office):
    letter = _issued(office)
    assert "您申请的政府信息" in letter.body and "贵单位" not in letter.body


def test_the_preview_is_the_letter_to_be_issued_less_its_number(office):
    application = submit(office, **COMPANY)
    draft = draft_partial(office, application)
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        preview = render.layout(services.reply_preview(application, draft))
    letter = _issued(office, **{**COMPANY, "applicant_name": "舟山演示海运有限公司"})
    issued = render.layout(letter)
    assert preview.number != issued.number
    assert preview.paragraphs[1:] == issued.paragraphs[1:]  # [0] names the application number
    assert preview.signature == issued.signature


def _pdftotext(pdf: bytes, tmp_path, *args) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: install Debian's poppler-utils")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 - a fixed local tool on a file we wrote
        [tool, *args, str(path), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode()


@pytest.mark.parametrize("letterhead", [False, True])
def test_docx_and_pdf_hold_the_same_paragraphs(office, tmp_path, letterhead):
    ApplicationSettings.objects.create(
        agency=office["agency"], letterhead=letterhead, contact_office="六横镇党政综合办公室"
    )
    letter = _issued(office, **COMPANY)
    expected = render.layout(letter).texts()
    assert ("六横镇人民政府" == expected[0]) is letterhead
    document = Document(io.BytesIO(render.render_docx(letter)))
    docx_texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert docx_texts == expected
    flat = re.sub(r"\s+", "", _pdftotext(render.render_pdf(letter), tmp_path))
    position = 0
    for text in expected:  # every paragraph, in the same order
        found = flat.find(re.sub(r"\s+", "", text), position)
        assert found >= 0, text
        position = found
    assert "联系机构：六横镇党政综合办公室" in flat
    if letterhead:
        head = document.paragraphs[0]
        assert str(head.runs[0].font.color.rgb) == render.RED
        assert "w:pBdr" in document.paragraphs[1]._p.xml  # the red rule under the number


def test_signature_stays_on_the_page_of_its_date_and_last_paragraph(office, tmp_path):
    # a reason long enough to push the end of the letter to the foot of page one or beyond
    long_reason = "涉及第三方商业秘密，经征求意见不同意公开。" * 38
    application = submit(office, **COMPANY)
    draft = draft_partial(office, application, reason=long_reason)
    services.reply_draft_submit(actor=office["officer"], draft=draft)
    services.reply_draft_sign(actor=office["head"], draft=draft)
    letter = services.reply_draft_issue(actor=office["officer"], draft=draft).letter
    pages = _pdftotext(render.render_pdf(letter), tmp_path).split("\f")
    signed = [n for n, page in enumerate(pages) if "六横镇人民政府" in page.split("联系机构")[-1]]
    last = signed[-1]
    flat = re.sub(r"\s+", "", pages[last])
    assert re.search(r"六横镇人民政府\d{4}年\d{1,2}月\d{1,2}日", flat)
    assert "联系机构" in flat  # the closing paragraph is on the signature's page
    document = Document(io.BytesIO(render.render_docx(letter)))
    closing = [p for p in document.paragraphs if p.text.startswith("联系机构")][0]
    assert closing.paragraph_format.keep_with_next
    assert document.paragraphs[-2].paragraph_format.keep_with_next


def test_the_page_says_a_letter_is_being_generated_until_its_files_exist(client, office):
    application = submit(office)
    draft = draft_partial(office, application)
    services.reply_draft_submit(actor=office["officer"], draft=draft)
    services.reply_draft_sign(actor=office["head"], draft=draft)
    # no commit in this test: the rendering task stays queued, as behind a busy worker
    letter = services.reply_draft_issue(actor=office["officer"], draft=draft).letter
    client.force_login(office["officer"])
    detail = f"/staff/applications/{office['agency'].slug}/{application.pk}/"
    html = client.get(detail).content.decode()
    assert 'data-rendering="queued"' in html and f"{letter.pk}.pdf" not in html
    Task.objects.filter(name="applications.render_letter").update(status="failed")
    html = client.get(detail).content.decode()
    assert 'data-rendering="failed"' in html
    render.ensure_files(letter)
    html = client.get(detail).content.decode()
    assert "data-rendering" not in html and f"/letters/{letter.pk}.pdf" in html


# --- four eyes on the sign-off, and the page's 下一步 (issue 17 leftovers) -------------------


def _awaiting(office, drafter):
    application = submit(office)
    draft = services.reply_draft_save(
        actor=drafter, application=application, outcome=Outcome.PARTIAL, reason=REASON
    )
    return application, services.reply_draft_submit(actor=drafter, draft=draft)


def test_the_head_does_not_sign_off_a_reply_they_drafted(office, make_member):
    from django.core.exceptions import ValidationError

    from gongkai.applications.workflow import DRAFTS, DraftAction
    from gongkai.core.models import Role

    head = office["head"]
    _application, draft = _awaiting(office, head)
    # the guard offers no sign-off to its author (buttons, API), and the service says why
    assert not DRAFTS.allowed(head, draft, DraftAction.SIGN)
    assert DRAFTS.allowed(head, draft, DraftAction.RETURN)
    with pytest.raises(ValidationError) as refused:
        services.reply_draft_sign(actor=head, draft=draft)
    assert refused.value.code == "four_eyes"
    draft.refresh_from_db()
    assert draft.status == ReplyDraftStatus.AWAITING_SIGNOFF and draft.signed_by is None
    assert not AuditEvent.objects.filter(verb="reply_draft.sign").exists()
    # someone who may not sign off at all is refused as before, not told about four eyes
    with pytest.raises(PermissionDenied):
        services.reply_draft_sign(actor=office["officer"], draft=draft)
    # another head of the office signs it off
    second = make_member(office["agency"], Role.OFFICE_HEAD)
    assert DRAFTS.allowed(second, draft, DraftAction.SIGN)
    draft = services.reply_draft_sign(actor=second, draft=draft)
    assert draft.status == ReplyDraftStatus.SIGNED and draft.signed_by == second


def test_a_single_head_signs_their_own_only_where_the_deployment_allows(
    office, make_member, settings
):
    from django.core.exceptions import ValidationError

    from gongkai.core.models import Role

    head = office["head"]
    _application, draft = _awaiting(office, head)
    settings.GONGKAI_REPLY_SINGLE_HEAD_SIGNS_OWN = False  # the default
    with pytest.raises(ValidationError):
        services.reply_draft_sign(actor=head, draft=draft)
    settings.GONGKAI_REPLY_SINGLE_HEAD_SIGNS_OWN = True
    second = make_member(office["agency"], Role.OFFICE_HEAD)  # then no longer the only one
    with pytest.raises(ValidationError):
        services.reply_draft_sign(actor=head, draft=draft)
    second.is_active = False  # a head who left does not count
    second.save()
    draft = services.reply_draft_sign(actor=head, draft=draft)
    assert draft.status == ReplyDraftStatus.SIGNED and draft.signed_by == head


def test_the_next_step_points_the_head_to_the_sign_off(client, office):
    application, draft = _awaiting(office, office["officer"])
    detail = f"/staff/applications/{office['agency'].slug}/{application.pk}/"
    client.force_login(office["head"])
    html = client.get(detail).content.decode()
    box = re.search(r'<div class="next-step" data-next-step="([^"]+)">(.*?)</div>', html, re.S)
    assert box is not None and box.group(1) == "reply_sign"
    assert 'href="#action-reply_sign"' in box.group(2)
    assert 'id="action-reply_sign"' in html  # what the link leads to
    assert html.count('class="next-step"') == 1
    # the officer who drafted it is told nothing of the kind; once signed off, to issue it
    client.force_login(office["officer"])
    assert 'data-next-step="reply_sign"' not in client.get(detail).content.decode()
    services.reply_draft_sign(actor=office["head"], draft=draft)
    assert 'data-next-step="reply_issue"' in client.get(detail).content.decode()


def test_the_page_tells_the_author_head_why_there_is_no_sign_off(client, office):
    application, _draft = _awaiting(office, office["head"])
    client.force_login(office["head"])
    html = client.get(f"/staff/applications/{office['agency'].slug}/{application.pk}/").content
    html = html.decode()
    assert 'data-testid="own-draft"' in html and 'id="action-reply_sign"' not in html
    assert 'data-next-step="reply_sign"' not in html and 'id="action-reply_return"' in html
