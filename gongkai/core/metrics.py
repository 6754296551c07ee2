"""Prometheus metrics (prometheus-client), served at /metrics by gongkai.core.ops.

Everything lives in this module's own registry (not the library's global one), so that nothing
imported elsewhere adds series and a test can read exactly what the project exports.

- Per process, counted by RequestMetricsMiddleware: `gongkai_http_request_duration_seconds`
  (a histogram labelled by the resolved URL name, never the path: the label set stays as small
  as the URL conf) and `gongkai_http_requests_total` by status class (2xx … 5xx).
- Read from the database at each scrape by DatabaseCollector (four queries in all):
  `gongkai_task_queue_depth{status}` (queued, running), `gongkai_task_failures` (tasks that
  failed and stay failed), `gongkai_task_retrying` (queued again after a failed attempt,
  waiting for their backoff), `gongkai_scheduler_last_run_timestamp_seconds{job}` (when each
  periodic job was last queued: alert when the daily tick is older than a day), then the
  gauges the apps register (`register_gauges`, from their AppConfig.ready: core imports no app):
  `gongkai_applications_open`, `gongkai_applications_near_due` and
  `gongkai_applications_overdue` (gongkai.applications.metrics).

With several app server processes behind one address (gunicorn's workers), each would answer
with its own counts only: when PROMETHEUS_MULTIPROC_DIR is set (`gongkai serve` and the systemd
unit set it, an empty folder at each start), every process writes its counts there and a scrape
adds them up (prometheus-client's multiprocess mode; see scrape_registry).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry(auto_describe=True)

# Pages answer in milliseconds; imports and letter rendering take seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUEST_LATENCY = Histogram(
    "gongkai_http_request_duration_seconds",
    "Time to answer a request, by the URL name of the view",
    ["view"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
REQUESTS = Counter(
    "gongkai_http_requests",
    "Requests answered, by status class",
    ["status_class"],
    registry=REGISTRY,
)

# Functions yielding metric families read at each scrape, registered by the apps.
_GAUGES: list[Callable[[], Iterable[GaugeMetricFamily]]] = []


def register_gauges(gauges: Callable[[], Iterable[GaugeMetricFamily]]) -> None:
    """Add an app's scrape-time gauges to /metrics (once per function)."""
    if gauges not in _GAUGES:
        _GAUGES.append(gauges)


UNRESOLVED = "<unresolved>"  # a 404 for a path no pattern matches, or a middleware's answer


def view_label(request) -> str:
    """The matched URL's "namespace:name" (or the view's dotted path when it has no name)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNRESOLVED
    return match.view_name or UNRESOLVED


class RequestMetricsMiddleware:
    """Times every request and counts it by status class. Placed first, so that the time
    includes the other middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        REQUEST_LATENCY.labels(view=view_label(request)).observe(time.perf_counter() - started)
        REQUESTS.labels(status_class=f"{response.status_code // 100}xx").inc()
        return response


class DatabaseCollector(Collector):
    """Gauges computed at scrape time from the database through the selectors."""

    def collect(self):
        from django.db.models import Max

        from .models import ScheduledRun, Task, TaskStatus
        from .selectors import task_counts_by_status

        tasks = task_counts_by_status()
        depth = GaugeMetricFamily(
            "gongkai_task_queue_depth", "Background tasks waiting or running", labels=["status"]
        )
        for status in (TaskStatus.QUEUED, TaskStatus.RUNNING):
            depth.add_metric([status.value], tasks[status])
        yield depth
        yield GaugeMetricFamily(
            "gongkai_task_failures",
            "Background tasks that failed (after their last attempt)",
            value=tasks[TaskStatus.FAILED],
        )
        yield GaugeMetricFamily(
            "gongkai_task_retrying",
            "Background tasks queued again after a failed attempt",
            value=Task.objects.filter(status=TaskStatus.QUEUED, attempts__gt=0).count(),
        )
        last_runs = GaugeMetricFamily(
            "gongkai_scheduler_last_run_timestamp_seconds",
            "When each periodic job was last queued by a scheduler (Unix time)",
            labels=["job"],
        )
        for job, last in (
            ScheduledRun.objects.order_by().values_list("job").annotate(last=Max("claimed_at"))
        ):
            last_runs.add_metric([job], last.timestamp())
        yield last_runs

        for gauges in _GAUGES:
            yield from gauges()

    def describe(self):
        # Nothing to describe ahead of time: registering must not query the database.
        return []


REGISTRY.register(DatabaseCollector())


def scrape_registry() -> CollectorRegistry:
    """What /metrics answers: this process's registry, or in multiprocess mode the counts of
    every app server process read from PROMETHEUS_MULTIPROC_DIR plus the database's gauges."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(DatabaseCollector())
    return registry
