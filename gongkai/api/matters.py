"""The service matters' API: public reads of published 办事指南, and the staff endpoints.

Every write calls the same service as the staff pages; permissions, validation and auditing
happen there. Another agency's matter answers 404, as on the staff pages.
"""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongkai.catalogue.services import ReviewChecks
from gongkai.core.selectors import agencies_visible_to
from gongkai.matters import selectors, services
from gongkai.matters.imports import BOOLEAN_FIELDS
from gongkai.matters.models import MaterialForm, Matter, MatterType, ServiceSector

from .auth import token_auth
from .errors import ERROR_RESPONSES, ErrorOut
from .pagination import Pagination

router = Router(auth=token_auth)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
STAFF_RESPONSES = {401: ErrorOut, **ERROR_RESPONSES}
StatusCode = Literal["draft", "published", "retired"]
StarLevel = Literal[1, 2, 3, 4, 5]


# --- output ------------------------------------------------------------------------------


class MatterAgencyRef(Schema):
    slug: str
    name: str


class MaterialOut(Schema):
    name: str = Field(description="材料名称")
    copies: int = Field(description="份数")
    form: str = Field(description="形式 (code)")
    form_label: str = Field(description="形式")
    required: bool = Field(description="必要")
    note: str = Field(description="备注")

    @staticmethod
    def resolve_form_label(obj) -> str:
        return obj.get_form_display()


class GuideOut(Schema):
    """A published 办事指南."""

    id: int
    name: str = Field(description="事项名称")
    code: str = Field(description="事项编码")
    matter_type: str = Field(description="事项类型 (code)")
    matter_type_label: str = Field(description="事项类型")
    star: int | None = Field(description="星级 (1–5)")
    star_label: str = Field(description="星级")
    sector: str | None = Field(description="无差别受理板块")
    no_difference: bool = Field(description="无差别受理")
    agency: MatterAgencyRef

    @staticmethod
    def resolve_matter_type_label(obj: Matter) -> str:
        return obj.get_matter_type_display()

    @staticmethod
    def resolve_star_label(obj: Matter) -> str:
        return obj.get_star_display() if obj.star else ""

    @staticmethod
    def resolve_sector(obj: Matter) -> str | None:
        return obj.sector.name if obj.sector_id else None


class GuideDetailOut(GuideOut):
    legal_basis: str = Field(description="设定依据")
    conditions: str = Field(description="受理条件")
    procedure: str = Field(description="办理流程")
    statutory_days: int | None = Field(description="法定时限（工作日）")
    promised_days: int | None = Field(description="承诺时限（工作日）")
    charged: bool = Field(description="是否收费")
    fee_basis: str = Field(description="收费依据")
    fee_standard: str = Field(description="收费标准")
    place: str = Field(description="办理地点")
    hours: str = Field(description="办理时间")
    consult_phone: str = Field(description="咨询电话")
    complaint_phone: str = Field(description="监督电话")
    online_application: bool = Field(description="网上申报")
    fully_online: bool = Field(description="全程网办")
    express_delivery: bool = Field(description="快递送达")
    zero_visit: bool = Field(description="跑零次")
    online: bool = Field(description="网上可办")
    mobile: bool = Field(description="掌上可办")
    at_most_once: bool = Field(description="最多跑一次")
    star_criterion: str = Field(description="The agency's criteria for this star level")
    materials: list[MaterialOut]

    @staticmethod
    def resolve_star_criterion(obj: Matter) -> str:
        if not obj.star:
            return ""
        return selectors.star_criteria(obj.agency).get(obj.star, "")

    @staticmethod
    def resolve_materials(obj: Matter):
        return list(obj.materials.all())


class MatterOut(GuideDetailOut):
    """A matter as its agency's staff see it, whatever its status."""

    at_most_once_required: bool
    status: str
    published_on: date | None
    retired_on: date | None
    retired_reason: str
    item_id: int | None


# --- input -------------------------------------------------------------------------------


class MaterialIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    copies: int = Field(1, ge=1, le=99)
    form: MaterialForm = MaterialForm.ORIGINAL
    required: bool = True
    note: str = Field("", max_length=300)


