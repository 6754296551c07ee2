"""Staff pages of the disclosure catalogue (主动公开).

Each view resolves the agency from the URL through the scoped selector (another agency answers
404), parses its input with a form, calls one service or selector, and renders. Service errors
(validation, workflow, privacy, permission) are shown on the page, never as a server error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.core import selectors as core_selectors
from gongkai.core.models import Agency
from gongkai.core.permissions import has_role
from gongkai.core.storage import private_bytes_response, private_file_response
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key, error_texts, report_error, status_for
from gongkai.privacy import FINDING_LABELS

from . import forms, imports, permissions, richtext, selectors, services, shield, staging
from .models import Item, ItemStatus
from .services import ReviewChecks
from .taxonomy import TOPICS, ChannelKind, DisclosureMode, Genre, Validity
from .workflow import Action, allowed_actions

PAGE_SIZE = 30
CONTEXT_CHARS = 24  # characters shown either side of a privacy finding

# --- lookups (scoped: anything outside the user's agencies is a 404) ---------------------


def _item(request, agency: Agency, pk: int) -> Item:
    items = selectors.items_visible_to(request.user).filter(agency=agency)
    return get_object_or_404(items, pk=pk)


def _columns(request, agency: Agency):
    return selectors.columns_visible_to(request.user).filter(agency=agency)


def _channels(request, agency: Agency):
    return selectors.channels_visible_to(request.user).filter(agency=agency)


def _item_url(agency: Agency, item: Item):
    return redirect("catalogue:item-detail", agency=agency.slug, pk=item.pk)


# --- presentation helpers ----------------------------------------------------------------


@dataclass(frozen=True)
class ClockView:
    """The 第二十六条 clock as a page shows it.

    state: "due" (days left), "overdue" (days late, not published), "on_time"/"late" (published),
    "pending" (the limit waits for `year`'s holiday schedule: `due` is provisional, `days` a safe
    count), "none" (not a proactive item, or withdrawn unpublished).
    """

    state: str
    days: int | None = None
    due: date | None = None
    year: int | None = None


def _clock(item: Item, calendar) -> ClockView:
    if item.disclosure_mode != DisclosureMode.PROACTIVE or (
        item.status == ItemStatus.WITHDRAWN and item.published_at is None
    ):
        return ClockView("none")
    clock = selectors.publication_clock(item, calendar=calendar)
    published = item.published_at is not None
    if clock.pending_year is not None and not (published and clock.days_left >= 0):
        return ClockView("pending", days=clock.days_left, due=clock.due, year=clock.pending_year)
    if clock.overdue:
        return ClockView("late" if published else "overdue", days=-clock.days_left, due=clock.due)
    return ClockView("on_time" if published else "due", days=clock.days_left, due=clock.due)


@dataclass(frozen=True)
class FindingView:
    field: str
    where: str
    kind: str
    before: str
    match: str
    after: str
    confidence: float
    note: str
    maskable: bool
    attachment: int | None  # the attachment's id, for a finding in an attachment's text
    masked: str  # what masking puts in its place


def _finding_views(findings: list[shield.ItemFinding]) -> list[FindingView]:
    """Each finding with some text either side; the template escapes all three parts."""
    rows = []
    for found in findings:
        text, start, end = found.text, found.finding.start, found.finding.end
        lead = max(0, start - CONTEXT_CHARS)
        tail = min(len(text), end + CONTEXT_CHARS)
        rows.append(
            FindingView(
                field=found.field,
                where=found.label,
                kind=found.finding.label,
                before=("…" if lead else "") + text[lead:start],
                match=text[start:end],
                after=text[end:tail] + ("…" if tail < len(text) else ""),
                confidence=found.finding.confidence,
                note=found.finding.note,
                maskable=found.maskable,
                attachment=found.attachment_id,
                masked=found.finding.masked(),
            )
        )
    return rows


VERB_LABELS = {
    "item.create": gettext_lazy("Created"),
    "item.update": gettext_lazy("Edited"),
    "item.mask": gettext_lazy("Personal data masked"),
    "attachment.mask": gettext_lazy("Personal data masked in an attachment"),
    "attachment.download": gettext_lazy("Original of a masked attachment downloaded"),
    "item.submit": gettext_lazy("Submitted for review"),
    "item.reject": gettext_lazy("Returned for changes"),
    "item.approve": gettext_lazy("Approved"),
    "item.publish": gettext_lazy("Published"),
    "item.withdraw": gettext_lazy("Withdrawn"),
}


@dataclass(frozen=True)
class TimelineRow:
    event: object
    label: str
    status_from: str
    status_to: str
    fields: list[str]
    notes: list[str]


def _field_label(name: str) -> str:
    try:
        return str(Item._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 — an event may name a field that no longer exists
        return name


def _timeline(events) -> list[TimelineRow]:
    """Audit events as rows. Field values are not shown: they may hold masked personal data."""
    statuses = dict(ItemStatus.choices)
    rows = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        fields, notes = [], []
        if event.verb == "item.update":
            fields = [_field_label(name) for name in after if name != "status"]
        elif event.verb == "item.mask":
            fields = [_field_label(name) for name in after.get("masked", [])]
        elif event.verb == "attachment.mask":
            counts = "、".join(
                f"{FINDING_LABELS.get(kind, kind)} {n}"
                for kind, n in after.get("counts", {}).items()
            )
            notes.append(f"{after.get('name', '')}：{counts}")
        elif event.verb == "attachment.download":
            notes.append(after.get("name", ""))
        for key, label in (
            ("index_number", _("Index number")),
            ("comment", _("Comment")),
            ("reason", _("Reason")),
            ("privacy_override", _("Privacy override")),
            ("privacy_override_note", _("Note")),
        ):
            if event.verb != "item.create" and after.get(key):
                notes.append(f"{label}：{after[key]}")
        if after.get("originals_removed"):
            notes.append(
                ngettext(
                    "The original of %(n)d masked attachment was removed.",
                    "The originals of %(n)d masked attachments were removed.",
                    len(after["originals_removed"]),
                )
                % {"n": len(after["originals_removed"])}
            )
        if after.get("override_requested"):
            notes.append(_("Submitted with personal data: the author asks for an exception."))
        rows.append(
            TimelineRow(
                event=event,
                label=str(VERB_LABELS.get(event.verb, event.verb)),
                status_from=statuses.get(before.get("status"), ""),
                status_to=statuses.get(after.get("status"), "") if "status" in before else "",
                fields=fields,
                notes=notes,
            )
        )
    return rows


def _nav(request, agency: Agency, current: str) -> dict:
    return {
        "agency": agency,
        "nav": current,
        "can_create_item": permissions.can_create_item(request.user, agency),
    }


# --- columns -----------------------------------------------------------------------------


def _columns_page(request, agency: Agency, form=None, status=200):
    user = request.user
    can_manage = permissions.can_manage_columns(user, agency)
    counts = selectors.item_counts_by_column(user, agency=agency)
    tree = [
        (column, depth, counts.get(column.pk, 0)) for column, depth in selectors.column_tree(agency)
    ]
    if form is None and can_manage:
        form = forms.ColumnCreateForm(columns=_columns(request, agency))
    context = {
        **_nav(request, agency, "columns"),
        "tree": tree,
        "total": sum(counts.values()),
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "catalogue/columns.html", context, status=status)


@require_GET
@staff_required
def columns(request, agency):
    return _columns_page(request, agency_from_key(request, agency))


@require_POST
@staff_required
def column_create(request, agency):
    agency = agency_from_key(request, agency)
    form = forms.ColumnCreateForm(request.POST, columns=_columns(request, agency))
    if not form.is_valid():
        return _columns_page(request, agency, form, status=400)
    try:
        column = services.column_create(actor=request.user, agency=agency, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form)
        return _columns_page(request, agency, form, status=status_for(exc))
    messages.success(request, _("Column “%(name)s” created.") % {"name": column.name})
    return redirect("catalogue:columns", agency=agency.slug)


@require_http_methods(["GET", "POST"])
@staff_required
def column_edit(request, agency, pk):
    agency = agency_from_key(request, agency)
    column = get_object_or_404(_columns(request, agency), pk=pk)
    if not permissions.can_manage_columns(request.user, agency):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = forms.ColumnUpdateForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.column_update(actor=request.user, column=column, data=form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                report_error(request, exc, form)
                status = status_for(exc)
            else:
                messages.success(request, _("Column saved."))
                return redirect("catalogue:columns", agency=agency.slug)
    else:
        form = forms.ColumnUpdateForm(
            initial={
                "name": column.name,
                "column_type": column.column_type,
                "position": column.position,
                "is_active": column.is_active,
            }
        )
    context = {**_nav(request, agency, "columns"), "column": column, "form": form}
    return render(request, "catalogue/column_form.html", context, status=status)


# --- item lists --------------------------------------------------------------------------


def _rows(items, calendar) -> list[tuple[Item, ClockView]]:
    return [(item, _clock(item, calendar)) for item in items]


@require_GET
@staff_required
def item_list(request, agency):
    agency = agency_from_key(request, agency)
    user = request.user
    form = forms.ItemFilterForm(
        request.GET or None,
        columns=_columns(request, agency),
        years=selectors.item_years(user, agency=agency),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    calendar = core_selectors.current_work_calendar()
    items = selectors.agency_items(
        user,
        agency=agency,
        column=filters.get("column"),
        status=filters.get("status", ""),
        year=filters.get("year"),
        genre=filters.get("genre", ""),
    )
    if filters.get("overdue"):
        overdue = selectors.overdue_items(user, agency=agency, calendar=calendar)
        overdue_ids = {item.pk for item, _clock in overdue}
        items = items.filter(pk__in=overdue_ids)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_nav(request, agency, "items"),
        "form": form,
        "page": page,
        "rows": _rows(page, calendar),
        "query": query.urlencode(),
    }
    return render(request, "catalogue/item_list.html", context)


@require_GET
@staff_required
def overdue(request, agency):
    agency = agency_from_key(request, agency)
    calendar = core_selectors.current_work_calendar()
    found = selectors.overdue_items(request.user, agency=agency, calendar=calendar)
    rows = sorted(_rows([item for item, _clock in found], calendar), key=lambda r: -r[1].days)
    context = {**_nav(request, agency, "overdue"), "rows": rows}
    return render(request, "catalogue/overdue.html", context)


@require_GET
@staff_required
def review_queue(request, agency):
    agency = agency_from_key(request, agency)
    user = request.user
    calendar = core_selectors.current_work_calendar()
    items = selectors.review_queue(user, agency=agency)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_nav(request, agency, "review"),
        "page": page,
        "rows": _rows(page, calendar),
        "is_reviewer": has_role(user, agency, *permissions.REVIEW_ROLES),
    }
    return render(request, "catalogue/review_queue.html", context)


# --- item create / edit / attachments ----------------------------------------------------


def _form_page(request, agency, form, item=None, upload_form=None, status=200):
    context = {
        **_nav(request, agency, "new" if item is None else "items"),
        "form": form,
        "item": item,
        "upload_form": upload_form or (forms.AttachmentForm() if item else None),
        "attachments": item.attachments.all() if item else [],
    }
    return render(request, "catalogue/item_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def item_create(request, agency):
    agency = agency_from_key(request, agency)
    if not permissions.can_create_item(request.user, agency):
        raise PermissionDenied
    columns = _columns(request, agency).filter(is_active=True)
    if request.method == "GET":
        return _form_page(request, agency, forms.ItemForm(columns=columns))
    form = forms.ItemForm(request.POST, columns=columns)
    if not form.is_valid():
        return _form_page(request, agency, form, status=400)
    try:
        item = services.item_create(actor=request.user, agency=agency, **form.service_data())
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form)
        return _form_page(request, agency, form, status=status_for(exc))
    messages.success(request, _("Saved as a draft. You can now add attachments."))
    return redirect("catalogue:item-edit", agency=agency.slug, pk=item.pk)


@require_http_methods(["GET", "POST"])
@staff_required
def item_edit(request, agency, pk):
    agency = agency_from_key(request, agency)
    item = _item(request, agency, pk)
    if not permissions.can_edit_item(request.user, item):
        raise PermissionDenied
    columns = _columns(request, agency).filter(Q(is_active=True) | Q(pk=item.column_id))
    if request.method == "GET":
        return _form_page(request, agency, forms.ItemForm(instance=item, columns=columns), item)
    form = forms.ItemForm(request.POST, instance=item, columns=columns)
    if not form.is_valid():
        return _form_page(request, agency, form, item, status=400)
    try:
        services.item_update(actor=request.user, item=item, data=form.service_data())
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form)
        return _form_page(request, agency, form, item, status=status_for(exc))
    messages.success(request, _("Saved."))
    return _item_url(agency, item)


@require_POST
@staff_required
def attachment_add(request, agency, pk):
    agency = agency_from_key(request, agency)
    item = _item(request, agency, pk)
    upload = forms.AttachmentForm(request.POST, request.FILES)
    edit_form = forms.ItemForm(instance=item, columns=_columns(request, agency))
    if not upload.is_valid():
        return _form_page(request, agency, edit_form, item, upload, status=400)
    file = upload.cleaned_data["file"]
    try:
        attachment = services.attachment_add(
            actor=request.user, item=item, name=file.name, data=file.read()
        )
    except PermissionDenied as exc:
        report_error(request, exc)
        return _detail_page(request, agency, item, status=403)
    except ValidationError as exc:
        for text in error_texts(exc):
            upload.add_error("file", text)
        return _form_page(request, agency, edit_form, item, upload, status=400)
    messages.success(request, _("Attachment “%(name)s” added.") % {"name": attachment})
    return redirect("catalogue:item-edit", agency=agency.slug, pk=item.pk)


@require_POST
@staff_required
def attachment_remove(request, agency, pk, attachment):
    agency = agency_from_key(request, agency)
    item = _item(request, agency, pk)
    attachment = get_object_or_404(item.attachments.select_related("item__agency"), pk=attachment)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc)
        return _detail_page(request, agency, item, status=status_for(exc))
    messages.success(request, _("Attachment “%(name)s” removed.") % {"name": attachment})
    return redirect("catalogue:item-edit", agency=agency.slug, pk=item.pk)


@require_GET
@staff_required
def attachment_download(request, agency, pk, attachment):
    agency = agency_from_key(request, agency)
    item = _item(request, agency, pk)
    attachment = get_object_or_404(item.attachments, pk=attachment)
    try:
        return private_file_response(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )
    except FileNotFoundError:
        raise Http404 from None


@require_GET
@staff_required
def attachment_original(request, agency, pk, attachment):
    """The uploaded original of a masked attachment, while it is kept (until publication)."""
    agency = agency_from_key(request, agency)
    item = _item(request, agency, pk)
    attachment = get_object_or_404(item.attachments.exclude(original_file=""), pk=attachment)
    if not permissions.can_read_original(request.user, item):
        raise PermissionDenied
    try:
        response = private_file_response(
            attachment.original_file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
    except FileNotFoundError:
        raise Http404 from None
    attachment.item = item
    services.attachment_original_download(actor=request.user, attachment=attachment)
    return response


# --- masking inside an attachment ---------------------------------------------------------


def _editable_attachment(request, agency: Agency, pk: int, attachment: int):
    item = _item(request, agency, pk)
    found = get_object_or_404(item.attachments.all(), pk=attachment)
    found.item = item
    if not permissions.can_edit_item(request.user, item):
        raise PermissionDenied
    return item, found


def _mask_page(request, agency, item, attachment, status=200, error: str = ""):
    """What masking the attachment will do: its findings in context with their masks, and the
    counts of the masked copy (or why it cannot be masked)."""
    findings = [
        f for f in _finding_views(shield.item_findings(item)) if f.attachment == attachment.pk
    ]
    counts = []
    try:
        preview = services.attachment_mask_preview(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        error = error or " ".join(error_texts(exc))
    else:
        counts = [(FINDING_LABELS.get(kind, kind), n) for kind, n in sorted(preview.counts.items())]
    context = {
        **_nav(request, agency, "items"),
        "item": item,
        "attachment": attachment,
        "findings": findings,
        "counts": counts,
        "error": error,
    }
    return render(request, "catalogue/attachment_mask.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def attachment_mask(request, agency, pk, attachment):
    """GET: the confirmation page. POST: replace the file with its masked copy."""
    agency = agency_from_key(request, agency)
    item, attachment = _editable_attachment(request, agency, pk, attachment)
    if request.method == "GET":
        return _mask_page(request, agency, item, attachment)
    try:
        services.attachment_mask(actor=request.user, attachment=attachment)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(error_texts(exc))
        return _mask_page(request, agency, item, attachment, status=status_for(exc), error=text)
    messages.success(
        request,
        _(
            "The personal data in “%(name)s” has been masked; the original is kept until publication."
        )
        % {"name": attachment.original_name},
    )
    return _item_url(agency, item)


@require_GET
@staff_required
def attachment_mask_preview(request, agency, pk, attachment):
    """The masked copy as it would be stored, computed for this download only."""
    agency = agency_from_key(request, agency)
    item, attachment = _editable_attachment(request, agency, pk, attachment)
    try:
        preview = services.attachment_mask_preview(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        report_error(request, exc)  # shown on the confirmation page, which says why
        return redirect(
            "catalogue:attachment-mask", agency=agency.slug, pk=item.pk, attachment=attachment.pk
        )
    return private_bytes_response(
        preview.data,
        filename=_("masked-%(name)s") % {"name": attachment.original_name},
        content_type=attachment.content_type,
    )


# --- item detail and workflow actions ----------------------------------------------------


@dataclass(frozen=True)
class AttachmentRow:
    attachment: object
    findings: int  # personal data found in its text
    maskable: bool  # … and the file can be masked in place


def _attachment_rows(item: Item, findings: list[FindingView]) -> list[AttachmentRow]:
    found: dict[int, int] = {}
    for finding in findings:
        if finding.attachment is not None:
            found[finding.attachment] = found.get(finding.attachment, 0) + 1
    return [
        AttachmentRow(a, found.get(a.pk, 0), shield.attachment_maskable(a))
        for a in item.attachments.all()
    ]


def _detail_page(request, agency, item, status=200, **bound_forms):
    user = request.user
    allowed = set(allowed_actions(item.status))
    can_review = permissions.can_review_item(user, item)
    can = {
        "edit": permissions.can_edit_item(user, item),
        "submit": Action.SUBMIT in allowed and permissions.can_submit_item(user, item),
        "reject": Action.REJECT in allowed and can_review,
        "approve": Action.APPROVE in allowed and can_review,
        "publish": Action.PUBLISH in allowed and permissions.can_publish_item(user, item),
        "withdraw": Action.WITHDRAW in allowed and permissions.can_withdraw_item(user, item),
        "record": item.status == ItemStatus.PUBLISHED
        and permissions.can_record_publication(user, agency),
    }
    item_findings = shield.item_findings(item)
    findings = _finding_views(item_findings)
    calendar = core_selectors.current_work_calendar()
    context = {
        **_nav(request, agency, "items"),
        "item": item,
        "can": can,
        "any_action": any(can[a] for a in ("submit", "reject", "approve", "publish", "withdraw")),
        "own_submission": item.status == ItemStatus.PENDING
        and permissions.is_own_submission(user, item)
        and has_role(user, agency, *permissions.REVIEW_ROLES),
        "own_content": item.status == ItemStatus.PENDING
        and permissions.is_content_author(user, item)
        and has_role(user, agency, *permissions.REVIEW_ROLES),
        "findings": findings,
        # the text fields' one action; an attachment has its own (attachment_mask)
        "can_mask": can["edit"] and any(f.maskable and not f.attachment for f in findings),
        "clock": _clock(item, calendar),
        # Saved bodies are sanitised by the service; sanitise again in case a row was written
        # some other way (an import, the admin), since the page marks the body safe.
        "body_html": richtext.sanitize(item.body),
        "attachments": _attachment_rows(item, findings),
        "can_read_original": permissions.can_read_original(user, item),
        "scans": _scan_rows(user, item, item_findings),
        "reviews": item.reviews.select_related("reviewer"),
        "timeline": _timeline(selectors.item_timeline(user, item)),
        "publications": item.publications.select_related("channel"),
        "submit_form": bound_forms.get("submit_form") or forms.SubmitForm(),
        "return_form": bound_forms.get("return_form") or forms.ReturnForm(),
        "approve_form": bound_forms.get("approve_form") or forms.ApproveForm(),
        "withdraw_form": bound_forms.get("withdraw_form") or forms.WithdrawForm(),
        "publication_form": bound_forms.get("publication_form")
        or forms.PublicationForm(channels=_channels(request, agency).filter(is_active=True)),
    }
    return render(request, "catalogue/item_detail.html", context, status=status)


@require_GET
@staff_required
def item_detail(request, agency, pk):
    agency = agency_from_key(request, agency)
    # The privacy shield and the page both read the attachments: fetch them once.
    items = selectors.items_visible_to(request.user).filter(agency=agency)
    item = get_object_or_404(items.prefetch_related("attachments"), pk=pk)
    return _detail_page(request, agency, item)


def _action(request, agency, pk, run, done: str, form_name: str = "", make_form=None):
    """Run one workflow service for the item; redirect on success, re-render on failure.

    `make_form(agency)` builds the bound form of the action, if it has one.
    """
    agency = agency_from_key(request, agency)
    item = _item(request, agency, pk)
    form = make_form(agency) if make_form else None
    bound = {form_name: form} if form_name else {}
    if form is not None and not form.is_valid():
        return _detail_page(request, agency, item, status=400, **bound)
    try:
        run(item, form.cleaned_data if form is not None else None)
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form)
        return _detail_page(request, agency, item, status=status_for(exc), **bound)
    messages.success(request, done)
    return _item_url(agency, item)


@require_POST
@staff_required
def item_mask(request, agency, pk):
    return _action(
        request,
        agency,
        pk,
        lambda item, _data: services.item_mask_findings(actor=request.user, item=item),
        _("Personal data in the title, summary and body has been masked."),
    )


@require_POST
@staff_required
def item_submit(request, agency, pk):
    return _action(
        request,
        agency,
        pk,
        lambda item, data: services.item_submit(
            actor=request.user, item=item, request_override=data["request_override"]
        ),
        _("Submitted for review."),
        "submit_form",
        lambda _agency: forms.SubmitForm(request.POST),
    )


@require_POST
@staff_required
def item_reject(request, agency, pk):
    return _action(
        request,
        agency,
        pk,
        lambda item, data: services.item_reject(
            actor=request.user, item=item, comment=data["comment"]
        ),
        _("Returned to the author for changes."),
        "return_form",
        lambda _agency: forms.ReturnForm(request.POST),
    )


def _approve(actor, item, data):
    return services.item_approve(
        actor=actor,
        item=item,
        checks=ReviewChecks(
            secrecy=data["check_secrecy"],
            privacy=data["check_privacy"],
            wording=data["check_wording"],
        ),
        comment=data["comment"],
        privacy_override=data["privacy_override"],
        privacy_override_note=data["privacy_override_note"],
        publish_now=data["publish_now"],
        scheduled_at=data["scheduled_at"],
    )


@require_POST
@staff_required
def item_approve(request, agency, pk):
    return _action(
        request,
        agency,
        pk,
        lambda item, data: _approve(request.user, item, data),
        _("Approved; the index number has been assigned."),
        "approve_form",
        lambda _agency: forms.ApproveForm(request.POST),
    )


@require_POST
@staff_required
def item_publish(request, agency, pk):
    return _action(
        request,
        agency,
        pk,
        lambda item, _data: services.item_publish(actor=request.user, item=item),
        _("Published."),
    )


@require_POST
@staff_required
def item_withdraw(request, agency, pk):
    return _action(
        request,
        agency,
        pk,
        lambda item, data: services.item_withdraw(
            actor=request.user, item=item, reason=data["reason"]
        ),
        _("Withdrawn."),
        "withdraw_form",
        lambda _agency: forms.WithdrawForm(request.POST),
    )


@require_POST
@staff_required
def publication_record(request, agency, pk):
    return _action(
        request,
        agency,
        pk,
        lambda item, data: services.publication_record(actor=request.user, item=item, **data),
        _("Publication recorded."),
        "publication_form",
        lambda agency: forms.PublicationForm(request.POST, channels=_channels(request, agency)),
    )


# --- channels ----------------------------------------------------------------------------


def _channels_page(request, agency, form=None, status=200):
    can_manage = permissions.can_manage_channels(request.user, agency)
    if form is None and can_manage:
        form = forms.ChannelForm()
    context = {
        **_nav(request, agency, "channels"),
        "channels": _channels(request, agency),
        "can_manage": can_manage,
        "can_record": permissions.can_record_publication(request.user, agency),
        "form": form,
    }
    return render(request, "catalogue/channels.html", context, status=status)


@require_GET
@staff_required
def channels(request, agency):
    return _channels_page(request, agency_from_key(request, agency))


@require_POST
@staff_required
def channel_create(request, agency):
    agency = agency_from_key(request, agency)
    form = forms.ChannelForm(request.POST)
    if not form.is_valid():
        return _channels_page(request, agency, form, status=400)
    try:
        channel = services.channel_create(actor=request.user, agency=agency, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form)
        return _channels_page(request, agency, form, status=status_for(exc))
    messages.success(request, _("Channel “%(name)s” added.") % {"name": channel})
    return redirect("catalogue:channels", agency=agency.slug)


# --- imports (CSV/XLSX): upload → preview → confirm --------------------------------------
#
# The upload is parsed and checked by the import's preview (nothing is written) and, when every
# row is good, kept on the server (staging) until the user confirms; the confirmation runs the
# whole import again inside one transaction, so it is all or nothing even if the catalogue
# changed in between.

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ImportErrorView:
    row: int | None
    column: str  # the heading the error is about, as the file names it; "" for the row
    message: str


@dataclass(frozen=True)
class ItemImportRow:
    row: int
    column: str
    title: str
    formed_on: date
    genre: str
    document_number: str
    publisher: str
    topic: str
    validity: str


def _import_errors(errors, found: dict[str, str], headings) -> list[ImportErrorView]:
    labels = {heading.name: heading.label for heading in headings}
    return [
        ImportErrorView(
            row=error.row,
            column=found.get(error.field) or labels.get(error.field, error.field),
            message=error.detail,
        )
        for error in errors
    ]


def _item_import_rows(preview: imports.ItemsPreview) -> list[ItemImportRow]:
    genres, validities = dict(Genre.choices), dict(Validity.choices)
    rows = []
    for parsed in preview.rows:
        values, column = parsed.values, parsed.values["column"]
        rows.append(
            ItemImportRow(
                row=parsed.row,
                column=getattr(column, "import_path", column.name),
                title=values["title"],
                formed_on=values["formed_on"],
                genre=genres.get(values["genre"], values["genre"]),
                document_number=values.get("document_number", ""),
                publisher=values.get("publisher", ""),
                topic=values.get("topic", ""),
                validity=validities.get(values.get("validity", ""), ""),
            )
        )
    return rows


def _refused_message(request) -> None:
    messages.error(
        request,
        _(
            "The file to import is no longer available or has changed since its preview. "
            "Upload it again."
        ),
    )


def _import_context(headings, form, preview, staged, file_name) -> dict:
    return {
        "form": form or forms.ImportFileForm(),
        "headings": headings,
        "labels": {heading.name: heading.label for heading in headings},
        "max_bytes": settings.GONGKAI_ATTACHMENT_MAX_BYTES,
        "preview": preview,
        "file_name": staged.file_name if staged else file_name,
        "errors": _import_errors(preview.errors, preview.headings, headings) if preview else [],
        "staged": staged,
        "confirm_form": forms.ImportConfirmForm(initial={"sha256": staged.sha256})
        if staged
        else None,
    }


def _item_import_page(
    request, agency, form=None, preview=None, staged=None, file_name="", status=200
):
    context = {
        **_nav(request, agency, "import"),
        **_import_context(imports.ITEM_HEADINGS, form, preview, staged, file_name),
        "rows": _item_import_rows(preview) if preview else [],
        "genres": Genre.labels,
        "validities": Validity.labels,
        "topics": TOPICS,
    }
    return render(request, "catalogue/item_import.html", context, status=status)


def _require_item_author(request, agency) -> None:
    if not permissions.can_create_item(request.user, agency):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@staff_required
def item_import(request, agency):
    """Step 1 (GET): the upload form. Step 2 (POST): the preview of the uploaded file."""
    agency = agency_from_key(request, agency)
    _require_item_author(request, agency)
    if request.method == "GET":
        return _item_import_page(request, agency)
    staging.discard(request, staging.ITEMS)
    form = forms.ImportFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _item_import_page(request, agency, form, status=400)
    file = form.cleaned_data["file"]
    data = file.read()
    preview = imports.items_preview(
        actor=request.user, agency=agency, file_name=file.name, data=data
    )
    if preview.errors:
        return _item_import_page(request, agency, preview=preview, file_name=file.name, status=400)
    staged = staging.stage(
        request, staging.ITEMS, agency=agency, file_name=file.name, data=data, channel=None
    )
    return _item_import_page(request, agency, preview=preview, staged=staged)


@require_POST
@staff_required
def item_import_confirm(request, agency):
    """Step 3: import the staged file (all or nothing), then go to the item list."""
    agency = agency_from_key(request, agency)
    _require_item_author(request, agency)
    form = forms.ImportConfirmForm(request.POST)
    confirmed = form.cleaned_data["sha256"] if form.is_valid() else ""
    try:
        staged, data = staging.load(
            request, staging.ITEMS, agency=agency, channel=None, confirmed=confirmed
        )
    except staging.StagedFileRefused:
        _refused_message(request)
        return _item_import_page(request, agency, status=400)
    staging.discard(request, staging.ITEMS)  # used once, whatever the outcome (no double import)
    try:
        items = imports.items_import(
            actor=request.user, agency=agency, file_name=staged.file_name, data=data
        )
    except imports.ImportRejected as exc:
        preview = imports.ItemsPreview(errors=exc.row_errors)
        return _item_import_page(
            request, agency, preview=preview, file_name=staged.file_name, status=400
        )
    messages.success(
        request,
        ngettext(
            "%(n)d item was created as a draft in %(agency)s.",
            "%(n)d items were created as drafts in %(agency)s.",
            len(items),
        )
        % {"n": len(items), "agency": agency.name},
    )
    return redirect("catalogue:item-list", agency=agency.slug)


@require_GET
@staff_required
def item_import_template(request, agency):
    """An empty XLSX with the headings an items file needs."""
    agency = agency_from_key(request, agency)
    _require_item_author(request, agency)
    return HttpResponse(
        imports.items_template(),
        content_type=XLSX_CONTENT_TYPE,
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=_("items-import-template.xlsx")
            )
        },
    )


# --- publications on a channel, from a CSV/XLSX of the account's posts --------------------


@dataclass(frozen=True)
class PublicationImportRow:
    row: int
    index_number: str
    title: str
    published_on: date
    url: str
    already_recorded: bool


def _publication_import_page(
    request, agency, channel, form=None, preview=None, staged=None, file_name="", status=200
):
    rows = [
        PublicationImportRow(
            row=parsed.row,
            index_number=parsed.item.index_number,
            title=parsed.item.title,
            published_on=parsed.published_on,
            url=parsed.url,
            already_recorded=parsed.already_recorded,
        )
        for parsed in (preview.rows if preview else [])
    ]
    to_record = sum(1 for row in rows if not row.already_recorded)
    context = {
        **_nav(request, agency, "channels"),
        **_import_context(imports.PUBLICATION_HEADINGS, form, preview, staged, file_name),
        "channel": channel,
        "importable": channel.kind != ChannelKind.WEBSITE,
        "rows": rows,
        "to_record": to_record,
        "skipped": len(rows) - to_record,
    }
    return render(request, "catalogue/publication_import.html", context, status=status)


def _import_channel(request, agency, pk: int):
    channel = get_object_or_404(_channels(request, agency).select_related("agency"), pk=pk)
    if not permissions.can_record_publication(request.user, agency):
        raise PermissionDenied
    return channel


@require_http_methods(["GET", "POST"])
@staff_required
def publication_import(request, agency, channel):
    """Step 1 (GET): the upload form. Step 2 (POST): the preview of the account's posts."""
    agency = agency_from_key(request, agency)
    channel = _import_channel(request, agency, channel)
    if request.method == "GET":
        return _publication_import_page(request, agency, channel)
    staging.discard(request, staging.PUBLICATIONS)
    form = forms.ImportFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _publication_import_page(request, agency, channel, form, status=400)
    file = form.cleaned_data["file"]
    data = file.read()
    try:
        preview = imports.publications_preview(
            actor=request.user, channel=channel, file_name=file.name, data=data
        )
    except ValidationError as exc:  # the website channel
        report_error(request, exc)
        return _publication_import_page(request, agency, channel, form, status=400)
    staged = None
    if not preview.errors and any(not row.already_recorded for row in preview.rows):
        staged = staging.stage(
            request,
            staging.PUBLICATIONS,
            agency=agency,
            file_name=file.name,
            data=data,
            channel=channel,
        )
    status = 400 if preview.errors else 200
    return _publication_import_page(
        request, agency, channel, preview=preview, staged=staged, file_name=file.name, status=status
    )


