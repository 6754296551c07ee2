"""Background tasks on the command line.

gongkai tasks run          run queued tasks, and tasks left running by a process that stopped;
                           then wait for more (Ctrl-C stops)
gongkai tasks run --once   the same, then exit
"""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.core import tasks


class Command(BaseCommand):
    help = _("Run the background tasks (OCR of scans).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help=_("Run queued tasks and tasks left by an interruption."))
        run.add_argument("--once", action="store_true", help=_("Exit when no task is left."))
        run.add_argument(
            "--interval", type=float, default=5.0, help=_("Seconds between looks for new tasks.")
        )

    def handle(self, *args, action, once, interval, **options):
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        console = Console(file=self.stderr._out, highlight=False)
        counts = {"done": 0, "failed": 0}
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as display:
            rows = {}

            def on_start(pk):
                rows[pk] = display.add_task(_("task #%(id)d") % {"id": pk})

            def on_progress(task, text):
                display.update(rows[task.pk], description=f"{task.name} #{task.pk}: {text}")

            def on_end(task):
                display.remove_task(rows.pop(task.pk))
                key = "done" if task.status == "done" else "failed"
                counts[key] += 1
                line = (
                    _("%(name)s #%(id)d done") % {"name": task.name, "id": task.pk}
                    if key == "done"
                    else _("%(name)s #%(id)d failed: %(error)s")
                    % {"name": task.name, "id": task.pk, "error": task.error}
                )
                display.console.print(line)

            while True:
                tasks.run_pending(
                    reclaim=True, on_start=on_start, on_progress=on_progress, on_end=on_end
                )
                for row in rows.values():  # taken by another worker meanwhile
                    display.remove_task(row)
                rows.clear()
                if once:
                    break
                try:
                    time.sleep(interval)
                except KeyboardInterrupt:
                    break
        self.stdout.write(
            _("%(done)d tasks done, %(failed)d failed.")
            % {"done": counts["done"], "failed": counts["failed"]}
        )
