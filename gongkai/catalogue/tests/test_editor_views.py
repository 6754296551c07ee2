"""The item editor's pages: the form with the rich editor, a .docx imported and files uploaded
before the first save (ordinary posts of the same form), and the checks as you type."""

import io
import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.catalogue.models import DraftAttachment, Item
from gongkai.core.models import AuditEvent

from .test_docx_import import picture, rewrite, word_document

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone(timedelta(hours=8)))
# a valid 居民身份证号码 (GB 11643 check character) and a mobile number
ID_NUMBER = "11010519491231002X"
MOBILE = "13800138000"


@pytest.fixture(autouse=True)
def fixed_now(time_machine):
    time_machine.move_to(NOW)


def new_url(name, town):
    return reverse(f"catalogue:{name}", args=[town.slug])


def form_data(column, token, **more):
    data = {
        "drafts": token,
        "column": column.pk,
        "title": "关于开展汛期安全检查的通知",
        "formed_on": "2026-11-20",
        "topic": "综合政务",
        "genre": "notice",
        "validity": "valid",
        "disclosure_mode": "proactive",
        "scope": "public",
        "summary": "",
        "body": "",
    }
    data.update(more)
    return data


def upload(name, data):
    file = io.BytesIO(data)
    file.name = name
    return file


def token_of(response) -> str:
    return re.search(r'name="drafts" value="([^"]+)"', response.content.decode()).group(1)


def test_the_new_item_form_has_the_editor_and_a_token(client, people, town, column):
    client.force_login(people.editor)
    response = client.get(new_url("item-create", town))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="body-editor"' in html and "gongkai/editor.js" in html
    assert 'id="editor-strings" type="application/json"' in html
    assert f'data-url="{new_url("item-findings", town)}"' in html
    assert len(token_of(response)) >= 32
    assert token_of(client.get(new_url("item-create", town))) != token_of(response)
    assert "<script>" not in html  # CSP: no inline script


def test_import_then_attach_then_save(client, people, town, column):
    """As a person does it on the page: import a .docx, add a file, save the new item."""
    client.force_login(people.editor)
    token = token_of(client.get(new_url("item-create", town)))
    data = form_data(column, token, title="暂定标题")
    data["docx"] = upload("通知.docx", word_document(pictures=(picture(),)))
    imported = client.post(new_url("item-new-import", town), data)
    assert imported.status_code == 200
    body = imported.context["form"]["body"].value()
    assert "<h2>关于开展汛期安全检查的通知</h2>" in body
    assert imported.context["form"]["title"].value() == "暂定标题"  # what was typed stays
    assert token_of(imported) == token
    assert [d.original_name for d in imported.context["drafts"]] == ["通知-1.png"]

    data = form_data(column, token, body=body)
    data["draft_files"] = [upload("附件说明.pdf", make_pdf_bytes())]
    uploaded = client.post(new_url("item-new-files", town), data)
    assert uploaded.status_code == 200
    assert [d.original_name for d in uploaded.context["drafts"]] == ["通知-1.png", "附件说明.pdf"]

    saved = client.post(new_url("item-create", town), form_data(column, token, body=body))
    assert saved.status_code == 302
    item = Item.objects.get()
    assert saved["Location"] == reverse("catalogue:item-edit", args=[town.slug, item.pk])
    assert item.body.startswith("<h2>关于开展汛期安全检查的通知</h2>")
    assert sorted(item.attachments.values_list("original_name", flat=True)) == [
        "通知-1.png",
        "附件说明.pdf",
    ]
    assert not DraftAttachment.objects.exists()
    assert AuditEvent.objects.filter(verb="attachment.add", agency=town).count() == 2


def make_pdf_bytes():
    from .factories import make_pdf

    return make_pdf("notes", author=None)


def test_a_file_chosen_but_not_uploaded_is_attached_on_save(client, people, town, column):
    client.force_login(people.editor)
    token = token_of(client.get(new_url("item-create", town)))
    data = form_data(column, token)
    data["draft_files"] = [upload("图.png", picture())]
    assert client.post(new_url("item-create", town), data).status_code == 302
    assert list(Item.objects.get().attachments.values_list("original_name", flat=True)) == [
        "图.png"
    ]


def test_a_hostile_docx_gives_its_reason_and_stores_nothing(client, people, town, column):
    client.force_login(people.editor)
    token = token_of(client.get(new_url("item-create", town)))
    hostile = rewrite(
        word_document(),
        "word/document.xml",
        lambda c: c.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1),
    )
    data = form_data(column, token, body="<p>原文</p>")
    data["docx"] = upload("恶意.docx", hostile)
    response = client.post(new_url("item-new-import", town), data)
    assert response.status_code == 400
    assert "恶意.docx" in response.content.decode()
    assert response.context["form"]["body"].value() == "<p>原文</p>"  # the body is left alone
    assert not DraftAttachment.objects.exists()


def test_a_draft_file_can_be_removed(client, people, town, column):
    client.force_login(people.editor)
    token = token_of(client.get(new_url("item-create", town)))
    data = form_data(column, token)
    data["draft_files"] = [upload("图.png", picture())]
    client.post(new_url("item-new-files", town), data)
    draft = DraftAttachment.objects.get()
    response = client.post(
        new_url("item-new-files", town), form_data(column, token, remove=draft.pk)
    )
    assert response.status_code == 200 and not DraftAttachment.objects.exists()


