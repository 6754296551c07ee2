"""Every finding on one report (`lint_report`)."""

from __future__ import annotations

from gongkai.reports.formats import get
from gongkai.reports.importers.base import Finding
from gongkai.reports.importers.headings import agency_level

from .findings import as_number
from .narrative import narrative_findings
from .tables import blank_cells, blank_totals, check_rules, format_sanity, omitted_totals
from .years import cross_year


def lint_report(
    report: dict,
    *,
    previous: dict | None = None,
    following: dict | None = None,
    level: str | None = None,
) -> list[Finding]:
    """Every finding on one report. `previous`/`following`: the same agency's reports of the
    year before/after (the cross-year rule); `level`: the agency's level (core.AgencyLevel
    value), else read from the agency name."""
    fmt = get(report["format"])
    cells = {key: as_number(value) for key, value in (report.get("cells") or {}).items()}
    narrative = report.get("narrative") or {}
    findings: list[Finding] = []
    # a total left blank over parts that hold figures is one warning (omitted_total), checked
    # as the sum it stands for, not as a 0 that fails every rule it is in
    findings += check_rules(fmt, {**cells, **blank_totals(fmt, cells)})
    findings += omitted_totals(fmt, cells)
    findings += blank_cells(fmt, cells)
    findings += format_sanity(fmt, cells, report.get("year"), level or _level_of(report))
    if previous is not None:
        findings += cross_year(previous, report)
    if following is not None:
        findings += cross_year(report, following)
    findings += narrative_findings(fmt, narrative, cells)
    return findings


def _level_of(report: dict) -> str | None:
    agency = report.get("agency")
    if isinstance(agency, dict):
        agency = agency.get("name", "")
    return agency_level(agency or "")
