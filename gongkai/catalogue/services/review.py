"""The item's workflow: submit, review (reject, approve), publish, withdraw, publish on behalf;
publications on other channels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue.services.attachments import (
    _attach,
    _drop_original,
    _replace_file,
    _require_scans_read,
)
from gongkai.catalogue.services.columns import website_channel
from gongkai.catalogue.services.common import (
    ITEM_FIELDS,
    PrivacyBlocked,
    _clean_item,
    _item_snapshot,
    _locked,
)
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import require
from gongkai.search import indexing as search_indexing

from .. import files, indexing, permissions, shield
from ..models import (
    Attachment,
    Channel,
    Column,
    Item,
    ItemReview,
    ItemStatus,
    Publication,
)
from ..taxonomy import PrivacyOverrideReason
from ..workflow import MACHINE, Action

# --- the workflow ------------------------------------------------------------------------


def _move(*, actor: User | None, item: Item, action: Action, extra: dict | None = None) -> None:
    """Apply the machine to a locked item and record the event (the service checked the
    permission where its refusals come in order)."""
    MACHINE.apply(item, action, actor=actor, after=extra, check_permission=False)


@transaction.atomic
def item_submit(*, actor: User, item: Item, request_override: bool = False) -> Item:
    """Send a draft for review. Personal data still in it blocks the submission, unless the
    author asks for it to be published as it is (惩戒公示, 强制性信息披露): then the reviewer must
    record the reason when approving."""
    item = _locked(item)
    MACHINE.check(item, Action.SUBMIT)  # the status first
    MACHINE.require(actor, item, Action.SUBMIT)
    _require_scans_read(item)
    findings = shield.item_findings(item)
    if findings and not request_override:
        raise PrivacyBlocked(findings)
    extra = (
        {"override_requested": True, "findings": [f.finding.type for f in findings]}
        if findings
        else None
    )
    _move(actor=actor, item=item, action=Action.SUBMIT, extra=extra)
    item.submitted_by = actor
    item.save(update_fields=["submitted_by"])
    return item


@dataclass(frozen=True)
class ReviewChecks:
    secrecy: bool
    privacy: bool
    wording: bool


@transaction.atomic
def item_reject(
    *, actor: User, item: Item, comment: str, checks: ReviewChecks | None = None
) -> Item:
    item = _locked(item)
    MACHINE.check(item, Action.REJECT)  # the status first
    _require_reviewer(actor, item)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must change when returning an item.")})
    checks = checks or ReviewChecks(False, False, False)
    _move(actor=actor, item=item, action=Action.REJECT, extra={"comment": comment})
    ItemReview.objects.create(
        item=item,
        reviewer=actor,
        decision=ItemReview.Decision.REJECT,
        check_secrecy=checks.secrecy,
        check_privacy=checks.privacy,
        check_wording=checks.wording,
        comment=comment,
    )
    item.privacy_override = ""
    item.privacy_override_note = ""
    item.save(update_fields=["privacy_override", "privacy_override_note"])
    return item


def _require_reviewer(actor: User, item: Item) -> None:
    if permissions.is_own_submission(actor, item):
        raise PermissionDenied(_("Four eyes: you cannot review an item you submitted yourself."))
    if permissions.is_content_author(actor, item):
        raise PermissionDenied(
            _(
                "Four eyes: you changed this item's content since it was last approved, so "
                "another reviewer must review it."
            )
        )
    require(permissions.can_review_item(actor, item))


@transaction.atomic
def item_approve(
    *,
    actor: User,
    item: Item,
    checks: ReviewChecks,
    comment: str = "",
    privacy_override: str = "",
    privacy_override_note: str = "",
    publish_now: bool = False,
    scheduled_at: datetime | None = None,
    wording_acknowledged: bool | None = None,
) -> Item:
    """Approve after the review checks; assigns the 索引号. Optionally publishes at once.

    Wording findings (gongkai.wording) are warnings, not a block: a reviewer approving through
    the page or the API (`wording_acknowledged` True or False) must acknowledge them; a system
    path (None: a 办事指南, an annual report) only records them."""
    item = _locked(item)
    MACHINE.check(item, Action.APPROVE)  # the status first
    _require_reviewer(actor, item)
    missing = [
        label
        for done, label in (
            (checks.secrecy, _("secrecy review")),
            (checks.privacy, _("personal privacy")),
            (checks.wording, _("accuracy of wording")),
        )
        if not done
    ]
    if missing:
        raise ValidationError(
            _("Confirm every review check before approving: %s.") % "、".join(missing),
            code="checks",
        )
    _require_scans_read(item)
    findings = shield.item_findings(item)
    if findings:
        if not privacy_override:
            raise PrivacyBlocked(findings)
        if privacy_override not in PrivacyOverrideReason.values:
            raise ValidationError({"privacy_override": _("Choose a reason for the override.")})
        if privacy_override == PrivacyOverrideReason.OTHER and not privacy_override_note.strip():
            raise ValidationError(
                {"privacy_override_note": _("Explain the reason for the override.")}
            )
        item.privacy_override = privacy_override
        item.privacy_override_note = privacy_override_note
    wording = _wording_findings(item)
    if wording and wording_acknowledged is False:
        raise ValidationError(
            {
                "acknowledge_wording": _(
                    "Miswritten terms were found (see above): correct them, or confirm that "
                    "each is intended."
                )
            },
            code="wording",
        )
    _assign_index_number(item)
    item.approved_by = actor
    item.scheduled_at = scheduled_at
    extra: dict[str, Any] = {"index_number": item.index_number}
    if findings:
        extra["privacy_override"] = privacy_override
        extra["privacy_override_note"] = privacy_override_note
        extra["findings"] = [f.finding.type for f in findings]
    if wording:
        extra["wording"] = [f.as_dict() for f in wording]
        extra["wording_acknowledged"] = bool(wording_acknowledged)
    _move(actor=actor, item=item, action=Action.APPROVE, extra=extra)
    # The approved version is the reference from now on: who changes it next is the new author.
    item.content_authors.clear()
    ItemReview.objects.create(
        item=item,
        reviewer=actor,
        decision=ItemReview.Decision.APPROVE,
        check_secrecy=checks.secrecy,
        check_privacy=checks.privacy,
        check_wording=checks.wording,
        comment=comment,
    )
    if publish_now:
        _publish(actor=actor, item=item)
    return item


def _wording_findings(item: Item) -> list:
    """The item's miswritten terms (gongkai.wording): shown beside the privacy findings."""
    from gongkai.wording.items import item_findings

    return item_findings(item)


