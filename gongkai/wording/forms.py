from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TermCategory

NEAR_CHOICES = [("", _("By length and category")), ("1", _("On")), ("0", _("Off"))]


class TermForm(forms.Form):
    correct = forms.CharField(label=_("Correct form"), max_length=100)
    wrong_forms = forms.CharField(
        label=_("Wrong forms"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: each is reported wherever it is written."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=TermCategory.choices)
    basis = forms.CharField(label=_("Basis"), max_length=300, required=False)
    allow = forms.CharField(
        label=_("Correct text containing a wrong form"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One a line: no finding where one of these covers a wrong form."),
    )
    near = forms.TypedChoiceField(
        label=_("Edit-distance check"),
        choices=NEAR_CHOICES,
        required=False,
        coerce=lambda value: value == "1",
        empty_value=None,
    )


class TryForm(forms.Form):
    text = forms.CharField(
        label=_("Text to check"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
