"""延期 (第三十三条)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.models import User

from .. import clock, letters
from ..clock import EventKind
from ..models import Application
from ..taxonomy import LetterKind
from ..workflow import EXTEND, MACHINE
from .common import _check, _clock_fields, _event, _locked, _not_future, compute_clock, today

# --- extension (第三十三条) ---------------------------------------------------------------


@transaction.atomic
def application_extend(
    *, actor: User, application: Application, days: int, reason: str, on: date | None = None
) -> Application:
    application = _locked(application)
    _check(actor, application, EXTEND)
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
    after = _clock_fields(application)  # the new due date, for the letter
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
    # a step of the machine that changes no status: saved and audited as every step
    MACHINE.apply(application, EXTEND, actor=actor, after={"days": days}, check_permission=False)
    return application
