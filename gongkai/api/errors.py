"""One JSON shape for every error the API returns, with messages in the request's language.

{"code": "...", "detail": "what went wrong, in words", "errors": {"field": ["..."]},
 "findings": [...]}   (findings only when personal information blocks a move)

A move blocked by a scan not yet read (or read too unreliably) by OCR is "scan_unread", 422,
its detail naming each such attachment.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from gongkai.catalogue.services import PrivacyBlocked, ScanBlocked, WorkflowError


class FindingOut(Schema):
    """Personal information found in an item, described without the information itself."""

    field: str
    label: str
    type: str
    type_label: str
    masked: str
    note: str = ""


class ErrorOut(Schema):
    code: str
    detail: str
    errors: dict[str, list[str]] = {}
    findings: list[FindingOut] = []


ERROR_RESPONSES = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _messages_by_field(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}


def _body(code: str, detail: str, errors=None, findings=None) -> dict:
    return {"code": code, "detail": detail, "errors": errors or {}, "findings": findings or []}


def _field_of(loc) -> str:
    """The input field a pydantic error is about: ("body", "payload", "title") -> "title"."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "form", "file"}:
        parts = parts[2:]
    else:
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD_ERRORS


def install(api: NinjaAPI, *, finding_payload) -> None:
    """Register the handlers. `finding_payload(item_finding) -> dict` describes a finding."""

    def respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, _body("not_found", _("Not found.")))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = respond(
            request,
            401,
            _body(
                "unauthorized",
                _("Send a valid API token in the header “Authorization: Bearer <token>”."),
            ),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return respond(request, exc.status_code, _body("error", str(exc)))

    @api.exception_handler(RequestValidationError)
    def invalid_request(request, exc: RequestValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_of(error.get("loc", ())), []).append(str(error.get("msg")))
        return respond(request, 400, _body("invalid", _("The request is not valid."), errors))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        detail = str(exc) or _("You do not have permission to do this.")
        return respond(request, 403, _body("permission_denied", detail))

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        errors = _messages_by_field(exc)
        detail = " ".join(m for messages in errors.values() for m in messages)
        return respond(request, 400, _body("invalid", detail, errors))

    @api.exception_handler(WorkflowError)
    def conflict(request, exc: WorkflowError):
        errors = _messages_by_field(exc)
        detail = " ".join(m for messages in errors.values() for m in messages)
        return respond(request, 409, _body("illegal_transition", detail, errors))

    @api.exception_handler(PrivacyBlocked)
    def privacy(request, exc: PrivacyBlocked):
        errors = _messages_by_field(exc)
        detail = " ".join(m for messages in errors.values() for m in messages)
        findings = [finding_payload(f) for f in exc.findings]
        return respond(request, 422, _body("privacy", detail, errors, findings))

    @api.exception_handler(ScanBlocked)
    def scan_unread(request, exc: ScanBlocked):
        # nobody knows yet what the scan holds: like personal information, not a bad request
        errors = _messages_by_field(exc)
        detail = " ".join(m for messages in errors.values() for m in messages)
        return respond(request, 422, _body("scan_unread", detail, errors))
