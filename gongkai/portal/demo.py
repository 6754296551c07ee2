"""Demo portal settings for 普陀区 (the platform's host), 六横镇 and 桃花镇: footer marks with
clearly fictitious numbers (all-zero ICP and public security records, 网站标识码 from
3309030000)."""

from __future__ import annotations

from django.db import transaction

from gongkai.core.models import Agency

from . import services
from .models import PortalSettings

SETTINGS = {
    # the district hosts the platform (集约化): its marks are the platform home's footer
    "putuo": {
        "sponsor": "舟山市普陀区人民政府",
        "operator": "舟山市普陀区人民政府办公室",
        "site_code": "3309030000",
        "icp_record": "浙ICP备00000000号",
        "police_record": "浙公网安备 33090302000000号",
        "police_record_code": "33090302000000",
    },
    "liuheng": {
        "sponsor": "六横镇人民政府",
        "operator": "六横镇党政综合办公室",
        "site_code": "3309030001",
        "icp_record": "浙ICP备00000000号-1",
        "police_record": "浙公网安备 33090302000001号",
        "police_record_code": "33090302000001",
    },
    "taohua": {
        "sponsor": "桃花镇人民政府",
        "operator": "桃花镇党政综合办公室",
        "site_code": "3309030002",
        "icp_record": "浙ICP备00000000号-2",
        "police_record": "浙公网安备 33090302000002号",
        "police_record_code": "33090302000002",
    },
}


@transaction.atomic
def load_portal_demo() -> int:
    """Give the demo towns their settings where they have none; returns how many were created."""
    created = 0
    have = set(PortalSettings.objects.values_list("agency__slug", flat=True))
    for agency in Agency.objects.filter(slug__in=SETTINGS).exclude(slug__in=have):
        services.portal_settings_update(actor=None, agency=agency, data=SETTINGS[agency.slug])
        created += 1
    return created
