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
