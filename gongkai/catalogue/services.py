"""Writes of the catalogue. Keyword-only, permission-checked, audited in the same transaction."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai import privacy
from gongkai.core import ocr, tasks
from gongkai.core.audit import audit_record, changed_fields, snapshot
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.core.transactions import file_written
from gongkai.core.validators import strip_invisible
from gongkai.search import indexing as search_indexing

from . import docx_import, files, indexing, permissions, richtext, shield
from .models import (
    Attachment,
    CatalogueSettings,
    Channel,
    Column,
    DraftAttachment,
    Item,
    ItemReview,
    ItemStatus,
    OcrStatus,
    Publication,
)
from .taxonomy import ChannelKind, DisclosureMode, Genre, PrivacyOverrideReason, Validity
from .workflow import MACHINE, Action

ITEM_FIELDS = frozenset(
    {
        "column",
        "title",
        "summary",
        "body",
        "document_number",
        "publisher",
        "formed_on",
        "topic",
        "genre",
        "validity",
        "valid_from",
        "invalid_on",
        "disclosure_mode",
        "non_disclosure_ground",
        "scope",
        "on_website",
        "scheduled_at",
    }
)
AUDITED_ITEM_FIELDS = sorted(ITEM_FIELDS | {"status", "index_number", "published_at"})
TEXT_FIELDS = ("title", "summary", "body")


def _item_snapshot(item: Item) -> dict:
    """The audited fields, with personal data masked: the trail must not keep what the privacy
    shield removed from the item."""
    values = snapshot(item, AUDITED_ITEM_FIELDS)
    for field in TEXT_FIELDS:
        values[field] = privacy.mask(values[field] or "")
    return values


class WorkflowError(ValidationError):
    """A move the transitions table does not allow from the item's current status."""


class PrivacyBlocked(ValidationError):
    def __init__(self, findings: list[shield.ItemFinding]):
        self.findings = findings
        super().__init__(
            _(
                "This item still contains personal information (%(n)d findings). Mask it, or a "
                "reviewer must record why it may be published."
            )
            % {"n": len(findings)},
            code="privacy",
        )


# --- columns, settings, channels ---------------------------------------------------------


@transaction.atomic
def column_create(
    *,
    actor: User | None,
    agency: Agency,
    name: str,
    column_type: str,
    parent: Column | None = None,
    position: int = 0,
) -> Column:
    if actor is not None:
        require(permissions.can_manage_columns(actor, agency))
    if parent is not None and parent.agency_id != agency.pk:
        raise ValidationError(_("The parent column belongs to another agency."))
    column = Column(
        agency=agency, parent=parent, name=name, column_type=column_type, position=position
    )
    column.full_clean()
    column.save()
    audit_record(
        actor=actor, verb="column.create", obj=column, agency=agency, after=snapshot(column)
    )
    return column


@transaction.atomic
def column_update(*, actor: User | None, column: Column, data: dict) -> Column:
    if actor is not None:
        require(permissions.can_manage_columns(actor, column.agency))
    unknown = set(data) - {"name", "column_type", "position", "is_active", "parent"}
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before = snapshot(column)
    for field, value in data.items():
        setattr(column, field, value)
    if column.parent is not None and column.parent.agency_id != column.agency_id:
        raise ValidationError(_("The parent column belongs to another agency."))
    column.full_clean()
    column.save()
    old, new = changed_fields(before, snapshot(column))
    if new:
        audit_record(
            actor=actor,
            verb="column.update",
            obj=column,
            agency=column.agency,
            before=old,
            after=new,
        )
    return column


@transaction.atomic
def catalogue_settings_update(
    *, actor: User | None, agency: Agency, index_pattern: str
) -> CatalogueSettings:
    if actor is not None:
        require(permissions.can_manage_columns(actor, agency))
    indexing.validate_pattern(index_pattern)
    config, _created = CatalogueSettings.objects.get_or_create(agency=agency)
    before = config.index_pattern
    config.index_pattern = index_pattern
    config.save()
    if before != index_pattern or _created:
        audit_record(
            actor=actor,
            verb="catalogue.settings_update",
            obj=config,
            agency=agency,
            before={"index_pattern": before},
            after={"index_pattern": index_pattern},
        )
    return config


@transaction.atomic
def channel_create(
    *, actor: User | None, agency: Agency, kind: str, name: str, account: str = "", url: str = ""
) -> Channel:
    if actor is not None:
        require(permissions.can_manage_channels(actor, agency))
    channel = Channel(agency=agency, kind=kind, name=name, account=account, url=url)
    channel.full_clean()
    channel.save()
    audit_record(
        actor=actor, verb="channel.create", obj=channel, agency=agency, after=snapshot(channel)
    )
    return channel


def website_channel(agency: Agency) -> Channel:
    """The agency's own website channel, created the first time it is needed."""
    channel = Channel.objects.filter(agency=agency, kind=ChannelKind.WEBSITE).first()
    if channel is None:
        channel = channel_create(
            actor=None, agency=agency, kind=ChannelKind.WEBSITE, name=agency.name
        )
    return channel


# --- items -------------------------------------------------------------------------------


