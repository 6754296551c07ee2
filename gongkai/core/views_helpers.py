"""Helpers shared by the staff views of every app."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .forms import add_service_errors
from .models import Agency, TaskStatus


def agency_from_key(request, key: str, among: QuerySet[Agency] | None = None) -> Agency:
    """The agency named in the URL by slug (or primary key), if the user may see it.

    among: the agencies to look in; by default those the user may see.
    """
    lookup = Q(slug=key)
    # isdigit() also says yes to "²" and "١", which int() refuses
    if key.isascii() and key.isdigit():
        lookup |= Q(pk=int(key))
    if among is None:
        among = selectors.agencies_visible_to(request.user)
    found = list(among.filter(lookup)[:2])
    if not found:
        raise Http404
    return min(found, key=lambda agency: agency.slug != key)


def error_texts(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    text = str(exc.args[0]) if exc.args else ""
    return [text or _("You do not have permission to do this.")]


def status_for(exc: Exception) -> int:
    return 403 if isinstance(exc, PermissionDenied) else 400


def report_error(request, exc: Exception, form=None, *, all_on_form: bool = False) -> None:
    """Show a service error: on the form's fields where it names them, otherwise as a message.

    all_on_form: put any ValidationError on the form, even one that names no field.
    """
    if (
        form is not None
        and isinstance(exc, ValidationError)
        and (all_on_form or hasattr(exc, "error_dict"))
    ):
        add_service_errors(form, exc)
        messages.error(request, _("Not saved: please correct the errors marked below."))
        return
    for text in error_texts(exc):
        messages.error(request, text)


# How often an import's run page reloads itself while its task runs.
IMPORT_RUN_REFRESH_SECONDS = 2


def import_run_page(request, *, task, template: str, context: dict, errors_of):
    """The page of an import running on the task queue (core/_import_run_state.html): "n / N
    rows" while it runs, reloading itself; then the result, the rows refused (400), or the
    failure — for good after its retries, or the staged file gone (`refused`).

    `context` is the page's own; `errors_of(rows)` turns the task's stored row errors (dicts)
    into what the page's error table shows; `result` is the task's result or {}."""
    stored = (task.payload or {}).get("result")
    running = stored is None and task.status in (TaskStatus.QUEUED, TaskStatus.RUNNING)
    failed = (stored is None and not running) or bool(stored and stored.get("refused"))
    result = stored or {}
    errors = errors_of(result.get("errors", []))
    page = {
        **context,
        "task": task,
        "file_name": (task.payload or {}).get("file_name", ""),
        "running": running,
        "failed": failed,
        "result": result,
        "errors": errors,
        "progress": task.progress,
    }
    response = render(request, template, page, status=400 if errors else 200)
    if running:
        response["Refresh"] = str(IMPORT_RUN_REFRESH_SECONDS)
    return response
