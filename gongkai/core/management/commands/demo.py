from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from gongkai.applications.demo import load_applications_demo
from gongkai.catalogue.demo import demo_size, load_catalogue_demo
from gongkai.core.demo import DEMO_PASSWORD, load_demo
from gongkai.core.models import Agency, Role
from gongkai.operations.demo import load_operations_demo
from gongkai.portal.demo import load_portal_demo


class _Stdout:
    """A file for rich that writes through the command's stdout (which tests capture)."""

    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, text: str) -> int:
        self.stdout.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.stdout.flush()

    def isatty(self) -> bool:
        return self.stdout.isatty()


class Command(BaseCommand):
    help = "Load the demo agencies, users and catalogue (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        users = load_demo()
        console = Console(file=_Stdout(self.stdout), highlight=False, soft_wrap=True)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        # A live bar on a terminal; in a log or a pipe only the summary below.
        with Progress(
            *columns, console=console, transient=True, disable=not console.is_terminal
        ) as bar:
            task = bar.add_task(_("Catalogue"), total=demo_size())
            catalogue = load_catalogue_demo(
                progress=lambda label: bar.update(task, advance=1, description=label[:30])
            )
        load_portal_demo()
        created = catalogue.created
        console.print(
            _(
                "Catalogue: %(columns)d columns, %(channels)d channels, %(items)d items and "
                "%(publications)d publications on other channels created."
            )
            % {
                "columns": created["columns"],
                "channels": created["channels"],
                "items": created["items"],
                "publications": created["publications"],
            }
        )
        applications = load_applications_demo()
        console.print(
            _("Applications: %(created)d created, %(existing)d already there.")
            % {"created": applications.created, "existing": applications.existing}
        )
        operations = load_operations_demo()
        console.print(
            _("Operations: %(n)d records created.") % {"n": sum(operations.created.values())}
        )
        from gongkai.matters import demo as matters_demo

        with Progress(
            *columns, console=console, transient=True, disable=not console.is_terminal
        ) as bar:
            task = bar.add_task(_("Service matters"), total=matters_demo.demo_size())
            matters = matters_demo.load_matters_demo(
                progress=lambda label: bar.update(task, advance=1, description=label[:30])
            )
        console.print(
            _("Service matters: %(old)d (2018) and %(new)d current ones published, created.")
            % {"old": matters.created["matters 2018"], "new": matters.created["matters"]}
        )
        from gongkai.engagement import demo as engagement_demo

        with Progress(
            *columns, console=console, transient=True, disable=not console.is_terminal
        ) as bar:
            task = bar.add_task(_("Responses and error reports"), total=engagement_demo.demo_size())
            engagement = engagement_demo.load_engagement_demo(
                progress=lambda label: bar.update(task, advance=1, description=label[:30])
            )
        console.print(
            _("Responses and error reports: %(n)d records created.")
            % {"n": sum(engagement.values())}
        )
        from gongkai.reports.demo_2018 import load_reports_demo_2018

        console.print(
            _("2018 items for the annual report: %(n)d created.") % {"n": load_reports_demo_2018()}
        )
        from gongkai.reports.demo import load_reports_demo

        if load_reports_demo():
            console.print(_("Annual report 2025 of 六横镇 published."))
        names = dict(Agency.objects.values_list("slug", "short_name"))
        self.stdout.write(
            _("Demo data is ready. Logins (password %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for user in [*users, *catalogue.users]:
            where = names.get(user.agency, "") if user.agency else _("platform")
            role = Role(user.role).label if user.role else _("platform administrator")
            self.stdout.write(f"  {user.username:<14} {where} · {role}")
