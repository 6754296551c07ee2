from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "gongkai.operations"
    label = "operations"
    verbose_name = _("Disclosure operations")

    def ready(self):
        from . import desk  # noqa: F401 — its cards and menu section (gongkai/core/desk.py)
