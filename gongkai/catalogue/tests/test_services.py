"""Catalogue services: the privacy shield in front of publication, columns, channels, items,
attachments and publications on other channels."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalogue import services, shield
from gongkai.catalogue.models import Attachment, Channel, ItemStatus, Publication
from gongkai.catalogue.services import PrivacyBlocked
from gongkai.catalogue.taxonomy import (
    ChannelKind,
    ColumnType,
    DisclosureMode,
    Genre,
    NonDisclosureGround,
    PrivacyOverrideReason,
    Validity,
)
from gongkai.core.models import AuditEvent

from .conftest import ALL_CHECKS
from .factories import make_docx

# Fictional, with valid check digits: GB 11643's published example and an unassigned mobile.
ID_NUMBER = "11010519491231002X"
MOBILE = "13912345678"
PII_BODY = f"<p>申请人身份证号码{ID_NUMBER}，手机{MOBILE}，因病致困申请临时救助。</p>"


def item_events(item, verb):
    return AuditEvent.objects.filter(
        verb=verb, object_type="catalogue.item", object_id=str(item.pk)
    )


# --- the privacy shield ----------------------------------------------------------------------


@pytest.mark.django_db
def test_personal_data_blocks_submission(make_item, people):
    item = make_item(body=PII_BODY)
    with pytest.raises(PrivacyBlocked) as raised:
        services.item_submit(actor=people.editor, item=item)
    findings = raised.value.findings
    assert {f.finding.type for f in findings} >= {"id_card", "mobile"}
    assert {f.finding.text for f in findings} >= {ID_NUMBER, MOBILE}
    assert all(f.field == "body" and f.maskable for f in findings)
    assert raised.value.code == "privacy"
    item.refresh_from_db()
    assert (item.status, item.submitted_by) == (ItemStatus.DRAFT, None)
    assert not item_events(item, "item.submit").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "summary"])
def test_personal_data_in_title_or_summary_blocks_too(field, make_item, people):
    item = make_item(**{field: f"关于联系电话{MOBILE}的说明"})
    with pytest.raises(PrivacyBlocked) as raised:
        services.item_submit(actor=people.editor, item=item)
    assert [f.field for f in raised.value.findings] == [field]


@pytest.mark.django_db
def test_personal_data_in_a_link_blocks_and_masks_too(make_item, people):
    """A link's tooltip and a mailto: address are read by visitors like the text is."""
    item = make_item(
        body=f'<p><a href="mailto:linguoqing@example.com" title="联系人手机{MOBILE}">联系我们</a></p>'
    )
    with pytest.raises(PrivacyBlocked) as raised:
        services.item_submit(actor=people.editor, item=item)
    assert {f.finding.text for f in raised.value.findings} >= {MOBILE}
    services.item_mask_findings(actor=people.editor, item=item)
    item.refresh_from_db()
    assert MOBILE not in item.body and "139****5678" in item.body
    assert item.body.startswith('<p><a href="mailto:') and ">联系我们</a></p>" in item.body
    assert shield.item_findings(item) == []


