"""A lint finding, its severity and the basis of each rule; reading a cell's value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.reports.formats import Format
from gongkai.reports.importers.base import Finding

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_LABELS = {
    ERROR: gettext_lazy("Severity: error"),
    WARNING: gettext_lazy("Severity: warning"),
    INFO: gettext_lazy("Severity: note"),
}


def severity_label(severity: str) -> str:
    """错误 / 警告 / 提示."""
    return str(SEVERITY_LABELS.get(severity, severity))


@dataclass(frozen=True)
class LintFinding(Finding):
    """A lint finding: a ``Finding`` with the basis of its rule (Chinese, translated)."""

    basis: str = ""

    @property
    def severity_label(self) -> str:
        return severity_label(self.severity)


# the basis of each rule that does not come from a format's check (those name the check)
BASIS = {
    "omitted_total": gettext_lazy("The format's tables: a total is the sum of its parts."),
    "blank": gettext_lazy(
        "The format's tables: every cell of a table holds a figure; a zero is written as 0, "
        "so that it cannot be taken for a figure left out."
    ),
    "table_missing": gettext_lazy(
        "Article 50 of the Regulations and the report format: the report gives every table "
        "of its format."
    ),
    "format_year": gettext_lazy(
        "国办公开办函〔2019〕60号 and 国办公开办函〔2021〕30号: the format due for the report year."
    ),
    "level_sanity": gettext_lazy(
        "Legislation Law, Article 93: 规章 are made by the governments of provinces, autonomous "
        "regions, municipalities and cities with districts, never by a township or subdistrict."
    ),
    "cross_year": gettext_lazy(
        "Table 三: 四、结转下年度继续办理 of one year are the applications 二、上年结转 of the "
        "next year (the same applications counted twice)."
    ),
    "stock_continuity": gettext_lazy(
        "Table 二, 第二十条第（一）项: last year's 现行有效件数 + this year's 本年制发件数 − "
        "本年废止件数 = this year's 现行有效件数; documents that expired without being repealed "
        "explain a difference, so it is a warning."
    ),
    "narrative_token": gettext_lazy("The text quotes the cells of the format's tables."),
    "narrative_placeholder": gettext_lazy("A published report has no part left to write."),
    "narrative_sum": gettext_lazy("The text: a stated total equals the parts it lists."),
    "narrative_percent": gettext_lazy("The text: a stated share equals the part ÷ the total."),
    "narrative_table": gettext_lazy(
        "The text and the tables state the same quantity: they give the same figure."
    ),
    "records": gettext_lazy("The agency's records of the year give the figures of the tables."),
}


def _finding(rule: str, severity: str, message: str, *, basis: str | None = None, **kw):
    return LintFinding(
        rule, severity, message, basis=str(basis if basis is not None else BASIS[rule]), **kw
    )


def _check_basis(fmt: Format, table_key: str, message: str) -> str:
    table = fmt.table(table_key)
    return _("%(basis)s, %(table)s: %(check)s") % {
        "basis": fmt.basis,
        "table": table.title,
        "check": message,
    }


def as_number(value) -> int | Decimal | None:
    """A cell value from JSON (int, float, numeric string, None)."""
    if value is None or isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else number
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else number
    raise ValueError(f"not a number: {value!r}")


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
