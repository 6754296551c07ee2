"""The public pages: platform home, agency home, 指南, 目录, columns, items, 网站地图, prefs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Attachment, ItemStatus
from gongkai.catalogue.taxonomy import ChannelKind, ColumnType, DisclosureMode, Genre, Scope
from gongkai.catalogue.tests.factories import ColumnFactory, ItemFactory, make_pdf
from gongkai.core import services as core_services
from gongkai.core.models import Agency
from gongkai.core.tests.factories import UserFactory
from gongkai.portal import services as portal_services
from gongkai.portal import urls as portal_urls
from gongkai.portal.selectors import PAGE_SIZE

T0 = datetime(2025, 6, 2, 2, 0, tzinfo=UTC)  # 2025-06-02 10:00 in Shanghai

OFFICE = {
    "office_name": "六横镇党政综合办公室",
    "office_address": "浙江省舟山市普陀区六横镇示例路1号",
    "office_hours": "工作日 8:30—17:00",
    "office_phone": "0580-6000001",
    "office_fax": "0580-6000002",
    "office_email": "gk@liuheng.example.cn",
    "office_postcode": "316131",
}


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def town(agency_tree):
    town = agency_tree["town"]  # 六横镇人民政府, slug "liuheng"
    return core_services.agency_update(actor=None, agency=town, data=OFFICE)


@pytest.fixture
def other_town(agency_tree):
    return agency_tree["other_town"]  # 桃花镇人民政府, slug "taohua"


@pytest.fixture
def author(db):
    return UserFactory(username="portal-author")


@pytest.fixture
def columns(town, other_town):
    """六横镇: 政策文件 → 规范性文件, and 工作动态; 桃花镇: 通知公告."""
    policy = ColumnFactory(agency=town, name="政策文件", column_type=ColumnType.POLICY, position=1)
    return {
        "policy": policy,
        "normative": ColumnFactory(
            agency=town, name="规范性文件", parent=policy, column_type=ColumnType.POLICY
        ),
        "news": ColumnFactory(agency=town, name="工作动态", position=2),
        "other": ColumnFactory(agency=other_town, name="通知公告", column_type=ColumnType.NOTICE),
    }


@pytest.fixture
def publish(author):
    """publish(column, title, days=0, **fields) -> an item written straight to the table,
    published (by default) T0 + days."""
    serial = iter(range(1, 10_000))

    def make(column, title, days=0, **fields):
        fields.setdefault("status", ItemStatus.PUBLISHED)
        if fields["status"] in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN):
            fields.setdefault("published_at", T0 + timedelta(days=days))
            fields.setdefault("index_number", f"{column.agency.uscc}/2025-{next(serial):05d}")
        return ItemFactory(column=column, title=title, created_by=author, **fields)

    return make


@pytest.fixture
def catalogue(columns, publish):
    """Public items in each column of 六横镇, the kinds that must never show, and 桃花镇's."""
    public = {
        "policy": publish(
            columns["policy"],
            "六横镇人民政府关于印发工作要点的通知",
            days=1,
            document_number="六政发〔2025〕3号",
            publisher="六横镇人民政府",
            formed_on=date(2025, 5, 28),
            topic="综合政务",
            genre=Genre.OTHER_DOCUMENT,
            summary="印发2025年工作要点。",
            body="<p>各村（社区）：现将工作要点印发给你们。</p>",
        ),
        "normative": publish(
            columns["normative"],
            "六横镇临时救助实施办法",
            days=3,
            genre=Genre.NORMATIVE,
            topic="民政、扶贫、救灾",
        ),
        "news": publish(columns["news"], "六横镇召开安全生产工作会议", days=2),
        "old_news": publish(
            columns["news"],
            "六横镇开展春节前安全检查",
            published_at=datetime(2024, 2, 5, tzinfo=UTC),
        ),
    }
    hidden = {
        "draft": publish(columns["news"], "草稿标题不可见", status=ItemStatus.DRAFT),
        "pending": publish(columns["news"], "待审核标题不可见", status=ItemStatus.PENDING),
        "approved": publish(
            columns["news"],
            "已审核未发布标题不可见",
            status=ItemStatus.APPROVED,
            index_number="11330903000000000X/2025-99999",
        ),
        "on_request": publish(
            columns["news"], "依申请公开标题不可见", disclosure_mode=DisclosureMode.ON_REQUEST
        ),
        "specific": publish(columns["news"], "特定对象标题不可见", scope=Scope.SPECIFIC),
        # published on 政务微信 only: counted in the report, not listed on the website
        "new_media_only": publish(columns["news"], "仅在政务微信发布标题不可见", on_website=False),
    }
    withdrawn = publish(
        columns["news"],
        "已撤回的通知",
        days=4,
        status=ItemStatus.WITHDRAWN,
        body="<p>撤回信息的正文不可见</p>",
    )
    other = publish(columns["other"], "桃花镇通知公告", days=5)
    return {"public": public, "hidden": hidden, "withdrawn": withdrawn, "other": other}