def _clean_item(item: Item) -> None:
    item.body = richtext.sanitize(item.body)
    if not item.publisher:
        item.publisher = item.agency.name
    errors: dict[str, list[str]] = {}
    if item.column_id and item.column.agency_id != item.agency_id:
        errors.setdefault("column", []).append(_("The column belongs to another agency."))
    if item.disclosure_mode == DisclosureMode.NOT_PUBLIC and not item.non_disclosure_ground:
        errors.setdefault("non_disclosure_ground", []).append(
            _("Give the legal ground when an item is not to be disclosed.")
        )
    if item.disclosure_mode != DisclosureMode.NOT_PUBLIC:
        item.non_disclosure_ground = ""
    if item.validity in (Validity.EXPIRED, Validity.REPEALED) and not item.invalid_on:
        errors.setdefault("invalid_on", []).append(
            _("Give the date the document expired or was repealed.")
        )
    if item.genre == Genre.RULE and item.agency.level in ("township", "subdistrict"):
        # 立法法 第九十三条: 规章 are made by ministries and governments of provinces and
        # districted cities; a town or 街道 cannot issue one.
        errors.setdefault("genre", []).append(_("A township or subdistrict cannot issue 规章."))
    if errors:
        raise ValidationError(errors)
    item.full_clean(exclude=["created_by"])


def _content_changed(item: Item, actor: User | None) -> None:
    """Count `actor` among those who wrote the item's content since its last approval: none of
    them may review it (four eyes, permissions.is_content_author)."""
    if actor is not None:
        item.content_authors.add(actor)


def item_validate(
    *, agency: Agency, column: Column, title: str, formed_on: date, genre: str, **fields
) -> None:
    """Check an item exactly as `item_create` would, without saving it (imports check every
    row before writing any). Raises ValidationError."""
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    _clean_item(
        Item(agency=agency, column=column, title=title, formed_on=formed_on, genre=genre, **fields)
    )


@transaction.atomic
def item_create(
    *,
    actor: User,
    agency: Agency,
    column: Column,
    title: str,
    formed_on: date,
    genre: str,
    drafts: str = "",
    **fields,
) -> Item:
    """A new draft item. `drafts`: the form's token; the files uploaded under it before this
    first save (draft_attachment_add, item_docx_import) become the item's attachments."""
    require(permissions.can_create_item(actor, agency))
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    item = Item(
        agency=agency,
        column=column,
        title=title,
        formed_on=formed_on,
        genre=genre,
        created_by=actor,
        **fields,
    )
    _clean_item(item)
    item.save()
    _content_changed(item, actor)
    audit_record(
        actor=actor,
        verb="item.create",
        obj=item,
        agency=agency,
        after=_item_snapshot(item),
    )
    if drafts:
        _adopt_drafts(actor=actor, item=item, token=drafts)
    return item


@transaction.atomic
def item_update(*, actor: User, item: Item, data: dict, drafts: str = "") -> Item:
    """Change a draft's fields; `drafts` as for item_create (files uploaded on the form)."""
    item = _locked(item)
    require(permissions.can_edit_item(actor, item))
    unknown = set(data) - ITEM_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before = _item_snapshot(item)
    for field, value in data.items():
        setattr(item, field, value)
    _clean_item(item)
    item.save()
    old, new = changed_fields(before, _item_snapshot(item))
    if new:
        _content_changed(item, actor)
        audit_record(
            actor=actor, verb="item.update", obj=item, agency=item.agency, before=old, after=new
        )
    if drafts and _adopt_drafts(actor=actor, item=item, token=drafts):
        _content_changed(item, actor)
    return item


@transaction.atomic
def item_mask_findings(*, actor: User, item: Item) -> Item:
    """Mask every finding in title, summary and body in one action (去标识化)."""
    item = _locked(item)
    require(permissions.can_edit_item(actor, item))
    before = {"title": item.title, "summary": item.summary, "body": item.body}
    # one masker for all three: a name found in context anywhere in the item is masked
    # wherever it is written, as are the names the agency knows
    masker = shield.item_masker(item)
    item.title = masker(item.title)
    item.summary = masker(item.summary)
    item.body = richtext.mask_html(item.body, masker=masker)
    after = {"title": item.title, "summary": item.summary, "body": item.body}
    if after != before:
        item.save()
        _content_changed(item, actor)
        masked = [k for k in after if after[k] != before[k]]
        # The audit keeps which fields were masked, not the personal data itself.
        audit_record(
            actor=actor, verb="item.mask", obj=item, agency=item.agency, after={"masked": masked}
        )
    return item


@transaction.atomic
def attachment_add(*, actor: User, item: Item, name: str, data: bytes) -> Attachment:
    item = _locked(item)
    require(permissions.can_edit_item(actor, item))
    attachment = _attach(actor=actor, item=item, name=name, data=data, uploaded_by=actor)
    _content_changed(item, actor)
    return attachment


