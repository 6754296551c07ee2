"""Operations records of the disclosure office: what the 统计表 sections 六–九 and the report text
count — the office and its staff, special funds, meetings, trainings, 举报投诉, and the agency's
政务新媒体 accounts with their post counts. Fees come from the applications (applications.Fee).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Agency

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class MeetingKind(models.TextChoices):
    """召开政府信息公开工作会议或专题会议数: the two kinds the row names."""

    WORK = "work", "工作会议"
    SPECIAL = "special", "专题会议"


class ComplaintChannel(models.TextChoices):
    LETTER = "letter", "信函"
    PHONE = "phone", "电话"
    ONLINE = "online", "网络"
    IN_PERSON = "in_person", "当面"
    REFERRED = "referred", "上级转办"
    OTHER = "other", "其他"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    HANDLING = "handling", _("Being handled")
    CLOSED = "closed", _("Closed")


class Platform(models.TextChoices):
    """政务新媒体 platforms."""

    WEIBO = "weibo", "微博"
    WECHAT = "wechat", "微信"
    DOUYIN = "douyin", "抖音"
    TOUTIAO = "toutiao", "头条"
    OTHER = "other", "其他"


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "运营中"
    CLOSED = "closed", "已关停"


class OfficeYear(models.Model):
    """统计表 八（一）（二）: the disclosure office of one agency in one year."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="office_years", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    name = models.CharField(_("office name"), max_length=100, blank=True)
    units = models.PositiveSmallIntegerField(
        "政府信息公开工作专门机构数（个）", default=0, validators=[MaxValueValidator(999)]
    )
    full_time_staff = models.PositiveSmallIntegerField(
        "专职人员数（人）", default=0, validators=[MaxValueValidator(9999)]
    )
    part_time_staff = models.PositiveSmallIntegerField(
        "兼职人员数（人）", default=0, validators=[MaxValueValidator(9999)]
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("disclosure office year")
        verbose_name_plural = _("disclosure office years")
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="office_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name or self.agency_id}"


class SpecialFund(models.Model):
    """统计表 八（三）政府信息公开专项经费 (万元): one allocation; the year's figure is the sum."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="special_funds", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    amount_wan = models.DecimalField(
        _("amount (10,000 yuan)"),
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("special fund")
        verbose_name_plural = _("special funds")
        ordering = ["agency", "-year", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.purpose} {self.amount_wan}万元"


class Meeting(models.Model):
    """统计表 九（一）: a 政府信息公开工作会议 or 专题会议."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="disclosure_meetings",
        verbose_name=_("agency"),
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["agency", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class Training(models.Model):
    """统计表 九（二）（三）: a training session and its attendance (人次)."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="disclosure_trainings",
        verbose_name=_("agency"),
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    attendees = models.PositiveIntegerField(
        _("attendees (person-times)"), validators=[MaxValueValidator(100000)]
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["agency", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class Complaint(models.Model):
    """统计表 六 举报投诉: a complaint or report about the agency's disclosure work."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="disclosure_complaints",
        verbose_name=_("agency"),
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=12, choices=ComplaintChannel.choices)
    complainant = models.CharField(_("complainant"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    summary = models.TextField(_("summary"))
    handling = models.TextField(_("handling"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
        db_index=True,
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["agency", "-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.received_on} {self.summary[:30]}"

    def clean(self) -> None:
        errors = {}
        if self.status == ComplaintStatus.CLOSED and self.closed_on is None:
            errors["closed_on"] = _gettext("A closed complaint needs its closing date.")
        if self.status != ComplaintStatus.CLOSED and self.closed_on is not None:
            errors["closed_on"] = _gettext("Only a closed complaint has a closing date.")
        if self.closed_on and self.received_on and self.closed_on < self.received_on:
            errors["closed_on"] = _gettext("The closing date is before the date of receipt.")
        if errors:
            raise ValidationError(errors)


class NewMediaAccount(models.Model):
    """A 政务新媒体 account of the agency (政务微博, 政务微信 公众号, 抖音 …)."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="new_media_accounts",
        verbose_name=_("agency"),
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=100)
    account = models.CharField(_("account"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    channel = models.ForeignKey(
        "catalogue.Channel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catalogue channel"),
    )

    class Meta:
        verbose_name = _("new-media account")
        verbose_name_plural = _("new-media accounts")
        ordering = ["agency", "platform", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "platform", "name"], name="new_media_account_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}·{self.name}"

    def clean(self) -> None:
        errors = {}
        if self.status == AccountStatus.CLOSED and self.closed_on is None:
            errors["closed_on"] = _gettext("A closed account needs its closing date.")
        if self.status == AccountStatus.ACTIVE and self.closed_on is not None:
            errors["closed_on"] = _gettext("An account in operation has no closing date.")
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            errors["closed_on"] = _gettext("The closing date is before the opening date.")
        if self.channel_id and self.channel.agency_id != self.agency_id:
            errors["channel"] = _gettext("The channel belongs to another agency.")
        if errors:
            raise ValidationError(errors)


class PostCount(models.Model):
    """How many posts an account published in a period (entered or imported)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("entered by hand")
        IMPORTED = "import", _("imported")

    account = models.ForeignKey(
        NewMediaAccount,
        on_delete=models.CASCADE,
        related_name="post_counts",
        verbose_name=_("account"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    count = models.PositiveIntegerField(_("posts"), validators=[MaxValueValidator(1000000)])
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )

    class Meta:
        verbose_name = _("post count")
        verbose_name_plural = _("post counts")
        ordering = ["account", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period_start"], name="post_count_unique_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.period_start}–{self.period_end}: {self.count}"

    def clean(self) -> None:
        if self.period_start and self.period_end:
            if self.period_end < self.period_start:
                raise ValidationError({"period_end": _gettext("The period ends before it starts.")})
            if self.period_end.year != self.period_start.year:
                raise ValidationError(
                    {
                        "period_end": _gettext(
                            "A period must lie within one calendar year (the report counts "
                            "per year)."
                        )
                    }
                )
