"""The bodies of the applications API: what each endpoint answers (and the payloads built for
it) and what each takes. The OpenAPI schema names each after its class."""

from datetime import date, datetime

from ninja import Field, Schema

from gongkai.applications import masking, permissions, services
from gongkai.applications.models import Application, Fee
from gongkai.applications.outcomes import RULES
from gongkai.applications.workflow import allowed_actions
from gongkai.core import intake

# --- output -------------------------------------------------------------------------------


class ApplicationFields(Schema):
    id: int
    number: str = Field(description="申请编号")
    year: int
    agency: str = Field(description="Agency URL name (slug)")
    status: str
    status_label: str
    channel: str
    channel_label: str
    applicant_type: str
    applicant_type_label: str
    applicant_name: str
    id_type: str
    id_number: str = Field(description="Masked")
    phone: str = Field(description="Masked")
    information: str
    submitted_at: datetime
    received_on: date | None
    due_on: date | None = Field(description="The legal reply due date; null while it is pending")
    due_pending_year: int | None = Field(
        description="The due date waits for this year's holiday schedule to be entered"
    )
    due_provisional: date | None = Field(
        description="While pending: a provisional due date, never later than the legal one (预估)"
    )
    clock_paused: bool
    flag: str = Field(description="near_due, overdue or empty")
    handler: str | None = Field(description="Username of the handler")
    outcome: str
    outcome_label: str
    concluded_on: date | None


class ApplicationRowOut(ApplicationFields):
    """An application in a list (the ID number and phone masked)."""

    @staticmethod
    def resolve_agency(obj: Application) -> str:
        return obj.agency.slug

    @staticmethod
    def resolve_status_label(obj: Application) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_channel_label(obj: Application) -> str:
        return obj.get_channel_display()

    @staticmethod
    def resolve_applicant_type_label(obj: Application) -> str:
        return obj.get_applicant_type_display()

    @staticmethod
    def resolve_id_number(obj: Application) -> str:
        return masking.masked_id(obj.id_type, obj.id_number)

    @staticmethod
    def resolve_phone(obj: Application) -> str:
        return masking.masked_phone(obj.phone)

    @staticmethod
    def resolve_handler(obj: Application) -> str | None:
        return obj.handler.username if obj.handler_id else None

    @staticmethod
    def resolve_outcome_label(obj: Application) -> str:
        return obj.get_outcome_display() if obj.outcome else ""


class StepOut(Schema):
    on: date
    text: str
    due: date | None


class ClockOut(Schema):
    state: str
    received_on: date | None
    due_on: date | None = Field(description="The legal reply due date; null while it is pending")
    due_pending_year: int | None
    due_provisional: date | None = Field(
        description="While pending: a provisional due date, never later than the legal one (预估)"
    )
    provisional: bool = Field(description="True while a pause runs: the date moves each day")
    correction_notice_due: date | None
    correction_late: bool
    paused_workdays: int
    extension_workdays: int
    steps: list[StepOut]


class EventOut(Schema):
    on: date
    kind: str
    text: str
    public: bool
    actor: str | None


class ConsultationOut(Schema):
    id: int
    kind: str
    kind_label: str
    addressee: str
    sent_on: date
    reply_due: date
    answered_on: date | None
    reply: str
    note: str


class FeeOut(Schema):
    schedule: str
    count: int
    amount: int
    breakdown: dict
    notified_on: date
    pay_by: date
    paid_on: date | None
    receipt_number: str


class AppealOut(Schema):
    id: int
    kind: str
    kind_label: str
    filed_on: date
    body: str
    case_number: str
    result: str
    result_label: str
    decided_on: date | None
    note: str


class LetterOut(Schema):
    id: int
    kind: str
    number: str = Field(description="文号")
    title: str
    addressee: str
    issued_on: date
    for_applicant: bool
    body: str


class FileOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    findings: int
    released: bool


class ApplicationOut(ApplicationFields):
    """One application as its office sees it: contact details, the clock and its history."""

    phone: str
    email: str
    address: str
    postcode: str
    legal_representative: str
    contact_person: str
    document_number: str
    forms: list[str]
    delivery: str
    fee_waiver_requested: bool
    outcome_reason: str
    outcome_row_2021: str = Field(description="表三 row the outcome counts in (2021 format)")
    on_the_spot: bool
    clock: ClockOut
    events: list[EventOut]
    consultations: list[ConsultationOut]
    fee: FeeOut | None
    appeals: list[AppealOut]
    letters: list[LetterOut]
    files: list[FileOut]
    allowed_actions: list[str]


