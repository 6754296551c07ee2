"""Search on the command line.

gongkai search reindex [--stale] [--batch-size N]   (every document, or only the stale ones;
                                                     interrupt at will, rerun with --stale)
gongkai search status                               (documents, stale ones, dictionary version)
gongkai search terms list | add WORD [--user U] | remove WORD [--user U]
gongkai search query "六横镇 \"安全生产\"" [--agency SLUG] [--column ID] [--genre G]
                                          [--year Y] [--sort relevance|date] [--page N]
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from gongkai.core.models import Agency, User
from gongkai.search import indexing, selectors, services
from gongkai.search.models import SearchTerm
from gongkai.search.segment import normalize_word


class Command(BaseCommand):
    help = "Rebuild the search index, manage the search dictionary, try a query."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser(
            "reindex",
            help="Re-segment every document (or only stale ones) and drop those of items "
            "no longer public. Safe to interrupt: rerun with --stale to continue.",
        )
        reindex.add_argument(
            "--stale",
            action="store_true",
            help="Only documents older than the dictionary, and public items without one.",
        )
        reindex.add_argument("--batch-size", type=int, default=500)
        sub.add_parser("status", help="Documents, stale documents and the dictionary version.")

        terms = sub.add_parser("terms", help="The staff's search dictionary.")
        terms_sub = terms.add_subparsers(dest="terms_action", required=True)
        terms_sub.add_parser("list", help="List the words.")
        add = terms_sub.add_parser("add", help="Add a word.")
        add.add_argument("word")
        add.add_argument("--user", help="The user adding it (default: the system).")
        remove = terms_sub.add_parser("remove", help="Remove a word.")
        remove.add_argument("word")
        remove.add_argument("--user", help="The user removing it (default: the system).")

        query = sub.add_parser("query", help="Search the public catalogue.")
        query.add_argument("text")
        query.add_argument("--agency", help="The agency's URL name (slug).")
        query.add_argument("--column", type=int, help="A column id (with its sub-columns).")
        query.add_argument("--genre", default="")
        query.add_argument("--year", type=int)
        query.add_argument("--sort", choices=selectors.SORTS, default=selectors.RELEVANCE)
        query.add_argument("--page", type=int, default=1)

    def handle(self, *args, action, **options):
        self.out = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        if action == "terms":
            action = "terms_" + options.pop("terms_action")
        try:
            getattr(self, "do_" + action)(**options)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from None

    # --- helpers ---------------------------------------------------------------------------

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called “%s”.") % username)
        return user

    # --- reindex ---------------------------------------------------------------------------

    def do_reindex(self, *, stale, batch_size, **_options):
        if batch_size < 1:
            raise CommandError(_("The batch size must be at least 1."))
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=self.out, transient=True) as progress:
            task = progress.add_task(_("Indexing"), total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, total=total, advance=done)

            try:
                report = indexing.reindex(stale_only=stale, batch_size=batch_size, progress=advance)
            except KeyboardInterrupt:
                raise CommandError(
                    _(
                        "Interrupted. Run “gongkai search reindex --stale” to continue where "
                        "it stopped."
                    )
                ) from None
        self.out.print(
            _("Indexed %(indexed)d documents, removed %(removed)d; dictionary version %(version)d.")
            % {"indexed": report.indexed, "removed": report.removed, "version": report.version}
        )
        if report.remaining:
            self.out.print(
                _("%(n)d documents are still stale: run “gongkai search reindex --stale” again.")
                % {"n": report.remaining}
            )

    def do_status(self, **_options):
        status = selectors.index_status()
        self.out.print(
            _(
                "Dictionary version %(version)d (every document at least %(indexed)d). "
                "%(documents)d documents for %(public)d public items; %(stale)d to (re)index."
            )
            % {
                "version": status.version,
                "indexed": status.indexed_version,
                "documents": status.documents,
                "public": status.public_items,
                "stale": status.stale,
            }
        )

    # --- terms -----------------------------------------------------------------------------

    def do_terms_list(self, **_options):
        table = Table(_("Word"), _("Version"), _("Added by"), _("Added at"), box=None)
        for term in selectors.search_terms():
            table.add_row(
                term.word,
                str(term.version),
                str(term.added_by or "—"),
                f"{term.created_at:%Y-%m-%d %H:%M}",
            )
        self.out.print(table)

    def do_terms_add(self, *, word, user, **_options):
        term = services.search_term_add(actor=self._user(user), word=word)
        self.out.print(
            _(
                "Added “%(word)s” (dictionary version %(version)d). Run “gongkai search "
                "reindex --stale” to re-segment the documents."
            )
            % {"word": term.word, "version": term.version}
        )

    def do_terms_remove(self, *, word, user, **_options):
        term = SearchTerm.objects.filter(word=normalize_word(word)).first()
        if term is None:
            raise CommandError(_("“%s” is not in the dictionary.") % word)
        services.search_term_remove(actor=self._user(user), term=term)
        self.out.print(
            _(
                "Removed “%(word)s”. Run “gongkai search reindex --stale” to re-segment the documents."
            )
            % {"word": term.word}
        )

    # --- query -----------------------------------------------------------------------------

    def do_query(self, *, text, agency, column, genre, year, sort, page, **_options):
        agency_id = None
        if agency:
            agency_id = Agency.objects.filter(slug=agency).values_list("pk", flat=True).first()
            if agency_id is None:
                raise CommandError(_("No agency has the URL name “%s”.") % agency)
        results = selectors.search(
            selectors.SearchQuery(
                text=text,
                agency=agency_id,
                column=column,
                genre=genre,
                year=year,
                sort=sort,
                page=page,
            )
        )
        if not results.hits:
            self.out.print(_("No results."))
            return
        more = "" if results.total_exact else "+"
        self.out.print(
            _("%(total)s results, page %(page)d of %(pages)d.")
            % {"total": f"{results.total}{more}", "page": results.page, "pages": results.num_pages}
        )
        table = Table(_("Rank"), _("Published"), _("Agency"), _("Column"), _("Title"), box=None)
        for hit in results.hits:
            table.add_row(
                f"{hit.rank:.3f}",
                f"{hit.item.published_at:%Y-%m-%d}",
                hit.item.agency.short_name,
                hit.item.column.name,
                hit.item.title,
            )
        self.out.print(table)
        groups = "  ".join(f"{g.agency_name}·{g.column_name} {g.count}" for g in results.groups)
        self.out.print(groups)
