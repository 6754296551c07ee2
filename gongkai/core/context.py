"""Per-request facts that services record (the client IP) without threading the request through."""

import ipaddress
from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("gongkai_current_ip", default=None)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: the one source for the audit trail, the login lockout (axes) and
    the limits on public look-ups and submissions.

    X-Forwarded-For is only believed behind proxies that set it (GONGKAI_TRUST_X_FORWARDED_FOR);
    otherwise any client could write the address the audit trail records, or take a fresh
    quota with every request. Each of the GONGKAI_TRUSTED_PROXIES proxies appends the address
    it saw, so the client is that many entries from the right; anything further left was
    written by the client and is ignored."""
    from django.conf import settings

    if settings.GONGKAI_TRUST_X_FORWARDED_FOR:
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if hops:
            proxies = max(1, settings.GONGKAI_TRUSTED_PROXIES)
            # Fewer entries than proxies: every entry was written by a proxy; take the farthest.
            address = _valid(hops[-min(proxies, len(hops))])
            if address:
                return address
    return _valid(request.META.get("REMOTE_ADDR") or "")
