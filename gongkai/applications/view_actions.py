"""The actions of an application's staff page as data: each with its form and the one service it
calls (ACTIONS), and the panel that offers them in order of the next legal step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from . import (
    forms,
    reply_views,
    selectors,
    services,
)
from .models import (
    FileKind,
)
from .taxonomy import AppealResult


@dataclass(frozen=True)
class ActionSpec:
    """One action of the application page: its form and the one service it calls."""

    make_form: Callable  # (application, *, data, files, prefix) -> Form
    run: Callable  # (actor, application, form) -> object
    done: str
    title: str = ""  # the form's heading and button on the page
    hint: str = ""
    secondary: bool = False  # a step that ends the application without an answer


def _plain(form_class):
    return lambda application, **kwargs: form_class(**kwargs)


def _on(form):
    return form.cleaned_data.get("on")


def _upload(form) -> list[tuple[str, bytes]]:
    upload = form.cleaned_data.get("upload")
    return [(upload.name, upload.read())] if upload else []


ACTIONS: dict[str, ActionSpec] = {
    "confirm_receipt": ActionSpec(
        _plain(forms.ConfirmReceiptForm),
        lambda actor, app, form: services.application_confirm_receipt(
            actor=actor, application=app, received_on=form.cleaned_data["received_on"]
        ),
        gettext_lazy("Receipt confirmed; the reply clock is running."),
        title=gettext_lazy("Confirm receipt"),
        hint=gettext_lazy(
            "For plain letters, faxes and online applications: the day both sides confirmed (Article 31)."
        ),
    ),
    "assign": ActionSpec(
        lambda app, **kwargs: forms.AssignForm(
            handlers=selectors.handlers_for(app.agency).order_by("username"), **kwargs
        ),
        lambda actor, app, form: services.application_assign(
            actor=actor, application=app, handler=form.cleaned_data["handler"]
        ),
        gettext_lazy("Handler assigned."),
        title=gettext_lazy("Assign a handler"),
    ),
    "note": ActionSpec(
        _plain(forms.NoteForm),
        lambda actor, app, form: services.application_note(
            actor=actor, application=app, text=form.cleaned_data["text"]
        ),
        gettext_lazy("Note added."),
        title=gettext_lazy("Add an internal note"),
        hint=gettext_lazy("Never shown to the applicant."),
    ),
    "request_correction": ActionSpec(
        _plain(forms.RequestCorrectionForm),
        lambda actor, app, form: services.application_request_correction(
            actor=actor,
            application=app,
            items=form.cleaned_data["items"],
            on=_on(form),
            period_workdays=form.cleaned_data["period_workdays"],
        ),
        gettext_lazy("Correction requested; the notice has been issued."),
        title=gettext_lazy("Request a correction"),
    ),
    "receive_correction": ActionSpec(
        _plain(forms.ReceiveCorrectionForm),
        lambda actor, app, form: services.application_receive_correction(
            actor=actor,
            application=app,
            text=form.cleaned_data["text"],
            uploads=_upload(form),
            on=_on(form),
        ),
        gettext_lazy("Correction recorded; the reply clock starts again."),
        title=gettext_lazy("Record the correction received"),
        hint=gettext_lazy(
            "When the applicant corrected on paper or by phone; online corrections are recorded automatically."
        ),
    ),
    "lapse_correction": ActionSpec(
        _plain(forms.DateOnlyForm),
        lambda actor, app, form: services.application_lapse_correction(
            actor=actor, application=app, on=_on(form)
        ),
        gettext_lazy("Recorded: no correction in time, the application is deemed abandoned."),
        title=gettext_lazy("No correction in time"),
        hint=gettext_lazy("The application is deemed abandoned (Article 30)."),
        secondary=True,
    ),
    "start_consultation": ActionSpec(
        _plain(forms.ConsultationStartForm),
        lambda actor, app, form: services.consultation_start(
            actor=actor,
            application=app,
            kind=form.cleaned_data["kind"],
            addressee=form.cleaned_data["addressee"],
            sent_on=form.cleaned_data["sent_on"],
        ),
        gettext_lazy("Consultation started; the clock is paused."),
        title=gettext_lazy("Start a consultation"),
        hint=gettext_lazy(
            "Third party (Article 32) or other agency (Article 34): 15 working days; the clock is paused."
        ),
    ),
    "close_consultation": ActionSpec(
        lambda app, **kwargs: forms.ConsultationCloseForm(
            consultations=app.consultations.filter(answered_on__isnull=True), **kwargs
        ),
        lambda actor, app, form: services.consultation_close(
            actor=actor,
            consultation=form.cleaned_data["consultation"],
            reply=form.cleaned_data["reply"],
            answered_on=form.cleaned_data["answered_on"],
            note=form.cleaned_data["note"],
        ),
        gettext_lazy("Consultation closed."),
        title=gettext_lazy("Close a consultation"),
        hint=gettext_lazy(
            "Silence counts only after the 15 working days: as consent for another agency; for a third party the agency decides."
        ),
    ),
    "extend": ActionSpec(
        _plain(forms.ExtendForm),
        lambda actor, app, form: services.application_extend(
            actor=actor,
            application=app,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
            on=_on(form),
        ),
        gettext_lazy("Reply period extended; the notice has been issued."),
        title=gettext_lazy("Extend the reply period"),
        hint=gettext_lazy(
            "At most 20 working days in all, with the consent of the head of the disclosure office (Article 33); the applicant is sent a notice."
        ),
    ),
    "fee_notify": ActionSpec(
        _plain(forms.FeeNoticeForm),
        lambda actor, app, form: services.fee_notify(
            actor=actor,
            application=app,
            schedule=form.cleaned_data["schedule"],
            pages=form.cleaned_data["pages"] or 0,
            on=_on(form),
        ),
        gettext_lazy("Fee notice issued; the clock is paused until payment."),
        title=gettext_lazy("Fee notice"),
        hint=gettext_lazy(
            "One schedule per application, never both. Calculate first: the notice states the amount and its breakdown."
        ),
    ),
    "record_payment": ActionSpec(
        _plain(forms.PaymentForm),
        lambda actor, app, form: services.fee_record_payment(
            actor=actor,
            application=app,
            paid_on=form.cleaned_data["paid_on"],
            receipt_number=form.cleaned_data["receipt_number"],
        ),
        gettext_lazy("Payment recorded."),
        title=gettext_lazy("Record the payment"),
    ),
    "lapse_fee": ActionSpec(
        _plain(forms.DateOnlyForm),
        lambda actor, app, form: services.fee_lapse(actor=actor, application=app, on=_on(form)),
        gettext_lazy("Recorded: the fee was not paid in time."),
        title=gettext_lazy("Fee not paid in time"),
        hint=gettext_lazy("The application is deemed abandoned."),
        secondary=True,
    ),
    "reply": ActionSpec(
        lambda app, **kwargs: forms.ReplyForm(
            files_provided=app.files.filter(kind=FileKind.PROVIDED),
            initial=reply_views.draft_initial(app),
            **kwargs,
        ),
        # The page drafts the reply; it is previewed, signed off where the agency requires it
        # and issued (numbered, dated) from the reply letter's section (reply_views).
        lambda actor, app, form: services.reply_draft_save(
            actor=actor,
            application=app,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            on_the_spot=form.cleaned_data["on_the_spot"],
            release=form.release_ids(),
            privacy_override_reason=form.cleaned_data["privacy_override_reason"],
        ),
        gettext_lazy("Reply drafted: check the letter's preview below before it is issued."),
        title=gettext_lazy("Reply"),
        hint=gettext_lazy(
            "The outcome decides the reply letter and the row of the annual report. Files with personal data are released only with a recorded reason."
        ),
    ),
    "withdraw": ActionSpec(
        _plain(forms.WithdrawForm),
        lambda actor, app, form: services.application_withdraw(
            actor=actor, application=app, on=_on(form), note=form.cleaned_data["note"]
        ),
        gettext_lazy("Withdrawal recorded."),
        title=gettext_lazy("Record a withdrawal"),
        secondary=True,
    ),
    "archive": ActionSpec(
        _plain(forms.EmptyForm),
        lambda actor, app, form: services.application_archive(actor=actor, application=app),
        gettext_lazy("Archived."),
        title=gettext_lazy("Archive"),
    ),
    "file_add": ActionSpec(
        _plain(forms.FileForm),
        lambda actor, app, form: services.application_file_add(
            actor=actor,
            application=app,
            name=form.cleaned_data["upload"].name,
            data=form.cleaned_data["upload"].read(),
            kind=form.cleaned_data["kind"],
        ),
        gettext_lazy("File added."),
        title=gettext_lazy("Add a file"),
        hint=gettext_lazy(
            "The information provided is scanned for personal data; a file with findings is released only with a recorded reason."
        ),
    ),
    "record_appeal": ActionSpec(
        _plain(forms.AppealRecordForm),
        lambda actor, app, form: services.appeal_record(
            actor=actor, application=app, **form.cleaned_data
        ),
        gettext_lazy("Appeal recorded."),
        title=gettext_lazy("Record a review or lawsuit"),
    ),
    "decide_appeal": ActionSpec(
        lambda app, **kwargs: forms.AppealDecideForm(
            appeals=app.appeals.filter(result=AppealResult.PENDING), **kwargs
        ),
        lambda actor, app, form: services.appeal_decide(
            actor=actor,
            appeal=form.cleaned_data["appeal"],
            result=form.cleaned_data["result"],
            decided_on=form.cleaned_data["decided_on"],
            note=form.cleaned_data["note"],
        ),
        gettext_lazy("Appeal result recorded."),
        title=gettext_lazy("Record the result"),
    ),
}


# The actions of the page's panel, in the order they show; the others sit in their sections
# (notes in the timeline, files, appeals).
PANEL = [
    name for name in ACTIONS if name not in ("note", "file_add", "record_appeal", "decide_appeal")
]
# The next legal step, by precedence: the first of these the page offers is shown first and in
# full, every other action of the panel folded below it (第三十一条 receipt, 第三十条 补正,
# 第三十二/三十四条 consultation, the fee, 第三十三条 reply, then 第四十五条 archive).
NEXT_STEPS = (
    "confirm_receipt",
    "receive_correction",
    "close_consultation",
    "record_payment",
    "reply",
    "archive",
)


@dataclass(frozen=True)
class PanelAction:
    name: str
    spec: ActionSpec
    form: object


def _panel(
    action_forms: dict, *, reply_first: bool = False
) -> tuple[PanelAction | None, list[PanelAction]]:
    """(the next legal step or None, the other actions of the panel). With `reply_first`
    the reply letter's own step is the next one (reply_views.next_step): every action of the
    panel is among the others."""
    shown = [PanelAction(n, ACTIONS[n], action_forms[n]) for n in PANEL if n in action_forms]
    steps = () if reply_first else NEXT_STEPS
    first = next((n for n in steps if n in action_forms), None)
    return (
        next((a for a in shown if a.name == first), None),
        [a for a in shown if a.name != first],
    )