def _attach(
    *, actor: User | None, item: Item, name: str, data: bytes, uploaded_by: User
) -> Attachment:
    name = strip_invisible(name)  # before the type check: "x\u202egpj.exe" is an .exe
    try:
        # checked within the safe reader's limits before anything is stored
        inspected = files.inspect_upload(
            name, data, max_bytes=settings.GONGKAI_ATTACHMENT_MAX_BYTES
        )
        # Publishing removes the metadata; a file that can't be cleaned would make it fail then.
        files.strip_metadata(inspected.file_type, data, name=name)
    except files.AttachmentError as exc:
        raise ValidationError(str(exc), code="attachment") from None
    except Exception:  # noqa: BLE001 — pypdf, zipfile and Pillow each raise their own errors
        raise ValidationError(
            _("“%(name)s” is damaged or cannot be read; save it again and upload the new copy.")
            % {"name": name},
            code="attachment",
        ) from None
    file_type = inspected.file_type
    # A scan is read by OCR in the background, never in this request; until then it blocks
    # the item (shield.unread_scans).
    scan = ocr.needs_ocr(file_type.kind, data)
    attachment = Attachment(
        item=item,
        original_name=name[:200],
        kind=file_type.kind,
        content_type=file_type.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=inspected.text,
        ocr_status=OcrStatus.PENDING if scan else OcrStatus.NOT_NEEDED,
        uploaded_by=uploaded_by,
    )
    attachment.file.save(name, ContentFile(data), save=False)
    file_written(attachment.file)
    attachment.save()
    audit_record(
        actor=actor,
        verb="attachment.add",
        obj=attachment,
        agency=item.agency,
        after={
            "item": item.pk,
            "name": name,
            "size": len(data),
            "kind": file_type.kind,
            **({"ocr": OcrStatus.PENDING} if scan else {}),
        },
    )
    if scan:
        tasks.task_enqueue(name=OCR_TASK, payload={"attachment": attachment.pk})
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    require(permissions.can_edit_item(actor, attachment.item))
    _content_changed(attachment.item, actor)
    audit_record(
        actor=actor,
        verb="attachment.remove",
        obj=attachment,
        agency=attachment.item.agency,
        before={"item": attachment.item_id, "name": attachment.original_name},
    )
    stored = [attachment.file.name, attachment.original_file.name]
    storage = attachment.file.storage
    attachment.delete()
    for name in filter(None, stored):  # the masked copy's original goes with it
        transaction.on_commit(partial(storage.delete, name))


# --- masking inside an attachment ----------------------------------------------------------


def _replace_file(attachment: Attachment, data: bytes) -> str:
    """Store `data` as the attachment's file, with its size and sha256 (the stored name carries
    the content hash, see attachment_path: they are set before saving). Saves the file, not the
    row. The previous file's name is returned: the caller keeps it or deletes it."""
    previous = attachment.file.name
    if not previous:  # the callers have read the stored file: it has a name
        raise ValueError(f"attachment {attachment.pk} has no stored file to replace")
    attachment.size = len(data)
    attachment.sha256 = hashlib.sha256(data).hexdigest()
    attachment.file.save(attachment.original_name, ContentFile(data), save=False)
    file_written(attachment.file)
    return previous


def _masked_copy(attachment: Attachment, item: Item):
    """The attachment's file with the item's findings masked inside it (a MaskedFile), or a
    ValidationError saying why it cannot be."""
    from gongkai.privacy import documents

    if not shield.attachment_maskable(attachment):
        if attachment.kind in ("pdf", "png", "jpeg", "tiff"):
            message = _(
                "“%(name)s” is a scan: its text was read by OCR and is not in the file, so it "
                "cannot be masked here. Correct it and upload it again, or remove it."
            )
        else:
            message = _(
                "“%(name)s” cannot be masked here: only Word (.docx), Excel (.xlsx) and PDF files "
                "with a text layer can. Correct it and upload it again, or remove it."
            )
        raise ValidationError(message % {"name": attachment.original_name}, code="not_maskable")
    with attachment.file.open("rb") as handle:
        data = handle.read()
    try:
        masked = documents.mask_file(
            data, attachment.kind, finder=shield.item_finder(item), name=attachment.original_name
        )
    except (documents.MaskingError, files.AttachmentError) as exc:
        # Chinese messages for the editor: a PDF without a text layer, a damaged file
        raise ValidationError(str(exc), code="not_maskable") from None
    if not masked.counts or masked.data == data:
        raise ValidationError(
            _("No personal data was found to mask inside “%(name)s”.")
            % {"name": attachment.original_name},
            code="nothing_to_mask",
        )
    return masked


def attachment_mask_preview(*, actor: User, attachment: Attachment):
    """The masked copy `attachment_mask` would store (a MaskedFile), for the editor to check
    before confirming. Writes nothing."""
    item = attachment.item
    require(permissions.can_edit_item(actor, item))
    return _masked_copy(attachment, item)