@pytest.mark.django_db
def test_masking_then_submitting_passes(make_item, people):
    item = make_item(body=PII_BODY, summary=f"手机{MOBILE}")
    services.item_mask_findings(actor=people.editor, item=item)
    item.refresh_from_db()
    for text in (item.body, item.summary):
        assert ID_NUMBER not in text and MOBILE not in text
    assert f"{ID_NUMBER[:6]}********{ID_NUMBER[-4:]}" in item.body
    assert "139****5678" in item.body
    assert item.body.startswith("<p>") and item.body.endswith("</p>")
    assert shield.item_findings(item) == []
    event = item_events(item, "item.mask").get()
    assert sorted(event.after["masked"]) == ["body", "summary"]
    assert ID_NUMBER not in str(event.after) and MOBILE not in str(event.after)

    services.item_submit(actor=people.editor, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


@pytest.mark.django_db
def test_an_office_line_after_its_label_does_not_block_and_is_not_masked(make_item, people):
    body = "<p>咨询电话：0580-6012345。</p><p>联系人：王小明，手机13905801234。</p>"
    item = make_item(body=body)
    with pytest.raises(services.PrivacyBlocked) as blocked:
        services.item_submit(actor=people.editor, item=item)
    assert {f.finding.type for f in blocked.value.findings} == {"person_name", "mobile"}
    item = services.item_mask_findings(actor=people.editor, item=item)
    assert "0580-6012345" in item.body
    assert "13905801234" not in item.body and "王小明" not in item.body
    assert services.item_submit(actor=people.editor, item=item).status == ItemStatus.PENDING


def test_the_audit_trail_keeps_no_personal_data(make_item, people):
    item = make_item(body="<p>申请人：王小明，身份证号330902198001011233。</p>")
    services.item_update(actor=people.editor, item=item, data={"summary": "联系电话13905801234"})
    services.item_mask_findings(actor=people.editor, item=item)
    trail = AuditEvent.objects.filter(object_type="catalogue.item", object_id=str(item.pk))
    dumped = " ".join(str(event.before) + str(event.after) for event in trail)
    assert trail.count() == 3
    for raw in ("330902198001011233", "13905801234", "王小明"):
        assert raw not in dumped
    assert "330902********1233" in dumped


def test_masking_is_for_authors_of_drafts(make_item, item_in, people):
    with pytest.raises(PermissionDenied):
        services.item_mask_findings(actor=people.outsider, item=make_item(body=PII_BODY))
    with pytest.raises(PermissionDenied):
        services.item_mask_findings(actor=people.editor, item=item_in(ItemStatus.PENDING))


@pytest.fixture
def pending_with_findings(make_item, people):
    """A 惩戒公示 the author submits with its personal data, asking the reviewer to decide."""
    item = make_item(
        title="关于对违规占用耕地建房行为的处理通报",
        genre=Genre.NOTICE,
        body=f"<p>当事人：王海涛，身份证号码{ID_NUMBER}，未经批准占用耕地建房。</p>",
    )
    services.item_submit(actor=people.editor, item=item, request_override=True)
    item.refresh_from_db()
    return item


@pytest.mark.django_db
def test_submitting_with_findings_on_request_is_recorded(pending_with_findings):
    item = pending_with_findings
    assert item.status == ItemStatus.PENDING
    after = item_events(item, "item.submit").get().after
    assert after["override_requested"] is True
    assert set(after["findings"]) >= {"id_card", "person_name"}
    assert ID_NUMBER not in str(after)  # the event names the types, not the data


@pytest.mark.django_db
def test_approval_of_an_item_with_findings_needs_an_override(pending_with_findings, people):
    item = pending_with_findings
    with pytest.raises(PrivacyBlocked):
        services.item_approve(actor=people.reviewer, item=item, checks=ALL_CHECKS)
    with pytest.raises(ValidationError) as raised:
        services.item_approve(
            actor=people.reviewer, item=item, checks=ALL_CHECKS, privacy_override="whatever"
        )
    assert "privacy_override" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        services.item_approve(
            actor=people.reviewer,
            item=item,
            checks=ALL_CHECKS,
            privacy_override=PrivacyOverrideReason.OTHER,
            privacy_override_note="  ",
        )
    assert "privacy_override_note" in raised.value.message_dict
    item.refresh_from_db()
    assert (item.status, item.index_number, item.privacy_override) == (ItemStatus.PENDING, "", "")
    assert not item_events(item, "item.approve").exists()


@pytest.mark.django_db
def test_an_override_for_another_reason_is_recorded_with_its_note(pending_with_findings, people):
    item = pending_with_findings
    note = "法院生效判决要求公告送达，经主要负责人同意公开。"
    services.item_approve(
        actor=people.reviewer,
        item=item,
        checks=ALL_CHECKS,
        privacy_override=PrivacyOverrideReason.OTHER,
        privacy_override_note=note,
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    assert (item.privacy_override, item.privacy_override_note) == ("other", note)
    after = item_events(item, "item.approve").get().after
    assert after["privacy_override"] == "other"
    assert after["privacy_override_note"] == note
    assert set(after["findings"]) >= {"id_card", "person_name"}


@pytest.mark.django_db
def test_a_disciplinary_override_needs_no_note(pending_with_findings, people):
    item = pending_with_findings
    services.item_approve(
        actor=people.reviewer,
        item=item,
        checks=ALL_CHECKS,
        privacy_override=PrivacyOverrideReason.DISCIPLINARY,
        publish_now=True,
    )
    item.refresh_from_db()
    assert (item.status, item.privacy_override) == (ItemStatus.PUBLISHED, "disciplinary")


@pytest.mark.django_db
def test_an_override_without_findings_is_not_recorded(item_in, people):
    item = item_in(ItemStatus.PENDING)
    services.item_approve(
        actor=people.reviewer,
        item=item,
        checks=ALL_CHECKS,
        privacy_override=PrivacyOverrideReason.OTHER,
    )
    item.refresh_from_db()
    assert (item.status, item.privacy_override) == (ItemStatus.APPROVED, "")


@pytest.mark.django_db
def test_personal_data_in_an_attachment_blocks_submission(make_item, people):
    item = make_item()
    data = make_docx("六横镇临时救助申请表", f"申请人身份证号码：{ID_NUMBER}")
    attachment = services.attachment_add(
        actor=people.editor, item=item, name="申请表.docx", data=data
    )
    assert ID_NUMBER in attachment.text
    with pytest.raises(PrivacyBlocked) as raised:
        services.item_submit(actor=people.editor, item=item)
    [finding] = raised.value.findings
    assert finding.field == f"attachment:{attachment.pk}"
    assert finding.label == "申请表.docx"
    assert finding.maskable  # inside the file, by attachment_mask
    # Masking the text fields cannot clean an attachment: it has to be replaced.
    services.item_mask_findings(actor=people.editor, item=item)
    with pytest.raises(PrivacyBlocked):
        services.item_submit(actor=people.editor, item=item)
    services.attachment_remove(actor=people.editor, attachment=attachment)
    services.item_submit(actor=people.editor, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


# --- columns, settings and channels ------------------------------------------------------------


@pytest.mark.django_db
def test_columns_belong_to_one_agency(town, agency_tree, people):
    root = services.column_create(
        actor=people.officer, agency=town, name="政府信息公开", column_type=ColumnType.OTHER
    )
    child = services.column_create(
        actor=people.officer,
        agency=town,
        name="政策文件",
        column_type=ColumnType.POLICY,
        parent=root,
    )
    assert child.parent == root
    assert AuditEvent.objects.filter(verb="column.create", agency=town).count() == 2
    with pytest.raises(ValidationError):
        services.column_create(
            actor=None,
            agency=agency_tree["other_town"],
            name="政策文件",
            column_type=ColumnType.POLICY,
            parent=root,
        )
    with pytest.raises(ValidationError):  # the same name twice under one parent
        services.column_create(
            actor=None, agency=town, name="政策文件", column_type=ColumnType.POLICY, parent=root
        )
    with pytest.raises(PermissionDenied):
        services.column_create(
            actor=people.editor, agency=town, name="工作动态", column_type=ColumnType.NEWS
        )


@pytest.mark.django_db
def test_column_update_records_only_changes(column, people):
    services.column_update(actor=people.officer, column=column, data={"position": 3})
    services.column_update(actor=people.officer, column=column, data={"position": 3})
    [event] = AuditEvent.objects.filter(verb="column.update")
    assert (event.before, event.after) == ({"position": 0}, {"position": 3})
    with pytest.raises(ValidationError):
        services.column_update(actor=people.officer, column=column, data={"agency": None})


@pytest.mark.django_db
def test_website_channel_is_created_once(town, agency_tree):
    first = services.website_channel(town)
    assert services.website_channel(town) == first
    assert first.kind == ChannelKind.WEBSITE and first.name == town.name
    assert services.website_channel(agency_tree["other_town"]) != first
    assert Channel.objects.filter(kind=ChannelKind.WEBSITE).count() == 2
    with pytest.raises(ValidationError):  # one website per agency
        services.channel_create(actor=None, agency=town, kind=ChannelKind.WEBSITE, name="另一个")


# --- items -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_item_create_cleans_and_audits(make_item, town, people):
    item = make_item(body='<p onclick="x()">正文</p><script>alert(1)</script>')
    assert item.body == "<p>正文</p>"
    assert item.publisher == town.name
    assert item.created_by == people.editor
    assert item.status == ItemStatus.DRAFT and item.index_number == ""
    event = item_events(item, "item.create").get()
    assert event.actor == people.editor and event.agency == town
    assert event.after["title"] == item.title


@pytest.mark.django_db
def test_item_create_checks_its_actor_and_fields(make_item, people, agency_tree):
    with pytest.raises(PermissionDenied):
        make_item(actor=people.outsider)
    with pytest.raises(PermissionDenied):
        make_item(actor=people.supervisor)
    with pytest.raises(TypeError):
        make_item(status=ItemStatus.PUBLISHED)
    other_column = services.column_create(
        actor=None, agency=agency_tree["other_town"], name="工作动态", column_type="news"
    )
    with pytest.raises(ValidationError) as raised:
        services.item_create(
            actor=people.editor,
            agency=agency_tree["town"],
            column=other_column,
            title="跨机关",
            formed_on=date(2026, 3, 2),
            genre=Genre.WORK_NEWS,
        )
    assert "column" in raised.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"disclosure_mode": DisclosureMode.NOT_PUBLIC}, "non_disclosure_ground"),
        ({"validity": Validity.EXPIRED}, "invalid_on"),
        ({"validity": Validity.REPEALED}, "invalid_on"),
        ({"genre": Genre.RULE}, "genre"),  # a town cannot issue 规章
    ],
)
def test_item_rules(fields, error_field, make_item):
    with pytest.raises(ValidationError) as raised:
        make_item(**fields)
    assert error_field in raised.value.message_dict


