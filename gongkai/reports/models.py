"""Annual reports: staff-entered cells, and the report itself with its review and publication.

A report's figures are computed from the records (gongkai/reports/compute.py); the cells no record
can give (行政许可/处罚/强制 decisions, 行政事业性收费 amounts: other systems hold them) are
`ReportEntry` rows, one per agency, year, format and cell. Publishing a `Report` freezes its cells
as a `ReportVersion`; a correction is a new version with its 更正说明.
"""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Agency, AgencyLevel
from gongkai.core.storage import private_storage

from .formats import KEYS

FORMAT_CHOICES = [(key, key) for key in KEYS]


class ReportEntry(models.Model):
    """A figure staff enter for one cell (only cells of rows marked `entered` in the format)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="report_entries", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    format = models.CharField(_("format"), max_length=10, choices=FORMAT_CHOICES)
    cell_key = models.CharField(_("cell"), max_length=300)
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=4, null=True, blank=True
    )  # null: left blank
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("report entry")
        verbose_name_plural = _("report entries")
        ordering = ["agency", "year", "format", "cell_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "format", "cell_key"], name="report_entry_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.format} {self.cell_key}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class Report(models.Model):
    """One agency's annual report of one year in one format."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="reports", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    format = models.CharField(_("format"), max_length=10, choices=FORMAT_CHOICES)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    narrative = models.JSONField(_("narrative"), default=dict, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=0)  # last published
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    correction_note = models.TextField(_("correction note"), blank=True)  # for the next version
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="report_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"


class ReportVersion(models.Model):
    """A published, frozen snapshot of a report: its cells and narrative as published."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    cells = models.JSONField(_("cells"))  # {cell key: str(Decimal) | int | None}
    narrative = models.JSONField(_("narrative"), default=dict)
    correction_note = models.TextField(_("correction note"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # the version's item in the catalogue's 年度报告 column (gongkai/reports/publishing.py)
    item = models.ForeignKey(
        "catalogue.Item",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catalogue item"),
    )

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class ReportDeadline(models.Model):
    """The date a supervising agency sets for the reports of the 乡镇/街道 under it (RULES A.5);
    without one they are due on 1月31日 like a department's. The nearest ancestor's wins."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="report_deadlines",
        verbose_name=_("supervising agency"),
    )
    applies_to_level = models.CharField(
        _("applies to level"), max_length=20, choices=AgencyLevel.choices
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        _("day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        ordering = ["agency", "applies_to_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "applies_to_level"], name="report_deadline_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.applies_to_level} {self.month:02d}-{self.day:02d}"


class ImportedReport(models.Model):
    """A report published before the system (or elsewhere), imported from its file: the
    agency's record of that year, used as the baseline when nothing was published here."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="imported_reports", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    format = models.CharField(_("format"), max_length=10, choices=FORMAT_CHOICES)
    cells = models.JSONField(_("cells"))  # {cell key: int | str(Decimal) | None}
    narrative = models.JSONField(_("narrative"), default=dict, blank=True)
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("imported report")
        verbose_name_plural = _("imported reports")
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "format"], name="imported_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.format} (imported)"


class CheckBatchStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Checking")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CheckBatchSource(models.TextChoices):
    UPLOAD = "upload", _("Uploaded ZIP")
    PUBLISHED = "published", _("Published reports of the agencies under it")


def check_upload_path(instance, filename: str) -> str:
    # never the uploader's file name: it is kept as `upload_name` and shown, not used on disk
    return f"report-checks/{instance.agency_id}/{uuid4().hex}.zip"


class ReportCheckBatch(models.Model):
    """A supervisor's batch check (gongkai/reports/batch.py): the reports of an uploaded ZIP, or
    the published reports of the agencies under `agency` for `year`, imported and linted in the
    background. The upload is private (no URL); only the agency that ran it sees it."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="report_checks", verbose_name=_("agency")
    )
    source = models.CharField(_("source"), max_length=10, choices=CheckBatchSource.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    upload = models.FileField(
        _("file"), upload_to=check_upload_path, storage=private_storage, max_length=255, blank=True
    )
    upload_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CheckBatchStatus.choices,
        default=CheckBatchStatus.QUEUED,
    )
    task = models.ForeignKey(
        "core.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(_("error"), blank=True)
    # batch.results(): {"reports": [{"file", "agency", "year", "format", "cells", "findings"}]}
    results = models.JSONField(_("results"), default=dict, blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report check")
        verbose_name_plural = _("report checks")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.agency_id} check #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (CheckBatchStatus.DONE, CheckBatchStatus.FAILED)
