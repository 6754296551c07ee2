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
