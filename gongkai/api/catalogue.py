"""The catalogue's API: public reads of published items, and the staff workflow with a token.

Every write calls the same service as the staff pages; permissions, validation and auditing
happen there. Another agency's item answers 404, as on the staff pages.
"""

import hashlib
from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongkai.catalogue import selectors, services, shield
from gongkai.catalogue.models import Column, Item
from gongkai.catalogue.shield import ItemFinding
from gongkai.catalogue.taxonomy import (
    TOPICS,
    DisclosureMode,
    Genre,
    NonDisclosureGround,
    PrivacyOverrideReason,
    Scope,
    Validity,
)
from gongkai.core.selectors import agencies_visible_to
from gongkai.core.storage import private_bytes_response
from gongkai.privacy import FINDING_LABELS
from gongkai.privacy import mask as privacy_mask

from .auth import token_auth
from .errors import ERROR_RESPONSES, ErrorOut
from .pagination import Pagination

router = Router(auth=token_auth)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
Topic = Literal[tuple(TOPICS)]  # type: ignore[valid-type]
StatusCode = Literal["draft", "pending", "approved", "published", "withdrawn"]
STAFF_RESPONSES = {401: ErrorOut, **ERROR_RESPONSES}


# --- output ------------------------------------------------------------------------------


class AgencyRef(Schema):
    slug: str
    name: str
    short_name: str


class ColumnRef(Schema):
    id: int
    name: str


class PublicItemOut(Schema):
    """An item of the public catalogue (政府信息公开目录): the metadata catalogues show."""

    id: int
    index_number: str = Field(description="索引号")
    title: str = Field(description="标题")
    summary: str = Field(description="内容概述")
    document_number: str = Field(description="文号")
    publisher: str = Field(description="发布机构")
    formed_on: date = Field(description="成文日期")
    published_at: datetime | None = Field(description="发布日期")
    topic: str = Field(description="主题分类")
    genre: str = Field(description="体裁 (code)")
    genre_label: str = Field(description="体裁")
    validity: str = Field(description="有效性 (code)")
    validity_label: str = Field(description="有效性")
    valid_from: date | None = Field(description="生效日期")
    invalid_on: date | None = Field(description="失效或废止日期")
    agency: AgencyRef
    column: ColumnRef

    @staticmethod
    def resolve_genre_label(obj: Item) -> str:
        return obj.get_genre_display()

    @staticmethod
    def resolve_validity_label(obj: Item) -> str:
        return obj.get_validity_display()


class PublicItemDetailOut(PublicItemOut):
    body: str = Field(description="正文 (sanitised HTML)")


class ItemOut(PublicItemDetailOut):
    """An item as its agency's staff see it, whatever its status."""

    status: str
    status_label: str
    disclosure_mode: str
    non_disclosure_ground: str
    scope: str
    scheduled_at: datetime | None
    withdrawn_reason: str
    privacy_override: str
    privacy_override_note: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_status_label(obj: Item) -> str:
        return str(obj.get_status_display())


# --- input -------------------------------------------------------------------------------


class ItemFilters(Schema):
    agency: str | None = Field(None, description="Agency URL name (slug)")
    column: int | None = Field(None, description="Column id; includes its sub-columns")
    genre: Genre | None = Field(None, description="体裁 code")
    year: int | None = Field(None, ge=1900, le=2100, description="Year of 成文日期")


class StaffItemFilters(ItemFilters):
    status: StatusCode | None = None


class ItemFieldsIn(Schema):
    summary: str = ""
    body: str = ""
    document_number: str = Field("", max_length=100)
    publisher: str = Field("", max_length=200)
    topic: Topic = "综合政务"
    validity: Validity = Validity.VALID
    valid_from: date | None = None
    invalid_on: date | None = None
    disclosure_mode: DisclosureMode = DisclosureMode.PROACTIVE
    non_disclosure_ground: NonDisclosureGround | None = None
    scope: Scope = Scope.PUBLIC
    scheduled_at: datetime | None = None


class ItemCreateIn(ItemFieldsIn):
    agency: str = Field(description="The agency's URL name (slug)")
    column: int = Field(description="Column id")
    title: str = Field(min_length=1, max_length=300)
    formed_on: date
    genre: Genre


