"""Files for a real server (README, "Deployment").

gongkai deploy render DIR [--domain gk.example.gov.cn] [--app-dir /srv/gongkai] [--user gongkai]
    writes DIR/nginx/gongkai.conf, DIR/nginx/proxy_params_gongkai, DIR/gunicorn.conf.py,
    DIR/systemd/gongkai-{web,worker,scheduler}.service, DIR/systemd/gongkai.target and
    DIR/env.example
gongkai deploy watch-front MAP [--nginx-pid FILE] [--once]
    keeps MAP, the agencies' generations that nginx's cache key carries, up to date; with
    --nginx-pid it sends that nginx SIGHUP when they change (`gongkai serve`), without it a
    systemd path unit reloads nginx (gongkai-front-reload.path)
"""

import signal
import sys
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
        watch = sub.add_parser(
            "watch-front", help=_("Keep the agencies' generations for nginx's cache key.")
        )
        watch.add_argument("map")
        watch.add_argument("--nginx-pid", default=None)
        watch.add_argument("--once", action="store_true")

    def handle(self, *args, action, **options):
        if action == "watch-front":
            return self.watch_front(**options)
        return self.render(**options)

    def watch_front(self, *, map, nginx_pid, once, **options):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

        def reload() -> bool:
            return serve.hup_nginx(Path(nginx_pid)) if nginx_pid else True

        try:
            serve.watch_front(Path(map), reload=reload, say=self.stderr.write, once=once)
        except KeyboardInterrupt:
            pass

    def render(self, *, dir, domain, app_dir, user, venv, **options):
        written = serve.render_deploy(
            Path(dir),
            domain=domain,
            app_dir=app_dir,
            user=user,
            venv=venv or f"{app_dir}/.venv",
        )
        for path in written:
            self.stdout.write(str(path))
