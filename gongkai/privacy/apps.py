from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "gongkai.privacy"
    label = "privacy"
    verbose_name = "去标识化"

    def ready(self):
        from gongkai.core import logs

        # the log lines' masker (core/logs.py: core imports no app)
        logs.register_masker(_mask_lazily)


def _mask_lazily(text: str) -> str:
    # imported at the first warning, as before: the shield's lexicons load only when needed
    from .masking import mask

    return mask(text)
