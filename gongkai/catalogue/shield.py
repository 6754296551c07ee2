"""The privacy shield in front of publication: which findings an item still carries."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from gongkai.applications.taxonomy import ApplicantType
from gongkai.core.models import Agency
from gongkai.privacy import detect, mask
from gongkai.privacy.findings import EMAIL, LANDLINE, MOBILE, PERSON_NAME
from gongkai.privacy.names import KnownNames

from . import richtext
from .models import Attachment, Item, OcrStatus


@dataclass(frozen=True)
class ItemFinding:
    field: str  # "title", "summary", "body" or "attachment:<id>"
    label: str
    text: str  # the scanned text, so the finding can be shown in context
    finding: detect.Finding
    # The text fields are masked in place; an attachment only when its file can be (see
    # attachment_maskable).
    maskable: bool = True

    @property
    def attachment_id(self) -> int | None:
        return int(self.field.split(":", 1)[1]) if self.field.startswith("attachment:") else None


def personal_findings(
    text: str,
    known_names: KnownNames | None = None,
    office_contacts: frozenset[str] = frozenset(),
) -> list[detect.Finding]:
    """Findings that block publication. An office's public line or mailbox (a fixed line after
    咨询电话/监督电话/传真 …, or after an organisation's name with no person in between; the
    rules are in gongkai.privacy.office_lines) is printed on notices on purpose: it is not
    personal data. Neither is a number or an address
    in `office_contacts` (the agency's own, see agency_office_contacts), whatever its context.
    `known_names`: names the system knows (see agency_known_names), found wherever they are
    written."""
    return [
        f
        for f in detect.scan(text or "", known_names=known_names)
        if not f.public_contact
        and not (
            office_contacts and f.type in _CONTACT_TYPES and contact_key(f.text) in office_contacts
        )
    ]


_CONTACT_TYPES = frozenset({LANDLINE, MOBILE, EMAIL})
_NOT_DIGIT = re.compile(r"[^0-9]")


def contact_key(value: str) -> str:
    """How an office contact is compared with a finding: an e-mail address lower-cased, a
    phone number by its digits alone (full-width read as ASCII, an extension dropped, a +86
    prefix dropped), so "（0580）3012345" is "0580-3012345"."""
    value = unicodedata.normalize("NFKC", value).strip()
    if "@" in value:
        return value.lower()
    number = re.split(r"转|分机|ext", value, maxsplit=1, flags=re.IGNORECASE)[0]
    number = re.sub(r"^\s*(?:\+|00)?86[\s-]*(?=1[3-9])", "", number)
    digits = _NOT_DIGIT.sub("", number)
    # 0580-3012345-801: an extension after a second hyphen.
    parts = [p for p in re.split(r"[^0-9]+", number) if p]
    if len(parts) == 3 and digits.startswith("0") and len(parts[2]) <= 5:
        digits = parts[0] + parts[1]
    return digits


def agency_office_contacts(agency: Agency | None) -> frozenset[str]:
    """The agency's own phone, fax and mailbox (Agency.office_*), as contact_key values."""
    if agency is None:
        return frozenset()
    values = (agency.office_phone, agency.office_fax, agency.office_email)
    return frozenset(contact_key(v) for v in values if v and v.strip())


def mask_personal(
    text: str,
    known_names: KnownNames | None = None,
    office_contacts: frozenset[str] = frozenset(),
) -> str:
    return mask(text, personal_findings(text, known_names, office_contacts)) if text else text


def agency_known_names(agency_id: int | None) -> set[str]:
    """The full names of the agency's staff and of the natural persons (applicants, contact
    persons, legal representatives) in its applications: one query, a union of the two."""
    if agency_id is None:
        return set()
    from django.db.models import CharField
    from django.db.models.functions import Concat

    from gongkai.applications.models import Application
    from gongkai.core.models import User

    staff = (
        User.objects.filter(memberships__agency_id=agency_id)
        .annotate(full=Concat("last_name", "first_name", output_field=CharField()))
        .values_list("full")
        .order_by()
    )
    applicants = (
        Application.objects.filter(agency_id=agency_id, applicant_type=ApplicantType.NATURAL_PERSON)
        .values_list("applicant_name")
        .order_by()
    )
    contacts = (
        Application.objects.filter(agency_id=agency_id)
        .exclude(contact_person="")
        .values_list("contact_person")
        .order_by()
    )
    representatives = (
        Application.objects.filter(agency_id=agency_id)
        .exclude(legal_representative="")
        .values_list("legal_representative")
        .order_by()
    )
    rows = staff.union(applicants, contacts, representatives)
    return {row[0].strip() for row in rows if row[0] and row[0].strip()}


def _matcher(names: set[str]) -> KnownNames | None:
    return detect.known_names_matcher(names) if names else None


def attachment_maskable(attachment: Attachment) -> bool:
    """A DOCX, an XLSX or a PDF with a text layer can be masked inside the file. A scan's text
    came from OCR and is not in the file, and an image, an old Office file or an archive cannot
    be rewritten: the editor corrects those offline."""
    if attachment.kind in ("docx", "xlsx"):
        return True
    return attachment.kind == "pdf" and attachment.ocr_status == OcrStatus.NOT_NEEDED


def item_finder(item: Item) -> Callable[[str], list[detect.Finding]]:
    """The blocking findings of any text of `item`: what item_findings lists and what masking
    an attachment removes from its file. The names the item's agency knows (staff, applicants)
    are looked up once here and found wherever they are written."""
    known = _matcher(agency_known_names(item.agency_id))
    office = agency_office_contacts(item.agency)

    def find(text: str) -> list[detect.Finding]:
        return personal_findings(text, known, office)

    return find


def item_masker(item: Item) -> Callable[[str], str]:
    """Masks any text of `item`: its title, summary and each text node of its body. A name
    found in context (a table column, a label in another node: "申请人<b>张三</b>") is masked
    in every node, where its context is out of sight, as are the names the agency knows."""
    names = agency_known_names(item.agency_id)
    office = agency_office_contacts(item.agency)
    known = _matcher(names)
    for text in (item.title, item.summary, richtext.scan_text(item.body)):
        names |= {f.text for f in personal_findings(text, known, office) if f.type == PERSON_NAME}
    known = _matcher(names)

    def masker(text: str) -> str:
        return mask_personal(text, known, office)

    return masker


FIELD_LABELS = {"title": _("Title"), "summary": _("Summary"), "body": _("Body")}


def item_findings(item: Item) -> list[ItemFinding]:
    texts = [
        ("title", str(FIELD_LABELS["title"]), item.title, True),
        ("summary", str(FIELD_LABELS["summary"]), item.summary, True),
        ("body", str(FIELD_LABELS["body"]), richtext.scan_text(item.body), True),
    ]
    texts += [
        (f"attachment:{a.pk}", a.original_name, a.text, attachment_maskable(a))
        for a in item.attachments.all()
        if a.text
    ]
    find = item_finder(item)
    return [
        ItemFinding(field=field, label=label, text=text, finding=finding, maskable=maskable)
        for field, label, text, maskable in texts
        for finding in find(text)
    ]


# --- scans read by OCR ---------------------------------------------------------------------

UNREAD_SCAN_STATUSES = (OcrStatus.PENDING, OcrStatus.LOW_CONFIDENCE, OcrStatus.FAILED)


def unread_scans(item: Item) -> list[tuple[Attachment, str]]:
    """The scans of `item` whose text the shield cannot trust yet, with the reason: one still
    waiting for OCR, or one OCR read too unreliably (or not at all) until a person checks it.
    They block submission, approval and publication as a finding does; no override passes them,
    since nobody knows what they hold."""
    unread = []
    for attachment in item.attachments.all():
        if attachment.ocr_status == OcrStatus.PENDING:
            reason = _("“%(name)s” is a scan still being read by OCR; wait until it has been read.")
        elif attachment.ocr_status in UNREAD_SCAN_STATUSES:
            reason = _(
                "“%(name)s” is a scan that OCR could not read reliably; a reviewer must check it "
                "by eye."
            )
        else:
            continue
        unread.append((attachment, str(reason) % {"name": attachment.original_name}))
    return unread
