"""The production stack in the foreground (`make serve`): nginx, gunicorn, the task worker and
the scheduler; Ctrl-C stops them all (gongkai.core.serve).

gongkai serve [--host 127.0.0.1] [--port 8000] [--workers N] [--migrate] [--collectstatic]
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.core import serve


class Command(BaseCommand):
    help = _("Run nginx, the app servers, the task worker and the scheduler until Ctrl-C.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=None, help=_("gunicorn workers."))
        parser.add_argument("--migrate", action="store_true", help=_("Migrate first."))
        parser.add_argument(
            "--collectstatic", action="store_true", help=_("Collect the static files first.")
        )
        parser.add_argument("--nginx", default=os.environ.get("GONGKAI_NGINX", "nginx"))

    def handle(self, *args, host, port, workers, migrate, collectstatic, nginx, **options):
        try:
            nginx_path = serve.check_requirements(nginx)
        except serve.ServeError as exc:
            raise CommandError(str(exc)) from None
        layout = serve.local_layout(host=host, port=port, workers=workers)
        env = serve.child_environment(layout)
        steps = []
        if migrate:
            steps.append(["migrate", "--noinput"])
        if collectstatic:
            steps.append(["collectstatic", "--noinput", "-v", "0"])
        for step in steps:
            self.stderr.write(f"serve: gongkai {' '.join(step)}")
            done = subprocess.run(  # noqa: S603 — our own command
                [sys.executable, "-m", "gongkai", *step], env=env, check=False
            )
            if done.returncode:
                raise CommandError(_("gongkai %(step)s failed") % {"step": step[0]})
        nginx_conf, gunicorn_file = serve.write_local_config(layout)
        # nginx includes the agencies' generations from its start; the `front` child keeps them
        steps_done = subprocess.run(  # noqa: S603 — our own command
            [sys.executable, "-m", "gongkai", "front", "watch", str(layout.generations), "--once"],
            env=env,
            check=False,
        )
        if steps_done.returncode:
            raise CommandError(_("gongkai %(step)s failed") % {"step": "front"})
        check = subprocess.run(  # noqa: S603
            [
                nginx_path,
                "-t",
                "-q",
                "-e",
                "stderr",
                "-p",
                str(layout.run_dir),
                "-c",
                str(nginx_conf),
            ],
            env=env,
            check=False,
        )
        if check.returncode:
            raise CommandError(_("nginx refused the configuration %(path)s") % {"path": nginx_conf})
        if not settings.STATIC_ROOT or not any(serve.Path(settings.STATIC_ROOT).iterdir()):
            self.stderr.write(
                "serve: STATIC_ROOT is empty; run with --collectstatic (make serve does)"
            )
        self.stderr.write(
            f"serve: http://{host}:{port}/ — nginx → {layout.workers} gunicorn workers, task "
            f"worker, scheduler; logs on stderr, access log {layout.log_dir / 'access.log'}; "
            "Ctrl-C stops"
        )
        kids = serve.children(layout, nginx_path, nginx_conf, gunicorn_file)
        supervisor = serve.Supervisor(
            kids, env, layout.run_dir / "pids.json", say=lambda text: self.stderr.write(text)
        )
        status = supervisor.run()
        if status:
            raise CommandError(_("a process of the stack stopped by itself"), returncode=status)
