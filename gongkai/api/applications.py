"""依申请公开 in the API: the staff workflow with a token, and the applicant's public endpoints.

Every write calls the same service as the staff and portal pages; permissions, validation, the
clock and auditing happen there. Another agency's application answers 404, a step the user may
not take 403, a step the status does not allow 409, invalid input 400 with the field errors.

The public endpoints need no credentials. The status lookup takes the 申请编号 and the 查询码 in
the body of a POST (never in a URL, which ends up in logs), answers 404 alike for an unknown
number and a wrong code, and returns nothing of the applicant but a masked name.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from gongkai.applications import masking, selectors, services
from gongkai.applications.models import Appeal, Application, Consultation, ReplyDraft
from gongkai.applications.taxonomy import Channel
from gongkai.applications.workflow import DRAFTS, DraftAction, awaiting_correction
from gongkai.core.context import client_ip
from gongkai.core.models import Agency

from .application_schemas import (
    AppealDecideIn,
    AppealIn,
    ApplicationOut,
    ApplicationRowOut,
    AssignIn,
    ConfirmIn,
    ConsultationCloseIn,
    ConsultationStartIn,
    CorrectionPublicIn,
    CorrectionReceiveIn,
    CorrectionRequestIn,
    DateIn,
    ExtendIn,
    FeeNotifyIn,
    FeePayIn,
    FeeQuoteIn,
    FeeQuoteOut,
    ListFilters,
    NoteIn,
    PublicSubmitIn,
    ReplyDraftIn,
    ReplyIn,
    ReplyReturnIn,
    StaffSubmitIn,
    StatusIn,
    StatusOut,
    SubmittedOut,
    WithdrawIn,
    detail_payload,
    due_fields,
)
from .auth import token_auth
from .errors import ERROR_RESPONSES, ErrorOut
from .pagination import Pagination

router = Router(auth=token_auth)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
STAFF_RESPONSES = {401: ErrorOut, **ERROR_RESPONSES}
PUBLIC_RESPONSES = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}
STAFF_TAGS = ["applications (staff)"]
PUBLIC_TAGS = ["applications (public)"]


def install_errors(api: NinjaAPI) -> None:
    """A step the workflow does not allow is a conflict (409, as for catalogue items); too many
    submissions from one network is 429. Both are ValidationErrors, so these handlers must be
    registered on the API to take precedence over the generic 400."""

    def body(code: str, exc: ValidationError) -> dict:
        if hasattr(exc, "error_dict"):
            errors = {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        detail = " ".join(m for messages in errors.values() for m in messages)
        return {"code": code, "detail": detail, "errors": errors, "findings": []}

    @api.exception_handler(services.WorkflowError)
    def illegal_step(request, exc):
        return api.create_response(request, body("illegal_transition", exc), status=409)

    @api.exception_handler(services.RateLimited)
    def rate_limited(request, exc):
        response = api.create_response(request, body("rate_limited", exc), status=429)
        response["Retry-After"] = "3600"
        return response


# --- helpers ------------------------------------------------------------------------------


def _staff_application(request, application_id: int) -> Application:
    return get_object_or_404(selectors.applications_visible_to(request.auth), pk=application_id)


def _fresh(request, application: Application) -> dict:
    """The detail of an application after a step, read again through the user's scope."""
    return detail_payload(_staff_application(request, application.pk), request.auth)


def _active_agency(slug: str) -> Agency:
    agency = Agency.objects.active().filter(slug=slug).first()
    if agency is None:
        raise ValidationError({"agency": [_("There is no agency with this URL name.")]})
    return agency


def _client_ip(request) -> str:
    # The one proxy-aware address (X-Forwarded-For only from trusted proxies): behind a proxy
    # REMOTE_ADDR is the proxy's, and every applicant would share one quota.
    return client_ip(request) or ""


def _not_found() -> HttpStatus:
    return HttpStatus(
        404,
        {
            "code": "not_found",
            "detail": _("No application matches this number and query code."),
            "errors": {},
            "findings": [],
        },
    )


def _applicant_view(request, payload: StatusIn) -> Application | None:
    """The application the applicant named, or None for an unknown agency or number or a wrong
    code: one answer for all, so that the API confirms no numbers. Failed look-ups are counted
    per network by the service, which refuses further tries for a while (429)."""
    agency = Agency.objects.active().filter(slug=payload.agency).first()
    if agency is None:
        return None
    return services.application_status_lookup(
        agency=agency, number=payload.number, code=payload.query_code, ip=_client_ip(request)
    )


