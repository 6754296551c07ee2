"""A queryset's SQL built once, then run with other values as parameters.

Building an ORM query (filters, annotations, subqueries, the compiler) costs more Python than
the database takes to answer a read by primary key: on a portal page rendered for the first
time it was half of the item's statement. `Statement` builds the queryset once per database
alias and thread with marker values in the slots the caller names, finds the markers among
the compiled parameters, and from then on runs the same SQL with the caller's values. Rows
come back as model instances exactly as the ORM makes them (`Model.from_db`, the backend's
converters, annotations as attributes), read from the database the router picks for the
model (the replica for a public request, gongkai.core.dbrouter).

Slots hold integers (ids) or strings (slugs): a marker is a value no row has, and must not be
folded into the SQL by the compiler (filters by value are parameters in Django's compilers).
Related rows joined with `select_related` are attached as the ORM attaches them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Markers: far from any id (bigint ids count up from 1), and no slug.
_MARKER_BASE = -(2**62)
_MARKER_TEXT = "\x1fslot-{}\x1f"


@dataclass
class _Compiled:
    sql: str
    params: list[Any]  # the constants, with None where a slot's value goes
    slots: list[tuple[int, str]]  # (parameter position, slot name)
    compiler: Any
    converters: dict
    field_positions: list[int]
    field_names: list[str]
    annotations: list[tuple[str, int]]
    related: list[Any]  # the ORM's populators of select_related rows


class Statement:
    """`build(**slots)` returns the queryset; `first(**values)` runs it (at most one row)."""

    def __init__(
        self,
        model: type[Model],
        build: Callable[..., QuerySet],
        slots: tuple[str, ...],
        text: tuple[str, ...] = (),
    ):
        self.model = model
        self.build = build
        self.slot_names = slots
        self.text_slots = frozenset(text)  # the slots that hold strings
        self._local = threading.local()  # compilers hold their thread's connection

    def _compile(self, using: str) -> _Compiled:
        markers: dict[str, Any] = {
            name: _MARKER_TEXT.format(i) if name in self.text_slots else _MARKER_BASE + i
            for i, name in enumerate(self.slot_names)
        }
        queryset = self.build(**markers).order_by()[:1]
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in markers.items()}
        constants: list[Any] = []
        slots: list[tuple[int, str]] = []
        for position, value in enumerate(params):
            name = by_value.get(value) if type(value) in (int, str) else None
            if name is None:
                constants.append(value)
            else:
                constants.append(None)
                slots.append((position, name))
        missing = set(self.slot_names) - {name for _, name in slots}
        if missing:  # a value the compiler folded into the SQL: the statement would be wrong
            raise ValueError(f"slots not found among the parameters: {sorted(missing)}")
        select = compiler.select
        field_positions = list(compiler.klass_info["select_fields"])
        return _Compiled(
            sql=sql,
            params=constants,
            slots=slots,
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select]),
            field_positions=field_positions,
            field_names=[select[i][0].target.attname for i in field_positions],
            annotations=list(compiler.annotation_col_map.items()),
            # the stubs describe Django 6 (a fetch mode argument); 5.2 takes three
            related=get_related_populators(compiler.klass_info, select, using),  # type: ignore[call-arg]
        )

    def first(self, **values: Any) -> Any:
        using = router.db_for_read(self.model)
        cache = self._local.__dict__.setdefault("compiled", {})
        compiled = cache.get(using)
        if compiled is None:
            compiled = cache[using] = self._compile(using)
        params = list(compiled.params)
        for position, name in compiled.slots:
            value = values[name]
            params[position] = str(value) if name in self.text_slots else int(value)
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        instance = self.model.from_db(
            using, compiled.field_names, [row[i] for i in compiled.field_positions]
        )
        for populator in compiled.related:
            populator.populate(row, instance)
        for alias, position in compiled.annotations:
            setattr(instance, alias, row[position])
        return instance
