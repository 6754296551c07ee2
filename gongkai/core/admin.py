"""Admin for configuration. Every queryset is scoped; every save goes through a service."""

from datetime import date

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import permissions, selectors, services
from .models import Agency as AgencyModel
from .models import AuditEvent, CalendarYear, Membership, Task, User


@admin.register(AgencyModel)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "parent", "is_active", "publishes_annual_report"]
    list_filter = ["level", "is_active", "publishes_annual_report"]
    search_fields = ["name", "short_name", "uscc"]
    fields = (
        "name",
        "short_name",
        "slug",
        "level",
        "uscc",
        "parent",
        "is_active",
        "publishes_annual_report",
    ) + (
        "office_name",
        "office_address",
        "office_hours",
        "office_phone",
        "office_fax",
        "office_email",
        "office_postcode",
    )

    def get_queryset(self, request):
        return selectors.agencies_visible_to(request.user).select_related("parent")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = ["parent"]
        # decided above the agency (its own administrator may not exempt it)
        if not permissions.can_set_publishes_annual_report(request.user, obj):
            readonly.append("publishes_annual_report")
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = selectors.agencies_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return permissions.can_use_staff_pages(request.user) and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_view_agency(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_change_agency(request.user, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser or selectors.agencies_managed_by(request.user).exists()

    def has_delete_permission(self, request, obj=None):
        return False  # agencies are deactivated, never deleted: records hang off them

    def save_model(self, request, obj, form, change):
        own = "publishes_annual_report"  # its own service, decided above the agency
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name not in ("parent", own)
        }
        if change:
            if data:
                services.agency_update(actor=request.user, agency=obj, data=data)
            if own in form.changed_data:
                services.agency_set_publishes_annual_report(
                    actor=request.user, agency=obj, value=form.cleaned_data[own]
                )
            return
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("parent", own)}
        created = services.agency_create(
            actor=request.user, parent=form.cleaned_data.get("parent"), **fields
        )
        if form.cleaned_data.get(own) is False:
            services.agency_set_publishes_annual_report(
                actor=request.user, agency=created, value=False
            )
        obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
        obj.publishes_annual_report = form.cleaned_data.get(own, True)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "agency__name"]
    fields = ["user", "agency", "role"]

    def get_queryset(self, request):
        return selectors.memberships_visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = selectors.agencies_managed_by(request.user)
        if db_field.name == "user":
            kwargs["queryset"] = selectors.users_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return request.user.is_staff and permissions.can_use_staff_pages(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_view_agency(request.user, obj.agency)

    def has_add_permission(self, request):
        return selectors.agencies_managed_by(request.user).exists()

    def has_change_permission(self, request, obj=None):
        return False  # a role is granted or revoked, never edited in place

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_manage_memberships(request.user, obj.agency)

    def save_model(self, request, obj, form, change):
        membership = services.membership_grant(
            actor=request.user, user=obj.user, agency=obj.agency, role=obj.role
        )
        obj.pk = membership.pk

    def delete_model(self, request, obj):
        services.membership_revoke(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_revoke(actor=request.user, membership=membership)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "agency", "verb", "object_repr", "ip"]
    list_filter = ["verb"]
    search_fields = ["object_repr", "verb", "actor__username"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return selectors.audit_events_visible_to(request.user)

    def has_module_permission(self, request):
        return request.user.is_staff and permissions.can_use_staff_pages(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        if obj.agency is None:
            return request.user.is_superuser
        return permissions.can_view_audit(request.user, obj.agency)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """The background tasks, read only: the queue is written by gongkai.core.tasks alone (a
    stale task goes back to the queue or fails there, never by hand). Tasks belong to no
    agency, so platform administrators alone see them."""

    list_display = ["name", "status", "progress", "created_at", "attempts"]
    list_filter = ["status"]
    search_fields = ["name"]
    date_hierarchy = "created_at"
    fields = (
        "name",
        "status",
        "attempts",
        "progress",
        "error",
        "payload",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    )
    readonly_fields = fields

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "is_active", "is_staff", "last_login"]

    def get_queryset(self, request):
        return selectors.users_visible_to(request.user)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: audit events point at users


def _parse_days(text: str, year: int, field: str) -> list[tuple[date, str]]:
    """Lines like "2027-01-01 元旦" or "2027-02-05..2027-02-11 春节" (a range of weekdays)."""
    days: list[tuple[date, str]] = []
    errors = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        span, _sep, name = line.partition(" ")
        first, _dots, last = span.partition("..")
        try:
            start = date.fromisoformat(first)
            end = date.fromisoformat(last) if last else start
            if end < start:
                raise ValueError("a range must not end before it starts")
        except ValueError:
            errors.append(
                _(
                    "%(field)s, line %(n)d: “%(line)s” is not a date (YYYY-MM-DD) or range (YYYY-MM-DD..YYYY-MM-DD)."
                )
                % {"field": field, "n": number, "line": line}
            )
            continue
        day = start
        while day <= end:
            days.append((day, name.strip()))
            day = date.fromordinal(day.toordinal() + 1)
    if errors:
        raise ValidationError(errors)
    return days


class CalendarYearForm(forms.ModelForm):
    holidays = forms.CharField(
        label=_("Holidays (weekdays off)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_(
            "One date or range per line, with the holiday's name: 2027-02-08..2027-02-12 春节. Weekend days inside a range are ignored."
        ),
    )
    workdays = forms.CharField(
        label=_("Make-up workdays (weekend days worked)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One date per line, with the holiday it belongs to: 2027-02-07 春节."),
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            days = self.instance.days.all()
            self.fields["holidays"].initial = "\n".join(
                f"{d.date} {d.name}" for d in days if d.kind == "holiday"
            )
            self.fields["workdays"].initial = "\n".join(
                f"{d.date} {d.name}" for d in days if d.kind == "workday"
            )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean returns (typed Optional)
        # On the change form "year" is read-only, so not in the form: it is the instance's year.
        year = cleaned.get("year", self.instance.year if self.instance.pk else None)
        if year is None:
            return cleaned
        holidays = [
            (d, n)
            for d, n in _parse_days(
                cleaned.get("holidays", ""), year, str(self.fields["holidays"].label)
            )
            if d.weekday() < 5
        ]
        workdays = _parse_days(
            cleaned.get("workdays", ""), year, str(self.fields["workdays"].label)
        )
        if not holidays:
            raise ValidationError(
                _("Enter the year's holidays: a schedule without holidays cannot be complete.")
            )
        services._check_schedule(year, holidays, workdays)
        cleaned["holiday_days"], cleaned["workday_days"] = holidays, workdays
        return cleaned

    def validate_unique(self):
        # Re-entering an existing year replaces it as a whole (calendar_year_set).
        pass


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearForm
    list_display = ["year", "is_complete", "source", "updated_at"]

    def has_module_permission(self, request):
        return request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def has_add_permission(self, request):
        return permissions.can_change_calendar(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_change_calendar(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["year"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = services.calendar_year_set(
            actor=request.user,
            year=obj.year,
            holidays=form.cleaned_data["holiday_days"],
            workdays=form.cleaned_data["workday_days"],
            source=form.cleaned_data.get("source", ""),
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass
