"""The search dictionary in the admin: words are added and removed through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import permissions, services
from .models import SearchTerm


class SearchTermForm(forms.ModelForm):
    class Meta:
        model = SearchTerm
        fields = ["word"]
        help_texts = {
            "word": _(
                "A name or term that must be searched as one word, e.g. 六横镇 or 无差别受理."
            )
        }

    def clean_word(self):
        try:
            return services.clean_word(self.cleaned_data.get("word", ""))
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["word"]) from None


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    form = SearchTermForm
    list_display = ["word", "version", "added_by", "created_at"]
    search_fields = ["word"]
    readonly_fields = ["version", "added_by", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("added_by")

    def has_module_permission(self, request):
        return request.user.is_staff and permissions.can_manage_search_terms(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # a word is added or removed, never edited

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        term = services.search_term_add(actor=request.user, word=form.cleaned_data["word"])
        obj.pk, obj.version, obj.added_by, obj.created_at = (
            term.pk,
            term.version,
            term.added_by,
            term.created_at,
        )
        self._remind(request)

    def delete_model(self, request, obj):
        services.search_term_remove(actor=request.user, term=obj)
        self._remind(request)

    def delete_queryset(self, request, queryset):
        for term in queryset:
            services.search_term_remove(actor=request.user, term=term)
        self._remind(request)

    def _remind(self, request):
        messages.info(
            request,
            gettext(
                "Documents are re-segmented with the new dictionary by "
                "“gongkai search reindex --stale” (run it now, or let the scheduled run do it)."
            ),
        )