class PublicLetterOut(Schema):
    number: str
    title: str
    kind: str
    issued_on: date


class PublicEventOut(Schema):
    on: date
    text: str


class StatusOut(Schema):
    """What the applicant sees after giving the 申请编号 and the 查询码."""

    number: str
    agency: str
    applicant: str = Field(description="The applicant's name, masked")
    status: str
    status_label: str
    submitted_at: datetime
    received_on: date | None
    due_on: date | None = Field(description="The legal reply due date; null while it is pending")
    due_pending_year: int | None
    due_provisional: date | None = Field(
        description="While pending: a provisional due date, never later than the legal one (预估)"
    )
    provisional: bool
    clock_steps: list[StepOut]
    timeline: list[PublicEventOut]
    letters: list[PublicLetterOut]
    correction_requested: bool = Field(description="A correction is awaited from the applicant")
    correction_due: date | None


class SubmittedOut(Schema):
    number: str = Field(description="申请编号")
    query_code: str | None = Field(
        description="查询码, shown once; null when the same submission_token was sent before"
    )
    created: bool
    status: str
    status_url_hint: str = Field(description="How to look the application up later")


def due_fields(result) -> dict:
    pending = result.pending_year
    return {
        "due_on": result.due_on if pending is None else None,
        "due_pending_year": pending,
        "due_provisional": result.due_on if pending is not None else None,
    }


def clock_payload(result) -> dict:
    return {
        "state": str(result.state),
        "received_on": result.received_on,
        **due_fields(result),
        "provisional": result.provisional,
        "correction_notice_due": result.correction_notice_due,
        "correction_late": result.correction_late,
        "paused_workdays": result.paused_workdays,
        "extension_workdays": result.extension_workdays,
        "steps": [{"on": s.on, "text": s.text, "due": s.due} for s in result.steps],
    }


def detail_payload(application: Application, user) -> dict:
    """The detail payload: the row fields plus what the office needs to handle the case (the
    contact details in full only for the office that handles it, as on the staff page)."""
    row = ApplicationRowOut.from_orm(application).model_dump()
    fee = Fee.objects.filter(application=application).first()
    contact = masking.contact(
        application, full=permissions.can_handle_application(user, application.agency)
    )
    return {
        **row,
        "phone": contact.phone,
        "email": contact.email,
        "address": contact.address,
        "postcode": contact.postcode,
        "legal_representative": application.legal_representative,
        "contact_person": contact.contact_person,
        "document_number": application.document_number,
        "forms": list(application.forms or []),
        "delivery": application.delivery,
        "fee_waiver_requested": application.fee_waiver_requested,
        "outcome_reason": application.outcome_reason,
        "outcome_row_2021": RULES[application.outcome].row_2021 if application.outcome else "",
        "on_the_spot": application.on_the_spot,
        "clock": clock_payload(services.compute_clock(application)),
        "events": [
            {
                "on": e.on,
                "kind": e.kind,
                "text": e.text,
                "public": e.public,
                "actor": e.actor.username if e.actor_id else None,
            }
            for e in application.events.select_related("actor").order_by("on", "id")
        ],
        "consultations": [
            {
                "id": c.pk,
                "kind": c.kind,
                "kind_label": c.get_kind_display(),
                "addressee": c.addressee,
                "sent_on": c.sent_on,
                "reply_due": c.reply_due,
                "answered_on": c.answered_on,
                "reply": c.reply,
                "note": c.note,
            }
            for c in application.consultations.all()
        ],
        "fee": FeeOut.from_orm(fee).model_dump() if fee else None,
        "appeals": [
            {
                "id": a.pk,
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "filed_on": a.filed_on,
                "body": a.body,
                "case_number": a.case_number,
                "result": a.result,
                "result_label": a.get_result_display(),
                "decided_on": a.decided_on,
                "note": a.note,
            }
            for a in application.appeals.all()
        ],
        "letters": [
            LetterOut.from_orm(letter).model_dump() for letter in application.letters.all()
        ],
        "files": [FileOut.from_orm(f).model_dump() for f in application.files.all()],
        # the steps this user may take now: the machine's guards, as on the staff page
        "allowed_actions": [str(action) for action in allowed_actions(user, application)],
    }


# --- input --------------------------------------------------------------------------------


