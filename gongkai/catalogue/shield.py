"""The privacy shield in front of publication: which findings an item still carries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from gongkai.privacy import detect, mask
from gongkai.privacy.findings import NOTE_PUBLIC_LINE

from . import richtext
from .models import Attachment, Item, OcrStatus


@dataclass(frozen=True)
class ItemFinding:
    field: str  # "title", "summary", "body" or "attachment:<id>"
    label: str
    text: str  # the scanned text, so the finding can be shown in context
    finding: detect.Finding
    # The text fields are masked in place; an attachment only when its file can be (see
    # attachment_maskable).
    maskable: bool = True

    @property
    def attachment_id(self) -> int | None:
        return int(self.field.split(":", 1)[1]) if self.field.startswith("attachment:") else None


def personal_findings(text: str) -> list[detect.Finding]:
    """Findings that block publication. A fixed line right after 咨询电话/监督电话/传真 … is an
    office's public number, which notices must print: it is not personal data."""
    return [f for f in detect.scan(text or "") if f.note != NOTE_PUBLIC_LINE]


def mask_personal(text: str) -> str:
    return mask(text, personal_findings(text)) if text else text


def attachment_maskable(attachment: Attachment) -> bool:
    """A DOCX, an XLSX or a PDF with a text layer can be masked inside the file. A scan's text
    came from OCR and is not in the file, and an image, an old Office file or an archive cannot
    be rewritten: the editor corrects those offline."""
    if attachment.kind in ("docx", "xlsx"):
        return True
    return attachment.kind == "pdf" and attachment.ocr_status == OcrStatus.NOT_NEEDED


def item_finder(item: Item) -> Callable[[str], list[detect.Finding]]:
    """The blocking findings of any text of `item`: what item_findings lists and what masking
    an attachment removes from its file."""
    return personal_findings


FIELD_LABELS = {"title": _("Title"), "summary": _("Summary"), "body": _("Body")}


def item_findings(item: Item) -> list[ItemFinding]:
    texts = [
        ("title", str(FIELD_LABELS["title"]), item.title, True),
        ("summary", str(FIELD_LABELS["summary"]), item.summary, True),
        ("body", str(FIELD_LABELS["body"]), richtext.scan_text(item.body), True),
    ]
    texts += [
        (f"attachment:{a.pk}", a.original_name, a.text, attachment_maskable(a))
        for a in item.attachments.all()
        if a.text
    ]
    find = item_finder(item)
    return [
        ItemFinding(field=field, label=label, text=text, finding=finding, maskable=maskable)
        for field, label, text, maskable in texts
        for finding in find(text)
    ]


# --- scans read by OCR ---------------------------------------------------------------------

UNREAD_SCAN_STATUSES = (OcrStatus.PENDING, OcrStatus.LOW_CONFIDENCE, OcrStatus.FAILED)


def unread_scans(item: Item) -> list[tuple[Attachment, str]]:
    """The scans of `item` whose text the shield cannot trust yet, with the reason: one still
    waiting for OCR, or one OCR read too unreliably (or not at all) until a person checks it.
    They block submission, approval and publication as a finding does; no override passes them,
    since nobody knows what they hold."""
    unread = []
    for attachment in item.attachments.all():
        if attachment.ocr_status == OcrStatus.PENDING:
            reason = _("“%(name)s” is a scan still being read by OCR; wait until it has been read.")
        elif attachment.ocr_status in UNREAD_SCAN_STATUSES:
            reason = _(
                "“%(name)s” is a scan that OCR could not read reliably; a reviewer must check it "
                "by eye."
            )
        else:
            continue
        unread.append((attachment, str(reason) % {"name": attachment.original_name}))
    return unread
