"""Letters to applicants and consulted parties: numbering, template choice and the text.

A template's text uses placeholders in braces, e.g. {申请编号}; anything else stays as written.
Agency administrators edit templates as text (no template language), so an edit can neither run
code nor reach data the placeholders do not offer. The DOCX and PDF files are rendered from the
stored text (render.py) by the background task applications.render_letter, queued when the letter
is issued.

A letter is an official document of the agency: the agency signs it (机关名称 and the date, with
room for the seal), its disclosure office is only the contact; the applicant is addressed as 您 or
贵单位 by applicant type, and doubled punctuation where typed text meets the template is tidied
(letter_text.py). `compose` builds the letter once, for a preview and for issuing alike.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.models import Membership, Role
from gongkai.core.sequences import next_value

from . import defaults, letter_text
from .models import (
    DEFAULT_LETTER_PATTERN,
    Application,
    ApplicationSettings,
    Letter,
    LetterTemplate,
    NumberSequence,
)
from .permissions import can_sign_off_replies

_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,12})\}")
_SERIAL = re.compile(r"\{(N+)\}")


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def format_number(pattern: str, *, prefix: str, year: int, serial: int) -> str:
    def token(match: re.Match) -> str:
        name = match.group(1)
        if name == "简称":
            return prefix
        if name == "YYYY":
            return f"{year:04d}"
        if set(name) == {"N"}:
            return f"{serial:0{len(name)}d}" if len(name) > 1 else str(serial)
        return match.group(0)

    return _PLACEHOLDER.sub(token, pattern)


def validate_number_pattern(pattern: str) -> None:
    if len(_SERIAL.findall(pattern)) != 1:
        raise ValidationError(_("The pattern must contain exactly one serial token such as {N}."))


def settings_for(agency) -> ApplicationSettings:
    config = ApplicationSettings.objects.filter(agency=agency).first()
    # agency_id, not agency: assigning the relation would cache these unsaved defaults on the
    # agency as its `application_settings`.
    return config or ApplicationSettings(agency_id=agency.pk)


def next_letter_number(application: Application, year: int) -> str:
    config = settings_for(application.agency)
    serial = next_value(NumberSequence, agency=application.agency, year=year, name="letter")
    prefix = config.letter_prefix or application.agency.short_name.removesuffix("人民政府")
    return format_number(
        config.letter_pattern or DEFAULT_LETTER_PATTERN, prefix=prefix, year=year, serial=serial
    )


def current_template(agency, kind: str, family: str = "") -> LetterTemplate:
    """The agency's current version of a letter, else the platform default (created on first use
    from defaults.py, so that every letter points at a stored template version)."""
    found = (
        LetterTemplate.objects.filter(kind=kind, family=family, is_current=True, agency=agency)
        .order_by("-version")
        .first()
    )
    if found:
        return found
    platform = (
        LetterTemplate.objects.filter(kind=kind, family=family, is_current=True, agency=None)
        .order_by("-version")
        .first()
    )
    title, body = defaults.template(kind, family)
    if platform and (platform.title, platform.body) == (title, body):
        return platform
    # The platform's copy is nobody's edit: when defaults.py changed (the agency signing, 称谓
    # instead of 您（单位）), it becomes a new version; letters already issued keep theirs.
    version = 1
    if platform:
        LetterTemplate.objects.filter(agency=None, kind=kind, family=family).update(
            is_current=False
        )
        version = platform.version + 1
    return LetterTemplate.objects.create(
        agency=None, kind=kind, family=family, version=version, title=title, body=body
    )


def fill(body: str, values: dict[str, str]) -> str:
    """Replace known placeholders; unknown ones stay visible so a reviewer notices them."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def application_values(application: Application, on: date) -> dict[str, str]:
    agency = application.agency
    received = application.received_on
    config = settings_for(agency)
    return {
        "申请编号": application.number,
        "申请人": application.applicant_name,
        "申请日期": chinese_date(application.submitted_at.date()),
        "收到日期": chinese_date(received) if received else "",
        "所需信息": application.information,
        "机关名称": agency.name,
        "工作机构": agency.office_name or agency.name,
        "联系机构": config.contact_office or agency.office_name or agency.name,
        "称谓": letter_text.address_word(application.applicant_type),
        "联系地址": agency.office_address,
        "联系电话": agency.office_phone,
        "邮政编码": agency.office_postcode,
        "日期": chinese_date(on),
        "复议机关": _review_body(agency),
        # Letters are official documents in Chinese whatever the language of the page that
        # issued them, so these are written here as document text, not translated.
        "管辖法院": "有管辖权的人民法院",
    }


