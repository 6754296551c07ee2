"""The audit trail as people read it: the action in words, and each changed field with its
label and its values before and after (the stored event keeps the raw JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent

# Keyed by the last part of a verb ("item.publish" → "publish"), or by the whole verb where the
# action needs more words ("attachment.mask"); verbs not listed show as they are (verb_label).
ACTIONS = {
    "item.mask": gettext_lazy("Personal data masked"),
    "attachment.mask": gettext_lazy("Personal data masked in an attachment"),
    "attachment.download": gettext_lazy("Original of a masked attachment downloaded"),
    "export.start": gettext_lazy("Export started"),
    "export.download": gettext_lazy("Exported file downloaded"),
    "create": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "import": gettext_lazy("imported"),
    "publish": gettext_lazy("published"),
    "submit": gettext_lazy("submitted for review"),
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("returned"),
    "withdraw": gettext_lazy("withdrawn"),
    "grant": gettext_lazy("role granted"),
    "revoke": gettext_lazy("role revoked"),
    "login": gettext_lazy("signed in"),
    "lockout": gettext_lazy("locked out"),
    "export": gettext_lazy("exported"),
    "download": gettext_lazy("downloaded"),
    "add": gettext_lazy("added"),
    "remove": gettext_lazy("removed"),
    "record": gettext_lazy("recorded"),
    "mask": gettext_lazy("masked"),
    "reveal_identity": gettext_lazy("ID number shown"),
    "settings_update": gettext_lazy("settings changed"),
    "narrative_set": gettext_lazy("text edited"),
    "narrative_draft": gettext_lazy("text drafted"),
    "entry_set": gettext_lazy("figure entered"),
    "deadline_set": gettext_lazy("deadline set"),
    "publishes_annual_report_set": gettext_lazy("own annual report set"),
    "flag": gettext_lazy("deadline flagged"),
    "ocr": gettext_lazy("read by OCR"),
    "ocr_checked": gettext_lazy("scan checked by eye"),
    "queue": gettext_lazy("queued"),
    "start": gettext_lazy("started"),
    "done": gettext_lazy("done"),
    "fail": gettext_lazy("failed"),
    "retry": gettext_lazy("to be tried again"),
}
VALUE_LENGTH = 120


def verb_label(verb: str) -> str:
    """The action of an audit verb in words: its whole verb's label, else its last part's."""
    label = ACTIONS.get(verb) or ACTIONS.get(verb.rsplit(".", 1)[-1])
    return str(label) if label is not None else verb


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditLine:
    event: AuditEvent
    subject: str  # what kind of object, in words
    action: str
    changes: list[Change]


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except LookupError:
        return None


def _label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    label = getattr(field, "verbose_name", None)
    if label is None and field.related_model is not None:
        # a related set (a matter's materials, a group's users) has no label of its own
        label = field.related_model._meta.verbose_name_plural
    return str(label) if label else name


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= VALUE_LENGTH else text[: VALUE_LENGTH - 1] + "…"


def _changes(model, before: Any, after: Any) -> list[Change]:
    if not isinstance(before, dict) or not isinstance(after, dict):
        if before is None and after is None:
            return []
        return [Change("", _value(before), _value(after))]
    names = list(dict.fromkeys([*before, *after]))
    return [
        Change(_label(model, name), _value(before.get(name)), _value(after.get(name)))
        for name in names
        if before.get(name) != after.get(name) or name not in before
    ]


def audit_lines(events) -> list[AuditLine]:
    lines = []
    for event in events:
        model = _model(event.object_type)
        subject = str(model._meta.verbose_name) if model is not None else event.object_type
        before = event.before if event.before is not None else {}
        lines.append(
            AuditLine(
                event=event,
                subject=subject,
                action=verb_label(event.verb),
                changes=_changes(model, before, event.after),
            )
        )
    return lines