@transaction.atomic
def attachment_mask(*, actor: User, attachment: Attachment) -> Attachment:
    """Replace the attachment's file with a copy whose personal data is masked inside the file
    (DOCX, XLSX, a PDF's text layer). The file as uploaded is kept, private, in `original_file`
    until the item is published (masking again keeps that first one)."""
    item = _locked(attachment.item)
    require(permissions.can_edit_item(actor, item))
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk, item=item)
    attachment.item = item
    masked = _masked_copy(attachment, item)
    storage = attachment.file.storage
    replaced = _replace_file(attachment, masked.data)
    if attachment.original_file:
        # a masked copy replacing an earlier masked copy: the true original stays
        transaction.on_commit(lambda: storage.delete(replaced))
    else:
        attachment.original_file.name = replaced  # the uploaded file stays where it is
    file_type = next(t for t in files.ACCEPTED if t.kind == attachment.kind)
    attachment.text = files.extract_text(file_type, masked.data, name=attachment.original_name)
    attachment.masked_at = timezone.now()
    attachment.metadata_stripped = False  # a new file: publication strips it again
    attachment.save()
    _content_changed(item, actor)
    # On the item, so that its history shows it; how many of each type, never the data.
    audit_record(
        actor=actor,
        verb="attachment.mask",
        obj=item,
        agency=item.agency,
        after={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "counts": dict(sorted(masked.counts.items())),
            "sha256": attachment.sha256,
        },
    )
    return attachment


@transaction.atomic
def attachment_original_download(*, actor: User, attachment: Attachment) -> None:
    """An author took a copy of a masked attachment's private original, which holds the
    personal data that was masked: recorded on the item (who, when, which attachment), like
    a download of an application's files."""
    item = attachment.item
    require(permissions.can_read_original(actor, item))
    audit_record(
        actor=actor,
        verb="attachment.download",
        obj=item,
        agency=item.agency,
        after={"attachment": attachment.pk, "name": attachment.original_name, "original": True},
    )


def _drop_original(attachment: Attachment) -> None:
    """Publication removes the uploaded original of a masked attachment (on commit)."""
    name = attachment.original_file.name
    storage = attachment.original_file.storage
    attachment.original_file = ""
    attachment.save(update_fields=["original_file"])
    if name:  # the callers pass attachments that kept their original
        transaction.on_commit(partial(storage.delete, name))


# --- the workflow ------------------------------------------------------------------------


def _locked(item: Item) -> Item:
    # of=("self",): lock the item's row only. A plain FOR UPDATE would lock the joined agency
    # row as well and so serialise every item transition of the agency (and its edits).
    return Item.objects.select_for_update(of=("self",)).select_related("agency").get(pk=item.pk)


def _move(*, actor: User | None, item: Item, action: Action, extra: dict | None = None) -> None:
    """Apply the machine to a locked item and record the event (the service checked the
    permission where its refusals come in order)."""
    MACHINE.apply(item, action, actor=actor, after=extra, check_permission=False)


@transaction.atomic
def item_submit(*, actor: User, item: Item, request_override: bool = False) -> Item:
    """Send a draft for review. Personal data still in it blocks the submission, unless the
    author asks for it to be published as it is (惩戒公示, 强制性信息披露): then the reviewer must
    record the reason when approving."""
    item = _locked(item)
    MACHINE.check(item, Action.SUBMIT)  # the status first
    MACHINE.require(actor, item, Action.SUBMIT)
    _require_scans_read(item)
    findings = shield.item_findings(item)
    if findings and not request_override:
        raise PrivacyBlocked(findings)
    extra = (
        {"override_requested": True, "findings": [f.finding.type for f in findings]}
        if findings
        else None
    )
    _move(actor=actor, item=item, action=Action.SUBMIT, extra=extra)
    item.submitted_by = actor
    item.save(update_fields=["submitted_by"])
    return item


@dataclass(frozen=True)
class ReviewChecks:
    secrecy: bool
    privacy: bool
    wording: bool


@transaction.atomic
def item_reject(
    *, actor: User, item: Item, comment: str, checks: ReviewChecks | None = None
) -> Item:
    item = _locked(item)
    MACHINE.check(item, Action.REJECT)  # the status first
    _require_reviewer(actor, item)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must change when returning an item.")})
    checks = checks or ReviewChecks(False, False, False)
    _move(actor=actor, item=item, action=Action.REJECT, extra={"comment": comment})
    ItemReview.objects.create(
        item=item,
        reviewer=actor,
        decision=ItemReview.Decision.REJECT,
        check_secrecy=checks.secrecy,
        check_privacy=checks.privacy,
        check_wording=checks.wording,
        comment=comment,
    )
    item.privacy_override = ""
    item.privacy_override_note = ""
    item.save(update_fields=["privacy_override", "privacy_override_note"])
    return item


def _require_reviewer(actor: User, item: Item) -> None:
    if permissions.is_own_submission(actor, item):
        raise PermissionDenied(_("Four eyes: you cannot review an item you submitted yourself."))
    if permissions.is_content_author(actor, item):
        raise PermissionDenied(
            _(
                "Four eyes: you changed this item's content since it was last approved, so "
                "another reviewer must review it."
            )
        )
    require(permissions.can_review_item(actor, item))


