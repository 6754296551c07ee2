"""索引号: a per-agency, per-year, gap-free serial formatted by the agency's pattern (RULES A.9)."""

import re

from django.db import IntegrityError, transaction

from gongkai.core.models import Agency

from .models import DEFAULT_INDEX_PATTERN, CatalogueSettings, IndexSequence

_SERIAL = re.compile(r"\{(N+)\}")
_KNOWN = re.compile(r"\{(统一社会信用代码|YYYY|N+)\}")


def validate_pattern(pattern: str) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if len(_SERIAL.findall(pattern)) != 1:
        raise ValidationError(
            _("The pattern must contain exactly one serial token such as {NNNNN}.")
        )
    leftover = _KNOWN.sub("", pattern)
    if "{" in leftover or "}" in leftover:
        raise ValidationError(_("The pattern contains an unknown token."))


def format_index_number(pattern: str, *, uscc: str, year: int, serial: int) -> str:
    def token(match: re.Match) -> str:
        name = match.group(1)
        if name == "统一社会信用代码":
            return uscc
        if name == "YYYY":
            return f"{year:04d}"
        return f"{serial:0{len(name)}d}"

    return _KNOWN.sub(token, pattern)


def agency_index_pattern(agency: Agency) -> str:
    config = CatalogueSettings.objects.filter(agency=agency).only("index_pattern").first()
    return config.index_pattern if config else DEFAULT_INDEX_PATTERN


def take_serial(agency: Agency, year: int) -> int:
    """The next serial for (agency, year). Must run inside the caller's transaction.

    The sequence row is locked (SELECT … FOR UPDATE) until that transaction ends, so concurrent
    approvals queue up and a rolled-back approval gives its number back: no gaps, no repeats.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_serial must run inside a transaction")
    try:
        with transaction.atomic():
            IndexSequence.objects.get_or_create(agency=agency, year=year)
    except IntegrityError:
        pass  # another transaction created the row first; it exists now
    sequence = IndexSequence.objects.select_for_update().get(agency=agency, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value