class MatterFieldsIn(Schema):
    legal_basis: str = ""
    conditions: str = ""
    procedure: str = ""
    statutory_days: int | None = Field(None, ge=0, le=3650)
    promised_days: int | None = Field(None, ge=0, le=3650)
    charged: bool = False
    fee_basis: str = ""
    fee_standard: str = ""
    place: str = Field("", max_length=300)
    hours: str = Field("", max_length=200)
    consult_phone: str = Field("", max_length=60)
    complaint_phone: str = Field("", max_length=60)
    star: StarLevel | None = None
    online_application: bool = False
    fully_online: bool = False
    express_delivery: bool = False
    zero_visit: bool = False
    online: bool = False
    mobile: bool = False
    at_most_once: bool = False
    at_most_once_required: bool = False
    sector: str | None = Field(None, description="无差别受理板块 (its name)")
    no_difference: bool = False
    materials: list[MaterialIn] = []


class MatterCreateIn(MatterFieldsIn):
    agency: str = Field(description="The agency's URL name (slug)")
    name: str = Field(min_length=1, max_length=200)
    code: str = Field(min_length=1, max_length=64)
    matter_type: MatterType


class MatterUpdateIn(Schema):
    """Only the fields sent are changed; `materials`, when sent, replaces the list."""

    name: str | None = Field(None, max_length=200)
    code: str | None = Field(None, max_length=64)
    matter_type: MatterType | None = None
    legal_basis: str | None = None
    conditions: str | None = None
    procedure: str | None = None
    statutory_days: int | None = Field(None, ge=0, le=3650)
    promised_days: int | None = Field(None, ge=0, le=3650)
    charged: bool | None = None
    fee_basis: str | None = None
    fee_standard: str | None = None
    place: str | None = Field(None, max_length=300)
    hours: str | None = Field(None, max_length=200)
    consult_phone: str | None = Field(None, max_length=60)
    complaint_phone: str | None = Field(None, max_length=60)
    star: StarLevel | None = None
    online_application: bool | None = None
    fully_online: bool | None = None
    express_delivery: bool | None = None
    zero_visit: bool | None = None
    online: bool | None = None
    mobile: bool | None = None
    at_most_once: bool | None = None
    at_most_once_required: bool | None = None
    sector: str | None = None
    no_difference: bool | None = None
    materials: list[MaterialIn] | None = None


class MatterChecksIn(Schema):
    secrecy: bool = Field(False, description="保密审查")
    privacy: bool = Field(False, description="个人隐私")
    wording: bool = Field(False, description="表述准确")


class PublishIn(Schema):
    checks: MatterChecksIn


class RetireIn(Schema):
    reason: str


class GuideFilters(Schema):
    agency: str | None = Field(None, description="Agency URL name (slug)")
    matter_type: MatterType | None = None
    star: StarLevel | None = None
    sector: str | None = Field(None, description="无差别受理板块 (its name)")


class MatterFilters(GuideFilters):
    status: StatusCode | None = None


# --- helpers -----------------------------------------------------------------------------

TEXT_FIELDS = frozenset(
    {
        "legal_basis",
        "conditions",
        "procedure",
        "fee_basis",
        "fee_standard",
        "place",
        "hours",
        "consult_phone",
        "complaint_phone",
        "name",
        "code",
    }
)
BOOL_FIELDS = frozenset(BOOLEAN_FIELDS)


def _sector(agency_id: int, name: str | None) -> ServiceSector | None:
    if not name:
        return None
    sector = ServiceSector.objects.filter(agency_id=agency_id, name=name).first()
    if sector is None:
        raise ValidationError({"sector": _("This agency has no sector “%s”.") % name})
    return sector


def _service_data(agency_id: int, values: dict) -> tuple[dict, list[dict] | None]:
    materials = values.pop("materials", None)
    data = {}
    for name, value in values.items():
        if name == "sector":
            data[name] = _sector(agency_id, value)
        elif value is None and name in TEXT_FIELDS:
            data[name] = ""
        elif value is None and name in BOOL_FIELDS:
            data[name] = False
        elif hasattr(value, "value"):
            data[name] = value.value
        else:
            data[name] = value
    if materials is not None:
        materials = [
            {**m, "form": m["form"].value if hasattr(m["form"], "value") else m["form"]}
            for m in materials
        ]
    return data, materials