@transaction.atomic
def item_approve(
    *,
    actor: User,
    item: Item,
    checks: ReviewChecks,
    comment: str = "",
    privacy_override: str = "",
    privacy_override_note: str = "",
    publish_now: bool = False,
    scheduled_at: datetime | None = None,
    wording_acknowledged: bool | None = None,
) -> Item:
    """Approve after the review checks; assigns the 索引号. Optionally publishes at once.

    Wording findings (gongkai.wording) are warnings, not a block: a reviewer approving through
    the page or the API (`wording_acknowledged` True or False) must acknowledge them; a system
    path (None: a 办事指南, an annual report) only records them."""
    item = _locked(item)
    MACHINE.check(item, Action.APPROVE)  # the status first
    _require_reviewer(actor, item)
    missing = [
        label
        for done, label in (
            (checks.secrecy, _("secrecy review")),
            (checks.privacy, _("personal privacy")),
            (checks.wording, _("accuracy of wording")),
        )
        if not done
    ]
    if missing:
        raise ValidationError(
            _("Confirm every review check before approving: %s.") % "、".join(missing),
            code="checks",
        )
    _require_scans_read(item)
    findings = shield.item_findings(item)
    if findings:
        if not privacy_override:
            raise PrivacyBlocked(findings)
        if privacy_override not in PrivacyOverrideReason.values:
            raise ValidationError({"privacy_override": _("Choose a reason for the override.")})
        if privacy_override == PrivacyOverrideReason.OTHER and not privacy_override_note.strip():
            raise ValidationError(
                {"privacy_override_note": _("Explain the reason for the override.")}
            )
        item.privacy_override = privacy_override
        item.privacy_override_note = privacy_override_note
    wording = _wording_findings(item)
    if wording and wording_acknowledged is False:
        raise ValidationError(
            {
                "acknowledge_wording": _(
                    "Miswritten terms were found (see above): correct them, or confirm that "
                    "each is intended."
                )
            },
            code="wording",
        )
    _assign_index_number(item)
    item.approved_by = actor
    item.scheduled_at = scheduled_at
    extra: dict[str, Any] = {"index_number": item.index_number}
    if findings:
        extra["privacy_override"] = privacy_override
        extra["privacy_override_note"] = privacy_override_note
        extra["findings"] = [f.finding.type for f in findings]
    if wording:
        extra["wording"] = [f.as_dict() for f in wording]
        extra["wording_acknowledged"] = bool(wording_acknowledged)
    _move(actor=actor, item=item, action=Action.APPROVE, extra=extra)
    # The approved version is the reference from now on: who changes it next is the new author.
    item.content_authors.clear()
    ItemReview.objects.create(
        item=item,
        reviewer=actor,
        decision=ItemReview.Decision.APPROVE,
        check_secrecy=checks.secrecy,
        check_privacy=checks.privacy,
        check_wording=checks.wording,
        comment=comment,
    )
    if publish_now:
        _publish(actor=actor, item=item)
    return item


def _wording_findings(item: Item) -> list:
    """The item's miswritten terms (gongkai.wording): shown beside the privacy findings."""
    from gongkai.wording.items import item_findings

    return item_findings(item)


def _assign_index_number(item: Item) -> None:
    """The 索引号, taken on approval (kept if the item already has one)."""
    if item.index_number:
        return
    today = timezone.localdate()
    serial = indexing.take_serial(item.agency, today.year)
    item.index_year, item.index_serial = today.year, serial
    item.index_number = indexing.format_index_number(
        indexing.agency_index_pattern(item.agency),
        uscc=item.agency.uscc,
        year=today.year,
        serial=serial,
    )


def _publish(*, actor: User | None, item: Item, published_at: datetime | None = None) -> None:
    _require_scans_read(item)
    item.published_at = published_at or timezone.now()
    extra: dict[str, Any] = {"published_at": item.published_at} if published_at else {}
    # The originals of masked attachments were kept for the editors until now.
    originals = list(item.attachments.exclude(original_file=""))
    if originals:
        extra["originals_removed"] = [a.pk for a in originals]
    _move(actor=actor, item=item, action=Action.PUBLISH, extra=extra or None)
    for attachment in originals:
        _drop_original(attachment)
    if item.on_website:
        Publication.objects.get_or_create(
            item=item,
            channel=website_channel(item.agency),
            defaults={
                "published_on": timezone.localdate(item.published_at),
                "source": Publication.Source.AUTOMATIC,
            },
        )
    for attachment in item.attachments.filter(metadata_stripped=False):
        _strip_attachment(attachment)
    # Search index (gongkai.search): same transaction, so a rollback of the publication
    # removes the document too; every publication path (now, scheduled, on approval) ends here.
    search_indexing.index_item(item)


def _strip_attachment(attachment: Attachment) -> None:
    file_type = next((t for t in files.ACCEPTED if t.kind == attachment.kind), None)
    with attachment.file.open("rb") as handle:
        data = handle.read()
    cleaned = files.strip_metadata(file_type, data) if file_type else data
    if cleaned != data:
        storage = attachment.file.storage
        old_name = _replace_file(attachment, cleaned)
        transaction.on_commit(lambda: storage.delete(old_name))
    attachment.metadata_stripped = True
    attachment.save()


