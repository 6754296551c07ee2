from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "gongkai.engagement"
    label = "engagement"
    verbose_name = _("Responses and interpretation")

    def ready(self):
        from . import desk  # noqa: F401 — its cards and menu section (gongkai/core/desk.py)
