"""Machine endpoints for the operator: liveness, readiness and Prometheus metrics.

No login, no session written, never cached. Their answers name the checks and nothing else:
a failure is logged here with its exception and answered as "failed" only, so that a database
address or password in an error message never leaves the server.
"""

from __future__ import annotations

import ipaddress
import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .context import client_ip

logger = logging.getLogger(__name__)

READY_CACHE = "default"


@never_cache
@require_safe
def healthz(request):
    """The process is up and answering; touches nothing else."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _check_cache() -> dict:
    cache = caches[READY_CACHE]
    key = f"gongkai:readyz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the probe key did not read back")
    finally:
        cache.delete(key)
    return {}


def _check_queue() -> dict:
    from .models import Task, TaskStatus

    return {"queued": Task.objects.filter(status=TaskStatus.QUEUED).count()}


CHECKS = (("database", _check_database), ("cache", _check_cache), ("queue", _check_queue))


@never_cache
@require_safe
def readyz(request):
    """200 when the database, the cache and the task queue answer; 503 naming what failed."""
    results: dict[str, dict] = {}
    failed = []
    for name, check in CHECKS:
        try:
            results[name] = {"ok": True, **check()}
        except Exception:  # noqa: BLE001 - any failure is "not ready"; the log keeps the cause
            logger.exception("readyz: the %s check failed", name)
            results[name] = {"ok": False}
            failed.append(name)
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": results}
    return JsonResponse(body, status=503 if failed else 200)


def metrics_allowed(request) -> bool:
    """The client is an address or in a network of GONGKAI_METRICS_ALLOWED_IPS (loopback
    unless set). Behind nginx the client is nginx itself unless GONGKAI_TRUST_X_FORWARDED_FOR
    is set: the proxy must then not pass /metrics on."""
    address = client_ip(request)
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    for allowed in settings.GONGKAI_METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            logger.warning("GONGKAI_METRICS_ALLOWED_IPS: %r is not an address", allowed)
    return False


@never_cache
@require_safe
def metrics(request):
    """The Prometheus text format, from loopback or an allowed address only (others: 404)."""
    if not metrics_allowed(request):
        raise Http404
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from .metrics import scrape_registry

    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)
