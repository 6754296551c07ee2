from importlib.util import find_spec

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "gongkai.compliance"
    label = "compliance"
    verbose_name = _("Compliance monitor")

    def ready(self):
        # the desk's card and menu section (gongkai/core/desk.py), once the registry exists
        if find_spec("gongkai.core.desk") is not None:
            from . import desk  # noqa: F401

        from datetime import time

        from gongkai.core import scheduler

        # its periodic jobs (core/scheduler.py; the tasks are in tasks.py): the nightly
        # snapshots (then check_all queues compliance.check_links), and the portal's self-probe
        # behind 站点无法访问 (the indicator visits 20+ times a day; the task does nothing while
        # GONGKAI_PUBLIC_BASE_URL is empty)
        scheduler.declare(scheduler.Job("compliance.check_all", scheduler.DAY, at=time(2, 0)))
        scheduler.declare(scheduler.Job("compliance.probe_sites", 30))
