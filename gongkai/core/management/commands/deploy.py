"""Files for a real server (README, "Deployment").

gongkai deploy render DIR [--domain gk.example.gov.cn] [--app-dir /srv/gongkai] [--user gongkai]
    writes DIR/nginx/gongkai.conf, DIR/nginx/proxy_params_gongkai, DIR/gunicorn.conf.py,
    DIR/systemd/gongkai-{web,worker,scheduler,front}.service, the front's reload path unit,
    DIR/systemd/gongkai.target and DIR/env.example (the front's watcher: `gongkai front watch`)
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.core import serve


class Command(BaseCommand):
    help = _("Write the nginx, gunicorn and systemd files of a server.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        render = sub.add_parser("render", help=_("Write the files into a folder."))
        render.add_argument("dir")
        render.add_argument("--domain", default="gk.example.gov.cn")
        render.add_argument("--app-dir", default="/srv/gongkai")
        render.add_argument("--user", default="gongkai")
        render.add_argument("--venv", default=None, help=_("The virtualenv (APP_DIR/.venv)."))

    def handle(self, *args, action, dir, domain, app_dir, user, venv, **options):
        written = serve.render_deploy(
            Path(dir),
            domain=domain,
            app_dir=app_dir,
            user=user,
            venv=venv or f"{app_dir}/.venv",
        )
        for path in written:
            self.stdout.write(str(path))
