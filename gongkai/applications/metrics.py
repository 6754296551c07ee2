"""The applications' gauges on /metrics (gongkai.core.metrics), registered in apps.py: read at
each scrape through the selector, one query."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .selectors import open_deadline_counts


def deadline_gauges() -> Iterator[GaugeMetricFamily]:
    deadlines = open_deadline_counts(timezone.localdate())
    yield GaugeMetricFamily(
        "gongkai_applications_open", "Open applications", value=deadlines["open"]
    )
    yield GaugeMetricFamily(
        "gongkai_applications_near_due",
        "Open applications the daily tick flagged near their due date, not past it",
        value=deadlines["near_due"],
    )
    yield GaugeMetricFamily(
        "gongkai_applications_overdue",
        "Open applications past their legal due date",
        value=deadlines["overdue"],
    )
