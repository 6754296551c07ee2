"""`gongkai report import FILE [--format F] [--json]`: a published report (plain text, HTML,
DOCX, PDF with a text layer) read into its format's structure. With --json it prints the import
schema ``{"format", "year", "agency", "cells", "narrative", "findings"}``.

Plugs into the `report` management command (HELP, add_arguments, handle) and offers the same as
``add_import_parser(subparsers)`` / ``run_import(options, stdout) -> exit status``.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from .formats import KEYS, get
from .importers import ReportImportError, import_file
from .importers.base import json_number

HELP = "Import a published annual report (text, HTML, DOCX, PDF) into its format's cells."


def add_arguments(parser) -> None:
    parser.add_argument("file", help="The report: .txt, .html, .docx or .pdf.")
    parser.add_argument(
        "--format", dest="fmt", choices=KEYS, help="Force the format (detected by default)."
    )
    parser.add_argument("--json", action="store_true", help="Print the import schema as JSON.")


def add_import_parser(subparsers):
    parser = subparsers.add_parser("import", help=HELP)
    add_arguments(parser)
    return parser


def run_import(options: dict, stdout) -> int:
    try:
        report = import_file(options["file"], format_key=options.get("fmt"))
    except (ReportImportError, OSError) as exc:
        stdout.write(_("Cannot read the report: %(error)s") % {"error": exc} + "\n")
        return 2
    payload = report.as_dict()
    if options.get("json"):
        stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=json_number) + "\n")
        return 0
    fmt = get(report.format)
    stdout.write(f"{report.agency or '?'} {report.year or '?'} · {fmt.key} {fmt.name}\n")
    filled = sum(1 for v in report.cells.values() if v is not None)
    stdout.write(
        _("%(filled)d of %(total)d cells filled.") % {"filled": filled, "total": len(report.cells)}
        + "\n"
    )
    for key, value in report.cells.items():
        if value is not None:
            stdout.write(f"  {key}: {json_number(value)}\n")
    for title in report.narrative:
        stdout.write(f"§ {title or _('(preamble)')}\n")
    for f in report.findings:
        stdout.write(f"[{f.severity}] {f.rule} {f.location}: {f.message}\n")
    return 0


class _Out:
    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(text, ending="")


def handle(command, **options) -> int:
    return run_import(options, _Out(command.stdout))