def html_of(response) -> str:
    return response.content.decode()


def item_url(item) -> str:
    return reverse("portal:item", args=[item.agency.slug, item.pk])


# --- the platform home ---------------------------------------------------------------------


def test_platform_home_is_the_root_and_lists_active_agencies(client, town, other_town, catalogue):
    assert reverse("portal:home") == "/"
    Agency.objects.filter(slug="liuheng-dzb").update(is_active=False)
    response = client.get("/")
    assert response.status_code == 200
    html = html_of(response)
    assert f'href="{reverse("portal:agency-home", args=["liuheng"])}"' in html
    assert f'href="{reverse("portal:agency-home", args=["taohua"])}"' in html
    assert "六横镇人民政府信息公开" in html  # the default site name
    assert "六横镇党政综合办公室" in html  # its office, from the agency's record
    assert 'href="/gk/liuheng-dzb/"' not in html  # inactive
    # Every list shows dates: each agency's latest publication.
    assert (T0 + timedelta(days=3)).strftime("%Y-%m-%d") in html  # 六横镇's newest
    assert (T0 + timedelta(days=5)).strftime("%Y-%m-%d") in html  # 桃花镇's


def test_staff_logout_lands_on_the_platform_home(client, town):
    from gongkai.core.tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "_auth_user_id" not in client.session


# --- agency home -----------------------------------------------------------------------


def test_agency_home_shows_recent_items_per_column_with_dates(client, town, catalogue):
    response = client.get(reverse("portal:agency-home", args=["liuheng"]))
    assert response.status_code == 200
    html = html_of(response)
    for item in catalogue["public"].values():
        assert item.title in html
        assert f'href="{item_url(item)}"' in html
    assert '<time datetime="2025-06-05">2025-06-05</time>' in html  # the newest, dated
    assert re.search(r'href="/gk/liuheng/columns/\d+/">工作动态</a>', html)
    assert 'href="/gk/liuheng/guide/"' in html and 'href="/gk/liuheng/catalogue/"' in html
    for item in catalogue["hidden"].values():
        assert item.title not in html
    assert catalogue["withdrawn"].title not in html
    assert catalogue["other"].title not in html


@pytest.mark.parametrize("slug", ["nobody", "liuheng-dzb"])
def test_unknown_or_inactive_agency_is_404(client, agency_tree, slug):
    Agency.objects.filter(slug="liuheng-dzb").update(is_active=False)
    for name in ("portal:agency-home", "portal:guide", "portal:catalogue", "portal:sitemap-page"):
        assert client.get(reverse(name, args=[slug])).status_code == 404


# --- the guide (第十二条) --------------------------------------------------------------------


