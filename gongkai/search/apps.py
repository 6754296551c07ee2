from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = _("Full-text search")

    def ready(self):
        from datetime import time

        from gongkai.core import scheduler

        # its periodic job (core/scheduler.py; the task is in tasks.py): the documents the
        # dictionary or an edit made stale, at night
        scheduler.declare(scheduler.Job("search.reindex_stale", scheduler.DAY, at=time(3, 0)))
