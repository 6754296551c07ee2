"""Writes of the catalogue. Keyword-only, permission-checked, audited in the same transaction.

By section: common (fields, errors, checks), columns (columns, settings, channels), items,
attachments (masking inside a file, OCR), review (the workflow, publication, other channels),
editor (drafts, a .docx as the body, bulk actions). Every public service is re-exported here:
callers write `from gongkai.catalogue import services; services.item_publish(...)`.
"""

# Django's error, which callers and tests catch as services.ValidationError
from django.core.exceptions import ValidationError as ValidationError

from .attachments import (
    OCR_TASK,
    ScanBlocked,
    attachment_add,
    attachment_mask,
    attachment_mask_preview,
    attachment_ocr_apply,
    attachment_ocr_checked,
    attachment_original_download,
    attachment_remove,
)
from .columns import (
    catalogue_settings_update,
    channel_create,
    column_create,
    column_update,
    website_channel,
)
from .common import (
    AUDITED_ITEM_FIELDS,
    ITEM_FIELDS,
    TEXT_FIELDS,
    PrivacyBlocked,
    WorkflowError,
)
from .editor import (
    BULK_ACTIONS,
    DRAFT_EXPIRE_TASK,
    DRAFT_MAX_AGE,
    DRAFT_TOKEN,
    BulkOutcome,
    ImportedDocx,
    draft_attachment_add,
    draft_attachment_remove,
    draft_attachments_expire,
    item_docx_import,
    items_bulk,
)
from .items import (
    item_create,
    item_mask_findings,
    item_update,
    item_validate,
)
from .review import (
    ReviewChecks,
    item_approve,
    item_publish,
    item_publish_on_behalf,
    item_reject,
    item_submit,
    item_withdraw,
    items_publish_due,
    publication_record,
)

__all__ = [
    "AUDITED_ITEM_FIELDS",
    "BULK_ACTIONS",
    "BulkOutcome",
    "DRAFT_EXPIRE_TASK",
    "DRAFT_MAX_AGE",
    "DRAFT_TOKEN",
    "ITEM_FIELDS",
    "ImportedDocx",
    "OCR_TASK",
    "PrivacyBlocked",
    "ReviewChecks",
    "ScanBlocked",
    "TEXT_FIELDS",
    "WorkflowError",
    "attachment_add",
    "attachment_mask",
    "attachment_mask_preview",
    "attachment_ocr_apply",
    "attachment_ocr_checked",
    "attachment_original_download",
    "attachment_remove",
    "catalogue_settings_update",
    "channel_create",
    "column_create",
    "column_update",
    "draft_attachment_add",
    "draft_attachment_remove",
    "draft_attachments_expire",
    "item_approve",
    "item_create",
    "item_docx_import",
    "item_mask_findings",
    "item_publish",
    "item_publish_on_behalf",
    "item_reject",
    "item_submit",
    "item_update",
    "item_validate",
    "item_withdraw",
    "items_bulk",
    "items_publish_due",
    "publication_record",
    "website_channel",
]
