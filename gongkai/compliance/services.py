"""Writes of the compliance monitor, each with its audit event in the same transaction.

- `snapshot_take`: check an agency now and keep the day's snapshot (the nightly run, or a
  supervisor's "check now");
- `links_collect`: the external links of the agency's published content as LinkCheck rows
  (new ones added, the items referencing each set, links no longer published dropped);
- `links_check`: check the links that are due (never checked, or not for RECHECK hours), at a
  bounded rate, and record each answer;
- `site_probe`: visit the agency's portal home at the public base URL once and record it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue.models import Item, ItemStatus, Publication
from gongkai.core import permissions as core_permissions
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency

from . import linkcheck
from .check import ERROR, WARNING, check_agency
from .models import CheckSnapshot, LinkCheck, SiteProbe
from .rules import RULES


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


@transaction.atomic
def snapshot_take(*, agency: Agency, now: datetime | None = None, actor=None) -> CheckSnapshot:
    """Check `agency` at `now` and store the result as the day's snapshot (a second run the same
    day replaces it). `actor` None is the nightly run; a person must be able to view the agency."""
    if actor is not None:
        core_permissions.require(core_permissions.can_view_agency(actor, agency))
    now = timezone.localtime(now or timezone.now())
    findings = check_agency(agency, now=now)
    statuses = {rule.id: "ok" for rule in RULES}
    for finding in findings:
        if statuses.get(finding.rule) != ERROR:
            statuses[finding.rule] = finding.severity
    snapshot, _created = CheckSnapshot.objects.update_or_create(
        agency=agency,
        day=now.date(),
        defaults={
            "checked_at": now,
            "statuses": statuses,
            "findings": [finding.as_dict() for finding in findings],
            "errors": sum(f.severity == ERROR for f in findings),
            "warnings": sum(f.severity == WARNING for f in findings),
        },
    )
    audit_record(
        actor=actor,
        verb="compliance.check",
        obj=snapshot,
        agency=agency,
        after={"day": snapshot.day, "errors": snapshot.errors, "warnings": snapshot.warnings},
    )
    return snapshot


def published_links(agency: Agency) -> dict[str, set[int]]:
    """{external URL: ids of the published items showing it} — links in the bodies and the
    addresses of the items' publications on other channels (2 queries)."""
    found: dict[str, set[int]] = {}
    items = Item.objects.filter(
        agency=agency, status=ItemStatus.PUBLISHED, published_at__isnull=False
    )
    for pk, body in items.exclude(body="").values_list("pk", "body").iterator():
        for url in linkcheck.links_in(body):
            found.setdefault(url, set()).add(pk)
    for pk, url in (
        Publication.objects.filter(item__in=items).exclude(url="").values_list("item_id", "url")
    ):
        if linkcheck.is_external(url):
            found.setdefault(url, set()).add(pk)
    return found


@transaction.atomic
def links_collect(*, agency: Agency) -> dict[str, int]:
    """Bring the agency's LinkCheck rows in line with what it publishes now."""
    found = published_links(agency)
    hashes = {url_hash(url): url for url in found}
    existing = {row.url_hash: row for row in LinkCheck.objects.filter(agency=agency)}
    gone = [row.pk for key, row in existing.items() if key not in hashes]
    LinkCheck.objects.filter(pk__in=gone).delete()
    added = 0
    for key, url in hashes.items():
        row = existing.get(key)
        if row is None:
            row = LinkCheck.objects.create(agency=agency, url=url, url_hash=key)
            added += 1
        row.items.set(found[url])
    counts = {"links": len(hashes), "added": added, "dropped": len(gone)}
    audit_record(
        actor=None,
        verb="compliance.links_collect",
        agency=agency,
        object_type="compliance.linkcheck",
        object_repr=str(agency),
        after=counts,
    )
    return counts


def links_due(agency: Agency, *, now: datetime, limit: int) -> list[LinkCheck]:
    line = now - timedelta(hours=settings.GONGKAI_LINKCHECK_RECHECK_HOURS)
    return list(
        LinkCheck.objects.filter(agency=agency)
        .filter(checked_at__isnull=True)
        .order_by("pk")[:limit]
    ) + list(
        LinkCheck.objects.filter(agency=agency, checked_at__lte=line).order_by(
            F("checked_at").asc(), "pk"
        )[:limit]
    )


def links_check(
    *,
    agency: Agency,
    now: datetime | None = None,
    limit: int | None = None,
    pacer: linkcheck.Pacer | None = None,
    progress=None,
) -> dict[str, int]:
    """Check the agency's due links (at most `limit`, GONGKAI_LINKCHECK_MAX_PER_RUN by default),
    requests to one host spaced by GONGKAI_LINKCHECK_HOST_DELAY. Each answer is saved as it
    comes (no transaction held open over the network), one audit event sums the run."""
    now = now or timezone.now()
    limit = settings.GONGKAI_LINKCHECK_MAX_PER_RUN if limit is None else limit
    pacer = pacer or linkcheck.Pacer(settings.GONGKAI_LINKCHECK_HOST_DELAY)
    due = links_due(agency, now=now, limit=limit)[:limit]
    broken = 0
    for n, row in enumerate(due, 1):
        pacer.wait(row.url)
        result = linkcheck.fetch(row.url)
        LinkCheck.objects.filter(pk=row.pk).update(
            checked_at=timezone.now(), status=result.status, ok=result.ok, error=result.error
        )
        broken += not result.ok
        if progress:
            progress(f"{n}/{len(due)} {row.url}")
    counts = {"checked": len(due), "broken": broken}
    with transaction.atomic():
        audit_record(
            actor=None,
            verb="compliance.links_check",
            agency=agency,
            object_type="compliance.linkcheck",
            object_repr=str(agency),
            after=counts,
        )
    return counts


def probe_url(agency: Agency) -> str:
    base = settings.GONGKAI_PUBLIC_BASE_URL.rstrip("/")
    return base + reverse("portal:agency-home", kwargs={"agency": agency.slug}) if base else ""


@transaction.atomic
def _probe_store(*, agency: Agency, url: str, result: linkcheck.Result) -> SiteProbe:
    probe = SiteProbe.objects.create(
        agency=agency,
        url=url,
        probed_at=timezone.now(),
        ok=result.ok,
        status=result.status,
        elapsed_ms=result.elapsed_ms or None,
        error=result.error,
    )
    audit_record(
        actor=None,
        verb="compliance.probe",
        obj=probe,
        agency=agency,
        after={"ok": probe.ok, "status": probe.status, "elapsed_ms": probe.elapsed_ms},
    )
    return probe


def site_probe(*, agency: Agency, timeout: float = 15.0) -> SiteProbe | None:
    """One GET of the agency's portal home at GONGKAI_PUBLIC_BASE_URL (None when none is set):
    the inspection counts a page that does not open within 15 s as a failure."""
    url = probe_url(agency)
    if not url:
        return None
    result = linkcheck.fetch(url, timeout=timeout)
    return _probe_store(agency=agency, url=url, result=result)
