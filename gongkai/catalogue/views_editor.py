"""The item editor's helpers: a .docx imported as the body, files uploaded on the form before
it is saved, and the findings shown beside the text as it is typed.

The import and the uploads are ordinary form posts (the item form's other buttons): the form
comes back with what was typed, so they work without JavaScript too. The findings answer a
debounced POST from the editor with JSON.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key, error_texts, report_error

from . import forms, live_checks, permissions, services
from .views import _columns, _form_page, _item


def _editing(request, agency_key, pk):
    """The agency, the item being edited (None for a new one) and the form as typed."""
    agency = agency_from_key(request, agency_key)
    item = None
    columns = _columns(request, agency).filter(is_active=True)
    if pk is not None:
        item = _item(request, agency, pk)
        if not permissions.can_edit_item(request.user, item):
            raise PermissionDenied
        columns = _columns(request, agency).filter(Q(is_active=True) | Q(pk=item.column_id))
    elif not permissions.can_create_item(request.user, agency):
        raise PermissionDenied
    return agency, item, columns


def _form_as_typed(request, item, columns, **changes):
    """The item form showing what was posted (not validated: the person has not saved yet)."""
    initial = {name: request.POST.get(name, "") for name in forms.ITEM_FORM_FIELDS}
    initial["other_channels_only"] = bool(request.POST.get("other_channels_only"))
    initial.update(changes)
    return forms.ItemForm(instance=item, initial=initial, columns=columns)


@require_POST
@staff_required
def item_form_import(request, agency, pk=None):
    """Import a .docx as the body: the form comes back with the document's text in the editor
    and its pictures among the files waiting for the first save."""
    agency, item, columns = _editing(request, agency, pk)
    upload = request.FILES.get("docx")
    if upload is None:
        messages.error(request, _("Choose a Word (.docx) file to import."))
        return _form_page(request, agency, _form_as_typed(request, item, columns), item, status=400)
    try:
        imported = services.item_docx_import(
            actor=request.user,
            agency=agency,
            token=request.POST.get("drafts", ""),
            name=upload.name,
            data=upload.read(),
        )
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc)
        return _form_page(request, agency, _form_as_typed(request, item, columns), item, status=400)
    messages.success(
        request,
        _("“%(name)s” imported as the body; check it before saving.") % {"name": upload.name},
    )
    if imported.drafts:
        messages.info(
            request,
            ngettext(
                "%(n)d picture is kept as an attachment; it is added when you save.",
                "%(n)d pictures are kept as attachments; they are added when you save.",
                len(imported.drafts),
            )
            % {"n": len(imported.drafts)},
        )
    for name in imported.skipped:
        messages.warning(
            request,
            _("The picture “%(name)s” is in a format attachments do not take and was left out.")
            % {"name": name},
        )
    form = _form_as_typed(request, item, columns, body=imported.body)
    return _form_page(request, agency, form, item)


@require_POST
@staff_required
def item_form_files(request, agency, pk=None):
    """Upload files on the form before saving it, or remove one (`remove` = its id)."""
    agency, item, columns = _editing(request, agency, pk)
    token = request.POST.get("drafts", "")
    status = 200
    try:
        if request.POST.get("remove"):
            services.draft_attachment_remove(
                actor=request.user,
                agency=agency,
                token=token,
                draft_id=int(request.POST["remove"]) if request.POST["remove"].isdigit() else 0,
            )
        else:
            uploads = request.FILES.getlist("draft_files")
            if not uploads:
                messages.error(request, _("Choose a file to upload."))
                status = 400
            for upload in uploads:
                draft = services.draft_attachment_add(
                    actor=request.user,
                    agency=agency,
                    token=token,
                    name=upload.name,
                    data=upload.read(),
                )
                messages.success(
                    request,
                    _("“%(name)s” uploaded; it is attached when you save.") % {"name": draft},
                )
    except (ValidationError, PermissionDenied) as exc:
        report_error(request, exc)
        status = 400
    return _form_page(request, agency, _form_as_typed(request, item, columns), item, status=status)


@require_POST
@staff_required
def item_form_findings(request, agency):
    """The findings in the form's title, summary and body as typed (JSON). For the item's
    authors; CSRF-checked like any POST; the text is not stored or logged."""
    agency = agency_from_key(request, agency)
    if not permissions.can_create_item(request.user, agency):
        raise PermissionDenied
    fields = {name: request.POST.get(name, "") for name in ("title", "summary", "body")}
    if sum(len(v) for v in fields.values()) > live_checks.MAX_CHARS:
        return JsonResponse(
            {"error": _("The text is too long to check as it is typed; saving checks it.")},
            status=413,
        )
    try:
        findings = live_checks.check_fields(agency, **fields)
    except ValidationError as exc:  # pragma: no cover — a checker refusing its input
        return JsonResponse({"error": " ".join(error_texts(exc))}, status=400)
    return JsonResponse({"findings": findings, "count": len(findings)})
