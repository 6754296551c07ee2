"""Forms of the staff pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.forms import ImportConfirmForm, ImportFileForm, add_service_errors

from .models import MaterialForm, Matter, MatterStatus, MatterType, ServiceSector, Star
from .services import MATTER_FIELD_ORDER

__all__ = [
    "ImportConfirmForm",
    "ImportFileForm",
    "MaterialFormSet",
    "MatterFilterForm",
    "MatterForm",
    "PublishForm",
    "RetireForm",
    "SectorForm",
    "StarCriteriaForm",
    "add_service_errors",
]

ANY = _("(any)")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class MatterForm(forms.ModelForm):
    class Meta:
        model = Matter
        fields = list(MATTER_FIELD_ORDER)
        widgets = {
            "legal_basis": TEXTAREA,
            "conditions": TEXTAREA,
            "procedure": TEXTAREA,
            "fee_basis": TEXTAREA,
            "fee_standard": TEXTAREA,
        }

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = ServiceSector.objects.filter(agency=agency, is_active=True)
        self.fields["star"].help_text = _("Leave empty for a matter without a star level.")

    def _post_clean(self):
        # Validation is the service's (it knows the agency and the other matters).
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MaterialRowForm(forms.Form):
    # Rows left without a name are ignored (the empty rows offered for new materials).
    name = forms.CharField(label="材料名称", max_length=200, required=False)
    copies = forms.IntegerField(label="份数", min_value=1, max_value=99, initial=1)
    form = forms.ChoiceField(label="形式", choices=MaterialForm.choices)
    required = forms.BooleanField(label="必要", required=False, initial=True)
    note = forms.CharField(label="备注", max_length=300, required=False)


MaterialFormSet = forms.formset_factory(MaterialRowForm, extra=2, can_delete=True, max_num=60)


def materials_data(formset) -> list[dict]:
    return [
        {name: form.cleaned_data[name] for name in ("name", "copies", "form", "required", "note")}
        for form in formset.forms
        if form.cleaned_data
        and form.cleaned_data.get("name", "").strip()
        and not form.cleaned_data.get("DELETE")
    ]


class MatterFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    matter_type = forms.ChoiceField(label="事项类型", required=False)
    star = forms.TypedChoiceField(label="星级", required=False, coerce=int, empty_value=None)
    sector = forms.TypedChoiceField(
        label="无差别受理板块", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", ANY), *MatterStatus.choices]
        self.fields["matter_type"].choices = [("", ANY), *MatterType.choices]
        self.fields["star"].choices = [("", ANY), *Star.choices, (0, _("No star level"))]
        self.fields["sector"].choices = [
            ("", ANY),
            *ServiceSector.objects.filter(agency=agency).values_list("pk", "name"),
        ]


class PublishForm(forms.Form):
    prefix = "publish"

    check_secrecy = forms.BooleanField(label=_("Secrecy review done"), required=False)
    check_privacy = forms.BooleanField(label=_("Personal privacy checked"), required=False)
    check_wording = forms.BooleanField(label=_("Wording checked for accuracy"), required=False)


class RetireForm(forms.Form):
    prefix = "retire"

    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)
    retired_on = forms.DateField(
        label=_("Retired on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )


class StatisticsForm(forms.Form):
    on = forms.DateField(
        label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    year = forms.IntegerField(
        label=_("End of year"), required=False, min_value=1990, max_value=2100
    )


class SectorForm(forms.Form):
    prefix = "sector"

    name = forms.CharField(label=_("New sector"), max_length=40)


class StarCriteriaForm(forms.Form):
    prefix = "stars"

    def __init__(self, *args, criteria: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        for star, label in Star.choices:
            self.fields[f"star_{star}"] = forms.CharField(
                label=label, required=False, widget=TEXTAREA, initial=criteria.get(star, "")
            )
