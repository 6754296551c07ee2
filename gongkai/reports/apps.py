from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    verbose_name = _("Annual reports")

    def ready(self):
        from gongkai.core import demos

        from . import desk  # noqa: F401 — its cards and menu section (gongkai/core/desk.py)

        # its part of `gongkai demo` (core/demos.py)
        demos.register("gongkai.reports.demo.run_demo", order=70)

        from datetime import time

        from gongkai.core import scheduler

        # its periodic job (core/scheduler.py; the task is in tasks.py, the work in reminders.py)
        scheduler.declare(scheduler.Job("reports.deadline_reminders", scheduler.DAY, at=time(8, 0)))