@pytest.mark.urls("gongkai.portal.tests.urls_portal_only")
def test_guide_is_generated_from_the_agency_data(client, town, columns):
    catalogue_services.channel_create(
        actor=None, agency=town, kind=ChannelKind.WECHAT, name="六横发布", account="lh_fabu"
    )
    response = client.get(reverse("portal:guide", args=["liuheng"]))
    assert response.status_code == 200
    html = html_of(response)
    for heading in (
        "政府信息的分类",
        "政府信息的编排体系",
        "政府信息的获取方式",
        "政府信息公开工作机构",
    ):
        assert heading in html
    for label in ("名称", "办公地址", "办公时间", "联系电话", "传真号码", "互联网联系方式"):
        assert f'<th scope="row">{label}</th>' in html
    for value in OFFICE.values():
        assert value in html
    # The 编排体系: the column tree with each column's type, and the 索引号 rule.
    assert "规范性文件" in html and "（政策文件）" in html and "（动态要闻）" in html
    assert "{统一社会信用代码}/{YYYY}-{NNNNN}" in html
    # 获取方式: the channels from the catalogue.
    assert "政务微信" in html and "六横发布" in html and "lh_fabu" in html
    # Sections that do not work yet are not described.
    assert "依申请公开" not in html
    assert columns["other"].name not in html  # 桃花镇's column


def test_guide_reflects_an_edit_at_once(client, town, columns):
    url = reverse("portal:guide", args=["liuheng"])
    assert "0580-6000001" in html_of(client.get(url))
    core_services.agency_update(actor=None, agency=town, data={"office_phone": "0580-6999999"})
    html = html_of(client.get(url))
    assert "0580-6999999" in html and "0580-6000001" not in html


def test_guide_date_is_the_latest_change_of_what_it_shows(client, town, columns, time_machine):
    time_machine.move_to(datetime(2031, 1, 5, 3, 0, tzinfo=UTC))
    catalogue_services.column_create(
        actor=None, agency=town, name="人事信息", column_type=ColumnType.PERSONNEL
    )
    html = html_of(client.get(reverse("portal:guide", args=["liuheng"])))
    assert '更新日期：<time datetime="2031-01-05">' in html
    time_machine.move_to(datetime(2031, 2, 9, 3, 0, tzinfo=UTC))
    catalogue_services.channel_create(
        actor=None, agency=town, kind=ChannelKind.WEIBO, name="六横微博"
    )
    html = html_of(client.get(reverse("portal:guide", args=["liuheng"])))
    assert '更新日期：<time datetime="2031-02-09">' in html


# --- the catalogue: facets and pagination ---------------------------------------------------


