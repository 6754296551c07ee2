"""Gap-free counters (索引号, 申请编号, letter numbers): one locked row per counter."""

from typing import Protocol, cast

from django.db import IntegrityError, models, transaction


class _Counter(Protocol):
    """What next_value needs of a counter row."""

    last_value: int

    def save(self, *, update_fields: list[str]) -> None: ...


def next_value(model: type[models.Model], **key) -> int:
    """Increment and return the counter row of `model` identified by `key`.

    Must run inside the caller's transaction: the row stays locked (SELECT … FOR UPDATE) until
    that transaction ends, so concurrent callers queue up and a rolled-back caller gives its
    number back. `model` needs a `last_value` integer field.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value must run inside a transaction")
    try:
        with transaction.atomic():
            model._default_manager.get_or_create(**key)
    except IntegrityError:
        pass  # another transaction created the row first; it exists now
    row = cast(_Counter, model._default_manager.select_for_update().get(**key))
    row.last_value += 1
    row.save(update_fields=["last_value"])
    return row.last_value
