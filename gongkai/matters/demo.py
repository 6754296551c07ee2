"""Demo service matters of 六横镇: its 2018 service hall as the seed reports it, and a lighter
current list (2025–2026) published as 办事指南.

The seed (六横镇 2018 政务公开工作总结):
- "审批服务事项达862项" — 862 matters in the hall at the end of 2018;
- "完成780项行政审批事项的星级定位…三星级以上事项合计780项" — 780 star-rated, all three-star
  or above; "三星级以上事项全部开通网上办理" — all 780 can be handled online;
- "通过五星级服务或双向快递寄送实现“零跑腿”的事项达278项" — 278 zero-visit: every five-star
  matter, and four-star matters with two-way express delivery;
- "移动办事事项目录达192项" — 192 can be handled on a phone (掌上可办);
- "七大板块无差别受理事项达830项" over 税收服务、不动产登记、商事登记、投资项目、公安服务、民生事务和
  公共事业 — 830 accepted at any window;
- "按省定应当实现“最多跑一次”要求的事项覆盖率已达100%" and "完成“八统一”定稿和网上事项库更新配置
  780项" — the 780 configured matters are the ones the province requires to be 最多跑一次, and all
  of them are.

What the seed does not say, the demo decides (and says so here): the split of the star levels
(五星 150, 四星 330, 三星 300), the split of the 830 over the seven 板块 (SECTOR_COUNTS), the
names, codes, time limits and materials (generated from the word lists below with a fixed
seed, so every machine gets the same records), and the retirement of the 2018 list on
2019-01-01, when the current list replaced it. Phone numbers are placeholders.

The 2018 list is history: it is written with bulk_create (one audit event for the batch) and is
not disclosed as catalogue items — publishing 862 guides in 2018 would add 862 items to the
catalogue's 2018 figures, which the seed's 统计表 does not contain. The current list goes
through the services: created by the editor, published by a reviewer (four eyes), each guide
disclosed as an item of the 办事指南 column.

Loading is idempotent: a matter is identified by its agency and 事项编码; what exists is left
alone.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.catalogue.services import ReviewChecks
from gongkai.core.audit import audit_record
from gongkai.core.models import Agency, User

from . import services
from .models import (
    Material,
    MaterialForm,
    Matter,
    MatterStatus,
    MatterType,
    ServiceSector,
    Star,
    StarCriterion,
)

AGENCY = "liuheng"
AUTHOR = "lh_editor"
PUBLISHER = "lh_reviewer"
ALL_CHECKS = ReviewChecks(secrecy=True, privacy=True, wording=True)

# The seed's 2018 figures.
TOTAL_2018 = 862
FIVE_STAR_2018 = 150  # demo split of the 780 rated matters
FOUR_STAR_2018 = 330
THREE_STAR_2018 = 300
ZERO_VISIT_2018 = 278
MOBILE_2018 = 192
NO_DIFFERENCE_2018 = 830
# The demo's split of the 830 无差别受理 matters over the seven 板块 (the seed gives none).
SECTOR_COUNTS_2018 = {
    "税收服务": 96,
    "不动产登记": 118,
    "商事登记": 142,
    "投资项目": 105,
    "公安服务": 124,
    "民生事务": 163,
    "公共事业": 82,
}
YEAR_END_2018 = date(2018, 12, 31)
RETIRED_2018 = date(2019, 1, 1)
CODE_2018 = "LH2018-{:04d}"
CODE_CURRENT = "LH2025-{:04d}"
CURRENT_COUNT = 36

# What 六横镇 requires for each star level (the province's definitions were not found: RULES C §8).
STAR_CRITERIA = {
    1: "办事指南统一公布，申请材料、办理流程、办理时限一次告知。",
    2: "在一星基础上，支持网上预约、网上预审，群众到现场不超过两次。",
    3: "在二星基础上，实现网上申报，材料齐全的“最多跑一次”。",
    4: "在三星基础上，实现全程网办或结果快递送达，群众可选择“跑零次”。",
    5: "在四星基础上，全程网办并双向快递寄送，实现“零跑腿”，掌上可办优先。",
}

# --- word lists (written for this demo) ---------------------------------------------------

# Per 板块: (objects, actions, matter types to draw from).
VOCABULARY = {
    "税收服务": (
        ["增值税", "个人所得税", "车船税", "印花税", "契税", "房产税", "城镇土地使用税",
         "环境保护税", "资源税", "土地增值税", "渔业船舶车船税"],
        ["申报", "代开发票", "减免税备案", "退税申请", "纳税证明开具", "税务登记信息变更",
         "完税证明开具"],
        [MatterType.OTHER_POWER, MatterType.PUBLIC_SERVICE, MatterType.CONFIRMATION],
    ),
    "不动产登记": (
        ["国有建设用地使用权", "宅基地使用权及房屋所有权", "海域使用权", "林地使用权",
         "集体土地所有权", "国有建设用地使用权及房屋所有权", "抵押权", "地役权"],
        ["首次登记", "转移登记", "变更登记", "注销登记", "更正登记", "异议登记", "预告登记",
         "登记资料查询"],
        [MatterType.CONFIRMATION, MatterType.CONFIRMATION, MatterType.PUBLIC_SERVICE],
    ),
    "商事登记": (
        ["有限责任公司", "个人独资企业", "合伙企业", "个体工商户", "农民专业合作社",
         "分公司", "股份有限公司", "外商投资企业", "渔业专业合作社"],
        ["设立登记", "变更登记", "注销登记", "章程备案", "名称自主申报", "营业执照补领",
         "经营范围变更", "歇业备案"],
        [MatterType.LICENSING, MatterType.CONFIRMATION, MatterType.OTHER_POWER],
    ),
    "投资项目": (
        ["企业投资项目", "建设工程", "临时建设工程", "渔港基础设施项目", "乡村建设项目",
         "海岛旅游项目", "船舶修造项目"],
        ["备案", "核准", "规划许可", "施工许可", "竣工验收备案", "用地预审", "节能审查",
         "环境影响登记表备案"],
        [MatterType.LICENSING, MatterType.LICENSING, MatterType.OTHER_POWER],
    ),
    "公安服务": (
        ["居民身份证", "户口", "临时身份证明", "居住证", "无犯罪记录证明", "机动车登记证书",
         "驾驶证", "出海船民证"],
        ["申领", "换领", "补领", "迁移", "信息变更", "注销", "开具", "签注"],
        [MatterType.CONFIRMATION, MatterType.PUBLIC_SERVICE, MatterType.LICENSING],
    ),
    "民生事务": (
        ["最低生活保障", "特困人员供养", "临时救助", "残疾人两项补贴", "高龄津贴",
         "城乡居民医疗保险", "城乡居民养老保险", "独生子女父母奖励", "困难群众医疗救助",
         "渔民养老补助"],
        ["申请", "审核确认", "待遇核定", "信息变更", "终止", "资格认证"],
        [MatterType.BENEFIT, MatterType.BENEFIT, MatterType.PUBLIC_SERVICE],
    ),
    "公共事业": (
        ["自来水", "居民用电", "管道燃气", "有线电视", "宽带", "排水", "公交卡", "海岛客运船票"],
        ["新装", "过户", "销户", "报修", "缴费", "增容", "暂停", "恢复"],
        [MatterType.PUBLIC_SERVICE],
    ),
}  # fmt: skip
# 即办件 are done on the spot, 承诺件 within the promised days.
KINDS = ("", "（即办件）", "（承诺件）")
STATUTORY_DAYS = (5, 10, 15, 20, 30)

MATERIALS = [
    ("申请表", MaterialForm.ORIGINAL, "可在窗口领取或网上下载"),
    ("申请人身份证明", MaterialForm.ORIGINAL_AND_COPY, "核验原件，留存复印件"),
    ("营业执照", MaterialForm.COPY, "加盖公章"),
    ("授权委托书", MaterialForm.ORIGINAL, "委托代办时提供"),
    ("不动产权证书", MaterialForm.ORIGINAL, ""),
    ("户口簿", MaterialForm.ORIGINAL_AND_COPY, ""),
    ("相关证明材料", MaterialForm.PAPER_OR_ELECTRONIC, "按实际情况提供"),
    ("现场照片", MaterialForm.ELECTRONIC, ""),
    ("承诺书", MaterialForm.ORIGINAL, "告知承诺制事项提供"),
    ("收入情况说明", MaterialForm.PAPER, ""),
]

PLACE = "六横镇便民服务中心{n}号窗口（演示地址）"
HOURS = "周一至周五 上午8:30—11:30，下午13:30—17:00（法定节假日除外）"
CONSULT_PHONE = "0580-0000111"
COMPLAINT_PHONE = "0580-0000112"


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)

    def summary(self) -> dict[str, int]:
        return dict(self.created)


Progress = Callable[[str], None]


# --- generating matters ----------------------------------------------------------------------


@dataclass
class Spec:
    code: str
    sector: str  # the 板块 whose vocabulary named the matter
    fields: dict
    materials: list[dict]


def _names(rng: random.Random) -> dict[str, list[str]]:
    """Every name each 板块's word lists can make, shuffled (names are unique across 板块)."""
    names = {}
    for sector, (objects, actions, _types) in VOCABULARY.items():
        pool = [f"{obj}{action}{kind}" for obj in objects for action in actions for kind in KINDS]
        rng.shuffle(pool)
        names[sector] = pool
    return names


