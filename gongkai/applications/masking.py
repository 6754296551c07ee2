"""How an applicant's personal data are shown where handling does not need them in full:
staff lists and exports, the applicant's status page, the API. One place, so every page masks
the same way."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai import privacy

from .taxonomy import IdType


def masked_id(id_type: str, number: str) -> str:
    """330902********1238 for an identity card; a credit code names an organisation and is
    public; passports and permits keep a quarter at each end at most."""
    number = number or ""
    if id_type == IdType.CREDIT_CODE:
        return number
    if id_type == IdType.RESIDENT_ID and len(number) == 15:
        return privacy.mask_value("id_card_15", number)
    return privacy.mask_value("id_card", number)


def masked_phone(phone: str) -> str:
    """138****8000 for a mobile, 0580-****101 style for a landline."""
    if not phone:
        return ""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) >= 11 and digits[-11] == "1" and "-" not in phone:
        return privacy.mask_value("mobile", phone)
    return privacy.mask_value("landline", phone)


def masked_name(applicant_type: str, name: str) -> str:
    """张*: a person's name; an organisation's name is public."""
    if applicant_type != "natural_person":
        return name
    return privacy.mask_value("person_name", name)


def masked_email(email: str) -> str:
    """z***@example.cn."""
    return privacy.mask_value("email", email) if email else ""


def masked_address(address: str) -> str:
    """The region only (a third of the address, six characters at most) and a fixed mask, so
    that neither the street nor the length of the rest shows."""
    if not address:
        return ""
    return address[: min(6, len(address) // 3)] + "****"


@dataclass(frozen=True)
class Contact:
    """How to reach an applicant, as one staff member may see it."""

    phone: str
    email: str
    address: str
    postcode: str
    contact_person: str
    full: bool


def contact(application, *, full: bool) -> Contact:
    """The applicant's contact details: in full for whoever contacts the applicant (the
    disclosure office handling the case), masked for everyone else who reads the case."""
    if full:
        return Contact(
            phone=application.phone,
            email=application.email,
            address=application.address,
            postcode=application.postcode,
            contact_person=application.contact_person,
            full=True,
        )
    return Contact(
        phone=masked_phone(application.phone),
        email=masked_email(application.email),
        address=masked_address(application.address),
        postcode="",
        contact_person=(
            privacy.mask_value("person_name", application.contact_person)
            if application.contact_person
            else ""
        ),
        full=False,
    )
