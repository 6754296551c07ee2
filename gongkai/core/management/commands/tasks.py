"""Background tasks on the command line.

gongkai tasks run          run queued tasks, and tasks left running by a process that stopped;
                           then wait for more (Ctrl-C stops)
gongkai tasks run --once   the same, then exit
gongkai tasks worker       the worker process of production (`gongkai serve`, systemd): runs
                           tasks as they come, logs each; SIGTERM/Ctrl-C stop it after the
                           task under way
gongkai tasks ping         queue a task that does nothing and wait for a worker to run it
"""

import signal
import threading
import time
from typing import TextIO, cast

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
        worker = sub.add_parser("worker", help=_("Run tasks as they are queued, until stopped."))
        worker.add_argument(
            "--poll", type=float, default=1.0, help=_("Seconds between looks for new tasks.")
        )
        ping = sub.add_parser("ping", help=_("Check that a worker runs tasks."))
        ping.add_argument(
            "--timeout", type=float, default=30.0, help=_("Seconds to wait for the worker.")
        )

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def do_worker(self, *, poll, **_options):
        import logging

        logger = logging.getLogger("gongkai.worker")
        stop = threading.Event()

        def stop_on_signal(signum, _frame):
            logger.info("worker: signal %s, stopping after the task under way", signum)
            stop.set()

        signal.signal(signal.SIGTERM, stop_on_signal)
        signal.signal(signal.SIGINT, stop_on_signal)

        def on_end(task):
            log = logger.info if task.status == "done" else logger.warning
            log(
                "task %s #%s %s",
                task.name,
                task.pk,
                task.status,
                extra={"task": task.name, "task_id": task.pk, "status": task.status},
            )

        logger.info("worker: started, polling every %s s", poll)
        ran = tasks.worker_loop(stop=stop, poll=poll, on_end=on_end)
        logger.info("worker: stopped after %s tasks", ran)

    def do_ping(self, *, timeout, **_options):
        from django.conf import settings
        from django.core.management.base import CommandError

        from gongkai.core.models import Task, TaskStatus

        # this process must not run the task itself (the thread mode would): a worker must
        settings.GONGKAI_TASKS_MODE = "manual"
        queued = tasks.task_enqueue(name="core.ping", payload={})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = Task.objects.filter(pk=queued.pk).values_list("status", flat=True).first()
            if status == TaskStatus.DONE:
                self.stdout.write(_("task #%(id)d run by a worker") % {"id": queued.pk})
                return
            time.sleep(0.2)
        raise CommandError(
            _("no worker ran task #%(id)d within %(seconds)s s")
            % {"id": queued.pk, "seconds": timeout}
        )

    def do_run(self, *, once, interval, **_options):
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        # _out is the wrapped stream (django-stubs type OutputWrapper's attributes as callables)
        console = Console(file=cast(TextIO, self.stderr._out), highlight=False)
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
                if task.status == "queued":  # failed, tried again after its backoff
                    display.console.print(
                        _("%(name)s #%(id)d will be tried again: %(error)s")
                        % {"name": task.name, "id": task.pk, "error": task.error}
                    )
                    return
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
