"""The privacy shield in front of publication: which findings an item still carries."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from gongkai.privacy import detect, mask
from gongkai.privacy.findings import NOTE_PUBLIC_LINE

from . import richtext
from .models import Item


@dataclass(frozen=True)
class ItemFinding:
    field: str  # "title", "summary", "body" or "attachment:<id>"
    label: str
    text: str  # the scanned text, so the finding can be shown in context
    finding: detect.Finding

    @property
    def maskable(self) -> bool:
        return not self.field.startswith("attachment:")


def personal_findings(text: str) -> list[detect.Finding]:
    """Findings that block publication. A fixed line right after 咨询电话/监督电话/传真 … is an
    office's public number, which notices must print: it is not personal data."""
    return [f for f in detect.scan(text or "") if f.note != NOTE_PUBLIC_LINE]


def mask_personal(text: str) -> str:
    return mask(text, personal_findings(text)) if text else text


FIELD_LABELS = {"title": _("Title"), "summary": _("Summary"), "body": _("Body")}


def item_findings(item: Item) -> list[ItemFinding]:
    texts = [
        ("title", str(FIELD_LABELS["title"]), item.title),
        ("summary", str(FIELD_LABELS["summary"]), item.summary),
        ("body", str(FIELD_LABELS["body"]), richtext.scan_text(item.body)),
    ]
    texts += [
        (f"attachment:{a.pk}", a.original_name, a.text) for a in item.attachments.all() if a.text
    ]
    return [
        ItemFinding(field=field, label=label, text=text, finding=finding)
        for field, label, text in texts
        for finding in personal_findings(text)
    ]
