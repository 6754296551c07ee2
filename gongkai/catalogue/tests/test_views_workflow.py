# ruff: noqa: F811 — the fixtures imported from test_views are redefined as test arguments
"""The item pages: create/edit, attachments, the detail page, and the workflow through the views.

Every action is a POST through the real URL; service errors must come back as a re-rendered
page (400, or 403 for a permission), never as a server error.
"""

import io
from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.catalogue import services
from gongkai.catalogue.models import Attachment, Channel, Item, ItemReview, ItemStatus, Publication
from gongkai.catalogue.taxonomy import ChannelKind, Genre, PrivacyOverrideReason
from gongkai.core.models import AuditEvent

from .test_views import (  # noqa: F401 — fixtures shared with test_views
    CST,
    approved,
    column,
    fixed_now,
    item,
    make_item,
    media,
    people,
    published,
    submitted,
    town,
    url,
)

PHONE = "13812345678"
CHECKS = {
    "approve-check_secrecy": "on",
    "approve-check_privacy": "on",
    "approve-check_wording": "on",
}


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def item_form(target_column, **overrides):
    data = {
        "column": target_column.pk,
        "title": "关于公布2026年度防汛责任人名单的通知",
        "document_number": "六政发〔2026〕12号",
        "publisher": "",
        "formed_on": "2026-11-24",
        "topic": "综合政务",
        "genre": Genre.NOTICE,
        "summary": "",
        "body": "<p>各村：</p><script>alert(1)</script><p>名单见附件。</p>",
        "validity": "valid",
        "valid_from": "",
        "invalid_on": "",
        "disclosure_mode": "proactive",
        "non_disclosure_ground": "",
        "scope": "public",
    }
    data.update(overrides)
    return data


def status_of(item) -> str:
    item.refresh_from_db()
    return item.status


# --- create and edit ---------------------------------------------------------------------


def test_editor_creates_an_item_through_the_form(client, town, column, people):
    client.force_login(people.editor)
    assert client.get(url("item-create", town)).status_code == 200
    response = client.post(url("item-create", town), item_form(column))
    assert response.status_code == 302
    created = Item.objects.get(agency=town)
    assert response.headers["Location"] == url("item-edit", town, created.pk)
    assert created.status == ItemStatus.DRAFT
    assert created.created_by == people.editor
    assert created.publisher == town.name  # filled in by the service
    assert "<script>" not in created.body and "名单见附件" in created.body  # sanitised
    assert AuditEvent.objects.filter(verb="item.create", object_id=str(created.pk)).exists()


def test_service_validation_errors_show_on_the_form(client, town, column, people):
    client.force_login(people.editor)
    # A town cannot issue 规章 (立法法 第九十三条): the service refuses, the form shows why.
    response = client.post(url("item-create", town), item_form(column, genre=Genre.RULE))
    assert response.status_code == 400
    assert "genre" in response.context["form"].errors
    # 不予公开 needs its legal ground.
    response = client.post(
        url("item-create", town), item_form(column, disclosure_mode="not_public")
    )
    assert response.status_code == 400
    assert "non_disclosure_ground" in response.context["form"].errors
    # A malformed date never reaches the service.
    response = client.post(url("item-create", town), item_form(column, formed_on="2026-13-45"))
    assert response.status_code == 400
    assert "formed_on" in response.context["form"].errors
    assert not Item.objects.exists()


def test_the_column_must_belong_to_the_agency(client, agency_tree, town, column, people):
    foreign = services.column_create(
        actor=None, agency=agency_tree["other_town"], name="桃花栏目", column_type="other"
    )
    client.force_login(people.editor)
    response = client.post(url("item-create", town), item_form(column, column=foreign.pk))
    assert response.status_code == 400
    assert "column" in response.context["form"].errors
    assert not Item.objects.exists()


def test_a_reviewer_cannot_create_items(client, town, column, people):
    client.force_login(people.reviewer)
    assert client.get(url("item-create", town)).status_code == 403
    assert client.post(url("item-create", town), item_form(column)).status_code == 403
    assert not Item.objects.exists()


