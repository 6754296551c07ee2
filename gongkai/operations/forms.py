"""Forms of the operations pages. They only parse input: the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.forms import (  # noqa: F401 (re-exported)
    DATE_WIDGET,
    ImportConfirmForm,
    ImportFileForm,
)

from .models import (
    Complaint,
    ComplaintStatus,
    Meeting,
    NewMediaAccount,
    OfficeYear,
    PostCount,
    SpecialFund,
    Training,
)


class _ParseOnly(forms.ModelForm):
    """A ModelForm that parses; the model's own clean runs in the service."""

    def _post_clean(self):  # skip construct-and-validate of the instance
        pass


class OfficeYearForm(_ParseOnly):
    class Meta:
        model = OfficeYear
        fields = ["year", "name", "units", "full_time_staff", "part_time_staff", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class OfficeYearEditForm(OfficeYearForm):
    class Meta(OfficeYearForm.Meta):
        fields = ["name", "units", "full_time_staff", "part_time_staff", "note"]


class FundForm(_ParseOnly):
    class Meta:
        model = SpecialFund
        fields = ["year", "amount_wan", "purpose", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class MeetingForm(_ParseOnly):
    class Meta:
        model = Meeting
        fields = ["held_on", "title", "kind", "note"]
        widgets = {"held_on": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 3})}


class TrainingForm(_ParseOnly):
    class Meta:
        model = Training
        fields = ["held_on", "title", "attendees", "note"]
        widgets = {"held_on": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 3})}


class ComplaintForm(_ParseOnly):
    class Meta:
        model = Complaint
        fields = ["received_on", "channel", "complainant", "contact", "summary"]
        widgets = {"received_on": DATE_WIDGET, "summary": forms.Textarea(attrs={"rows": 4})}


class ComplaintMoveForm(forms.Form):
    prefix = "move"

    to = forms.ChoiceField(label=_("New status"), choices=ComplaintStatus.choices)
    handling = forms.CharField(
        label=_("Handling"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    on = forms.DateField(label=_("Closing date"), required=False, widget=DATE_WIDGET)


class AccountForm(_ParseOnly):
    class Meta:
        model = NewMediaAccount
        fields = ["platform", "name", "account", "opened_on", "channel"]
        widgets = {"opened_on": DATE_WIDGET}

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels


class AccountEditForm(AccountForm):
    class Meta(AccountForm.Meta):
        fields = ["platform", "name", "account", "status", "opened_on", "closed_on", "channel"]
        widgets = {"opened_on": DATE_WIDGET, "closed_on": DATE_WIDGET}


class PostCountForm(_ParseOnly):
    class Meta:
        model = PostCount
        fields = ["account", "period_start", "period_end", "count"]
        widgets = {"period_start": DATE_WIDGET, "period_end": DATE_WIDGET}

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts


class PostCountEditForm(_ParseOnly):
    class Meta:
        model = PostCount
        fields = ["period_start", "period_end", "count"]
        widgets = {"period_start": DATE_WIDGET, "period_end": DATE_WIDGET}

    def __init__(self, *args, accounts=None, **kwargs):
        # the account of a count is fixed once recorded; the view passes the choices to all
        super().__init__(*args, **kwargs)
