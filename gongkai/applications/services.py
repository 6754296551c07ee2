"""Writes of 依申请公开. Keyword-only, permission-checked, audited in the same transaction.

Every move that changes the clock appends an ApplicationEvent and then recomputes the
application's due date from all its events (`_refresh_clock`), so the stored due date can never
drift from the log it is derived from.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai import privacy
from gongkai.catalogue import files
from gongkai.core import codes, intake, throttle
from gongkai.core.audit import audit_record
from gongkai.core.deadlines import Moved
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.core.selectors import current_work_calendar
from gongkai.core.sequences import next_value
from gongkai.core.transactions import file_written
from gongkai.core.validators import strip_invisible, validate_uscc
from gongkai.privacy.checks import birth_date_ok, id_check_ok, region_ok

from . import clock, fees, letter_text, letters, permissions
from .clock import ClockEvent, ClockState, EventKind
from .models import (
    ARCHIVED,
    ASSIGNED,
    DEFAULT_NUMBER_PATTERN,
    NOTE,
    REPLY_DRAFTED,
    REPLY_RETURNED,
    REPLY_SIGNED,
    REPLY_SUBMITTED,
    Appeal,
    Application,
    ApplicationEvent,
    ApplicationFile,
    ApplicationSettings,
    Consultation,
    Fee,
    FileKind,
    LetterTemplate,
    NumberSequence,
    ReplyDraft,
    Status,
)
from .outcomes import LAPSE_OUTCOMES, RULES, Outcome, OutcomeFamily
from .taxonomy import (
    CONFIRMED_CHANNELS,
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
    LetterKind,
)
from .workflow import DRAFTS, EXTEND, MACHINE, Action, DraftAction

QUERY_CODE_PURPOSE = "applications.query-code"  # the hashes' key salt: do not change
QUERY_CODE = intake.LookupCode(purpose=QUERY_CODE_PURPOSE, field="query_code_hash")
SUBMISSIONS_PER_IP_PER_HOUR = 5
SUBMIT_RATE = throttle.Rate(
    scope="applications.submit",
    limit=SUBMISSIONS_PER_IP_PER_HOUR,
    window=timedelta(hours=1),
    message=gettext_lazy(
        "Too many applications from this network in the last hour; try again later."
    ),
)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|\d{7,8})$")
_OTHER_ID = re.compile(r"^[A-Za-z0-9-]{5,40}$")
_POSTCODE = re.compile(r"^\d{6}$")


class WorkflowError(ValidationError):
    """A move the transitions table does not allow from the application's status."""


# One limiter for every public submission and look-up (gongkai.core.throttle).
RateLimited = throttle.RateLimited


logger = logging.getLogger(__name__)


def today() -> date:
    return timezone.localdate()


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


# --- helpers ------------------------------------------------------------------------------


def settings_for(agency: Agency) -> ApplicationSettings:
    return letters.settings_for(agency)


def query_code_matches(application: Application, code: str) -> bool:
    return QUERY_CODE.matches(application, code)


def hash_ip(ip: str) -> str:
    return codes.hash_ip("applications", ip)


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=application.pk)
    )


def _event(
    application: Application,
    kind: str,
    *,
    on: date,
    actor: User | None = None,
    text: str = "",
    public: bool = True,
    days: int = 0,
    ref: str = "",
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        on=on,
        days=days,
        ref=ref,
        text=text,
        public=public,
        actor=actor if actor is not None and actor.is_authenticated else None,
    )


def clock_events(application: Application) -> list[ClockEvent]:
    """The application's clock events in legal order (date, then the order recorded)."""
    rows = application.events.filter(kind__in=list(EventKind)).order_by("on", "id")
    return [ClockEvent(row.kind, row.on, days=row.days, ref=row.ref) for row in rows]


def compute_clock(application: Application, *, on: date | None = None) -> clock.Clock:
    return clock.compute(
        clock_events(application),
        current_work_calendar(),
        today=on or today(),
        fee_pauses=settings_for(application.agency).fee_pauses_clock,
    )


def _refresh_clock(application: Application) -> clock.Clock:
    result = compute_clock(application)
    started = result.state != ClockState.NOT_RECEIVED
    pending = result.pending_year if started else None
    # A due date waiting for a year's holiday schedule is not the legal date: keep it apart.
    application.due_on = result.due_on if started and pending is None else None
    application.due_pending_year = pending
    application.due_provisional = result.due_on if pending is not None else None
    application.clock_paused = result.state in (ClockState.PAUSED, ClockState.AWAITING_CORRECTION)
    if result.state == ClockState.CONCLUDED:
        application.flag = ""
    application.save(
        update_fields=[
            "due_on",
            "due_pending_year",
            "due_provisional",
            "clock_paused",
            "flag",
            "status",
            "updated_at",
        ]
    )
    return result


def _move(application: Application, action: Action) -> None:
    # the status check of the machine (the services check who acts where they always have)
    step = MACHINE.check(application, action)
    if step.target is not None:
        application.status = step.target


def _audit(actor, verb: str, application: Application, **after) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        obj=application,
        agency=application.agency,
        after={"status": application.status, **after},
    )


def _require_handler(actor: User, application: Application) -> None:
    require(permissions.can_handle_application(actor, application.agency))


def _not_future(on: date) -> None:
    if on > today():
        raise ValidationError(_("The date cannot be in the future."), code="date")


# --- registration -------------------------------------------------------------------------


@dataclass
class Submitted:
    application: Application
    query_code: str
    created: bool


def application_submit(
    *,
    agency: Agency,
    data: ApplicationInput,
    channel: str = Channel.ONLINE,
    actor: User | None = None,
    received_on: date | None = None,
    submission_token: str = "",
    ip: str = "",
    submitted_at: datetime | None = None,
) -> Submitted:
    """Register an application. Online submissions (actor None) wait for the office to confirm
    receipt (第三十一条（三）); staff register paper, oral and posted applications with the date
    of receipt the channel gives. The same submission token twice gives the first application.

    `submitted_at` (default now) is when the application arrived: staff registering a letter
    late, and the demo loader, pass it; it fixes the number's year and the month's fee count.
    The public form and the public API never pass it."""
    if actor is not None:
        require(permissions.can_handle_application(actor, agency))
    elif channel != Channel.ONLINE:
        raise ValidationError(_("Only the online channel is open to the public."))
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel."))
    data = validate_input(data)
    submitted_before = Application.objects.filter(agency=agency)
    existing = intake.find_submitted(submitted_before, submission_token)
    if existing is not None:
        return _again(existing)
    ip_hash = hash_ip(ip)
    if actor is None:
        if not settings_for(agency).online_enabled:
            raise ValidationError(_("This agency does not accept applications online."))
        throttle.throttle_check(rate=SUBMIT_RATE, ip=ip)
    receipt_now = channel not in CONFIRMED_CHANNELS
    if receipt_now:
        received_on = received_on or today()
        _not_future(received_on)
    elif received_on is not None:
        raise ValidationError(
            _("For this channel the date of receipt is the day the applicant confirms it.")
        )
    if submitted_at is not None:
        if submitted_at > timezone.now():
            raise ValidationError(_("The date cannot be in the future."), code="date")
        if received_on is not None and received_on < timezone.localdate(submitted_at):
            raise ValidationError(_("The date of receipt cannot precede the submission."))
    return intake.register_once(
        register=lambda: _register(
            agency=agency,
            data=data,
            channel=channel,
            actor=actor,
            received_on=received_on,
            token=submission_token,
            ip_hash=ip_hash,
            now=submitted_at or timezone.now(),
        ),
        queryset=submitted_before,
        token=submission_token,
        again=_again,
        rate=SUBMIT_RATE if actor is None else None,
        ip=ip,
    )