def _filter(matters, filters: GuideFilters):
    if filters.agency:
        matters = matters.filter(agency__slug=filters.agency)
    if filters.matter_type:
        matters = matters.filter(matter_type=filters.matter_type)
    if filters.star:
        matters = matters.filter(star=filters.star)
    if filters.sector:
        matters = matters.filter(sector__name=filters.sector)
    return matters


def _staff_matter(request, matter_id: int) -> Matter:
    return get_object_or_404(selectors.matters_visible_to(request.auth), pk=matter_id)


# --- public ------------------------------------------------------------------------------


@router.get(
    "/public/guides",
    auth=None,
    response=list[GuideOut],
    tags=["matters (public)"],
    summary="Published service guides (办事指南)",
)
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def public_guide_list(request, filters: Query[GuideFilters]):
    return _filter(selectors.all_public_matters().order_by("agency_id", "code", "id"), filters)


@router.get(
    "/public/guides/{matter_id}",
    auth=None,
    response={200: GuideDetailOut, 404: ErrorOut},
    tags=["matters (public)"],
    summary="One published service guide with its materials",
)
def public_guide_detail(request, matter_id: int):
    return get_object_or_404(selectors.with_materials(selectors.all_public_matters()), pk=matter_id)


# --- staff -------------------------------------------------------------------------------


@router.get(
    "/matters",
    response={200: list[MatterOut], 401: ErrorOut},
    tags=["matters (staff)"],
    summary="Matters of the agencies you may read, in every status",
)
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def matter_list(request, filters: Query[MatterFilters]):
    matters = selectors.with_materials(selectors.matters_visible_to(request.auth)).order_by(
        "agency_id", "code", "id"
    )
    if filters.status:
        matters = matters.filter(status=filters.status)
    return _filter(matters, filters)


@router.get(
    "/matters/{matter_id}",
    response={200: MatterOut, **STAFF_RESPONSES},
    tags=["matters (staff)"],
    summary="One matter",
)
def matter_detail(request, matter_id: int):
    return _staff_matter(request, matter_id)


@router.post(
    "/matters",
    response={201: MatterOut, **STAFF_RESPONSES},
    tags=["matters (staff)"],
    summary="Create a draft matter",
)
def matter_create(request, payload: MatterCreateIn):
    agency = agencies_visible_to(request.auth).filter(slug=payload.agency).first()
    if agency is None:
        raise ValidationError(
            {"agency": _("You have no agency with the URL name “%s”.") % payload.agency}
        )
    values = payload.model_dump()
    values.pop("agency")
    data, materials = _service_data(agency.pk, values)
    matter = services.matter_create(
        actor=request.auth, agency=agency, materials=materials or [], **data
    )
    return Status(201, matter)


@router.patch(
    "/matters/{matter_id}",
    response={200: MatterOut, **STAFF_RESPONSES},
    tags=["matters (staff)"],
    summary="Change a matter (a published one becomes a draft to publish again)",
)
def matter_update(request, matter_id: int, payload: MatterUpdateIn):
    matter = _staff_matter(request, matter_id)
    data, materials = _service_data(matter.agency_id, payload.model_dump(exclude_unset=True))
    return services.matter_update(actor=request.auth, matter=matter, data=data, materials=materials)


@router.post(
    "/matters/{matter_id}/publish",
    response={200: MatterOut, **STAFF_RESPONSES},
    tags=["matters (staff)"],
    summary="Publish a draft (its guide and the catalogue item that discloses it)",
)
def matter_publish(request, matter_id: int, payload: PublishIn):
    return services.matter_publish(
        actor=request.auth,
        matter=_staff_matter(request, matter_id),
        checks=ReviewChecks(
            secrecy=payload.checks.secrecy,
            privacy=payload.checks.privacy,
            wording=payload.checks.wording,
        ),
    )


@router.post(
    "/matters/{matter_id}/retire",
    response={200: MatterOut, **STAFF_RESPONSES},
    tags=["matters (staff)"],
    summary="Retire a matter (its catalogue item is withdrawn)",
)
def matter_retire(request, matter_id: int, payload: RetireIn):
    return services.matter_retire(
        actor=request.auth, matter=_staff_matter(request, matter_id), reason=payload.reason
    )
