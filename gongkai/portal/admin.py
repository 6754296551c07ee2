"""Admin of the portal settings: scoped to the agencies the user administers; saves go through
`services.portal_settings_update` (audited)."""

from django.contrib import admin
from django.db import models

from gongkai.core import permissions, selectors

from . import services
from .models import PortalSettings


@admin.register(PortalSettings)
class PortalSettingsAdmin(admin.ModelAdmin):
    list_display = ["agency", "site_name", "site_code", "icp_record", "updated_at"]
    search_fields = ["agency__name", "site_name", "site_code"]
    fields = [
        "agency",
        "site_name",
        "sponsor",
        "operator",
        "contact_phone",
        "contact_email",
        "site_code",
        "icp_record",
        "police_record",
        "police_record_code",
        "badge_image",
        "badge_url",
    ]

    def get_queryset(self, request):
        return PortalSettings.objects.filter(
            agency__in=selectors.agencies_visible_to(request.user)
        ).select_related("agency")

    def get_readonly_fields(self, request, obj=None):
        return ["agency"] if obj is not None else []

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = selectors.agencies_managed_by(request.user).filter(
                portal_settings__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return request.user.is_staff and permissions.can_use_staff_pages(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_view_agency(request.user, obj.agency)

    def has_add_permission(self, request):
        return request.user.is_staff and (
            request.user.is_superuser or selectors.agencies_managed_by(request.user).exists()
        )

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_change_agency(request.user, obj.agency)

    def has_delete_permission(self, request, obj=None):
        return False  # empty the fields instead: the portal then uses the agency's data

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data if name != "agency"}
        agency = obj.agency if change else form.cleaned_data["agency"]
        saved = services.portal_settings_update(actor=request.user, agency=agency, data=data)
        obj.pk = saved.pk