def facet_counts(html: str, section: str) -> dict[str, int]:
    block = html.split(f'id="f-{section}"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r'>([^<>]+?) <span class="count">\((\d+)\)</span>', block)
    return {label.strip(): int(n) for label, n in found}


def test_catalogue_lists_public_items_with_index_numbers_and_dates(client, catalogue):
    response = client.get(reverse("portal:catalogue", args=["liuheng"]))
    assert response.status_code == 200
    html = html_of(response)
    for item in catalogue["public"].values():
        assert item.title in html and item.index_number in html
    assert '<th scope="col">索引号</th>' in html and '<th scope="col">发布日期</th>' in html
    assert '<time datetime="2024-02-05">2024-02-05</time>' in html
    for item in [*catalogue["hidden"].values(), catalogue["withdrawn"], catalogue["other"]]:
        assert item.title not in html
    assert '<link rel="canonical" href="http://testserver/gk/liuheng/catalogue/">' in html


def test_catalogue_facet_counts(client, catalogue, columns):
    html = html_of(client.get(reverse("portal:catalogue", args=["liuheng"])))
    # A column counts its sub-columns' items.
    assert facet_counts(html, "column") == {"政策文件": 2, "规范性文件": 1, "工作动态": 2}
    assert facet_counts(html, "topic") == {"综合政务": 3, "民政、扶贫、救灾": 1}
    assert facet_counts(html, "genre") == {"行政规范性文件": 1, "其他文件": 1, "工作动态": 2}
    assert facet_counts(html, "year") == {"2025": 3, "2024": 1}


def test_catalogue_filters_and_facets_under_other_filters(client, catalogue, columns):
    url = reverse("portal:catalogue", args=["liuheng"])
    html = html_of(client.get(url, {"column": columns["policy"].pk}))
    assert catalogue["public"]["normative"].title in html  # from the sub-column
    assert catalogue["public"]["news"].title not in html
    # Facets count under the other filters, not their own.
    assert facet_counts(html, "year") == {"2025": 2}
    assert facet_counts(html, "column")["工作动态"] == 2
    html = html_of(client.get(url, {"year": 2024}))
    assert catalogue["public"]["old_news"].title in html
    assert catalogue["public"]["policy"].title not in html
    html = html_of(client.get(url, {"topic": "民政、扶贫、救灾", "genre": "normative"}))
    assert catalogue["public"]["normative"].title in html
    assert catalogue["public"]["news"].title not in html
    # Filters that name nothing are ignored (and left out of the canonical URL).
    response = client.get(url, {"column": columns["other"].pk, "genre": "nonsense", "year": "x"})
    assert response.status_code == 200
    assert catalogue["public"]["news"].title in html_of(response)
    assert '<link rel="canonical" href="http://testserver/gk/liuheng/catalogue/">' in html_of(
        response
    )


def test_catalogue_pagination(client, columns, publish):
    titles = [f"六横镇工作动态第{n:02d}期" for n in range(PAGE_SIZE + 3)]
    for n, title in enumerate(titles):
        publish(columns["news"], title, days=n)
    url = reverse("portal:catalogue", args=["liuheng"])
    first = html_of(client.get(url))
    assert titles[-1] in first and titles[0] not in first  # newest first
    assert 'href="?page=2"' in first
    second = html_of(client.get(url, {"page": 2}))
    assert titles[0] in second and titles[-1] not in second
    assert second.count("<tr>") == 3 + 1  # three rows and the header
    assert 'href="http://testserver/gk/liuheng/catalogue/?page=2"' in second
    assert client.get(url, {"page": 999}).status_code == 200  # the last page


# --- columns ---------------------------------------------------------------------------


def test_column_page_lists_its_subtree_with_breadcrumbs(client, catalogue, columns):
    url = reverse("portal:column", args=["liuheng", columns["normative"].pk])
    html = html_of(client.get(url))
    assert catalogue["public"]["normative"].title in html
    assert catalogue["public"]["policy"].title not in html
    crumbs = html.split('class="crumbs"', 1)[1].split("</nav>", 1)[0]
    assert crumbs.index("政策文件") < crumbs.index("规范性文件")
    assert '<span aria-current="page">规范性文件</span>' in crumbs
    parent = html_of(client.get(reverse("portal:column", args=["liuheng", columns["policy"].pk])))
    assert catalogue["public"]["normative"].title in parent  # sub-column's items too
    assert catalogue["public"]["policy"].title in parent
    assert '<time datetime="2025-06-05">' in parent


def test_column_of_another_agency_or_inactive_is_404(client, catalogue, columns):
    other = columns["other"]
    assert client.get(reverse("portal:column", args=["liuheng", other.pk])).status_code == 404
    assert client.get(reverse("portal:column", args=["taohua", other.pk])).status_code == 200
    columns["policy"].is_active = False
    columns["policy"].save()
    for column in (columns["policy"], columns["normative"]):  # a sub-column hides with it
        assert client.get(reverse("portal:column", args=["liuheng", column.pk])).status_code == 404


# --- items -----------------------------------------------------------------------------


def test_item_page_shows_the_metadata_block_then_text(client, catalogue):
    item = catalogue["public"]["policy"]
    response = client.get(item_url(item))
    assert response.status_code == 200
    html = html_of(response)
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td[^>]*>(.*?)</td></tr>', html, re.S))
    assert rows["索引号"] == item.index_number
    assert rows["发布机构"] == "六横镇人民政府"
    assert "2025-05-28" in rows["成文日期"]
    assert "2025-06-03" in rows["发布日期"]
    assert rows["文号"] == "六政发〔2025〕3号"
    assert rows["有效性"] == "有效"
    assert rows["主题分类"] == "综合政务"
    assert rows["公开方式"] == "主动公开"
    assert rows["体裁"] == "其他文件"
    assert rows["内容概述"] == "印发2025年工作要点。"
    # The block comes before the title and the body.
    assert html.index("索引号") < html.index(f"<h1>{item.title}</h1>") < html.index("现将工作要点")
    assert f'<link rel="canonical" href="http://testserver{item_url(item)}">' in html
    column_url = reverse("portal:column", args=["liuheng", item.column_id])
    assert f'href="{column_url}"' in html


def test_item_body_is_sanitised_again_on_the_way_out(client, columns, publish):
    item = publish(columns["news"], "含脚本的正文", body='<p>正文</p><script>alert("x")</script>')
    html = html_of(client.get(item_url(item)))
    assert "<p>正文</p>" in html
    assert "alert(" not in html


@pytest.mark.parametrize(
    "kind", ["draft", "pending", "approved", "on_request", "specific", "new_media_only"]
)
def test_non_public_items_are_404(client, catalogue, kind):
    item = catalogue["hidden"][kind]
    response = client.get(item_url(item))
    assert response.status_code == 404
    assert item.title not in html_of(response)


def test_withdrawn_item_answers_410_with_a_notice(client, catalogue):
    item = catalogue["withdrawn"]
    response = client.get(item_url(item))
    assert response.status_code == 410
    html = html_of(response)
    assert item.title in html
    # No audit event: the last change, on the day it was in Shanghai (the page's time zone).
    assert timezone.localtime(item.updated_at).date().isoformat() in html
    assert "撤回信息的正文不可见" not in html


def test_item_under_another_agency_slug_is_404(client, catalogue):
    item = catalogue["other"]
    assert client.get(reverse("portal:item", args=["liuheng", item.pk])).status_code == 404
    assert client.get(reverse("portal:item", args=["taohua", item.pk])).status_code == 200


def test_item_by_index_redirects_permanently_to_the_canonical_url(client, catalogue):
    item = catalogue["public"]["normative"]
    url = reverse("portal:item-by-index", args=["liuheng", item.index_number])
    assert "/" in item.index_number
    response = client.get(url)
    assert response.status_code == 301
    assert response.headers["Location"] == item_url(item)
    withdrawn = catalogue["withdrawn"]
    response = client.get(reverse("portal:item-by-index", args=["liuheng", withdrawn.index_number]))
    assert response.status_code == 301
    for index in (catalogue["hidden"]["approved"].index_number, "nothing/2025-00001"):
        assert (
            client.get(reverse("portal:item-by-index", args=["liuheng", index])).status_code == 404
        )
    other = catalogue["other"].index_number
    assert client.get(reverse("portal:item-by-index", args=["liuheng", other])).status_code == 404


@pytest.fixture
def with_attachment(town, columns, make_member):
    """An item published through the services with a PDF attachment."""
    from gongkai.core.models import Role

    editor = make_member(town, Role.EDITOR, "att-editor")
    reviewer = make_member(town, Role.REVIEWER, "att-reviewer")
    item = catalogue_services.item_create(
        actor=editor,
        agency=town,
        column=columns["news"],
        title="附件测试",
        formed_on=date(2025, 6, 1),
        genre=Genre.WORK_NEWS,
        body="<p>见附件。</p>",
    )
    catalogue_services.attachment_add(
        actor=editor, item=item, name="工作要点.pdf", data=make_pdf("hello", author=None)
    )
    item = catalogue_services.item_submit(actor=editor, item=item)
    item = catalogue_services.item_approve(
        actor=reviewer,
        item=item,
        checks=catalogue_services.ReviewChecks(secrecy=True, privacy=True, wording=True),
        publish_now=True,
    )
    return item, reviewer


def test_item_page_lists_attachments_with_type_and_size(client, with_attachment):
    item, _reviewer = with_attachment
    attachment = Attachment.objects.get(item=item)
    html = html_of(client.get(item_url(item)))
    link = reverse("portal:attachment", args=["liuheng", item.pk, attachment.pk])
    assert f'href="{link}"' in html
    assert "工作要点.pdf" in html and "PDF" in html
    size = attachment.size  # a few hundred bytes: “590 字节” (“590 bytes” in English)
    assert re.search(rf"（PDF，{size}\s\S+）", html)
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_attachment_of_a_withdrawn_item_is_not_served(client, with_attachment):
    item, reviewer = with_attachment
    attachment = Attachment.objects.get(item=item)
    catalogue_services.item_withdraw(actor=reviewer, item=item, reason="过时")
    link = reverse("portal:attachment", args=["liuheng", item.pk, attachment.pk])
    assert client.get(link).status_code == 404
    response = client.get(item_url(item))
    assert response.status_code == 410
    assert "工作要点.pdf" not in html_of(response)


# --- 网站地图, footer, optional sections ----------------------------------------------------


def test_sitemap_page_lists_pages_and_columns(client, columns):
    html = html_of(client.get(reverse("portal:sitemap-page", args=["liuheng"])))
    assert "<h1>网站地图</h1>" in html
    for name in ("portal:agency-home", "portal:guide", "portal:catalogue"):
        assert f'href="{reverse(name, args=["liuheng"])}"' in html
    for key in ("policy", "normative", "news"):
        assert f'href="{reverse("portal:column", args=["liuheng", columns[key].pk])}"' in html
    assert columns["other"].name not in html


@pytest.mark.urls("gongkai.portal.tests.urls_portal_only")
def test_footer_shows_the_government_website_conventions(client, town):
    portal_services.portal_settings_update(
        actor=None,
        agency=town,
        data={
            "site_code": "3309030001",
            "icp_record": "浙ICP备00000000号-1",
            "police_record": "浙公网安备 33090302000001号",
            "police_record_code": "33090302000001",
            "operator": "六横镇党政综合办公室",
        },
    )
    html = html_of(client.get(reverse("portal:agency-home", args=["liuheng"])))
    footer = html.split('<footer class="portal-footer">', 1)[1]
    assert "主办单位" in footer and town.name in footer
    assert "承办单位" in footer
    assert "0580-6000001" in footer and "gk@liuheng.example.cn" in footer  # the office's
    assert "网站标识码" in footer and "3309030001" in footer
    assert 'href="https://beian.miit.gov.cn/"' in footer and "浙ICP备00000000号-1" in footer
    assert (
        'href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33090302000001"'
        in footer
    )
    assert f'href="{reverse("portal:sitemap-page", args=["liuheng"])}">网站地图' in footer
    assert "找错" not in html  # no intake yet: no link, rather than a dead one
    assert "党政机关网站标识" not in html  # no badge set: no slot


def test_the_kept_footer_and_navigation_follow_a_change_in_the_same_process(client, town):
    # rendered once per site state (templatetags.portal.site_fragment), so a change to the
    # settings or the agency's row must show on the very next page
    home = reverse("portal:agency-home", args=["liuheng"])
    footer = html_of(client.get(home)).split('<footer class="portal-footer">', 1)[1]
    assert "3309030002" not in footer
    portal_services.portal_settings_update(
        actor=None, agency=town, data={"site_code": "3309030002"}
    )
    footer = html_of(client.get(home)).split('<footer class="portal-footer">', 1)[1]
    assert "3309030002" in footer
    Agency.objects.filter(pk=town.pk).update(name="六横镇人民政府（新）")  # not even a new time
    html = html_of(client.get(reverse("portal:guide", args=["liuheng"])))
    assert "六横镇人民政府（新）" in html.split('<footer class="portal-footer">', 1)[1]
    # the navigation marks the page's own section, kept apart per section
    nav = html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'guide/" aria-current="page"' in nav
    nav = html_of(client.get(home)).split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'guide/" aria-current="page"' not in nav and 'aria-current="page">首页' in nav


def test_settings_fall_back_to_the_agency_and_override_it(client, town):
    html = html_of(client.get(reverse("portal:agency-home", args=["liuheng"])))
    assert "<h1>六横镇人民政府信息公开</h1>" in html
    portal_services.portal_settings_update(
        actor=None,
        agency=town,
        data={"site_name": "六横政务公开", "contact_phone": "0580-6123456"},
    )
    html = html_of(client.get(reverse("portal:agency-home", args=["liuheng"])))
    assert "<h1>六横政务公开</h1>" in html
    assert 'href="tel:0580-6123456"' in html


def test_badge_slot_appears_once_set(client, town):
    from django.core.files.base import ContentFile

    from gongkai.catalogue.tests.factories import make_png

    portal_services.portal_settings_update(
        actor=None,
        agency=town,
        data={
            "badge_image": ContentFile(make_png(), name="dzjg.png"),
            "badge_url": "https://bszs.conac.cn/sitename?method=show&id=1",
        },
    )
    html = html_of(client.get(reverse("portal:agency-home", args=["liuheng"])))
    badge = reverse("portal:badge", args=["liuheng"])
    assert f'<img src="{badge}" alt="党政机关网站标识"' in html
    response = client.get(badge)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(reverse("portal:badge", args=["taohua"])).status_code == 404


def _stub(request, **kwargs):
    return HttpResponse("stub")


# A deployment where the later issues' sections exist (used through pytest.mark.urls).
urlpatterns = [
    path(
        "",
        include(
            (
                [
                    *portal_urls.portal_urlpatterns,
                    path("gk/<slug:agency>/apply/", _stub, name="apply"),
                    path("gk/<slug:agency>/report-error/", _stub, name="report-error"),
                    path("search/", _stub, name="search"),
                ],
                "portal",
            )
        ),
    ),
    path("", include("gongkai.core.urls")),
]


@pytest.mark.urls("gongkai.portal.tests.urls_portal_only")
def test_later_sections_are_absent_until_they_exist(client, town):
    response = client.get(reverse("portal:agency-home", args=["liuheng"]))
    assert response.status_code == 200
    html = html_of(response)
    assert 'href="/gk/liuheng/guide/"' in html  # the sections that work are linked
    assert "依申请公开" not in html and "我为政府网站找错" not in html


@pytest.mark.urls("gongkai.portal.tests.test_pages")
def test_later_sections_appear_once_they_exist(client, town):
    html = html_of(client.get(reverse("portal:agency-home", args=["liuheng"])))
    assert '<a href="/gk/liuheng/apply/">依申请公开</a>' in html
    assert '<a href="/gk/liuheng/report-error/">我为政府网站找错</a>' in html
    assert "年度报告" not in html  # still absent
    search = html.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert 'method="get" action="/search/"' in search
    assert '<label for="site-search-q">' in search and 'id="site-search-q"' in search
    assert '<input type="hidden" name="agency" value="liuheng">' in search
    guide = html_of(client.get(reverse("portal:guide", args=["liuheng"])))
    assert 'href="/gk/liuheng/apply/"' in guide


# --- accessibility, display preferences -----------------------------------------------------


class _Audit(HTMLParser):
    """Collects what the page-level accessibility checks need."""

    def __init__(self):
        super().__init__()
        self.html_attrs: dict = {}
        self.headings: list[int] = []
        self.inputs: list[dict] = []
        self.label_for: set[str] = set()
        self.images: list[dict] = []
        self.th_without_scope = 0
        self.landmarks: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_attrs = attrs
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.inputs.append(attrs)
        elif tag == "label" and "for" in attrs:
            self.label_for.add(attrs["for"])
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "th" and "scope" not in attrs:
            self.th_without_scope += 1
        if tag in ("header", "nav", "main", "footer"):
            self.landmarks.add(tag)


@pytest.mark.parametrize(
    "page", ["home", "agency-home", "guide", "catalogue", "column", "item", "sitemap-page"]
)
def test_pages_are_accessible_by_construction(client, catalogue, columns, page):
    args = {
        "home": [],
        "column": ["liuheng", columns["news"].pk],
        "item": ["liuheng", catalogue["public"]["policy"].pk],
    }.get(page, ["liuheng"])
    html = html_of(client.get(reverse(f"portal:{page}", args=args)))
    audit = _Audit()
    audit.feed(html)
    assert audit.html_attrs["lang"] == "zh-hans"
    assert {"header", "nav", "main", "footer"} <= audit.landmarks
    assert 'class="skip-link" href="#main"' in html and 'id="main"' in html
    assert audit.headings.count(1) == 1 and audit.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(audit.headings, audit.headings[1:], strict=False))
    assert all(i.get("id") in audit.label_for for i in audit.inputs), audit.inputs
    assert all(img.get("alt") for img in audit.images)
    assert audit.th_without_scope == 0
    assert '<link rel="canonical" href="http://testserver/' in html
    assert "//cdn" not in html and 'src="http' not in html  # everything from our static files


