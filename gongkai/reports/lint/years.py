"""The cross-year rules: 四 of year N = 二 of year N+1; the 现行有效 stock carried on."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongkai.reports.formats import Format, get
from gongkai.reports.importers.base import Finding

from .findings import ERROR, WARNING, _finding, as_number

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
