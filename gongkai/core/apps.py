from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("Agencies, users and audit")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        # ocr registers its system check; cards its declarations for the desk (core/desk.py)
        from . import cards, lockout, ocr  # noqa: F401

        # Every login page (staff, admin) is audited the same way.
        user_logged_in.connect(lockout.record_login, dispatch_uid="gongkai.core.record_login")
        user_locked_out.connect(lockout.record_lockout, dispatch_uid="gongkai.core.record_lockout")
