"""The JSON API (django-ninja): one router per app, OpenAPI at /api/v1/openapi.json.

Public reads need no credentials. Staff endpoints take `Authorization: Bearer <token>` (see
`gongkai api token create`) and act as the token's user; sessions are never accepted, so the
API needs no CSRF token and a logged-in browser cannot be made to write through it.
"""

from functools import wraps

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as RequestValidationError
from pydantic import BaseModel

from . import errors
from .applications import install_errors as install_application_errors
from .applications import router as applications_router
from .catalogue import finding_payload
from .catalogue import router as catalogue_router

api = NinjaAPI(
    title="gongkai API",
    version="1",
    description=(
        "政务公开 system API. Staff endpoints need `Authorization: Bearer <token>`; errors are "
        "JSON objects with `code`, `detail`, `errors` (per field) and, when personal information "
        "blocks a move, `findings` (masked)."
    ),
    urls_namespace="api",
    # The interactive docs would load Swagger UI from a CDN, which closed government networks
    # cannot reach; the schema itself is served at openapi.json.
    docs_url=None,
)
errors.install(api, finding_payload=finding_payload)


def _all_or_nothing(view):
    """A write and the answer it builds run in one transaction: an error answered after the
    service saved (say, while building the response) leaves nothing saved, so a retry finds the
    application as it was instead of a 409."""

    @wraps(view)
    def run(request, *args, **kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return view(request, *args, **kwargs)
        with transaction.atomic():
            return view(request, *args, **kwargs)

    return run


api.add_decorator(_all_or_nothing)


def _nul_at(value, loc: tuple) -> tuple | None:
    """Where a NUL character is in a parsed input (path, query or body), or None."""
    if isinstance(value, str):
        return loc if "\x00" in value else None
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        return next((f for k, v in value.items() if (f := _nul_at(v, (*loc, k)))), None)
    if isinstance(value, list | tuple | set):
        return next((f for v in value if (f := _nul_at(v, loc))), None)
    return None


def _no_nul_characters(view):
    """A NUL character in any string is refused as invalid input, as Django's forms do: no text
    needs one, and PostgreSQL cannot store or even compare one (it answered 500)."""

    @wraps(view)
    def run(request, *args, **kwargs):
        for name, value in kwargs.items():
            # Located as ninja locates its own errors: a schema's field, or the parameter.
            source = "body" if isinstance(value, BaseModel) else "input"
            if loc := _nul_at(value, (source, name)):
                msg = _("Null characters are not allowed.")
                raise RequestValidationError([{"loc": loc, "msg": msg, "type": "nul"}])
        return view(request, *args, **kwargs)

    return run


api.add_decorator(_no_nul_characters)
api.add_router("/catalogue/", catalogue_router)
install_application_errors(api)
api.add_router("/applications/", applications_router)
api.add_router("/operations/", "gongkai.api.operations.router")
api.add_router("/matters/", "gongkai.api.matters.router")
api.add_router("/engagement/", "gongkai.api.engagement.router")
api.add_router("/reports/", "gongkai.api.reports.router")
