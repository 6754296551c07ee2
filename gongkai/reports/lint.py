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

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.reports.formats import Format, get
from gongkai.reports.formats.registry import for_year
from gongkai.reports.importers.base import Finding, agency_level
from gongkai.reports.narrative import placeholders, render_narrative, unknown_tokens
from gongkai.reports.narrative_check import (
    narrative_percentages,
    narrative_sums,
    narrative_vs_cells,
)

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
                    _finding(
                        "check_skipped",
                        INFO,
                        _("%(check)s: not checked, a row it needs is missing.")
                        % {"check": failure.message},
                        basis=_check_basis(fmt, failure.table, failure.message),
                        location=", ".join(sorted(missing)),
                    )
                )
            continue
        findings.append(
            _finding(
                failure.rule,
                ERROR,
                _("%(check)s: expected %(expected)s, found %(actual)s.")
                % {
                    "check": failure.message,
                    "expected": failure.expected,
                    "actual": failure.actual,
                },
                basis=_check_basis(fmt, failure.table, failure.message),
                expected=failure.expected,
                actual=failure.actual,
                location=failure.location,
            )
        )
    return findings


def blank_totals(fmt: Format, cells: dict) -> dict:
    """Total cells left blank while their parts hold a figure other than 0: cell key → the
    parts' sum. In every format: the ``when_filled`` checks of the pre-2019 table
    (``Format.omitted_totals``) and, where a blank means 0, the target of every sum check
    (e.g. a 2021 表三 row "四、结转下年度继续办理" with 1 under 自然人 and its 总计 blank)."""
    found = dict(fmt.omitted_totals(cells))
    if fmt.zero_shown_blank:
        return found
    # a total of totals (（七）总计|总计 over a blank （七）总计|自然人) follows in a later pass
    for _pass in range(3):
        before = len(found)
        _sum_targets(fmt, {**cells, **found}, found)
        if len(found) == before:
            break
    return found


def _sum_targets(fmt: Format, cells: dict, found: dict) -> None:
    for table in fmt.tables:
        for check in table.checks:
            if check.rule == "sum_of_columns":
                target = next(c for c in table.columns if c.key == check.target)
                parts = [c for c in table.columns if c.key in check.parts]
                for row in table.data_rows():
                    if check.rows and row.key not in check.rows:
                        continue
                    if target not in table.row_columns(row):
                        continue
                    values = [cells.get(fmt.cell_key(row, c)) for c in parts]
                    _blank_total(found, cells, fmt.cell_key(row, target), values)
            elif check.rule == "sum_of_rows" and isinstance(check.target, str):
                row = fmt.row(check.target)
                for column in table.columns:
                    if check.columns and column.key not in check.columns:
                        continue
                    values = [cells.get(fmt.cell_key(r, column)) for r in check.parts]
                    _blank_total(found, cells, fmt.cell_key(row, column), values)


def _blank_total(found: dict, cells: dict, key: str, values: list) -> None:
    if cells.get(key) is None and key not in found and any(v for v in values if v):
        found[key] = sum((v for v in values if v is not None), start=0)


def omitted_totals(fmt: Format, cells: dict) -> list[Finding]:
    """A total left blank while its parts hold figures: the figure is not 0 but their sum."""
    return [
        _finding(
            "omitted_total",
            WARNING,
            _("Blank total: its parts add up to %(sum)s; write the total.") % {"sum": total},
            expected=total,
            actual=None,
            location=key,
        )
        for key, total in blank_totals(fmt, cells).items()
    ]


