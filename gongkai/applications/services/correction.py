"""补正 (第三十条): requested once, received, or lapsed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.models import User
from gongkai.core.selectors import current_work_calendar

from .. import letters
from ..clock import EventKind
from ..models import Application, FileKind
from ..outcomes import Outcome
from ..taxonomy import LetterKind
from ..workflow import MACHINE, Action
from .common import (
    WorkflowError,
    _apply,
    _check,
    _clock_fields,
    _event,
    _locked,
    _not_future,
    settings_for,
    today,
)
from .conclusion import _conclude
from .stored_files import _inspect_file, _store_file

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
    _check(actor, application, Action.REQUEST_CORRECTION)
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
    letters.issue_letter(
        application=application,
        kind=LetterKind.CORRECTION,
        on=on,
        actor=actor,
        values={"补正事项": items, "补正期限": letters.chinese_date(deadline)},
    )
    # the audit says whether the request came late, which the clock recomputed tells
    result = _clock_fields(application)
    MACHINE.apply(
        application,
        Action.REQUEST_CORRECTION,
        actor=actor,
        after={"late": result.correction_late},
        check_permission=False,
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
    _check(actor, application, Action.RECEIVE_CORRECTION)
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
    _apply(application, Action.RECEIVE_CORRECTION, actor=actor, files=len(uploads))
    return application


@transaction.atomic
def application_lapse_correction(
    *, actor: User | None, application: Application, on: date | None = None
) -> Application:
    """No correction by the deadline: 视为放弃申请 (第三十条), 表三（六）1."""
    application = _locked(application)
    _check(actor, application, Action.LAPSE_CORRECTION)
    on = on or today()
    deadline = correction_deadline(application)
    if deadline is not None and on <= deadline:
        raise ValidationError(
            _("The correction period runs until %(date)s.") % {"date": deadline.isoformat()}
        )
    return _conclude(
        application,
        Action.LAPSE_CORRECTION,
        actor=actor,
        kind=EventKind.CORRECTION_LAPSED,
        outcome=Outcome.NO_CORRECTION,
        on=on,
    )