def test_display_toolbar_works_without_javascript(client, town):
    html = html_of(client.get(reverse("portal:agency-home", args=["liuheng"])))
    form = html.split('<form class="prefs"', 1)[1].split("</form>", 1)[0]
    assert 'method="get"' in form and f'action="{reverse("portal:prefs")}"' in form
    assert '<input type="hidden" name="next" value="/gk/liuheng/">' in form
    for value in ("smaller", "reset", "larger"):
        assert f'<button type="submit" name="font" value="{value}"' in form
    assert 'name="contrast" value="toggle" aria-pressed="false"' in form
    assert 'class="fs-1"' in html


def test_prefs_cookie_persists_font_size_and_contrast(client, town):
    home = reverse("portal:agency-home", args=["liuheng"])
    response = client.get(reverse("portal:prefs"), {"font": "larger", "next": home})
    assert response.status_code == 302 and response.headers["Location"] == home
    assert response.cookies["gk_font"].value == "2"
    assert response.cookies["gk_font"]["max-age"] == 365 * 24 * 3600
    client.get(reverse("portal:prefs"), {"font": "larger", "next": home})
    client.get(reverse("portal:prefs"), {"contrast": "toggle", "next": home})
    html = html_of(client.get(home))
    assert '<html lang="zh-hans" class="fs-3 contrast-high"' in html
    assert 'aria-pressed="true"' in html
    for _ in range(5):
        client.get(reverse("portal:prefs"), {"font": "larger", "next": home})
    assert 'class="fs-4 contrast-high"' in html_of(client.get(home))  # the largest step
    client.get(reverse("portal:prefs"), {"font": "reset", "contrast": "toggle", "next": home})
    assert '<html lang="zh-hans" class="fs-1"' in html_of(client.get(home))


