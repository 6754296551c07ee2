"""An application withdrawn by the applicant, or archived once concluded."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.models import User

from ..clock import EventKind
from ..models import ARCHIVED, Application
from ..outcomes import Outcome
from ..workflow import MACHINE, Action
from .common import _check, _event, _locked, today
from .conclusion import _conclude


@transaction.atomic
def application_withdraw(
    *, actor: User | None, application: Application, on: date | None = None, note: str = ""
) -> Application:
    """The applicant withdrew (in writing, recorded by the office): 表三（六）3 其他."""
    application = _locked(application)
    _check(actor, application, Action.WITHDRAW)
    return _conclude(
        application,
        Action.WITHDRAW,
        actor=actor,
        kind=EventKind.WITHDRAWN,
        outcome=Outcome.OTHER,
        on=on or today(),
        reason=note.strip() or _("The applicant withdrew the application."),
    )


@transaction.atomic
def application_archive(*, actor: User, application: Application) -> Application:
    application = _locked(application)
    application.archived_at = timezone.now()
    # the step's guard (who, then the status), the status, the save and the audit event
    MACHINE.apply(application, Action.ARCHIVE, actor=actor)
    _event(application, ARCHIVED, on=today(), actor=actor, public=False, text=_("Archived."))
    return application
