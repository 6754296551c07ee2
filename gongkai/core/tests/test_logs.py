"""Structured logs (gongkai.core.logs): the request id in and out, JSON lines, and no personal
data in what an error writes."""

import json
import logging

import pytest

from gongkai.core import logs

ID_NUMBER = "330902198001011233"  # a valid check digit: the privacy shield finds it
MOBILE = "13800008000"


def record(message, *args, level=logging.ERROR, exc_info=None, **extra):
    rec = logging.LogRecord("gongkai.test", level, __file__, 1, message, args, exc_info)
    for key, value in extra.items():
        setattr(rec, key, value)
    logs.RequestIdFilter().filter(rec)
    return rec


def test_a_json_line_has_the_fields_and_the_request_id():
    token = logs.request_id_var.set("abc123def456")
    try:
        line = logs.JsonFormatter().format(
            record("task %s done", "core.ping", level=logging.INFO, task_id=7)
        )
    finally:
        logs.request_id_var.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "task core.ping done"
    assert entry["level"] == "INFO" and entry["logger"] == "gongkai.test"
    assert entry["request_id"] == "abc123def456" and entry["task_id"] == 7
    assert entry["time"].endswith("+00:00")


def test_an_error_and_its_traceback_are_written_without_personal_data():
    try:
        raise ValueError(f"bad applicant {ID_NUMBER} / {MOBILE}")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    line = logs.JsonFormatter().format(
        record("import failed for %s", ID_NUMBER, exc_info=exc_info, phone=MOBILE)
    )
    assert ID_NUMBER not in line and MOBILE not in line
    entry = json.loads(line)
    assert "ValueError" in entry["exception"] and "330902" in entry["exception"]
    assert "import failed for" in entry["message"]


def test_the_request_object_is_never_written(rf):
    request = rf.get("/gk/x/apply/status/?code=SECRET-CODE")
    line = logs.JsonFormatter().format(record("Internal Server Error: %s", "/x", request=request))
    assert "SECRET-CODE" not in line and "request" not in json.loads(line)


@pytest.mark.django_db
def test_the_request_id_is_answered_and_a_clients_own_kept(client):
    made = client.get("/healthz")
    assert len(made["X-Request-ID"]) == 32
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")
    assert kept["X-Request-ID"] == "nginx-0123456789abcdef"
    # anything that does not look like an id is replaced (log injection)
    odd = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level":"fake"}')
    assert odd["X-Request-ID"] != 'x"\n{"level":"fake"}' and len(odd["X-Request-ID"]) == 32


def test_a_log_line_during_a_request_carries_its_id(client, caplog, settings):
    seen = []

    class Capture(logging.Handler):
        def emit(self, rec):
            seen.append(getattr(rec, "request_id", None))

    handler = Capture()
    handler.addFilter(logs.RequestIdFilter())
    middleware = logs.RequestIdMiddleware(
        lambda request: logging.getLogger("gongkai.test").warning("inside") or _ok()
    )
    logger = logging.getLogger("gongkai.test")
    logger.addHandler(handler)
    try:
        from django.test import RequestFactory

        response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="req-abcdef123456"))
    finally:
        logger.removeHandler(handler)
    assert seen == ["req-abcdef123456"] and response["X-Request-ID"] == "req-abcdef123456"
    assert logs.current_request_id() == "-"  # reset after the request


def _ok():
    from django.http import HttpResponse

    return HttpResponse("ok")


def test_the_masker_is_the_privacy_apps_and_without_one_a_text_is_withheld(monkeypatch):
    # registered by gongkai.privacy's AppConfig.ready (core imports no app)
    assert "110101199003074514" not in logs.scrub("身份证号110101199003074514")
    monkeypatch.setattr(logs, "_maskers", [])
    assert logs.scrub("身份证号110101199003074514") == logs.WITHHELD
