"""Forms of the engagement pages. They only parse input: the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.forms import DATE_WIDGET
from gongkai.catalogue.models import Item
from gongkai.core import intake
from gongkai.core.forms import add_service_errors
from gongkai.core.models import User

from .models import Incident
from .taxonomy import (
    ConferenceRole,
    ErrorOutcome,
    ErrorStatus,
    ErrorType,
    IncidentKind,
    IncidentLevel,
    IncidentSource,
    IncidentStatus,
    InterpretationForm,
    ResponseChannel,
)

__all__ = ["add_service_errors"]


def _item_label(item: Item) -> str:
    number = f"（{item.document_number}）" if item.document_number else ""
    return f"{item.title}{number}"


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _item_label(obj)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    source = forms.ChoiceField(label=_("Source"), choices=IncidentSource.choices)
    first_seen_on = forms.DateField(label=_("First seen on"), widget=DATE_WIDGET)
    level = forms.ChoiceField(label=_("Level"), choices=IncidentLevel.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    handling = forms.CharField(
        label=_("How it is being handled"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    @classmethod
    def for_incident(cls, incident: Incident) -> IncidentForm:
        return cls(initial={name: getattr(incident, name) for name in cls.base_fields})


class IncidentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("(any)")), *IncidentStatus.choices], required=False
    )
    year = forms.IntegerField(
        label=_("Year first seen"), min_value=1990, max_value=2100, required=False
    )


class ResponseForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ResponseChannel.choices)
    responded_on = forms.DateField(label=_("Responded on"), widget=DATE_WIDGET)
    summary = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}))
    url = forms.URLField(
        label=_("Address (optional)"), required=False, max_length=500, assume_scheme="https"
    )


class IncidentCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE_WIDGET)
    handling = forms.CharField(
        label=_("How it was handled"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConferenceForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    role = forms.ChoiceField(label=_("Held or attended"), choices=ConferenceRole.choices)
    speakers = forms.CharField(label=_("Speakers"), max_length=300)
    principal_attended = forms.BooleanField(
        label=_("The agency's principal leader took part"), required=False
    )
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    incident = forms.ModelChoiceField(
        label=_("Incident responded to"),
        queryset=Incident.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )

    def __init__(self, *args, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = incidents


class InterpretationEditForm(forms.Form):
    policy = ItemChoiceField(label=_("Policy interpreted"), queryset=Item.objects.none())
    form = forms.ChoiceField(label=_("Form"), choices=InterpretationForm.choices)
    item = ItemChoiceField(
        label=_("Published as item (optional)"),
        queryset=Item.objects.none(),
        required=False,
        empty_label=_("(not in the catalogue)"),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Empty: the title of the item it was published as."),
    )
    published_on = forms.DateField(
        label=_("Published on"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Empty: the publication date of the item it was published as."),
    )
    url = forms.URLField(
        label=_("Address (optional)"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, policies, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies
        self.fields["item"].queryset = items


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)


# --- 找错 ----------------------------------------------------------------------------------


class ErrorReportForm(forms.Form):
    """The public form. `website` is the honeypot: hidden from people, filled by bots."""

    page_url = forms.CharField(
        label=_("Address of the page"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    error_type = forms.ChoiceField(label=_("Type of error"), choices=ErrorType.choices)
    description = forms.CharField(
        label=_("What is wrong"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contact = forms.CharField(
        label=_("Telephone or e-mail (optional)"),
        max_length=100,
        required=False,
        help_text=_("Only the office sees it, to ask you about the report if needed."),
    )
    website = intake.honeypot_field(autocomplete="off", tabindex="-1")  # intake.HONEYPOT_FIELD
    token = intake.token_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = intake.new_token()


class ErrorLookupForm(forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=30)
    code = forms.CharField(label=_("Check code"), max_length=20)


class ErrorFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("Open")), ("", _("(any)")), *ErrorStatus.choices],
        required=False,
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the reporter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The reporter reads it with the reference number and check code."),
    )


class ErrorCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ErrorOutcome.choices)
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE_WIDGET)
