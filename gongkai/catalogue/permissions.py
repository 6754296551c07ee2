"""Who may do what in the catalogue (named predicates over core's roles)."""

from gongkai.core.models import Agency, Role
from gongkai.core.permissions import has_role

from .models import Attachment, Item, ItemStatus, OcrStatus

AUTHOR_ROLES = (Role.EDITOR, Role.OFFICER)
REVIEW_ROLES = (Role.REVIEWER, Role.OFFICER)


def can_create_item(user, agency: Agency) -> bool:
    return has_role(user, agency, *AUTHOR_ROLES)


def can_edit_item(user, item: Item) -> bool:
    return item.status == ItemStatus.DRAFT and has_role(user, item.agency, *AUTHOR_ROLES)


def can_read_original(user, item: Item) -> bool:
    """The uploaded original of a masked attachment (kept until publication) holds the personal
    data that was masked: only the item's authors may download it, in any status."""
    return has_role(user, item.agency, *AUTHOR_ROLES)


def can_submit_item(user, item: Item) -> bool:
    return can_edit_item(user, item)


def is_own_submission(user, item: Item) -> bool:
    """Four eyes: nobody reviews what they submitted."""
    return item.submitted_by_id is not None and item.submitted_by_id == user.pk


def is_content_author(user, item: Item) -> bool:
    """Four eyes: nobody reviews content they wrote. Whoever changed the item (its fields or
    attachments) since its last approval counts, whoever submitted it."""
    return bool(
        user.is_authenticated
        and item.pk is not None
        and item.content_authors.filter(pk=user.pk).exists()
    )


def is_own_work(user, item: Item) -> bool:
    return is_own_submission(user, item) or is_content_author(user, item)


def can_review_item(user, item: Item) -> bool:
    """Reviewers and the disclosure officer, but never on what they submitted or wrote
    (four eyes)."""
    return (
        item.status == ItemStatus.PENDING
        and has_role(user, item.agency, *REVIEW_ROLES)
        and not is_own_work(user, item)
    )


def can_publish_item(user, item: Item) -> bool:
    return item.status == ItemStatus.APPROVED and has_role(user, item.agency, *REVIEW_ROLES)


def can_withdraw_item(user, item: Item) -> bool:
    return item.status in (ItemStatus.APPROVED, ItemStatus.PUBLISHED) and has_role(
        user, item.agency, *REVIEW_ROLES
    )


def can_manage_columns(user, agency: Agency) -> bool:
    return bool(user.is_authenticated and user.is_superuser) or has_role(
        user, agency, Role.OFFICER, Role.AGENCY_ADMIN
    )


def can_manage_channels(user, agency: Agency) -> bool:
    return can_manage_columns(user, agency)


def can_record_publication(user, agency: Agency) -> bool:
    return has_role(user, agency, Role.OFFICER, Role.EDITOR, Role.REVIEWER)


def can_check_scan(user, attachment: Attachment) -> bool:
    """Confirming that a scan OCR could not read reliably holds no personal data: a reviewer
    (or the disclosure officer) of the agency, while the item is a draft or pending review, and
    not the person who uploaded the scan (four eyes)."""
    item = attachment.item
    return (
        attachment.ocr_status in (OcrStatus.LOW_CONFIDENCE, OcrStatus.FAILED)
        and item.status in (ItemStatus.DRAFT, ItemStatus.PENDING)
        and has_role(user, item.agency, *REVIEW_ROLES)
        and attachment.uploaded_by_id != user.pk
    )