def blank_cells(fmt: Format, cells: dict) -> list[Finding]:
    """Blank cells where the format means 0 (a warning: write 0), grouped: one "blank_cell"
    finding for a single cell, one "blank_row" for a row blank in several cells (wholly or
    not), one "blank_cells" per table when blanks fall in more than one row (125 blanks are one
    finding per table, not 125). A table with no figure at all gives one "table_missing".
    Formats whose published tables show zeros as blanks (pre2019) report them as info."""
    filled = _filled_tables(fmt, cells)
    omitted = blank_totals(fmt, cells)
    findings = []
    severity = INFO if fmt.zero_shown_blank else WARNING
    for table in fmt.tables:
        if table.key not in filled:
            findings.append(
                _finding(
                    "table_missing",
                    WARNING,
                    _("The table “%(table)s” has no figures.") % {"table": table.title},
                    location=table.title,
                )
            )
            continue
        blank_rows: list[tuple[str, list[str], bool]] = []  # (row label, blank keys, whole row)
        for row in table.data_rows():
            if not row.blank_means_zero:
                continue
            keys = [key for _column, key in fmt.cells_of(row)]
            blanks = [key for key in keys if cells.get(key) is None and key not in omitted]
            if blanks:
                label = fmt.row_label_for_key(row) or table.title
                blank_rows.append((label, blanks, len(blanks) == len(keys)))
        if not blank_rows:
            continue
        if len(blank_rows) == 1:
            label, blanks, whole = blank_rows[0]
            if len(blanks) == 1:
                findings.append(
                    _finding(
                        "blank_cell",
                        severity,
                        _("Blank cell: write 0 when the figure is zero."),
                        basis=BASIS["blank"],
                        expected=0,
                        actual=None,
                        location=blanks[0],
                    )
                )
            else:
                message = (
                    _("Blank row: write 0 in every cell when the figures are zero.")
                    if whole
                    else _("%(count)d blank cells in this row: write 0 when a figure is zero.")
                    % {"count": len(blanks)}
                )
                findings.append(
                    _finding(
                        "blank_row",
                        severity,
                        message,
                        basis=BASIS["blank"],
                        expected=0,
                        actual=None,
                        location=label,
                    )
                )
            continue
        count = sum(len(blanks) for _label, blanks, _whole in blank_rows)
        findings.append(
            _finding(
                "blank_cells",
                severity,
                _(
                    "%(count)d blank cells in %(rows)d rows of this table: write 0 when a "
                    "figure is zero. Rows: %(labels)s."
                )
                % {
                    "count": count,
                    "rows": len(blank_rows),
                    # the first rows name the place; the count says how many there are
                    "labels": "、".join(label for label, _blanks, _whole in blank_rows[:5])
                    + ("…" if len(blank_rows) > 5 else ""),
                },
                basis=BASIS["blank"],
                expected=0,
                actual=None,
                location=table.title,
            )
        )
    return findings


