"""The demo: 六横镇's 2018 service hall as the seed reports it, figure by figure."""

from datetime import date

import pytest
from django.utils import timezone

from gongkai.catalogue.models import ItemStatus
from gongkai.core.demo import load_demo
from gongkai.core.models import Agency
from gongkai.matters import demo, services
from gongkai.matters.models import Matter, MatterStatus
from gongkai.matters.selectors import matter_statistics

SEED_2018 = [
    # (what the seed says, the figure, how to read it from the statistics)
    ("审批服务事项达862项", 862, lambda s: s.total),
    ("完成780项行政审批事项的星级定位", 780, lambda s: s.rated),
    ("三星级以上事项合计780项", 780, lambda s: s.three_star_plus),
    ("星级事项全部为三星级以上（一星、二星为0）", 0, lambda s: s.by_star[1] + s.by_star[2]),
    ("“零跑腿”的事项达278项", 278, lambda s: s.zero_visit),
    ("三星级以上事项全部开通网上办理", 780, lambda s: s.online),
    ("移动办事事项目录达192项", 192, lambda s: s.mobile),
    ("七大板块无差别受理事项达830项", 830, lambda s: s.no_difference),
    ("7大板块", 7, lambda s: len([row for row in s.sectors if row.matters])),
    ("七大板块合计830项", 830, lambda s: sum(row.matters for row in s.sectors)),
    ("“最多跑一次”事项覆盖率已达100%", 1, lambda s: s.at_most_once_coverage),
    ("网上事项库更新配置780项（省定应当实现）", 780, lambda s: s.at_most_once_required),
]


@pytest.fixture
def loaded(db):
    load_demo()
    demo.load_matters_demo(current=False)
    return Agency.objects.get(slug="liuheng")


@pytest.mark.parametrize(("wording", "figure", "read"), SEED_2018, ids=[s[0] for s in SEED_2018])
def test_the_seeds_2018_figures(loaded, wording, figure, read):
    figures = matter_statistics(loaded, on=date(2018, 12, 31))
    assert read(figures) == figure, wording


def test_the_demo_split_of_the_sectors_and_stars(loaded):
    figures = matter_statistics(loaded, on=date(2018, 12, 31))
    assert {row.sector.name: row.matters for row in figures.sectors} == demo.SECTOR_COUNTS_2018
    assert figures.by_star == {1: 0, 2: 0, 3: 300, 4: 330, 5: 150}
    # 零跑腿: every five-star matter, and four-star ones with two-way express delivery.
    zero = Matter.objects.filter(agency=loaded, zero_visit=True)
    assert zero.filter(star=5).count() == 150
    assert zero.exclude(star=5).filter(star=4, express_delivery=True).count() == 128


def test_the_2018_list_is_history(loaded):
    assert matter_statistics(loaded, on=date(2019, 1, 1)).total == 0
    assert matter_statistics(loaded, on=date(2017, 12, 31)).total == 0
    assert not Matter.objects.filter(agency=loaded).exclude(status=MatterStatus.RETIRED).exists()


def test_every_generated_2018_matter_passes_the_services_checks(loaded):
    agency = loaded
    sectors = {s.name: s for s in services.sectors_ensure_defaults(agency)}
    specs = demo.specs_2018()
    assert len({s.code for s in specs}) == len({s.fields["name"] for s in specs}) == 862
    for spec in specs[::20]:
        services.matter_validate(
            agency=agency,
            materials=spec.materials,
            sector=sectors[spec.sector] if spec.sector else None,
            code=spec.code,
            **spec.fields,
        )


def test_generation_is_deterministic():
    first, second = demo.specs_2018(), demo.specs_2018()
    assert [(s.code, s.fields, s.materials) for s in first] == [
        (s.code, s.fields, s.materials) for s in second
    ]


def test_the_whole_demo_loads_once(db):
    load_demo()
    from gongkai.catalogue.demo import load_catalogue_demo

    load_catalogue_demo()
    first = demo.load_matters_demo()
    assert first.created["matters 2018"] == 862
    assert first.created["matters"] == demo.CURRENT_COUNT
    again = demo.load_matters_demo()
    assert sum(again.created.values()) == 0
    agency = Agency.objects.get(slug="liuheng")
    current = Matter.objects.filter(agency=agency, status=MatterStatus.PUBLISHED)
    assert current.count() == demo.CURRENT_COUNT
    assert all(m.item.status == ItemStatus.PUBLISHED for m in current.select_related("item"))
    assert all(m.item.created_by.username == "lh_editor" for m in current)
    assert all(m.item.approved_by.username == "lh_reviewer" for m in current)
    figures = matter_statistics(agency, on=timezone.localdate())
    assert figures.total == demo.CURRENT_COUNT
