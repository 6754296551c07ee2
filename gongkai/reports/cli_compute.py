"""`gongkai report compute --agency X --year Y --format F [--json]`: an agency's report computed
from the records, as a table (rich) or as the JSON schema of import/export."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table as RichTable

from .compute import compute_report
from .formats import KEYS, get
from .selectors import resolve_agency

HELP = "Compute an agency's annual report from the records."


def add_arguments(parser) -> None:
    parser.add_argument("--agency", required=True, help="URL name, name or credit code.")
    parser.add_argument("--year", required=True, type=int)
    parser.add_argument("--format", dest="fmt", required=True, choices=KEYS)
    parser.add_argument("--json", action="store_true", help="Print the JSON schema instead.")


def _shown(value, zero_blank: bool) -> str:
    if value is None or (zero_blank and value == 0):
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def handle(command, *, agency, year, fmt, json: bool = False, **_options) -> int:
    found = resolve_agency(agency)
    if found is None:
        raise CommandError(_("No agency is called “%s”.") % agency)
    report = compute_report(found, year, fmt)
    if json:
        command.stdout.write(_dumps(report.as_json()))
        return 0
    console = Console(file=_Out(command.stdout), highlight=False, soft_wrap=True, width=160)
    format_ = get(fmt)
    console.print(f"{found.name} {year} · {format_.name}（{format_.basis}）")
    for table in format_.tables:
        grid = RichTable(title=table.title, show_lines=False)
        grid.add_column(_("Row"))
        grid.add_column(_("Unit"))
        for column in table.columns:
            grid.add_column(column.label.replace("|", " "), justify="right")
        for row in table.rows:
            cells = dict((c.key, k) for c, k in format_.cells_of(row)) if not row.header else {}
            values = [
                _shown(report.cells.get(cells[c.key]), format_.zero_shown_blank)
                if c.key in cells
                else ""
                for c in table.columns
            ]
            grid.add_row(row.label, row.unit, *values)
        console.print(grid)
    for note in report.provisional_notes:
        console.print(note)
    return 0


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)


class _Out:
    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, text: str) -> int:
        self.stdout.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.stdout.flush()
