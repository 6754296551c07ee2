"""Helpers shared by the staff views of every app."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from . import selectors
from .forms import add_service_errors
from .models import Agency


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
