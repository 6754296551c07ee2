"""Staff pages of the disclosure catalogue (主动公开).

Each view resolves the agency from the URL through the scoped selector (another agency answers
404), parses its input with a form, calls one service or selector, and renders. Service errors
(validation, workflow, privacy, permission) are shown on the page, never as a server error.
The attachment pages are in `views_attachments`, the import wizards in `views_import`, and what
the templates read is shaped in `presenters`.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.core import selectors as core_selectors
from gongkai.core.models import Agency
from gongkai.core.permissions import has_role, roles_at
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key, report_error, status_for
from gongkai.wording import items as wording_items

from . import forms, permissions, presenters, richtext, selectors, services, shield
from .models import Item, ItemStatus
from .services import ReviewChecks
from .workflow import MACHINE

PAGE_SIZE = 30

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
    items = filtered_items(user, agency, filters, calendar)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    roles = roles_at(user, agency)  # one look-up for the "new item" link and the bulk actions
    context = {
        "agency": agency,
        "nav": "items",
        "can_create_item": bool(roles & set(permissions.AUTHOR_ROLES)),
        "can_bulk": bool(roles & {*permissions.AUTHOR_ROLES, *permissions.REVIEW_ROLES}),
        "form": form,
        "page": page,
        "rows": presenters.clock_rows(page, calendar),
        "query": query.urlencode(),
        "headers": presenters.sort_headers(query, filters.get("sort") or ""),
    }
    return render(request, "catalogue/item_list.html", context)


def filtered_items(user, agency, filters: dict, calendar):
    """The list's items for its parsed filters (the page and its XLSX export)."""
    items = selectors.agency_items(
        user,
        agency=agency,
        column=filters.get("column"),
        status=filters.get("status", ""),
        year=filters.get("year"),
        genre=filters.get("genre", ""),
        returned=bool(filters.get("returned")),
        q=filters.get("q", ""),
        formed_from=filters.get("formed_from"),
        formed_to=filters.get("formed_to"),
        sort=filters.get("sort", ""),
    )
    if filters.get("overdue"):
        overdue = selectors.overdue_items(user, agency=agency, calendar=calendar)
        overdue_ids = {item.pk for item, _clock in overdue}
        items = items.filter(pk__in=overdue_ids)
    return items


@require_GET
@staff_required
def overdue(request, agency):
    agency = agency_from_key(request, agency)
    calendar = core_selectors.current_work_calendar()
    found = selectors.overdue_items(request.user, agency=agency, calendar=calendar)
    rows = sorted(
        presenters.clock_rows([item for item, _clock in found], calendar), key=lambda r: -r[1].days
    )
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
        "rows": presenters.clock_rows(page, calendar),
        "is_reviewer": has_role(user, agency, *permissions.REVIEW_ROLES),
    }
    return render(request, "catalogue/review_queue.html", context)


# --- item create / edit -------------------------------------------------------------


def _form_page(request, agency, form, item=None, upload_form=None, status=200, *, token=None):
    """The item's form with the rich editor. `token` keys the files uploaded on the form before
    it is saved (a new one for a form opened afresh)."""
    token = token or request.POST.get("drafts") or ""
    if not services.DRAFT_TOKEN.match(token):
        token = secrets.token_urlsafe(24)
    context = {
        **_nav(request, agency, "new" if item is None else "items"),
        "form": form,
        "item": item,
        "upload_form": upload_form or (forms.AttachmentForm() if item else None),
        "attachments": item.attachments.all() if item else [],
        "drafts_token": token,
        "drafts": selectors.draft_attachments(request.user, agency=agency, token=token),
        "editor_strings": presenters.editor_strings(),
    }
    return render(request, "catalogue/item_form.html", context, status=status)


def _store_form_files(request, agency, form) -> bool:
    """Files chosen in the form's upload field when it is saved are kept as drafts first
    (then adopted with the item); a refused one is reported on the form, nothing saved."""
    token = request.POST.get("drafts", "")
    for upload in request.FILES.getlist("draft_files"):
        try:
            services.draft_attachment_add(
                actor=request.user, agency=agency, token=token, name=upload.name, data=upload.read()
            )
        except (ValidationError, PermissionDenied) as exc:
            report_error(request, exc)
            return False
    return True


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
    if not form.is_valid() or not _store_form_files(request, agency, form):
        return _form_page(request, agency, form, status=400)
    try:
        item = services.item_create(
            actor=request.user,
            agency=agency,
            drafts=request.POST.get("drafts", ""),
            **form.service_data(),
        )
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form)
        return _form_page(request, agency, form, status=status_for(exc))
    messages.success(request, _("Saved as a draft."))
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
    if not form.is_valid() or not _store_form_files(request, agency, form):
        return _form_page(request, agency, form, item, status=400)
    try:
        services.item_update(
            actor=request.user,
            item=item,
            data=form.service_data(),
            drafts=request.POST.get("drafts", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc, form)
        return _form_page(request, agency, form, item, status=status_for(exc))
    messages.success(request, _("Saved."))
    return _item_url(agency, item)


# --- item detail and workflow actions ----------------------------------------------------


def _detail_page(request, agency, item, status=200, **bound_forms):
    user = request.user
    allowed = set(MACHINE.actions(user, item))  # the guards the services apply
    can = {
        "edit": permissions.can_edit_item(user, item),
        **{action: action in allowed for action in MACHINE.names()},
        "record": item.status == ItemStatus.PUBLISHED
        and permissions.can_record_publication(user, agency),
    }
    item_findings = shield.item_findings(item)
    findings = presenters.finding_views(item_findings)
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
        # the wording check's findings (gongkai.wording), shown beside the privacy findings
        "wording_findings": wording_items.item_findings(item),
        # the text fields' one action; an attachment has its own (attachment_mask)
        "can_mask": can["edit"] and any(f.maskable and not f.attachment for f in findings),
        "clock": presenters.clock_view(item, calendar),
        # Saved bodies are sanitised by the service; sanitise again in case a row was written
        # some other way (an import, the admin), since the page marks the body safe.
        "body_html": richtext.sanitize(item.body),
        "attachments": presenters.attachment_rows(item, findings),
        "can_read_original": permissions.can_read_original(user, item),
        "scans": presenters.scan_rows(user, item, item_findings),
        "reviews": item.reviews.select_related("reviewer"),
        "timeline": presenters.timeline(selectors.item_timeline(user, item)),
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
        wording_acknowledged=data["acknowledge_wording"],
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
