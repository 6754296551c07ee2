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
names, codes, time limits and materials (generated from the word lists with a fixed
seed, so every machine gets the same records), and the retirement of the 2018 list on
2019-01-01, when the current list replaced it. Phone numbers are placeholders.

The 2018 list is history: it is written with bulk_create (one audit event for the batch) and is
not disclosed as catalogue items — publishing 862 guides in 2018 would add 862 items to the
catalogue's 2018 figures, which the seed's 统计表 does not contain. The current list goes
through the services: created by the editor, published by a reviewer (four eyes), each guide
disclosed as an item of the 办事指南 column.

The figures and word lists are data (demo_data/matters.toml); this module generates the
matters from them and writes them. Loading is idempotent: a matter is identified by its agency and 事项编码; what exists is left
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
from gongkai.core import demodata
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

ALL_CHECKS = ReviewChecks(secrecy=True, privacy=True, wording=True)


@dataclass(frozen=True)
class Year2018Spec:
    """The seed's 2018 figures (and the demo's split of what it does not say)."""

    total: int
    five_star: int
    four_star: int
    three_star: int
    zero_visit: int
    mobile: int
    no_difference: int
    year_end: date
    retired_on: date
    code: str
    sector_counts: dict[str, int]


@dataclass(frozen=True)
class CurrentSpec:
    count: int
    code: str


@dataclass(frozen=True)
class GuideSpec:
    place: str  # {n}: the window
    hours: str
    consult_phone: str
    complaint_phone: str
    kinds: tuple[str, ...]
    statutory_days: tuple[int, ...]


@dataclass(frozen=True)
class SectorWords:
    name: str
    objects: tuple[str, ...]
    actions: tuple[str, ...]
    types: tuple[str, ...] = field(metadata=demodata.choices(MatterType))


@dataclass(frozen=True)
class MaterialSpec:
    name: str
    form: str = field(metadata=demodata.choices(MaterialForm))
    note: str = ""


# The figures and word lists: demo_data/matters.toml.
_DATA = demodata.read(__package__, "matters.toml")
AGENCY: str = _DATA["agency"]
AUTHOR: str = _DATA["author"]
PUBLISHER: str = _DATA["publisher"]

_YEAR_2018 = demodata.record(_DATA, "year_2018", Year2018Spec)
TOTAL_2018 = _YEAR_2018.total
FIVE_STAR_2018 = _YEAR_2018.five_star  # demo split of the 780 rated matters
FOUR_STAR_2018 = _YEAR_2018.four_star
THREE_STAR_2018 = _YEAR_2018.three_star
ZERO_VISIT_2018 = _YEAR_2018.zero_visit
MOBILE_2018 = _YEAR_2018.mobile
NO_DIFFERENCE_2018 = _YEAR_2018.no_difference
# The demo's split of the 830 无差别受理 matters over the seven 板块 (the seed gives none).
SECTOR_COUNTS_2018 = _YEAR_2018.sector_counts
YEAR_END_2018 = _YEAR_2018.year_end
RETIRED_2018 = _YEAR_2018.retired_on
CODE_2018 = _YEAR_2018.code
_CURRENT = demodata.record(_DATA, "current", CurrentSpec)
CODE_CURRENT = _CURRENT.code
CURRENT_COUNT = _CURRENT.count

# What 六横镇 requires for each star level (the province's definitions were not found: RULES C §8).
STAR_CRITERIA = {int(star): text for star, text in _DATA["star_criteria"].items()}

# Per 板块: (objects, actions, matter types to draw from); the order is the draws' order.
VOCABULARY = {
    words.name: (list(words.objects), list(words.actions), list(words.types))
    for words in demodata.records(_DATA, "sector", SectorWords)
}
_GUIDE = demodata.record(_DATA, "guide", GuideSpec)
# 即办件 are done on the spot, 承诺件 within the promised days.
KINDS = _GUIDE.kinds
STATUTORY_DAYS = _GUIDE.statutory_days

MATERIALS = [(m.name, m.form, m.note) for m in demodata.records(_DATA, "material", MaterialSpec)]

PLACE = _GUIDE.place
HOURS = _GUIDE.hours
CONSULT_PHONE = _GUIDE.consult_phone
COMPLAINT_PHONE = _GUIDE.complaint_phone


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