@require_POST
@staff_required
def publication_import_confirm(request, agency, channel):
    """Step 3: record the staged file's rows on the channel (all or nothing)."""
    agency = agency_from_key(request, agency)
    channel = _import_channel(request, agency, channel)
    form = forms.ImportConfirmForm(request.POST)
    confirmed = form.cleaned_data["sha256"] if form.is_valid() else ""
    try:
        staged, data = staging.load(
            request, staging.PUBLICATIONS, agency=agency, channel=channel, confirmed=confirmed
        )
    except staging.StagedFileRefused:
        _refused_message(request)
        return _publication_import_page(request, agency, channel, status=400)
    staging.discard(request, staging.PUBLICATIONS)  # used once, whatever the outcome
    try:
        publications = imports.publications_import(
            actor=request.user, channel=channel, file_name=staged.file_name, data=data
        )
    except imports.ImportRejected as exc:
        preview = imports.PublicationsPreview(channel=channel, errors=exc.row_errors)
        return _publication_import_page(
            request, agency, channel, preview=preview, file_name=staged.file_name, status=400
        )
    except ValidationError as exc:  # the website channel
        report_error(request, exc)
        return _publication_import_page(request, agency, channel, status=400)
    messages.success(
        request,
        ngettext(
            "%(n)d publication was recorded on %(channel)s.",
            "%(n)d publications were recorded on %(channel)s.",
            len(publications),
        )
        % {"n": len(publications), "channel": channel},
    )
    return redirect("catalogue:channels", agency=agency.slug)