def _status_payload(application: Application) -> dict:
    result = services.compute_clock(application)
    awaiting = awaiting_correction(application)
    return {
        "number": application.number,
        "agency": application.agency.slug,
        "applicant": masking.masked_name(application.applicant_type, application.applicant_name),
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "submitted_at": application.submitted_at,
        "received_on": application.received_on,
        **due_fields(result),
        "provisional": result.provisional,
        "clock_steps": [{"on": s.on, "text": s.text, "due": s.due} for s in result.steps],
        "timeline": [{"on": e.on, "text": e.text} for e in selectors.public_timeline(application)],
        "letters": [
            {"number": x.number, "title": x.title, "kind": x.kind, "issued_on": x.issued_on}
            for x in selectors.letters_for_applicant(application)
        ],
        "correction_requested": awaiting,
        "correction_due": services.correction_deadline(application) if awaiting else None,
    }


# --- public -------------------------------------------------------------------------------


@router.post(
    "/public/submit",
    auth=None,
    response={201: SubmittedOut, 200: SubmittedOut, **PUBLIC_RESPONSES},
    tags=PUBLIC_TAGS,
    summary="Apply for government information online (第二十九条)",
)
def public_submit(request, payload: PublicSubmitIn):
    result = services.application_submit(
        agency=_active_agency(payload.agency),
        data=payload.to_input(),
        channel=Channel.ONLINE,
        submission_token=payload.submission_token.strip(),
        ip=_client_ip(request),
    )
    body = {
        "number": result.application.number,
        "query_code": result.query_code or None,
        "created": result.created,
        "status": result.application.status,
        "status_url_hint": _(
            "Keep the application number and the query code: with both you can follow the "
            "application on the agency's website."
        ),
    }
    return HttpStatus(201 if result.created else 200, body)


@router.post(
    "/public/status",
    auth=None,
    response={200: StatusOut, **PUBLIC_RESPONSES},
    tags=PUBLIC_TAGS,
    summary="The status of an application, by 申请编号 and 查询码",
)
def public_status(request, payload: StatusIn):
    application = _applicant_view(request, payload)
    if application is None:
        return _not_found()
    return _status_payload(application)


@router.post(
    "/public/correction",
    auth=None,
    response={200: StatusOut, 409: ErrorOut, **PUBLIC_RESPONSES},
    tags=PUBLIC_TAGS,
    summary="Send the correction (补正) the office asked for (第三十条)",
)
def public_correction(request, payload: CorrectionPublicIn):
    application = _applicant_view(request, payload)
    if application is None:
        return _not_found()
    application = services.application_receive_correction(
        application=application, text=payload.text
    )
    return _status_payload(application)


# --- staff: reads -------------------------------------------------------------------------


@router.get(
    "/",
    response={200: list[ApplicationRowOut], 401: ErrorOut},
    tags=STAFF_TAGS,
    summary="Applications of the agencies you may read (ID numbers masked)",
)
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def application_list(request, filters: Query[ListFilters]):
    rows = selectors.applications_visible_to(request.auth)
    if filters.agency:
        rows = rows.filter(agency__slug=filters.agency)
    if filters.status == "open":
        rows = rows.open()
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.flag:
        rows = rows.filter(flag=filters.flag)
    if filters.q:
        rows = rows.filter(Q(number__icontains=filters.q) | Q(information__icontains=filters.q))
    return rows.order_by(
        "concluded_on", Coalesce("due_on", "due_provisional"), "-submitted_at", "-id"
    )


@router.get(
    "/{int:application_id}",
    response={200: ApplicationOut, **STAFF_RESPONSES},
    tags=STAFF_TAGS,
    summary="One application: contact details, the clock step by step, history, letters",
)
def application_detail(request, application_id: int):
    return detail_payload(_staff_application(request, application_id), request.auth)


@router.get(
    "/{int:application_id}/fee-quote",
    response={200: FeeQuoteOut, **STAFF_RESPONSES},
    tags=STAFF_TAGS,
    summary="What a fee notice would charge, with its breakdown (nothing is sent)",
)
def application_fee_quote(request, application_id: int, params: Query[FeeQuoteIn]):
    application = _staff_application(request, application_id)
    amount, breakdown = services.fee_quote(
        application, schedule=params.schedule, pages=params.pages
    )
    return {"amount": amount, "breakdown": breakdown}


# --- staff: writes ------------------------------------------------------------------------


@router.post(
    "/",
    response={201: ApplicationOut, 200: ApplicationOut, **STAFF_RESPONSES},
    tags=STAFF_TAGS,
    summary="Register an application received in person, by post, fax, orally or online",
)
def application_register(request, payload: StaffSubmitIn):
    agency = _active_agency(payload.agency)
    submitted_at = payload.submitted_at
    if submitted_at is not None and timezone.is_naive(submitted_at):
        submitted_at = timezone.make_aware(submitted_at)
    result = services.application_submit(
        agency=agency,
        data=payload.to_input(),
        channel=payload.channel,
        actor=request.auth,
        received_on=payload.received_on,
        submission_token=payload.submission_token.strip(),
        submitted_at=submitted_at,
    )
    return HttpStatus(201 if result.created else 200, _fresh(request, result.application))