class ItemUpdateIn(Schema):
    """Only the fields sent are changed."""

    column: int | None = None
    title: str | None = Field(None, max_length=300)
    formed_on: date | None = None
    genre: Genre | None = None
    summary: str | None = None
    body: str | None = None
    document_number: str | None = Field(None, max_length=100)
    publisher: str | None = Field(None, max_length=200)
    topic: Topic | None = None
    validity: Validity | None = None
    valid_from: date | None = None
    invalid_on: date | None = None
    disclosure_mode: DisclosureMode | None = None
    non_disclosure_ground: NonDisclosureGround | None = None
    scope: Scope | None = None
    scheduled_at: datetime | None = None


class SubmitIn(Schema):
    request_override: bool = Field(
        False,
        description=(
            "Submit although personal information was found (惩戒公示, 强制性信息披露); the "
            "reviewer must then record the reason when approving."
        ),
    )


class ChecksIn(Schema):
    secrecy: bool = Field(False, description="保密审查")
    privacy: bool = Field(False, description="个人隐私")
    wording: bool = Field(False, description="表述准确")


class ApproveIn(Schema):
    checks: ChecksIn
    comment: str = ""
    privacy_override: PrivacyOverrideReason | None = Field(
        None,
        description="Why personal information may be published (惩戒公示, 强制性信息披露, 其他)",
    )
    privacy_override_note: str = ""
    publish_now: bool = False
    scheduled_at: datetime | None = None
    acknowledge_wording: bool = Field(
        False,
        description="The reviewer has read each miswritten-term finding (严重错别字 check) and "
        "each is intended; required when the item has any",
    )


class RejectIn(Schema):
    comment: str
    checks: ChecksIn | None = None


class ItemWithdrawIn(Schema):
    reason: str


# --- helpers -----------------------------------------------------------------------------

STRING_FIELDS = frozenset(
    {
        "title",
        "summary",
        "body",
        "document_number",
        "publisher",
        "topic",
        "genre",
        "validity",
        "disclosure_mode",
        "non_disclosure_ground",
        "scope",
    }
)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _plain(field: str, value):
    """Service-ready values: enum members as their codes, None as "" for text fields."""
    if value is None:
        return "" if field in STRING_FIELDS else None
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, str):  # TextChoices members are str
        return str(value.value) if hasattr(value, "value") else value
    return value


def _column_of(agency_id: int, column_id: int) -> Column:
    column = Column.objects.filter(agency_id=agency_id, pk=column_id).first()
    if column is None:
        raise ValidationError({"column": _("This agency has no column with id %d.") % column_id})
    return column


def _filter(items: QuerySet[Item], filters: "ItemFilters") -> QuerySet[Item]:
    if filters.agency:
        items = items.filter(agency__slug=filters.agency)
    if filters.column is not None:
        found = Column.objects.select_related("agency").filter(pk=filters.column).first()
        if found is None:
            return items.none()
        items = items.filter(column_id__in=selectors.column_subtree_ids(found))
    if filters.genre:
        items = items.filter(genre=filters.genre)
    if filters.year:
        items = items.filter(formed_on__year=filters.year)
    return items


def _staff_item(request, item_id: int) -> Item:
    return get_object_or_404(selectors.items_visible_to(request.auth), pk=item_id)


def finding_payload(item_finding: ItemFinding) -> dict:
    """A privacy finding for the API: where and what kind, with the personal data masked.

    The raw text is never returned: an API response is logged and cached in places the item
    itself is not.
    """
    finding = item_finding.finding
    label = str(item_finding.label)
    if item_finding.attachment_id is not None:  # an attachment: its label is the file name
        label = privacy_mask(label)
    return {
        "field": item_finding.field,
        "label": label,
        "type": finding.type,
        "type_label": finding.label,
        "masked": finding.masked(),
        "note": finding.note,
    }


# --- public ------------------------------------------------------------------------------


@router.get(
    "/public/items",
    auth=None,
    response=list[PublicItemOut],
    tags=["catalogue (public)"],
    summary="Published items of the disclosure catalogue",
)
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def public_item_list(request, filters: Query[ItemFilters]):
    return _filter(selectors.public_items().order_by("-published_at", "-id"), filters)


@router.get(
    "/public/items/{item_id}",
    auth=None,
    response={200: PublicItemDetailOut, 404: ErrorOut},
    tags=["catalogue (public)"],
    summary="One published item",
)
def public_item_detail(request, item_id: int):
    return get_object_or_404(selectors.public_items(), pk=item_id)


# --- staff -------------------------------------------------------------------------------


