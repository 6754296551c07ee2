"""信息处理费 on the command line (国办函〔2020〕109号, RULES C §4).

gongkai fee per-item --count 35      -> 3000   (35 applications of one applicant in a month)
gongkai fee per-page --pages 120     -> 1100
gongkai fee per-page --pages 120 --json   (the band breakdown)
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from gongkai.applications import fees


class Command(BaseCommand):
    help = "Compute an information processing fee under either schedule (superprogressive bands)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        item = sub.add_parser(
            "per-item", help="按件计收: applications of one applicant in one calendar month."
        )
        item.add_argument("--count", type=int, required=True, help="Number of applications.")
        page = sub.add_parser("per-page", help="按量计收: pages provided for one application.")
        page.add_argument("--pages", type=int, required=True, help="Number of pages.")
        for parser_ in (item, page):
            parser_.add_argument("--json", action="store_true", help="Print the band breakdown.")
            parser_.add_argument(
                "--bands", action="store_true", help="Print the band breakdown as a table."
            )

    def handle(self, *args, action, json: bool, bands: bool, **options):
        count = options["count"] if action == "per-item" else options["pages"]
        if count < 0:
            raise CommandError(_("The number must not be negative."))
        quote = fees.per_item(count) if action == "per-item" else fees.per_page(count)
        if json:
            self.stdout.write(_dumps(quote.as_dict()))
            return
        self.stdout.write(str(quote.amount))
        if bands:
            self._table(quote)

    def _table(self, quote: fees.FeeQuote) -> None:
        table = Table(
            _("From"), _("To"), _("Rate (yuan)"), _("Units"), _("Amount (yuan)"), box=None
        )
        for band in quote.bands:
            last = str(band.last) if band.last is not None else "…"
            table.add_row(str(band.first), last, str(band.rate), str(band.units), str(band.amount))
        Console(file=self.stdout._out, highlight=False, soft_wrap=True).print(table)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