def _step(path: str, summary: str):
    return router.post(
        path, response={200: ApplicationOut, **STAFF_RESPONSES}, tags=STAFF_TAGS, summary=summary
    )


@_step("/{int:application_id}/confirm", "Confirm receipt (第三十一条): the clock starts")
def application_confirm(request, application_id: int, payload: ConfirmIn):
    application = services.application_confirm_receipt(
        actor=request.auth,
        application=_staff_application(request, application_id),
        received_on=payload.received_on,
    )
    return _fresh(request, application)


@_step("/{int:application_id}/assign", "Assign a handler")
def application_assign(request, application_id: int, payload: AssignIn):
    application = _staff_application(request, application_id)
    handler = selectors.handlers_for(application.agency).filter(username=payload.handler).first()
    if handler is None:
        raise ValidationError(
            {"handler": [_("The handler must work in this agency's disclosure office.")]}
        )
    application = services.application_assign(
        actor=request.auth, application=application, handler=handler
    )
    return _fresh(request, application)


@_step("/{int:application_id}/notes", "Add an internal note (never shown to the applicant)")
def application_note(request, application_id: int, payload: NoteIn):
    application = _staff_application(request, application_id)
    services.application_note(actor=request.auth, application=application, text=payload.text)
    return _fresh(request, application)


@_step("/{int:application_id}/correction/request", "Request a correction (第三十条), once")
def correction_request(request, application_id: int, payload: CorrectionRequestIn):
    application = services.application_request_correction(
        actor=request.auth,
        application=_staff_application(request, application_id),
        items=payload.items,
        on=payload.on,
        period_workdays=payload.period_workdays,
    )
    return _fresh(request, application)


@_step("/{int:application_id}/correction/receive", "Record the correction received")
def correction_receive(request, application_id: int, payload: CorrectionReceiveIn):
    application = services.application_receive_correction(
        actor=request.auth,
        application=_staff_application(request, application_id),
        text=payload.text,
        on=payload.on,
    )
    return _fresh(request, application)


@_step("/{int:application_id}/correction/lapse", "No correction in time: deemed abandoned")
def correction_lapse(request, application_id: int, payload: DateIn):
    application = services.application_lapse_correction(
        actor=request.auth,
        application=_staff_application(request, application_id),
        on=payload.on,
    )
    return _fresh(request, application)


@_step("/{int:application_id}/consultations", "Consult a third party or another agency")
def consultation_start(request, application_id: int, payload: ConsultationStartIn):
    application = _staff_application(request, application_id)
    services.consultation_start(
        actor=request.auth,
        application=application,
        kind=payload.kind,
        addressee=payload.addressee,
        sent_on=payload.sent_on,
    )
    return _fresh(request, application)


@_step(
    "/{int:application_id}/consultations/{int:consultation_id}/close",
    "Record the opinion received, or silence after 15 working days",
)
def consultation_close(
    request, application_id: int, consultation_id: int, payload: ConsultationCloseIn
):
    application = _staff_application(request, application_id)
    consultation = get_object_or_404(Consultation, application=application, pk=consultation_id)
    services.consultation_close(
        actor=request.auth,
        consultation=consultation,
        reply=payload.reply,
        answered_on=payload.answered_on,
        note=payload.note,
    )
    return _fresh(request, application)


@_step("/{int:application_id}/extend", "Extend the reply period (第三十三条; office head only)")
def application_extend(request, application_id: int, payload: ExtendIn):
    application = services.application_extend(
        actor=request.auth,
        application=_staff_application(request, application_id),
        days=payload.days,
        reason=payload.reason,
        on=payload.on,
    )
    return _fresh(request, application)


@_step("/{int:application_id}/fee/notify", "Send a fee notice (one schedule, once)")
def fee_notify(request, application_id: int, payload: FeeNotifyIn):
    application = _staff_application(request, application_id)
    services.fee_notify(
        actor=request.auth,
        application=application,
        schedule=payload.schedule,
        pages=payload.pages,
        on=payload.on,
    )
    return _fresh(request, application)


@_step("/{int:application_id}/fee/pay", "Record the payment of the fee")
def fee_pay(request, application_id: int, payload: FeePayIn):
    application = _staff_application(request, application_id)
    services.fee_record_payment(
        actor=request.auth,
        application=application,
        paid_on=payload.paid_on,
        receipt_number=payload.receipt_number,
    )
    return _fresh(request, application)


@_step("/{int:application_id}/fee/lapse", "Fee unpaid in time: deemed abandoned")
def fee_lapse(request, application_id: int, payload: DateIn):
    application = services.fee_lapse(
        actor=request.auth,
        application=_staff_application(request, application_id),
        on=payload.on,
    )
    return _fresh(request, application)


