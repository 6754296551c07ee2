"""Parts of the 政府信息公开指南 computed from rules the code already holds, so that the guide
never states them a second time: the 索引号 pattern as a sentence (catalogue/indexing.py), the
time limits of an application (applications/clock.py) and the fee bands of the 信息处理费
(applications/fees.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.applications import clock, fees
from gongkai.catalogue.indexing import format_index_number

_TOKEN = re.compile(r"\{(统一社会信用代码|YYYY|N+)\}")


def index_rule(pattern: str, *, uscc: str, year: int) -> str:
    """“索引号由……组成，例如……” for the agency's pattern, whatever the pattern."""
    parts = []
    position = 0
    for match in _TOKEN.finditer(pattern):
        literal = pattern[position : match.start()]
        if literal:
            parts.append(_("the separator “%(text)s”") % {"text": literal})
        name = match.group(1)
        if name == "统一社会信用代码":
            parts.append(_("the agency's unified social credit code (%(code)s)") % {"code": uscc})
        elif name == "YYYY":
            parts.append(_("the year of publication (4 digits)"))
        else:
            parts.append(
                _("a serial number of %(n)d digits, from 1 each year, without gaps or repeats")
                % {"n": len(name)}
            )
        position = match.end()
    if pattern[position:]:
        parts.append(_("the separator “%(text)s”") % {"text": pattern[position:]})
    example = format_index_number(pattern, uscc=uscc, year=year, serial=1)
    return _("An index number is made of %(parts)s, in this order; for example %(example)s.") % {
        "parts": _("; ").join(parts),
        "example": example,
    }


@dataclass(frozen=True)
class FeeBand:
    first: int
    last: int | None
    rate: int


def _bands(quote: fees.FeeQuote) -> list[FeeBand]:
    return [FeeBand(b.first, b.last, b.rate) for b in quote.bands]


@dataclass(frozen=True)
class ApplicationTerms:
    reply_workdays: int = clock.REPLY_WORKDAYS
    extension_workdays: int = clock.MAX_EXTENSION_WORKDAYS
    correction_notice_workdays: int = clock.CORRECTION_NOTICE_WORKDAYS
    consultation_workdays: int = clock.CONSULTATION_WORKDAYS
    fee_payment_workdays: int = clock.FEE_PAYMENT_WORKDAYS


def application_terms() -> dict:
    """The time limits and fee bands the guide states (the bands of the first 50 applications in
    a month and the first 250 pages: past that the last band shows the rule)."""
    return {
        "terms": ApplicationTerms(),
        "per_item": _bands(fees.per_item(50)),
        "per_page": _bands(fees.per_page(250)),
    }
