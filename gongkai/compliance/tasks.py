"""Background tasks of the compliance monitor (gongkai.core.tasks).

- `compliance.check_all`: the nightly run (declared in apps.py, 02:00): today's snapshot of
  every active agency (or of one subtree: payload {"root": pk}), then the link check queued;
- `compliance.check_links`: the external links of published content collected and the due
  ones checked at a bounded rate (payload {"agency": pk} for one agency);
- `compliance.probe_sites`: one visit of every portal home at GONGKAI_PUBLIC_BASE_URL (the
  站点无法访问 indicator wants 20 or more a day: schedule it every hour or more often).

All are idempotent: a rerun replaces the day's snapshot, rechecks only links that are due, and a
probe is one more observation.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from gongkai.catalogue.models import Column
from gongkai.core.models import Agency
from gongkai.core.tasks import task, task_enqueue

from . import services


def _agencies(payload: dict, key: str):
    agencies = Agency.objects.active().order_by("path")
    if payload.get(key):
        root = Agency.objects.filter(pk=payload[key]).first()
        if root is None:
            return Agency.objects.none()
        agencies = agencies.filter(pk__in=Agency.objects.subtree_of(root).values("pk"))
    return agencies


def _publishing(agencies):
    """Those with a catalogue of their own (columns): the others publish nothing to check."""
    return agencies.filter(Exists(Column.objects.filter(agency=OuterRef("pk"), is_active=True)))


@task("compliance.check_all")
def check_all(payload: dict, progress) -> None:
    agencies = list(_agencies(payload, "root"))
    for n, agency in enumerate(agencies, 1):
        services.snapshot_take(agency=agency)
        progress(f"{n}/{len(agencies)} {agency.slug}")
    if not payload.get("root"):
        task_enqueue(name="compliance.check_links", payload={})


@task("compliance.check_links")
def check_links(payload: dict, progress) -> None:
    agencies = list(_publishing(_agencies(payload, "agency")))
    for n, agency in enumerate(agencies, 1):
        services.links_collect(agency=agency)
        counts = services.links_check(agency=agency)
        progress(f"{n}/{len(agencies)} {agency.slug}: {counts['checked']} checked")


@task("compliance.probe_sites")
def probe_sites(payload: dict, progress) -> None:
    for agency in _publishing(_agencies(payload, "agency")):
        services.site_probe(agency=agency)
        progress(agency.slug)
