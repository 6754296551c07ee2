from typing import IO, cast

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from rich.console import Console

from gongkai.core import demos
from gongkai.core.demo import DEMO_PASSWORD, load_demo
from gongkai.core.models import Agency, Role


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
        # rich writes and flushes only: _Stdout is file enough
        console = Console(file=cast(IO[str], _Stdout(self.stdout)), highlight=False, soft_wrap=True)
        # each app's part, registered in its AppConfig.ready() (core knows no domain app)
        users = [*users, *demos.run(demos.Output(console))]
        names = dict(Agency.objects.values_list("slug", "short_name"))
        self.stdout.write(
            _("Demo data is ready. Logins (password %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for user in users:
            where = names.get(user.agency, "") if user.agency else _("platform")
            role = Role(user.role).label if user.role else _("platform administrator")
            self.stdout.write(f"  {user.username:<14} {where} · {role}")
