"""Staff pages of an item's attachments: upload, removal, download, the kept original, masking
the personal data inside a file, and the scans read by OCR (checked by eye, pages outlined)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.core.models import Agency
from gongkai.core.storage import private_bytes_response, private_file_response
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key, error_texts, report_error, status_for
from gongkai.privacy import FINDING_LABELS

from . import forms, permissions, presenters, services, shield
from .views import _columns, _detail_page, _form_page, _item, _item_url, _nav

# --- adding, removing and reading attachments ----------------------------------------------


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
        f
        for f in presenters.finding_views(shield.item_findings(item))
        if f.attachment == attachment.pk
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
