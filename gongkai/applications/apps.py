from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = _("Applications for disclosure")

    def ready(self):
        from gongkai.core import deadlines

        from .services import applications_recompute_pending

        deadlines.register(applications_recompute_pending)

        from gongkai.core import demos

        from . import desk  # noqa: F401 — its cards and menu section (gongkai/core/desk.py)

        # its part of `gongkai demo` (core/demos.py)
        demos.register("gongkai.applications.demo.run_demo", order=30)

        from datetime import time

        from gongkai.core import metrics, scheduler

        from .metrics import deadline_gauges

        # its gauges on /metrics (core/metrics.py)
        metrics.register_gauges(deadline_gauges)

        # its periodic job (core/scheduler.py; the task is in tasks.py): flags near-due and
        # overdue applications (RULES A.2), early, before the office opens
        scheduler.declare(scheduler.Job("applications.clock_tick", scheduler.DAY, at=time(0, 5)))
