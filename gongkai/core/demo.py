"""Demo data: 普陀区 → 六横镇 and its departments, one neighbouring town, a user per role.

The credit codes are fictional but carry valid GB 32100-2015 check characters; addresses and
phone numbers are placeholders marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from . import services
from .models import Agency, AgencyLevel, Role, User
from .validators import uscc_check_character

DEMO_PASSWORD = "Gongkai-demo-2026"  # noqa: S105 (published demo credential)


def demo_uscc(org_code: str) -> str:
    # 1 = 机构编制 registry, 1 = 机关; 330903 = 舟山市普陀区.
    first17 = f"11330903{org_code}"
    return first17 + uscc_check_character(first17)


AGENCIES: list[dict[str, Any]] = [
    {
        "slug": "putuo",
        "name": "舟山市普陀区人民政府",
        "short_name": "普陀区政府",
        "level": AgencyLevel.COUNTY,
        "uscc": demo_uscc("002570001"),
        "parent": None,
        "office_name": "普陀区人民政府办公室（政务公开办）",
        "office_address": "浙江省舟山市普陀区（演示地址）",
        "office_hours": "工作日 上午8:30—12:00，下午14:00—17:30",
        "office_phone": "0580-0000001",
        "office_postcode": "316100",
    },
    {
        "slug": "liuheng",
        "name": "六横镇人民政府",
        "short_name": "六横镇",
        "level": AgencyLevel.TOWNSHIP,
        "uscc": demo_uscc("002570101"),
        "parent": "putuo",
        "office_name": "六横镇党政综合办公室",
        "office_address": "浙江省舟山市普陀区六横镇（演示地址）",
        "office_hours": "工作日 上午8:30—12:00，下午14:00—17:30",
        "office_phone": "0580-0000101",
        "office_fax": "0580-0000102",
        "office_email": "gongkai@liuheng.example.cn",
        "office_postcode": "316131",
    },
    {
        "slug": "liuheng-dangzheng",
        "name": "六横镇党政综合办公室",
        "short_name": "党政办",
        "level": AgencyLevel.DEPARTMENT,
        "uscc": demo_uscc("002570102"),
        "parent": "liuheng",
    },
    {
        "slug": "liuheng-bianmin",
        "name": "六横镇便民服务中心",
        "short_name": "便民服务中心",
        "level": AgencyLevel.DEPARTMENT,
        "uscc": demo_uscc("002570103"),
        "parent": "liuheng",
    },
    {
        "slug": "liuheng-caizheng",
        "name": "六横镇财政所",
        "short_name": "财政所",
        "level": AgencyLevel.DEPARTMENT,
        "uscc": demo_uscc("002570104"),
        "parent": "liuheng",
    },
    {
        "slug": "taohua",
        "name": "桃花镇人民政府",
        "short_name": "桃花镇",
        "level": AgencyLevel.TOWNSHIP,
        "uscc": demo_uscc("002570201"),
        "parent": "putuo",
        "office_name": "桃花镇党政综合办公室",
        "office_address": "浙江省舟山市普陀区桃花镇（演示地址）",
        "office_hours": "工作日 上午8:30—12:00，下午14:00—17:30",
        "office_phone": "0580-0000201",
        "office_postcode": "316132",
    },
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    last_name: str
    first_name: str
    agency: str | None
    role: str | None


USERS = [
    DemoUser("admin", "平台", "管理员", None, None),
    DemoUser("lh_editor", "王", "小编", "liuheng", Role.EDITOR),
    DemoUser("lh_reviewer", "李", "审核", "liuheng", Role.REVIEWER),
    DemoUser("lh_officer", "陈", "公开", "liuheng", Role.OFFICER),
    DemoUser("lh_head", "周", "主任", "liuheng", Role.OFFICE_HEAD),
    DemoUser("lh_admin", "赵", "管理", "liuheng", Role.AGENCY_ADMIN),
    DemoUser("pt_supervisor", "孙", "督查", "putuo", Role.SUPERVISOR),
    DemoUser("th_officer", "吴", "专员", "taohua", Role.OFFICER),
]


@transaction.atomic
def load_demo() -> list[DemoUser]:
    """Create what is missing; leave what exists alone. Safe to run any number of times."""
    by_slug = {agency.slug: agency for agency in Agency.objects.all()}
    for spec in AGENCIES:
        if spec["slug"] in by_slug:
            continue
        fields = {k: v for k, v in spec.items() if k != "parent"}
        parent = by_slug[spec["parent"]] if spec["parent"] else None
        by_slug[spec["slug"]] = services.agency_create(actor=None, parent=parent, **fields)
    existing = set(User.objects.values_list("username", flat=True))
    for user_spec in USERS:
        if user_spec.username in existing:
            user = User.objects.get(username=user_spec.username)
        else:
            user = services.user_create(
                actor=None,
                username=user_spec.username,
                password=DEMO_PASSWORD,
                last_name=user_spec.last_name,
                first_name=user_spec.first_name,
                is_superuser=user_spec.agency is None,
            )
        if user_spec.agency and user_spec.role:
            services.membership_grant(
                actor=None, user=user, agency=by_slug[user_spec.agency], role=user_spec.role
            )
    return USERS
