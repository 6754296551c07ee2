"""Per-request facts that services record (the client IP) without threading the request through."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("gongkai_current_ip", default=None)


def client_ip(request) -> str | None:
    # Behind a trusted proxy the real address arrives in X-Forwarded-For; the proxy must strip
    # any value the client sent. REMOTE_ADDR otherwise.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
