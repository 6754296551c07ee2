"""Feeds (RSS/Atom), sitemap.xml and robots.txt of the public portal."""

from __future__ import annotations

import urllib.robotparser
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from gongkai.catalogue.models import Item, ItemStatus
from gongkai.catalogue.taxonomy import DisclosureMode, Genre, Scope
from gongkai.catalogue.tests.factories import ColumnFactory, ItemFactory
from gongkai.core.tests.factories import UserFactory
from gongkai.portal import sitemaps

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOST = "http://testserver"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]  # 六横镇人民政府, slug "liuheng"


@pytest.fixture
def other_town(agency_tree):
    return agency_tree["other_town"]  # 桃花镇人民政府, slug "taohua"


@pytest.fixture
def author(db):
    return UserFactory(username="feeds-author")


@pytest.fixture
def columns(town, other_town):
    """政策文件 with its sub-column 规范性文件, a sibling 工作动态, and 桃花镇's 政策文件."""
    policy = ColumnFactory(agency=town, name="政策文件", position=1)
    return {
        "policy": policy,
        "normative": ColumnFactory(agency=town, name="规范性文件", parent=policy),
        "news": ColumnFactory(agency=town, name="工作动态", position=2),
        "other": ColumnFactory(agency=other_town, name="政策文件"),
    }


@pytest.fixture
def publish(author):
    """publish(column, title, hours=0, **fields) -> a published public item, published T0+hours."""

    def make(column, title, hours=0, **fields) -> Item:
        fields.setdefault("status", ItemStatus.PUBLISHED)
        fields.setdefault("published_at", T0 + timedelta(hours=hours))
        return ItemFactory(column=column, title=title, created_by=author, **fields)

    return make


@pytest.fixture
def catalogue(columns, publish):
    """Three public items of 六横镇 in three columns, one of each kind that must not show, and a
    public item of 桃花镇."""
    public = {
        "old": publish(columns["policy"], "六横镇旧政策", hours=1, summary="旧政策的内容概述"),
        "new": publish(columns["normative"], "六横镇新规范性文件", hours=3, genre=Genre.NORMATIVE),
        "mid": publish(columns["news"], "六横镇工作动态", hours=2),
    }
    hidden = [
        publish(columns["policy"], "草稿", status=ItemStatus.DRAFT, published_at=None),
        publish(columns["policy"], "待审核", status=ItemStatus.PENDING, published_at=None),
        publish(columns["policy"], "已审核未发布", status=ItemStatus.APPROVED, published_at=None),
        publish(columns["policy"], "已撤回", hours=4, status=ItemStatus.WITHDRAWN),
        publish(
            columns["policy"], "依申请公开", hours=5, disclosure_mode=DisclosureMode.ON_REQUEST
        ),
        publish(columns["policy"], "不予公开", hours=5, disclosure_mode=DisclosureMode.NOT_PUBLIC),
        publish(columns["policy"], "特定对象", hours=6, scope=Scope.SPECIFIC),
        publish(columns["policy"], "仅在政务微信发布", hours=6, on_website=False),
    ]
    foreign = publish(columns["other"], "桃花镇的文件", hours=7)  # public, but not 六横镇's
    return {"public": public, "hidden": hidden, "foreign": foreign}


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (our own responses)


def agency_feed(kind="rss", agency="liuheng"):
    return reverse(f"portal:agency-feed-{kind}", kwargs={"agency": agency})


def column_feed(column, kind="rss", agency="liuheng"):
    return reverse(f"portal:column-feed-{kind}", kwargs={"agency": agency, "column": column.pk})


