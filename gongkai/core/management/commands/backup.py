"""Backups on the command line (PostgreSQL).

gongkai backup create DIR    pg_dump (custom format) + MEDIA_ROOT + the private files, with
                             manifest.json (row counts, SHA-256 of every file); DIR must not exist
gongkai backup restore DIR   checks every checksum, then restores into an EMPTY database and
                             empty media folders, and compares the row counts with the manifest
"""

from pathlib import Path
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from gongkai.core.backup import BackupError, backup_create, backup_restore


class Command(BaseCommand):
    help = "Back up the database and the stored files, or restore a backup."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Write a backup into DIR (a new folder).")
        create.add_argument("dir", type=Path)
        restore = sub.add_parser(
            "restore", help="Restore the backup in DIR into an empty database and media folders."
        )
        restore.add_argument("dir", type=Path)

    def handle(self, *args, action, dir, **options):
        # _out is the wrapped stream (django-stubs type OutputWrapper's attributes as callables)
        out = Console(file=cast(TextIO, self.stdout._out), highlight=False, soft_wrap=True)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=out, transient=True) as bar:
            tasks = {}

            def progress(description: str, done: int, total: int) -> None:
                if description not in tasks:
                    tasks[description] = bar.add_task(description, total=total)
                bar.update(tasks[description], completed=done, total=total)

            try:
                if action == "create":
                    manifest = backup_create(target=dir, progress=progress)
                else:
                    counts = backup_restore(source=dir, progress=progress)
            except BackupError as exc:
                raise CommandError(str(exc)) from None
        if action == "create":
            out.print(
                _("Backup written to %(dir)s: %(tables)d tables, %(rows)d rows, %(files)d files.")
                % {
                    "dir": dir,
                    "tables": len(manifest["row_counts"]),
                    "rows": sum(manifest["row_counts"].values()),
                    "files": len(manifest["files"]),
                }
            )
            return
        table = Table(_("Table"), _("Manifest"), _("Restored"))
        differing = [count for count in counts if count.expected != count.actual]
        for count in counts:
            table.add_row(count.table, str(count.expected), str(count.actual))
        out.print(table)
        if differing:
            raise CommandError(
                _("Restored, but %(count)d tables differ from the manifest's row counts.")
                % {"count": len(differing)}
            )
        out.print(
            _("Restored %(dir)s: every table's row count matches the manifest.") % {"dir": dir}
        )