def test_editor_edits_a_draft(client, town, column, people, item):
    client.force_login(people.editor)
    page = client.get(url("item-edit", town, item.pk))
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == item.title
    response = client.post(url("item-edit", town, item.pk), item_form(column, title="新标题"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "新标题"
    assert item.formed_on == date(2026, 11, 24)


def test_a_submitted_item_cannot_be_edited(client, town, column, people, item):
    submitted(item, people.editor)
    client.force_login(people.editor)
    assert client.get(url("item-edit", town, item.pk)).status_code == 403
    response = client.post(url("item-edit", town, item.pk), item_form(column, title="偷改"))
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title != "偷改"


# --- attachments -------------------------------------------------------------------------


def upload(client, town, item, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        url("attachment-add", town, item.pk), {"upload-file": SimpleUploadedFile(name, data)}
    )


def test_attachment_upload_download_and_removal(client, town, people, item, media):
    client.force_login(people.editor)
    response = upload(client, town, item, "现场照片.png", png_bytes())
    assert response.status_code == 302
    attachment = Attachment.objects.get(item=item)
    assert (attachment.original_name, attachment.kind) == ("现场照片.png", "png")

    edit = client.get(url("item-edit", town, item.pk))
    assert list(edit.context["attachments"]) == [attachment]
    download = client.get(url("attachment-download", town, item.pk, attachment.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png_bytes()

    response = client.post(url("attachment-remove", town, item.pk, attachment.pk))
    assert response.status_code == 302
    assert not Attachment.objects.filter(item=item).exists()


@pytest.mark.parametrize(
    "name, data",
    [
        ("名单.txt", "张三 13812345678".encode()),
        ("名单.pdf", png_bytes()),
        ("空.pdf", b""),
        ("破损.pdf", b"%PDF-1.4\n%%EOF\n"),
    ],
    ids=["not-accepted", "content-mismatch", "empty", "damaged"],
)
def test_attachment_errors_from_the_service_are_shown(
    client, town, people, item, media, name, data
):
    client.force_login(people.editor)
    response = upload(client, town, item, name, data)
    assert response.status_code == 400
    errors = response.context["upload_form"].errors
    assert errors["file"]
    assert not Attachment.objects.exists()


def test_attachments_of_a_submitted_item_cannot_change(client, town, people, item, media):
    attachment = services.attachment_add(
        actor=people.editor, item=item, name="a.png", data=png_bytes()
    )
    submitted(item, people.editor)
    client.force_login(people.editor)
    assert upload(client, town, item, "b.png", png_bytes()).status_code == 403
    response = client.post(url("attachment-remove", town, item.pk, attachment.pk))
    assert response.status_code == 403
    assert list(Attachment.objects.filter(item=item)) == [attachment]


# --- the detail page ---------------------------------------------------------------------


def test_detail_shows_metadata_body_clock_and_actions(client, town, people, item):
    client.force_login(people.editor)
    response = client.get(url("item-detail", town, item.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert item.title in html
    assert "请做好森林防火工作" in html  # the (sanitised) body
    assert response.context["clock"].state == "due"
    assert response.context["can"]["edit"] and response.context["can"]["submit"]
    assert not response.context["can"]["approve"]
    assert url("item-submit", town, item.pk) in html
    assert url("item-approve", town, item.pk) not in html
    assert [row.event.verb for row in response.context["timeline"]] == ["item.create"]


def test_privacy_findings_block_submission_and_are_shown_in_context(client, town, column, people):
    draft = make_item(town, column, people.editor, body=f"<p>联系电话：{PHONE}，欢迎咨询。</p>")
    client.force_login(people.editor)
    response = client.post(url("item-submit", town, draft.pk))
    assert response.status_code == 400
    assert status_of(draft) == ItemStatus.DRAFT
    html = response.content.decode()
    assert f"<mark>{PHONE}</mark>" in html
    [finding] = [f for f in response.context["findings"] if f.match == PHONE]
    assert finding.field == "body" and finding.before.endswith("联系电话：")
    assert response.context["can_mask"] is True
    assert url("item-mask", town, draft.pk) in html
    assert [str(m) for m in response.context["messages"]]  # the service's reason


def test_highlighted_context_is_escaped(client, town, column, people):
    draft = make_item(town, column, people.editor, title=f"<script>alert(1)</script>电话{PHONE}")
    client.force_login(people.editor)
    html = client.get(url("item-detail", town, draft.pk)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert f"alert(1)&lt;/script&gt;电话<mark>{PHONE}</mark>" in html


def test_mask_then_submit(client, town, column, people):
    draft = make_item(
        town, column, people.editor, title=f"电话{PHONE}", body=f"<p>电话：{PHONE}</p>"
    )
    client.force_login(people.editor)
    response = client.post(url("item-mask", town, draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert PHONE not in draft.title and PHONE not in draft.body
    detail = client.get(url("item-detail", town, draft.pk))
    assert detail.context["findings"] == []
    assert "item.mask" in [row.event.verb for row in detail.context["timeline"]]
    response = client.post(url("item-submit", town, draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by) == (ItemStatus.PENDING, people.editor)


def test_a_reviewer_cannot_mask(client, town, column, people):
    draft = make_item(town, column, people.editor, body=f"<p>电话：{PHONE}</p>")
    client.force_login(people.reviewer)
    assert client.get(url("item-detail", town, draft.pk)).context["can_mask"] is False
    response = client.post(url("item-mask", town, draft.pk))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert PHONE in draft.body


def test_submission_with_an_override_request_needs_the_reviewers_reason(
    client, town, column, people
):
    draft = make_item(town, column, people.editor, body=f"<p>举报电话：{PHONE}</p>")
    client.force_login(people.editor)
    response = client.post(url("item-submit", town, draft.pk), {"submit-request_override": "on"})
    assert response.status_code == 302
    assert status_of(draft) == ItemStatus.PENDING

    client.force_login(people.reviewer)
    detail = client.get(url("item-detail", town, draft.pk))
    assert detail.context["findings"]
    assert 'name="approve-privacy_override"' in detail.content.decode()
    # Without a reason the shield blocks the approval.
    response = client.post(url("item-approve", town, draft.pk), CHECKS)
    assert response.status_code == 400
    assert status_of(draft) == ItemStatus.PENDING
    # "Other" needs a note.
    response = client.post(
        url("item-approve", town, draft.pk),
        {**CHECKS, "approve-privacy_override": PrivacyOverrideReason.OTHER},
    )
    assert response.status_code == 400
    assert "privacy_override_note" in response.context["approve_form"].errors
    response = client.post(
        url("item-approve", town, draft.pk),
        {**CHECKS, "approve-privacy_override": PrivacyOverrideReason.MANDATORY},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ItemStatus.APPROVED
    assert draft.privacy_override == PrivacyOverrideReason.MANDATORY


# --- review, four eyes, approve and publish ----------------------------------------------


def test_four_eyes_the_submitter_cannot_approve_through_the_view(client, town, column, people):
    own = submitted(make_item(town, column, people.officer), people.officer)
    client.force_login(people.officer)
    detail = client.get(url("item-detail", town, own.pk))
    assert detail.context["own_submission"] is True
    assert detail.context["can"]["approve"] is False
    assert url("item-approve", town, own.pk) not in detail.content.decode()
    response = client.post(url("item-approve", town, own.pk), CHECKS)
    assert response.status_code == 403
    # The detail page again, with the service's reason, not a bare error page.
    assert response.context["item"] == own
    assert [str(m) for m in response.context["messages"]]
    assert status_of(own) == ItemStatus.PENDING
    assert own.index_number == ""
    response = client.post(url("item-return", town, own.pk), {"return-comment": "自己退回"})
    assert response.status_code == 403
    assert status_of(own) == ItemStatus.PENDING
    assert not ItemReview.objects.exists()


def test_approve_assigns_the_index_number_and_publish_sets_the_date(
    client, town, people, item, media
):
    services.attachment_add(actor=people.editor, item=item, name="照片.png", data=png_bytes())
    submitted(item, people.editor)
    client.force_login(people.reviewer)
    detail = client.get(url("item-detail", town, item.pk))
    assert detail.context["can"]["approve"] and detail.context["can"]["reject"]
    response = client.post(
        url("item-approve", town, item.pk), {**CHECKS, "approve-comment": "同意公开"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    assert item.index_number == f"{town.uscc}/2026-00001"
    assert item.approved_by == people.reviewer
    assert item.published_at is None
    review = ItemReview.objects.get(item=item)
    assert (review.decision, review.comment) == (ItemReview.Decision.APPROVE, "同意公开")
    assert review.check_secrecy and review.check_privacy and review.check_wording

    response = client.post(url("item-publish", town, item.pk))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert item.published_at is not None
    assert item.published_at.astimezone(CST).date() == date(2026, 11, 26)
    publication = Publication.objects.get(item=item)
    assert publication.channel.kind == ChannelKind.WEBSITE
    assert Attachment.objects.get(item=item).metadata_stripped

    detail = client.get(url("item-detail", town, item.pk))
    html = detail.content.decode()
    assert item.index_number in html
    assert detail.context["clock"].state == "on_time"
    assert [row.event.verb for row in detail.context["timeline"]] == [
        "item.create",
        "item.submit",
        "item.approve",
        "item.publish",
    ]
    assert list(detail.context["reviews"]) == [review]
    assert "同意公开" in html


def test_approve_and_publish_at_once_or_on_schedule(client, town, column, people):
    now_item = submitted(make_item(town, column, people.editor, title="立即发布"), people.editor)
    later = submitted(make_item(town, column, people.editor, title="定时发布"), people.editor)
    client.force_login(people.reviewer)
    response = client.post(
        url("item-approve", town, now_item.pk), {**CHECKS, "approve-publish_now": "on"}
    )
    assert response.status_code == 302
    assert status_of(now_item) == ItemStatus.PUBLISHED
    response = client.post(
        url("item-approve", town, later.pk), {**CHECKS, "approve-scheduled_at": "2026-11-30T09:00"}
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.status == ItemStatus.APPROVED
    assert later.scheduled_at == datetime(2026, 11, 30, 9, 0, tzinfo=CST)


def test_approval_needs_the_three_checks(client, town, people, item):
    submitted(item, people.editor)
    client.force_login(people.reviewer)
    response = client.post(
        url("item-approve", town, item.pk),
        {"approve-check_secrecy": "on", "approve-check_wording": "on"},
    )
    assert response.status_code == 400
    assert status_of(item) == ItemStatus.PENDING
    assert item.index_number == ""
    assert [str(m) for m in response.context["messages"]]
    # The ticked boxes are kept for the second try.
    assert response.context["approve_form"]["check_secrecy"].value() is True


def test_return_needs_a_comment(client, town, people, item):
    submitted(item, people.editor)
    client.force_login(people.reviewer)
    response = client.post(url("item-return", town, item.pk), {"return-comment": "  "})
    assert response.status_code == 400
    assert "comment" in response.context["return_form"].errors
    assert status_of(item) == ItemStatus.PENDING
    response = client.post(url("item-return", town, item.pk), {"return-comment": "请补充文号"})
    assert response.status_code == 302
    assert status_of(item) == ItemStatus.DRAFT
    assert ItemReview.objects.get(item=item).decision == ItemReview.Decision.REJECT
    client.force_login(people.editor)
    detail = client.get(url("item-detail", town, item.pk))
    assert "请补充文号" in detail.content.decode()


@pytest.mark.parametrize(
    "action, who, data",
    [
        ("item-publish", "reviewer", {}),  # a draft cannot be published
        ("item-withdraw", "reviewer", {"withdraw-reason": "错误"}),  # nor withdrawn
        ("item-approve", "reviewer", CHECKS),  # nor approved before submission
        ("item-return", "reviewer", {"return-comment": "x"}),
        ("item-approve", "editor", CHECKS),  # an editor is no reviewer
    ],
)
def test_illegal_actions_are_refused_without_a_server_error(
    client, town, people, item, action, who, data
):
    client.force_login(getattr(people, who))
    before = AuditEvent.objects.count()
    response = client.post(url(action, town, item.pk), data)
    assert response.status_code in (400, 403)
    assert response.context["item"] == item
    assert [str(m) for m in response.context["messages"]]
    assert status_of(item) == ItemStatus.DRAFT
    assert AuditEvent.objects.count() == before


def test_submitting_twice_is_refused(client, town, people, item):
    client.force_login(people.editor)
    assert client.post(url("item-submit", town, item.pk)).status_code == 302
    response = client.post(url("item-submit", town, item.pk))
    assert response.status_code in (400, 403)
    assert status_of(item) == ItemStatus.PENDING


def test_an_editor_cannot_publish_or_withdraw(client, town, people, item):
    approved(item, people.editor, people.reviewer)
    client.force_login(people.editor)
    response = client.post(url("item-publish", town, item.pk))
    assert response.status_code == 403
    assert response.context["item"] == item and response.context["can"]["publish"] is False
    response = client.post(url("item-withdraw", town, item.pk), {"withdraw-reason": "x"})
    assert response.status_code == 403
    assert status_of(item) == ItemStatus.APPROVED


def test_withdraw_needs_a_reason(client, town, people, item):
    published(item, people.editor, people.reviewer)
    client.force_login(people.officer)
    response = client.post(url("item-withdraw", town, item.pk), {"withdraw-reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["withdraw_form"].errors
    assert status_of(item) == ItemStatus.PUBLISHED
    response = client.post(url("item-withdraw", town, item.pk), {"withdraw-reason": "政策已废止"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.withdrawn_reason) == (ItemStatus.WITHDRAWN, "政策已废止")


def test_csrf_is_enforced_on_actions(town, people, item):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.editor)
    response = client.post(url("item-submit", town, item.pk))
    assert response.status_code == 403
    assert status_of(item) == ItemStatus.DRAFT


# --- publications on other channels ------------------------------------------------------


def test_record_a_publication_on_another_channel(client, town, people, item):
    wechat = services.channel_create(
        actor=None, agency=town, kind=ChannelKind.WECHAT, name="六横发布"
    )
    client.force_login(people.editor)
    draft_page = client.get(url("item-detail", town, item.pk))
    assert draft_page.context["can"]["record"] is False
    response = client.post(
        url("publication-record", town, item.pk),
        {"publication-channel": wechat.pk, "publication-published_on": "2026-11-26"},
    )
    assert response.status_code == 400  # only a published item
    assert not Publication.objects.filter(channel=wechat).exists()

    published(item, people.editor, people.reviewer)
    detail = client.get(url("item-detail", town, item.pk))
    assert detail.context["can"]["record"] is True
    response = client.post(
        url("publication-record", town, item.pk),
        {
            "publication-channel": wechat.pk,
            "publication-published_on": "2026-11-27",
            "publication-url": "https://mp.weixin.qq.com/s/abc",
        },
    )
    assert response.status_code == 302
    publication = Publication.objects.get(item=item, channel=wechat)
    assert publication.published_on == date(2026, 11, 27)
    assert publication.source == Publication.Source.MANUAL
    channels = {
        p.channel.kind
        for p in client.get(url("item-detail", town, item.pk)).context["publications"]
    }
    assert channels == {ChannelKind.WEBSITE, ChannelKind.WECHAT}


def test_a_channel_of_another_agency_cannot_be_used(client, agency_tree, town, people, item):
    foreign = Channel.objects.create(
        agency=agency_tree["other_town"], kind=ChannelKind.WEIBO, name="桃花微博"
    )
    published(item, people.editor, people.reviewer)
    client.force_login(people.editor)
    response = client.post(
        url("publication-record", town, item.pk),
        {"publication-channel": foreign.pk, "publication-published_on": "2026-11-26"},
    )
    assert response.status_code == 400
    assert "channel" in response.context["publication_form"].errors
    assert not Publication.objects.filter(channel=foreign).exists()


def test_review_queue_links_to_the_detail(client, town, people, item):
    submitted(item, people.editor)
    client.force_login(people.reviewer)
    html = client.get(url("review-queue", town)).content.decode()
    assert url("item-detail", town, item.pk) in html
    assert reverse("catalogue:item-detail", args=[town.slug, item.pk]) in html


def docx_bytes(text: str) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return out.getvalue()


def test_findings_in_attachments_are_shown_but_not_masked_with_the_text(
    client, town, people, item, media
):
    services.attachment_add(
        actor=people.editor, item=item, name="名单.docx", data=docx_bytes(f"联系电话{PHONE}")
    )
    client.force_login(people.editor)
    detail = client.get(url("item-detail", town, item.pk))
    [finding] = detail.context["findings"]
    # masked inside the file, from the attachment's own button (test_attachment_masking.py)
    assert (finding.where, finding.match, finding.maskable) == ("名单.docx", PHONE, True)
    assert detail.context["can_mask"] is False  # the text fields have nothing to mask
    response = client.post(url("item-submit", town, item.pk))
    assert response.status_code == 400
    assert status_of(item) == ItemStatus.DRAFT


def test_the_timeline_names_an_override_request(client, town, column, people):
    draft = make_item(town, column, people.editor, body=f"<p>举报电话：{PHONE}</p>")
    client.force_login(people.editor)
    client.post(url("item-submit", town, draft.pk), {"submit-request_override": "on"})
    client.force_login(people.reviewer)
    [*_, submit] = client.get(url("item-detail", town, draft.pk)).context["timeline"]
    assert submit.event.verb == "item.submit"
    assert submit.status_to == ItemStatus.PENDING.label
    assert len(submit.notes) == 1


def test_a_body_written_around_the_service_is_still_sanitised(client, town, people, item):
    Item.objects.filter(pk=item.pk).update(
        body='<p onclick="x()">正文</p><script>alert(1)</script>'
    )
    client.force_login(people.editor)
    html = client.get(url("item-detail", town, item.pk)).content.decode()
    assert "<p>正文</p>" in html
    assert "<script>alert(1)" not in html and "onclick" not in html
