"""Login lockout for every login page (staff, Django admin): django-axes, set up in the AXES_*
settings, and the pieces it calls back.

Failures are counted per (user name, client address) and per client address. The pair locks
after GONGKAI_LOGIN_MAX_FAILURES, so guessing one account's password is slow, while nobody can
lock someone else's account from their own address; the address alone locks after the larger
GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS, so spraying passwords across many accounts from one
address is stopped too. Axes compares every group against one limit; the handler below gives
the address-only group its own.
"""

from __future__ import annotations

from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_username,
    get_cool_off,
    get_failure_limit,
    get_lockout_parameters,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render

from . import services

ADDRESS_ONLY = "ip_address"


def lockout_username(request, credentials: dict | None) -> str | None:
    """The name failures are counted under: case folded, as the old lockout did, so that
    LH_Officer and lh_officer share one count."""
    field = settings.AXES_USERNAME_FORM_FIELD
    name = (credentials or {}).get(field) if credentials else request.POST.get(field)
    name = (name or "").strip().lower()
    return name[:150] or None


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with one limit per group of AXES_LOCKOUT_PARAMETERS."""

    def _groups(self, request, credentials):
        """(is the address-only group, its failures, its latest failure) for each group."""
        for parameters, attempts in zip(
            get_lockout_parameters(request, credentials),
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            totals = attempts.aggregate(
                failures=Sum("failures_since_start"), last=Max("attempt_time")
            )
            yield parameters == ADDRESS_ONLY, totals["failures"] or 0, totals["last"]

    def _limit(self, request, credentials, address_only: bool) -> int:
        if address_only:
            return settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS
        return get_failure_limit(request, credentials)

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # Axes locks when this reaches AXES_FAILURE_LIMIT: the pair's own count, or the limit
        # itself once the address has failed too often across names.
        failures = 0
        for address_only, count, _last in self._groups(request, credentials):
            if not address_only:
                failures = max(failures, count)
            elif count >= settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS:
                failures = max(failures, get_failure_limit(request, credentials))
        return failures

    def locked_until(self, request, credentials: dict | None = None) -> datetime | None:
        """When the lock on this request ends: the cool-off after the last failure counted by
        each group that is over its limit."""
        ends = [
            last + get_cool_off(request)
            for address_only, count, last in self._groups(request, credentials)
            if last is not None and count >= self._limit(request, credentials, address_only)
        ]
        return max(ends, default=None)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        # A successful login clears its own name's failures from this address only: the
        # default also clears the address's, which would let an attacker with one account
        # wipe the count of a spray by logging in to it.
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked login gets instead of the login form (AXES_LOCKOUT_CALLABLE)."""
    from axes.handlers.proxy import AxesProxyHandler

    until = AxesProxyHandler.get_implementation().locked_until(request, credentials)
    return render(
        request,
        "registration/locked_out.html",
        {"until": until, "minutes": int(get_cool_off(request).total_seconds() // 60)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def record_login(sender, request, user, **kwargs) -> None:
    services.login_record(user=user)


def record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    # Axes signals again for every attempt refused during a lock; those are neither counted
    # (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off) nor recorded: one event a lock.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    from axes.handlers.proxy import AxesProxyHandler

    credentials = getattr(request, "axes_credentials", None)
    until = AxesProxyHandler.get_implementation().locked_until(request, credentials)
    services.lockout_record(username=username or "", until=until, ip=ip_address)