def _assign_index_number(item: Item) -> None:
    """The 索引号, taken on approval (kept if the item already has one)."""
    if item.index_number:
        return
    today = timezone.localdate()
    serial = indexing.take_serial(item.agency, today.year)
    item.index_year, item.index_serial = today.year, serial
    item.index_number = indexing.format_index_number(
        indexing.agency_index_pattern(item.agency),
        uscc=item.agency.uscc,
        year=today.year,
        serial=serial,
    )


def _publish(*, actor: User | None, item: Item, published_at: datetime | None = None) -> None:
    _require_scans_read(item)
    item.published_at = published_at or timezone.now()
    extra: dict[str, Any] = {"published_at": item.published_at} if published_at else {}
    # The originals of masked attachments were kept for the editors until now.
    originals = list(item.attachments.exclude(original_file=""))
    if originals:
        extra["originals_removed"] = [a.pk for a in originals]
    _move(actor=actor, item=item, action=Action.PUBLISH, extra=extra or None)
    for attachment in originals:
        _drop_original(attachment)
    if item.on_website:
        Publication.objects.get_or_create(
            item=item,
            channel=website_channel(item.agency),
            defaults={
                "published_on": timezone.localdate(item.published_at),
                "source": Publication.Source.AUTOMATIC,
            },
        )
    for attachment in item.attachments.filter(metadata_stripped=False):
        _strip_attachment(attachment)
    # Search index (gongkai.search): same transaction, so a rollback of the publication
    # removes the document too; every publication path (now, scheduled, on approval) ends here.
    search_indexing.index_item(item)


def _strip_attachment(attachment: Attachment) -> None:
    file_type = next((t for t in files.ACCEPTED if t.kind == attachment.kind), None)
    with attachment.file.open("rb") as handle:
        data = handle.read()
    cleaned = files.strip_metadata(file_type, data) if file_type else data
    if cleaned != data:
        storage = attachment.file.storage
        old_name = _replace_file(attachment, cleaned)
        transaction.on_commit(lambda: storage.delete(old_name))
    attachment.metadata_stripped = True
    attachment.save()


