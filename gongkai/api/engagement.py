"""The engagement API: 回应解读 records and 找错 reports for staff (token), and the public 找错
intake — submit a report, read its status and reply with the reference number and check code.

Every write calls the same service as the staff pages; another agency's record answers 404.
A reporter's contact is never returned in clear.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from gongkai.catalogue.models import Item
from gongkai.core import intake
from gongkai.core.context import client_ip
from gongkai.core.selectors import agencies_visible_to
from gongkai.core.sites import public_agencies
from gongkai.engagement import selectors, services
from gongkai.engagement.models import ErrorReport, Incident, Interpretation, PressConference
from gongkai.engagement.taxonomy import (
    ConferenceRole,
    ErrorOutcome,
    ErrorStatus,
    ErrorType,
    IncidentKind,
    IncidentLevel,
    IncidentSource,
    IncidentStatus,
    InterpretationForm,
    ResponseChannel,
)

from .auth import token_auth
from .errors import ERROR_RESPONSES, ErrorOut
from .pagination import Pagination

router = Router(auth=token_auth)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
STAFF_RESPONSES = {401: ErrorOut, **ERROR_RESPONSES}
STAFF = ["engagement (staff)"]
PUBLIC = ["engagement (public)"]


def _code(value) -> str:
    return str(value.value) if hasattr(value, "value") else str(value)


def _agency(request, slug: str):
    agency = agencies_visible_to(request.auth).filter(slug=slug).first()
    if agency is None:
        raise ValidationError({"agency": _("You have no agency with the URL name “%s”.") % slug})
    return agency


class AgencyFilter(Schema):
    agency: str | None = Field(None, description="Agency URL name (slug)")
    year: int | None = Field(None, ge=1900, le=2100)


# --- incidents -----------------------------------------------------------------------------


class ResponseOut(Schema):
    id: int
    channel: str
    channel_label: str
    responded_on: date
    summary: str
    url: str

    @staticmethod
    def resolve_channel_label(obj) -> str:
        return obj.get_channel_display()


class IncidentOut(Schema):
    id: int
    agency: str = Field(alias="agency.slug")
    kind: str
    topic: str
    source: str
    source_label: str
    first_seen_on: date
    level: str
    description: str
    handling: str
    status: str
    status_label: str
    closed_on: date | None
    responses: list[ResponseOut]

    @staticmethod
    def resolve_source_label(obj) -> str:
        return obj.get_source_display()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_responses(obj) -> list:
        return list(obj.responses.all())


class IncidentIn(Schema):
    agency: str
    topic: str = Field(min_length=1, max_length=200)
    source: IncidentSource
    first_seen_on: date
    kind: IncidentKind = IncidentKind.OPINION
    level: IncidentLevel = IncidentLevel.ORDINARY
    description: str = ""
    handling: str = ""


class IncidentFilter(AgencyFilter):
    status: IncidentStatus | None = None


class ResponseIn(Schema):
    channel: ResponseChannel
    responded_on: date
    summary: str = Field(min_length=1)
    url: str = ""


class CloseIn(Schema):
    closed_on: date | None = None
    handling: str = ""


def _incident(request, pk: int) -> Incident:
    return get_object_or_404(
        selectors.incidents_visible_to(request.auth).prefetch_related("responses"), pk=pk
    )


@router.get("/incidents", response={200: list[IncidentOut], 401: ErrorOut}, tags=STAFF)
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def incident_list(request, filters: Query[IncidentFilter]):
    """Hot topics and 舆情 of the agencies you may read."""
    found = (
        selectors.incidents_visible_to(request.auth)
        .prefetch_related("responses")
        .order_by("-first_seen_on", "-id")
    )
    if filters.agency:
        found = found.filter(agency__slug=filters.agency)
    if filters.year:
        found = found.filter(first_seen_on__year=filters.year)
    if filters.status:
        found = found.filter(status=_code(filters.status))
    return found


@router.post("/incidents", response={201: IncidentOut, **STAFF_RESPONSES}, tags=STAFF)
def incident_create(request, payload: IncidentIn):
    """Record a hot topic or 舆情."""
    data = payload.model_dump()
    agency = _agency(request, data.pop("agency"))
    incident = services.incident_create(
        actor=request.auth,
        agency=agency,
        **{k: _code(v) if k in {"source", "kind", "level"} else v for k, v in data.items()},
    )
    return Status(201, _incident(request, incident.pk))


@router.post(
    "/incidents/{incident_id}/responses",
    response={201: IncidentOut, **STAFF_RESPONSES},
    tags=STAFF,
)
def incident_respond(request, incident_id: int, payload: ResponseIn):
    """Record a public response (the incident becomes 已回应)."""
    services.incident_respond(
        actor=request.auth,
        incident=_incident(request, incident_id),
        channel=_code(payload.channel),
        responded_on=payload.responded_on,
        summary=payload.summary,
        url=payload.url,
    )
    return Status(201, _incident(request, incident_id))


@router.post(
    "/incidents/{incident_id}/close", response={200: IncidentOut, **STAFF_RESPONSES}, tags=STAFF
)
def incident_close(request, incident_id: int, payload: CloseIn):
    services.incident_close(
        actor=request.auth,
        incident=_incident(request, incident_id),
        closed_on=payload.closed_on,
        handling=payload.handling,
    )
    return _incident(request, incident_id)


# --- press conferences ---------------------------------------------------------------------


class ConferenceOut(Schema):
    id: int
    agency: str = Field(alias="agency.slug")
    held_on: date
    topic: str
    role: str
    speakers: str
    principal_attended: bool
    venue: str
    incident_id: int | None


class ConferenceIn(Schema):
    agency: str
    held_on: date
    topic: str = Field(min_length=1, max_length=200)
    speakers: str = Field(min_length=1, max_length=300)
    role: ConferenceRole = ConferenceRole.HELD
    principal_attended: bool = False
    venue: str = ""
    incident_id: int | None = None


@router.get("/conferences", response={200: list[ConferenceOut], 401: ErrorOut}, tags=STAFF)
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def conference_list(request, filters: Query[AgencyFilter]):
    """新闻发布会 the agencies you may read held or attended."""
    found = selectors.conferences_visible_to(request.auth).order_by("-held_on", "-id")
    if filters.agency:
        found = found.filter(agency__slug=filters.agency)
    if filters.year:
        found = found.filter(held_on__year=filters.year)
    return found


@router.post("/conferences", response={201: ConferenceOut, **STAFF_RESPONSES}, tags=STAFF)
def conference_create(request, payload: ConferenceIn):
    agency = _agency(request, payload.agency)
    incident = None
    if payload.incident_id is not None:
        incident = Incident.objects.filter(agency=agency, pk=payload.incident_id).first()
        if incident is None:
            raise ValidationError({"incident_id": _("This agency has no such incident.")})
    conference = services.conference_create(
        actor=request.auth,
        agency=agency,
        held_on=payload.held_on,
        topic=payload.topic,
        speakers=payload.speakers,
        role=_code(payload.role),
        principal_attended=payload.principal_attended,
        venue=payload.venue,
        incident=incident,
    )
    return Status(201, PressConference.objects.select_related("agency").get(pk=conference.pk))


# --- interpretations -----------------------------------------------------------------------


class InterpretationOut(Schema):
    id: int
    agency: str = Field(alias="agency.slug")
    policy_id: int
    item_id: int | None
    title: str
    form: str
    form_label: str
    published_on: date
    url: str

    @staticmethod
    def resolve_form_label(obj) -> str:
        return obj.get_form_display()


class InterpretationIn(Schema):
    agency: str
    policy_id: int = Field(description="The catalogue item interpreted")
    form: InterpretationForm
    title: str = Field("", max_length=300)
    published_on: date | None = None
    item_id: int | None = Field(None, description="The interpretation's own catalogue item")
    url: str = ""


@router.get("/interpretations", response={200: list[InterpretationOut], 401: ErrorOut}, tags=STAFF)
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def interpretation_list(request, filters: Query[AgencyFilter]):
    found = selectors.interpretations_visible_to(request.auth).order_by("-published_on", "-id")
    if filters.agency:
        found = found.filter(agency__slug=filters.agency)
    if filters.year:
        found = found.filter(published_on__year=filters.year)
    return found


def _item_of(agency, pk: int | None, field: str) -> Item | None:
    if pk is None:
        return None
    item = Item.objects.filter(agency=agency, pk=pk).first()
    if item is None:
        raise ValidationError({field: _("This agency has no item with id %d.") % pk})
    return item


@router.post("/interpretations", response={201: InterpretationOut, **STAFF_RESPONSES}, tags=STAFF)
def interpretation_create(request, payload: InterpretationIn):
    agency = _agency(request, payload.agency)
    made = services.interpretation_create(
        actor=request.auth,
        agency=agency,
        policy=_item_of(agency, payload.policy_id, "policy_id"),
        form=_code(payload.form),
        title=payload.title,
        published_on=payload.published_on,
        item=_item_of(agency, payload.item_id, "item_id"),
        url=payload.url,
    )
    return Status(201, Interpretation.objects.select_related("agency").get(pk=made.pk))


# --- 找错 (staff) ---------------------------------------------------------------------------


class ErrorReportOut(Schema):
    id: int
    agency: str = Field(alias="agency.slug")
    reference: str
    submitted_at: datetime
    page_url: str
    error_type: str
    error_type_label: str
    description: str
    contact_masked: str
    status: str
    status_label: str
    assignee: str | None
    reply: str
    replied_at: datetime | None
    outcome: str
    closed_on: date | None

    @staticmethod
    def resolve_error_type_label(obj) -> str:
        return obj.get_error_type_display()

    @staticmethod
    def resolve_contact_masked(obj) -> str:
        return services.masked_contact(obj.contact)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_assignee(obj) -> str | None:
        return obj.assignee.username if obj.assignee_id else None


class ErrorFilter(Schema):
    agency: str | None = None
    status: ErrorStatus | None = None


class ErrorAssignIn(Schema):
    assignee: str = Field(description="User name")


class ErrorReplyIn(Schema):
    reply: str = Field(min_length=1)


class ErrorCloseIn(Schema):
    outcome: ErrorOutcome
    closed_on: date | None = None


def _report(request, pk: int) -> ErrorReport:
    return get_object_or_404(selectors.error_reports_visible_to(request.auth), pk=pk)


@router.get("/error-reports", response={200: list[ErrorReportOut], 401: ErrorOut}, tags=STAFF)
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def error_report_list(request, filters: Query[ErrorFilter]):
    """我为政府网站找错 reports of the agencies you may read (contacts masked)."""
    found = selectors.error_reports_visible_to(request.auth).order_by("-submitted_at", "-id")
    if filters.agency:
        found = found.filter(agency__slug=filters.agency)
    if filters.status:
        found = found.filter(status=_code(filters.status))
    return found


@router.post(
    "/error-reports/{report_id}/assign",
    response={200: ErrorReportOut, **STAFF_RESPONSES},
    tags=STAFF,
)
def error_report_assign(request, report_id: int, payload: ErrorAssignIn):
    report = _report(request, report_id)
    assignee = selectors.assignable_users(report.agency).filter(username=payload.assignee).first()
    if assignee is None:
        raise ValidationError(
            {"assignee": _("This person holds no role at the agency that can take the report.")}
        )
    services.error_report_assign(actor=request.auth, report=report, assignee=assignee)
    return _report(request, report_id)


@router.post(
    "/error-reports/{report_id}/reply",
    response={200: ErrorReportOut, **STAFF_RESPONSES},
    tags=STAFF,
)
def error_report_reply(request, report_id: int, payload: ErrorReplyIn):
    services.error_report_reply(
        actor=request.auth, report=_report(request, report_id), reply=payload.reply
    )
    return _report(request, report_id)


@router.post(
    "/error-reports/{report_id}/close",
    response={200: ErrorReportOut, **STAFF_RESPONSES},
    tags=STAFF,
)
def error_report_close(request, report_id: int, payload: ErrorCloseIn):
    services.error_report_close(
        actor=request.auth,
        report=_report(request, report_id),
        outcome=_code(payload.outcome),
        closed_on=payload.closed_on,
    )
    return _report(request, report_id)


# --- figures -------------------------------------------------------------------------------


class RowOut(Schema):
    code: str
    label: str
    value: int


class EngagementFiguresOut(Schema):
    agency: str
    start: date
    end: date
    rows: list[RowOut] = Field(description="统计表 二、回应解读情况, with the seed's labels")
    incidents_handled: int = Field(description="网络舆情 closed (处置)")
    error_reports_received: int
    error_reports_resolved: int = Field(description="解决网民政府网站找错")


@router.get("/figures", response={200: EngagementFiguresOut, **STAFF_RESPONSES}, tags=STAFF)
def figures(request, agency: str, year: int = Query(..., ge=1900, le=2100)):
    """The year's figures of one agency."""
    found = _agency(request, agency)
    summary = selectors.period_summary(found, date(year, 1, 1), date(year, 12, 31))
    return {
        "agency": found.slug,
        "start": summary.start,
        "end": summary.end,
        "rows": [row.__dict__ for row in summary.rows],
        "incidents_handled": summary.incidents_handled,
        "error_reports_received": summary.error_reports_received,
        "error_reports_resolved": summary.error_reports_resolved,
    }


