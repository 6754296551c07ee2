"""征求意见 (第三十二条, 第三十四条): the clock paused while a party is consulted."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.models import User
from gongkai.core.selectors import current_work_calendar

from .. import clock, letters
from ..clock import EventKind
from ..models import Application, Consultation
from ..taxonomy import ConsultationKind, ConsultationReply, LetterKind
from ..workflow import CONSULTATION_CLOSE, MACHINE, Action
from .common import (
    WorkflowError,
    _apply,
    _audit,
    _check,
    _event,
    _locked,
    _not_future,
    _refresh_clock,
    today,
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
    _check(actor, application, Action.START_CONSULTATION)
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
    _apply(application, Action.START_CONSULTATION, actor=actor, consultation=consultation.pk)
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
        # who may close one; its status is not checked: an opinion may still arrive for an
        # application withdrawn meanwhile
        MACHINE.require(actor, application, Action.END_CONSULTATION)
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
    if not still_open and MACHINE.target(Action.END_CONSULTATION, application.status):
        # the last one answered: the machine's step takes the office back to its work
        _apply(
            application,
            Action.END_CONSULTATION,
            actor=actor,
            consultation=consultation.pk,
            reply=reply,
        )
    else:
        _refresh_clock(application)
        _audit(actor, CONSULTATION_CLOSE, application, consultation=consultation.pk, reply=reply)
    return consultation
