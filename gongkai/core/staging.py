"""Import files kept on the server between their preview and the user's confirmation.

Every import (catalogue items and publications, matters, post counts) stages its file here. The
bytes go to the private storage (no URL maps it) under a random name; the session remembers that
name with the original file name, the SHA-256 of the bytes, the agency, the user and an optional
scope (the pk of what the import is bound to, e.g. a publications import's channel: core knows
no domain model, so the caller passes the id). Nothing the browser sends is trusted: the
confirmation only says which preview it confirms (its SHA-256), and `load` checks the session's
record against the request and the stored bytes against the hash before the import runs them
again through the service.

One file per kind of import and session: a new upload replaces (and deletes) the previous one.
Kinds are plain names declared by the callers ("catalogue.items", "matters", ...); the session key
is derived from the kind.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import timedelta
from uuid import uuid4

from django.core.files.base import ContentFile
from django.utils import timezone

from gongkai.core.models import Agency
from gongkai.core.storage import private_storage

PREFIX = "imports/"
_NAME = re.compile(r"imports/[0-9a-f]{32}")
# a kind names a session key: keep it to dotted lower-case words so no two kinds can collide
# with each other or with another app's session keys
_KIND = re.compile(r"[a-z_]+(?:\.[a-z_]+)*")
# A preview nobody confirms (tab closed, session expired) leaves its file behind; any later
# upload sweeps files older than this. Sessions end long before (GONGKAI_SESSION_MAX_AGE).
STALE_AFTER = timedelta(days=1)


class StagedFileRefused(Exception):
    """The staged file is missing, or does not belong to this request: upload it again."""


@dataclass(frozen=True)
class Staged:
    name: str  # in the default storage
    file_name: str  # as the user uploaded it
    sha256: str
    agency: int
    user: int
    scope: int | None = None


def session_key(kind: str) -> str:
    """The session key of a kind's staged file."""
    if not _KIND.fullmatch(kind):
        raise ValueError(kind)
    return f"staging.{kind}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stage(
    request, kind: str, *, agency: Agency, file_name: str, data: bytes, scope: int | None = None
) -> Staged:
    """Keep `data` for the confirmation, replacing any file staged before for this kind."""
    discard(request, kind)
    purge_stale()
    name = private_storage().save(f"{PREFIX}{uuid4().hex}", ContentFile(data))
    staged = Staged(
        name=name,
        file_name=file_name,
        sha256=sha256(data),
        agency=agency.pk,
        user=request.user.pk,
        scope=scope,
    )
    request.session[session_key(kind)] = asdict(staged)
    return staged


def discard(request, kind: str) -> None:
    """Forget the staged file of this kind and delete its bytes."""
    record = request.session.pop(session_key(kind), None)
    name = record.get("name") if isinstance(record, dict) else None
    if isinstance(name, str) and _NAME.fullmatch(name):
        private_storage().delete(name)


def load(
    request, kind: str, *, agency: Agency, confirmed: str, scope: int | None = None
) -> tuple[Staged, bytes]:
    """The staged file confirmed by the user, checked; raises StagedFileRefused.

    `confirmed` is the SHA-256 of the preview the user confirmed: if another file was uploaded
    since (in another tab), the newer one stays staged for its own preview. Any other mismatch
    deletes the staged file.
    """
    record = request.session.get(session_key(kind))
    if not isinstance(record, dict):
        raise StagedFileRefused
    try:
        staged = Staged(**record)
    except TypeError:
        discard(request, kind)
        raise StagedFileRefused from None
    if confirmed != staged.sha256:
        raise StagedFileRefused
    belongs = (
        isinstance(staged.name, str)
        and _NAME.fullmatch(staged.name) is not None
        and staged.user == request.user.pk
        and staged.agency == agency.pk
        and staged.scope == scope
    )
    if not belongs:
        discard(request, kind)
        raise StagedFileRefused
    try:
        with private_storage().open(staged.name, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        discard(request, kind)
        raise StagedFileRefused from None
    if sha256(data) != staged.sha256:
        discard(request, kind)
        raise StagedFileRefused
    return staged, data


def hand_over(request, kind: str) -> None:
    """Forget the staged file of this kind in the session but keep its bytes: a background
    task (e.g. catalogue.import_items) reads them and deletes them when it is done."""
    request.session.pop(session_key(kind), None)


def read_handed(name: str, expected_sha256: str) -> bytes:
    """The bytes of a file handed to a task, checked against the hash the user confirmed;
    raises StagedFileRefused when they are gone or changed."""
    if not (isinstance(name, str) and _NAME.fullmatch(name)):
        raise StagedFileRefused
    try:
        with private_storage().open(name, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        raise StagedFileRefused from None
    if sha256(data) != expected_sha256:
        raise StagedFileRefused
    return data


def delete_handed(name: str) -> None:
    if isinstance(name, str) and _NAME.fullmatch(name):
        private_storage().delete(name)


def purge_stale(*, now=None) -> int:
    """Delete staged files older than STALE_AFTER; returns how many went."""
    now = now or timezone.now()
    try:
        _dirs, names = private_storage().listdir(PREFIX.rstrip("/"))
    except FileNotFoundError:
        return 0
    removed = 0
    for base in names:
        name = PREFIX + base
        if not _NAME.fullmatch(name):
            continue
        try:
            if now - private_storage().get_modified_time(name) > STALE_AFTER:
                private_storage().delete(name)
                removed += 1
        except FileNotFoundError:
            continue  # another request swept it first
    return removed
