"""The checks of one report's tables: the format's rules (勾稽关系), totals left blank,
blank cells, and what an agency of its level cannot report.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongkai.reports.formats import Format
from gongkai.reports.formats.registry import for_year
from gongkai.reports.importers.base import Finding

from .findings import BASIS, ERROR, INFO, WARNING, _check_basis, _finding

# rows whose figures a 镇/乡/街道 cannot have: 规章 are made by provinces and cities with
# districts (立法法 第九十三条), never by a township or a subdistrict office
_TOWN_LEVELS = ("township", "subdistrict")
_NOT_FOR_TOWNS = ("规章",)


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
