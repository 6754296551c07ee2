from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Agency
from gongkai.core.storage import private_storage

from .taxonomy import (
    TOPIC_CHOICES,
    ChannelKind,
    ColumnType,
    DisclosureMode,
    Genre,
    NonDisclosureGround,
    PrivacyOverrideReason,
    Scope,
    Validity,
)

DEFAULT_INDEX_PATTERN = "{统一社会信用代码}/{YYYY}-{NNNNN}"


class CatalogueSettings(models.Model):
    """Per-agency catalogue configuration."""

    agency = models.OneToOneField(
        Agency,
        on_delete=models.CASCADE,
        related_name="catalogue_settings",
        verbose_name=_("agency"),
    )
    index_pattern = models.CharField(
        _("index number pattern"),
        max_length=100,
        default=DEFAULT_INDEX_PATTERN,
        help_text=_(
            "Tokens: {统一社会信用代码}, {YYYY} (year), {NNNNN} (serial; one N per digit)."
        ),
    )

    class Meta:
        verbose_name = _("catalogue settings")
        verbose_name_plural = _("catalogue settings")

    def __str__(self) -> str:
        return str(self.agency)


class Column(models.Model):
    """栏目: a node of an agency's disclosure catalogue."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="columns", verbose_name=_("agency")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent column"),
    )
    name = models.CharField(_("name"), max_length=60)
    column_type = models.CharField(_("column type"), max_length=20, choices=ColumnType.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        ordering = ["agency", "parent_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "parent", "name"], name="column_unique_name_per_parent"
            ),
            models.UniqueConstraint(
                fields=["agency", "name"],
                condition=models.Q(parent__isnull=True),
                name="column_unique_root_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ItemStatus.PUBLISHED)

    def for_agency(self, agency):
        return self.filter(agency=agency)


class Item(models.Model):
    """政府信息: one entry of the disclosure catalogue with the metadata catalogues show."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="items", verbose_name=_("agency")
    )
    column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="items", verbose_name=_("column")
    )
    index_number = models.CharField(_("index number"), max_length=80, blank=True, default="")
    index_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    index_serial = models.PositiveIntegerField(null=True, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    publisher = models.CharField(_("issuing agency"), max_length=200, blank=True)
    formed_on = models.DateField(_("date of formation"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled publication"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=40, choices=TOPIC_CHOICES, default="综合政务")
    genre = models.CharField(_("genre"), max_length=20, choices=Genre.choices)
    validity = models.CharField(
        _("validity"), max_length=10, choices=Validity.choices, default=Validity.VALID
    )
    valid_from = models.DateField(_("effective from"), null=True, blank=True)
    invalid_on = models.DateField(_("expired or repealed on"), null=True, blank=True)
    disclosure_mode = models.CharField(
        _("disclosure mode"),
        max_length=12,
        choices=DisclosureMode.choices,
        default=DisclosureMode.PROACTIVE,
    )
    non_disclosure_ground = models.CharField(
        _("ground for non-disclosure"),
        max_length=20,
        choices=NonDisclosureGround.choices,
        blank=True,
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    # Information published only on other channels (a 政务微博 post, a 政务微信 article) counts in
    # the annual report's 主动公开 figures, but the website does not list it.
    on_website = models.BooleanField(
        _("on the website"),
        default=True,
        help_text=_("Off for information published only on other channels."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ItemStatus.choices,
        default=ItemStatus.DRAFT,
        db_index=True,
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    privacy_override = models.CharField(
        _("privacy override"), max_length=20, choices=PrivacyOverrideReason.choices, blank=True
    )
    privacy_override_note = models.TextField(_("privacy override note"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("submitted by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    # Four eyes is about the content, not about who pressed "submit": everyone who changed the
    # item's fields or attachments since its last approval (services keep the set; an approval
    # empties it). None of them may review the item.
    content_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("content changed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("government information item")
        verbose_name_plural = _("government information items")
        ordering = ["-published_at", "-formed_on", "-id"]
        constraints = [
            # Drafts have no 索引号 yet (""): only numbers actually given must be unique.
            models.UniqueConstraint(
                fields=["agency", "index_number"],
                condition=~models.Q(index_number=""),
                name="item_unique_index_number",
            ),
            models.UniqueConstraint(
                fields=["agency", "index_year", "index_serial"], name="item_unique_index_serial"
            ),
        ]
        indexes = [
            models.Index(
                fields=["agency", "status", "published_at"], name="item_agency_status_idx"
            ),
            # Column lists of the portal: newest public items of a column subtree, read from the
            # index alone (the INCLUDE columns are PostgreSQL-only; SQLite builds the plain index).
            models.Index(
                fields=["column", "-published_at", "-id"],
                include=["agency", "status", "updated_at"],
                condition=models.Q(disclosure_mode="proactive", scope="public", on_website=True),
                name="item_public_column_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IndexSequence(models.Model):
    """The last serial handed out per agency and year; rows are locked while a number is taken."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="index_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_value}"


class ItemReview(models.Model):
    """A reviewer's decision with the checks the review form records."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Returned for changes")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    check_secrecy = models.BooleanField(_("secrecy review done"), default=False)
    check_privacy = models.BooleanField(_("personal privacy checked"), default=False)
    check_wording = models.BooleanField(_("wording checked for accuracy"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.decision}"


def attachment_path(instance, filename: str) -> str:
    return f"attachments/{instance.item.agency_id}/{instance.item_id}/{instance.sha256[:16]}-{filename}"


class OcrStatus(models.TextChoices):
    """Whether the attachment's text came from OCR: a scan (an image, or a PDF without a text
    layer) is read in the background; one read with too little confidence waits for a person."""

    NOT_NEEDED = "none", _("not needed")
    PENDING = "pending", _("waiting for OCR")
    DONE = "done", _("read by OCR")
    LOW_CONFIDENCE = "low", _("OCR uncertain, needs a person")
    FAILED = "failed", _("OCR failed, needs a person")


class Attachment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    # Private even once published: the portal serves it after checking that the item is public.
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("file type"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    text = models.TextField(_("extracted text"), blank=True)
    metadata_stripped = models.BooleanField(_("metadata removed"), default=False)
    ocr_status = models.CharField(
        _("OCR"), max_length=10, choices=OcrStatus.choices, default=OcrStatus.NOT_NEEDED
    )
    # mean word confidence (0–100) of the OCR, and each page's words with their boxes, so that a
    # finding can be shown on the page image: [{"page", "width", "height", "words": [[text, x,
    # y, w, h, conf], ...]}, ...]
    ocr_confidence = models.FloatField(_("OCR confidence"), null=True, blank=True)
    ocr_layout = models.JSONField(default=list, blank=True)
    # The file as uploaded, kept (private) after the editor replaced it with a masked copy, until
    # the item is published; then it is removed.
    original_file = models.FileField(
        _("original file"),
        upload_to=attachment_path,
        storage=private_storage,
        max_length=255,
        blank=True,
    )
    masked_at = models.DateTimeField(_("masked at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Channel(models.Model):
    """A publication channel of an agency: its website, 政务微博/微信 accounts, an app, others."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="channels", verbose_name=_("agency")
    )
    kind = models.CharField(_("channel type"), max_length=10, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=100)
    account = models.CharField(_("account"), max_length=100, blank=True)
    url = models.URLField(_("address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("publication channel")
        verbose_name_plural = _("publication channels")
        ordering = ["agency", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "name"], name="channel_unique_name"),
            models.UniqueConstraint(
                fields=["agency"],
                condition=models.Q(kind="website"),
                name="channel_one_website_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}·{self.name}"


class Publication(models.Model):
    """One item published on one channel, with that channel's own date."""

    class Source(models.TextChoices):
        AUTOMATIC = "auto", _("automatic")
        MANUAL = "manual", _("entered by hand")
        IMPORTED = "import", _("imported")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="publications")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="publications")
    published_on = models.DateField(_("publication date"), db_index=True)
    url = models.URLField(_("address"), blank=True, max_length=500)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "channel"], name="publication_once_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.channel_id} {self.published_on}"


def draft_attachment_path(instance, filename: str) -> str:
    return f"drafts/{instance.agency_id}/{instance.token[:16]}/{instance.sha256[:16]}-{filename}"


class DraftAttachment(models.Model):
    """A file uploaded on an item's form before the item is saved (a new item has no row to
    attach it to yet), or an image of an imported .docx. It belongs to the form's token, the
    user and the agency; saving the form adopts it as an Attachment of the item, and drafts
    nobody adopted are removed after a day (`gongkai catalogue expire-drafts`)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, db_index=True)
    file = models.FileField(
        upload_to=draft_attachment_path, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("attachment awaiting its item")
        verbose_name_plural = _("attachments awaiting their items")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
