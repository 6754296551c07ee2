"""Writes of an item's attachments: add, remove, mask inside the file, the original's download,
scans read by OCR."""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue.services.common import _content_changed, _locked
from gongkai.core import ocr, tasks
from gongkai.core.audit import audit_record
from gongkai.core.models import User
from gongkai.core.permissions import require
from gongkai.core.transactions import file_written
from gongkai.core.validators import strip_invisible
from gongkai.search import indexing as search_indexing

from .. import files, permissions, shield
from ..models import (
    Attachment,
    Item,
    ItemStatus,
    OcrStatus,
)


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