# --- 找错 (public) --------------------------------------------------------------------------


class PublicReportIn(Schema):
    error_type: ErrorType
    description: str = Field(min_length=1, max_length=2000)
    page_url: str = Field("", max_length=500)
    contact: str = Field("", max_length=100)
    submission_token: str = Field("", max_length=intake.TOKEN_MAX_LENGTH)


class ErrorSubmittedOut(Schema):
    reference: str
    check_code: str = Field(description="Shown once; needed with the reference to read the reply")
    created: bool


class LookupIn(Schema):
    reference: str = Field(max_length=30)
    code: str = Field(max_length=20)


class PublicReportOut(Schema):
    reference: str
    submitted_at: datetime
    error_type: str
    error_type_label: str
    status: str
    status_label: str
    reply: str
    replied_at: datetime | None
    outcome: str

    @staticmethod
    def resolve_error_type_label(obj) -> str:
        return obj.get_error_type_display()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


def _public_agency(slug: str):
    return get_object_or_404(public_agencies(), slug=slug)


@router.post(
    "/public/{agency}/error-reports",
    auth=None,
    response={
        201: ErrorSubmittedOut,
        200: ErrorSubmittedOut,
        400: ErrorOut,
        404: ErrorOut,
        429: ErrorOut,
    },
    tags=PUBLIC,
    summary="我为政府网站找错: report an error on the agency's website",
)
def public_error_report_submit(request, agency: str, payload: PublicReportIn):
    try:
        submitted = services.error_report_submit(
            agency=_public_agency(agency),
            error_type=_code(payload.error_type),
            description=payload.description,
            page_url=payload.page_url,
            contact=payload.contact,
            submission_token=payload.submission_token,
            ip=client_ip(request) or "",
        )
    except services.RateLimited as exc:
        raise HttpError(429, exc.messages[0]) from None
    body = {
        "reference": submitted.report.reference,
        "check_code": submitted.check_code,
        "created": submitted.created,
    }
    return Status(201 if submitted.created else 200, body)


@router.post(
    "/public/{agency}/error-reports/status",
    auth=None,
    response={200: PublicReportOut, 404: ErrorOut, 400: ErrorOut, 429: ErrorOut},
    tags=PUBLIC,
    summary="The status and reply of a 找错 report (reference number and check code)",
)
def public_error_report_status(request, agency: str, payload: LookupIn):
    try:
        report = services.error_report_status_lookup(
            agency=_public_agency(agency),
            reference=payload.reference,
            code=payload.code,
            ip=client_ip(request) or "",
        )
    except services.RateLimited as exc:
        raise HttpError(429, exc.messages[0]) from None
    if report is None:
        # Answered, not raised: an exception would roll back the failure the limiter counted.
        detail = _("No report matches this reference number and check code.")
        return Status(404, {"code": "not_found", "detail": detail, "errors": {}, "findings": []})
    return report