@pytest.mark.django_db
def test_a_ground_is_kept_only_for_items_not_disclosed(make_item):
    item = make_item(
        disclosure_mode=DisclosureMode.NOT_PUBLIC,
        non_disclosure_ground=NonDisclosureGround.PROCESS,
    )
    assert item.non_disclosure_ground == NonDisclosureGround.PROCESS
    item = make_item(title="另一条", non_disclosure_ground=NonDisclosureGround.PROCESS)
    assert item.non_disclosure_ground == ""


@pytest.mark.django_db
def test_only_drafts_are_edited(make_item, item_in, people):
    item = make_item()
    services.item_update(actor=people.editor, item=item, data={"title": "新标题"})
    event = item_events(item, "item.update").get()
    assert (event.before, event.after) == (
        {"title": "六横镇召开安全生产工作会议"},
        {"title": "新标题"},
    )
    with pytest.raises(ValidationError):
        services.item_update(actor=people.editor, item=item, data={"status": "published"})
    with pytest.raises(PermissionDenied):
        services.item_update(actor=people.editor, item=item_in(ItemStatus.PENDING), data={})


# --- attachments -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_attachment_add_stores_the_file(make_item, people, private_root):
    item = make_item()
    data = make_docx("六横镇2026年政务公开工作要点")
    attachment = services.attachment_add(
        actor=people.editor, item=item, name="要点.docx", data=data
    )
    assert (attachment.kind, attachment.size) == ("docx", len(data))
    assert attachment.file.name.startswith(f"attachments/{item.agency_id}/{item.pk}/")
    assert (private_root / attachment.file.name).read_bytes() == data
    assert "政务公开工作要点" in attachment.text
    assert AuditEvent.objects.filter(verb="attachment.add", object_id=str(attachment.pk)).exists()


