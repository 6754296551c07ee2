"""索引号: a per-agency, per-year, gap-free serial formatted by the agency's pattern (RULES A.9)."""

import re

from gongkai.core.models import Agency
from gongkai.core.sequences import next_value

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
    """The next serial for (agency, year). Must run inside the caller's transaction, so that a
    rolled-back approval gives its number back: no gaps, no repeats."""
    return next_value(IndexSequence, agency=agency, year=year)