@transaction.atomic
def item_publish(*, actor: User | None, item: Item, published_at: datetime | None = None) -> Item:
    """Publish an approved item now.

    `published_at` is for the system only (actor=None): the demo loader and imports of records
    published before the agency used gongkai give the real past date. Staff always publish now.
    """
    item = _locked(item)
    MACHINE.check(item, Action.PUBLISH)  # the status first
    if actor is not None:
        MACHINE.require(actor, item, Action.PUBLISH)
    if published_at is not None:
        if actor is not None:
            raise PermissionDenied(_("Only the system can record a past publication date."))
        if published_at > timezone.now():
            raise ValidationError(_("A past publication date cannot lie in the future."))
        if timezone.localdate(published_at) < item.formed_on:
            raise ValidationError(_("An item cannot be published before it was formed."))
    _publish(actor=actor, item=item, published_at=published_at)
    return item


def items_publish_due(*, now: datetime | None = None) -> list[Item]:
    """Publish approved items whose scheduled time has come. Idempotent; run it periodically."""
    now = now or timezone.now()
    published = []
    for pk in Item.objects.filter(status=ItemStatus.APPROVED, scheduled_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            item = _locked(Item(pk=pk))
            if (
                item.status == ItemStatus.APPROVED
                and item.scheduled_at
                and item.scheduled_at <= now
                and not shield.unread_scans(item)  # waits for its scans, like any blocked item
            ):
                _publish(actor=None, item=item)
                published.append(item)
    return published


@transaction.atomic
def item_withdraw(*, actor: User | None, item: Item, reason: str) -> Item:
    """Withdraw an item. actor=None is the system (an item another workflow published on its
    own four-eyes review, replaced by that workflow: gongkai/reports/publishing.py)."""
    item = _locked(item)
    MACHINE.check(item, Action.WITHDRAW)  # the status first
    if actor is not None:
        MACHINE.require(actor, item, Action.WITHDRAW)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing the item.")})
    item.withdrawn_reason = reason
    _move(actor=actor, item=item, action=Action.WITHDRAW, extra={"reason": reason})
    # Search index (gongkai.search): gone from search in the same transaction.
    search_indexing.remove_item(item.pk)
    return item


@transaction.atomic
def item_publish_on_behalf(
    *,
    agency: Agency,
    column: Column,
    title: str,
    formed_on: date,
    genre: str,
    author: User,
    approver: User,
    basis: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    **fields,
) -> Item:
    """Create, approve and publish an item as the system, for a workflow of another app that
    has already applied its own four-eyes review to the content (the annual report: its
    submitter wrote it, a second person signed it off). The people are recorded as the item's
    author and approver; the audit events carry no actor and name the `basis`. Personal data
    in the item still blocks it (PrivacyBlocked): nobody reviewed an override."""
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    if author.pk == approver.pk:
        raise PermissionDenied(_("Four eyes: you cannot review an item you submitted yourself."))
    item = Item(
        agency=agency,
        column=column,
        title=title,
        formed_on=formed_on,
        genre=genre,
        created_by=author,
        **fields,
    )
    _clean_item(item)
    item.save()
    audit_record(
        actor=None,
        verb="item.create",
        obj=item,
        agency=agency,
        after={**_item_snapshot(item), "basis": basis, "author": author.pk},
    )
    for name, data in attachments:
        _attach(actor=None, item=item, name=name, data=data, uploaded_by=author)
    findings = shield.item_findings(item)
    if findings:
        raise PrivacyBlocked(findings)
    _move(actor=None, item=item, action=Action.SUBMIT, extra={"basis": basis})
    item.submitted_by = author
    _assign_index_number(item)
    item.approved_by = approver
    _move(
        actor=None,
        item=item,
        action=Action.APPROVE,
        extra={"index_number": item.index_number, "basis": basis, "approver": approver.pk},
    )
    _publish(actor=None, item=item)
    return item


# --- publications on other channels ----------------------------------------------------


@transaction.atomic
def publication_record(
    *,
    actor: User | None,
    item: Item,
    channel: Channel,
    published_on: date,
    url: str = "",
    source: str = Publication.Source.MANUAL,
) -> Publication:
    if actor is not None:
        require(permissions.can_record_publication(actor, item.agency))
    if channel.agency_id != item.agency_id:
        raise ValidationError(_("The channel belongs to another agency."))
    if item.status != ItemStatus.PUBLISHED:
        raise ValidationError(_("Only a published item can be recorded on other channels."))
    publication, created = Publication.objects.get_or_create(
        item=item,
        channel=channel,
        defaults={"published_on": published_on, "url": url, "source": source},
    )
    if created:
        audit_record(
            actor=actor,
            verb="publication.record",
            obj=publication,
            agency=item.agency,
            after={
                "item": item.pk,
                "channel": channel.pk,
                "published_on": published_on,
                "url": url,
            },
        )
    return publication


# --- scans read by OCR ---------------------------------------------------------------------

OCR_TASK = "catalogue.ocr_attachment"


class ScanBlocked(ValidationError):
    """A scan of the item is still being read by OCR, or was read too unreliably: nobody knows
    yet whether it holds personal data."""

    def __init__(self, reasons: list[str]):
        super().__init__(reasons, code="scan")


def _require_scans_read(item: Item) -> None:
    unread = shield.unread_scans(item)
    if unread:
        raise ScanBlocked([reason for _attachment, reason in unread])


def attachment_ocr_apply(*, attachment_id: int, progress=None) -> Attachment | None:
    """Read a scan waiting for OCR and store its text, confidence and word boxes (the task
    catalogue.ocr_attachment; the system is the actor). Idempotent: an attachment no longer
    waiting (read already, removed, replaced) is left as it is, so a task interrupted and run
    again does no harm. OCR runs outside any transaction: it takes seconds a page."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or attachment.ocr_status != OcrStatus.PENDING:
        return attachment
    sha256 = attachment.sha256
    with attachment.file.open("rb") as handle:
        data = handle.read()
    result, error = None, ""
    try:
        result = ocr.recognise(
            data, attachment.kind, name=attachment.original_name, progress=progress
        )
    except (ocr.OcrError, files.AttachmentError) as exc:
        error = str(exc)
    with transaction.atomic():
        item = _locked(attachment.item)
        attachment = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
        if (
            attachment is None
            or attachment.ocr_status != OcrStatus.PENDING
            or attachment.sha256 != sha256
        ):
            return attachment
        attachment.item = item
        if result is None:
            attachment.ocr_status = OcrStatus.FAILED
            after: dict[str, Any] = {"ocr": OcrStatus.FAILED, "error": error}
        else:
            attachment.ocr_status = OcrStatus.DONE if result.reliable else OcrStatus.LOW_CONFIDENCE
            attachment.ocr_confidence = result.confidence
            attachment.ocr_layout = result.pages
            # The pages in order: a scanned page as OCR read it (the layout's word offsets count
            # in this text), a PDF page with a text layer as extracted: the shield scans both.
            attachment.text = result.text
            after = {
                "ocr": attachment.ocr_status,
                "confidence": result.confidence,
                "pages": len(result.pages),
                "characters": len(result.text),
            }
        attachment.save()
        # what OCR found is not recorded here: the text may hold personal data
        audit_record(
            actor=None, verb="attachment.ocr", obj=attachment, agency=item.agency, after=after
        )
        if item.status == ItemStatus.PUBLISHED:
            item.save(update_fields=["updated_at"])  # its public page changes (文字版)
            search_indexing.index_item(item)
    return attachment


@transaction.atomic
def attachment_ocr_checked(*, actor: User, attachment: Attachment) -> Attachment:
    """A reviewer read a scan OCR could not read reliably, by eye, and found no personal data
    in it: the scan no longer blocks the item. What OCR did read still goes through the shield."""
    item = _locked(attachment.item)
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk, item=item)
    attachment.item = item
    require(permissions.can_check_scan(actor, attachment))
    before = attachment.ocr_status
    attachment.ocr_status = OcrStatus.DONE
    attachment.save(update_fields=["ocr_status"])
    audit_record(
        actor=actor,
        verb="attachment.ocr_checked",
        obj=attachment,
        agency=item.agency,
        before={"ocr": before},
        after={"ocr": OcrStatus.DONE, "checked_by_eye": True},
    )
    return attachment


# --- the item editor: files before the first save, a .docx as the body, bulk actions -----

# Unadopted drafts (a form left without saving) are removed after this long, by the daily
# task (core/scheduler.py) or `gongkai catalogue expire-drafts`.
DRAFT_MAX_AGE = timedelta(days=1)
DRAFT_EXPIRE_TASK = "catalogue.expire_drafts"
# the form's token (secrets.token_urlsafe(24) is 32 characters)
DRAFT_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _check_draft_token(token: str) -> None:
    if not DRAFT_TOKEN.match(token or ""):
        raise ValidationError(_("The form has expired; open it again."), code="draft_token")


def _upload_refused(exc: Exception, name: str) -> ValidationError:
    if isinstance(exc, files.AttachmentError):
        return ValidationError(str(exc), code="attachment")
    return ValidationError(
        _("“%(name)s” is damaged or cannot be read; save it again and upload the new copy.")
        % {"name": name},
        code="attachment",
    )


@transaction.atomic
def draft_attachment_add(
    *, actor: User, agency: Agency, token: str, name: str, data: bytes
) -> DraftAttachment:
    """Keep a file uploaded on an item's form before the item exists (or before it is saved),
    for the form's token, the user and the agency. It is checked now as an attachment is (the
    same safe reader and limits); saving the form adopts it (_adopt_drafts)."""
    require(permissions.can_create_item(actor, agency))
    _check_draft_token(token)
    name = strip_invisible(name)
    try:
        inspected = files.inspect_upload(
            name, data, max_bytes=settings.GONGKAI_ATTACHMENT_MAX_BYTES
        )
    except Exception as exc:  # noqa: BLE001 — the safe reader's refusal, or a parser's error
        raise _upload_refused(exc, name) from None
    draft = DraftAttachment(
        agency=agency,
        user=actor,
        token=token,
        original_name=name[:200],
        kind=inspected.file_type.kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    draft.file.save(name, ContentFile(data), save=False)
    file_written(draft.file)
    draft.save()
    audit_record(
        actor=actor,
        verb="attachment.draft_add",
        obj=draft,
        agency=agency,
        after={"name": name, "size": len(data), "kind": draft.kind},
    )
    return draft


def _delete_draft(draft: DraftAttachment) -> None:
    storage, stored = draft.file.storage, draft.file.name
    draft.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def draft_attachment_remove(*, actor: User, agency: Agency, token: str, draft_id: int) -> None:
    """Remove one of the user's own drafts of this form."""
    require(permissions.can_create_item(actor, agency))
    draft = (
        DraftAttachment.objects.select_for_update()
        .filter(agency=agency, user=actor, token=token, pk=draft_id)
        .first()
    )
    if draft is None:
        return
    audit_record(
        actor=actor,
        verb="attachment.draft_remove",
        obj=draft,
        agency=agency,
        before={"name": draft.original_name},
    )
    _delete_draft(draft)


