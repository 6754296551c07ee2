"""The reply letter on the application page: the draft's preview and its way out (issue 17).

The page's "reply" form saves a ReplyDraft (services.reply_draft_save); this section shows the
letter it would issue, rendered from the same Layout as the DOCX and the PDF, and the steps the
draft allows: submit for sign-off, sign off or return (the head of the disclosure office), issue.
Each step is a POST to the page's action URL (do/<name>/), one service each.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy

from gongkai.core.models import Task
from gongkai.core.views_helpers import report_error, status_for

from . import services
from .letters import RENDER_TASK, own_signoff_refusal
from .models import Application, ReplyDraft, ReplyDraftStatus
from .permissions import can_sign_off_replies
from .render import Layout, layout
from .workflow import DRAFTS, DraftAction

# name of the step on the page → (service, message after it)
STEPS = {
    "reply_submit": (
        lambda actor, draft, note: services.reply_draft_submit(actor=actor, draft=draft),
        gettext_lazy("Reply submitted to the head of the disclosure office for sign-off."),
    ),
    "reply_sign": (
        lambda actor, draft, note: services.reply_draft_sign(actor=actor, draft=draft),
        gettext_lazy("Reply signed off; it can be issued now."),
    ),
    "reply_return": (
        lambda actor, draft, note: services.reply_draft_return(actor=actor, draft=draft, note=note),
        gettext_lazy("Reply returned for changes."),
    ),
    "reply_issue": (
        lambda actor, draft, note: services.reply_draft_issue(actor=actor, draft=draft),
        gettext_lazy(
            "Reply letter issued: numbered and dated today; its DOCX and PDF are being generated."
        ),
    ),
}


@dataclass(frozen=True)
class ReplySection:
    draft: ReplyDraft
    preview: Layout | None  # None once issued (the letter itself is listed with the letters)
    requires_signoff: bool
    can: dict[str, bool]
    # why a head of the office sees no sign-off button on a reply awaiting it: they drafted it
    own_draft: str = ""


def draft_of(application: Application) -> ReplyDraft | None:
    """The application's reply draft, read once per page (kept on the instance)."""
    if not hasattr(application, "_reply_draft_read"):
        application._reply_draft_read = (
            ReplyDraft.objects.filter(application=application)
            .select_related("drafted_by", "signed_by", "letter")
            .first()
        )
    return application._reply_draft_read


def open_for_drafting(application: Application) -> bool:
    """The reply form is offered while there is no draft or the draft is with the office (not
    before the head, not signed off: a change then goes through returning it)."""
    draft = draft_of(application)
    return draft is None or draft.status == ReplyDraftStatus.DRAFT


def draft_initial(application: Application) -> dict:
    """The reply form filled with the open draft, so that a change starts from it."""
    draft = draft_of(application)
    if draft is None or draft.status == ReplyDraftStatus.ISSUED:
        return {}
    return {
        "outcome": draft.outcome,
        "reason": draft.reason,
        "on_the_spot": draft.on_the_spot,
        "release": draft.release,
        "privacy_override_reason": draft.privacy_override_reason,
    }


def section(user, agency, application: Application) -> ReplySection | None:
    draft = draft_of(application)
    if draft is None:
        return None
    requires = services.settings_for(agency).requires_signoff
    steps = set(DRAFTS.actions(user, draft))  # the machine's guards
    issued = draft.status == ReplyDraftStatus.ISSUED
    can = {
        "reply_submit": requires and DraftAction.SUBMIT in steps,
        "reply_sign": DraftAction.SIGN in steps,
        "reply_return": DraftAction.RETURN in steps,
        # without the sign-off a draft (or one signed before the rule changed) is issued
        "reply_issue": DraftAction.ISSUE in steps
        or (not requires and DraftAction.ISSUE_UNSIGNED in steps),
    }
    preview = None if issued else layout(services.reply_preview(application, draft))
    own = ""
    if draft.status == ReplyDraftStatus.AWAITING_SIGNOFF and can_sign_off_replies(user, agency):
        own = own_signoff_refusal(user, draft)
    return ReplySection(
        draft=draft, preview=preview, requires_signoff=requires, can=can, own_draft=own
    )


def next_step(reply: ReplySection | None) -> str | None:
    """The reply's step the page's 下一步 points to, for a user who may take it now: a reply
    awaiting the head's sign-off, then a signed-off reply to issue. It comes before the
    application's other steps: the reply concludes the application."""
    if reply is None:
        return None
    status = reply.draft.status
    if status == ReplyDraftStatus.AWAITING_SIGNOFF and reply.can["reply_sign"]:
        return "reply_sign"
    if status == ReplyDraftStatus.SIGNED and reply.can["reply_issue"]:
        return "reply_issue"
    return None


def render_states(letters) -> dict[int, str]:
    """Letter pk → the status of its latest rendering task (queued, running, done, failed), for
    the letters whose files are not stored yet: the page says 生成中 or that it failed."""
    waiting = [letter.pk for letter in letters if not (letter.docx and letter.pdf)]
    if not waiting:
        return {}
    states: dict[int, str] = {}
    rows = Task.objects.filter(name=RENDER_TASK, payload__letter__in=waiting).order_by("id")
    for task in rows.only("payload", "status"):
        states[task.payload.get("letter")] = task.status  # the latest wins
    return states


def step(request, agency_key, pk, name):
    """POST do/reply_*/: one step of the draft, then back to the application page."""
    from . import views  # the page's lookups and renderer (views imports this module)

    agency = views._agency(request, agency_key)
    application = views._application(request, agency, pk)
    draft = ReplyDraft.objects.filter(application=application).first()
    run, done = STEPS[name]
    try:
        if draft is None:
            raise ValidationError(gettext_lazy("There is no reply draft to act on."))
        run(request.user, draft, request.POST.get(f"{name}-note", ""))
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc)
        return views._detail_page(request, agency, application, status=status_for(exc))
    messages.success(request, str(done))
    return views._detail_url(agency, application)
