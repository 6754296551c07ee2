from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "gongkai.catalogue"
    label = "catalogue"
    verbose_name = _("Disclosure catalogue")

    def ready(self):
        from . import desk  # noqa: F401 — its cards and menu section (gongkai/core/desk.py)
