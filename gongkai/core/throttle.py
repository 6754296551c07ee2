"""The one limit on what the public may do without logging in: submissions (依申请公开, 找错)
and look-ups by number and code, on the portal and through the public API alike.

Each `Rate` counts hits per client address (gongkai.core.context.client_ip, proxy-aware) in a
sliding window: a submission that was taken, a look-up that failed. The hits are rows in the
database, shared by every server process; the default cache is each process's own memory,
where a cache-based limiter (django-ratelimit and the like) would give every worker its own
quota. Addresses are stored only as keyed hashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from . import codes
from .models import ThrottleHit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RateLimited(ValidationError):
    """Too many hits of one rate from one address; the API answers 429."""


@dataclass(frozen=True)
class Rate:
    scope: str  # e.g. "applications.lookup"
    limit: int
    window: timedelta
    message: StrOrPromise  # lazy: told to the client when refused


def _client(ip: str) -> str:
    return codes.hash_ip("throttle", ip or "")


def throttle_check(*, rate: Rate, ip: str) -> None:
    """Refuse (RateLimited) when `ip` already has `rate.limit` hits within the window.
    Without an address there is nothing to count by, so nothing is refused."""
    client = _client(ip)
    if not client:
        return
    since = timezone.now() - rate.window
    hits = ThrottleHit.objects.filter(scope=rate.scope, client=client, created_at__gte=since)
    if hits.count() >= rate.limit:
        raise RateLimited(rate.message, code="rate_limited")


def throttle_hit(*, rate: Rate, ip: str) -> None:
    """Count one hit of `rate` for `ip`, forgetting this scope's hits past the window."""
    client = _client(ip)
    if not client:
        return
    now = timezone.now()
    ThrottleHit.objects.filter(scope=rate.scope, created_at__lt=now - rate.window).delete()
    ThrottleHit.objects.create(scope=rate.scope, client=client, created_at=now)
