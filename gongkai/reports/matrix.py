"""The supervisor's roll-up matrix (issue 15 part 4): the agencies of a subtree that publish their
own annual report × the format's key indicators (formats/indicators.py), with column totals.

Each agency's figures of the year are its latest published version, else its stored imported
report (rollup.figures without computing: a report nobody published is not guessed); without
either it is 逾期未发布 once its due date (deadlines.report_deadline, the nearest ancestor's
ReportDeadline winning) has passed, else 未发布. With `compare` the previous year's figures stand
beside each indicator, with the change. The page and the XLSX export both read `report_matrix`.

Queries: the agencies (1), the stored figures of each year read (3 per year) and the deadline
overrides (1), however many agencies the subtree holds (the tests pin it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.models import Agency

from .deadlines import deadline_overrides, report_deadline
from .formats import for_year, get
from .formats.indicators import Indicator, indicators_for
from .lint import as_number
from .rollup import IMPORTED, OTHER_FORMAT, PUBLISHED, AgencyFigures, figures

OVERDUE, NOT_PUBLISHED = "overdue", "not_published"
STATUS_LABELS = {
    PUBLISHED: gettext_lazy("Published"),
    IMPORTED: gettext_lazy("Published elsewhere (imported)"),
    OTHER_FORMAT: gettext_lazy("Published in another format"),
    OVERDUE: gettext_lazy("Overdue, not published"),
    NOT_PUBLISHED: gettext_lazy("Not published"),
}

Number = int | Decimal


@dataclass(frozen=True)
class Value:
    current: Number | None
    previous: Number | None = None

    @property
    def change(self) -> Number | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class MatrixRow:
    agency: Agency
    status: str  # PUBLISHED | IMPORTED | OTHER_FORMAT | OVERDUE | NOT_PUBLISHED
    due: date
    values: tuple[Value, ...]  # one per indicator
    version: int | None = None  # the published version

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def is_overdue(self) -> bool:
        return self.status == OVERDUE

    @property
    def has_figures(self) -> bool:
        return self.status in (PUBLISHED, IMPORTED, OTHER_FORMAT)


@dataclass(frozen=True)
class Matrix:
    agency: Agency
    year: int
    format: str
    indicators: tuple[Indicator, ...]
    rows: tuple[MatrixRow, ...]
    totals: tuple[Value, ...]
    compare: bool

    @property
    def previous_year(self) -> int:
        return self.year - 1

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def overdue(self) -> int:
        return self.count(OVERDUE)

    @property
    def with_figures(self) -> int:
        return sum(1 for row in self.rows if row.has_figures)


def expected_agencies(agency: Agency, visible: QuerySet | None = None) -> list[Agency]:
    """The active agencies of the subtree (the agency included) that owe their own report,
    within `visible` when given (one query)."""
    rows = Agency.objects.subtree_of(agency).active().filter(publishes_annual_report=True)
    if visible is not None:
        rows = rows.filter(pk__in=visible.values("pk"))
    return list(rows.order_by("path"))


def indicator_values(item: AgencyFigures | None) -> dict[str, Number | None]:
    """{indicator key: value} of stored figures, by the indicators of their own format (a
    report stored in another format still gives the indicators both formats share). A value is
    the sum of its cells' figures; None when every one of them is blank."""
    if item is None:
        return {}
    values: dict[str, Number | None] = {}
    fmt = get(item.format)
    for indicator in indicators_for(item.format):
        numbers = [as_number(item.cells.get(key)) for key in indicator.cell_keys(fmt)]
        present = [n for n in numbers if n is not None]
        values[indicator.key] = sum(present) if present else None
    return values


def _sum(values) -> Number | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def report_matrix(
    agency: Agency,
    year: int,
    *,
    visible: QuerySet | None = None,
    compare: bool = False,
    today: date | None = None,
) -> Matrix:
    """The matrix of `agency`'s subtree for `year` (`compare`: with `year - 1` beside)."""
    today = today or timezone.localdate()
    fmt_key = for_year(year).key
    indicators = indicators_for(fmt_key)
    agencies = expected_agencies(agency, visible)
    current = figures(agencies, year, fmt_key, compute=False)
    previous = figures(agencies, year - 1, compute=False) if compare else {}
    overrides = deadline_overrides(agencies)
    rows = []
    for item in agencies:
        stored = current.get(item.pk)
        now = indicator_values(stored)
        before = indicator_values(previous.get(item.pk))
        due = report_deadline(item, year, overrides)
        if stored is not None:
            status = stored.source
        else:
            status = OVERDUE if today > due else NOT_PUBLISHED
        rows.append(
            MatrixRow(
                item,
                status,
                due,
                tuple(Value(now.get(i.key), before.get(i.key)) for i in indicators),
                stored.version if stored is not None else None,
            )
        )
    totals = tuple(
        Value(
            _sum(row.values[n].current for row in rows),
            _sum(row.values[n].previous for row in rows) if compare else None,
        )
        for n in range(len(indicators))
    )
    return Matrix(agency, year, fmt_key, indicators, tuple(rows), totals, compare)


# --- XLSX ----------------------------------------------------------------------------------


def matrix_headers(matrix: Matrix) -> list[str]:
    """The column headers of the table (the page's and the workbook's)."""
    headers = [_("Agency"), _("Status"), _("Due date")]
    for indicator in matrix.indicators:
        name = f"{indicator.label}（{indicator.unit}）"
        if matrix.compare:
            headers += [
                _("%(name)s %(year)s") % {"name": name, "year": matrix.year},
                _("%(name)s %(year)s") % {"name": name, "year": matrix.previous_year},
                _("%(name)s change") % {"name": name},
            ]
        else:
            headers.append(name)
    return headers


def _cells(values: tuple[Value, ...], compare: bool) -> list[Number | None]:
    out: list[Number | None] = []
    for value in values:
        out += [value.current, value.previous, value.change] if compare else [value.current]
    return out


def matrix_xlsx(matrix: Matrix) -> bytes:
    """The matrix as a workbook: a title, the headers, one row per agency (its status in words,
    overdue ones in red), the totals row; figures as numbers, blanks empty."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = str(matrix.year)
    title = _("Annual reports %(year)s of %(agency)s and the agencies under it") % {
        "year": matrix.year,
        "agency": matrix.agency.name,
    }
    book.properties.title = title
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
    bold = Font(bold=True)
    overdue = PatternFill("solid", fgColor="F8D7DA")
    headers = matrix_headers(matrix)
    for column, text in enumerate(headers, start=1):
        sheet.cell(row=2, column=column, value=text).font = bold
    line = 3
    for row in matrix.rows:
        cells = [row.agency.name, str(row.label), row.due, *_cells(row.values, matrix.compare)]
        for column, value in enumerate(cells, start=1):
            target = sheet.cell(row=line, column=column, value=value)
            if column == 3:
                target.number_format = "yyyy-mm-dd"
        if row.is_overdue:
            sheet.cell(row=line, column=2).fill = overdue
        line += 1
    counted = _("%(count)s of %(all)s with figures") % {
        "count": matrix.with_figures,
        "all": len(matrix.rows),
    }
    totals = [_("Total"), counted, None, *_cells(matrix.totals, matrix.compare)]
    for column, value in enumerate(totals, start=1):
        sheet.cell(row=line, column=column, value=value).font = bold
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 12
    for column in range(4, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
