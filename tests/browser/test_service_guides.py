"""A visitor finds a 办事指南 through the portal search and reads its star level and materials.

Publishing a matter discloses its guide as a catalogue item (办事指南 column), so the portal's
search finds it; the item links to the guide page, which shows the star level with the agency's
criteria for it and the table of application materials.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from gongkai.catalogue.services import ReviewChecks
from gongkai.matters import services as matter_services
from gongkai.matters.models import MaterialForm, Matter, MatterType
from gongkai.portal.demo import load_portal_demo

AGENCY = "liuheng"
NAME = "渔船船员证书换发"
WORD = "渔船"
CRITERION = "全程网办并双向快递寄送，实现“零跑腿”。"
MATERIALS = [
    {"name": "船员证书换发申请表", "copies": 1, "form": MaterialForm.ORIGINAL, "required": True},
    {"name": "原船员证书", "copies": 1, "form": MaterialForm.ORIGINAL_AND_COPY, "required": True},
    {"name": "近期证件照片", "copies": 2, "form": MaterialForm.ELECTRONIC, "required": False},
]


def url_path_is(path: str) -> re.Pattern:
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"(?:[?#].*)?$")


@dataclass(frozen=True)
class Guide:
    matter: Matter


@pytest.fixture
def guide(demo) -> Guide:
    load_portal_demo()
    liuheng = demo.agencies[AGENCY]
    sectors = {s.name: s for s in matter_services.sectors_ensure_defaults(liuheng)}
    matter_services.star_criterion_set(actor=None, agency=liuheng, star=5, text=CRITERION)
    matter = matter_services.matter_create(
        actor=demo.users["lh_editor"],
        agency=liuheng,
        name=NAME,
        code="LH-GUIDE-1",
        matter_type=MatterType.CONFIRMATION,
        legal_basis="《中华人民共和国船员条例》",
        statutory_days=20,
        promised_days=3,
        consult_phone="0580-0000111",
        star=5,
        online_application=True,
        fully_online=True,
        online=True,
        express_delivery=True,
        zero_visit=True,
        mobile=True,
        at_most_once=True,
        sector=sectors["公安服务"],
        no_difference=True,
        materials=MATERIALS,
    )
    matter = matter_services.matter_publish(
        actor=demo.users["lh_reviewer"],
        matter=matter,
        checks=ReviewChecks(secrecy=True, privacy=True, wording=True),
    )
    return Guide(matter=matter)


def test_visitor_finds_a_guide_by_search_and_sees_star_level_and_materials(
    page: Page, guide: Guide
):
    matter = guide.matter
    item_url = reverse("portal:item", args=[AGENCY, matter.item_id])
    guide_url = reverse("portal:service-guide", args=[AGENCY, matter.pk])

    # 1. From 六横镇's portal, the visitor searches the site for a word of the matter's name.
    page.goto(reverse("portal:agency-home", args=[AGENCY]))
    box = page.locator("header").get_by_role("search")
    box.locator("input[name=q]").fill(WORD)
    with page.expect_navigation(url=url_path_is(reverse("portal:search")), wait_until="load"):
        box.locator("input[name=q]").press("Enter")
    assert parse_qs(urlsplit(page.url).query).get("q") == [WORD], page.url

    # 2. The guide is a hit: the catalogue item that discloses it.
    hits = page.locator("main ol.search-results li.search-hit h2 a")
    expect(hits).to_have_count(1)
    expect(hits).to_have_attribute("href", item_url)
    expect(hits).to_have_text(f"{NAME}办事指南")
    hits.click()
    expect(page).to_have_url(url_path_is(item_url))
    body = page.locator("main .item-body")
    expect(body).to_contain_text("★★★★★ 五星")
    expect(body).to_contain_text("原船员证书")

    # 3. The item leads to the guide page: star level, the agency's criteria, the materials.
    body.get_by_role("link", name="在线查看办事指南").click()
    expect(page).to_have_url(url_path_is(guide_url))
    expect(page.locator("main h1")).to_have_text(NAME)
    expect(page.locator("main p.star-level")).to_contain_text("★★★★★ 五星")
    expect(page.locator("main p.star-criterion")).to_contain_text(CRITERION)
    rows = page.locator("main table.materials tbody tr")
    expect(rows).to_have_count(len(MATERIALS))
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("船员证书换发申请表")
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("原件和复印件")
    expect(rows.nth(2).locator("td").nth(2)).to_have_text("2")
    expect(rows.nth(2).locator("td").nth(4)).to_have_text("非必要")

    # 4. The 办事指南 section of the portal lists it with its star level.
    page.goto(reverse("portal:service-guides", args=[AGENCY]))
    row = page.locator("main table.guides tbody tr", has_text=NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("五星")