@router.get(
    "/items",
    response={200: list[ItemOut], 401: ErrorOut},
    tags=["catalogue (staff)"],
    summary="Items of the agencies you may read, in every status",
)
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def item_list(request, filters: Query[StaffItemFilters]):
    items = selectors.items_visible_to(request.auth).order_by("-formed_on", "-id")
    if filters.status:
        items = items.filter(status=filters.status)
    return _filter(items, filters)


@router.get(
    "/items/{item_id}",
    response={200: ItemOut, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="One item",
)
def item_detail(request, item_id: int):
    return _staff_item(request, item_id)


@router.post(
    "/items",
    response={201: ItemOut, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="Create a draft item",
)
def item_create(request, payload: ItemCreateIn):
    agency = agencies_visible_to(request.auth).filter(slug=payload.agency).first()
    if agency is None:
        raise ValidationError(
            {"agency": _("You have no agency with the URL name “%s”.") % payload.agency}
        )
    fields = {
        name: _plain(name, value)
        for name, value in payload.model_dump().items()
        if name not in {"agency", "column", "title", "formed_on", "genre"}
    }
    item = services.item_create(
        actor=request.auth,
        agency=agency,
        column=_column_of(agency.pk, payload.column),
        title=payload.title,
        formed_on=payload.formed_on,
        genre=_plain("genre", payload.genre),
        **fields,
    )
    return Status(201, item)


@router.patch(
    "/items/{item_id}",
    response={200: ItemOut, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="Change a draft item (only the fields sent)",
)
def item_update(request, item_id: int, payload: ItemUpdateIn):
    item = _staff_item(request, item_id)
    data = {
        name: _plain(name, value) for name, value in payload.model_dump(exclude_unset=True).items()
    }
    if "column" in data:
        if data["column"] is None:
            raise ValidationError({"column": _("Choose a column.")})
        data["column"] = _column_of(item.agency_id, data["column"])
    return services.item_update(actor=request.auth, item=item, data=data)


@router.post(
    "/items/{item_id}/submit",
    response={200: ItemOut, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="Submit a draft for review",
)
def item_submit(request, item_id: int, payload: SubmitIn | None = None):
    return services.item_submit(
        actor=request.auth,
        item=_staff_item(request, item_id),
        request_override=bool(payload and payload.request_override),
    )


@router.post(
    "/items/{item_id}/approve",
    response={200: ItemOut, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="Approve a pending item (assigns the 索引号; optionally publishes it)",
)
def item_approve(request, item_id: int, payload: ApproveIn):
    return services.item_approve(
        actor=request.auth,
        item=_staff_item(request, item_id),
        checks=services.ReviewChecks(
            secrecy=payload.checks.secrecy,
            privacy=payload.checks.privacy,
            wording=payload.checks.wording,
        ),
        comment=payload.comment,
        privacy_override=_plain("privacy_override", payload.privacy_override) or "",
        privacy_override_note=payload.privacy_override_note,
        publish_now=payload.publish_now,
        scheduled_at=_aware(payload.scheduled_at),
        wording_acknowledged=payload.acknowledge_wording,
    )


@router.post(
    "/items/{item_id}/reject",
    response={200: ItemOut, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="Return a pending item to its author",
)
def item_reject(request, item_id: int, payload: RejectIn):
    checks = payload.checks
    return services.item_reject(
        actor=request.auth,
        item=_staff_item(request, item_id),
        comment=payload.comment,
        checks=services.ReviewChecks(
            secrecy=checks.secrecy, privacy=checks.privacy, wording=checks.wording
        )
        if checks
        else None,
    )


@router.post(
    "/items/{item_id}/publish",
    response={200: ItemOut, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="Publish an approved item now",
)
def item_publish(request, item_id: int):
    return services.item_publish(actor=request.auth, item=_staff_item(request, item_id))


@router.post(
    "/items/{item_id}/withdraw",
    response={200: ItemOut, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="Withdraw an approved or published item",
)
def item_withdraw(request, item_id: int, payload: ItemWithdrawIn):
    return services.item_withdraw(
        actor=request.auth, item=_staff_item(request, item_id), reason=payload.reason
    )


# --- masking inside an attachment (the staff item page's 遮蔽 button) ------------------------


class MaskCount(Schema):
    type: str = Field(description="Finding type (id_card, mobile, person_name …)")
    type_label: str
    count: int


class AttachmentMaskPreviewOut(Schema):
    """What masking the attachment would do: nothing is written."""

    attachment: int
    name: str = Field(description="File name, with any personal data in it masked")
    counts: list[MaskCount] = Field(description="Values masked inside the file, by type")
    total: int
    size: int = Field(description="Size of the masked copy in bytes")
    sha256: str = Field(
        description="SHA-256 of the masked copy; send it back to confirm exactly this copy"
    )
    findings: list[dict] = Field(description="The attachment's findings, masked")


class AttachmentMaskIn(Schema):
    sha256: str | None = Field(
        None,
        description="The preview's sha256: the mask is refused (400) if the copy would differ",
    )


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="File name, with any personal data in it masked")
    kind: str
    size: int
    sha256: str
    masked_at: datetime | None = Field(description="When its personal data was masked")
    original_kept: bool = Field(
        description="The uploaded original is kept, private, until the item is published"
    )

    @staticmethod
    def resolve_name(obj) -> str:
        return privacy_mask(obj.original_name)

    @staticmethod
    def resolve_original_kept(obj) -> bool:
        return bool(obj.original_file)


def _staff_attachment(request, item_id: int, attachment_id: int):
    item = _staff_item(request, item_id)
    attachment = get_object_or_404(item.attachments.all(), pk=attachment_id)
    attachment.item = item
    return attachment


def _mask_counts(counts: dict[str, int]) -> list[dict]:
    return [
        {"type": kind, "type_label": FINDING_LABELS.get(kind, kind), "count": n}
        for kind, n in sorted(counts.items())
    ]


@router.get(
    "/items/{item_id}/attachments/{attachment_id}/mask",
    response={200: AttachmentMaskPreviewOut, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="Preview masking the personal data inside an attachment (DOCX, XLSX, text PDF)",
    description=(
        "What `POST` on the same address would store: the counts of the values masked, the "
        "masked copy's size and SHA-256, and the attachment's findings (masked). Writes "
        "nothing. The masked copy itself is at `…/mask/file`. A scan, an image or another "
        "kind of file cannot be masked here (400, with the reason)."
    ),
)
def attachment_mask_preview(request, item_id: int, attachment_id: int):
    attachment = _staff_attachment(request, item_id, attachment_id)
    preview = services.attachment_mask_preview(actor=request.auth, attachment=attachment)
    field = f"attachment:{attachment.pk}"
    return {
        "attachment": attachment.pk,
        "name": privacy_mask(attachment.original_name),
        "counts": _mask_counts(preview.counts),
        "total": preview.total,
        "size": len(preview.data),
        "sha256": hashlib.sha256(preview.data).hexdigest(),
        "findings": [
            finding_payload(f) for f in shield.item_findings(attachment.item) if f.field == field
        ],
    }


@router.get(
    "/items/{item_id}/attachments/{attachment_id}/mask/file",
    response={200: None, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="Download the masked copy an attachment's mask would store",
    description="Computed for this download only, private and not cached; writes nothing.",
)
def attachment_mask_preview_file(request, item_id: int, attachment_id: int):
    attachment = _staff_attachment(request, item_id, attachment_id)
    preview = services.attachment_mask_preview(actor=request.auth, attachment=attachment)
    return private_bytes_response(
        preview.data,
        filename=_("masked-%(name)s") % {"name": attachment.original_name},
        content_type=attachment.content_type,
    )


@router.post(
    "/items/{item_id}/attachments/{attachment_id}/mask",
    response={200: AttachmentOut, **STAFF_RESPONSES},
    tags=["catalogue (staff)"],
    summary="Mask the personal data inside an attachment (confirm)",
    description=(
        "Replaces the file with its masked copy, as the staff page's confirmation does; the "
        "uploaded original is kept, private, until publication. Audited with counts only. "
        "Send the preview's `sha256` to be sure the copy stored is the one previewed."
    ),
)
def attachment_mask(
    request, item_id: int, attachment_id: int, payload: AttachmentMaskIn | None = None
):
    attachment = _staff_attachment(request, item_id, attachment_id)
    masked = services.attachment_mask(actor=request.auth, attachment=attachment)
    expected = payload.sha256 if payload else None
    if expected and expected.strip().lower() != masked.sha256:
        # the item changed since the preview (another name known, a new text): nothing is kept
        raise ValidationError(
            {"sha256": _("The masked copy is not the one previewed; preview it again.")}
        )
    return masked
