from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from . import services
from .models import WordingTerm


class WordingTermForm(forms.ModelForm):
    class Meta:
        model = WordingTerm
        fields = ["correct", "wrong_forms", "category", "basis", "allow", "near", "is_active"]

    def clean(self):
        cleaned = super().clean()
        try:
            services.validate_term(
                correct=(cleaned.get("correct") or "").strip(),
                wrong=services.lines(cleaned.get("wrong_forms") or ""),
                category=cleaned.get("category") or "",
                allow=services.lines(cleaned.get("allow") or ""),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                for error in errors:
                    self.add_error(field if field in self.fields else None, error)
        return cleaned


@admin.register(WordingTerm)
class WordingTermAdmin(admin.ModelAdmin):
    """Platform administrators only; saving goes through the audited services."""

    form = WordingTermForm

    list_display = ["correct", "category", "is_active", "updated_at"]
    list_filter = ["category", "is_active"]
    search_fields = ["correct", "wrong_forms"]
    fields = ["correct", "wrong_forms", "category", "basis", "allow", "near", "is_active"]

    def has_module_permission(self, request):
        return services.can_change_terms(request.user)

    def has_view_permission(self, request, obj=None):
        return services.can_change_terms(request.user)

    def has_add_permission(self, request):
        return services.can_change_terms(request.user)

    def has_change_permission(self, request, obj=None):
        return services.can_change_terms(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # switched off instead, so the audit trail keeps what was used

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data.get(f) for f in ("correct", "wrong_forms", "category")}
        data.update(
            basis=form.cleaned_data.get("basis") or "",
            allow=form.cleaned_data.get("allow") or "",
            near=form.cleaned_data.get("near"),
        )
        if change:
            saved = services.wording_term_update(
                actor=request.user,
                term=obj,
                is_active=form.cleaned_data.get("is_active", True),
                **data,
            )
        else:
            saved = services.wording_term_create(actor=request.user, **data)
        obj.pk = saved.pk