def _details(rng: random.Random, sector: str, name: str) -> tuple[dict, list[dict]]:
    _objects, _actions, types = VOCABULARY[sector]
    statutory = rng.choice(STATUTORY_DAYS)
    promised = 0 if "即办件" in name else max(1, statutory // rng.choice((2, 3, 4)))
    charged = sector in ("不动产登记", "公共事业") and rng.random() < 0.4
    fields = {
        "name": name,
        "matter_type": rng.choice(types),
        "legal_basis": f"《{sector}相关法律法规》及省、市有关规定（演示数据）",
        "conditions": f"符合{name}相关规定、申请材料齐全且符合法定形式的，予以受理。",
        "procedure": "申请—受理—审查—决定—送达",
        "statutory_days": statutory,
        "promised_days": promised,
        "charged": charged,
        "fee_basis": "按国家和省有关收费规定执行" if charged else "",
        "fee_standard": "按规定标准收取，具体以窗口告知为准" if charged else "",
        "place": PLACE.format(n=rng.randint(1, 24)),
        "hours": HOURS,
        "consult_phone": CONSULT_PHONE,
        "complaint_phone": COMPLAINT_PHONE,
    }
    chosen = rng.sample(MATERIALS, rng.randint(2, 4))
    materials = [
        {
            "name": material,
            "copies": rng.choice((1, 1, 1, 2)),
            "form": form,
            "required": index < 2 or rng.random() < 0.6,
            "note": note,
        }
        for index, (material, form, note) in enumerate(chosen)
    ]
    return fields, materials


def specs_2018() -> list[Spec]:
    """The 862 matters of 2018, with exactly the seed's figures (deterministic)."""
    rng = random.Random(2018)  # noqa: S311 (deterministic demo data)
    names = _names(rng)
    extra = TOTAL_2018 - NO_DIFFERENCE_2018  # not accepted at any window (sector None)
    # Which 板块's vocabulary names each matter: the 830 by SECTOR_COUNTS, the rest spread.
    domains = [s for s, n in SECTOR_COUNTS_2018.items() for _ in range(n)]
    others = [rng.choice(list(VOCABULARY)) for _ in range(extra)]
    order = [(d, True) for d in domains] + [(d, False) for d in others]
    rng.shuffle(order)
    # Star levels, zero-visit and mobile over the 862 positions.
    positions = list(range(TOTAL_2018))
    rng.shuffle(positions)
    five = set(positions[:FIVE_STAR_2018])
    four = positions[FIVE_STAR_2018 : FIVE_STAR_2018 + FOUR_STAR_2018]
    three = set(positions[FIVE_STAR_2018 + FOUR_STAR_2018 : 780])
    four_express = set(four[: ZERO_VISIT_2018 - FIVE_STAR_2018])  # 双向快递
    four = set(four)
    rated = sorted(five | four | three)
    mobile = set(rng.sample(rated, MOBILE_2018))
    used = Counter()
    specs = []
    for index, (domain, no_difference) in enumerate(order):
        name = names[domain][used[domain]]
        used[domain] += 1
        fields, materials = _details(rng, domain, name)
        star = Star.FIVE if index in five else Star.FOUR if index in four else None
        if index in three:
            star = Star.THREE
        zero = index in five or index in four_express
        fields.update(
            star=star,
            online_application=star is not None,
            online=star is not None,
            fully_online=index in five,
            express_delivery=index in five or index in four_express,
            zero_visit=zero,
            mobile=index in mobile,
            at_most_once=star is not None,
            at_most_once_required=star is not None,
            no_difference=no_difference,
        )
        specs.append(
            Spec(
                code=CODE_2018.format(index + 1),
                sector=domain if no_difference else "",
                fields=fields,
                materials=materials,
            )
        )
    return specs


def specs_current() -> list[Spec]:
    """A lighter current list: 36 matters, mostly three-star or above."""
    rng = random.Random(2025)  # noqa: S311 (deterministic demo data)
    names = _names(rng)
    sectors = list(VOCABULARY)
    specs = []
    for index in range(CURRENT_COUNT):
        domain = sectors[index % len(sectors)]
        name = names[domain][index]
        fields, materials = _details(rng, domain, name)
        star = rng.choice((Star.THREE, Star.FOUR, Star.FOUR, Star.FIVE, Star.FIVE, None))
        express = star == Star.FIVE or (star == Star.FOUR and rng.random() < 0.5)
        fields.update(
            star=star,
            online_application=star is not None,
            online=star is not None,
            fully_online=star == Star.FIVE,
            express_delivery=express,
            zero_visit=express and star is not None and star >= Star.FOUR,
            mobile=star is not None and rng.random() < 0.6,
            at_most_once=star is not None,
            at_most_once_required=star is not None,
            no_difference=index % 9 != 8,
        )
        specs.append(
            Spec(
                code=CODE_CURRENT.format(index + 1),
                sector=domain if fields["no_difference"] else "",
                fields=fields,
                materials=materials,
            )
        )
    return specs


def demo_size() -> int:
    """The number of steps `load_matters_demo` reports (for a progress bar)."""
    return 2 + len(STAR_CRITERIA) + TOTAL_2018 // 100 + 1 + CURRENT_COUNT


# --- loading ---------------------------------------------------------------------------------


def load_matters_demo(*, progress: Progress | None = None, current: bool = True) -> LoadResult:
    """Create the demo matters; leave what exists alone. Needs the core and catalogue demos."""
    step = progress or (lambda label: None)
    result = LoadResult()
    agency = Agency.objects.filter(slug=AGENCY).first()
    users = {u.username: u for u in User.objects.filter(username__in=(AUTHOR, PUBLISHER))}
    if agency is None or len(users) < 2:
        raise RuntimeError("Load the core demo first (六横镇 and its editor and reviewer).")
    author, publisher = users[AUTHOR], users[PUBLISHER]
    with transaction.atomic():
        sectors = {s.name: s for s in services.sectors_ensure_defaults(agency)}
        step("无差别受理板块")
        existing = dict(StarCriterion.objects.filter(agency=agency).values_list("star", "text"))
        for star, text in STAR_CRITERIA.items():
            if star not in existing:
                services.star_criterion_set(actor=None, agency=agency, star=star, text=text)
                result.created["star criteria"] += 1
            step(Star(star).label)
        load_2018(agency=agency, author=author, sectors=sectors, result=result, progress=step)
    if current:
        load_current(
            agency=agency,
            author=author,
            publisher=publisher,
            sectors=sectors,
            result=result,
            progress=step,
        )
    step("办事指南")
    return result


def load_2018(
    *,
    agency: Agency,
    author: User,
    sectors: dict[str, ServiceSector],
    result: LoadResult,
    progress: Progress,
) -> None:
    """The 2018 list in bulk: matters and their materials, one audit event for the batch."""
    specs = specs_2018()
    known = set(
        Matter.objects.filter(agency=agency, code__in=[s.code for s in specs]).values_list(
            "code", flat=True
        )
    )
    missing = [spec for spec in specs if spec.code not in known]
    rng = random.Random(201812)  # noqa: S311 (deterministic demo data)
    listed = [date(2018, 1, 2) + timedelta(days=rng.randint(0, 340)) for _spec in specs]
    batch = 100
    for start in range(0, TOTAL_2018, batch):
        chunk = [
            (spec, listed[start + offset])
            for offset, spec in enumerate(specs[start : start + batch])
            if spec.code not in known
        ]
        if chunk:
            matters = Matter.objects.bulk_create(
                [
                    Matter(
                        agency=agency,
                        code=spec.code,
                        sector=sectors[spec.sector] if spec.sector else None,
                        status=MatterStatus.RETIRED,
                        published_on=published_on,
                        retired_on=RETIRED_2018,
                        retired_reason="由新版事项目录取代",
                        created_by=author,
                        updated_by=author,
                        **spec.fields,
                    )
                    for spec, published_on in chunk
                ]
            )
            if not all(m.pk for m in matters):  # backends that return no keys
                by_code = dict(
                    Matter.objects.filter(
                        agency=agency, code__in=[spec.code for spec, _day in chunk]
                    ).values_list("code", "pk")
                )
                for matter in matters:
                    matter.pk = by_code[matter.code]
            Material.objects.bulk_create(
                [
                    Material(matter_id=matter.pk, position=position, **material)
                    for matter, (spec, _day) in zip(matters, chunk, strict=True)
                    for position, material in enumerate(spec.materials, 1)
                ]
            )
            result.created["matters 2018"] += len(chunk)
        progress(f"2018 {min(start + batch, TOTAL_2018)}/{TOTAL_2018}")
    if missing:
        audit_record(
            actor=None,
            verb="matter.demo_load",
            agency=agency,
            object_type=Matter._meta.label_lower,
            object_repr="2018",
            after={"year": 2018, "matters": len(missing)},
        )


def _published_at(index: int) -> datetime:
    """Spread over 2025-03 … 2026-02, office hours; never in the future."""
    day = date(2025, 3, 3) + timedelta(days=index * 10)
    moment = timezone.make_aware(datetime.combine(day, time(9, 30)) + timedelta(minutes=index))
    return min(moment, timezone.now() - timedelta(minutes=CURRENT_COUNT - index))


def load_current(
    *,
    agency: Agency,
    author: User,
    publisher: User,
    sectors: dict[str, ServiceSector],
    result: LoadResult,
    progress: Progress,
) -> None:
    """The current list through the services, each guide published as a catalogue item."""
    known = set(Matter.objects.filter(agency=agency).values_list("code", flat=True))
    for index, spec in enumerate(specs_current()):
        if spec.code not in known:
            with transaction.atomic():
                matter = services.matter_create(
                    actor=author,
                    agency=agency,
                    code=spec.code,
                    sector=sectors[spec.sector] if spec.sector else None,
                    materials=spec.materials,
                    **spec.fields,
                )
                services.matter_publish(
                    actor=publisher,
                    matter=matter,
                    checks=ALL_CHECKS,
                    published_at=_published_at(index),
                )
            result.created["matters"] += 1
            result.created["guides published"] += 1
        progress(spec.fields["name"])


def run_demo(out) -> None:
    """The matters' part of `gongkai demo` (registered in apps.py; core/demos.py)."""
    with out.progress(gettext("Service matters"), demo_size()) as advance:
        matters = load_matters_demo(progress=advance)
    out.print(
        gettext("Service matters: %(old)d (2018) and %(new)d current ones published, created.")
        % {"old": matters.created["matters 2018"], "new": matters.created["matters"]}
    )
