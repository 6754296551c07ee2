from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from gongkai.core import sites

        from . import signals
        from .models import PortalSettings

        signals.connect()
        # the site frame every app's public pages read (core/sites.py) reads these settings
        sites.register_settings(PortalSettings)

        from gongkai.core import demos

        # its part of `gongkai demo` (core/demos.py)
        demos.register("gongkai.portal.demo.run_demo", order=20)
