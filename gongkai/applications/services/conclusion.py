"""The conclusion of an application: the reply (答复) and what it must hold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.models import User

from .. import letter_text, letters
from ..clock import EventKind
from ..models import Application, ApplicationFile, FileKind
from ..outcomes import LAPSE_OUTCOMES, RULES, Outcome, OutcomeFamily
from ..taxonomy import LetterKind
from ..workflow import Action
from .common import (
    WorkflowError,
    _apply,
    _check,
    _event,
    _locked,
    _not_future,
    settings_for,
    today,
)

# --- conclusion ------------------------------------------------------------------------------


def _conclude(
    application: Application,
    action: Action,
    *,
    actor,
    kind: str,
    outcome: str,
    on: date,
    reason: str = "",
) -> Application:
    """The machine's concluding step (`action`: reply, withdrawal, a lapse) with its outcome
    and its clock event `kind`."""
    _not_future(on)
    application.outcome = outcome
    application.outcome_reason = reason
    application.concluded_on = on
    _event(application, kind, on=on, actor=actor, text=reason or Outcome(outcome).label)
    _apply(application, action, actor=actor, outcome=outcome)
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
    _check(actor, application, Action.REPLY)
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
        application.on_the_spot = True  # saved with the step
    _conclude(
        application,
        Action.REPLY,
        actor=actor,
        kind=EventKind.REPLIED,
        outcome=outcome,
        on=on,
        reason=reason,
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


def _reply_values(outcome: str, reason: str) -> dict[str, str]:
    return {
        "答复结果": Outcome(outcome).label.split("：", 1)[-1],
        "答复内容": reason,
        "法律依据": RULES[outcome].basis,
    }
