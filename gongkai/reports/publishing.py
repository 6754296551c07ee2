"""A published annual report in the disclosure catalogue (条例 第五十条: the report is disclosed
like any other information, in the catalogue's 年度报告 column).

Called by `report_transition(action="publish")` inside its transaction: the version's HTML is
the item's body, its DOCX and PDF the attachments, with a link to the portal's page of the
report. A correction (a new version) withdraws the previous version's item and publishes a new
one: the catalogue never changes a published item, so the new item takes a new 索引号 and the
withdrawn one keeps its own with its withdrawal notice.

The report's submitter is the item's author and its publishing reviewer the approver. When both
hold the catalogue's roles (author and reviewer) the catalogue's own services run as them; the
report's reviewers (office head, agency administrator) usually are not catalogue reviewers,
then the catalogue publishes the item as the system on behalf of the report's four-eyes review
and the audit names it.
"""

from __future__ import annotations

from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue import permissions as catalogue_permissions
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Column, Item, ItemStatus
from gongkai.catalogue.taxonomy import ColumnType, Genre
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User
from gongkai.core.permissions import has_role

from . import exports
from .exports.html import context as html_context
from .models import Report, ReportVersion

# Stored data shown to the public (the column's name, the withdrawal notice): Chinese.
COLUMN_NAME = "年度报告"
WITHDRAW_REASON = "年度报告已更正，由更正后的版本替代。"
BASIS = "report.publish"
ATTACHMENT_KINDS = ("docx", "pdf")


def report_column(agency: Agency) -> Column:
    """The agency's 年度报告 column (the first active one), created at the root if it has none."""
    column = (
        Column.objects.filter(agency=agency, column_type=ColumnType.ANNUAL_REPORT, is_active=True)
        .order_by("parent_id", "position", "id")
        .first()
    )
    if column is None:  # a root column of that name, whatever its type, is the one
        column = Column.objects.filter(
            agency=agency, parent=None, name=COLUMN_NAME, is_active=True
        ).first()
    if column is None:
        column = catalogue_services.column_create(
            actor=None,
            agency=agency,
            name=COLUMN_NAME,
            column_type=ColumnType.ANNUAL_REPORT,
            position=(
                Column.objects.filter(agency=agency, parent=None).aggregate(n=Max("position"))["n"]
                or 0
            )
            + 1,
        )
    return column


def item_body(doc: exports.ReportDocument, report: Report) -> str:
    """The report as HTML (the catalogue sanitises it) with a link to its portal page."""
    body = render_to_string("reports/_report_body.html", html_context(doc))
    url = reverse(
        "portal:annual-report", kwargs={"agency": report.agency.slug, "year": report.year}
    )
    # Stored data (the item's text on the public portal): Chinese, as the report itself.
    return f'{body}\n<p><a href="{url}">查看年度报告页面及下载</a></p>'


def _withdraw_previous(*, actor: User, version: ReportVersion) -> Item | None:
    previous = (
        ReportVersion.objects.filter(report=version.report, number__lt=version.number)
        .exclude(item=None)
        .select_related("item")
        .order_by("-number")
        .first()
    )
    item = previous.item if previous else None
    if item is None or item.status not in (ItemStatus.APPROVED, ItemStatus.PUBLISHED):
        return item
    withdrawer = (
        actor if has_role(actor, item.agency, *catalogue_permissions.REVIEW_ROLES) else None
    )
    catalogue_services.item_withdraw(actor=withdrawer, item=item, reason=WITHDRAW_REASON)
    return item


def publish_to_catalogue(*, actor: User, report: Report, version: ReportVersion) -> Item:
    """Publish `version` of `report` (just published by `actor`) in the catalogue; stores the
    item on the version. Runs inside report_transition's transaction."""
    agency = report.agency
    doc = exports.from_version(version)
    author = report.submitted_by
    previous = _withdraw_previous(actor=actor, version=version)
    column = report_column(agency)
    fields = {
        "agency": agency,
        "column": column,
        "title": doc.title,
        "formed_on": timezone.localdate(version.published_at),
        "genre": Genre.ANNUAL_REPORT,
        "body": item_body(doc, report),
    }
    files = [
        (exports.file_name(doc, kind), exports.export(doc, kind).content)
        for kind in ATTACHMENT_KINDS
    ]
    as_people = author is not None and (
        catalogue_permissions.can_create_item(author, agency)
        and has_role(actor, agency, *catalogue_permissions.REVIEW_ROLES)
    )
    if as_people:
        item = catalogue_services.item_create(actor=author, **fields)
        for name, data in files:
            catalogue_services.attachment_add(actor=author, item=item, name=name, data=data)
        item = catalogue_services.item_submit(actor=author, item=item)
        item = catalogue_services.item_approve(
            actor=actor,
            item=item,
            checks=catalogue_services.ReviewChecks(secrecy=True, privacy=True, wording=True),
            publish_now=True,
        )
    else:
        item = catalogue_services.item_publish_on_behalf(
            author=author or actor, approver=actor, basis=BASIS, attachments=files, **fields
        )
    version.item = item
    version.save(update_fields=["item"])
    # The catalogue's events of a system publication carry no actor: this one ties them to the
    # report's publication and its reviewer.
    audit_record(
        actor=actor,
        verb="report.catalogue_publish",
        obj=report,
        agency=agency,
        after={
            "version": version.number,
            "item": item.pk,
            "index_number": item.index_number,
            "replaces": previous.pk if previous else None,
            "by_system": not as_people,
        },
    )
    return item
