"""The item editor: files before the first save, a .docx as the body, bulk actions."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue.services.attachments import _attach
from gongkai.catalogue.services.review import item_submit, item_withdraw
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.core.transactions import file_written
from gongkai.core.validators import strip_invisible

from .. import docx_import, files, permissions
from ..models import (
    Attachment,
    DraftAttachment,
    Item,
)

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