class ApplicantIn(Schema):
    """第二十九条. Plain strings on purpose: the service checks them and explains what is wrong in
    the applicant's words, the same messages as the online form."""

    applicant_type: str = Field(description="natural_person, commercial, research, …")
    applicant_name: str = Field(max_length=200)
    id_type: str = Field(description="resident_id, passport, …, credit_code")
    id_number: str = Field(max_length=60)
    phone: str = Field(max_length=40)
    information: str = Field(description="The information sought", max_length=10000)
    delivery: str = Field(description="post, email, collect, online")
    forms: list[str] = Field([], description="paper, email, disc, inspect")
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=200)
    postcode: str = Field("", max_length=10)
    legal_representative: str = Field("", max_length=50)
    contact_person: str = Field("", max_length=50)
    document_number: str = Field("", max_length=100)
    fee_waiver_requested: bool = False

    def to_input(self) -> services.ApplicationInput:
        return services.ApplicationInput(**self.model_dump(include=APPLICANT_FIELDS))


APPLICANT_FIELDS = frozenset(ApplicantIn.model_fields)


class PublicSubmitIn(ApplicantIn):
    agency: str = Field(description="The agency's URL name (slug)")
    submission_token: str = Field(
        "",
        max_length=intake.TOKEN_MAX_LENGTH,
        description="Any unique string; the same token twice creates one",
    )


class StaffSubmitIn(ApplicantIn):
    agency: str = Field(description="The agency's URL name (slug)")
    channel: str = Field(description="in_person, post_signed, post_plain, online, fax, oral")
    received_on: date | None = Field(
        None, description="Date of receipt (in person, signed post, oral); default today"
    )
    submitted_at: datetime | None = Field(None, description="When it arrived; default now")
    submission_token: str = Field("", max_length=intake.TOKEN_MAX_LENGTH)


class StatusIn(Schema):
    agency: str = Field(description="The agency's URL name (slug)")
    number: str = Field(max_length=40, description="申请编号")
    query_code: str = Field(max_length=20, description="查询码")


class CorrectionPublicIn(StatusIn):
    text: str = Field(max_length=5000)


class ListFilters(Schema):
    agency: str | None = Field(None, description="Agency URL name (slug)")
    status: str | None = Field(None, description="A status, or 'open'")
    flag: str | None = Field(None, description="near_due or overdue")
    q: str | None = Field(None, max_length=100, description="Number or words of the request")


class DateIn(Schema):
    on: date | None = Field(None, description="Default today")


class ConfirmIn(Schema):
    received_on: date | None = Field(None, description="Default today")


class AssignIn(Schema):
    handler: str = Field(description="Username of an officer or office head of the agency")


class NoteIn(Schema):
    text: str = Field(max_length=5000)


class CorrectionRequestIn(DateIn):
    items: str = Field(description="Everything the applicant must correct, at once")
    period_workdays: int | None = Field(None, ge=1, le=60)


class CorrectionReceiveIn(DateIn):
    text: str = Field(max_length=5000)


class ConsultationStartIn(Schema):
    kind: str = Field(description="third_party or agency")
    addressee: str = Field(max_length=200)
    sent_on: date | None = None


class ConsultationCloseIn(Schema):
    reply: str = Field(description="agree, disagree or silent")
    answered_on: date | None = None
    note: str = ""


class ExtendIn(DateIn):
    days: int = Field(ge=1, le=20)
    reason: str


class FeeNotifyIn(DateIn):
    schedule: str = Field(description="per_item or per_page")
    pages: int = Field(0, ge=0)


class FeePayIn(Schema):
    paid_on: date | None = None
    receipt_number: str = Field("", max_length=60)


class FeeQuoteIn(Schema):
    schedule: str = Field(description="per_item or per_page")
    pages: int = Field(0, ge=0)


class FeeQuoteOut(Schema):
    amount: int
    breakdown: dict


class ReplyIn(DateIn):
    outcome: str = Field(description="An outcome code (see outcomes.py)")
    reason: str = ""
    on_the_spot: bool = False
    release: list[int] = Field([], description="Ids of files of the information provided")
    privacy_override_reason: str = ""


class ReplyDraftIn(Schema):
    """The reply to be issued after sign-off: no date, the letter is dated the day it is issued."""

    outcome: str = Field(description="An outcome code (see outcomes.py)")
    reason: str = ""
    on_the_spot: bool = False
    release: list[int] = Field([], description="Ids of files of the information provided")
    privacy_override_reason: str = ""


class ReplyReturnIn(Schema):
    note: str = ""


class WithdrawIn(DateIn):
    note: str = ""


class AppealIn(Schema):
    kind: str = Field(description="review, litigation_direct or litigation_after_review")
    filed_on: date
    body: str = Field(max_length=200)
    case_number: str = Field("", max_length=100)


class AppealDecideIn(Schema):
    result: str = Field(description="maintained, corrected, other or pending")
    decided_on: date | None = None
    note: str = ""