@pytest.mark.django_db
def test_attachment_add_refuses_bad_files_and_other_people(make_item, item_in, people):
    item = make_item()
    with pytest.raises(ValidationError) as raised:
        services.attachment_add(actor=people.editor, item=item, name="a.pdf", data=b"not a pdf")
    assert raised.value.code == "attachment"
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=people.outsider, item=item, name="a.docx", data=make_docx("x")
        )
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=people.editor,
            item=item_in(ItemStatus.PENDING, title="待审核"),
            name="a.docx",
            data=make_docx("x"),
        )
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_attachment_remove_deletes_the_file_after_commit(
    make_item, people, private_root, django_capture_on_commit_callbacks
):
    item = make_item()
    attachment = services.attachment_add(
        actor=people.editor, item=item, name="a.docx", data=make_docx("x")
    )
    path = private_root / attachment.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=people.editor, attachment=attachment)
    assert not path.exists()
    assert not Attachment.objects.exists()


# --- publications on other channels --------------------------------------------------------------


@pytest.mark.django_db
def test_publication_record_counts_once_per_channel(item_in, town, people):
    weibo = services.channel_create(
        actor=people.officer, agency=town, kind=ChannelKind.WEIBO, name="六横发布"
    )
    item = item_in(ItemStatus.PUBLISHED)
    first = services.publication_record(
        actor=people.editor, item=item, channel=weibo, published_on=date(2026, 3, 5)
    )
    again = services.publication_record(
        actor=people.editor, item=item, channel=weibo, published_on=date(2026, 3, 6)
    )
    assert first == again and again.published_on == date(2026, 3, 5)
    assert first.source == Publication.Source.MANUAL
    assert AuditEvent.objects.filter(verb="publication.record").count() == 1
    assert item.publications.count() == 2  # the website and the Weibo account