def test_others_cannot_use_or_see_someone_elses_drafts(client, people, town, column):
    client.force_login(people.editor)
    token = token_of(client.get(new_url("item-create", town)))
    data = form_data(column, token)
    data["draft_files"] = [upload("图.png", picture())]
    client.post(new_url("item-new-files", town), data)
    draft = DraftAttachment.objects.get()
    client.force_login(people.officer)  # same agency, same token: not theirs
    response = client.post(
        new_url("item-new-files", town), form_data(column, token, remove=draft.pk)
    )
    assert list(response.context["drafts"]) == []
    assert DraftAttachment.objects.filter(pk=draft.pk).exists()
    client.force_login(people.reviewer)
    assert client.post(new_url("item-new-files", town), form_data(column, token)).status_code == 403
    client.force_login(people.outsider)
    assert (
        client.post(new_url("item-new-import", town), form_data(column, token)).status_code == 404
    )


def test_editing_an_item_imports_into_its_form(client, people, make_item):
    item = make_item()
    client.force_login(people.editor)
    token = token_of(client.get(reverse("catalogue:item-edit", args=[item.agency.slug, item.pk])))
    data = form_data(item.column, token)
    data["docx"] = upload("新版.docx", word_document(table=False, pictures=(picture(),)))
    url = reverse("catalogue:item-edit-import", args=[item.agency.slug, item.pk])
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["item"] == item
    body = response.context["form"]["body"].value()
    saved = client.post(
        reverse("catalogue:item-edit", args=[item.agency.slug, item.pk]),
        form_data(item.column, token, body=body),
    )
    assert saved.status_code == 302
    item.refresh_from_db()
    assert "<h3>检查范围</h3>" in item.body
    assert list(item.attachments.values_list("original_name", flat=True)) == ["新版-1.png"]


# --- checks as you type ----------------------------------------------------------------------


def findings(client, town, **fields):
    return client.post(new_url("item-findings", town), fields)


def test_findings_are_typed_masked_and_never_echo_the_data(client, people, town):
    client.force_login(people.editor)
    body = f"<p>申请人身份证号码{ID_NUMBER}，联系电话{MOBILE}。</p>"
    response = findings(client, town, title="关于公开的通知", body=body)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert {f["field"] for f in data["findings"]} == {"body"}
    assert {f["check"] for f in data["findings"]} == {"privacy"}
    text = response.content.decode()
    assert ID_NUMBER not in text and MOBILE not in text
    assert ID_NUMBER[:6] in json.dumps(data, ensure_ascii=False)  # masked: 110105********002X
    excerpt = data["findings"][0]["excerpt"]
    assert "*" in excerpt and "身份证号码" in excerpt


def test_no_findings_in_a_clean_text(client, people, town):
    client.force_login(people.editor)
    assert findings(client, town, title="通知", body="<p>会议部署了工作。</p>").json() == {
        "findings": [],
        "count": 0,
    }


def test_findings_are_for_the_agencys_authors(client, people, town):
    for user, status in (
        (people.editor, 200),
        (people.officer, 200),
        (people.reviewer, 403),
        (people.supervisor, 403),
        (people.outsider, 404),
    ):
        client.force_login(user)
        assert findings(client, town, body="<p>x</p>").status_code == status, user
    client.logout()
    assert findings(client, town, body="<p>x</p>").status_code == 302


def test_findings_need_the_csrf_token(people, town):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people.editor)
    assert findings(strict, town, body="<p>x</p>").status_code == 403
    page = strict.get(new_url("item-create", town))
    token = page.cookies["csrftoken"].value
    response = strict.post(
        new_url("item-findings", town), {"body": "<p>x</p>"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200


def test_findings_refuse_a_huge_text(client, people, town):
    client.force_login(people.editor)
    assert findings(client, town, body="字" * 200_001).status_code == 413


def test_findings_use_the_agencys_known_names(client, people, town, make_member):
    """A name the agency knows (its staff) is found wherever it is written, as on save."""
    from gongkai.core.models import Role, User

    member = make_member(town, Role.EDITOR, "lh-editor-3")
    User.objects.filter(pk=member.pk).update(last_name="欧阳", first_name="青松")
    client.force_login(people.editor)
    data = findings(client, town, body="<p>今天欧阳青松到场。</p>").json()
    assert data["count"] == 1 and "欧阳青松" not in json.dumps(data, ensure_ascii=False)


def test_another_apps_checker_is_shown_beside_the_editor(client, people, town, monkeypatch):
    """live_checks.CHECKERS is the hook (the wording check registers itself there)."""
    from gongkai.catalogue import live_checks

    def shouting(agency, fields):
        return [
            live_checks.LiveFinding("shout", name, name, "!", text[:5])
            for name, text in fields.items()
            if "！！" in text
        ]

    monkeypatch.setattr(live_checks, "CHECKERS", [*live_checks.CHECKERS])
    live_checks.register(shouting)
    live_checks.register(shouting)  # once
    client.force_login(people.editor)
    data = findings(client, town, title="通知！！", body="<p>正文</p>").json()
    assert [(f["check"], f["field"]) for f in data["findings"] if f["check"] == "shout"] == [
        ("shout", "title")
    ]
