"""The demo's data files: each app keeps its demo records as TOML under `<app>/demo_data/` and its
demo module only maps them to the app's services. This reads and validates them.

    from gongkai.core import demodata

    doc = demodata.read(__package__, "accounts.toml")   # gongkai/<app>/demo_data/accounts.toml
    accounts = demodata.records(doc, "account", AccountSpec)

`records` turns each `[[account]]` table into the dataclass, checked against its field types
(str, int, bool, Decimal, date, datetime, tuples, nested dataclasses, `X | None`); a field whose
metadata names `choices` (a Django Choices class) takes a member's value or its name. Anything
wrong (a missing or unknown key, a wrong type, a value outside the choices) raises
`DemoDataError` naming the file, the table, the entry's number and its first field.
Local datetimes in a file are Asia/Shanghai (the current time zone).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
import typing
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from django.utils import timezone

# the keys an entry is named by in an error, as a reader finds it in the file
LABELS = ("key", "title", "name", "topic", "token", "username", "purpose", "summary", "row")


class DemoDataError(ValueError):
    """A demo data file that does not say what its loader expects."""


class Document(dict):
    """A parsed data file that remembers where it came from (for the error messages)."""

    def __init__(self, data: dict, name: str):
        super().__init__(data)
        self.name = name


@cache
def _read(package: str, name: str) -> tuple[dict, str]:
    path = resources.files(package).joinpath("demo_data", name)
    label = f"{package.replace('.', '/')}/demo_data/{name}"
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle), label
    except FileNotFoundError as exc:
        raise DemoDataError(f"{label}: missing") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DemoDataError(f"{label}: {exc}") from exc


def read(package: str, name: str) -> Document:
    """The TOML file `name` of the app `package`'s demo_data/ folder (packaged with gongkai)."""
    data, label = _read(package, name)
    return Document(data, label)


def choices(kind) -> dict:
    """Field metadata: the value must be one of `kind`'s (a Django Choices class)."""
    return {"choices": kind}


def records(doc: Document, table: str, cls: type, *, required: bool = True) -> list:
    """The array of tables `[[table]]` of `doc` as instances of the dataclass `cls`."""
    entries = doc.get(table)
    if entries is None:
        if required:
            raise DemoDataError(f"{doc.name}: no [[{table}]] entries")
        return []
    if not isinstance(entries, list):
        raise DemoDataError(f"{doc.name}: {table} should be an array of tables ([[{table}]])")
    return [
        convert(entry, cls, where=f"{doc.name}: [[{table}]] #{number}")
        for number, entry in enumerate(entries, 1)
    ]


def record(doc: Document, table: str, cls: type) -> Any:
    """The single table `[table]` of `doc` as an instance of `cls`."""
    if not isinstance(doc.get(table), dict):
        raise DemoDataError(f"{doc.name}: no [{table}] table")
    return convert(doc[table], cls, where=f"{doc.name}: [{table}]")


def convert(entry: Any, cls: type, *, where: str) -> Any:
    """One table as the dataclass `cls`, checked field by field."""
    if not isinstance(entry, dict):
        raise DemoDataError(f"{where}: expected a table, got {entry!r}")
    # name the entry by what a reader finds it by in the file
    label = next((entry[k] for k in LABELS if isinstance(entry.get(k), str) and entry[k]), "")
    if label:
        where = f"{where} ({label[:30]})"
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(entry) - set(fields))
    if unknown:
        raise DemoDataError(
            f"{where}: unknown key {', '.join(unknown)} (known: {', '.join(fields)})"
        )
    hints = typing.get_type_hints(cls)
    values = {}
    for name, field in fields.items():
        if name not in entry:
            has_default = (
                field.default is not dataclasses.MISSING
                or field.default_factory is not dataclasses.MISSING
            )
            if not has_default:
                raise DemoDataError(f"{where}: missing {name}")
            continue
        values[name] = _value(entry[name], hints[name], field.metadata, f"{where}: {name}")
    return cls(**values)


def _value(value: Any, hint: Any, metadata, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        # TOML has no null: an absent key is None; a present one is the first type that fits
        errors = []
        for option in options:
            try:
                return _value(value, option, metadata, where)
            except DemoDataError as exc:
                errors.append(str(exc))
        raise DemoDataError(errors[-1])
    if origin in (tuple, list):
        args = typing.get_args(hint)
        if not isinstance(value, list):
            raise DemoDataError(f"{where}: expected a list, got {value!r}")
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(value) != len(args):
                raise DemoDataError(f"{where}: expected {len(args)} values, got {value!r}")
            return tuple(
                _value(v, a, {}, f"{where}[{i}]")
                for i, (v, a) in enumerate(zip(value, args, strict=True))
            )
        item = args[0] if args else Any
        converted = [_value(v, item, metadata, f"{where}[{i}]") for i, v in enumerate(value)]
        return tuple(converted) if origin is tuple else converted
    if origin is dict:
        if not isinstance(value, dict):
            raise DemoDataError(f"{where}: expected a table, got {value!r}")
        return value
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return convert(value, hint, where=where)
    if hint is Any:
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise DemoDataError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DemoDataError(f"{where}: expected an integer, got {value!r}")
        return value
    if hint is Decimal:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise DemoDataError(f"{where}: expected an integer or a decimal in quotes")
        try:
            return Decimal(value)
        except InvalidOperation as exc:
            raise DemoDataError(f"{where}: not a decimal: {value!r}") from exc
    if hint is datetime:
        if not isinstance(value, datetime):
            raise DemoDataError(f"{where}: expected a date and time, got {value!r}")
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if hint is date:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise DemoDataError(f"{where}: expected a date (YYYY-MM-DD), got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise DemoDataError(f"{where}: expected a string, got {value!r}")
        kind = metadata.get("choices")
        if kind is not None:
            return choice(value, kind, where)
        return value
    if isinstance(hint, type) and isinstance(value, hint):
        return value
    raise DemoDataError(f"{where}: cannot read {value!r} as {hint!r}")


def choice(value: str, kind, where: str) -> str:
    if value in kind.values:
        return value
    if value in kind.names:
        return kind[value].value
    raise DemoDataError(f"{where}: {value!r} is not one of {', '.join(kind.names)}")


_OFFSET = re.compile(r"^\s*([+-]?\d+)\s*(days?|workdays?)\s*$")


def offset(text: str, today: date, *, calendar=None, where: str = "") -> date:
    """A date relative to today, written as "-25 workdays", "+3 days" or "0 days"; workdays
    count on `calendar` (a `gongkai.core.workdays` calendar)."""
    match = _OFFSET.match(text)
    if match is None:
        raise DemoDataError(f"{where}: {text!r} is not an offset like '-25 workdays' or '+3 days'")
    count, unit = int(match[1]), match[2]
    if unit.startswith("workday"):
        if calendar is None:
            raise DemoDataError(f"{where}: workdays need the working-day calendar")
        return calendar.add_workdays(today, count)
    return today + timedelta(days=count)
