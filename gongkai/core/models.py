from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import strip_invisible, validate_uscc

if TYPE_CHECKING:
    from .deadlines import Moved


class User(AbstractUser):
    """A staff user; roles are held per agency through Membership."""

    class Meta(AbstractUser.Meta):
        # django-stubs type AbstractUser.Meta's names as str; Django takes lazy strings.
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full}（{self.username}）" if full else self.username

    def get_full_name(self) -> str:
        """The name as written: 陈公开 (family name first, no space) for a Chinese name;
        Django's "given family" only for names in Latin letters."""
        family, given = self.last_name.strip(), self.first_name.strip()
        if (family + given).isascii():
            return f"{given} {family}".strip()
        return f"{family}{given}"

    def clean(self):
        super().clean()
        # Names show on pages and in the audit trail: no bidi controls, no zero-width tricks.
        self.last_name = strip_invisible(self.last_name)
        self.first_name = strip_invisible(self.first_name)


class AgencyLevel(models.TextChoices):
    COUNTY = "county", _("County-level government")
    TOWNSHIP = "township", _("Township government")
    SUBDISTRICT = "subdistrict", _("Subdistrict office")
    DEPARTMENT = "department", _("Department")
    DISPATCHED = "dispatched", _("Dispatched agency")


class AgencyQuerySet(models.QuerySet):
    def subtree_of(self, agency: "Agency") -> "AgencyQuerySet":
        return self.filter(path__startswith=agency.path)

    def active(self) -> "AgencyQuerySet":
        return self.filter(is_active=True)


class Agency(models.Model):
    """An administrative organ; every record of the system belongs to one (tenancy)."""

    name = models.CharField(_("full name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40)
    slug = models.SlugField(_("URL name"), max_length=60, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=AgencyLevel.choices)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path "/1/4/9/" so a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # 第五十条 binds each 行政机关 that discloses; an internal office of a town publishes none.
    publishes_annual_report = models.BooleanField(
        _("publishes its own annual report"),
        default=True,
        help_text=_("Off for an internal office whose figures are reported by its parent agency."),
    )

    # 第十二条: the 公开指南 names the disclosure office and how to reach it.
    office_name = models.CharField(_("disclosure office"), max_length=100, blank=True)
    office_address = models.CharField(_("office address"), max_length=200, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=40, blank=True)
    office_fax = models.CharField(_("office fax"), max_length=40, blank=True)
    office_email = models.EmailField(_("office e-mail"), blank=True)
    office_postcode = models.CharField(_("postcode"), max_length=6, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        for field in ("name", "short_name", "office_name", "office_address"):
            setattr(self, field, strip_invisible(getattr(self, field)))

    def ancestors_and_self_paths(self) -> list[str]:
        """Paths of this agency and every ancestor, from the root down."""
        ids = [part for part in self.path.split("/") if part]
        return ["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))]


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    OFFICER = "officer", _("Disclosure officer")
    OFFICE_HEAD = "office_head", _("Head of the disclosure office")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SUPERVISOR = "supervisor", _("Supervisor (read-only over the subtree)")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            )
        ]
        ordering = ["agency__path", "user__username", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency.short_name} · {self.get_role_display()}"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit events are append-only.")

    def delete(self):
        raise PermissionDenied("Audit events are append-only.")


class AuditEvent(models.Model):
    """Append-only record of a write; a database trigger also refuses UPDATE."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    verb = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events are append-only.")


class CalendarYear(models.Model):
    """A year of the State Council's holiday schedule; only a complete year can be used."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    is_complete = models.BooleanField(_("complete"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Not a field: set by calendar_year_set, the deadlines entering the year moved.
    recomputed: "list[Moved]"

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (weekday off)")
    WORKDAY = "workday", _("Make-up workday (weekend worked)")


class CalendarDay(models.Model):
    """An override of the Monday–Friday rule: a weekday off or a weekend day worked."""

    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("year")
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class ThrottleHit(models.Model):
    """One hit counted by a public limit (gongkai.core.throttle): a submission taken, a
    look-up that failed. Rows older than their limit's window are deleted as new ones come."""

    scope = models.CharField(max_length=40)
    client = models.CharField(max_length=64)  # a keyed hash of the client's address
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rate limit hit")
        verbose_name_plural = _("rate limit hits")
        indexes = [
            models.Index(fields=["scope", "client", "created_at"]),
            models.Index(fields=["scope", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.created_at:%Y-%m-%d %H:%M}"


class TaskStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Task(models.Model):
    """A piece of background work (gongkai.core.tasks): OCR of a scan, for now. A task left
    "running" by a process that stopped is taken again by `gongkai tasks run`; task functions
    are idempotent so that rerunning one is safe."""

    name = models.CharField(_("task"), max_length=100)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    progress = models.CharField(_("progress"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # the last sign of life of a running task (each progress report): a running task silent
    # for long belongs to a process that stopped
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # a failed attempt waits until then before the next one (exponential backoff)
    run_after = models.DateTimeField(_("not before"), null=True, blank=True)
    # the request that queued it (X-Request-ID): the task's log lines carry it too
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class ScheduledRun(models.Model):
    """A periodic job's run for one slot (a day, or a shorter period) claimed by a scheduler
    (gongkai.core.scheduler): the unique row is the claim, so with several schedulers each
    slot runs once."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.CharField(_("slot"), max_length=40)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot}"
