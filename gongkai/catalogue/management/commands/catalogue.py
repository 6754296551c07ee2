"""The catalogue on the command line.

gongkai catalogue import-items --agency SLUG --user USERNAME FILE [--dry-run]
gongkai catalogue import-publications --agency SLUG --channel ID --user USERNAME FILE [--dry-run]
gongkai catalogue publish-due          (publish approved items whose time has come; rerunnable)
gongkai catalogue expire-drafts        (remove files uploaded on item forms never saved; daily)

Imports are all or nothing: on any error nothing is written, every error is listed and the
command exits with status 1.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from gongkai.catalogue import imports, services
from gongkai.catalogue.models import Channel
from gongkai.core.models import Agency, User
from gongkai.core.tables import ERRORS_SHOWN, RowError


class Command(BaseCommand):
    help = "Import items or external publications from CSV/XLSX, and publish scheduled items."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        items = sub.add_parser(
            "import-items", help="Create the rows of a CSV or XLSX file as draft items."
        )
        items.add_argument("--agency", required=True, help="The agency's URL name (slug).")
        items.add_argument("--user", required=True, help="The user the items are created as.")
        items.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")
        items.add_argument("file")
        publications = sub.add_parser(
            "import-publications",
            help="Record an external account's posts (索引号 or 标题, 发布日期, 链接) on a channel.",
        )
        publications.add_argument("--agency", required=True, help="The agency's URL name (slug).")
        publications.add_argument("--channel", required=True, type=int, help="The channel's id.")
        publications.add_argument("--user", required=True, help="The user recording them.")
        publications.add_argument(
            "--dry-run", action="store_true", help="Check the file, write nothing."
        )
        publications.add_argument("file")
        sub.add_parser("publish-due", help="Publish approved items whose scheduled time has come.")
        sub.add_parser(
            "expire-drafts",
            help="Remove files uploaded on item forms that were never saved (older than a day).",
        )

    def handle(self, *args, action, **options):
        self.out = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        self.err = Console(file=self.stderr._out, highlight=False)
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    # --- helpers ---------------------------------------------------------------------------

    def _agency(self, slug: str) -> Agency:
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            raise CommandError(_("No agency has the URL name “%s”.") % slug)
        return agency

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called “%s”.") % username)
        return user

    def _read(self, file: str) -> bytes:
        try:
            return Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}
            ) from None

    def _refuse(self, errors: list[RowError], *, dry_run: bool) -> None:
        table = Table(title=_("Errors"), show_lines=False)
        table.add_column(_("Row"), justify="right", no_wrap=True)
        table.add_column(_("Problem"), overflow="fold")
        for error in errors[:ERRORS_SHOWN]:
            table.add_row("" if error.row is None else str(error.row), error.detail)
        self.err.print(table)
        if len(errors) > ERRORS_SHOWN:
            self.err.print(
                _(
                    "%(n)s more errors are not listed; correct the rows above and upload the "
                    "file again to see them."
                )
                % {"n": len(errors) - ERRORS_SHOWN}
            )
        if dry_run:
            raise CommandError(
                ngettext("The file has %(n)d error.", "The file has %(n)d errors.", len(errors))
                % {"n": len(errors)}
            )
        raise CommandError(
            ngettext(
                "Nothing was imported: the file has %(n)d error.",
                "Nothing was imported: the file has %(n)d errors.",
                len(errors),
            )
            % {"n": len(errors)}
        )

    def _run(self, label: str, work):
        """Run `work(progress_callback)` under a progress bar; errors become CommandError."""
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=self.err,
            transient=True,
        ) as progress:
            task = progress.add_task(label, total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            return work(advance)

    # --- actions ---------------------------------------------------------------------------

    def do_import_items(self, *, agency, user, file, dry_run, **_options):
        agency, user, data = self._agency(agency), self._user(user), self._read(file)
        name = Path(file).name
        try:
            if dry_run:
                preview = imports.items_preview(
                    actor=user, agency=agency, file_name=name, data=data
                )
                if preview.errors:
                    self._refuse(preview.errors, dry_run=True)
                n = len(preview.rows)
                self.out.print(
                    ngettext(
                        "%(n)d row can be imported; nothing was written (dry run).",
                        "%(n)d rows can be imported; nothing was written (dry run).",
                        n,
                    )
                    % {"n": n}
                )
                return
            items = self._run(
                _("Importing items"),
                lambda advance: imports.items_import(
                    actor=user, agency=agency, file_name=name, data=data, progress=advance
                ),
            )
        except imports.ImportRejected as exc:
            self._refuse(exc.row_errors, dry_run=False)
        except PermissionDenied as exc:
            raise CommandError(f"{user.username}: {exc}") from None
        self.out.print(
            ngettext(
                "%(n)d item was created as a draft in %(agency)s.",
                "%(n)d items were created as drafts in %(agency)s.",
                len(items),
            )
            % {"n": len(items), "agency": agency.name}
        )

    def do_import_publications(self, *, agency, channel, user, file, dry_run, **_options):
        agency, user, data = self._agency(agency), self._user(user), self._read(file)
        found = Channel.objects.filter(pk=channel, agency=agency).first()
        if found is None:
            raise CommandError(
                _("%(agency)s has no channel with id %(id)d.")
                % {"agency": agency.name, "id": channel}
            )
        name = Path(file).name
        try:
            preview = imports.publications_preview(
                actor=user, channel=found, file_name=name, data=data
            )
            if preview.errors:
                self._refuse(preview.errors, dry_run=dry_run)
            skipped = sum(1 for row in preview.rows if row.already_recorded)
            if dry_run:
                n = len(preview.rows) - skipped
                self.out.print(
                    ngettext(
                        "%(n)d row can be recorded; nothing was written (dry run).",
                        "%(n)d rows can be recorded; nothing was written (dry run).",
                        n,
                    )
                    % {"n": n}
                )
                self._skipped(skipped)
                return
            publications = self._run(
                _("Recording publications"),
                lambda advance: imports.publications_import(
                    actor=user, channel=found, file_name=name, data=data, progress=advance
                ),
            )
        except imports.ImportRejected as exc:
            self._refuse(exc.row_errors, dry_run=False)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise CommandError(f"{user.username}: {exc}") from None
        self.out.print(
            ngettext(
                "%(n)d publication was recorded on %(channel)s.",
                "%(n)d publications were recorded on %(channel)s.",
                len(publications),
            )
            % {"n": len(publications), "channel": found}
        )
        self._skipped(skipped)

    def _skipped(self, n: int) -> None:
        if n:
            self.out.print(
                ngettext(
                    "%(n)d row is already recorded on the channel and is skipped.",
                    "%(n)d rows are already recorded on the channel and are skipped.",
                    n,
                )
                % {"n": n}
            )

    def do_publish_due(self, **_options):
        published = services.items_publish_due()
        if not published:
            self.out.print(_("No item was due for publication."))
            return
        for item in published:
            self.out.print(f"{item.index_number}\t{item.title}")
        self.out.print(
            ngettext("%(n)d item was published.", "%(n)d items were published.", len(published))
            % {"n": len(published)}
        )

    def do_expire_drafts(self, **_options):
        removed = services.draft_attachments_expire()
        self.out.print(
            ngettext(
                "%(n)d file of an unsaved item form was removed.",
                "%(n)d files of unsaved item forms were removed.",
                removed,
            )
            % {"n": removed}
        )