def test_prefs_never_redirect_off_site(client, db):
    response = client.get(
        reverse("portal:prefs"), {"font": "larger", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == reverse("portal:home")


# --- query counts ----------------------------------------------------------------------------


@pytest.fixture
def crowded(columns, publish):
    def fill(n: int):
        for k in range(n):
            publish(columns["news" if k % 2 else "normative"], f"批量信息{k}", days=k)

    return fill


@pytest.mark.parametrize("n", [2, 12])
def test_query_counts_do_not_grow_with_the_data(
    client, town, other_town, crowded, django_assert_num_queries, n
):
    crowded(n)
    last = catalogue_services_item(town)
    last_url = item_url(last)
    with django_assert_num_queries(5):  # 3 for the validators + agencies and latest dates
        client.get(reverse("portal:home"))
    with django_assert_num_queries(6):  # agency, validators (2), tree, latest, per column
        client.get(reverse("portal:agency-home", args=["liuheng"]))
    # From here on the tree built for the agency's column state is reused (kept_portal_columns)
    with django_assert_num_queries(9):  # agency, validators (2), count, page and four facets
        client.get(reverse("portal:catalogue", args=["liuheng"]))
    with django_assert_num_queries(4):  # agency, validators (2: they count too), page
        client.get(reverse("portal:column", args=["liuheng", last.column_id]))
    with django_assert_num_queries(2):  # agency; the item with its validator's column events
        client.get(last_url)


def test_an_item_page_names_a_renamed_column(client, town, crowded):
    # the tree kept for the agency's columns (selectors.kept_portal_columns) is not reused
    # once a column changed
    crowded(2)
    last = catalogue_services_item(town)
    assert "改名后的栏目" not in html_of(client.get(item_url(last)))
    catalogue_services.column_update(actor=None, column=last.column, data={"name": "改名后的栏目"})
    assert "改名后的栏目" in html_of(client.get(item_url(last)))


def catalogue_services_item(agency):
    from gongkai.catalogue.models import Item

    return Item.objects.filter(agency=agency, status=ItemStatus.PUBLISHED).latest("published_at")
