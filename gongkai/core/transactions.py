"""Every form step is all or nothing (issue 13, finding 6).

Services run in their own transaction, but a step is more than its service: the view may call
another one, then builds the answer (a redirect with its message, a page rendered from a
template). An error after the service saved used to leave the change in place behind a server
error, so the user retried into "already done" or a half-done state. `AtomicWritesMiddleware`
runs the whole writing request, view and rendering, in one transaction of the default database.
"""

from contextvars import ContextVar

from django.contrib import messages
from django.db import DEFAULT_DB_ALIAS, transaction

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_FAILED = "_gongkai_request_failed"
# Files stored during the current writing request: (storage, name, model, field name).
_written: ContextVar[list | None] = ContextVar("gongkai_written_files", default=None)


def file_written(field_file) -> None:
    """Note a file a service has just stored for a row (`field_file` is the row's FieldFile).

    Storage is not transactional: when the transaction that was to save the row rolls back
    (the request failed, or the service refused after storing), the file would stay behind,
    named by nothing. The writing request removes such files when it ends.
    """
    written = _written.get()
    if written is not None:
        written.append(
            (field_file.storage, field_file.name, type(field_file.instance), field_file.field.name)
        )


def _remove_unnamed(written: list) -> None:
    for storage, name, model, field in written:
        if name and not model._default_manager.filter(**{field: name}).exists():
            storage.delete(name)


class AtomicWritesMiddleware:
    """One transaction per writing request; an exception or a 5xx answer rolls it back.

    Reads stay outside: SQLite's transactions here take the write lock when they begin
    (IMMEDIATE, settings), and pages must not queue behind each other for it. Work registered
    with `transaction.on_commit` (removing replaced files, rendering letters) runs once the
    whole request committed, and never after a rollback; files stored for rows the rollback
    took away are removed (`file_written`).

    Django turns an exception into a response before the next middleware out sees it, so the
    exception is noted in `process_exception` (this middleware is the innermost: it is asked
    first). Handled errors (a form re-rendered with its errors) are answers like any other: the
    service that refused has already undone its own part.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in WRITE_METHODS:
            return self.get_response(request)
        written: list = []
        token = _written.set(written)
        try:
            with transaction.atomic(using=DEFAULT_DB_ALIAS):
                response = self.get_response(request)
                if getattr(request, _FAILED, False) or response.status_code >= 500:
                    transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
                    _drop_messages(request)
        finally:
            _written.reset(token)
            _remove_unnamed(written)
        return response

    def process_exception(self, request, exception):
        setattr(request, _FAILED, True)


def _drop_messages(request) -> None:
    """A "saved" message queued before the failure must not greet the user on the next page.
    Iterating the storage marks its messages as shown."""
    if hasattr(request, "_messages"):
        list(messages.get_messages(request))
