from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "gongkai.matters"
    label = "matters"
    verbose_name = _("Government service matters")

    def ready(self):
        from gongkai.core import demos

        from . import desk  # noqa: F401 — its cards and menu section (gongkai/core/desk.py)

        # its part of `gongkai demo` (core/demos.py)
        demos.register("gongkai.matters.demo.run_demo", order=50)
