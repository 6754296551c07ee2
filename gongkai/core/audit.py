"""Writing audit events. Services call `audit_record` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any, cast

from django.db import models

from .context import current_ip
from .models import Agency, AuditEvent, User


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj` (foreign keys as ids), JSON-ready.

    Automatic timestamps are left out: the event has its own time, and an `updated_at` that
    changes on every save would make every save look like a change.
    """
    names = fields or [
        f.name
        for f in obj._meta.concrete_fields
        if f.name not in {"password", "path", "depth"}
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]
    # the names are concrete fields: never a reverse relation, which has no attname
    return {
        name: _jsonable(getattr(obj, cast(models.Field, obj._meta.get_field(name)).attname))
        for name in names
    }


def audit_record(
    *,
    actor: User | None,
    verb: str,
    obj: models.Model | None = None,
    agency: Agency | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        agency=agency,
        verb=verb,
        object_type=object_type or "",
        object_id=object_id or "",
        object_repr=(object_repr or "")[:200],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip=current_ip.get(),
    )


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
