from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.core.demo import DEMO_PASSWORD, load_demo
from gongkai.core.models import Agency, Role


class Command(BaseCommand):
    help = "Load the demo agencies and users (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        users = load_demo()
        names = dict(Agency.objects.values_list("slug", "short_name"))
        self.stdout.write(
            _("Demo data is ready. Logins (password %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for user in users:
            where = names.get(user.agency, "") if user.agency else _("platform")
            role = Role(user.role).label if user.role else _("platform administrator")
            self.stdout.write(f"  {user.username:<14} {where} · {role}")
