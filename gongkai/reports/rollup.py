"""Roll-up of the reports of a supervising agency's subtree, and year-over-year comparison.

An agency's figures of a year are, in this order: its latest published version; else its stored
imported report (gongkai/reports/imported.py); else computed now from the records (marked so).
Reading the stored figures is a constant number of queries for the whole subtree, and so is
computing the agencies that have neither (`compute_reports` groups every selector by agency;
the tests pin both). The previous year is read for the cross-year lint rule from stored figures only (never
computed), so linting adds no per-agency queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.core.models import Agency

from .compute import compute_reports
from .formats import for_year, get
from .importers.base import Finding
from .lint import ERROR, WARNING, as_number, lint_report
from .models import ImportedReport, Report, ReportVersion

PUBLISHED, IMPORTED, COMPUTED, OTHER_FORMAT = "published", "imported", "computed", "other_format"


@dataclass
class AgencyFigures:
    """One agency's figures of one year and where they come from."""

    agency: Agency
    year: int
    source: str  # PUBLISHED | IMPORTED | COMPUTED | OTHER_FORMAT (stored in another format)
    format: str
    cells: dict = field(default_factory=dict)
    narrative: dict = field(default_factory=dict)
    version: int | None = None  # the published version number

    def as_report(self) -> dict:
        """The import schema (what lint_report takes)."""
        return {
            "format": self.format,
            "year": self.year,
            "agency": self.agency.name,
            "cells": self.cells,
            "narrative": self.narrative,
        }


def _stored(agencies: list[Agency], year: int) -> tuple[dict, dict, dict]:
    """(reports, latest published versions, imported reports) by agency id: three queries."""
    ids = [agency.pk for agency in agencies]
    reports = {r.agency_id: r for r in Report.objects.filter(agency_id__in=ids, year=year)}
    versions: dict[int, ReportVersion] = {}
    rows = (
        ReportVersion.objects.filter(report__agency_id__in=ids, report__year=year)
        .select_related("report")
        .order_by("report_id", "number")
    )
    for version in rows:
        versions[version.report.agency_id] = version  # the last one wins: the latest number
    imported: dict[int, list[ImportedReport]] = {}
    for row in ImportedReport.objects.filter(agency_id__in=ids, year=year).order_by("format"):
        imported.setdefault(row.agency_id, []).append(row)
    return reports, versions, imported


def figures(
    agencies: Iterable[Agency], year: int, fmt_key: str | None = None, *, compute: bool = True
) -> dict[int, AgencyFigures]:
    """{agency id: figures of `year`}. Stored figures in another format than `fmt_key` are
    marked OTHER_FORMAT (they cannot be added up with the others). `compute=False`: agencies
    with nothing stored are left out."""
    agencies = list(agencies)
    fmt_key = fmt_key or for_year(year).key
    reports, versions, imported = _stored(agencies, year)
    result: dict[int, AgencyFigures] = {}
    to_compute: list[Agency] = []
    for agency in agencies:
        version = versions.get(agency.pk)
        if version is not None:
            fmt = version.report.format
            result[agency.pk] = AgencyFigures(
                agency,
                year,
                PUBLISHED if fmt == fmt_key else OTHER_FORMAT,
                fmt,
                dict(version.cells),
                dict(version.narrative or {}),
                version.number,
            )
            continue
        rows = imported.get(agency.pk)
        if rows:
            row = next((r for r in rows if r.format == fmt_key), rows[0])
            result[agency.pk] = AgencyFigures(
                agency,
                year,
                IMPORTED if row.format == fmt_key else OTHER_FORMAT,
                row.format,
                dict(row.cells),
                dict(row.narrative or {}),
            )
            continue
        if compute:
            to_compute.append(agency)
    computed = compute_reports(to_compute, year, fmt_key) if to_compute else {}
    for agency in to_compute:
        report = reports.get(agency.pk)
        result[agency.pk] = AgencyFigures(
            agency,
            year,
            COMPUTED,
            fmt_key,
            computed[agency.pk].cells,
            dict(report.narrative or {}) if report is not None else {},
        )
    # in the order of `agencies`, as before
    return {agency.pk: result[agency.pk] for agency in agencies if agency.pk in result}


def add_up(fmt_key: str, items: Iterable[AgencyFigures]) -> dict:
    """Cell sums over the figures in `fmt_key`; a cell no agency gives a figure for stays None."""
    keys = get(fmt_key).cell_keys()
    total: dict = dict.fromkeys(keys)
    for item in items:
        if item.format != fmt_key or item.source == OTHER_FORMAT:
            continue
        for key in keys:
            value = as_number(item.cells.get(key))
            if value is None:
                continue
            total[key] = value if total[key] is None else total[key] + value
    return total


def subtree(agency: Agency, visible=None) -> list[Agency]:
    """The agency and every active agency below it (within `visible`, a queryset, if given)."""
    rows = Agency.objects.subtree_of(agency).active()
    if visible is not None:
        rows = rows.filter(pk__in=visible.values("pk"))
    return list(rows.order_by("path"))


def aggregate(
    agency: Agency, year: int, fmt_key: str | None = None, *, agencies: list[Agency] | None = None
) -> tuple[dict, dict[int, AgencyFigures]]:
    """(cell sums over the subtree, figures per agency id with their source)."""
    fmt_key = fmt_key or for_year(year).key
    agencies = agencies if agencies is not None else subtree(agency)
    per_agency = figures(agencies, year, fmt_key)
    return add_up(fmt_key, per_agency.values()), per_agency


@dataclass
class LintCounts:
    errors: int
    warnings: int
    findings: list[Finding]


def lint_counts(
    items: dict[int, AgencyFigures], previous: dict[int, AgencyFigures]
) -> dict[int, LintCounts]:
    """Findings per agency (the cross-year rule against the stored previous year)."""
    result = {}
    for agency_id, item in items.items():
        before = previous.get(agency_id)
        found = lint_report(
            item.as_report(),
            previous=before.as_report() if before is not None else None,
            level=item.agency.level,
        )
        result[agency_id] = LintCounts(
            sum(1 for f in found if f.severity == ERROR),
            sum(1 for f in found if f.severity == WARNING),
            found,
        )
    return result


# --- year over year ------------------------------------------------------------------------


@dataclass
class Change:
    key: str
    previous: int | Decimal | None
    current: int | Decimal | None

    @property
    def change(self) -> int | Decimal | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


def year_over_year(agency: Agency, year: int) -> tuple[AgencyFigures, AgencyFigures, list[Change]]:
    """The agency's figures of `year` and `year - 1` (each in the format due that year), cell by
    cell in the order of `year`'s format; a cell the earlier format lacks has no previous."""
    current = figures([agency], year)[agency.pk]
    previous = figures([agency], year - 1)[agency.pk]
    rows = [
        Change(key, as_number(previous.cells.get(key)), as_number(current.cells.get(key)))
        for key in get(current.format).cell_keys()
    ]
    return current, previous, rows