def _adopt_drafts(*, actor: User, item: Item, token: str) -> list[Attachment]:
    """The drafts of the form become the item's attachments (inside the caller's
    transaction; each is checked again as any upload is)."""
    adopted = []
    drafts = DraftAttachment.objects.select_for_update().filter(
        agency=item.agency, user=actor, token=token
    )
    for draft in drafts:
        with draft.file.open("rb") as handle:
            data = handle.read()
        adopted.append(
            _attach(actor=actor, item=item, name=draft.original_name, data=data, uploaded_by=actor)
        )
        _delete_draft(draft)
    return adopted


def draft_attachments_expire(*, now: datetime | None = None) -> int:
    """Remove drafts older than DRAFT_MAX_AGE that no item adopted (a form left unsaved).
    Idempotent; run it daily (`gongkai catalogue expire-drafts`). The system is the actor."""
    cutoff = (now or timezone.now()) - DRAFT_MAX_AGE
    removed = 0
    for pk in DraftAttachment.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            draft = DraftAttachment.objects.select_for_update().filter(pk=pk).first()
            if draft is None:
                continue
            audit_record(
                actor=None,
                verb="attachment.draft_expire",
                obj=draft,
                agency=draft.agency,
                before={"name": draft.original_name},
            )
            _delete_draft(draft)
            removed += 1
    return removed


