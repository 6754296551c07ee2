from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "gongkai.catalogue"
    label = "catalogue"
    verbose_name = _("Disclosure catalogue")

    def ready(self):
        from gongkai.core import demos

        from . import desk  # noqa: F401 — its cards and menu section (gongkai/core/desk.py)

        # its part of `gongkai demo` (core/demos.py)
        demos.register("gongkai.catalogue.demo.run_demo", order=10)

        from datetime import time

        from gongkai.core import safefile, scheduler

        from . import files

        # the attachments' reader of Word files, for core's commands (core/safefile/readers.py)
        safefile.register_reader("docx", files.docx_text)

        # its periodic jobs (core/scheduler.py; the tasks are in tasks.py):
        # scheduled publication of approved items, a few minutes late at most
        scheduler.declare(scheduler.Job("catalogue.publish_due", 5))
        # files uploaded on item forms never saved (services.DRAFT_MAX_AGE, DRAFT_EXPIRE_TASK)
        scheduler.declare(scheduler.Job("catalogue.expire_drafts", scheduler.DAY, at=time(4, 0)))
