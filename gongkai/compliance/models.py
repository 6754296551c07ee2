"""What the compliance monitor keeps: a daily snapshot of each agency's check (for the trend
and the supervisor's matrix), the external links of published content with their last check,
and the probes of the public portal (for 站点无法访问).

Findings are recomputed from the records at any time (check.py); a snapshot stores what they
were on a day, so that a month's state can be shown after the records have changed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Agency


class CheckSnapshot(models.Model):
    """One agency's check on one day (the last run of the day wins)."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="compliance_snapshots",
        verbose_name=_("agency"),
    )
    day = models.DateField(_("day"))
    checked_at = models.DateTimeField(_("checked at"))
    # {rule id: "error" | "warning" | "ok"} for every rule known at the time
    statuses = models.JSONField(_("status per rule"), default=dict)
    findings = models.JSONField(_("findings"), default=list)
    errors = models.PositiveIntegerField(_("red findings"), default=0)
    warnings = models.PositiveIntegerField(_("amber findings"), default=0)

    class Meta:
        verbose_name = _("compliance snapshot")
        verbose_name_plural = _("compliance snapshots")
        ordering = ["agency", "-day"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="compliance_snapshot_daily")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"


class LinkCheck(models.Model):
    """An external link found in an agency's published content, with its last check.

    `status` is the HTTP status of the last answer (None: no answer — refused, timed out, a
    name that does not resolve, a redirect to another scheme); `ok` says whether it counts as
    working (2xx, or 3xx leading to a 2xx)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="link_checks", verbose_name=_("agency")
    )
    url = models.TextField(_("address"))
    url_hash = models.CharField(max_length=64, editable=False)  # SHA-256 of url: a short key
    items = models.ManyToManyField(
        "catalogue.Item", related_name="link_checks", blank=True, verbose_name=_("items")
    )
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    ok = models.BooleanField(_("working"), null=True)  # None: not checked yet
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["agency", "url"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "url_hash"], name="link_check_once")
        ]
        indexes = [models.Index(fields=["agency", "checked_at"], name="link_check_due")]

    def __str__(self) -> str:
        return self.url


class SiteProbe(models.Model):
    """One visit of an agency's public portal home by the platform's own probe."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="site_probes", verbose_name=_("agency")
    )
    url = models.TextField(_("address"))
    probed_at = models.DateTimeField(_("probed at"), db_index=True)
    ok = models.BooleanField(_("reachable"))
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField(_("time taken (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("site probe")
        verbose_name_plural = _("site probes")
        ordering = ["agency", "-probed_at"]
        indexes = [models.Index(fields=["agency", "probed_at"], name="site_probe_window")]

    def __str__(self) -> str:
        return f"{self.url} {self.probed_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'down'}"
