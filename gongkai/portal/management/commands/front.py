"""nginx's cache of the portal (gongkai.portal.front).

gongkai front watch MAP [--nginx-pid FILE] [--once]
    keeps MAP, the agencies' generations that nginx's cache key carries, up to date; with
    --nginx-pid it sends that nginx SIGHUP when they change (`gongkai serve`), without it a
    systemd path unit reloads nginx (gongkai-front-reload.path, `gongkai deploy render`)
"""

import signal
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.core import serve
from gongkai.portal import front


class Command(BaseCommand):
    help = _("Keep the agencies' generations for nginx's cache key.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        watch = sub.add_parser(
            "watch", help=_("Keep the agencies' generations for nginx's cache key.")
        )
        watch.add_argument("map")
        watch.add_argument("--nginx-pid", default=None)
        watch.add_argument("--once", action="store_true")

    def handle(self, *args, action, map, nginx_pid, once, **options):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

        def reload() -> bool:
            return serve.hup_nginx(Path(nginx_pid)) if nginx_pid else True

        try:
            front.watch_front(Path(map), reload=reload, say=self.stderr.write, once=once)
        except KeyboardInterrupt:
            pass
