"""The page of a staff export built in the background (gongkai.core.exports) and its file.

Both answer 404 to anyone but the user who started the export, and to them too once the kind's
permission no longer holds: an export holds what its page held, and its page's reader alone
asked for it."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import exports
from .storage import private_name_response
from .views import staff_required

REFRESH_SECONDS = 2


def _state(request, pk: int) -> exports.ExportState:
    state = exports.export_for(user=request.user, pk=pk)
    if state is None:
        raise Http404
    return state


@require_GET
@staff_required
def export_detail(request, pk: int):
    """ "n / N" while the file is built (the page reloads itself), then the link to it."""
    state = _state(request, pk)
    response = render(
        request,
        "core/export.html",
        {
            "export": state,
            # the breadcrumbs' agency (a core page's pk would otherwise be read as an agency's)
            "agency": state.agency,
            "label": state.kind.label(state.params),
            "back": state.kind.back(state.agency, state.params),
            "file_name": (state.result or {}).get("file_name", ""),
            "size": (state.result or {}).get("size"),
            "progress": state.task.progress,
        },
    )
    if state.running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_GET
@staff_required
def export_file(request, pk: int):
    state = _state(request, pk)
    if not state.ready or state.result is None:
        raise Http404
    try:
        response = private_name_response(
            exports.private_storage(),
            state.result["file"],
            filename=state.result["file_name"],
            content_type=state.result["content_type"],
        )
    except FileNotFoundError:
        raise Http404 from None
    exports.export_download(actor=request.user, state=state)
    return response