def format_sanity(fmt: Format, cells: dict, year, level: str | None) -> list[Finding]:
    findings = []
    if isinstance(year, int):
        due = for_year(year).key
        if due != fmt.key:
            findings.append(
                _finding(
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
                    # a figure in the wrong row, not an arithmetic contradiction: a warning
                    findings.append(
                        _finding(
                            "level_sanity",
                            WARNING,
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
# the 现行有效 stock of table 二（一）: (stock column, issued column, repealed column) per format
_STOCK = {"2021": ("in_force", "issued", "repealed")}


def cross_year(earlier: dict, later: dict) -> list[Finding]:
    """The same agency's reports of two consecutive years: 四、结转下年度继续办理 of year N =
    二、上年结转政府信息公开申请数量 of year N+1, per column (an error), and the 现行有效 stock
    of table 二（一）: stock of N + 制发 − 废止 of N+1 = stock of N+1 (a warning: documents
    can expire). Figures unknown on either side are not compared."""
    findings: list[Finding] = []
    try:
        fmt_n, fmt_m = get(earlier["format"]), get(later["format"])
    except KeyError:
        return findings
    if earlier.get("year") and later.get("year") and later["year"] != earlier["year"] + 1:
        return findings
    cells_n = {k: as_number(v) for k, v in (earlier.get("cells") or {}).items()}
    cells_m = {k: as_number(v) for k, v in (later.get("cells") or {}).items()}
    findings += _carry_over(fmt_n, fmt_m, cells_n, cells_m, earlier, later)
    findings += stock_continuity(fmt_n, fmt_m, cells_n, cells_m, later.get("year"))
    return findings


def _carry_over(fmt_n, fmt_m, cells_n, cells_m, earlier, later) -> list[Finding]:
    findings = []
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
                _finding(
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


def stock_continuity(fmt_n: Format, fmt_m: Format, cells_n: dict, cells_m: dict, year=None):
    """现行有效件数 of year N + 本年制发件数 − 本年废止件数 of N+1 against 现行有效件数 of
    N+1, per row of table 二（一） (both years in a format that counts the stock)."""
    if fmt_n.key not in _STOCK or fmt_m.key not in _STOCK:
        return []
    stock_n = _STOCK[fmt_n.key][0]
    stock, issued, repealed = _STOCK[fmt_m.key]
    findings = []
    for row in fmt_m.table("二（一）").data_rows():
        row_n = fmt_n.row(row.label)
        if row_n is None:
            continue
        before = cells_n.get(fmt_n.cell_key(row_n, stock_n))
        made = cells_m.get(fmt_m.cell_key(row, issued))
        gone = cells_m.get(fmt_m.cell_key(row, repealed))
        now = cells_m.get(fmt_m.cell_key(row, stock))
        if None in (before, made, gone, now):
            continue
        expected = before + made - gone
        if expected == now:
            continue
        findings.append(
            _finding(
                "stock_continuity",
                WARNING,
                _(
                    "%(row)s in force: last year's %(before)s + %(made)s issued − %(gone)s "
                    "repealed = %(expected)s, the table says %(now)s (documents that expired "
                    "explain a lower figure; say so in the text)."
                )
                % {
                    "row": row.label,
                    "before": before,
                    "made": made,
                    "gone": gone,
                    "expected": expected,
                    "now": now,
                },
                expected=expected,
                actual=now,
                location=f"{year}:{fmt_m.cell_key(row, stock)}"
                if year
                else fmt_m.cell_key(row, stock),
            )
        )
    return findings


def narrative_findings(fmt: Format, narrative: dict, cells: dict) -> list[Finding]:
    """Tokens naming no cell of the format, then the checks on the text as it is shown (every
    {{cell:…}} token replaced by its figure): sums (an error: a total that is not its parts),
    shares (a warning), figures against the table cells they name (an error when the words
    are the table's own, a warning when they may count something wider, a note when 收到/受理
    counts the carried-over applications in)."""
    findings = []
    known = {key: cells.get(key) for key in fmt.cell_keys()}
    for section, key in unknown_tokens(narrative, known):
        findings.append(
            _finding(
                "narrative_token",
                ERROR,
                _("The text quotes a cell the format does not have: %(cell)s.") % {"cell": key},
                location=section,
            )
        )
    for section, placeholder in placeholders(narrative):
        findings.append(
            _finding(
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
            _finding(
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
    for share in narrative_percentages(narrative):
        findings.append(
            _finding(
                "narrative_percent",
                WARNING,
                _(
                    "The text gives %(label)s a share of %(stated)s%%; its figures give %(computed)s%%."
                )
                % {"label": share.label, "stated": share.stated, "computed": share.computed},
                expected=share.computed,
                actual=share.stated,
                location=f"{share.section}：{share.excerpt}",
            )
        )
    for mismatch in narrative_vs_cells(fmt.key, narrative, cells):
        location = f"{mismatch.section}：{mismatch.excerpt}"
        if mismatch.with_carry and mismatch.quantity == "received":
            findings.append(
                _finding(
                    "narrative_received_with_carry",
                    INFO,
                    _(
                        "The text counts %(stated)s applications: the %(new)s received this year "
                        "and the %(carried)s carried over from last year. The table counts them "
                        "apart."
                    )
                    % {
                        "stated": mismatch.stated,
                        "new": mismatch.table_value,
                        "carried": mismatch.stated - mismatch.table_value,
                    },
                    basis=BASIS["narrative_table"],
                    expected=mismatch.table_value,
                    actual=mismatch.stated,
                    location=location,
                )
            )
            continue
        # 新收 N件 where N = 新收 + 上年结转: the carried-over counted in under the wrong word,
        # a look is enough
        exact = mismatch.strength == "exact" and not mismatch.with_carry
        findings.append(
            _finding(
                "narrative_table",
                ERROR if exact else WARNING,
                _("The text says %(stated)s where the table (%(cell)s) says %(value)s.")
                % {"stated": mismatch.stated, "cell": mismatch.cell, "value": mismatch.table_value},
                expected=mismatch.table_value,
                actual=mismatch.stated,
                location=location,
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
