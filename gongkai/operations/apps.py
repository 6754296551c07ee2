from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "gongkai.operations"
    label = "operations"
    verbose_name = _("Disclosure operations")

    def ready(self):
        from gongkai.core import demos

        from . import desk  # noqa: F401 — its cards and menu section (gongkai/core/desk.py)

        # its part of `gongkai demo` (core/demos.py)
        demos.register("gongkai.operations.demo.run_demo", order=40)
