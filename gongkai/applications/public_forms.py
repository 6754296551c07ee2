"""Forms of the public application pages. They only parse what was posted (types, lists,
files); the rules an application must follow live in services.validate_input, whose messages
are put back on these fields."""

from __future__ import annotations

from django import forms as djforms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.core import intake

from .services import ApplicationInput
from .taxonomy import ApplicantType, DeliveryMethod, IdType, InformationForm

MAX_CORRECTION_FILES = 3

HONEYPOT_FIELD = intake.HONEYPOT_FIELD


class ApplicationForm(djforms.Form):
    """政府信息公开申请 (第二十九条). Every field is optional here: services.validate_input says
    what is missing, in words an applicant understands, and all at once."""

    applicant_type = djforms.ChoiceField(
        label=_("Applicant"),
        choices=ApplicantType.choices,
        required=False,
        widget=djforms.RadioSelect,
    )
    applicant_name = djforms.CharField(
        label=_("Name of the applicant"), required=False, max_length=200
    )
    id_type = djforms.ChoiceField(
        label=_("Identity document"),
        choices=[("", "—")] + IdType.choices,
        required=False,
    )
    id_number = djforms.CharField(
        label=_("Identity document number"), required=False, max_length=60
    )
    legal_representative = djforms.CharField(
        label=_("Legal representative"), required=False, max_length=50
    )
    contact_person = djforms.CharField(label=_("Contact person"), required=False, max_length=50)
    phone = djforms.CharField(label=_("Telephone"), required=False, max_length=40)
    email = djforms.CharField(label=_("E-mail"), required=False, max_length=254)
    address = djforms.CharField(label=_("Postal address"), required=False, max_length=200)
    postcode = djforms.CharField(label=_("Postcode"), required=False, max_length=10)
    information = djforms.CharField(
        label=_("Information requested"), required=False, max_length=6000, widget=djforms.Textarea
    )
    document_number = djforms.CharField(
        label=_("Document number of the information (文号), if known"),
        required=False,
        max_length=100,
    )
    forms = djforms.MultipleChoiceField(
        label=_("Form of the information"),
        choices=InformationForm.choices,
        required=False,
        widget=djforms.CheckboxSelectMultiple,
    )
    delivery = djforms.ChoiceField(
        label=_("How to receive it"),
        choices=DeliveryMethod.choices,
        required=False,
        widget=djforms.RadioSelect,
    )
    fee_waiver_requested = djforms.BooleanField(
        label=_("I ask for the information processing fee to be reduced or waived"),
        required=False,
    )
    submission_token = intake.token_field()
    website = intake.honeypot_field()  # HONEYPOT_FIELD

    def is_robot(self) -> bool:
        return intake.is_robot(self.cleaned_data.get(HONEYPOT_FIELD))

    def to_input(self) -> ApplicationInput:
        data = self.cleaned_data
        return ApplicationInput(
            applicant_type=data["applicant_type"],
            applicant_name=data["applicant_name"],
            id_type=data["id_type"],
            id_number=data["id_number"],
            phone=data["phone"],
            information=data["information"],
            delivery=data["delivery"],
            forms=list(data["forms"]),
            email=data["email"],
            address=data["address"],
            postcode=data["postcode"],
            legal_representative=data["legal_representative"],
            contact_person=data["contact_person"],
            document_number=data["document_number"],
            fee_waiver_requested=data["fee_waiver_requested"],
        )


class LookupForm(djforms.Form):
    number = djforms.CharField(label=_("Application number"), max_length=40)
    code = djforms.CharField(label=_("Query code"), max_length=20)


class _MultipleFileInput(djforms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(djforms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(_MultipleFileField, self).clean(one, initial) for one in data]
        return [super().clean(data, initial)] if data else []


class CorrectionForm(djforms.Form):
    """补正 from the status page: a text, files, or both."""

    text = djforms.CharField(
        label=_("Your correction"), required=False, max_length=5000, widget=djforms.Textarea
    )
    files = _MultipleFileField(label=_("Files (at most 3)"), required=False)

    def clean_files(self):
        uploads = [f for f in self.cleaned_data.get("files") or [] if f]
        if len(uploads) > MAX_CORRECTION_FILES:
            raise ValidationError(
                _("Attach at most %(n)d files.") % {"n": MAX_CORRECTION_FILES}, code="too_many"
            )
        limit = settings.GONGKAI_ATTACHMENT_MAX_BYTES
        for upload in uploads:
            # Checked before the file is read into memory; the service checks its content.
            if upload.size > limit:
                raise ValidationError(
                    _("“%(name)s” is larger than %(mb)d MB.")
                    % {"name": upload.name, "mb": limit // 2**20},
                    code="too_large",
                )
        return uploads

    def uploads(self) -> list[tuple[str, bytes]]:
        return [(upload.name, upload.read()) for upload in self.cleaned_data["files"]]
