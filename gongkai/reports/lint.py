"""Lint an annual report: every check rule (勾稽关系) of its format, blank totals over filled
parts, blank cells where 0 is meant,
the cross-year rule (四 of year N = 二 of year N+1), format-level sanity (a 镇/乡/街道 reporting
规章), narrative-vs-table mismatches and narrative arithmetic (narrative_check.py).

``lint_report(report)`` takes the import schema (``{"format", "year", "agency", "cells",
"narrative"}``) and returns ``Finding``s; pure Python except ``lint_agency`` (the --agency mode,
which computes from the records). Messages are translated (English msgids); tests assert on
``rule``, ``expected``, ``actual`` and ``location``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from gongkai.reports.formats import Format, get
from gongkai.reports.formats.registry import for_year
from gongkai.reports.importers.base import Finding, agency_level
from gongkai.reports.narrative import placeholders, render_narrative, unknown_tokens
from gongkai.reports.narrative_check import narrative_sums, narrative_vs_cells

ERROR, WARNING, INFO = "error", "warning", "info"

# rows whose figures a 镇/乡/街道 cannot have: 规章 are made by provinces and cities with
# districts (立法法 第九十三条), never by a township or a subdistrict office
_TOWN_LEVELS = ("township", "subdistrict")
_NOT_FOR_TOWNS = ("规章",)


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
    findings += check_rules(fmt, cells)
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


def _filled_tables(fmt: Format, cells: dict) -> set[str]:
    """Tables the report gives at least one figure of (a report without a table — the text of a
    pre-2019 report, a truncated page — is not checked against it)."""
    index = fmt.cell_index()
    return {
        fmt.table_of(row.key).key
        for key, (row, _column) in index.items()
        if cells.get(key) is not None
    }


def _absent_rows(fmt: Format, cells: dict) -> set[str]:
    """Row keys with no figure in any column (a row the report does not print — a truncated
    page — or leaves wholly blank)."""
    return {
        row.key
        for row in fmt.data_rows()
        if all(cells.get(key) is None for _column, key in fmt.cells_of(row))
    }


def _check_rows(fmt: Format, failure) -> set[str]:
    """The rows a failed check involves."""
    rows: set[str] = set()
    for table in fmt.tables:
        if table.key != failure.table:
            continue
        for check in table.checks:
            if check.message != failure.message or check.rule != failure.rule:
                continue
            if check.rule == "sum_of_columns":
                entry = fmt.cell_index().get(failure.location)
                if entry:
                    rows.add(entry[0].key)
            else:
                targets = (check.target,) if isinstance(check.target, str) else check.target
                rows.update(targets)
                rows.update(check.parts)
    return rows


def check_rules(fmt: Format, cells: dict) -> list[Finding]:
    """The format's check rules. A check that involves a row the report does not give at all
    is skipped (one "check_skipped" info per check): an absent row is not a row of zeros."""
    filled = _filled_tables(fmt, cells)
    absent = _absent_rows(fmt, cells) if not fmt.zero_shown_blank else set()
    findings = []
    skipped: set[tuple[str, str]] = set()
    for failure in fmt.evaluate(cells):
        if failure.table not in filled:
            continue
        missing = _check_rows(fmt, failure) & absent
        if missing:
            if (failure.table, failure.message) not in skipped:
                skipped.add((failure.table, failure.message))
                findings.append(
                    Finding(
                        "check_skipped",
                        INFO,
                        _("%(check)s: not checked, a row it needs is missing.")
                        % {"check": failure.message},
                        location=", ".join(sorted(missing)),
                    )
                )
            continue
        findings.append(
            Finding(
                failure.rule,
                ERROR,
                _("%(check)s: expected %(expected)s, found %(actual)s.")
                % {
                    "check": failure.message,
                    "expected": failure.expected,
                    "actual": failure.actual,
                },
                expected=failure.expected,
                actual=failure.actual,
                location=failure.location,
            )
        )
    return findings


def omitted_totals(fmt: Format, cells: dict) -> list[Finding]:
    """A total left blank while its parts hold figures: the figure is not 0 but their sum."""
    return [
        Finding(
            "omitted_total",
            WARNING,
            _("Blank total: its parts add up to %(sum)s; write the total.") % {"sum": total},
            expected=total,
            actual=None,
            location=key,
        )
        for key, total in fmt.omitted_totals(cells).items()
    ]


def blank_cells(fmt: Format, cells: dict) -> list[Finding]:
    """A blank cell where the format means 0 (a warning: write 0). A row with no figure at all
    gives one "blank_row" finding, a table with none one "table_missing". Formats whose
    published tables show zeros as blanks (pre2019) report them as info."""
    filled = _filled_tables(fmt, cells)
    omitted = fmt.omitted_totals(cells)
    findings = []
    severity = INFO if fmt.zero_shown_blank else WARNING
    for table in fmt.tables:
        if table.key not in filled:
            findings.append(
                Finding(
                    "table_missing",
                    WARNING,
                    _("The table “%(table)s” has no figures.") % {"table": table.title},
                    location=table.title,
                )
            )
            continue
        for row in table.data_rows():
            if not row.blank_means_zero:
                continue
            keys = [key for _column, key in fmt.cells_of(row)]
            blanks = [key for key in keys if cells.get(key) is None and key not in omitted]
            if not blanks:
                continue
            if len(blanks) == len(keys) and len(keys) > 1:
                findings.append(
                    Finding(
                        "blank_row",
                        severity,
                        _("Blank row: write 0 in every cell when the figures are zero."),
                        expected=0,
                        actual=None,
                        location=fmt.row_label_for_key(row) or table.title,
                    )
                )
                continue
            for key in blanks:
                findings.append(
                    Finding(
                        "blank_cell",
                        severity,
                        _("Blank cell: write 0 when the figure is zero."),
                        expected=0,
                        actual=None,
                        location=key,
                    )
                )
    return findings


def format_sanity(fmt: Format, cells: dict, year, level: str | None) -> list[Finding]:
    findings = []
    if isinstance(year, int):
        due = for_year(year).key
        if due != fmt.key:
            findings.append(
                Finding(
                    "format_year",
                    WARNING,
                    _("A report of %(year)s is due in the %(due)s format, not %(format)s.")
                    % {"year": year, "due": due, "format": fmt.key},
                    expected=due,
                    actual=fmt.key,
                    location=str(year),
                )
            )
    if level in _TOWN_LEVELS:
        for row in fmt.data_rows():
            if row.label not in _NOT_FOR_TOWNS:
                continue
            for _column, key in fmt.cells_of(row):
                value = cells.get(key)
                if value:
                    findings.append(
                        Finding(
                            "level_sanity",
                            ERROR,
                            _(
                                "A township or subdistrict cannot make 规章 (rules); "
                                "the figure belongs under 行政规范性文件 or is wrong."
                            ),
                            expected=0,
                            actual=value,
                            location=key,
                        )
                    )
    return findings


_CARRY = (("四", "二"),)  # (row key in year N, row key in year N+1)


def cross_year(earlier: dict, later: dict) -> list[Finding]:
    """四、结转下年度继续办理 of year N = 二、上年结转政府信息公开申请数量 of year N+1, per column,
    when both are known."""
    findings = []
    try:
        fmt_n, fmt_m = get(earlier["format"]), get(later["format"])
    except KeyError:
        return findings
    if earlier.get("year") and later.get("year") and later["year"] != earlier["year"] + 1:
        return findings
    cells_n = {k: as_number(v) for k, v in (earlier.get("cells") or {}).items()}
    cells_m = {k: as_number(v) for k, v in (later.get("cells") or {}).items()}
    for out_key, in_key in _CARRY:
        row_out, row_in = fmt_n.row(out_key), fmt_m.row(in_key)
        if row_out is None or row_in is None or fmt_n.table_of(out_key).key != "三":
            continue
        if fmt_m.table_of(in_key).key != "三":
            continue
        ins = dict(fmt_m.cells_of(row_in))
        for column, key_out in fmt_n.cells_of(row_out):
            key_in = next((k for c, k in ins.items() if c.key == column.key), None)
            if key_in is None:
                continue
            value_out, value_in = cells_n.get(key_out), cells_m.get(key_in)
            if value_out is None or value_in is None or value_out == value_in:
                continue
            findings.append(
                Finding(
                    "cross_year",
                    ERROR,
                    _(
                        "Carried over into %(later)s (%(in)s) differs from carried forward "
                        "out of %(earlier)s (%(out)s)."
                    )
                    % {
                        "later": later.get("year"),
                        "earlier": earlier.get("year"),
                        "in": value_in,
                        "out": value_out,
                    },
                    expected=value_out,
                    actual=value_in,
                    location=f"{later.get('year')}:{key_in}",
                )
            )
    return findings


def narrative_findings(fmt: Format, narrative: dict, cells: dict) -> list[Finding]:
    """Tokens naming no cell of the format, then the checks on the text as it is shown (every
    {{cell:…}} token replaced by its figure)."""
    findings = []
    known = {key: cells.get(key) for key in fmt.cell_keys()}
    for section, key in unknown_tokens(narrative, known):
        findings.append(
            Finding(
                "narrative_token",
                ERROR,
                _("The text quotes a cell the format does not have: %(cell)s.") % {"cell": key},
                location=section,
            )
        )
    for section, placeholder in placeholders(narrative):
        findings.append(
            Finding(
                "narrative_placeholder",
                ERROR,
                _("The text still has a part to write: %(placeholder)s.")
                % {"placeholder": placeholder},
                location=section,
            )
        )
    narrative = render_narrative(narrative, known)
    for mismatch in narrative_sums(narrative):
        findings.append(
            Finding(
                "narrative_sum",
                ERROR,
                _(
                    "The text states a total of %(stated)s%(unit)s but its parts add up to %(sum)s%(unit)s."
                )
                % {"stated": mismatch.stated, "sum": mismatch.computed, "unit": mismatch.unit},
                expected=mismatch.stated,
                actual=mismatch.computed,
                location=f"{mismatch.section}：{mismatch.excerpt}",
            )
        )
    for mismatch in narrative_vs_cells(fmt.key, narrative, cells):
        findings.append(
            Finding(
                "narrative_table",
                ERROR,
                _("The text says %(stated)s where the table (%(cell)s) says %(value)s.")
                % {"stated": mismatch.stated, "cell": mismatch.cell, "value": mismatch.table_value},
                expected=mismatch.table_value,
                actual=mismatch.stated,
                location=f"{mismatch.section}：{mismatch.excerpt}",
            )
        )
    return findings


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
            Finding(
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


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


# --- the --agency mode (database) ------------------------------------------------------------


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
