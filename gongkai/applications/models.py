"""依申请公开: applications, their event log (the clock), decisions, letters, fees and appeals."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Agency
from gongkai.core.storage import private_storage

from .clock import EventKind
from .outcomes import Outcome
from .taxonomy import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    ConsultationKind,
    ConsultationReply,
    DeliveryMethod,
    FeeSchedule,
    IdType,
    LetterKind,
)

DEFAULT_NUMBER_PATTERN = "YSQ-{YYYY}-{NNNN}"
DEFAULT_LETTER_PATTERN = "{简称}依申〔{YYYY}〕第{N}号"


class ApplicationSettings(models.Model):
    """Per-agency rules where the law leaves a choice (RULES Part A.3, A.4)."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="application_settings"
    )
    number_pattern = models.CharField(
        _("application number pattern"),
        max_length=60,
        default=DEFAULT_NUMBER_PATTERN,
        help_text=_("Tokens: {YYYY} (year), {NNNN} (serial; one N per digit)."),
    )
    letter_pattern = models.CharField(
        _("letter number pattern"),
        max_length=60,
        default=DEFAULT_LETTER_PATTERN,
        help_text=_("Tokens: {简称} (short name), {YYYY} (year), {N} or {NNN} (serial)."),
    )
    letter_prefix = models.CharField(
        _("short name in letter numbers"),
        max_length=20,
        blank=True,
        help_text=_("For example 六横; empty means the agency's short name."),
    )
    correction_period_workdays = models.PositiveSmallIntegerField(
        _("correction period (working days)"), default=10
    )
    near_due_workdays = models.PositiveSmallIntegerField(
        _("near-due warning (working days before the due date)"), default=5
    )
    plain_post_starts_on_contact = models.BooleanField(
        _("plain letters that cannot be confirmed start the clock on contact"), default=True
    )
    fee_pauses_clock = models.BooleanField(
        _("the time between a fee notice and payment is not counted"), default=True
    )
    online_enabled = models.BooleanField(_("accept applications online"), default=True)
    # Letters as official documents (issue 17): who signs is always the agency; these choose
    # the letterhead, the contact line and whether the head of the office signs replies off.
    letterhead = models.BooleanField(
        _("print a letterhead (红头) on letters"),
        default=False,
        help_text=_("The agency's name in red, the letter number and a red rule above the title."),
    )
    letterhead_name = models.CharField(
        _("name in the letterhead"),
        max_length=60,
        blank=True,
        help_text=_("Empty means the agency's name."),
    )
    contact_office = models.CharField(
        _("contact office named in letters"),
        max_length=100,
        blank=True,
        help_text=_("Empty means the agency's disclosure office."),
    )
    requires_signoff = models.BooleanField(
        _("reply letters need the sign-off of the head of the disclosure office"),
        default=True,
        help_text=_("A reply is drafted, previewed and signed off before it is numbered and sent."),
    )

    # What an agency's manager may change (the settings page, the API and the admin).
    EDITABLE_FIELDS = (
        "number_pattern",
        "letter_pattern",
        "letter_prefix",
        "correction_period_workdays",
        "near_due_workdays",
        "plain_post_starts_on_contact",
        "fee_pauses_clock",
        "online_enabled",
        "letterhead",
        "letterhead_name",
        "contact_office",
        "requires_signoff",
    )

    class Meta:
        verbose_name = _("application settings")
        verbose_name_plural = _("application settings")

    def __str__(self) -> str:
        return str(self.agency)


class NumberSequence(models.Model):
    """Gap-free counters per agency and year: application numbers and letter numbers."""

    APPLICATION = "application"
    LETTER = "letter"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=20)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "name"], name="application_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.name}: {self.last_value}"


class Status(models.TextChoices):
    """第四十五条: 登记、审核、办理、答复、归档."""

    REGISTERED = "registered", _("Registered, receipt to be confirmed")
    RECEIVED = "received", _("Received, under review")
    CORRECTION = "correction", _("Awaiting correction")
    PROCESSING = "processing", _("Being processed")
    CONSULTING = "consulting", _("Consulting")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    CONCLUDED = "concluded", _("Concluded")
    ARCHIVED = "archived", _("Archived")


