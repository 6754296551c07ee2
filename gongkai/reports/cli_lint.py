"""`gongkai report lint FILE | --agency X --year Y [--format F] [--previous FILE] [--json]`;
`gongkai report lint FILE --agency X` also compares the file with what the agency's records give
for its year and format.

Plugs into the `report` management command (gongkai/reports/management/commands/report.py:
HELP, add_arguments, handle) and offers the same as ``add_lint_parser(subparsers)`` /
``run_lint(options, stdout) -> exit status``. Exit status 1 when an error is found, 2 when the
input cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.utils.translation import gettext as _

from .formats import KEYS
from .importers import ReportImportError, import_file
from .importers.base import json_number
from .lint import has_errors, lint_report, severity_label

HELP = (
    "Check an annual report: table rules, carry-over and the stock of documents in force "
    "against the year before (--previous), sanity, narrative figures and sums."
)


def add_arguments(parser) -> None:
    parser.add_argument("file", nargs="?", help="A report file (.txt, .html, .docx, .pdf, .json).")
    parser.add_argument(
        "--agency",
        help="Lint an agency's report computed from the records; with a FILE, compare the file "
        "with the agency's records.",
    )
    parser.add_argument("--year", type=int)
    parser.add_argument("--format", dest="fmt", choices=KEYS)
    parser.add_argument("--previous", help="The same agency's report of the year before.")
    parser.add_argument("--json", action="store_true", help="Print the findings as JSON.")


def add_lint_parser(subparsers):
    parser = subparsers.add_parser("lint", help=HELP)
    add_arguments(parser)
    return parser


def load_report(path: str, fmt: str | None = None) -> tuple[dict, list]:
    """A report file as the import schema, with the import's findings. A .json file is taken
    as the schema itself (an export, or the output of `report import --json`)."""
    file = Path(path)
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ReportImportError(f"{path}: {exc}") from exc
        if not isinstance(data, dict) or "format" not in data or "cells" not in data:
            raise ReportImportError(f"{path}: not a report (needs format and cells)")
        return data, []
    imported = import_file(file, format_key=fmt)
    return imported.as_dict(), list(imported.findings)


class _Failure(Exception):
    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def _lint(options: dict) -> tuple[dict, list]:
    path, agency = options.get("file"), options.get("agency")
    if not path and not agency:
        raise _Failure(_("Give either a report file or --agency with --year."))
    if agency and not path:
        if not options.get("year"):
            raise _Failure(_("--agency needs --year."))
        return _lint_agency(agency, options["year"], options.get("fmt"))
    try:
        report, findings = load_report(path, options.get("fmt"))
        previous = None
        if options.get("previous"):
            previous, _previous_findings = load_report(options["previous"])
    except ReportImportError as exc:
        raise _Failure(_("Cannot read the report: %(error)s") % {"error": exc}) from exc
    findings = findings + lint_report(report, previous=previous)
    if agency:
        findings += _against_records(report, _agency(agency))
    return report, findings


def _agency(name: str):
    from .selectors import resolve_agency

    found = resolve_agency(name)
    if found is None:
        raise _Failure(_("No agency is called “%s”.") % name)
    return found


def _against_records(report: dict, agency) -> list:
    from .compute import compute_report
    from .lint import against_records

    if not isinstance(report.get("year"), int):
        raise _Failure(_("The report gives no year to compare with the records."))
    computed = compute_report(agency, report["year"], report["format"])
    return against_records(report, computed.cells)


def _lint_agency(name: str, year: int, fmt: str | None) -> tuple[dict, list]:
    from .lint import lint_agency

    return lint_agency(_agency(name), year, fmt)


def finding_json(finding) -> dict:
    """A finding as the JSON output gives it: the import schema's keys and the rule's basis
    (empty for an import finding)."""
    return {**finding.as_dict(), "basis": str(getattr(finding, "basis", "") or "")}


def finding_line(finding) -> str:
    """One finding as a line of the text output, all in Chinese: severity, where, what, and
    the basis of the rule."""
    line = _("[%(severity)s] %(location)s: %(message)s") % {
        "severity": severity_label(finding.severity),
        "location": finding.location,
        "message": finding.message,
    }
    basis = getattr(finding, "basis", "")
    if basis:
        line += _(" (basis: %(basis)s)") % {"basis": basis}
    return line


def run_lint(options: dict, stdout) -> int:
    """Run the lint for parsed `options` (a dict), writing to `stdout` (a text stream with
    write()); returns the exit status."""
    try:
        report, findings = _lint(options)
    except _Failure as exc:
        stdout.write(f"{exc}\n")
        return exc.status
    if options.get("json"):
        payload = {"findings": [finding_json(f) for f in findings]}
        stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=json_number) + "\n")
    else:
        agency = report.get("agency")
        if isinstance(agency, dict):
            agency = agency.get("name", "")
        stdout.write(f"{agency or '?'} {report.get('year') or '?'} · {report.get('format')}\n")
        for f in findings:
            stdout.write(finding_line(f) + "\n")
        errors = sum(1 for f in findings if f.severity == "error")
        stdout.write(
            _("%(errors)d error(s), %(others)d other finding(s).")
            % {"errors": errors, "others": len(findings) - errors}
            + "\n"
        )
    return 1 if has_errors(findings) else 0


class _Out:
    """A management command's OutputWrapper as a plain text stream."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(text, ending="")


def handle(command, **options) -> int:
    return run_lint(options, _Out(command.stdout))
