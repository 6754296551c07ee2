"""Demo portal settings for 普陀区 (the platform's host), 六横镇 and 桃花镇: footer marks with
clearly fictitious numbers (all-zero ICP and public security records, 网站标识码 from
3309030000), in demo_data/portal.toml."""

from __future__ import annotations

from django.db import transaction

from gongkai.core import demodata
from gongkai.core.models import Agency

from . import services
from .models import PortalSettings


def _settings() -> dict[str, dict[str, str]]:
    doc = demodata.read(__package__, "portal.toml")
    settings = doc.get("settings")
    if not isinstance(settings, dict):
        raise demodata.DemoDataError(f"{doc.name}: no [settings.<agency>] tables")
    for slug, marks in settings.items():
        wrong = (
            [k for k, v in marks.items() if not isinstance(v, str)]
            if isinstance(marks, dict)
            else [slug]
        )
        if wrong:
            raise demodata.DemoDataError(
                f"{doc.name}: [settings.{slug}]: {', '.join(wrong)} should be text"
            )
    return settings


# One table of footer marks per agency slug: demo_data/portal.toml.
SETTINGS: dict[str, dict[str, str]] = _settings()


@transaction.atomic
def load_portal_demo() -> int:
    """Give the demo towns their settings where they have none; returns how many were created."""
    created = 0
    have = set(PortalSettings.objects.values_list("agency__slug", flat=True))
    for agency in Agency.objects.filter(slug__in=SETTINGS).exclude(slug__in=have):
        services.portal_settings_update(actor=None, agency=agency, data=SETTINGS[agency.slug])
        created += 1
    return created


def run_demo(out) -> None:
    """The portal's part of `gongkai demo` (registered in apps.py; core/demos.py)."""
    load_portal_demo()
