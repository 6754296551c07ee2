"""`gongkai report check DIR_OR_ZIP [--xlsx OUT] [--json] [--format KEY]`: the supervisor's
batch check (gongkai/reports/batch.py). Every report file of the folder or the ZIP is imported
and linted, one agency's consecutive years against each other; progress goes to stderr (a bar
on a terminal, a line a file otherwise), the results to stdout (a table, or the JSON with
--json), the workbook to --xlsx. Exit status 1 when a report has an error (a file that cannot be
read included), 2 when the input cannot be read at all.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from gongkai.core.safefile import FileRefused

from . import batch
from .formats import KEYS
from .importers.base import json_number

HELP = "Check every annual report of a folder or a ZIP; write the findings as JSON and XLSX."


def add_arguments(parser) -> None:
    parser.add_argument("source", help="A folder of report files, or a ZIP of them.")
    parser.add_argument("--xlsx", help="Write the summary and the findings to this workbook.")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    parser.add_argument(
        "--format", dest="fmt", choices=KEYS, help="Force the format (detected by default)."
    )


class _Stream:
    """A management command's OutputWrapper as a plain text stream (for rich)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


def _check(sources: list[batch.Source], fmt: str | None, err: Console) -> list:
    if err.is_terminal:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task(_("Checking reports"), total=len(sources))

            def advance(done: int, total: int, name: str) -> None:
                bar.update(task, completed=done, description=name[-40:])

            return batch.check_sources(sources, format_key=fmt, progress=advance)

    def line(done: int, total: int, name: str) -> None:
        err.print(
            _("Checked %(done)d of %(total)d: %(name)s")
            % {"done": done, "total": total, "name": name},
            markup=False,
        )

    return batch.check_sources(sources, format_key=fmt, progress=line)


def handle(command, **options) -> int:
    source, xlsx, fmt = options["source"], options.get("xlsx"), options.get("fmt")
    out = Console(file=_Stream(command.stdout), highlight=False, soft_wrap=True, width=160)
    err = Console(file=_Stream(command.stderr), highlight=False, soft_wrap=True, width=120)
    try:
        sources = batch.sources_at(source)
    except FileRefused as exc:
        err.print(str(exc), markup=False)
        return 2
    except (FileNotFoundError, OSError):
        err.print(_("No folder or ZIP of reports at “%(path)s”.") % {"path": source}, markup=False)
        return 2
    if not sources:
        err.print(_("No report files (.txt, .html, .docx, .pdf) were found."), markup=False)
        return 2
    checked = _check(sources, fmt, err)
    payload = batch.results(checked)
    if xlsx:
        Path(xlsx).write_bytes(batch.workbook(payload))
        err.print(_("Wrote the workbook %(name)s.") % {"name": xlsx}, markup=False)
    if options.get("json"):
        command.stdout.write(_dumps(payload))
    else:
        _print_table(out, payload)
    return 1 if any(row["errors"] for row in batch.summary_rows(payload)) else 0


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=json_number)


def _print_table(out: Console, payload: dict) -> None:
    for row in batch.summary_rows(payload):
        out.print(
            f"{row['status_label']}\t{row['agency'] or '?'}\t{row['year'] or '?'}\t"
            f"{row['format'] or '?'}\t"
            + _("%(errors)d error(s), %(warnings)d warning(s)")
            % {"errors": row["errors"], "warnings": row["warnings"]}
            + f"\t{row['file']}",
            markup=False,
        )
    rows = batch.summary_rows(payload)
    out.print(
        _("%(reports)d report(s), %(failed)d could not be read, %(errors)d with errors.")
        % {
            "reports": len(rows),
            "failed": sum(1 for row in rows if row["status"] == batch.FAILED),
            "errors": sum(1 for row in rows if row["status"] == batch.HAS_ERRORS),
        },
        markup=False,
    )
