"""The reply letter before it goes out: draft, preview, sign-off, issue (issue 17)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.models import User

from .. import letter_text, letters
from ..models import (
    REPLY_DRAFTED,
    REPLY_RETURNED,
    REPLY_SIGNED,
    REPLY_SUBMITTED,
    Application,
    ReplyDraft,
)
from ..outcomes import RULES, Outcome
from ..taxonomy import LetterKind
from ..workflow import DRAFTS, MACHINE, Action, DraftAction
from .common import WorkflowError, _event, _locked, settings_for, today
from .conclusion import _check_reply, _reply_values, application_reply

# --- the reply letter: draft, preview, sign-off, issue (issue 17) ---------------------------


def _locked_draft(draft: ReplyDraft) -> ReplyDraft:
    return (
        ReplyDraft.objects.select_for_update(of=("self",))
        .select_related("application__agency")
        .get(pk=draft.pk)
    )


def _draft_apply(
    draft: ReplyDraft, action: DraftAction, *, actor, check_permission: bool = True, **after
) -> None:
    """The draft's step on its machine: the guard (who, then the status), the status, the
    save and the audit event, under the application's agency."""
    DRAFTS.apply(
        draft,
        action,
        actor=actor,
        agency=draft.application.agency,
        after={"application": draft.application_id, **after},
        check_permission=check_permission,
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
    MACHINE.check(application, Action.REPLY, actor=actor)  # who, then the workflow's message
    reason = letter_text.tidy_punctuation(reason.strip())
    _check_reply(
        application,
        outcome=outcome,
        reason=reason,
        release=release,
        privacy_override_reason=privacy_override_reason,
    )
    draft = ReplyDraft.objects.select_for_update().filter(application=application).first()
    first = draft is None
    if draft is None:
        draft = ReplyDraft(application=application)
    draft.outcome = outcome
    draft.reason = reason
    draft.on_the_spot = on_the_spot
    draft.release = sorted(set(int(pk) for pk in release))
    draft.privacy_override_reason = privacy_override_reason.strip()
    draft.drafted_by = actor
    draft.signed_by = None
    draft.signed_at = None
    if first:
        # the first draft is created in the status it starts from: no step
        draft.save()
        audit_record(
            actor=actor,
            verb="reply_draft.save",
            obj=draft,
            agency=application.agency,
            after={"status": draft.status, "application": application.pk, "outcome": outcome},
        )
    else:
        _draft_apply(draft, DraftAction.SAVE, actor=actor, check_permission=False, outcome=outcome)
    _event(
        application,
        REPLY_DRAFTED,
        on=today(),
        actor=actor,
        public=False,
        text=Outcome(outcome).label,
    )
    return draft


@transaction.atomic
def reply_draft_submit(*, actor: User, draft: ReplyDraft) -> ReplyDraft:
    """To the head of the disclosure office for sign-off."""
    draft = _locked_draft(draft)
    _draft_apply(draft, DraftAction.SUBMIT, actor=actor)
    _event(draft.application, REPLY_SUBMITTED, on=today(), actor=actor, public=False)
    return draft


@transaction.atomic
def reply_draft_sign(*, actor: User, draft: ReplyDraft) -> ReplyDraft:
    """The head of the disclosure office signs the reply off (it is then issued, not before)."""
    draft = _locked_draft(draft)
    letters.refuse_own_signoff(actor, draft)  # four eyes, with its own message
    draft.signed_by = actor
    draft.signed_at = timezone.now()
    _draft_apply(draft, DraftAction.SIGN, actor=actor)  # refused: nothing is saved
    _event(draft.application, REPLY_SIGNED, on=today(), actor=actor, public=False)
    return draft


@transaction.atomic
def reply_draft_return(*, actor: User, draft: ReplyDraft, note: str = "") -> ReplyDraft:
    """The head sends the reply back for changes (also a signed one, before it is issued)."""
    draft = _locked_draft(draft)
    draft.signed_by = None
    draft.signed_at = None
    _draft_apply(draft, DraftAction.RETURN, actor=actor, note=note.strip())
    _event(
        draft.application,
        REPLY_RETURNED,
        on=today(),
        actor=actor,
        public=False,
        text=note.strip(),
    )
    return draft


@transaction.atomic
def reply_draft_issue(*, actor: User, draft: ReplyDraft) -> ReplyDraft:
    """Issue the reply: numbered and dated today (the day it goes out, which is the day the
    clock stops), the application concluded, the letter's files rendered in the background.
    Where the agency requires it, only a signed-off reply is issued."""
    draft = _locked_draft(draft)
    application = draft.application
    signoff = settings_for(application.agency).requires_signoff
    unsigned = not signoff and DraftAction.ISSUE_UNSIGNED in DRAFTS.possible(draft.status)
    action = DraftAction.ISSUE_UNSIGNED if unsigned else DraftAction.ISSUE
    DRAFTS.require(actor, draft, action)
    if signoff and DraftAction.ISSUE not in DRAFTS.possible(draft.status):
        raise WorkflowError(
            _("The head of the disclosure office has not signed this reply off yet."),
            code="signoff",
        )
    DRAFTS.check(draft, action)  # the status, before the reply goes out
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
    number = letter.number if letter is not None else ""
    _draft_apply(draft, action, actor=actor, check_permission=False, letter=number)
    return draft
