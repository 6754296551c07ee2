"""Files of an application: checked, stored, added by the office."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai import privacy
from gongkai.catalogue import files
from gongkai.core.audit import audit_record
from gongkai.core.models import User
from gongkai.core.transactions import file_written
from gongkai.core.validators import strip_invisible

from ..models import Application, ApplicationFile, FileKind
from .common import WorkflowError, _locked, _require_handler

# --- files ---------------------------------------------------------------------------------


def _inspect_file(name: str, data: bytes) -> files.Inspected:
    """The file checked within the safe reader's limits, and its text (nothing is stored)."""
    name = strip_invisible(name)  # the type check reads the name the file will be stored under
    try:
        return files.inspect_upload(name, data, max_bytes=settings.GONGKAI_ATTACHMENT_MAX_BYTES)
    except files.AttachmentError as exc:
        raise ValidationError(str(exc), code="attachment") from None


def _store_file(
    application: Application,
    name: str,
    data: bytes,
    *,
    kind: str,
    actor,
    inspected: files.Inspected | None = None,
) -> ApplicationFile:
    name = strip_invisible(name)  # before the type check: "x\u202egpj.exe" is an .exe
    inspected = inspected or _inspect_file(name, data)
    file_type, text = inspected.file_type, inspected.text
    stored = ApplicationFile(
        application=application,
        kind=kind,
        original_name=name[:200],
        content_type=file_type.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        findings=len(privacy.scan(text)) if text else 0,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    stored.file.save(name, ContentFile(data), save=False)
    file_written(stored.file)
    stored.save()
    return stored


@transaction.atomic
def application_file_add(
    *, actor: User, application: Application, name: str, data: bytes, kind: str = FileKind.PROVIDED
) -> ApplicationFile:
    application = _locked(application)
    _require_handler(actor, application)
    if kind not in (FileKind.PROVIDED, FileKind.INTERNAL, FileKind.APPLICANT):
        raise ValidationError(_("Unknown file type."))
    if not application.is_open:
        raise WorkflowError(_("Files can no longer be added to a concluded application."))
    stored = _store_file(application, name, data, kind=kind, actor=actor)
    audit_record(
        actor=actor,
        verb="application.file_add",
        obj=stored,
        agency=application.agency,
        after={
            "application": application.pk,
            "name": stored.original_name,
            "kind": kind,
            "findings": stored.findings,
        },
    )
    return stored
