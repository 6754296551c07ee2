from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TermCategory(models.TextChoices):
    STATE = "state", _("State body")
    PARTY = "party", _("Party body or meeting")
    BODY = "body", _("Other body")
    TITLE = "title", _("Official title")
    NAME = "name", _("Leader's name")
    LAW = "law", _("Law or regulation")
    IDEOLOGY = "ideology", _("Official formulation")
    GOVINFO = "govinfo", _("Government information disclosure term")
    COMMON = "common", _("Common miswriting")


class WordingTerm(models.Model):
    """A term the platform administrator adds to the built-in list (terms/*.toml): a local
    body's name, a new leader's name, a new law. Written through services only (audited)."""

    correct = models.CharField(_("correct form"), max_length=100)
    wrong_forms = models.TextField(_("wrong forms"), help_text=_("One a line."))
    category = models.CharField(
        _("category"), max_length=20, choices=TermCategory.choices, default=TermCategory.STATE
    )
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    allow = models.TextField(
        _("correct text containing a wrong form"),
        blank=True,
        help_text=_("One a line: no finding where one of these covers a wrong form."),
    )
    near = models.BooleanField(
        _("edit-distance check"),
        null=True,
        blank=True,
        help_text=_("Empty: by the term's length and category."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["correct", "id"]
        verbose_name = _("wording term")
        verbose_name_plural = _("wording terms")

    def __str__(self) -> str:
        return self.correct

    @property
    def wrong_list(self) -> list[str]:
        return _lines(self.wrong_forms)

    @property
    def allow_list(self) -> list[str]:
        return _lines(self.allow)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]
