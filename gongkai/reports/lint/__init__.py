"""Lint an annual report: every check rule (勾稽关系) of its format, blank totals over filled
parts, blank cells where 0 is meant (one finding per row or per table),
the cross-year rules (四 of year N = 二 of year N+1; the 现行有效 stock of N−1 + 制发 − 废止 =
the stock of N), format-level sanity (a 镇/乡/街道 reporting 规章), narrative-vs-table
mismatches and narrative arithmetic (narrative_check.py).

Severity is what a person would agree with: "error" only for what is wrong beyond doubt (a
format's arithmetic identity, a total that is not its parts, two figures of the same quantity
that differ), "warning" for what needs a look, "info" for a known way of writing. Every
finding carries its ``basis`` (the format's 勾稽关系, the regulation, or the reasoning).

``lint_report(report)`` takes the import schema (``{"format", "year", "agency", "cells",
"narrative"}``) and returns ``Finding``s; pure Python except ``lint_agency`` (the --agency mode,
which computes from the records). Messages are translated (English msgids); tests assert on
``rule``, ``expected``, ``actual`` and ``location``.
"""

from .findings import (
    BASIS,
    ERROR,
    INFO,
    SEVERITY_LABELS,
    WARNING,
    LintFinding,
    as_number,
    has_errors,
    severity_label,
)
from .narrative import narrative_findings
from .records import against_records, lint_agency
from .report import lint_report
from .tables import blank_cells, blank_totals, check_rules, format_sanity, omitted_totals
from .years import cross_year, stock_continuity

__all__ = [
    "BASIS",
    "ERROR",
    "INFO",
    "SEVERITY_LABELS",
    "WARNING",
    "LintFinding",
    "against_records",
    "as_number",
    "blank_cells",
    "blank_totals",
    "check_rules",
    "cross_year",
    "format_sanity",
    "has_errors",
    "lint_agency",
    "lint_report",
    "narrative_findings",
    "omitted_totals",
    "severity_label",
    "stock_continuity",
]