def _again(application: Application) -> Submitted:
    # The same submission token came again: the first application, its code not shown again.
    return Submitted(application, "", False)


def _register(*, agency, data, channel, actor, received_on, token, ip_hash, now) -> Submitted:
    year = timezone.localtime(now).year
    config = settings_for(agency)
    serial = next_value(NumberSequence, agency=agency, year=year, name=NumberSequence.APPLICATION)
    application = Application(
        agency=agency,
        number=letters.format_number(
            config.number_pattern or DEFAULT_NUMBER_PATTERN, prefix="", year=year, serial=serial
        ),
        year=year,
        channel=channel,
        submitted_at=now,
        submission_token=token,
        submitter_ip_hash=ip_hash,
        registered_by=actor if actor is not None else None,
        **asdict(data),
    )
    application.save()
    code = QUERY_CODE.issue(application)
    _event(
        application,
        EventKind.SUBMITTED,
        on=timezone.localdate(now),
        actor=actor,
        text=_("Application registered (%(channel)s).")
        % {"channel": application.get_channel_display()},
    )
    if received_on is not None:
        _receive(application, received_on, actor)
    _refresh_clock(application)
    audit_record(
        actor=actor,
        verb="application.submit",
        obj=application,
        agency=agency,
        after={"number": application.number, "channel": channel, "status": application.status},
    )
    return Submitted(application, code, True)


def _receive(application: Application, on: date, actor) -> None:
    application.received_on = on
    application.status = Status.RECEIVED
    _event(application, EventKind.RECEIVED, on=on, actor=actor, text=_("Receipt confirmed."))
    application.save(update_fields=["received_on", "status"])


@transaction.atomic
def application_confirm_receipt(
    *, actor: User, application: Application, received_on: date | None = None
) -> Application:
    """第三十一条: for plain letters, the internet and fax, the day both sides confirm."""
    application = _locked(application)
    _require_handler(actor, application)
    _move(application, Action.CONFIRM_RECEIPT)
    arrived = timezone.localdate(application.submitted_at)
    if (
        application.channel == Channel.POST_PLAIN
        and not settings_for(application.agency).plain_post_starts_on_contact
    ):
        # RULES A.3 switched off: an unconfirmable plain letter counts from the day it arrived.
        received_on = arrived
    received_on = received_on or today()
    _not_future(received_on)
    if received_on < arrived:
        raise ValidationError(
            _("Receipt cannot be confirmed before the application was submitted.")
        )
    _receive(application, received_on, actor)
    _refresh_clock(application)
    _audit(actor, "application.confirm", application, received_on=received_on)
    return application


@transaction.atomic
def application_reset_query_code(*, actor: User, application: Application) -> str:
    """A new 查询码 for an applicant who lost theirs (told by phone or letter)."""
    application = _locked(application)
    _require_handler(actor, application)
    code = QUERY_CODE.issue(application, also=("updated_at",))
    _audit(actor, "application.reset_code", application)
    return code


@transaction.atomic
def application_assign(
    *, actor: User, application: Application, handler: User, on: date | None = None
) -> Application:
    application = _locked(application)
    _require_handler(actor, application)
    if not permissions.can_handle_application(handler, application.agency):
        raise ValidationError(_("The handler must work in this agency's disclosure office."))
    if not application.is_open:
        raise WorkflowError(_("A concluded application cannot be reassigned."))
    on = on or today()
    _not_future(on)
    application.handler = handler
    if application.status == Status.RECEIVED:
        _move(application, Action.ACCEPT)
    application.save(update_fields=["handler", "status", "updated_at"])
    _event(
        application,
        ASSIGNED,
        on=on,
        actor=actor,
        public=False,
        text=_("Assigned to %(name)s.") % {"name": handler.get_full_name() or handler.username},
    )
    _audit(actor, "application.assign", application, handler=handler.pk)
    return application


@transaction.atomic
def application_note(*, actor: User, application: Application, text: str) -> ApplicationEvent:
    application = Application.objects.select_related("agency").get(pk=application.pk)
    _require_handler(actor, application)
    text = text.strip()
    if not text:
        raise ValidationError(_("The note is empty."))
    event = _event(application, NOTE, on=today(), actor=actor, text=text[:5000], public=False)
    _audit(actor, "application.note", application)
    return event


# --- correction (第三十条) ----------------------------------------------------------------


@transaction.atomic
def application_request_correction(
    *,
    actor: User,
    application: Application,
    items: str,
    on: date | None = None,
    period_workdays: int | None = None,
) -> Application:
    application = _locked(application)
    _require_handler(actor, application)
    _move(application, Action.REQUEST_CORRECTION)
    if application.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists():
        raise WorkflowError(
            _(
                "A correction may be requested only once, with everything that needs correcting (Article 30)."
            )
        )
    items = items.strip()
    if not items:
        raise ValidationError(_("State what the applicant needs to correct."))
    on = on or today()
    _not_future(on)
    calendar = current_work_calendar()
    period = period_workdays or settings_for(application.agency).correction_period_workdays
    if not 1 <= period <= 60:
        raise ValidationError(_("The correction period must be between 1 and 60 working days."))
    deadline = calendar.latest(on, period).on
    _event(
        application,
        EventKind.CORRECTION_REQUESTED,
        on=on,
        actor=actor,
        days=period,
        text=_("Correction requested, by %(date)s: %(items)s")
        % {"date": deadline.isoformat(), "items": items},
    )
    application.save(update_fields=["status", "updated_at"])
    letters.issue_letter(
        application=application,
        kind=LetterKind.CORRECTION,
        on=on,
        actor=actor,
        values={"补正事项": items, "补正期限": letters.chinese_date(deadline)},
    )
    result = _refresh_clock(application)
    _audit(
        actor,
        "application.correction_request",
        application,
        late=result.correction_late,
    )
    return application


