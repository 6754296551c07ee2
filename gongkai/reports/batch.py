"""The supervisor's batch check of annual reports (issue 15, part 3): every report file of a
folder or a ZIP imported (gongkai.reports.importers) and linted (gongkai.reports.lint), the
reports of one agency in consecutive years linted against each other, and the results as JSON
(``{"reports": [{"file", "agency", "year", "format", "cells", "findings"}]}``) and as a workbook.

Plain Python over files (no database): the `gongkai report check` command and the staff page's
background task (gongkai/reports/tasks.py) both call `check_sources`.

A ZIP is read through the safe reader (gongkai.core.safefile: member count, sizes and ratio
bounded while streaming). A member is never written to disk under its own name: its bytes go to
a temporary file named by its position, keeping only a known suffix; a name that climbs out of
the archive ("../", an absolute path) refuses the whole archive, which was made to attack.
"""

from __future__ import annotations

import io
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.safefile import FileRefused, SafeZip

from .importers import ReportImportError, import_file
from .importers.base import Finding, json_number
from .lint import ERROR, INFO, WARNING, cross_year, lint_report

SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
IMPORT_ERROR = "import_error"

SEVERITY_LABELS = {
    ERROR: gettext_lazy("Error"),
    WARNING: gettext_lazy("Warning"),
    INFO: gettext_lazy("Note"),
}
# status of a checked report, worst first
FAILED, HAS_ERRORS, HAS_WARNINGS, PASSED = "failed", "errors", "warnings", "passed"
STATUS_LABELS = {
    FAILED: gettext_lazy("Could not be read"),
    HAS_ERRORS: gettext_lazy("Has errors"),
    HAS_WARNINGS: gettext_lazy("Needs a look"),
    PASSED: gettext_lazy("Passed"),
}

Progress = Callable[[int, int, str], None]  # (done, total, file name)


@dataclass(frozen=True)
class Source:
    """One report file to check: a file on disk, or the bytes of a ZIP member."""

    name: str  # shown in the results (the path inside the folder or the archive)
    path: Path | None = None
    data: bytes | None = None

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


@dataclass
class CheckedReport:
    file: str
    agency: str = ""
    year: int | None = None
    format: str = ""
    cells: int = 0  # cells with a figure
    findings: list[dict] = field(default_factory=list)
    report: dict | None = field(default=None, repr=False)  # the import schema, for cross-year

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "cells": self.cells,
            "findings": list(self.findings),
        }


def finding_dict(finding: Finding) -> dict:
    """A finding as the batch's JSON gives it: severity, code (the rule), the Chinese message,
    the cell or row it is about, the basis of the rule when the lint names one, and the expected
    and found figures."""
    return {
        "severity": finding.severity,
        "code": finding.rule,
        "message": str(finding.message),
        "location": finding.location,
        "basis": str(getattr(finding, "basis", "") or ""),
        "expected": json_number(finding.expected),
        "actual": json_number(finding.actual),
    }


def counts(findings: Iterable[dict]) -> tuple[int, int]:
    """(errors, warnings) among findings given as dicts."""
    errors = warnings = 0
    for item in findings:
        if item.get("severity") == ERROR:
            errors += 1
        elif item.get("severity") == WARNING:
            warnings += 1
    return errors, warnings


def status_of(entry: dict) -> str:
    findings = entry.get("findings") or []
    if any(item.get("code") == IMPORT_ERROR for item in findings):
        return FAILED
    errors, warnings = counts(findings)
    if errors:
        return HAS_ERRORS
    if warnings:
        return HAS_WARNINGS
    return PASSED


# --- where the files come from ----------------------------------------------------------------


