"""复议 and 诉讼 (表四)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.models import User
from gongkai.core.permissions import require

from .. import permissions
from ..models import Appeal, Application
from ..taxonomy import AppealKind, AppealResult
from .common import _not_future

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
