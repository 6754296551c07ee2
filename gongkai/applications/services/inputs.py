"""What an applicant supplies (第二十九条), cleaned and checked."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from gongkai.core.validators import strip_invisible, validate_uscc
from gongkai.privacy.checks import birth_date_ok, id_check_ok, region_ok

from ..taxonomy import ApplicantType, DeliveryMethod, IdType, InformationForm
from .common import today

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|\d{7,8})$")
_OTHER_ID = re.compile(r"^[A-Za-z0-9-]{5,40}$")
_POSTCODE = re.compile(r"^\d{6}$")


# --- input --------------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    """What an applicant supplies (第二十九条), as parsed by a form, the API or a staff page."""

    applicant_type: str
    applicant_name: str
    id_type: str
    id_number: str
    phone: str
    information: str
    delivery: str
    forms: list[str] = field(default_factory=list)
    email: str = ""
    address: str = ""
    postcode: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    document_number: str = ""
    fee_waiver_requested: bool = False

    def cleaned(self) -> ApplicationInput:
        # Bidi controls and zero-width characters only deceive in a name or an address.
        values: dict[str, Any] = {
            k: (strip_invisible(v).strip() if isinstance(v, str) else v)
            for k, v in asdict(self).items()
        }
        values["id_number"] = values["id_number"].replace(" ", "").upper()
        values["phone"] = values["phone"].replace(" ", "")
        values["forms"] = list(dict.fromkeys(values["forms"] or []))
        return ApplicationInput(**values)


def validate_input(data: ApplicationInput, *, on: date | None = None) -> ApplicationInput:
    """Check an application's fields; raise ValidationError({field: [message]}) with every
    problem at once, in words an applicant understands."""
    data = data.cleaned()
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.applicant_type not in ApplicantType.values:
        add("applicant_type", _("Choose whether you apply as a person or as an organisation."))
    if not data.applicant_name:
        add("applicant_name", _("Enter your name, or the organisation's full name."))
    elif len(data.applicant_name) > 100:
        add("applicant_name", _("The name is too long (at most 100 characters)."))
    organisation = data.applicant_type in ApplicantType.organisations()
    if data.id_type not in IdType.values:
        add("id_type", _("Choose the type of identity document."))
    elif organisation and data.id_type != IdType.CREDIT_CODE:
        add("id_type", _("An organisation identifies itself by its unified social credit code."))
    elif not organisation and data.id_type == IdType.CREDIT_CODE:
        add("id_type", _("A person identifies with an identity card, passport or permit."))
    else:
        problem = _id_problem(data.id_type, data.id_number, on or today())
        if problem:
            add("id_number", problem)
    if organisation and not data.contact_person:
        add("contact_person", _("Enter the name of the person we should contact."))
    if not data.phone:
        add("phone", _("Enter a telephone number so that we can confirm your application."))
    elif not _PHONE.match(data.phone):
        add("phone", _("Enter a mobile number (11 digits) or a landline with its area code."))
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            add("email", _("Enter a valid e-mail address."))
    if data.postcode and not _POSTCODE.match(data.postcode):
        add("postcode", _("A postcode has 6 digits."))
    if len(data.information) < 5:
        add(
            "information",
            _(
                "Describe the information you want: its title, document number, or details that "
                "help us find it (at least 5 characters)."
            ),
        )
    elif len(data.information) > 5000:
        add("information", _("The description is too long (at most 5,000 characters)."))
    if not data.forms:
        add("forms", _("Choose at least one form in which you want the information."))
    elif set(data.forms) - set(InformationForm.values):
        add("forms", _("Choose the forms from the list."))
    if data.delivery not in DeliveryMethod.values:
        add("delivery", _("Choose how you want to receive the information."))
    elif data.delivery == DeliveryMethod.POST and not data.address:
        add("address", _("Enter a postal address to receive the information by post."))
    elif data.delivery == DeliveryMethod.EMAIL and not data.email:
        add("email", _("Enter an e-mail address to receive the information by e-mail."))
    if errors:
        raise ValidationError(errors)
    return data


def _id_problem(id_type: str, number: str, on: date) -> str | None:
    if not number:
        return _("Enter the number of the identity document.")
    if id_type == IdType.RESIDENT_ID:
        if not re.fullmatch(r"\d{17}[\dX]", number):
            return _(
                "A resident identity card number has 18 characters: 17 digits and a digit or X."
            )
        if not region_ok(number[:6]) or not birth_date_ok(number, on):
            return _("This identity card number has an impossible region code or birth date.")
        if not id_check_ok(number):
            return _("The last character of this identity card number does not match; check it.")
        return None
    if id_type == IdType.CREDIT_CODE:
        try:
            validate_uscc(number)
        except ValidationError as exc:
            return exc.messages[0]
        return None
    if not _OTHER_ID.match(number):
        return _("Enter the document number as printed (letters, digits and hyphens).")
    return None
