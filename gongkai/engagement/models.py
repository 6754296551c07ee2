"""回应解读 (hot topics and 舆情 with their responses, press conferences, policy
interpretations) and 我为政府网站找错 (website error reports)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Agency

from .taxonomy import (
    ConferenceRole,
    ErrorOutcome,
    ErrorStatus,
    ErrorType,
    IncidentKind,
    IncidentLevel,
    IncidentSource,
    IncidentStatus,
    InterpretationForm,
    ResponseChannel,
)

USER = settings.AUTH_USER_MODEL


class Incident(models.Model):
    """A hot topic of public concern or an online public-opinion incident (舆情), and how it was
    handled. Its public responses are `IncidentResponse` rows (one per channel and date)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("agency")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=IncidentKind.choices, default=IncidentKind.OPINION
    )
    topic = models.CharField(_("topic"), max_length=200)
    source = models.CharField(_("source"), max_length=12, choices=IncidentSource.choices)
    first_seen_on = models.DateField(_("first seen on"))
    level = models.CharField(
        _("level"), max_length=10, choices=IncidentLevel.choices, default=IncidentLevel.ORDINARY
    )
    description = models.TextField(_("description"), blank=True)
    handling = models.TextField(_("how it was handled"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IncidentStatus.choices,
        default=IncidentStatus.OPEN,
        db_index=True,
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hot topic or incident")
        verbose_name_plural = _("hot topics and incidents")
        ordering = ["-first_seen_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "closed_on"], name="incident_agency_closed_idx"),
            models.Index(fields=["agency", "first_seen_on"], name="incident_agency_seen_idx"),
        ]

    def __str__(self) -> str:
        return self.topic


class IncidentResponse(models.Model):
    """One public response to an incident: what was said, when, through which channel."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="responses", verbose_name=_("incident")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=ResponseChannel.choices)
    responded_on = models.DateField(_("responded on"), db_index=True)
    summary = models.TextField(_("what was said"))
    url = models.URLField(_("address"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["responded_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.responded_on}"


class PressConference(models.Model):
    """新闻发布会 the agency held or took part in."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="press_conferences", verbose_name=_("agency")
    )
    held_on = models.DateField(_("date"), db_index=True)
    topic = models.CharField(_("topic"), max_length=200)
    role = models.CharField(
        _("held or attended"),
        max_length=10,
        choices=ConferenceRole.choices,
        default=ConferenceRole.HELD,
    )
    speakers = models.CharField(_("speakers"), max_length=300)
    principal_attended = models.BooleanField(
        _("the agency's principal leader took part"), default=False
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    incident = models.ForeignKey(
        Incident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="press_conferences",
        verbose_name=_("incident responded to"),
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("press conference")
        verbose_name_plural = _("press conferences")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.topic


class Interpretation(models.Model):
    """政策解读: an interpretation of a policy document of the catalogue."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="interpretations", verbose_name=_("agency")
    )
    policy = models.ForeignKey(
        "catalogue.Item",
        on_delete=models.PROTECT,
        related_name="interpretations",
        verbose_name=_("policy interpreted"),
    )
    item = models.ForeignKey(
        "catalogue.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interpretation_of",
        verbose_name=_("published as item"),
    )
    title = models.CharField(_("title"), max_length=300)
    form = models.CharField(_("form"), max_length=10, choices=InterpretationForm.choices)
    published_on = models.DateField(_("published on"), db_index=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("policy interpretation")
        verbose_name_plural = _("policy interpretations")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ErrorReportSequence(models.Model):
    """The last 找错 reference serial per agency and year (core.sequences.next_value)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="error_report_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_value}"


class ErrorReport(models.Model):
    """我为政府网站找错: a visitor's report of an error on the agency's website."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="error_reports", verbose_name=_("agency")
    )
    reference = models.CharField(_("reference number"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField()
    page_url = models.URLField(_("page address"), max_length=500, blank=True)
    error_type = models.CharField(_("type of error"), max_length=12, choices=ErrorType.choices)
    description = models.TextField(_("description"))
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ErrorStatus.choices,
        default=ErrorStatus.SUBMITTED,
        db_index=True,
    )
    assignee = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_error_reports",
        verbose_name=_("assigned to"),
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=ErrorOutcome.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    check_code_hash = models.CharField(max_length=128, blank=True)
    submission_token = models.CharField(max_length=64, blank=True)
    submitter_ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    registered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("website error report")
        verbose_name_plural = _("website error reports")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "reference"], name="error_report_reference"),
            models.UniqueConstraint(
                fields=["agency", "year", "serial"], name="error_report_serial"
            ),
            models.UniqueConstraint(
                fields=["agency", "submission_token"],
                condition=~models.Q(submission_token=""),
                name="error_report_token",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="error_report_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference
