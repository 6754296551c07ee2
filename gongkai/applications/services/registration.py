"""Registration: an application submitted or registered, receipt confirmed, assigned, noted."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import intake, throttle
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.core.sequences import next_value

from .. import letters, permissions
from ..clock import EventKind
from ..models import (
    ASSIGNED,
    DEFAULT_NUMBER_PATTERN,
    NOTE,
    Application,
    ApplicationEvent,
    NumberSequence,
)
from ..taxonomy import CONFIRMED_CHANNELS, Channel
from ..workflow import MACHINE, Action
from .common import (
    QUERY_CODE,
    SUBMIT_RATE,
    WorkflowError,
    _apply,
    _audit,
    _check,
    _event,
    _locked,
    _not_future,
    _refresh_clock,
    _require_handler,
    hash_ip,
    settings_for,
    today,
)
from .inputs import ApplicationInput, validate_input

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
    if received_on is not None:
        # received at registration (in person, by phone): created in the status the machine's
        # receipt leads to; the submission's audit event records it
        application.received_on = received_on
        MACHINE.move(application, Action.CONFIRM_RECEIPT)
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
        _receipt_event(application, received_on, actor)
    _refresh_clock(application)
    audit_record(
        actor=actor,
        verb="application.submit",
        obj=application,
        agency=agency,
        after={"number": application.number, "channel": channel, "status": application.status},
    )
    return Submitted(application, code, True)


def _receipt_event(application: Application, on: date, actor) -> None:
    _event(application, EventKind.RECEIVED, on=on, actor=actor, text=_("Receipt confirmed."))


@transaction.atomic
def application_confirm_receipt(
    *, actor: User, application: Application, received_on: date | None = None
) -> Application:
    """第三十一条: for plain letters, the internet and fax, the day both sides confirm."""
    application = _locked(application)
    _check(actor, application, Action.CONFIRM_RECEIPT)
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
    application.received_on = received_on
    _receipt_event(application, received_on, actor)
    _apply(application, Action.CONFIRM_RECEIPT, actor=actor, received_on=received_on)
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
    _event(
        application,
        ASSIGNED,
        on=on,
        actor=actor,
        public=False,
        text=_("Assigned to %(name)s.") % {"name": handler.get_full_name() or handler.username},
    )
    if MACHINE.target(Action.ACCEPT, application.status) is not None:
        # a received application is taken on by its handler: the machine's step, audited
        # under the assignment's verb
        MACHINE.apply(
            application,
            Action.ACCEPT,
            actor=actor,
            after={"handler": handler.pk},
            check_permission=False,
        )
    else:
        application.save(update_fields=["handler", "updated_at"])
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
