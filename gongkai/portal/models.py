from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Agency

validate_site_code = RegexValidator(
    r"^\d{10}$", _("A website identifier code has 10 digits."), code="site_code"
)
validate_police_code = RegexValidator(
    r"^\d{6,20}$", _("Enter the digits of the public security record number."), code="police_code"
)


def badge_path(instance, filename: str) -> str:
    return f"portal/{instance.agency_id}/badge-{filename}"


class PortalSettings(models.Model):
    """What an agency's public portal shows about itself: its name and the footer's marks.

    One row per agency, created the first time someone saves it; until then (and for every
    field left empty) the portal falls back to the agency's own data (see `selectors.Site`).
    """

    agency = models.OneToOneField(
        Agency,
        on_delete=models.CASCADE,
        related_name="portal_settings",
        verbose_name=_("agency"),
    )
    site_name = models.CharField(
        _("site name"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty to use the agency's name followed by 政府信息公开."),
    )
    sponsor = models.CharField(
        _("sponsor (主办单位)"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty for the agency's name."),
    )
    operator = models.CharField(_("operator (承办单位)"), max_length=100, blank=True)
    site_code = models.CharField(
        _("website identifier code (网站标识码)"),
        max_length=10,
        blank=True,
        validators=[validate_site_code],
    )
    icp_record = models.CharField(
        _("ICP record number (ICP备案号)"),
        max_length=60,
        blank=True,
        help_text=_("As registered, e.g. 浙ICP备00000000号-1."),
    )
    police_record = models.CharField(
        _("public security record (公安机关备案号)"),
        max_length=60,
        blank=True,
        help_text=_("As displayed, e.g. 浙公网安备 33090302000000号."),
    )
    police_record_code = models.CharField(
        _("public security record code"),
        max_length=20,
        blank=True,
        validators=[validate_police_code],
        help_text=_("The digits of the record, for the link to its registration."),
    )
    badge_image = models.ImageField(
        _("party and government website badge (党政机关网站标识)"),
        upload_to=badge_path,
        blank=True,
        max_length=255,
    )
    badge_url = models.URLField(
        _("badge link"),
        blank=True,
        help_text=_("The verification page the badge links to, as issued with it."),
    )
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=40,
        blank=True,
        help_text=_("Leave empty for the disclosure office's phone."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Leave empty for the disclosure office's e-mail."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def __str__(self) -> str:
        return str(self.agency)


class PageGeneration(models.Model):
    """A token that changes whenever something the agency's public pages show may have changed.

    The cache of rendered pages (caching.py) keys an agency's pages with it, next to the
    agency's and its portal settings' `updated_at`: one indexed read tells whether a stored
    page is still the page. It is written after the commit of every change to the agency's
    columns, channels, catalogue settings, and its items and attachments once an item has been
    published (signals.py); a row exists from the first such change on.
    """

    agency = models.OneToOneField(
        Agency,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="page_generation",
        verbose_name=_("agency"),
    )
    token = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("page generation")
        verbose_name_plural = _("page generations")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.token}"