@dataclass(frozen=True)
class ImportedDocx:
    body: str
    drafts: tuple[DraftAttachment, ...]
    skipped: tuple[str, ...]


@transaction.atomic
def item_docx_import(
    *, actor: User, agency: Agency, token: str, name: str, data: bytes
) -> ImportedDocx:
    """A .docx as an item's body (sanitised HTML, for the form) and its pictures kept as
    drafts of the form, which the item adopts when it is saved. Nothing is stored when the
    file is refused (ValidationError with the safe reader's message)."""
    require(permissions.can_create_item(actor, agency))
    _check_draft_token(token)
    name = strip_invisible(name)
    if len(data) > settings.GONGKAI_ATTACHMENT_MAX_BYTES:
        raise _upload_refused(
            files.AttachmentError(
                _("“%(name)s” is %(size).1f MB; attachments may be at most %(limit).0f MB.")
                % {
                    "name": name,
                    "size": len(data) / 2**20,
                    "limit": settings.GONGKAI_ATTACHMENT_MAX_BYTES / 2**20,
                }
            ),
            name,
        )
    try:
        converted = docx_import.convert_docx(data, name=name)
    except Exception as exc:  # noqa: BLE001 — the safe reader's refusal, or a parser's error
        raise _upload_refused(exc, name) from None
    drafts = [
        draft_attachment_add(
            actor=actor, agency=agency, token=token, name=image.name, data=image.data
        )
        for image in converted.images
    ]
    audit_record(
        actor=actor,
        verb="item.docx_import",
        agency=agency,
        object_type="catalogue.item",
        object_repr=name,
        after={"name": name, "pictures": len(drafts), "skipped": converted.skipped},
    )
    return ImportedDocx(body=converted.body, drafts=tuple(drafts), skipped=tuple(converted.skipped))


@dataclass(frozen=True)
class BulkOutcome:
    item: Item
    ok: bool
    errors: tuple[str, ...] = ()


BULK_ACTIONS = ("submit", "withdraw")


def items_bulk(
    *, actor: User, items: list[Item], action: str, reason: str = ""
) -> list[BulkOutcome]:
    """Submit or withdraw several items, each through its own guarded service in its own
    transaction (each audited as if done on its page): one that fails is reported and the
    others go on."""
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Unknown action."))
    outcomes = []
    for item in items:
        try:
            if action == "submit":
                item_submit(actor=actor, item=item)
            else:
                item_withdraw(actor=actor, item=item, reason=reason)
        except (ValidationError, PermissionDenied) as exc:
            texts = (
                exc.messages
                if isinstance(exc, ValidationError)
                else [str(exc) or _("You do not have permission to do this.")]
            )
            outcomes.append(BulkOutcome(item, False, tuple(texts)))
        else:
            outcomes.append(BulkOutcome(item, True))
    return outcomes
