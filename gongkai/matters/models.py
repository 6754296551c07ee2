"""政务服务事项: an agency's service matters, the 办事指南 each one publishes, and the Zhejiang
“最多跑一次” attributes (星级, 网上/掌上可办, 跑零次, 无差别受理 板块).

The official vocabularies are Chinese data (TextChoices labels, verbatim); the star criteria and
the 无差别受理 板块 are the agency's own configuration (RULES C §8: the provincial definition of
each star level was not found, so each agency records the criteria it applies).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Agency

# The seed: "税收服务、不动产登记、商事登记、投资项目、公安服务、民生事务和公共事业7大板块".
DEFAULT_SECTORS = (
    "税收服务",
    "不动产登记",
    "商事登记",
    "投资项目",
    "公安服务",
    "民生事务",
    "公共事业",
)


class MatterType(models.TextChoices):
    """事项类型."""

    LICENSING = "licensing", "行政许可"
    CONFIRMATION = "confirmation", "行政确认"
    BENEFIT = "benefit", "行政给付"
    ADJUDICATION = "adjudication", "行政裁决"
    OTHER_POWER = "other_power", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"


class Star(models.IntegerChoices):
    """星级 of a matter (一星 … 五星)."""

    ONE = 1, "一星"
    TWO = 2, "二星"
    THREE = 3, "三星"
    FOUR = 4, "四星"
    FIVE = 5, "五星"


class MaterialForm(models.TextChoices):
    """形式 of an application material."""

    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    ORIGINAL_AND_COPY = "original_copy", "原件和复印件"
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    PAPER_OR_ELECTRONIC = "paper_electronic", "纸质或电子"


class MatterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ServiceSector(models.Model):
    """无差别受理 板块: one group of windows of the service hall (agency configuration)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="service_sectors", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("sector (无差别受理)")
        verbose_name_plural = _("sectors (无差别受理)")
        ordering = ["agency", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="sector_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class StarCriterion(models.Model):
    """What the agency requires of a matter for one star level."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="star_criteria", verbose_name=_("agency")
    )
    star = models.PositiveSmallIntegerField(_("star level"), choices=Star.choices)
    text = models.TextField(_("criteria"))

    class Meta:
        verbose_name = _("star criterion")
        verbose_name_plural = _("star criteria")
        ordering = ["agency", "star"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "star"], name="star_criterion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_star_display()}: {self.text[:40]}"


class MatterQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=MatterStatus.PUBLISHED)

    def in_hall_on(self, day):
        """Matters listed in the service hall on `day`: published by then, not retired yet."""
        return self.filter(published_on__lte=day).exclude(retired_on__lte=day)


class Matter(models.Model):
    """政务服务事项 with its 办事指南."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="matters", verbose_name=_("agency")
    )
    name = models.CharField("事项名称", max_length=200)
    code = models.CharField("事项编码", max_length=64)
    matter_type = models.CharField("事项类型", max_length=20, choices=MatterType.choices)
    legal_basis = models.TextField("设定依据", blank=True)
    conditions = models.TextField("受理条件", blank=True)
    procedure = models.TextField("办理流程", blank=True)
    statutory_days = models.PositiveSmallIntegerField(
        "法定时限（工作日）", null=True, blank=True, validators=[MaxValueValidator(3650)]
    )
    promised_days = models.PositiveSmallIntegerField(
        "承诺时限（工作日）", null=True, blank=True, validators=[MaxValueValidator(3650)]
    )
    charged = models.BooleanField("是否收费", default=False)
    fee_basis = models.TextField("收费依据", blank=True)
    fee_standard = models.TextField("收费标准", blank=True)
    place = models.CharField("办理地点", max_length=300, blank=True)
    hours = models.CharField("办理时间", max_length=200, blank=True)
    consult_phone = models.CharField("咨询电话", max_length=60, blank=True)
    complaint_phone = models.CharField("监督电话", max_length=60, blank=True)

    # “最多跑一次”
    star = models.PositiveSmallIntegerField(
        "星级",
        choices=Star.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    online_application = models.BooleanField("网上申报", default=False)
    fully_online = models.BooleanField("全程网办", default=False)
    express_delivery = models.BooleanField("快递送达", default=False)
    zero_visit = models.BooleanField("跑零次", default=False, help_text="零跑腿")
    online = models.BooleanField("网上可办", default=False)
    mobile = models.BooleanField("掌上可办", default=False)
    at_most_once = models.BooleanField("最多跑一次", default=False)
    at_most_once_required = models.BooleanField("省定应当实现“最多跑一次”", default=False)
    sector = models.ForeignKey(
        ServiceSector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
        verbose_name="无差别受理板块",
    )
    no_difference = models.BooleanField("无差别受理", default=False)

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MatterStatus.choices,
        default=MatterStatus.DRAFT,
        db_index=True,
    )
    published_on = models.DateField(_("listed since"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    retired_reason = models.TextField(_("reason for retirement"), blank=True)
    # The catalogue item (政府信息, 条例 第二十条（五）) the guide is disclosed as.
    item = models.ForeignKey(
        "catalogue.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catalogue item"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("service matter")
        verbose_name_plural = _("service matters")
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="matter_unique_code"),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="matter_agency_status_idx")]

    def __str__(self) -> str:
        return self.name


class Material(models.Model):
    """申请材料 of a matter."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField("材料名称", max_length=200)
    copies = models.PositiveSmallIntegerField(
        "份数", default=1, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    form = models.CharField("形式", max_length=20, choices=MaterialForm.choices)
    required = models.BooleanField("必要", default=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = _("application material")
        verbose_name_plural = _("application materials")
        ordering = ["matter", "position", "id"]

    def __str__(self) -> str:
        return self.name