# --- scans read by OCR -----------------------------------------------------------------------


@dataclass(frozen=True)
class ScanFinding:
    kind: str
    match: str
    page: int | None  # where OCR found it, when its words are known


@dataclass(frozen=True)
class ScanRow:
    attachment: object
    status: str
    confidence: float | None
    unread: bool  # still blocks the item
    can_check: bool
    findings: list[ScanFinding]
    pages: list[int]  # pages with findings, each shown with the findings outlined


def _scan_rows(user, item: Item, item_findings: list[shield.ItemFinding]) -> list[ScanRow]:
    """Each attachment read (or to be read) by OCR, with its findings and the page each is on."""
    from gongkai.core import ocr

    from .models import OcrStatus

    rows = []
    for attachment in item.attachments.all():
        if attachment.ocr_status == OcrStatus.NOT_NEEDED:
            continue
        found = []
        for f in item_findings:
            if f.attachment_id != attachment.pk:
                continue
            regions = ocr.locate(attachment.ocr_layout, f.finding.start, f.finding.end)
            found.append(
                ScanFinding(
                    kind=f.finding.label,
                    match=f.text[f.finding.start : f.finding.end],
                    page=regions[0].page if regions else None,
                )
            )
        attachment.item = item
        rows.append(
            ScanRow(
                attachment=attachment,
                status=attachment.get_ocr_status_display(),
                confidence=attachment.ocr_confidence,
                unread=attachment.ocr_status in shield.UNREAD_SCAN_STATUSES,
                can_check=permissions.can_check_scan(user, attachment),
                findings=found,
                pages=sorted({f.page for f in found if f.page}),
            )
        )
    return rows