@_step(
    "/{int:application_id}/reply",
    "Reply (第三十六条): the outcome and the reply letter at once, where the agency does not "
    "require sign-off (otherwise 409: use reply-draft, then submit, sign and issue)",
)
def application_reply(request, application_id: int, payload: ReplyIn):
    application = services.application_reply(
        check_signoff=True,
        actor=request.auth,
        application=_staff_application(request, application_id),
        outcome=payload.outcome,
        reason=payload.reason,
        on=payload.on,
        on_the_spot=payload.on_the_spot,
        release=payload.release,
        privacy_override_reason=payload.privacy_override_reason,
    )
    return _fresh(request, application)


@_step("/{int:application_id}/withdraw", "Record that the applicant withdrew")
def application_withdraw(request, application_id: int, payload: WithdrawIn):
    application = services.application_withdraw(
        actor=request.auth,
        application=_staff_application(request, application_id),
        on=payload.on,
        note=payload.note,
    )
    return _fresh(request, application)


def _reply_draft(request, application_id: int, step: DraftAction):
    """The application's reply draft; who may take the step is checked first (the drafts'
    machine, on an unsaved draft of the application), so that a user who may not take it is
    refused whether or not there is a draft."""
    application = _staff_application(request, application_id)
    DRAFTS.require(request.auth, ReplyDraft(application=application), step)
    draft = ReplyDraft.objects.filter(application=application).first()
    if draft is None:
        raise ValidationError(_("There is no reply draft to act on."))
    return application, draft


@_step(
    "/{int:application_id}/reply-draft",
    "Draft the reply (第三十六条): previewed and signed off before it is issued",
)
def reply_draft_save(request, application_id: int, payload: ReplyDraftIn):
    application = _staff_application(request, application_id)
    services.reply_draft_save(
        actor=request.auth,
        application=application,
        outcome=payload.outcome,
        reason=payload.reason,
        on_the_spot=payload.on_the_spot,
        release=payload.release,
        privacy_override_reason=payload.privacy_override_reason,
    )
    return _fresh(request, application)


@_step("/{int:application_id}/reply-draft/submit", "Submit the reply draft for sign-off")
def reply_draft_submit(request, application_id: int):
    application, draft = _reply_draft(request, application_id, DraftAction.SUBMIT)
    services.reply_draft_submit(actor=request.auth, draft=draft)
    return _fresh(request, application)


@_step(
    "/{int:application_id}/reply-draft/sign",
    "Sign the reply off (the head of the disclosure office)",
)
def reply_draft_sign(request, application_id: int):
    application, draft = _reply_draft(request, application_id, DraftAction.SIGN)
    services.reply_draft_sign(actor=request.auth, draft=draft)
    return _fresh(request, application)


@_step(
    "/{int:application_id}/reply-draft/return",
    "Return the reply draft for changes (the head of the disclosure office)",
)
def reply_draft_return(request, application_id: int, payload: ReplyReturnIn):
    application, draft = _reply_draft(request, application_id, DraftAction.RETURN)
    services.reply_draft_return(actor=request.auth, draft=draft, note=payload.note)
    return _fresh(request, application)


@_step(
    "/{int:application_id}/reply-draft/issue",
    "Issue the reply letter: numbered and dated today, the application concluded",
)
def reply_draft_issue(request, application_id: int):
    application, draft = _reply_draft(request, application_id, DraftAction.ISSUE)
    services.reply_draft_issue(actor=request.auth, draft=draft)
    return _fresh(request, application)


@_step("/{int:application_id}/archive", "Archive a concluded application")
def application_archive(request, application_id: int):
    application = services.application_archive(
        actor=request.auth, application=_staff_application(request, application_id)
    )
    return _fresh(request, application)


@_step("/{int:application_id}/appeals", "Record a 行政复议 or 行政诉讼 about the application")
def appeal_record(request, application_id: int, payload: AppealIn):
    application = _staff_application(request, application_id)
    services.appeal_record(
        actor=request.auth,
        application=application,
        kind=payload.kind,
        filed_on=payload.filed_on,
        body=payload.body,
        case_number=payload.case_number,
    )
    return _fresh(request, application)


@_step(
    "/{int:application_id}/appeals/{int:appeal_id}/decide",
    "Record the result of a 复议 or 诉讼 (or that it is still pending)",
)
def appeal_decide(request, application_id: int, appeal_id: int, payload: AppealDecideIn):
    application = _staff_application(request, application_id)
    appeal = get_object_or_404(Appeal, application=application, pk=appeal_id)
    services.appeal_decide(
        actor=request.auth,
        appeal=appeal,
        result=payload.result,
        decided_on=payload.decided_on,
        note=payload.note,
    )
    return _fresh(request, application)
