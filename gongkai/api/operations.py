"""The operations records' API (staff, token): list and create each record type, and the year's
统计表 figures. Every write calls the same service as the staff pages; another agency's records
are never listed, and naming an agency the token's user cannot read is a 400."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongkai import privacy
from gongkai.core.models import Agency
from gongkai.operations import selectors, services
from gongkai.operations.models import (
    Complaint,
    ComplaintChannel,
    MeetingKind,
    Platform,
)
from gongkai.privacy.findings import PERSON_NAME

from .auth import token_auth
from .errors import ERROR_RESPONSES, ErrorOut
from .pagination import Pagination

router = Router(auth=token_auth, tags=["operations (staff)"])

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
STAFF_RESPONSES = {401: ErrorOut, **ERROR_RESPONSES}


def _agency(user, slug: str) -> Agency:
    agency = selectors.agencies_with_operations_visible_to(user).filter(slug=slug).first()
    if agency is None:
        raise ValidationError({"agency": _("You have no agency with the URL name “%s”.") % slug})
    return agency


class Filters(Schema):
    agency: str | None = Field(None, description="Agency URL name (slug)")
    year: int | None = Field(None, ge=2000, le=2100)


def _filter(rows: QuerySet, filters: Filters, date_field: str, agency_path="agency__slug"):
    if filters.agency:
        rows = rows.filter(**{agency_path: filters.agency})
    return selectors.in_year(rows, filters.year, date_field)


class AgencyIn(Schema):
    agency: str = Field(description="Agency URL name (slug)")


# --- office ------------------------------------------------------------------------------


class OfficeOut(Schema):
    id: int
    agency: str = Field(alias="agency.slug")
    year: int
    name: str
    units: int = Field(description="政府信息公开工作专门机构数（个）")
    full_time_staff: int = Field(description="专职人员数（人）")
    part_time_staff: int = Field(description="兼职人员数（人）")
    note: str


class OfficeIn(AgencyIn):
    year: int = Field(ge=2000, le=2100)
    name: str = Field("", max_length=100)
    units: int = Field(ge=0, le=999)
    full_time_staff: int = Field(ge=0, le=9999)
    part_time_staff: int = Field(0, ge=0, le=9999)
    note: str = ""


@router.get("/offices", response={200: list[OfficeOut], 401: ErrorOut}, summary="Office years")
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def office_list(request, filters: Query[Filters]):
    return _filter(selectors.office_years_visible_to(request.auth), filters, "year")


@router.post("/offices", response={201: OfficeOut, **STAFF_RESPONSES}, summary="Record a year")
def office_create(request, payload: OfficeIn):
    data = payload.model_dump(exclude={"agency"})
    office = services.office_year_create(
        actor=request.auth, agency=_agency(request.auth, payload.agency), **data
    )
    return Status(201, office)


# --- funds -------------------------------------------------------------------------------


class FundOut(Schema):
    id: int
    agency: str = Field(alias="agency.slug")
    year: int
    amount_wan: Decimal = Field(description="万元")
    purpose: str
    note: str


class FundIn(AgencyIn):
    year: int = Field(ge=2000, le=2100)
    amount_wan: Decimal = Field(ge=0, max_digits=12, decimal_places=4, description="万元")
    purpose: str = Field(max_length=200)
    note: str = ""


@router.get("/funds", response={200: list[FundOut], 401: ErrorOut}, summary="Special funds")
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def fund_list(request, filters: Query[Filters]):
    return _filter(selectors.funds_visible_to(request.auth), filters, "year")


@router.post("/funds", response={201: FundOut, **STAFF_RESPONSES}, summary="Record a fund")
def fund_create(request, payload: FundIn):
    data = payload.model_dump(exclude={"agency"})
    fund = services.fund_create(
        actor=request.auth, agency=_agency(request.auth, payload.agency), **data
    )
    return Status(201, fund)


# --- meetings and trainings --------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    agency: str = Field(alias="agency.slug")
    held_on: date
    title: str
    kind: str
    kind_label: str
    note: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class MeetingIn(AgencyIn):
    held_on: date
    title: str = Field(max_length=200)
    kind: MeetingKind
    note: str = ""


@router.get("/meetings", response={200: list[MeetingOut], 401: ErrorOut}, summary="Meetings")
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def meeting_list(request, filters: Query[Filters]):
    return _filter(selectors.meetings_visible_to(request.auth), filters, "held_on")


@router.post("/meetings", response={201: MeetingOut, **STAFF_RESPONSES}, summary="Record one")
def meeting_create(request, payload: MeetingIn):
    meeting = services.meeting_create(
        actor=request.auth,
        agency=_agency(request.auth, payload.agency),
        held_on=payload.held_on,
        title=payload.title,
        kind=str(payload.kind.value),
        note=payload.note,
    )
    return Status(201, meeting)


class TrainingOut(Schema):
    id: int
    agency: str = Field(alias="agency.slug")
    held_on: date
    title: str
    attendees: int = Field(description="人次")
    note: str


class TrainingIn(AgencyIn):
    held_on: date
    title: str = Field(max_length=200)
    attendees: int = Field(ge=0, le=100000)
    note: str = ""


@router.get("/trainings", response={200: list[TrainingOut], 401: ErrorOut}, summary="Trainings")
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def training_list(request, filters: Query[Filters]):
    return _filter(selectors.trainings_visible_to(request.auth), filters, "held_on")


@router.post("/trainings", response={201: TrainingOut, **STAFF_RESPONSES}, summary="Record one")
def training_create(request, payload: TrainingIn):
    data = payload.model_dump(exclude={"agency"})
    training = services.training_create(
        actor=request.auth, agency=_agency(request.auth, payload.agency), **data
    )
    return Status(201, training)


# --- complaints --------------------------------------------------------------------------


class ComplaintOut(Schema):
    """Personal data (complainant, contact) is masked."""

    id: int
    agency: str = Field(alias="agency.slug")
    received_on: date
    channel: str
    complainant: str
    contact: str
    summary: str
    handling: str
    status: str
    closed_on: date | None

    @staticmethod
    def resolve_complainant(obj: Complaint) -> str:
        return privacy.mask_value(PERSON_NAME, obj.complainant) if obj.complainant else ""

    @staticmethod
    def resolve_contact(obj: Complaint) -> str:
        return privacy.mask(obj.contact)

    @staticmethod
    def resolve_summary(obj: Complaint) -> str:
        return privacy.mask(obj.summary)

    @staticmethod
    def resolve_handling(obj: Complaint) -> str:
        return privacy.mask(obj.handling)


class ComplaintIn(AgencyIn):
    received_on: date
    channel: ComplaintChannel
    summary: str = Field(min_length=1)
    complainant: str = Field("", max_length=100)
    contact: str = Field("", max_length=100)


class ComplaintFilters(Filters):
    status: str | None = Field(None, description="received, handling, closed or open")


@router.get("/complaints", response={200: list[ComplaintOut], 401: ErrorOut}, summary="举报投诉")
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def complaint_list(request, filters: Query[ComplaintFilters]):
    rows = _filter(selectors.complaints_visible_to(request.auth), filters, "received_on")
    if filters.status == "open":
        rows = rows.exclude(status="closed")
    elif filters.status:
        rows = rows.filter(status=filters.status)
    return rows


@router.post("/complaints", response={201: ComplaintOut, **STAFF_RESPONSES}, summary="Register one")
def complaint_create(request, payload: ComplaintIn):
    complaint = services.complaint_create(
        actor=request.auth,
        agency=_agency(request.auth, payload.agency),
        received_on=payload.received_on,
        channel=str(payload.channel.value),
        summary=payload.summary,
        complainant=payload.complainant,
        contact=payload.contact,
    )
    return Status(201, complaint)


# --- new-media accounts and post counts --------------------------------------------------


class AccountOut(Schema):
    id: int
    agency: str = Field(alias="agency.slug")
    platform: str
    platform_label: str
    name: str
    account: str
    status: str
    opened_on: date | None
    closed_on: date | None

    @staticmethod
    def resolve_platform_label(obj) -> str:
        return obj.get_platform_display()


class AccountIn(AgencyIn):
    platform: Platform
    name: str = Field(max_length=100)
    account: str = Field("", max_length=100)
    opened_on: date | None = None


@router.get("/accounts", response={200: list[AccountOut], 401: ErrorOut}, summary="政务新媒体")
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def account_list(request, filters: Query[Filters]):
    rows = selectors.accounts_visible_to(request.auth)
    if filters.agency:
        rows = rows.filter(agency__slug=filters.agency)
    if filters.year:
        rows = selectors.operating_in(rows, filters.year)
    return rows


@router.post("/accounts", response={201: AccountOut, **STAFF_RESPONSES}, summary="Add one")
def account_create(request, payload: AccountIn):
    account = services.account_create(
        actor=request.auth,
        agency=_agency(request.auth, payload.agency),
        platform=str(payload.platform.value),
        name=payload.name,
        account=payload.account,
        opened_on=payload.opened_on,
    )
    return Status(201, account)


class PostCountOut(Schema):
    id: int
    account: int = Field(alias="account_id")
    period_start: date
    period_end: date
    count: int
    source: str


class PostCountIn(Schema):
    account: int
    period_start: date
    period_end: date
    count: int = Field(ge=0, le=1000000)


@router.get(
    "/post-counts", response={200: list[PostCountOut], 401: ErrorOut}, summary="Post counts"
)
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def post_count_list(request, filters: Query[Filters]):
    return _filter(
        selectors.post_counts_visible_to(request.auth),
        filters,
        "period_start",
        agency_path="account__agency__slug",
    )


@router.post("/post-counts", response={201: PostCountOut, **STAFF_RESPONSES}, summary="Record one")
def post_count_create(request, payload: PostCountIn):
    account = selectors.accounts_visible_to(request.auth).filter(pk=payload.account).first()
    if account is None:
        raise ValidationError({"account": _("You have no account with id %d.") % payload.account})
    record = services.post_count_record(
        actor=request.auth,
        account=account,
        period_start=payload.period_start,
        period_end=payload.period_end,
        count=payload.count,
    )
    return Status(201, record)


# --- the year's figures --------------------------------------------------------------------


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    value: Decimal


class FiguresOut(Schema):
    agency: str
    year: int
    rows: list[FigureOut] = Field(description="统计表 六–九")
    weibo_accounts: int
    weixin_accounts: int
    posts: dict[str, int] = Field(description="Posts per platform code")


@router.get(
    "/figures",
    response={200: FiguresOut, **STAFF_RESPONSES},
    summary="统计表 sections 六–九 and the 政务新媒体 figures of one agency and year",
)
def figures(request, agency: str, year: int):
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year from 2000 to 2100.")})
    found = _agency(request.auth, agency)
    return {
        "agency": found.slug,
        "year": year,
        "rows": [row.__dict__ for row in selectors.legacy_rows(found, year)],
        "weibo_accounts": selectors.weibo_accounts(found, year),
        "weixin_accounts": selectors.weixin_accounts(found, year),
        "posts": {code: selectors.posts(found, year, code) for code in Platform.values},
    }
