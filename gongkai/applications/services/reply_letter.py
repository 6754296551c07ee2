"""The reply letter before it goes out: draft, preview, sign-off, issue (issue 17)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.models import User
from gongkai.core.permissions import require

from .. import letter_text, letters, permissions
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
from .common import WorkflowError, _event, _locked, _require_handler, settings_for, today
from .conclusion import _check_reply, _reply_values, application_reply

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