OPEN_STATUSES = frozenset(
    {
        Status.REGISTERED,
        Status.RECEIVED,
        Status.CORRECTION,
        Status.PROCESSING,
        Status.CONSULTING,
        Status.AWAITING_PAYMENT,
    }
)


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_agency(self, agency: Agency):
        return self.filter(agency=agency)


class Application(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="applications", verbose_name=_("agency")
    )
    number = models.CharField(_("application number"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)

    # 申请人 (第二十九条（一）)
    applicant_type = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantType.choices
    )
    applicant_name = models.CharField(_("name"), max_length=100)
    id_type = models.CharField(_("identity document"), max_length=30, choices=IdType.choices)
    id_number = models.CharField(_("document number"), max_length=40)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("telephone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)

    # 所需信息 (第二十九条（二）（三）)
    information = models.TextField(_("information requested"))
    document_number = models.CharField(_("document number (文号)"), max_length=100, blank=True)
    forms = models.JSONField(_("forms wanted"), default=list)
    delivery = models.CharField(
        _("how to receive it"), max_length=20, choices=DeliveryMethod.choices
    )
    fee_waiver_requested = models.BooleanField(_("fee reduction requested"), default=False)

    # Registration
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    received_on = models.DateField(_("date of receipt"), null=True, blank=True)
    submission_token = models.CharField(max_length=64, blank=True)
    submitter_ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    query_code_hash = models.CharField(max_length=128, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_applications",
        verbose_name=_("handler"),
    )

    # The clock, denormalised from the events for lists and the daily tick.
    due_on = models.DateField(_("reply due"), null=True, blank=True, db_index=True)
    # While the count needs a year whose holiday schedule is missing, due_on is empty and these
    # hold the year and a provisional date never later than the legal one (core/workdays.py).
    due_pending_year = models.PositiveSmallIntegerField(
        _("reply due pending the holiday schedule of"), null=True, blank=True
    )
    due_provisional = models.DateField(_("provisional reply due"), null=True, blank=True)
    clock_paused = models.BooleanField(default=False)
    flag = models.CharField(_("deadline flag"), max_length=10, blank=True)

    # Decision
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reasons and where to obtain it"), blank=True)
    on_the_spot = models.BooleanField(_("replied on the spot"), default=False)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True, db_index=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="application_number_unique"),
            models.UniqueConstraint(
                fields=["agency", "submission_token"],
                condition=~models.Q(submission_token=""),
                name="application_submission_once",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "due_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def deadline_on(self):
        """The date the office works to: the legal due date, or while it is pending, the
        provisional one."""
        return self.due_on or self.due_provisional

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_organisation(self) -> bool:
        return self.applicant_type != ApplicantType.NATURAL_PERSON


class ApplicationEvent(models.Model):
    """The timeline of an application, append-only. Clock events drive the due date; notes and
    other entries are kept for the record. `on` is the legal date of the event (a receipt or a
    letter's date), `created_at` when it was recorded."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    on = models.DateField()
    days = models.PositiveSmallIntegerField(default=0)
    ref = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    public = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["application", "on", "id"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.on} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("application events are append-only")
        super().save(*args, **kwargs)


NOTE = "note"  # an internal note: an event with no clock effect, never public
ASSIGNED = "assigned"
ARCHIVED = "archived"
# The reply letter's way to sign-off (internal, no clock effect): ReplyDraft.
REPLY_DRAFTED = "reply_drafted"
REPLY_SUBMITTED = "reply_submitted"
REPLY_SIGNED = "reply_signed"
REPLY_RETURNED = "reply_returned"
CLOCK_KINDS = frozenset(EventKind)


def application_file_path(instance: ApplicationFile, filename: str) -> str:
    app = instance.application
    return f"applications/{app.agency_id}/{app.year}/{app.pk}/{instance.sha256[:16]}{_suffix(filename)}"


def letter_file_path(instance, filename: str) -> str:
    # The year the letter was issued, not the year it happens to be rendered in.
    return f"letters/{instance.issued_on.year}/{filename}"


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:10] if dot >= 0 else ""


class FileKind(models.TextChoices):
    APPLICANT = "applicant", _("Submitted by the applicant")
    CORRECTION = "correction", _("Correction from the applicant")
    PROVIDED = "provided", _("Information provided")
    INTERNAL = "internal", _("Internal working file")


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("file type"), max_length=20, choices=FileKind.choices)
    file = models.FileField(
        upload_to=application_file_path, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    findings = models.PositiveIntegerField(_("personal data findings"), default=0)
    released = models.BooleanField(_("released to the applicant"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Consultation(models.Model):
    """征求意见 (第三十二条 third party, 第三十四条 other agency): 15 working days each."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConsultationKind.choices)
    addressee = models.CharField(_("consulted party"), max_length=200)
    sent_on = models.DateField(_("sent on"))
    reply_due = models.DateField(_("opinion due"))
    answered_on = models.DateField(_("closed on"), null=True, blank=True)
    reply = models.CharField(
        _("opinion"), max_length=20, choices=ConsultationReply.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.addressee}"

    @property
    def deadline_on(self):
        """The date the office works to: the legal due date, or while it is pending, the
        provisional one."""
        return self.due_on or self.due_provisional

    @property
    def is_open(self) -> bool:
        return self.answered_on is None


class Fee(models.Model):
    """信息处理费 of one application: one schedule, never both (109号 第三条)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="fee")
    schedule = models.CharField(_("schedule"), max_length=20, choices=FeeSchedule.choices)
    count = models.PositiveIntegerField(_("applications this month or pages"))
    amount = models.PositiveIntegerField(_("amount (yuan)"))
    breakdown = models.JSONField(default=dict)
    notified_on = models.DateField(_("notice date"))
    pay_by = models.DateField(_("pay by"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=60, blank=True)

    def __str__(self) -> str:
        return f"{self.application} {self.amount}元"


class Appeal(models.Model):
    """行政复议 / 行政诉讼 about an application (表四)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField(_("kind"), max_length=30, choices=AppealKind.choices)
    filed_on = models.DateField(_("filed on"))
    body = models.CharField(_("review body or court"), max_length=200)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    result = models.CharField(
        _("result"), max_length=20, choices=AppealResult.choices, default=AppealResult.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.filed_on}"


class LetterTemplate(models.Model):
    """A letter's text with placeholders such as {申请编号}. Each edit is a new version; letters
    keep the version they were made from. agency NULL = the platform's default."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField(_("letter"), max_length=30, choices=LetterKind.choices)
    family = models.CharField(_("outcome family"), max_length=20, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "family", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "family", "version"], name="letter_template_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Letter(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("letter"), max_length=30, choices=LetterKind.choices)
    number = models.CharField(_("letter number"), max_length=60)
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    addressee = models.CharField(_("addressee"), max_length=200)
    body = models.TextField(_("text"))
    issued_on = models.DateField(_("date"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    for_applicant = models.BooleanField(default=True)
    # The letterhead printed above the title (the agency's name in red), as it was when the
    # letter was issued; empty: no letterhead.
    letterhead = models.CharField(_("letterhead"), max_length=60, blank=True)
    docx = models.FileField(
        upload_to=letter_file_path, storage=private_storage, max_length=255, blank=True
    )
    pdf = models.FileField(
        upload_to=letter_file_path, storage=private_storage, max_length=255, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="letter_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class ReplyDraftStatus(models.TextChoices):
    """A reply letter before it goes out: drafted, signed off by the head of the office where the
    agency requires it, then issued (numbered and dated the day it is issued)."""

    DRAFT = "draft", _("Draft")
    AWAITING_SIGNOFF = "awaiting_signoff", _("Awaiting sign-off")
    SIGNED = "signed", _("Signed off")
    ISSUED = "issued", _("Issued")


class ReplyDraft(models.Model):
    """The reply being prepared for an application: the decision the letter will state. Nothing
    here touches the clock; issuing does (application_reply), on the day it is issued."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="reply_draft"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReplyDraftStatus.choices,
        default=ReplyDraftStatus.DRAFT,
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    reason = models.TextField(_("reasons and where to obtain it"), blank=True)
    on_the_spot = models.BooleanField(_("replied on the spot"), default=False)
    release = models.JSONField(_("files released to the applicant"), default=list, blank=True)
    privacy_override_reason = models.TextField(blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    letter = models.OneToOneField(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply draft")
        verbose_name_plural = _("reply drafts")

    def __str__(self) -> str:
        return f"{self.application} {self.status}"
