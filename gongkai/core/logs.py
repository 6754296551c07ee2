"""Structured logs: one JSON object a line, with the request id, and no personal data in errors.

- RequestIdMiddleware takes the request's X-Request-ID (nginx sets it, `$request_id`; a client's
  own is kept when it looks like an id) or makes one, keeps it for the log records of that
  request and answers it in X-Request-ID, so an access log line, the app's log lines and a
  user's report ("请求编号") meet.
- RequestIdFilter puts it on every record (`request_id`, "-" outside a request).
- JsonFormatter writes time, level, logger, message, request id, the scalar `extra=` fields and
  the traceback. Records of WARNING and above, and every traceback, go through the privacy
  shield's masking first (ID numbers, phones, bank cards, e-mail addresses, names in context):
  an exception message that quoted an applicant's form must not put the number in the log.
  The masker is registered by the privacy app (`register_masker`, from its AppConfig.ready:
  core imports no app); until then (a line logged before Django's apps are ready) such a text is
  withheld rather than written unchecked.
  The request object Django attaches to its error records is never written, nor its query
  string or body.

GONGKAI_LOG_FORMAT=json (production's default) or text (development).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
WITHHELD = "[withheld: the text could not be checked for personal data]"
_maskers: list[Callable[[str], str]] = []


def register_masker(masker: Callable[[str], str]) -> None:
    """The function that masks personal data in a text (the privacy shield's); the last wins."""
    _maskers[:] = [masker]


# attributes every LogRecord has: anything else came through `extra=`
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}
# never written, whatever a caller passes in `extra=`
_NEVER = {"request", "user", "payload", "body", "params", "query_string"}


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdMiddleware:
    """X-Request-ID in (kept when it looks like an id) or made, and out on the answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        rid = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = rid
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


def scrub(text: str) -> str:
    """The text with personal data masked by the privacy shield (never raises)."""
    if not text:
        return text
    try:
        (mask,) = _maskers  # none registered yet: withheld below
        return mask(text)
    except Exception:  # noqa: BLE001 — a log line must not fail; withhold rather than leak
        return WITHHELD


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            message = scrub(message)
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            "request_id": getattr(record, "request_id", request_id_var.get()),
            "process": record.process,
        }
        for key, value in record.__dict__.items():
            if key in _STANDARD or key in _NEVER or key.startswith("_") or key in entry:
                continue
            if isinstance(value, str | int | float | bool) or value is None:
                entry[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = scrub(record.exc_text)
        if record.stack_info:
            entry["stack"] = scrub(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Development: one readable line with the request id."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")


def logging_config(*, fmt: str, level: str) -> dict:
    """The LOGGING setting: one handler on stderr in the chosen format."""
    formatter = (
        {"()": "gongkai.core.logs.JsonFormatter"}
        if fmt == "json"
        else {"()": "gongkai.core.logs.TextFormatter"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "gongkai.core.logs.RequestIdFilter"}},
        "formatters": {"main": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "main",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # the worker's and the scheduler's lines about tasks and jobs are worth keeping
            "gongkai.worker": {"level": "INFO"},
            "gongkai.core.scheduler": {"level": "INFO"},
            # Django's own "Internal Server Error" lines reach the root handler once
            "django": {"level": level, "propagate": True},
        },
    }
