"""The compliance monitor on the command line.

gongkai compliance rules [--json]
gongkai compliance check --agency SLUG [--all] [--json] [--xlsx OUT]
gongkai compliance nightly [--agency SLUG]      # today's snapshots (the trend, the matrix)
gongkai compliance links --agency SLUG [--all] [--limit N] [--json]   # check external links
gongkai compliance probe [--agency SLUG]        # one visit of each portal home (站点无法访问)

`check --all` checks the agency and every agency under it (progress on stderr). Exit status 1
when a red (error) finding is found.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from gongkai.compliance.check import ERROR, Finding, check_agency
from gongkai.compliance.rules import RULES, RULES_BY_ID
from gongkai.core.models import Agency

SEVERITY_LABELS = {"error": "红", "warning": "黄"}
FILLS = {
    "error": PatternFill("solid", fgColor="F4B6B6"),
    "warning": PatternFill("solid", fgColor="FCE3A6"),
}


def write_xlsx(path, rows: list[tuple[Agency, Finding]], *, now: datetime) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "检查结果"
    sheet.append(
        ["单位", "指标编号", "指标", "单项否决", "程度", "问题", "对象", "起始日期", "链接"]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for agency, finding in rows:
        rule = RULES_BY_ID[finding.rule]
        sheet.append(
            [
                str(agency),
                rule.id,
                rule.title,
                "是" if rule.veto else "否",
                SEVERITY_LABELS[finding.severity],
                finding.message,
                finding.object,
                finding.since,
                finding.url,
            ]
        )
        sheet.cell(sheet.max_row, 5).fill = FILLS[finding.severity]
    for letter, width in zip("ABCDEFGHI", (24, 26, 30, 9, 6, 60, 24, 12, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.append([])
    sheet.append([f"检查时间：{timezone.localtime(now):%Y-%m-%d %H:%M}"])
    book.save(path)


class Command(BaseCommand):
    help = "The government-website and 政务新媒体 inspection indicators, checked on the records."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rules = sub.add_parser("rules", help="List the indicators.")
        rules.add_argument(
            "--json", dest="as_json", action="store_true", help="Print them as JSON."
        )
        check = sub.add_parser("check", help="Check an agency (and with --all, those under it).")
        check.add_argument("--agency", required=True, help="The agency's URL name (slug).")
        check.add_argument("--all", action="store_true", help="Also every agency under it.")
        check.add_argument(
            "--json", dest="as_json", action="store_true", help="Print the findings as JSON."
        )
        check.add_argument("--xlsx", help="Write the findings to this XLSX file.")
        nightly = sub.add_parser("nightly", help="Record today's snapshot of every agency.")
        nightly.add_argument("--agency", help="Only this agency and those under it.")
        links = sub.add_parser("links", help="Check the external links of published items.")
        links.add_argument("--agency", required=True, help="The agency's URL name (slug).")
        links.add_argument("--all", action="store_true", help="Also every agency under it.")
        links.add_argument("--limit", type=int, help="At most this many links per agency.")
        links.add_argument(
            "--json", dest="as_json", action="store_true", help="Print the broken links as JSON."
        )
        probe = sub.add_parser("probe", help="Visit each portal home once and record it.")
        probe.add_argument("--agency", help="Only this agency and those under it.")

    def handle(self, *args, action, **options):
        self.out = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        return getattr(self, "do_" + action)(**options)

    def do_rules(self, *, as_json: bool = False, **options) -> None:
        if as_json:
            self._print_json([rule.as_dict() for rule in RULES])
            return
        table = Table("id", _("Indicator"), _("Single veto"), _("Threshold"), _("Basis"))
        for rule in RULES:
            table.add_row(
                rule.id, rule.title, "是" if rule.veto else "", rule.threshold, rule.basis
            )
        self.out.print(table)

    def _print_json(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def do_check(
        self, *, agency: str, all: bool = False, as_json: bool = False, xlsx=None, **options
    ):
        root = Agency.objects.filter(slug=agency).first()
        if root is None:
            raise CommandError(_("No agency has the URL name “%s”.") % agency)
        agencies = list(Agency.objects.subtree_of(root).order_by("path")) if all else [root]
        now = timezone.now()
        rows: list[tuple[Agency, Finding]] = []
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(file=self.stderr._out),
            disable=not all,
        ) as progress:
            task = progress.add_task(_("Checking"), total=len(agencies))
            for each in agencies:
                progress.update(task, description=str(each))
                rows.extend((each, finding) for finding in check_agency(each, now=now))
                progress.advance(task)
        if xlsx:
            write_xlsx(xlsx, rows, now=now)
        if as_json:
            self._print_json([{"agency": each.slug, **finding.as_dict()} for each, finding in rows])
        else:
            self._print_table(rows)
        if any(finding.severity == ERROR for _each, finding in rows):
            sys.exit(1)

    def _print_table(self, rows) -> None:
        if not rows:
            self.out.print(_("No findings."))
            return
        table = Table(_("Agency"), _("Indicator"), _("Severity"), _("Finding"), _("Since"))
        for each, finding in rows:
            table.add_row(
                str(each),
                RULES_BY_ID[finding.rule].title,
                SEVERITY_LABELS[finding.severity],
                finding.message,
                finding.since.isoformat() if finding.since else "",
            )
        self.out.print(table)

    def _root(self, slug: str | None) -> Agency | None:
        if slug is None:
            return None
        root = Agency.objects.filter(slug=slug).first()
        if root is None:
            raise CommandError(_("No agency has the URL name “%s”.") % slug)
        return root

    def _progress(self, total: int) -> Progress:
        return Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(file=self.stderr._out),
        )

    def do_nightly(self, *, agency: str | None = None, **options) -> None:
        """What the scheduler's compliance.check_all does, in the foreground (rerunnable: the
        day's snapshot is replaced)."""
        from gongkai.compliance.services import snapshot_take
        from gongkai.compliance.tasks import _agencies

        root = self._root(agency)
        agencies = list(_agencies({"root": root.pk} if root else {}, "root"))
        errors = warnings = 0
        with self._progress(len(agencies)) as progress:
            task = progress.add_task(_("Checking"), total=len(agencies))
            for each in agencies:
                progress.update(task, description=str(each))
                snapshot = snapshot_take(agency=each)
                errors += snapshot.errors
                warnings += snapshot.warnings
                progress.advance(task)
        self.out.print(
            _("%(count)s agencies checked: %(errors)s red, %(warnings)s amber findings.")
            % {"count": len(agencies), "errors": errors, "warnings": warnings}
        )

    def do_links(
        self, *, agency: str, all: bool = False, limit=None, as_json: bool = False, **options
    ) -> None:
        from gongkai.compliance.models import LinkCheck
        from gongkai.compliance.services import links_check, links_collect
        from gongkai.compliance.tasks import _publishing

        root = self._root(agency)
        agencies = Agency.objects.subtree_of(root) if all else Agency.objects.filter(pk=root.pk)
        agencies = list(_publishing(agencies.order_by("path")))
        with self._progress(len(agencies)) as progress:
            task = progress.add_task(_("Checking links"), total=None)
            for each in agencies:
                links_collect(agency=each)
                links_check(
                    agency=each,
                    limit=limit,
                    progress=lambda text: progress.update(task, description=text[:80]),
                )
        broken = (
            LinkCheck.objects.filter(agency__in=agencies, ok=False)
            .select_related("agency")
            .prefetch_related("items")
            .order_by("agency__path", "url")
        )
        rows = [
            {
                "agency": link.agency.slug,
                "url": link.url,
                "status": link.status,
                "error": link.error,
                "items": [item.pk for item in link.items.all()],
            }
            for link in broken
        ]
        if as_json:
            self._print_json(rows)
            return
        if not rows:
            self.out.print(_("No broken link."))
            return
        table = Table(_("Agency"), _("Link"), _("HTTP status"), _("Items"))
        for row in rows:
            table.add_row(
                row["agency"],
                row["url"],
                str(row["status"] or row["error"]),
                "、".join(map(str, row["items"])),
            )
        self.out.print(table)

    def do_probe(self, *, agency: str | None = None, **options) -> None:
        from django.conf import settings

        from gongkai.compliance.services import site_probe
        from gongkai.compliance.tasks import _agencies, _publishing

        if not settings.GONGKAI_PUBLIC_BASE_URL:
            raise CommandError(_("GONGKAI_PUBLIC_BASE_URL is not set: there is nothing to probe."))
        root = self._root(agency)
        for each in _publishing(_agencies({"root": root.pk} if root else {}, "root")):
            probe = site_probe(agency=each)
            self.out.print(
                f"{each.slug}\t{probe.url}\t{probe.status or probe.error}\t{probe.elapsed_ms or ''}"
            )