def _review_body(agency) -> str:
    # 行政复议法 (2023) 第二十四条: the people's government at the level above reviews a
    # township government; for a department of a county government, that county government.
    parent = agency.parent
    return parent.name if parent is not None else "行政复议机关"


# Shown where the number will stand until the letter is issued (previews of drafts).
PREVIEW_NUMBER = "（发文时编号）"


def letterhead_for(agency) -> str:
    """The name printed in red above the title, or "" when the agency prints no letterhead."""
    config = settings_for(agency)
    return (config.letterhead_name or agency.name) if config.letterhead else ""


def finish_text(text: str, word: str) -> str:
    """The officer's and the template's text joined as a document: one address word, no doubled
    punctuation where a typed reason meets the template's full stop."""
    text = letter_text.drop_empty_fields(letter_text.replace_both_forms(text, word))
    return letter_text.tidy_punctuation(text)


def compose(
    *,
    application: Application,
    kind: str,
    on: date,
    family: str = "",
    values: dict[str, str] | None = None,
    addressee: str | None = None,
    for_applicant: bool = True,
    number: str = "",
) -> Letter:
    """The letter as it will be issued, unsaved: the one source of a preview, the DOCX and the
    PDF. Without `number` the letter number is a visible stand-in (a preview)."""
    template = current_template(application.agency, kind, family)
    shown_number = number or PREVIEW_NUMBER
    merged = application_values(application, on) | {"文号": shown_number} | (values or {})
    word = merged["称谓"]
    return Letter(
        agency=application.agency,
        application=application,
        kind=kind,
        number=shown_number,
        template=template,
        title=finish_text(fill(template.title, merged), word),
        addressee=addressee or application.applicant_name,
        body=finish_text(fill(template.body, merged), word),
        issued_on=on,
        for_applicant=for_applicant,
        letterhead=letterhead_for(application.agency),
    )


@transaction.atomic
def issue_letter(
    *,
    application: Application,
    kind: str,
    on: date,
    actor=None,
    family: str = "",
    values: dict[str, str] | None = None,
    addressee: str | None = None,
    for_applicant: bool = True,
) -> Letter:
    """Number and store a letter dated `on`; its DOCX and PDF are rendered in the background
    (the task applications.render_letter, queued for when this transaction commits)."""
    from gongkai.core.tasks import task_enqueue

    letter = compose(
        application=application,
        kind=kind,
        on=on,
        family=family,
        values=values,
        addressee=addressee,
        for_applicant=for_applicant,
        number=next_letter_number(application, on.year),
    )
    letter.issued_by = actor if actor is not None and actor.is_authenticated else None
    letter.save()
    task_enqueue(name=RENDER_TASK, payload={"letter": letter.pk})
    return letter


RENDER_TASK = "applications.render_letter"


# --- sign-off: four eyes (issue 17) ---------------------------------------------------------


def heads_of(agency_id: int) -> int:
    """How many active people hold the role of head of the disclosure office (工作机构负责人)."""
    return (
        Membership.objects.filter(agency_id=agency_id, role=Role.OFFICE_HEAD, user__is_active=True)
        .values("user")
        .distinct()
        .count()
    )


def own_signoff_refusal(user, draft) -> str:
    """Why `user` may not sign off `draft` as its own author, or "" when that is not the case.

    The sign-off is a second pair of eyes: whoever drafted the reply (its last save) does not
    sign it off. An agency with a single head may let that head sign their own text where the
    deployment allows it (GONGKAI_REPLY_SINGLE_HEAD_SIGNS_OWN), since no one else could; by
    default the head then asks a disclosure officer to revise and resubmit it. Whether `user`
    is a head at all is the sign-off permission's question, not this one's."""
    if draft.drafted_by_id is None or draft.drafted_by_id != getattr(user, "pk", None):
        return ""
    if settings.GONGKAI_REPLY_SINGLE_HEAD_SIGNS_OWN and heads_of(draft.application.agency_id) == 1:
        return ""
    return _(
        "You drafted this reply, so you cannot sign it off yourself: another head of the "
        "disclosure office signs it off, or a disclosure officer revises and resubmits it."
    )


def refuse_own_signoff(user, draft) -> None:
    """ValidationError (code "four_eyes") when a head of the office would sign off a reply
    they drafted: said before the sign-off's guard, which refuses it too, but only as a 403
    (and refuses anyone else who may not sign off, as before)."""
    if not can_sign_off_replies(user, draft.application.agency):
        return
    refusal = own_signoff_refusal(user, draft)
    if refusal:
        raise ValidationError(refusal, code="four_eyes")