def correction_deadline(application: Application) -> date | None:
    event = application.events.filter(kind=EventKind.CORRECTION_REQUESTED).first()
    if event is None:
        return None
    return current_work_calendar().latest(event.on, event.days).on


@transaction.atomic
def application_receive_correction(
    *,
    application: Application,
    text: str,
    uploads: Sequence[tuple[str, bytes]] = (),
    actor: User | None = None,
    on: date | None = None,
) -> Application:
    """The applicant's correction, from the status page (actor None) or registered by staff."""
    application = _locked(application)
    if actor is not None:
        _require_handler(actor, application)
    _move(application, Action.RECEIVE_CORRECTION)
    text = text.strip()
    if not text and not uploads:
        raise ValidationError({"text": [_("Write the correction or attach a file.")]})
    on = on or today()
    _not_future(on)
    # every file is checked before any is stored: a refused one leaves nothing behind
    checked = [(name, data, _inspect_file(name, data)) for name, data in uploads]
    for name, data, inspected in checked:
        _store_file(
            application, name, data, kind=FileKind.CORRECTION, actor=actor, inspected=inspected
        )
    _event(
        application,
        EventKind.CORRECTION_RECEIVED,
        on=on,
        actor=actor,
        text=_("Correction received: %(text)s") % {"text": text[:2000]}
        if text
        else _("Correction received."),
    )
    application.save(update_fields=["status", "updated_at"])
    _refresh_clock(application)
    _audit(actor, "application.correction_receive", application, files=len(uploads))
    return application


@transaction.atomic
def application_lapse_correction(
    *, actor: User | None, application: Application, on: date | None = None
) -> Application:
    """No correction by the deadline: 视为放弃申请 (第三十条), 表三（六）1."""
    application = _locked(application)
    if actor is not None:
        _require_handler(actor, application)
    _move(application, Action.LAPSE_CORRECTION)
    on = on or today()
    deadline = correction_deadline(application)
    if deadline is not None and on <= deadline:
        raise ValidationError(
            _("The correction period runs until %(date)s.") % {"date": deadline.isoformat()}
        )
    return _conclude(
        application,
        actor=actor,
        kind=EventKind.CORRECTION_LAPSED,
        outcome=Outcome.NO_CORRECTION,
        on=on,
    )


# --- consultation (第三十二条, 第三十四条) -------------------------------------------------


@transaction.atomic
def consultation_start(
    *,
    actor: User,
    application: Application,
    kind: str,
    addressee: str,
    sent_on: date | None = None,
) -> Consultation:
    application = _locked(application)
    _require_handler(actor, application)
    _move(application, Action.START_CONSULTATION)
    if kind not in ConsultationKind.values:
        raise ValidationError(_("Unknown kind of consultation."))
    addressee = addressee.strip()
    if not addressee:
        raise ValidationError(_("Name the third party or agency consulted."))
    sent_on = sent_on or today()
    _not_future(sent_on)
    reply_due = current_work_calendar().due(sent_on, clock.CONSULTATION_WORKDAYS).on
    consultation = Consultation.objects.create(
        application=application,
        kind=kind,
        addressee=addressee[:200],
        sent_on=sent_on,
        reply_due=reply_due,
    )
    _event(
        application,
        EventKind.CONSULTATION_STARTED,
        on=sent_on,
        actor=actor,
        ref=str(consultation.pk),
        text=_("%(kind)s sent; opinion due by %(date)s.")
        % {"kind": consultation.get_kind_display(), "date": reply_due.isoformat()},
    )
    application.save(update_fields=["status", "updated_at"])
    letter_kind = (
        LetterKind.CONSULT_THIRD_PARTY
        if kind == ConsultationKind.THIRD_PARTY
        else LetterKind.CONSULT_AGENCY
    )
    letters.issue_letter(
        application=application,
        kind=letter_kind,
        on=sent_on,
        actor=actor,
        addressee=addressee,
        for_applicant=False,
        # the letter speaks to the consulted party, not the applicant
        values={
            "被征求意见方": addressee,
            "意见期限": letters.chinese_date(reply_due),
            "称谓": "贵方" if kind == ConsultationKind.THIRD_PARTY else "贵机关",
        },
    )
    _refresh_clock(application)
    _audit(actor, "application.consultation_start", application, consultation=consultation.pk)
    return consultation


@transaction.atomic
def consultation_close(
    *,
    actor: User | None,
    consultation: Consultation,
    reply: str,
    answered_on: date | None = None,
    note: str = "",
) -> Consultation:
    """Record the opinion, or silence once the 15 working days have passed. Silence of another
    agency counts as consent (第三十四条); of a third party, the agency decides (第三十二条)."""
    application = _locked(consultation.application)
    if actor is not None:
        _require_handler(actor, application)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.is_open:
        raise WorkflowError(_("This consultation is already closed."))
    if reply not in ConsultationReply.values:
        raise ValidationError(_("Choose the opinion received."))
    if reply == ConsultationReply.SILENT:
        # The pause lasts the 15 working days, no longer.
        answered_on = consultation.reply_due
        if today() <= consultation.reply_due:
            raise ValidationError(
                _("The consulted party has until %(date)s to answer.")
                % {"date": consultation.reply_due.isoformat()}
            )
    answered_on = answered_on or today()
    _not_future(answered_on)
    if answered_on < consultation.sent_on:
        raise ValidationError(_("The opinion cannot arrive before the request was sent."))
    consultation.answered_on = min(answered_on, consultation.reply_due)
    consultation.reply = reply
    consultation.note = note.strip()
    consultation.save()
    still_open = application.consultations.filter(answered_on__isnull=True).exists()
    if not still_open and application.status == Status.CONSULTING:
        application.status = Status.PROCESSING
    meaning = ""
    if reply == ConsultationReply.SILENT:
        meaning = (
            _("No opinion in time: deemed consent to disclosure (Article 34).")
            if consultation.kind == ConsultationKind.AGENCY
            else _("No opinion in time: the agency decides (Article 32).")
        )
    _event(
        application,
        EventKind.CONSULTATION_ENDED,
        on=consultation.answered_on,
        actor=actor,
        ref=str(consultation.pk),
        text=" ".join(
            filter(None, [f"{consultation.addressee}：{consultation.get_reply_display()}", meaning])
        ),
    )
    application.save(update_fields=["status", "updated_at"])
    _refresh_clock(application)
    _audit(
        actor,
        "application.consultation_close",
        application,
        consultation=consultation.pk,
        reply=reply,
    )
    return consultation


