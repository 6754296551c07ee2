from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("Agencies, users and audit")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        # A role granted, taken or moved within a request is seen by that request's next
        # read (the memo of core/memo.py holds the user's memberships and their agencies' paths)
        from django.db.models.signals import post_delete, post_save

        # ocr registers its system check; cards its declarations for the desk (core/desk.py)
        from . import cards, lockout, memo, ocr  # noqa: F401
        from .models import Agency, Membership

        for model in (Membership, Agency):
            for signal in (post_save, post_delete):
                signal.connect(memo.forget, sender=model, dispatch_uid=f"gongkai.memo.{model}")

        # Every login page (staff, admin) is audited the same way.
        user_logged_in.connect(lockout.record_login, dispatch_uid="gongkai.core.record_login")
        user_locked_out.connect(lockout.record_lockout, dispatch_uid="gongkai.core.record_lockout")
