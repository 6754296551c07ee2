"""The scheduler of periodic jobs (gongkai.core.scheduler).

gongkai scheduler           queue each job when its time comes, until stopped (SIGTERM, Ctrl-C)
gongkai scheduler --once    queue the jobs due now, then exit
gongkai scheduler --list    the jobs and when they run
"""

import signal
import threading

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.core import scheduler


class Command(BaseCommand):
    help = _("Queue the periodic jobs (daily clock tick, reminders, …) when their time comes.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=_("Queue the jobs due now, exit."))
        parser.add_argument("--list", action="store_true", help=_("List the jobs."))
        parser.add_argument(
            "--interval", type=float, default=30.0, help=_("Seconds between looks at the clock.")
        )

    def handle(self, *args, once, list, interval, **options):
        if list:
            for job in scheduler.JOBS:
                when = (
                    _("daily at %(time)s") % {"time": job.at.strftime("%H:%M")}
                    if job.every == scheduler.DAY
                    else _("every %(minutes)s minutes") % {"minutes": job.every}
                )
                missing = "" if scheduler.registered(job) else " " + _("(not registered)")
                self.stdout.write(f"{job.name}\t{when}{missing}")
            return
        if once:
            for run in scheduler.run_due():
                self.stdout.write(
                    _("%(job)s %(slot)s queued as task #%(id)s")
                    % {"job": run.job, "slot": run.slot, "id": run.task_id}
                )
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        scheduler.scheduler_loop(stop=stop, interval=interval)