# --- extension (第三十三条) ---------------------------------------------------------------


@transaction.atomic
def application_extend(
    *, actor: User, application: Application, days: int, reason: str, on: date | None = None
) -> Application:
    application = _locked(application)
    MACHINE.check(application, EXTEND, actor=actor)
    granted = sum(application.events.filter(kind=EventKind.EXTENDED).values_list("days", flat=True))
    if not 1 <= days <= clock.MAX_EXTENSION_WORKDAYS - granted:
        raise ValidationError(
            _(
                "The extension may not exceed 20 working days in all (Article 33); %(left)d are left."
            )
            % {"left": clock.MAX_EXTENSION_WORKDAYS - granted}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the extension; the applicant is told."))
    on = on or today()
    _not_future(on)
    before = compute_clock(application, on=on)
    if before.due_on is not None and on > before.due_on:
        raise ValidationError(
            _("The reply was due on %(date)s; it can no longer be extended.")
            % {"date": before.due_on.isoformat()}
        )
    _event(application, EventKind.EXTENDED, on=on, actor=actor, days=days, text=reason)
    after = _refresh_clock(application)
    letters.issue_letter(
        application=application,
        kind=LetterKind.EXTENSION,
        on=on,
        actor=actor,
        values={
            "延期理由": reason,
            "延长天数": str(days),
            "原答复期限": letters.chinese_date(before.due_on) if before.due_on else "",
            "延长后答复期限": letters.chinese_date(after.due_on) if after and after.due_on else "",
        },
    )
    _audit(actor, "application.extend", application, days=days)
    return application


# --- fees (国办函〔2020〕109号) -------------------------------------------------------------


def applications_in_month(application: Application) -> int:
    """The applicant's applications to this agency in the calendar month of this one, up to and
    including it (第四条: 同一申请人一个自然月内累计申请)."""
    day = application.received_on or timezone.localdate(application.submitted_at)
    same = Application.objects.filter(
        agency=application.agency,
        id_type=application.id_type,
        id_number=application.id_number,
        submitted_at__year=day.year,
        submitted_at__month=day.month,
    )
    return same.filter(submitted_at__lte=application.submitted_at).count()


def fee_quote(application: Application, *, schedule: str, pages: int = 0) -> tuple[int, dict]:
    """The fee for this application: per item, the marginal charge of its place in the month's
    count; per page, the pages provided."""
    if schedule == FeeSchedule.PER_ITEM:
        position = applications_in_month(application)
        whole, before = fees.per_item(position), fees.per_item(position - 1)
        amount = whole.amount - before.amount
        return amount, {**whole.as_dict(), "charged_unit": position, "amount": amount}
    if schedule == FeeSchedule.PER_PAGE:
        if pages < 1:
            raise ValidationError(_("Enter the number of pages."))
        quote = fees.per_page(pages)
        return quote.amount, quote.as_dict()
    raise ValidationError(_("Choose one fee schedule: per application or per page."))


@transaction.atomic
def fee_notify(
    *, actor: User, application: Application, schedule: str, pages: int = 0, on: date | None = None
) -> Fee:
    application = _locked(application)
    _require_handler(actor, application)
    _move(application, Action.NOTIFY_FEE)
    if Fee.objects.filter(application=application).exists():
        raise WorkflowError(
            _(
                "A fee notice was already sent for this application; fees are charged once, on one schedule."
            )
        )
    amount, breakdown = fee_quote(application, schedule=schedule, pages=pages)
    if amount <= 0:
        raise ValidationError(_("Nothing is due under this schedule, so no fee notice is sent."))
    on = on or today()
    _not_future(on)
    pay_by = current_work_calendar().latest(on, clock.FEE_PAYMENT_WORKDAYS).on
    fee = Fee.objects.create(
        application=application,
        schedule=schedule,
        count=breakdown["count"],
        amount=amount,
        breakdown=breakdown,
        notified_on=on,
        pay_by=pay_by,
    )
    _event(
        application,
        EventKind.FEE_NOTIFIED,
        on=on,
        actor=actor,
        text=_("Fee notice: %(amount)d yuan, to be paid by %(date)s.")
        % {"amount": amount, "date": pay_by.isoformat()},
    )
    application.save(update_fields=["status", "updated_at"])
    letters.issue_letter(
        application=application,
        kind=LetterKind.FEE_NOTICE,
        on=on,
        actor=actor,
        values={
            "收费标准": fee.get_schedule_display(),
            "收费明细": describe_fee(breakdown),
            "收费金额": str(amount),
            "缴费期限": letters.chinese_date(pay_by),
        },
    )
    _refresh_clock(application)
    _audit(actor, "application.fee_notify", application, amount=amount, schedule=schedule)
    return fee


def describe_fee(breakdown: dict) -> str:
    unit = "件" if breakdown["schedule"] == "per_item" else "页"
    parts = []
    for band in breakdown["bands"]:
        last = band["last"] if band["last"] is not None else "以上"
        parts.append(
            f"第{band['first']}—{last}{unit}：{band['units']}{unit}×{band['rate']}元={band['amount']}元"
        )
    text = "；".join(parts)
    if "charged_unit" in breakdown:
        text += f"。本申请为本自然月第{breakdown['charged_unit']}件，应缴{breakdown['amount']}元"
    return text


@transaction.atomic
def fee_record_payment(
    *, actor: User, application: Application, paid_on: date | None = None, receipt_number: str = ""
) -> Fee:
    application = _locked(application)
    _require_handler(actor, application)
    _move(application, Action.RECORD_PAYMENT)
    fee = Fee.objects.select_for_update().get(application=application)
    paid_on = paid_on or today()
    _not_future(paid_on)
    if paid_on < fee.notified_on:
        raise ValidationError(_("Payment cannot precede the fee notice."))
    fee.paid_on = paid_on
    fee.receipt_number = receipt_number.strip()[:60]
    fee.save()
    _event(application, EventKind.FEE_PAID, on=paid_on, actor=actor, text=_("Fee paid."))
    application.save(update_fields=["status", "updated_at"])
    _refresh_clock(application)
    _audit(actor, "application.fee_paid", application, amount=fee.amount)
    return fee


@transaction.atomic
def fee_lapse(
    *, actor: User | None, application: Application, on: date | None = None
) -> Application:
    """Unpaid after 20 working days: 视为放弃申请 (RULES A.4), 表三（六）2."""
    application = _locked(application)
    if actor is not None:
        _require_handler(actor, application)
    _move(application, Action.LAPSE_FEE)
    fee = Fee.objects.get(application=application)
    on = on or today()
    if on <= fee.pay_by:
        raise ValidationError(
            _("The fee can be paid until %(date)s.") % {"date": fee.pay_by.isoformat()}
        )
    return _conclude(
        application, actor=actor, kind=EventKind.FEE_LAPSED, outcome=Outcome.NO_PAYMENT, on=on
    )


# --- files ---------------------------------------------------------------------------------


def _inspect_file(name: str, data: bytes) -> files.Inspected:
    """The file checked within the safe reader's limits, and its text (nothing is stored)."""
    name = strip_invisible(name)  # the type check reads the name the file will be stored under
    try:
        return files.inspect_upload(name, data, max_bytes=settings.GONGKAI_ATTACHMENT_MAX_BYTES)
    except files.AttachmentError as exc:
        raise ValidationError(str(exc), code="attachment") from None


def _store_file(
    application: Application,
    name: str,
    data: bytes,
    *,
    kind: str,
    actor,
    inspected: files.Inspected | None = None,
) -> ApplicationFile:
    name = strip_invisible(name)  # before the type check: "x\u202egpj.exe" is an .exe
    inspected = inspected or _inspect_file(name, data)
    file_type, text = inspected.file_type, inspected.text
    stored = ApplicationFile(
        application=application,
        kind=kind,
        original_name=name[:200],
        content_type=file_type.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        findings=len(privacy.scan(text)) if text else 0,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    stored.file.save(name, ContentFile(data), save=False)
    file_written(stored.file)
    stored.save()
    return stored


@transaction.atomic
def application_file_add(
    *, actor: User, application: Application, name: str, data: bytes, kind: str = FileKind.PROVIDED
) -> ApplicationFile:
    application = _locked(application)
    _require_handler(actor, application)
    if kind not in (FileKind.PROVIDED, FileKind.INTERNAL, FileKind.APPLICANT):
        raise ValidationError(_("Unknown file type."))
    if not application.is_open:
        raise WorkflowError(_("Files can no longer be added to a concluded application."))
    stored = _store_file(application, name, data, kind=kind, actor=actor)
    audit_record(
        actor=actor,
        verb="application.file_add",
        obj=stored,
        agency=application.agency,
        after={
            "application": application.pk,
            "name": stored.original_name,
            "kind": kind,
            "findings": stored.findings,
        },
    )
    return stored


# --- conclusion ------------------------------------------------------------------------------


def _conclude(
    application: Application, *, actor, kind: str, outcome: str, on: date, reason: str = ""
) -> Application:
    _not_future(on)
    application.outcome = outcome
    application.outcome_reason = reason
    application.concluded_on = on
    application.status = Status.CONCLUDED
    _event(application, kind, on=on, actor=actor, text=reason or Outcome(outcome).label)
    application.save(
        update_fields=["outcome", "outcome_reason", "concluded_on", "status", "updated_at"]
    )
    _refresh_clock(application)
    _audit(actor, f"application.{kind}", application, outcome=outcome)
    return application


@transaction.atomic
def application_reply(
    *,
    actor: User,
    application: Application,
    outcome: str,
    reason: str = "",
    on: date | None = None,
    on_the_spot: bool = False,
    release: Sequence[int] = (),
    privacy_override_reason: str = "",
    check_signoff: bool = False,
) -> Application:
    """答复 (第三十六条): the outcome, the reply letter, and the files released to the applicant.
    Released files with personal data findings need a recorded reason (the applicant's own
    data, say): the shield stands in front of what goes out. With `check_signoff` (the staff
    page) a reply of an agency that requires sign-off is refused: it goes through a ReplyDraft
    (reply_draft_save … reply_draft_issue), which calls this when the letter is issued."""
    application = _locked(application)
    _require_handler(actor, application)
    _move(application, Action.REPLY)
    reason = letter_text.tidy_punctuation(reason.strip())  # no “。。” on the letter or the page
    chosen, flagged = _check_reply(
        application,
        outcome=outcome,
        reason=reason,
        release=release,
        privacy_override_reason=privacy_override_reason,
    )
    if check_signoff and settings_for(application.agency).requires_signoff:
        raise WorkflowError(
            _(
                "This agency's reply letters are signed off by the head of the disclosure office: "
                "draft the reply, preview it and submit it for sign-off."
            ),
            code="signoff",
        )
    family = RULES[outcome].family
    if application.consultations.filter(answered_on__isnull=True).exists():
        raise WorkflowError(_("A consultation is still open; close it before replying."))
    on = on or today()
    for stored in chosen:
        stored.released = True
        stored.save(update_fields=["released"])
    if on_the_spot:
        if application.received_on != on:
            raise ValidationError(_("An on-the-spot reply is given on the day of receipt."))
        application.on_the_spot = True
        application.save(update_fields=["on_the_spot"])
    _conclude(
        application, actor=actor, kind=EventKind.REPLIED, outcome=outcome, on=on, reason=reason
    )
    letters.issue_letter(
        application=application,
        kind=LetterKind.REPLY,
        family=family,
        on=on,
        actor=actor,
        values=_reply_values(outcome, reason),
    )
    if flagged:
        audit_record(
            actor=actor,
            verb="application.privacy_override",
            obj=application,
            agency=application.agency,
            after={"files": flagged, "reason": privacy_override_reason.strip()},
        )
    return application


def _check_reply(
    application: Application,
    *,
    outcome: str,
    reason: str,
    release,
    privacy_override_reason: str,
) -> tuple[list[ApplicationFile], list[str]]:
    """What a reply must hold, checked alike for a draft and for the reply issued: the files
    released and, of them, the names of those with personal data findings."""
    if outcome not in Outcome.values or outcome in LAPSE_OUTCOMES:
        raise ValidationError({"outcome": [_("Choose the outcome of the reply.")]})
    family = RULES[outcome].family
    if family != OutcomeFamily.DISCLOSED and not reason:
        raise ValidationError({"reason": [_("Give the reasons; the applicant must be told why.")]})
    if outcome == Outcome.PROACTIVE and not reason:
        raise ValidationError(
            {"reason": [_("Tell the applicant where the information was published.")]}
        )
    chosen = list(application.files.filter(pk__in=list(release), kind=FileKind.PROVIDED))
    if len(chosen) != len(set(release)):
        raise ValidationError(_("Only files of the information provided can be released."))
    flagged = [f.original_name for f in chosen if f.findings]
    if flagged and not privacy_override_reason.strip():
        raise ValidationError(
            {
                "release": [
                    _(
                        "These files contain personal data: %(names)s. Mask them, or record why the applicant may receive it."
                    )
                    % {"names": "、".join(flagged)}
                ]
            }
        )
    return chosen, flagged


# --- the reply letter: draft, preview, sign-off, issue (issue 17) ---------------------------


def _locked_draft(draft: ReplyDraft) -> ReplyDraft:
    return (
        ReplyDraft.objects.select_for_update(of=("self",))
        .select_related("application__agency")
        .get(pk=draft.pk)
    )


def _draft_move(draft: ReplyDraft, action: DraftAction) -> None:
    step = DRAFTS.check(draft, action)
    draft.status = step.target or draft.status


def _draft_audit(actor, verb: str, draft: ReplyDraft, **after) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        obj=draft,
        agency=draft.application.agency,
        after={"status": draft.status, "application": draft.application_id, **after},
    )


def reply_preview(application: Application, draft: ReplyDraft, *, on: date | None = None):
    """The reply letter the draft would issue on `on` (today), unsaved and unnumbered: what the
    preview shows, from the same builder as the letter issued (letters.compose)."""
    outcome = draft.outcome
    return letters.compose(
        application=application,
        kind=LetterKind.REPLY,
        family=RULES[outcome].family,
        on=on or today(),
        values=_reply_values(outcome, draft.reason),
    )


def _reply_values(outcome: str, reason: str) -> dict[str, str]:
    return {
        "答复结果": Outcome(outcome).label.split("：", 1)[-1],
        "答复内容": reason,
        "法律依据": RULES[outcome].basis,
    }


@transaction.atomic
def reply_draft_save(
    *,
    actor: User,
    application: Application,
    outcome: str,
    reason: str = "",
    on_the_spot: bool = False,
    release: Sequence[int] = (),
    privacy_override_reason: str = "",
) -> ReplyDraft:
    """Write (or rewrite) the reply to be issued. Nothing goes out and the clock is untouched; a
    sign-off given to an earlier text no longer holds."""
    application = _locked(application)
    _require_handler(actor, application)
    MACHINE.check(application, Action.REPLY)  # the status: the workflow's message
    reason = letter_text.tidy_punctuation(reason.strip())
    _check_reply(
        application,
        outcome=outcome,
        reason=reason,
        release=release,
        privacy_override_reason=privacy_override_reason,
    )
    draft = ReplyDraft.objects.select_for_update().filter(application=application).first()
    if draft is None:
        draft = ReplyDraft(application=application)
    else:
        _draft_move(draft, DraftAction.SAVE)
    draft.outcome = outcome
    draft.reason = reason
    draft.on_the_spot = on_the_spot
    draft.release = sorted(set(int(pk) for pk in release))
    draft.privacy_override_reason = privacy_override_reason.strip()
    draft.drafted_by = actor
    draft.signed_by = None
    draft.signed_at = None
    draft.save()
    _event(
        application,
        REPLY_DRAFTED,
        on=today(),
        actor=actor,
        public=False,
        text=Outcome(outcome).label,
    )
    _draft_audit(actor, "reply_draft.save", draft, outcome=outcome)
    return draft


@transaction.atomic
def reply_draft_submit(*, actor: User, draft: ReplyDraft) -> ReplyDraft:
    """To the head of the disclosure office for sign-off."""
    draft = _locked_draft(draft)
    _require_handler(actor, draft.application)
    _draft_move(draft, DraftAction.SUBMIT)
    draft.save(update_fields=["status", "updated_at"])
    _event(draft.application, REPLY_SUBMITTED, on=today(), actor=actor, public=False)
    _draft_audit(actor, "reply_draft.submit", draft)
    return draft


@transaction.atomic
def reply_draft_sign(*, actor: User, draft: ReplyDraft) -> ReplyDraft:
    """The head of the disclosure office signs the reply off (it is then issued, not before)."""
    draft = _locked_draft(draft)
    require(permissions.can_sign_off_replies(actor, draft.application.agency))
    _draft_move(draft, DraftAction.SIGN)
    draft.signed_by = actor
    draft.signed_at = timezone.now()
    draft.save(update_fields=["status", "signed_by", "signed_at", "updated_at"])
    _event(draft.application, REPLY_SIGNED, on=today(), actor=actor, public=False)
    _draft_audit(actor, "reply_draft.sign", draft)
    return draft


@transaction.atomic
def reply_draft_return(*, actor: User, draft: ReplyDraft, note: str = "") -> ReplyDraft:
    """The head sends the reply back for changes (also a signed one, before it is issued)."""
    draft = _locked_draft(draft)
    require(permissions.can_sign_off_replies(actor, draft.application.agency))
    _draft_move(draft, DraftAction.RETURN)
    draft.signed_by = None
    draft.signed_at = None
    draft.save(update_fields=["status", "signed_by", "signed_at", "updated_at"])
    _event(
        draft.application,
        REPLY_RETURNED,
        on=today(),
        actor=actor,
        public=False,
        text=note.strip(),
    )
    _draft_audit(actor, "reply_draft.return", draft, note=note.strip())
    return draft


@transaction.atomic
def reply_draft_issue(*, actor: User, draft: ReplyDraft) -> ReplyDraft:
    """Issue the reply: numbered and dated today (the day it goes out, which is the day the
    clock stops), the application concluded, the letter's files rendered in the background.
    Where the agency requires it, only a signed-off reply is issued."""
    draft = _locked_draft(draft)
    application = draft.application
    _require_handler(actor, application)
    signoff = settings_for(application.agency).requires_signoff
    action = DraftAction.ISSUE if signoff or draft.status != "draft" else DraftAction.ISSUE_UNSIGNED
    if signoff and draft.status != "signed":
        raise WorkflowError(
            _("The head of the disclosure office has not signed this reply off yet."),
            code="signoff",
        )
    _draft_move(draft, action)
    application_reply(
        actor=actor,
        application=application,
        outcome=draft.outcome,
        reason=draft.reason,
        on=today(),
        on_the_spot=draft.on_the_spot,
        release=draft.release,
        privacy_override_reason=draft.privacy_override_reason,
    )
    letter = application.letters.filter(kind=LetterKind.REPLY).order_by("-id").first()
    draft.letter = letter
    draft.save(update_fields=["status", "letter", "updated_at"])
    _draft_audit(
        actor, "reply_draft.issue", draft, letter=letter.number if letter is not None else ""
    )
    return draft


@transaction.atomic
def application_withdraw(
    *, actor: User | None, application: Application, on: date | None = None, note: str = ""
) -> Application:
    """The applicant withdrew (in writing, recorded by the office): 表三（六）3 其他."""
    application = _locked(application)
    if actor is not None:
        _require_handler(actor, application)
    _move(application, Action.WITHDRAW)
    return _conclude(
        application,
        actor=actor,
        kind=EventKind.WITHDRAWN,
        outcome=Outcome.OTHER,
        on=on or today(),
        reason=note.strip() or _("The applicant withdrew the application."),
    )


@transaction.atomic
def application_archive(*, actor: User, application: Application) -> Application:
    application = _locked(application)
    _require_handler(actor, application)
    _move(application, Action.ARCHIVE)
    application.archived_at = timezone.now()
    application.save(update_fields=["status", "archived_at", "updated_at"])
    _event(application, ARCHIVED, on=today(), actor=actor, public=False, text=_("Archived."))
    _audit(actor, "application.archive", application)
    return application


# --- appeals (表四) ------------------------------------------------------------------------


@transaction.atomic
def appeal_record(
    *,
    actor: User,
    application: Application,
    kind: str,
    filed_on: date,
    body: str,
    case_number: str = "",
) -> Appeal:
    require(permissions.can_handle_application(actor, application.agency))
    if kind not in AppealKind.values:
        raise ValidationError(_("Unknown kind of appeal."))
    _not_future(filed_on)
    if not body.strip():
        raise ValidationError(_("Name the review body or the court."))
    appeal = Appeal.objects.create(
        application=application,
        kind=kind,
        filed_on=filed_on,
        body=body.strip()[:200],
        case_number=case_number.strip()[:100],
    )
    audit_record(
        actor=actor,
        verb="appeal.record",
        obj=appeal,
        agency=application.agency,
        after={"kind": kind, "filed_on": filed_on},
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor: User, appeal: Appeal, result: str, decided_on: date | None, note: str = ""
) -> Appeal:
    appeal = (
        Appeal.objects.select_for_update().select_related("application__agency").get(pk=appeal.pk)
    )
    require(permissions.can_handle_application(actor, appeal.application.agency))
    if result not in AppealResult.values:
        raise ValidationError(_("Choose the result."))
    if result != AppealResult.PENDING:
        if decided_on is None:
            raise ValidationError(_("Enter the date of the decision or judgment."))
        _not_future(decided_on)
        if decided_on < appeal.filed_on:
            raise ValidationError(_("The decision cannot precede the filing."))
    before = {"result": appeal.result, "decided_on": appeal.decided_on}
    appeal.result = result
    appeal.decided_on = decided_on if result != AppealResult.PENDING else None
    appeal.note = note.strip()
    appeal.save()
    audit_record(
        actor=actor,
        verb="appeal.decide",
        obj=appeal,
        agency=appeal.application.agency,
        before=before,
        after={"result": result, "decided_on": appeal.decided_on},
    )
    return appeal


# --- templates and settings ------------------------------------------------------------------


@transaction.atomic
def letter_template_update(
    *, actor: User, agency: Agency, kind: str, family: str = "", title: str, body: str
) -> LetterTemplate:
    """A new version of the agency's template; letters already issued keep theirs."""
    require(permissions.can_manage_letter_templates(actor, agency))
    if (kind, family) not in {(k, f) for k, f in _template_keys()}:
        raise ValidationError(_("Unknown letter."))
    if not title.strip() or not body.strip():
        raise ValidationError(_("A letter needs a title and a text."))
    current = letters.current_template(agency, kind, family)
    latest = (
        LetterTemplate.objects.filter(agency=agency, kind=kind, family=family)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    ) or 0
    LetterTemplate.objects.filter(agency=agency, kind=kind, family=family).update(is_current=False)
    template = LetterTemplate.objects.create(
        agency=agency,
        kind=kind,
        family=family,
        version=latest + 1,
        title=title.strip()[:100],
        body=body.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb="letter_template.update",
        obj=template,
        agency=agency,
        before={"version": current.version, "agency": current.agency_id},
        after={"version": template.version},
    )
    return template


def _template_keys():
    from .defaults import TEMPLATES

    return TEMPLATES.keys()


@transaction.atomic
def application_settings_update(*, actor: User, agency: Agency, data: dict) -> ApplicationSettings:
    require(permissions.can_manage_letter_templates(actor, agency))
    allowed_fields = {
        "number_pattern",
        "letter_pattern",
        "letter_prefix",
        "correction_period_workdays",
        "near_due_workdays",
        "plain_post_starts_on_contact",
        "fee_pauses_clock",
        "online_enabled",
        "letterhead",
        "letterhead_name",
        "contact_office",
        "requires_signoff",
    }
    unknown = set(data) - allowed_fields
    if unknown:
        raise ValidationError(
            _("Unknown settings: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    config, _created = ApplicationSettings.objects.select_for_update().get_or_create(agency=agency)
    before = {name: getattr(config, name) for name in allowed_fields}
    for name, value in data.items():
        setattr(config, name, value)
    if "letter_pattern" in data:
        letters.validate_number_pattern(config.letter_pattern)
    if "number_pattern" in data and len(re.findall(r"\{N+\}", config.number_pattern)) != 1:
        raise ValidationError(
            _("The pattern must contain exactly one serial token such as {NNNN}.")
        )
    config.full_clean()
    config.save()
    audit_record(
        actor=actor,
        verb="application_settings.update",
        obj=config,
        agency=agency,
        before=before,
        after={name: getattr(config, name) for name in allowed_fields},
    )
    return config


# --- the daily tick ------------------------------------------------------------------------


NEAR_DUE, OVERDUE = "near_due", "overdue"


def applications_tick(*, on: date | None = None, log=None) -> dict[str, int]:
    """Flag open applications near their due date or past it; record each change once. Run daily
    (`gongkai clock tick`); running it twice a day changes nothing the second time.

    A due date pending a year's holiday schedule is flagged from its provisional date, but only
    as near due: whether the legal date has passed is not known yet. One application that fails
    is logged and counted (`errors`), never stops the others."""
    on = on or today()
    calendar = current_work_calendar().lenient()
    counts = {NEAR_DUE: 0, OVERDUE: 0, "cleared": 0, "errors": 0}
    candidates = (
        Application.objects.open()
        .filter(Q(due_on__isnull=False) | Q(due_provisional__isnull=False))
        .select_related("agency")
    )
    # One settings read per agency, not per application.
    near_by_agency = dict(ApplicationSettings.objects.values_list("agency_id", "near_due_workdays"))
    default_near = ApplicationSettings._meta.get_field("near_due_workdays").default
    for application in candidates.iterator():
        try:
            flag = _tick_flag(
                application, on, calendar, near_by_agency.get(application.agency_id, default_near)
            )
            if flag == application.flag:
                if flag:
                    counts[flag] += 1
                continue
            with transaction.atomic():
                locked = _locked(application)
                locked.flag = flag
                locked.save(update_fields=["flag"])
                audit_record(
                    actor=None,
                    verb="application.flag",
                    obj=locked,
                    agency=locked.agency,
                    before={"flag": application.flag},
                    after={"flag": flag, "due_on": locked.deadline_on, "on": on},
                )
            counts[flag or "cleared"] += 1
        except Exception as exc:  # noqa: BLE001 - one bad row never stops the batch
            counts["errors"] += 1
            logger.exception("daily tick: application %s failed", application.pk)
            if log is not None:
                log(application, exc)
    return counts


def _tick_flag(application: Application, on: date, calendar, near: int) -> str:
    due = application.deadline_on
    left = calendar.workdays_between(on, due)
    if application.due_on is None:
        return NEAR_DUE if left <= near else ""
    return OVERDUE if on > due else NEAR_DUE if left <= near else ""


# --- deadlines recomputed when a holiday schedule is entered ------------------------------


def applications_recompute_pending(*, year: int, actor: User | None = None) -> list[Moved]:
    """Recompute every due date that waited for a holiday schedule (registered with
    core.deadlines, called when `year` is entered). Each change is audited and noted in the
    application's internal timeline, so its handler sees what moved."""
    moved = []
    for application in Application.objects.filter(due_pending_year__isnull=False).order_by("id"):
        try:
            with transaction.atomic():
                locked = _locked(application)
                before = (locked.due_provisional, locked.due_pending_year)
                _refresh_clock(locked)
                if (locked.due_provisional, locked.due_pending_year) == before:
                    continue
                entry = Moved(
                    agency_id=locked.agency_id,
                    kind="application",
                    label=locked.number,
                    provisional=before[0],
                    due=locked.due_on,
                    still_pending=locked.due_pending_year,
                )
                _event(
                    locked,
                    NOTE,
                    on=today(),
                    text=_(
                        "The %(year)d holiday schedule was entered: the reply due date is now "
                        "%(due)s (it was estimated as %(before)s)."
                    )
                    % {
                        "year": year,
                        "due": clock.provisional_label(locked.deadline_on, locked.due_pending_year),
                        "before": before[0].isoformat() if before[0] else "—",
                    },
                    public=False,
                )
                audit_record(
                    actor=actor,
                    verb="application.due_recomputed",
                    obj=locked,
                    agency=locked.agency,
                    before={"due_provisional": before[0], "due_pending_year": before[1]},
                    after={
                        "due_on": locked.due_on,
                        "due_provisional": locked.due_provisional,
                        "due_pending_year": locked.due_pending_year,
                        "calendar_year": year,
                    },
                )
                moved.append(entry)
        except Exception:  # noqa: BLE001 - one application never stops the year being entered
            logger.exception("due date of application %s not recomputed", application.pk)
    return moved


# --- staff pages: identity reveal and export (added with the staff pages) -------------------


@transaction.atomic
def application_reveal_identity(*, actor: User, application: Application) -> str:
    """The applicant's full document number, for the office handling the application (pages
    show it masked). Every look is audited; the number itself is not written to the trail."""
    application = Application.objects.select_related("agency").get(pk=application.pk)
    _require_handler(actor, application)
    audit_record(
        actor=actor,
        verb="application.reveal_identity",
        obj=application,
        agency=application.agency,
        after={"id_type": application.id_type},
    )
    return application.id_number


@transaction.atomic
def applications_export(*, actor: User, agency: Agency, year: int, fmt: str = "csv") -> list:
    """The agency's applications registered in `year` as export rows (document numbers
    masked, see exports.py), recorded as an `application.export` audit event."""
    from . import exports

    require(permissions.can_export_applications(actor, agency))
    rows = exports.build_rows(
        Application.objects.filter(agency=agency, year=year).order_by("number", "id")
    )
    audit_record(
        actor=actor,
        verb="application.export",
        agency=agency,
        object_type="applications.application",
        object_repr=f"{agency.short_name} {year}",
        after={"year": year, "rows": len(rows), "format": fmt},
    )
    return rows


@transaction.atomic
def application_download(*, actor: User, application: Application, what: str, name: str) -> None:
    """A staff member took a copy of one of the application's files or letters (`what`: "file"
    or "letter"): personal data leaving the system, recorded like a look at the ID number."""
    require(permissions.can_view_applications(actor, application.agency))
    audit_record(
        actor=actor,
        verb="application.download",
        obj=application,
        agency=application.agency,
        after={what: name},
    )


# --- the public status page (added with the public application pages) ----------------------

STATUS_LOOKUP_FAILED = "application.status_lookup_failed"
STATUS_LOOKUP_FAILURES_PER_HOUR = 10
LOOKUP_RATE = throttle.Rate(
    scope="applications.lookup",
    limit=STATUS_LOOKUP_FAILURES_PER_HOUR,
    window=timedelta(hours=1),
    message=gettext_lazy(
        "Too many unsuccessful look-ups from this network in the last hour; try again later."
    ),
)


@transaction.atomic
def application_status_lookup(
    *, agency: Agency, number: str, code: str, ip: str = ""
) -> Application | None:
    """The applicant's own application, by its number and 查询码; None when they do not match.

    Every failed lookup is recorded as an audit event carrying a hash of the client's address
    and counted by the public limiter: after STATUS_LOOKUP_FAILURES_PER_HOUR failures from one
    address within an hour, every lookup from it is refused (RateLimited), so that query codes
    cannot be guessed."""
    from .selectors import find_for_applicant

    def failed(application: Application | None) -> None:
        audit_record(
            actor=None,
            verb=STATUS_LOOKUP_FAILED,
            agency=agency,
            object_type="applications.application",
            object_id=str(application.pk) if application is not None else "",
            object_repr=(number or "").strip()[:40],
            after={"ip_hash": hash_ip(ip)},
        )

    return intake.lookup(
        rate=LOOKUP_RATE,
        ip=ip,
        find=lambda: find_for_applicant(agency, number),
        code=code,
        kind=QUERY_CODE,
        failed=failed,
    )


def decoy_submission(*, agency: Agency, ip: str = "") -> intake.Decoy:
    """The answer to a submission that filled the form's honeypot (gongkai.core.intake): a
    number in the agency's pattern and a query code, stored nowhere."""
    year = timezone.localdate().year
    pattern = settings_for(agency).number_pattern or DEFAULT_NUMBER_PATTERN
    return intake.decoy_answer(
        agency=agency,
        form="applications.application",
        ip=ip,
        number=lambda serial: letters.format_number(pattern, prefix="", year=year, serial=serial),
    )