def sources_in_folder(folder: Path) -> list[Source]:
    """The report files of a folder and its subfolders, by path (hidden files left out)."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix.lower() in SUFFIXES:
            found.append(Source(name=relative.as_posix(), path=path))
    return found


def _climbs_out(name: str) -> bool:
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        return True
    return ".." in PurePosixPath(posix).parts


def sources_in_zip(data: bytes, *, name: str) -> list[Source]:
    """The report files of a ZIP, each read within the safe reader's limits. Raises
    FileRefused (a Chinese message for the person who sent it) for an archive that is damaged,
    too large, too compressed, holds too many members or names a path outside itself."""
    sources = []
    with SafeZip(data, name=name) as archive:
        infos = archive.infolist()
        for info in infos:
            if _climbs_out(info.filename):
                raise FileRefused(
                    _(
                        "“%(name)s” names a file outside the archive (“%(part)s”), as attacks "
                        "do; it is refused."
                    )
                    % {"name": name, "part": info.filename},
                    code="archive_path",
                )
        for info in infos:
            member = PurePosixPath(info.filename.replace("\\", "/"))
            if info.is_dir() or any(
                part.startswith(".") or part == "__MACOSX" for part in member.parts
            ):
                continue
            if member.suffix.lower() not in SUFFIXES:
                continue
            sources.append(Source(name=member.as_posix(), data=archive.read(info)))
    return sources


def sources_at(path: str | Path) -> list[Source]:
    """A folder's report files, or a ZIP's (FileRefused when the ZIP is refused)."""
    path = Path(path)
    if path.is_dir():
        return sources_in_folder(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        return sources_in_zip(path.read_bytes(), name=path.name)
    if path.is_file() and path.suffix.lower() in SUFFIXES:
        return [Source(name=path.name, path=path)]
    raise FileNotFoundError(path)


# --- the check ---------------------------------------------------------------------------------


def _import_failure(source: Source, path: Path, error: Exception) -> CheckedReport:
    # a ZIP member is read from a temporary file: its name is the member's in the message
    text = str(error).replace(str(path), source.name).replace(path.name, source.name)
    return CheckedReport(
        file=source.name,
        findings=[
            {
                "severity": ERROR,
                "code": IMPORT_ERROR,
                "message": _("The file cannot be read as an annual report: %(error)s")
                % {"error": text},
                "location": source.name,
                "basis": "",
                "expected": None,
                "actual": None,
            }
        ],
    )


def _check_one(source: Source, path: Path, format_key: str | None) -> CheckedReport:
    try:
        imported = import_file(path, format_key=format_key)
    except (ReportImportError, FileRefused, OSError, ValueError) as exc:
        return _import_failure(source, path, exc)
    report = imported.as_dict()
    found = list(imported.findings) + lint_report(report)
    return CheckedReport(
        file=source.name,
        agency=imported.agency or "",
        year=imported.year,
        format=imported.format,
        cells=sum(1 for value in imported.cells.values() if value is not None),
        findings=[finding_dict(f) for f in found],
        report=report,
    )


def agency_key(name: str) -> str:
    """An agency name compared across files: NFKC, no spaces."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def link_years(checked: list[CheckedReport]) -> int:
    """Lint the reports of one agency in consecutive years against each other (the later report
    gets the findings); the number of pairs compared."""
    by_agency: dict[str, list[CheckedReport]] = {}
    for entry in checked:
        if entry.report is not None and entry.agency and isinstance(entry.year, int):
            by_agency.setdefault(agency_key(entry.agency), []).append(entry)
    pairs = 0
    for entries in by_agency.values():
        for later in entries:
            for earlier in entries:
                if earlier.year != later.year - 1:
                    continue
                pairs += 1
                later.findings += [
                    finding_dict(f) for f in cross_year(earlier.report, later.report)
                ]
    return pairs


def check_sources(
    sources: list[Source], *, format_key: str | None = None, progress: Progress | None = None
) -> list[CheckedReport]:
    """Import and lint every source, then link consecutive years; `progress(done, total, name)`
    after each file. A file that cannot be read is a report with an import error."""
    checked = []
    total = len(sources)
    with tempfile.TemporaryDirectory(prefix="gongkai-check-") as folder:
        for number, source in enumerate(sources, start=1):
            path = source.path
            if path is None:
                # the member's own name is never used on disk
                path = Path(folder) / f"{number:05d}{source.suffix}"
                path.write_bytes(source.data or b"")
            checked.append(_check_one(source, path, format_key))
            if source.path is None:
                path.unlink(missing_ok=True)
            if progress is not None:
                progress(number, total, source.name)
    link_years(checked)
    return checked


