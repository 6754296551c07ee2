"""A report against its agency's records, and the --agency mode (the database)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongkai.reports.formats import get
from gongkai.reports.formats.registry import for_year
from gongkai.reports.importers.base import Finding

from .findings import WARNING, _finding, as_number
from .report import lint_report


def against_records(report: dict, records: dict) -> list[Finding]:
    """A published report (a file, read into the import schema) against what its agency's
    records give for the same year and format: one "records" warning per cell that differs.
    Not a difference: a blank where the records give 0 in a format that prints 0 as a blank,
    a blank total the records give as the sum lint expects (omitted_total says so), and a
    cell the records cannot give (None: entered by staff, or unknown)."""
    fmt = get(report["format"])
    published = {key: as_number(value) for key, value in (report.get("cells") or {}).items()}
    omitted = fmt.omitted_totals(published)
    findings = []
    for key in fmt.cell_keys():
        stated, computed = published.get(key), as_number(records.get(key))
        if computed is None or stated == computed:
            continue
        if stated is None and (
            (computed == 0 and fmt.zero_shown_blank) or omitted.get(key) == computed
        ):
            continue
        findings.append(
            _finding(
                "records",
                WARNING,
                _("The report says %(stated)s; the records give %(computed)s.")
                % {"stated": "—" if stated is None else stated, "computed": computed},
                expected=computed,
                actual=stated,
                location=key,
            )
        )
    return findings


def _stored_or_computed(
    agency, year: int, fmt_key: str | None, *, stored: bool = True
) -> dict | None:
    """The agency's report of `year`: its last published version if any and `stored` (an
    imported baseline counts), else computed from the records in `fmt_key` or the format due
    that year."""
    from gongkai.reports.models import Report

    report = Report.objects.filter(agency=agency, year=year).first()
    if report is not None and stored:
        version = report.versions.order_by("-number").first()
        if version is not None:
            return {
                "format": report.format,
                "year": year,
                "agency": agency.name,
                "cells": version.cells,
                "narrative": version.narrative,
            }
    if stored:
        from gongkai.reports.imported import imported_baseline

        baseline = imported_baseline(agency, year)
        if baseline is not None:
            return baseline
    try:
        from gongkai.reports.compute import compute_report
    except ImportError:  # pragma: no cover - compute is part of the app
        return None
    key = fmt_key or for_year(year).key
    computed = compute_report(agency, year, key)
    narrative = report.narrative if report is not None else {}
    return {
        "format": key,
        "year": year,
        "agency": agency.name,
        "cells": computed.cells,
        "narrative": narrative or {},
    }


def lint_agency(agency, year: int, fmt_key: str | None = None) -> tuple[dict, list[Finding]]:
    """Lint the agency's report of `year` (computed from the records, with its stored
    narrative), checking the carry-over against the years before and after."""
    from django.utils import timezone

    report = _stored_or_computed(agency, year, fmt_key, stored=False)
    if report is None:
        raise LookupError("compute_report is not available")
    previous = _stored_or_computed(agency, year - 1, None)
    following = None
    if year + 1 <= timezone.localdate().year:
        following = _stored_or_computed(agency, year + 1, None)
    findings = lint_report(report, previous=previous, following=following, level=agency.level)
    return report, findings
