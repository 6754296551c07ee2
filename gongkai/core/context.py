"""Per-request facts that services record (the client IP) without threading the request through."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("gongkai_current_ip", default=None)


def client_ip(request) -> str | None:
    # X-Forwarded-For is only believed behind a proxy that sets it (GONGKAI_TRUST_X_FORWARDED_FOR);
    # otherwise any client could write the address the audit trail records.
    from django.conf import settings

    if getattr(settings, "GONGKAI_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
