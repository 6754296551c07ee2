"""The catalogue's two import wizards (CSV/XLSX): items into the catalogue, and publications on
a channel from a file of the account's posts. Each is upload → preview → confirm."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.core import staging
from gongkai.core.tables import RowError
from gongkai.core.views import staff_required
from gongkai.core.views_helpers import agency_from_key, import_run_page, report_error

from . import forms, imports, imports_queue, permissions, presenters
from .taxonomy import TOPICS, ChannelKind, Genre, Validity
from .views import _channels, _nav

# --- imports (CSV/XLSX): upload → preview → confirm --------------------------------------
#
# The upload is parsed and checked by the import's preview (nothing is written) and, when every
# row is good, kept on the server (staging) until the user confirms; the confirmation runs the
# whole import again inside one transaction, so it is all or nothing even if the catalogue
# changed in between.

# the kinds of staged file (gongkai.core.staging): one per wizard and session
ITEMS_STAGING = "catalogue.items"
PUBLICATIONS_STAGING = "catalogue.publications"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        "errors": presenters.import_errors(preview.errors, preview.headings, headings)
        if preview
        else [],
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
        "rows": presenters.item_import_rows(preview) if preview else [],
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
    staging.discard(request, ITEMS_STAGING)
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
    staged = staging.stage(request, ITEMS_STAGING, agency=agency, file_name=file.name, data=data)
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
        staged, data = staging.load(request, ITEMS_STAGING, agency=agency, confirmed=confirmed)
    except staging.StagedFileRefused:
        _refused_message(request)
        return _item_import_page(request, agency, status=400)
    # the task owns the file now; the session forgets it, so it is confirmed once only
    staging.hand_over(request, ITEMS_STAGING)
    queued = imports_queue.items_import_queue(actor=request.user, agency=agency, staged=staged)
    return redirect("catalogue:item-import-run", agency=agency.slug, pk=queued.pk)


@require_GET
@staff_required
def item_import_run(request, agency, pk):
    """The confirmed import, written by a background task: "n / N rows" while it runs (the
    page reloads itself through a Refresh header), then the result or the rows rejected."""
    agency = agency_from_key(request, agency)
    _require_item_author(request, agency)
    found = imports_queue.items_task_for(user=request.user, agency=agency, pk=pk)
    if found is None:
        raise Http404
    result = (found.payload or {}).get("result") or {}
    return import_run_page(
        request,
        task=found,
        template="catalogue/item_import_run.html",
        context={**_nav(request, agency, "import"), "created": len(result.get("items", []))},
        errors_of=lambda rows: presenters.import_errors(
            [RowError(**row) for row in rows], {}, imports.ITEM_HEADINGS
        ),
    )


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


def _publication_import_page(
    request, agency, channel, form=None, preview=None, staged=None, file_name="", status=200
):
    rows = presenters.publication_import_rows(preview)
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
    staging.discard(request, PUBLICATIONS_STAGING)
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
            PUBLICATIONS_STAGING,
            agency=agency,
            file_name=file.name,
            data=data,
            scope=channel.pk,
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
            request, PUBLICATIONS_STAGING, agency=agency, scope=channel.pk, confirmed=confirmed
        )
    except staging.StagedFileRefused:
        _refused_message(request)
        return _publication_import_page(request, agency, channel, status=400)
    # the task owns the file now; the session forgets it, so it is confirmed once only
    staging.hand_over(request, PUBLICATIONS_STAGING)
    queued = imports_queue.publications_import_queue(
        actor=request.user, agency=agency, channel=channel, staged=staged
    )
    return redirect(
        "catalogue:publication-import-run", agency=agency.slug, channel=channel.pk, pk=queued.pk
    )


@require_GET
@staff_required
def publication_import_run(request, agency, channel, pk):
    """The confirmed publications import, written by a background task: "n / N rows" while it
    runs (the page reloads itself), then how many were recorded or the rows rejected."""
    agency = agency_from_key(request, agency)
    channel = _import_channel(request, agency, channel)
    found = imports_queue.publications_task_for(
        user=request.user, agency=agency, channel=channel, pk=pk
    )
    if found is None:
        raise Http404
    result = (found.payload or {}).get("result") or {}
    return import_run_page(
        request,
        task=found,
        template="catalogue/publication_import_run.html",
        context={
            **_nav(request, agency, "channels"),
            "channel": channel,
            "recorded": len(result.get("publications", [])),
        },
        errors_of=lambda rows: presenters.import_errors(
            [RowError(**row) for row in rows], {}, imports.PUBLICATION_HEADINGS
        ),
    )
