"""Admin for the configuration of 依申请公开. Querysets are scoped to the agencies whose
applications the user may read; settings are saved through the service; templates and appeals
are read here and written on the staff pages (through their services)."""

from django.contrib import admin

from gongkai.core.models import Agency
from gongkai.core.permissions import can_use_staff_pages

from . import permissions, selectors, services
from .models import Appeal, ApplicationSettings, LetterTemplate


def _staff(request) -> bool:
    return request.user.is_staff and can_use_staff_pages(request.user)


def _manageable_agencies(user):
    visible = selectors.agencies_with_applications_visible_to(user)
    if user.is_superuser:
        return visible
    ids = [a.pk for a in visible if permissions.can_manage_letter_templates(user, a)]
    return Agency.objects.filter(pk__in=ids)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return _staff(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApplicationSettings)
class ApplicationSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "agency",
        "number_pattern",
        "letter_pattern",
        "correction_period_workdays",
        "near_due_workdays",
        "online_enabled",
    ]
    fields = ["agency", *ApplicationSettings.EDITABLE_FIELDS]

    def get_queryset(self, request):
        visible = selectors.agencies_with_applications_visible_to(request.user)
        return ApplicationSettings.objects.filter(agency__in=visible).select_related("agency")

    def get_readonly_fields(self, request, obj=None):
        return ["agency"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = _manageable_agencies(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return _staff(request)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_view_applications(request.user, obj.agency)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_manage_letter_templates(request.user, obj.agency)

    def has_add_permission(self, request):
        return _staff(request) and _manageable_agencies(request.user).exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        agency = obj.agency
        names = [n for n in (form.changed_data if change else form.cleaned_data) if n != "agency"]
        saved = services.application_settings_update(
            actor=request.user,
            agency=agency,
            data={name: form.cleaned_data[name] for name in names},
        )
        obj.pk = saved.pk


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "family", "version", "is_current", "agency", "created_at"]
    list_filter = ["kind", "is_current"]
    search_fields = ["title", "body"]

    def get_queryset(self, request):
        visible = selectors.agencies_with_applications_visible_to(request.user)
        return LetterTemplate.objects.filter(agency__in=visible) | LetterTemplate.objects.filter(
            agency__isnull=True
        )

    def has_view_permission(self, request, obj=None):
        if obj is None or obj.agency is None:
            return self.has_module_permission(request)
        return permissions.can_view_applications(request.user, obj.agency)


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["application", "kind", "filed_on", "body", "case_number", "result"]
    list_filter = ["kind", "result"]
    search_fields = ["application__number", "case_number", "body"]
    date_hierarchy = "filed_on"

    def get_queryset(self, request):
        visible = selectors.agencies_with_applications_visible_to(request.user)
        return Appeal.objects.filter(application__agency__in=visible).select_related(
            "application__agency"
        )

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_view_applications(request.user, obj.application.agency)