@pytest.mark.django_db
def test_publication_record_needs_a_published_item_and_a_channel_of_its_agency(
    item_in, town, agency_tree, people
):
    weibo = services.channel_create(
        actor=None, agency=town, kind=ChannelKind.WEIBO, name="六横发布"
    )
    elsewhere = services.channel_create(
        actor=None, agency=agency_tree["other_town"], kind=ChannelKind.WEIBO, name="桃花发布"
    )
    for status in (ItemStatus.DRAFT, ItemStatus.APPROVED, ItemStatus.WITHDRAWN):
        with pytest.raises(ValidationError):
            services.publication_record(
                actor=people.editor,
                item=item_in(status, title=status),
                channel=weibo,
                published_on=date(2026, 3, 5),
            )
    published = item_in(ItemStatus.PUBLISHED, title="已发布")
    with pytest.raises(ValidationError):
        services.publication_record(
            actor=None, item=published, channel=elsewhere, published_on=date(2026, 3, 5)
        )
    with pytest.raises(PermissionDenied):
        services.publication_record(
            actor=people.outsider, item=published, channel=weibo, published_on=date(2026, 3, 5)
        )
    assert not Publication.objects.filter(channel__kind=ChannelKind.WEIBO).exists()


@pytest.mark.django_db
def test_catalogue_settings_need_a_manager(town, people):
    with pytest.raises(PermissionDenied):
        services.catalogue_settings_update(
            actor=people.editor, agency=town, index_pattern="LH-{YYYY}-{NNN}"
        )
    config = services.catalogue_settings_update(
        actor=people.officer, agency=town, index_pattern="LH-{YYYY}-{NNN}"
    )
    assert config.index_pattern == "LH-{YYYY}-{NNN}"
    services.catalogue_settings_update(
        actor=people.officer, agency=town, index_pattern="LH-{YYYY}-{NNN}"
    )
    assert AuditEvent.objects.filter(verb="catalogue.settings_update").count() == 1