@transaction.atomic
def item_publish(*, actor: User | None, item: Item, published_at: datetime | None = None) -> Item:
    """Publish an approved item now.

    `published_at` is for the system only (actor=None): the demo loader and imports of records
    published before the agency used gongkai give the real past date. Staff always publish now.
    """
    item = _locked(item)
    MACHINE.check(item, Action.PUBLISH)  # the status first
    if actor is not None:
        MACHINE.require(actor, item, Action.PUBLISH)
    if published_at is not None:
        if actor is not None:
            raise PermissionDenied(_("Only the system can record a past publication date."))
        if published_at > timezone.now():
            raise ValidationError(_("A past publication date cannot lie in the future."))
        if timezone.localdate(published_at) < item.formed_on:
            raise ValidationError(_("An item cannot be published before it was formed."))
    _publish(actor=actor, item=item, published_at=published_at)
    return item


def items_publish_due(*, now: datetime | None = None) -> list[Item]:
    """Publish approved items whose scheduled time has come. Idempotent; run it periodically."""
    now = now or timezone.now()
    published = []
    for pk in Item.objects.filter(status=ItemStatus.APPROVED, scheduled_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            item = _locked(Item(pk=pk))
            if (
                item.status == ItemStatus.APPROVED
                and item.scheduled_at
                and item.scheduled_at <= now
                and not shield.unread_scans(item)  # waits for its scans, like any blocked item
            ):
                _publish(actor=None, item=item)
                published.append(item)
    return published


@transaction.atomic
def item_withdraw(*, actor: User | None, item: Item, reason: str) -> Item:
    """Withdraw an item. actor=None is the system (an item another workflow published on its
    own four-eyes review, replaced by that workflow: gongkai/reports/publishing.py)."""
    item = _locked(item)
    MACHINE.check(item, Action.WITHDRAW)  # the status first
    if actor is not None:
        MACHINE.require(actor, item, Action.WITHDRAW)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing the item.")})
    item.withdrawn_reason = reason
    _move(actor=actor, item=item, action=Action.WITHDRAW, extra={"reason": reason})
    # Search index (gongkai.search): gone from search in the same transaction.
    search_indexing.remove_item(item.pk)
    return item


@transaction.atomic
def item_publish_on_behalf(
    *,
    agency: Agency,
    column: Column,
    title: str,
    formed_on: date,
    genre: str,
    author: User,
    approver: User,
    basis: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    **fields,
) -> Item:
    """Create, approve and publish an item as the system, for a workflow of another app that
    has already applied its own four-eyes review to the content (the annual report: its
    submitter wrote it, a second person signed it off). The people are recorded as the item's
    author and approver; the audit events carry no actor and name the `basis`. Personal data
    in the item still blocks it (PrivacyBlocked): nobody reviewed an override."""
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    if author.pk == approver.pk:
        raise PermissionDenied(_("Four eyes: you cannot review an item you submitted yourself."))
    item = Item(
        agency=agency,
        column=column,
        title=title,
        formed_on=formed_on,
        genre=genre,
        created_by=author,
        **fields,
    )
    _clean_item(item)
    item.save()
    audit_record(
        actor=None,
        verb="item.create",
        obj=item,
        agency=agency,
        after={**_item_snapshot(item), "basis": basis, "author": author.pk},
    )
    for name, data in attachments:
        _attach(actor=None, item=item, name=name, data=data, uploaded_by=author)
    findings = shield.item_findings(item)
    if findings:
        raise PrivacyBlocked(findings)
    _move(actor=None, item=item, action=Action.SUBMIT, extra={"basis": basis})
    item.submitted_by = author
    _assign_index_number(item)
    item.approved_by = approver
    _move(
        actor=None,
        item=item,
        action=Action.APPROVE,
        extra={"index_number": item.index_number, "basis": basis, "approver": approver.pk},
    )
    _publish(actor=None, item=item)
    return item


# --- publications on other channels ----------------------------------------------------


@transaction.atomic
def publication_record(
    *,
    actor: User | None,
    item: Item,
    channel: Channel,
    published_on: date,
    url: str = "",
    source: str = Publication.Source.MANUAL,
) -> Publication:
    if actor is not None:
        require(permissions.can_record_publication(actor, item.agency))
    if channel.agency_id != item.agency_id:
        raise ValidationError(_("The channel belongs to another agency."))
    if item.status != ItemStatus.PUBLISHED:
        raise ValidationError(_("Only a published item can be recorded on other channels."))
    publication, created = Publication.objects.get_or_create(
        item=item,
        channel=channel,
        defaults={"published_on": published_on, "url": url, "source": source},
    )
    if created:
        audit_record(
            actor=actor,
            verb="publication.record",
            obj=publication,
            agency=item.agency,
            after={
                "item": item.pk,
                "channel": channel.pk,
                "published_on": published_on,
                "url": url,
            },
        )
    return publication
