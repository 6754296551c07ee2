"""`gongkai report export --agency X --year Y --format F --to FILE.docx|.pdf|.xlsx|.html|.json
[--published]`: an agency's report written as a file. By default the report as computed from
the records now (with the narrative stored on the report); with --published the latest
published version, as the public sees it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from . import exports
from .compute import compute_report
from .formats import KEYS
from .models import Report
from .selectors import published_version, resolve_agency

HELP = "Export an agency's annual report as DOCX, PDF, XLSX, HTML or JSON."


def add_arguments(parser) -> None:
    parser.add_argument("--agency", required=True, help="URL name, name or credit code.")
    parser.add_argument("--year", required=True, type=int)
    parser.add_argument("--format", dest="fmt", choices=KEYS, help="Default: the report's own.")
    parser.add_argument("--to", required=True, help="The file to write; its extension is the kind.")
    parser.add_argument(
        "--published", action="store_true", help="The latest published version instead."
    )


def handle(command, *, agency, year, to, fmt=None, published=False, **_options) -> int:
    found = resolve_agency(agency)
    if found is None:
        raise CommandError(_("No agency is called “%s”.") % agency)
    path = Path(to)
    kind = path.suffix.lower().lstrip(".")
    if kind == "htm":
        kind = "html"
    if kind not in exports.KINDS:
        raise CommandError(
            _("Cannot export to “%(name)s”: use one of %(kinds)s.")
            % {"name": path.name, "kinds": ", ".join("." + k for k in exports.KINDS)}
        )
    if published:
        version = published_version(found, year)
        if version is None:
            raise CommandError(_("No report of that year is published."))
        if fmt and fmt != version.report.format:
            raise CommandError(_("The published report is in format %s.") % version.report.format)
        doc = exports.from_version(version)
    else:
        report = Report.objects.filter(agency=found, year=year).first()
        fmt = fmt or (report.format if report else None)
        if fmt is None:
            raise CommandError(_("Give --format: the agency has no report of that year yet."))
        narrative = report.narrative if report is not None else {}
        doc = exports.from_computed(compute_report(found, year, fmt), narrative)
    out = exports.export(doc, kind)
    try:
        path.write_bytes(out.content)
    except OSError as exc:
        raise CommandError(
            _("Cannot write %(name)s: %(error)s") % {"name": path, "error": exc}
        ) from exc
    command.stdout.write(
        _("Wrote %(name)s (%(size)d bytes).") % {"name": path, "size": len(out.content)}
    )
    return 0