def rss_items(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse_xml(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("./channel/item")


def rss_titles(response) -> list[str]:
    return [item.findtext("title") for item in rss_items(response)]


def atom_entries(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse_xml(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def item_link(item) -> str:
    return f"{HOST}/gk/{item.agency.slug}/items/{item.pk}/"


# --- feeds ---------------------------------------------------------------------------------


def test_agency_rss_lists_only_public_items_newest_first(client, catalogue):
    public = catalogue["public"]
    response = client.get(agency_feed("rss"))

    items = rss_items(response)
    assert [i.findtext("title") for i in items] == [
        "六横镇新规范性文件",
        "六横镇工作动态",
        "六横镇旧政策",
    ]
    channel = parse_xml(response.content).find("channel")
    assert channel.findtext("title").startswith("六横镇人民政府 · ")
    assert channel.findtext("link") == f"{HOST}/gk/liuheng/"

    newest = items[0]
    assert newest.findtext("link") == item_link(public["new"])
    guid = newest.find("guid")
    assert guid.text == item_link(public["new"])
    assert guid.get("isPermaLink") == "true"
    assert newest.findtext("pubDate") == "Mon, 02 Mar 2026 04:00:00 +0000"
    assert [c.text for c in newest.findall("category")] == ["规范性文件", "行政规范性文件"]
    assert items[2].findtext("description") == "旧政策的内容概述"


def test_agency_atom_has_ids_dates_and_categories(client, catalogue):
    public = catalogue["public"]
    Item.objects.filter(pk=public["new"].pk).update(updated_at=T0 + timedelta(days=1))

    entries = atom_entries(client.get(agency_feed("atom")))

    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "六横镇新规范性文件",
        "六横镇工作动态",
        "六横镇旧政策",
    ]
    newest = entries[0]
    assert newest.findtext(f"{ATOM}id") == item_link(public["new"])
    assert newest.find(f"{ATOM}link").get("href") == item_link(public["new"])
    assert newest.findtext(f"{ATOM}published") == "2026-03-02T04:00:00+00:00"
    assert newest.findtext(f"{ATOM}updated") == "2026-03-03T01:00:00+00:00"
    terms = [c.get("term") for c in newest.findall(f"{ATOM}category")]
    assert terms == ["规范性文件", "行政规范性文件"]
    assert entries[2].findtext(f"{ATOM}summary") == "旧政策的内容概述"


def test_withdrawn_item_drops_out_of_the_feed(client, catalogue):
    item = catalogue["public"]["mid"]
    assert "六横镇工作动态" in rss_titles(client.get(agency_feed()))

    Item.objects.filter(pk=item.pk).update(status=ItemStatus.WITHDRAWN)

    assert "六横镇工作动态" not in rss_titles(client.get(agency_feed()))
    entries = atom_entries(client.get(agency_feed("atom")))
    assert "六横镇工作动态" not in [e.findtext(f"{ATOM}title") for e in entries]


def test_description_is_plain_text_from_the_body_when_there_is_no_summary(client, columns, publish):
    body = "<p>会议<strong>部署</strong>了重点工作。</p><p>" + "安全生产" * 100 + "</p>"
    publish(columns["news"], "无概述", body=body)
    publish(columns["news"], "有概述", hours=1, summary="概述原文", body=body)

    items = rss_items(client.get(agency_feed()))
    descriptions = {i.findtext("title"): i.findtext("description") for i in items}

    assert descriptions["有概述"] == "概述原文"
    text = descriptions["无概述"]
    assert text.startswith("会议部署了重点工作。 安全生产安全生产")
    assert "<" not in text and "strong" not in text
    assert len(text) <= 200 and text.endswith("…")


def test_markup_characters_in_titles_and_summaries_survive(client, columns, publish):
    publish(columns["news"], "关于A&B<C>的通知", summary="甲&乙")

    item = rss_items(client.get(agency_feed()))[0]
    assert item.findtext("title") == "关于A&B<C>的通知"
    # The description is HTML (RSS and Atom type="html"): the text is escaped once.
    assert item.findtext("description") == "甲&amp;乙"
    entry = atom_entries(client.get(agency_feed("atom")))[0]
    assert entry.findtext(f"{ATOM}title") == "关于A&B<C>的通知"


def test_column_feed_includes_sub_columns_and_no_other_column(client, catalogue, columns):
    policy = rss_items(client.get(column_feed(columns["policy"])))
    assert [i.findtext("title") for i in policy] == ["六横镇新规范性文件", "六横镇旧政策"]

    assert rss_titles(client.get(column_feed(columns["normative"]))) == ["六横镇新规范性文件"]
    assert rss_titles(client.get(column_feed(columns["news"]))) == ["六横镇工作动态"]
    entries = atom_entries(client.get(column_feed(columns["policy"], "atom")))
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["六横镇新规范性文件", "六横镇旧政策"]


def test_column_feed_title_and_link(client, catalogue, columns):
    response = client.get(column_feed(columns["policy"]))
    channel = parse_xml(response.content).find("channel")
    assert channel.findtext("title") == "六横镇人民政府 · 政策文件"
    assert channel.findtext("link") == f"{HOST}/gk/liuheng/columns/{columns['policy'].pk}/"

    feed = parse_xml(client.get(column_feed(columns["policy"], "atom")).content)
    assert feed.findtext(f"{ATOM}title") == "六横镇人民政府 · 政策文件"
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == HOST + column_feed(columns["policy"], "atom")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_unknown_or_foreign_agency_and_column_are_not_found(client, catalogue, columns, kind):
    assert client.get(agency_feed(kind, agency="nowhere")).status_code == 404
    # 桃花镇's column under 六横镇's slug, and the other way round
    assert client.get(column_feed(columns["other"], kind)).status_code == 404
    assert client.get(column_feed(columns["policy"], kind, agency="taohua")).status_code == 404
    assert client.get(column_feed(columns["other"], kind, agency="taohua")).status_code == 200
    missing = reverse(f"portal:column-feed-{kind}", kwargs={"agency": "liuheng", "column": 999_999})
    assert client.get(missing).status_code == 404


def test_inactive_agency_and_column_have_no_feed(client, town, columns):
    columns["news"].is_active = False
    columns["news"].save()
    assert client.get(column_feed(columns["news"])).status_code == 404
    assert client.get(column_feed(columns["normative"])).status_code == 200

    # a deactivated column hides its sub-columns, as on the portal
    columns["policy"].is_active = False
    columns["policy"].save()
    assert client.get(column_feed(columns["normative"])).status_code == 404
    assert client.get(agency_feed()).status_code == 200

    town.is_active = False
    town.save()
    assert client.get(agency_feed()).status_code == 404
    assert client.get(column_feed(columns["policy"])).status_code == 404


def bulk_publish(column, author, count, start=0):
    Item.objects.bulk_create(
        Item(
            agency=column.agency,
            column=column,
            title=f"批量信息{start + n}",
            formed_on=T0.date(),
            genre=Genre.WORK_NEWS,
            status=ItemStatus.PUBLISHED,
            published_at=T0 + timedelta(minutes=start + n),
            created_by=author,
            body=f"<p>正文{start + n}</p>",
        )
        for n in range(count)
    )


def test_feed_holds_the_latest_fifty(client, columns, author):
    bulk_publish(columns["news"], author, 55)

    titles = rss_titles(client.get(agency_feed()))

    assert len(titles) == 50
    assert titles[0] == "批量信息54" and titles[-1] == "批量信息5"


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (lambda columns: agency_feed("rss"), 2),  # agency, items
        (lambda columns: agency_feed("atom"), 2),
        (lambda columns: column_feed(columns["policy"], "rss"), 3),  # column, column tree, items
        (lambda columns: column_feed(columns["policy"], "atom"), 3),
    ],
)
def test_feed_queries_do_not_grow_with_items(
    client, columns, author, django_assert_num_queries, url, queries
):
    bulk_publish(columns["normative"], author, 1)
    with django_assert_num_queries(queries):
        assert len(rss_or_atom(client.get(url(columns)))) == 1

    bulk_publish(columns["normative"], author, 30, start=1)
    bulk_publish(columns["policy"], author, 30, start=31)
    with django_assert_num_queries(queries):
        assert len(rss_or_atom(client.get(url(columns)))) == 50


def rss_or_atom(response):
    if response["Content-Type"].startswith("application/atom+xml"):
        return atom_entries(response)
    return rss_items(response)


def test_feed_links_template_tags(town, columns):
    template = Template(
        "{% load portal_feeds %}{% feed_link_tags agency %}|{% feed_link_tags agency column %}|"
        "{% feed_links agency column as feeds %}{{ feeds.rss }} {{ feeds.atom }} {{ feeds.title }}"
    )
    html = template.render(Context({"agency": town, "column": columns["policy"]}))
    agency_part, column_part, links = html.split("|")

    assert 'type="application/rss+xml"' in agency_part
    assert 'href="/gk/liuheng/feed/rss.xml"' in agency_part
    assert 'href="/gk/liuheng/feed/atom.xml"' in agency_part
    pk = columns["policy"].pk
    assert f'href="/gk/liuheng/columns/{pk}/feed/rss.xml"' in column_part
    assert 'title="六横镇人民政府 · 政策文件 (Atom)"' in column_part
    assert links == (
        f"/gk/liuheng/columns/{pk}/feed/rss.xml /gk/liuheng/columns/{pk}/feed/atom.xml "
        "六横镇人民政府 · 政策文件"
    )


# --- sitemap -------------------------------------------------------------------------------


def sitemap_index(client) -> list[str]:
    response = client.get(reverse("portal:sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = parse_xml(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def sitemap_urls(client, url) -> dict[str, str | None]:
    """{location: lastmod} of one sitemap page (`url` absolute, as the index gives it)."""
    response = client.get(url.removeprefix(HOST))
    assert response.status_code == 200
    root = parse_xml(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }


def all_sitemap_urls(client) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for url in sitemap_index(client):
        found.update(sitemap_urls(client, url))
    return found


def test_sitemap_index_lists_the_sections(client, catalogue):
    Item.objects.update(updated_at=T0)
    Item.objects.filter(pk=catalogue["public"]["mid"].pk).update(updated_at=T0 + timedelta(days=3))
    Item.objects.filter(pk=catalogue["hidden"][0].pk).update(updated_at=T0 + timedelta(days=9))

    assert sitemap_index(client) == [
        f"{HOST}/sitemap-pages.xml",
        f"{HOST}/sitemap-columns.xml",
        f"{HOST}/sitemap-items.xml",
    ]
    root = parse_xml(client.get("/sitemap.xml").content)
    lastmods = {s.findtext(f"{SITEMAP}loc"): s.findtext(f"{SITEMAP}lastmod") for s in root}
    # the latest change of a public item (a draft's later edit is nobody's business)
    assert lastmods[f"{HOST}/sitemap-items.xml"] == "2026-03-05T09:00:00+08:00"


def test_sitemap_has_public_items_with_lastmod_and_nothing_else(client, catalogue):
    public = catalogue["public"]
    Item.objects.filter(pk=public["old"].pk).update(
        updated_at=datetime(2026, 4, 1, 8, 30, tzinfo=UTC)
    )

    items = sitemap_urls(client, f"{HOST}/sitemap-items.xml")

    expected = [*public.values(), catalogue["foreign"]]
    assert set(items) == {item_link(item) for item in expected}
    assert items[item_link(public["old"])] == "2026-04-01"
    assert all(lastmod for lastmod in items.values())
    every_url = all_sitemap_urls(client)
    for item in catalogue["hidden"]:
        assert item_link(item) not in every_url


def test_sitemap_has_portal_pages_and_columns_of_active_agencies(
    client, agency_tree, catalogue, columns
):
    agency_tree["department"].is_active = False
    agency_tree["department"].save()
    columns["news"].is_active = False
    columns["news"].save()
    hidden_parent = ColumnFactory(agency=columns["news"].agency, name="旧栏目", is_active=False)
    hidden_child = ColumnFactory(agency=columns["news"].agency, name="子栏目", parent=hidden_parent)

    urls = all_sitemap_urls(client)

    for path in [
        "/",
        "/gk/liuheng/",
        "/gk/liuheng/guide/",
        "/gk/liuheng/catalogue/",
        "/gk/liuheng/sitemap/",
        "/gk/taohua/",
    ]:
        assert HOST + path in urls
    assert f"{HOST}/gk/liuheng-dzb/" not in urls
    for key in ["policy", "normative", "other"]:
        assert f"{HOST}/gk/{columns[key].agency.slug}/columns/{columns[key].pk}/" in urls
    for column in [columns["news"], hidden_parent, hidden_child]:
        assert f"{HOST}/gk/liuheng/columns/{column.pk}/" not in urls


def test_items_of_an_inactive_agency_leave_the_sitemap(client, catalogue, other_town):
    other_town.is_active = False
    other_town.save()
    urls = all_sitemap_urls(client)
    assert item_link(catalogue["public"]["old"]) in urls
    assert not any("/gk/taohua/" in url for url in urls)


def test_item_section_is_paginated_in_the_index(client, catalogue, monkeypatch):
    monkeypatch.setattr(sitemaps.ItemSitemap, "limit", 3)

    index = sitemap_index(client)

    assert index[-2:] == [f"{HOST}/sitemap-items.xml", f"{HOST}/sitemap-items.xml?p=2"]
    first = sitemap_urls(client, index[-2])
    second = sitemap_urls(client, index[-1])
    assert len(first) == 3 and len(second) == 1
    expected = [*catalogue["public"].values(), catalogue["foreign"]]
    assert set(first) | set(second) == {item_link(i) for i in expected}
    assert client.get("/sitemap-items.xml?p=3").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_queries_do_not_grow_with_items(client, columns, author, django_assert_num_queries):
    def check():
        with django_assert_num_queries(
            4
        ) as queries:  # agencies; columns: count; items: latest, count
            index = sitemap_index(client)
        # The index reads aggregates of the item table, never its rows.
        item_queries = [q["sql"] for q in queries.captured_queries if "catalogue_item" in q["sql"]]
        assert len(item_queries) == 2
        assert all("COUNT(" in sql or "MAX(" in sql for sql in item_queries)
        with django_assert_num_queries(1):  # agencies
            sitemap_urls(client, index[0])
        with django_assert_num_queries(1):  # columns
            sitemap_urls(client, index[1])
        with django_assert_num_queries(2):  # count, page
            return sitemap_urls(client, index[2])

    bulk_publish(columns["news"], author, 1)
    assert len(check()) == 1
    bulk_publish(columns["policy"], author, 40, start=1)
    assert len(check()) == 41


# --- robots.txt ----------------------------------------------------------------------------


def test_robots_txt(client):
    response = client.get(reverse("portal:robots"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for prefix in ["/staff/", "/admin/", "/accounts/", "/api/", "/prefs/"]:
        assert f"Disallow: {prefix}" in lines
    assert "Allow: /api/v1/catalogue/public/" in lines
    assert lines[-1] == f"Sitemap: {HOST}/sitemap.xml"


def test_robots_txt_as_a_crawler_reads_it(client):
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(client.get("/robots.txt").content.decode().splitlines())

    def allowed(path):
        return parser.can_fetch("Baiduspider", HOST + path)

    assert allowed("/")
    assert allowed("/gk/liuheng/items/1/")
    assert allowed("/gk/liuheng/feed/rss.xml")
    assert allowed("/sitemap.xml")
    assert allowed("/api/v1/catalogue/public/items")
    assert not allowed("/staff/catalogue/items/")
    assert not allowed("/admin/")
    assert not allowed("/accounts/login/")
    assert not allowed("/api/v1/catalogue/items")
    assert not allowed("/prefs/?font=larger&next=/")
    assert parser.site_maps() == [f"{HOST}/sitemap.xml"]