@require_POST
@staff_required
def attachment_ocr_checked(request, agency, pk, attachment):
    """A reviewer confirms they read an uncertain scan by eye and found no personal data."""
    agency = agency_from_key(request, agency)
    item = _item(request, agency, pk)
    attachment = get_object_or_404(item.attachments.all(), pk=attachment)
    attachment.item = item
    try:
        services.attachment_ocr_checked(actor=request.user, attachment=attachment)
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc)
        return _detail_page(request, agency, item, status=status_for(exc))
    messages.success(
        request,
        _("“%(name)s” has been checked by eye; it no longer holds the item back.")
        % {"name": attachment.original_name},
    )
    return _item_url(agency, item)


SCAN_PAGE_WIDTH = 1200  # pixels: enough to read a page on screen


@require_GET
@staff_required
def attachment_scan_page(request, agency, pk, attachment, page):
    """One page of a scan as a PNG with the personal data OCR found on it outlined: for the
    staff who can see the item, never cached, never public."""
    import io

    from PIL import Image, ImageDraw

    from gongkai.core import ocr

    agency = agency_from_key(request, agency)
    item = _item(request, agency, pk)
    attachment = get_object_or_404(item.attachments.exclude(ocr_layout=[]), pk=attachment)
    layout = next((p for p in attachment.ocr_layout if p.get("page") == page), None)
    if layout is None:
        raise Http404
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    if attachment.kind == "pdf":
        pages = ocr.pdf_pages(data, name=attachment.original_name, first=page - 1, count=1)
        png = next(pages)[0]
    else:
        png = ocr.image_page(data, name=attachment.original_name, page=page)[0]
    regions = [
        region
        for f in shield.item_findings(item)
        if f.attachment_id == attachment.pk
        for region in ocr.locate([layout], f.finding.start, f.finding.end)
    ]
    with Image.open(io.BytesIO(png)) as image:
        canvas = image.convert("RGB")
    draw = ImageDraw.Draw(canvas)
    width = max(3, canvas.width // 400)
    for region in regions:
        left, top, right, bottom = region.box
        draw.rectangle((left - 6, top - 6, right + 6, bottom + 6), outline=(220, 0, 0), width=width)
    if canvas.width > SCAN_PAGE_WIDTH:
        canvas = canvas.resize(
            (SCAN_PAGE_WIDTH, round(canvas.height * SCAN_PAGE_WIDTH / canvas.width))
        )
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response
