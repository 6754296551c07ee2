"""Forms of the staff pages of 依申请公开. They only parse input: the services validate and write.

Each action form on the application page has its own prefix (its action name), so that a form
that failed is shown again with its errors and the others stay empty.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gongkai.core import intake
from gongkai.core.forms import add_service_errors  # noqa: F401 (re-exported)

from .clock import MAX_EXTENSION_WORKDAYS
from .models import FileKind, Status
from .outcomes import LAPSE_OUTCOMES, Outcome, OutcomeFamily, outcomes_in
from .taxonomy import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    ConsultationKind,
    ConsultationReply,
    DeliveryMethod,
    FeeSchedule,
    IdType,
    InformationForm,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, help_text=""):
    return forms.DateField(label=label, required=False, widget=DATE_WIDGET, help_text=help_text)


ON_HELP = _("Leave empty for today.")


# --- the queue -----------------------------------------------------------------------------

OPEN, ALL = "open", "all"


# The queue's sortable columns (?sort=key or ?sort=-key): the selector maps each to its
# ordering, so nothing from the query string reaches order_by() unchecked.
SORT_KEYS = ("number", "submitted", "applicant", "status", "handler", "due")
UNASSIGNED = "none"


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Number, name or phone"),
        required=False,
        max_length=40,
        help_text=_("Part of the application number, the applicant's name or phone number."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("Open")), (ALL, _("All")), *Status.choices],
    )
    handler = forms.ChoiceField(label=_("Handler"), required=False)
    flag = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("(any)")), ("near_due", _("Near due")), ("overdue", _("Overdue"))],
    )
    sort = forms.ChoiceField(
        required=False,
        widget=forms.HiddenInput,
        choices=[("", "")] + [(f"{sign}{key}", key) for key in SORT_KEYS for sign in ("", "-")],
    )

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [
            ("", _("(anyone)")),
            (UNASSIGNED, _("Not assigned")),
            *[(str(user.pk), str(user)) for user in handlers],
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or OPEN
        return {
            "status": "" if status == ALL else status,
            "flag": data.get("flag", ""),
            "q": (data.get("q") or "").strip(),
            "handler": data.get("handler", ""),
            "sort": data.get("sort", ""),
        }


class ExportForm(forms.Form):
    prefix = "export"

    year = forms.IntegerField(label=_("Year"), min_value=2008, max_value=2100)
    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")], initial="csv"
    )


# --- registration by the office ------------------------------------------------------------


class RegisterForm(forms.Form):
    """A paper, oral, faxed or posted application, entered by the office (第二十九条)."""

    submission_token = intake.token_field()
    channel = forms.ChoiceField(
        label=_("Channel of application"),
        choices=[(value, label) for value, label in Channel.choices if value != Channel.ONLINE],
    )
    received_on = _date(
        _("Date of receipt"),
        _(
            "In person, oral and signed post: the day it was handed in or signed for (empty: "
            "today). Plain letters and faxes: leave empty, receipt is confirmed later."
        ),
    )
    applicant_type = forms.ChoiceField(label=_("Applicant type"), choices=ApplicantType.choices)
    applicant_name = forms.CharField(label=_("Name"), max_length=100)
    id_type = forms.ChoiceField(label=_("Identity document"), choices=IdType.choices)
    id_number = forms.CharField(label=_("Identity document number"), max_length=40)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=50, required=False
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=30)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    address = forms.CharField(label=_("Postal address"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=6, required=False)
    information = forms.CharField(
        label=_("Information requested"), widget=forms.Textarea(attrs={"rows": 4})
    )
    document_number = forms.CharField(
        label=_("Document number (文号)"), max_length=100, required=False
    )
    delivery = forms.ChoiceField(label=_("How to receive it"), choices=DeliveryMethod.choices)
    fee_waiver_requested = forms.BooleanField(label=_("Fee reduction requested"), required=False)
    # Named as the service names it, so that its errors land on the field; declared last because
    # the name hides the forms module in the rest of the class body (field_order puts it back).
    forms = forms.MultipleChoiceField(
        label=_("Forms wanted"),
        choices=InformationForm.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = [
        "submission_token",
        "channel",
        "received_on",
        "applicant_type",
        "applicant_name",
        "id_type",
        "id_number",
        "legal_representative",
        "contact_person",
        "phone",
        "email",
        "address",
        "postcode",
        "information",
        "document_number",
        "forms",
        "delivery",
        "fee_waiver_requested",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", intake.new_token())

    APPLICANT_FIELDS = (
        "applicant_type",
        "applicant_name",
        "id_type",
        "id_number",
        "phone",
        "information",
        "delivery",
        "forms",
        "email",
        "address",
        "postcode",
        "legal_representative",
        "contact_person",
        "document_number",
        "fee_waiver_requested",
    )

    def applicant_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.APPLICANT_FIELDS}


# --- actions on an application -------------------------------------------------------------


class ConfirmReceiptForm(forms.Form):
    received_on = _date(_("Date of receipt"), _("The day the applicant confirmed; empty: today."))


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=None)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequestCorrectionForm(forms.Form):
    items = forms.CharField(
        label=_("What the applicant must correct"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("All at once: a correction may be requested only once (Article 30)."),
    )
    period_workdays = forms.IntegerField(
        label=_("Correction period (working days)"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("Empty: the agency's default."),
    )
    on = _date(_("Date of the notice"), ON_HELP)


class ReceiveCorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Correction received"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    upload = forms.FileField(label=_("File"), required=False)
    on = _date(_("Date received"), ON_HELP)


class DateOnlyForm(forms.Form):
    on = _date(_("Date"), ON_HELP)


class ConsultationStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ConsultationKind.choices)
    addressee = forms.CharField(label=_("Consulted party"), max_length=200)
    sent_on = _date(_("Sent on"), ON_HELP)


class ConsultationCloseForm(forms.Form):
    consultation = forms.ModelChoiceField(label=_("Consultation"), queryset=None)
    reply = forms.ChoiceField(label=_("Opinion"), choices=ConsultationReply.choices)
    answered_on = _date(_("Received on"), ON_HELP)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, consultations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = consultations


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Working days"), min_value=1, max_value=MAX_EXTENSION_WORKDAYS
    )
    reason = forms.CharField(
        label=_("Reason (told to the applicant)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    on = _date(_("Date"), ON_HELP)


class FeeNoticeForm(forms.Form):
    schedule = forms.ChoiceField(label=_("Schedule"), choices=FeeSchedule.choices)
    pages = forms.IntegerField(
        label=_("Pages"),
        required=False,
        min_value=1,
        help_text=_("Per page only: the pages of the information provided."),
    )
    on = _date(_("Notice date"), ON_HELP)


class PaymentForm(forms.Form):
    paid_on = _date(_("Paid on"), ON_HELP)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=60, required=False)


def outcome_choices() -> list:
    """The reply's outcomes grouped by family (an <optgroup> each); lapses are not replies."""
    groups = [("", "—")]
    for family in OutcomeFamily:
        codes = [code for code in outcomes_in(family) if code not in LAPSE_OUTCOMES]
        if codes:
            groups.append((family.label, [(code, Outcome(code).label) for code in codes]))
    return groups


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=outcome_choices)
    reason = forms.CharField(
        label=_("Reasons, or where the information was published"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    release = forms.ModelMultipleChoiceField(
        label=_("Files released to the applicant"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    privacy_override_reason = forms.CharField(
        label=_("Why released files may contain personal data"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when a released file has personal data findings."),
    )
    on_the_spot = forms.BooleanField(label=_("Replied on the spot"), required=False)
    # no date: the letter is dated (and the clock stops) the day it is issued, after sign-off

    def __init__(self, *args, files_provided, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["release"].queryset = files_provided
        self.fields["release"].label_from_instance = _file_label

    def release_ids(self) -> list[int]:
        return [stored.pk for stored in self.cleaned_data["release"]]


def _file_label(stored) -> str:
    if stored.findings:
        return _("%(name)s (personal data findings: %(n)d)") % {
            "name": stored.original_name,
            "n": stored.findings,
        }
    return stored.original_name


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = _date(_("Date of withdrawal"), ON_HELP)


class EmptyForm(forms.Form):
    pass


class FileForm(forms.Form):
    upload = forms.FileField(
        label=_("File"),
        help_text=_("At most %(mb)d MB.") % {"mb": settings.GONGKAI_ATTACHMENT_MAX_BYTES // 2**20},
    )
    kind = forms.ChoiceField(
        label=_("File type"),
        choices=[
            (FileKind.PROVIDED, FileKind.PROVIDED.label),
            (FileKind.INTERNAL, FileKind.INTERNAL.label),
        ],
    )


class AppealRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AppealKind.choices)
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE_WIDGET)
    body = forms.CharField(label=_("Review body or court"), max_length=200)
    case_number = forms.CharField(label=_("Case number"), max_length=100, required=False)


class AppealDecideForm(forms.Form):
    appeal = forms.ModelChoiceField(label=_("Appeal"), queryset=None)
    result = forms.ChoiceField(label=_("Result"), choices=AppealResult.choices)
    decided_on = _date(_("Decided on"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, appeals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appeal"].queryset = appeals


# --- letter templates ----------------------------------------------------------------------


class LetterTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "body-editor"}),
        help_text=_("Plain text; paragraphs separated by an empty line; placeholders in braces."),
    )
