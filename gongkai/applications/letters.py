"""Letters to applicants and consulted parties: numbering, template choice and the text.

A template's text uses placeholders in braces, e.g. {申请编号}; anything else stays as written.
Agency administrators edit templates as text (no template language), so an edit can neither run
code nor reach data the placeholders do not offer. The DOCX and PDF files are rendered from the
stored text (render.py), on commit or on first download.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.sequences import next_value

from . import defaults
from .models import (
    DEFAULT_LETTER_PATTERN,
    Application,
    ApplicationSettings,
    Letter,
    LetterTemplate,
    NumberSequence,
)

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
    if platform:
        return platform
    title, body = defaults.template(kind, family)
    return LetterTemplate.objects.create(
        agency=None, kind=kind, family=family, version=1, title=title, body=body
    )


def fill(body: str, values: dict[str, str]) -> str:
    """Replace known placeholders; unknown ones stay visible so a reviewer notices them."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def application_values(application: Application, on: date) -> dict[str, str]:
    agency = application.agency
    received = application.received_on
    return {
        "申请编号": application.number,
        "申请人": application.applicant_name,
        "申请日期": chinese_date(application.submitted_at.date()),
        "收到日期": chinese_date(received) if received else "",
        "所需信息": application.information,
        "机关名称": agency.name,
        "工作机构": agency.office_name or agency.name,
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
    template = current_template(application.agency, kind, family)
    number = next_letter_number(application, on.year)
    merged = application_values(application, on) | {"文号": number} | (values or {})
    letter = Letter.objects.create(
        agency=application.agency,
        application=application,
        kind=kind,
        number=number,
        template=template,
        title=fill(template.title, merged),
        addressee=addressee or application.applicant_name,
        body=fill(template.body, merged),
        issued_on=on,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
        for_applicant=for_applicant,
    )
    transaction.on_commit(lambda: _render_quietly(letter.pk))
    return letter


def _render_quietly(letter_pk: int) -> None:
    # Rendering is repeated on first download if it fails here; a letter is never lost for it.
    from .render import ensure_files

    try:
        ensure_files(Letter.objects.get(pk=letter_pk))
    except Exception:  # noqa: BLE001
        import logging

        logging.getLogger(__name__).exception("letter %s: rendering failed", letter_pk)