def check_reports(
    items: list[tuple[str, dict]],
    *,
    previous: dict[str, dict] | None = None,
    progress: Progress | None = None,
) -> list[CheckedReport]:
    """Lint reports already read (the import schema, e.g. an agency's published figures), each
    named as `file`; `previous` maps an agency name to its report of the year before (linted
    against the report of the same agency). Consecutive years among `items` are linked too."""
    previous = {agency_key(name): report for name, report in (previous or {}).items()}
    checked = []
    total = len(items)
    for number, (name, report) in enumerate(items, start=1):
        agency = report.get("agency") or ""
        found = [finding_dict(f) for f in lint_report(report)]
        earlier = previous.get(agency_key(agency))
        if earlier is not None:
            found += [finding_dict(f) for f in cross_year(earlier, report)]
        cells = report.get("cells") or {}
        checked.append(
            CheckedReport(
                file=name,
                agency=agency,
                year=report.get("year"),
                format=report.get("format") or "",
                cells=sum(1 for value in cells.values() if value is not None),
                findings=found,
                report=report,
            )
        )
        if progress is not None:
            progress(number, total, name)
    link_years(checked)
    return checked


def results(checked: Iterable[CheckedReport]) -> dict:
    """The JSON of a batch."""
    return {"reports": [entry.as_dict() for entry in checked]}


# --- the workbook ------------------------------------------------------------------------------


def summary_rows(payload: dict) -> list[dict]:
    """One row per report: agency, year, format, errors, warnings, status (code and label)."""
    rows = []
    for entry in payload.get("reports") or []:
        errors, warnings = counts(entry.get("findings") or [])
        status = status_of(entry)
        rows.append(
            {
                "file": entry.get("file", ""),
                "agency": entry.get("agency") or "",
                "year": entry.get("year"),
                "format": entry.get("format") or "",
                "cells": entry.get("cells") or 0,
                "errors": errors,
                "warnings": warnings,
                "status": status,
                "status_label": str(STATUS_LABELS[status]),
                "findings": entry.get("findings") or [],
            }
        )
    return rows


def _sheet(book, title: str, headers: list[str], rows: list[list], widths: list[int]):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(headers)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDDDDD")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def workbook(payload: dict) -> bytes:
    """The batch as XLSX: a summary sheet (one row per report) and a sheet of every finding."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    rows = summary_rows(payload)
    _sheet(
        book,
        _("Batch summary"),
        [
            _("Reporting agency"),
            _("Report year"),
            _("Format"),
            _("Errors"),
            _("Warnings"),
            _("Status"),
            _("File"),
        ],
        [
            [
                row["agency"],
                row["year"],
                row["format"],
                row["errors"],
                row["warnings"],
                row["status_label"],
                row["file"],
            ]
            for row in rows
        ],
        [36, 8, 10, 8, 8, 14, 40],
    )
    findings = []
    for row in rows:
        for item in row["findings"]:
            findings.append(
                [
                    row["file"],
                    row["agency"],
                    row["year"],
                    str(SEVERITY_LABELS.get(item.get("severity"), item.get("severity"))),
                    item.get("code", ""),
                    item.get("message", ""),
                    item.get("location", ""),
                    item.get("basis", ""),
                ]
            )
    _sheet(
        book,
        _("Findings"),
        [
            _("File"),
            _("Reporting agency"),
            _("Report year"),
            _("Severity"),
            _("Rule"),
            _("Explanation"),
            _("Location"),
            _("Basis"),
        ],
        findings,
        [32, 30, 8, 8, 18, 70, 30, 30],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
