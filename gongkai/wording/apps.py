from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordingConfig(AppConfig):
    name = "gongkai.wording"
    label = "wording"
    verbose_name = _("Wording check")

    def ready(self):
        # The item editor shows the wording findings beside the text as it is typed.
        try:
            from gongkai.catalogue import live_checks
        except ImportError:  # an older catalogue without the live checks
            return
        from .items import live_check

        live_checks.register(live_check)
