"""Scoped reads and the statistics, exact on a small fixture."""

from datetime import date
from fractions import Fraction

import time_machine

from gongkai.matters import selectors, services
from gongkai.matters.models import Matter

from .conftest import ALL_CHECKS


def test_staff_see_their_agencies_matters_only(make_matter, people, other_town):
    mine = make_matter()
    theirs = make_matter(agency=other_town, author=people.outsider, code="TH-1")
    assert list(selectors.matters_visible_to(people.editor)) == [mine]
    assert list(selectors.matters_visible_to(people.outsider)) == [theirs]
    assert set(selectors.matters_visible_to(people.supervisor)) == {mine, theirs}


def test_public_matters_are_the_published_ones(make_matter, town):
    make_matter(code="A")
    published = make_matter("published", code="B")
    make_matter("retired", code="C")
    assert list(selectors.public_matters(town)) == [published]


def test_filters(make_matter, sectors):
    a = make_matter(code="A", star=5, fully_online=True)
    b = make_matter(code="B", star=None, sector=sectors["税收服务"], name="车船税申报")
    c = make_matter(code="C", star=3, sector=None, matter_type="benefit", zero_visit=False)
    matters = Matter.objects.all()
    f = selectors.MatterFilters
    assert set(selectors.filter_matters(matters, f(star=5))) == {a}
    assert set(selectors.filter_matters(matters, f(star=0))) == {b}
    assert set(selectors.filter_matters(matters, f(sector=sectors["税收服务"].pk))) == {b}
    assert set(selectors.filter_matters(matters, f(matter_type="benefit"))) == {c}
    assert set(selectors.filter_matters(matters, f(q="车船"))) == {b}
    assert set(selectors.filter_matters(matters, f(no_difference=False))) == {c}


def test_statistics_are_exact(make_matter, people, town, sectors, django_assert_max_num_queries):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        make_matter("published", code="1", star=5, fully_online=True, mobile=True)
        make_matter("published", code="2", star=4, zero_visit=False, express_delivery=False)
        make_matter(
            "published",
            code="3",
            star=3,
            zero_visit=False,
            mobile=True,
            sector=sectors["税收服务"],
        )
        make_matter(
            "published",
            code="4",
            star=None,
            zero_visit=False,
            at_most_once=False,
            online=False,
            online_application=False,
            sector=None,
            no_difference=False,
        )
        make_matter(
            "published",
            code="5",
            star=2,
            zero_visit=False,
            at_most_once=False,
            at_most_once_required=True,
        )
        make_matter(code="6")  # a draft: not in the hall
    with django_assert_max_num_queries(3):
        march = selectors.matter_statistics(town, on=date(2026, 3, 31))
    assert march.total == 5
    assert march.by_star == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
    assert march.rated == 4 and march.three_star_plus == 3
    assert march.zero_visit == 1
    assert march.mobile == 2
    assert march.online == 4
    assert march.at_most_once == 3
    assert (march.at_most_once_required, march.at_most_once_required_done) == (5, 3)
    assert march.at_most_once_coverage == Fraction(3, 5)
    assert march.at_most_once_coverage_percent == "60.0%"
    assert march.no_difference == 4
    per_sector = {row.sector.name: row.matters for row in march.sectors}
    assert per_sector["商事登记"] == 3 and per_sector["税收服务"] == 1
    assert sum(per_sector.values()) == 4

    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        retired = Matter.objects.get(code="2")
        services.matter_retire(actor=people.reviewer, matter=retired, reason="取消")
        revised = services.matter_update(
            actor=people.editor, matter=Matter.objects.get(code="1"), data={"mobile": False}
        )
        assert revised.status == "draft"  # under revision: still in the hall
    june = selectors.matter_statistics(town, on=date(2026, 6, 30))
    assert june.total == 4  # the retired one left; the revised one stays
    assert june.by_star[4] == 0
    # Figures are of the matters' current attributes (no history of each attribute).
    assert june.mobile == 1
    assert selectors.matter_statistics(town, on=date(2026, 3, 1)).total == 0
    services.matter_publish(actor=people.reviewer, matter=revised, checks=ALL_CHECKS)
