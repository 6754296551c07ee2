"""The public search page (portal:search)."""

import re

import pytest
from django.urls import reverse

from gongkai.catalogue.models import ItemStatus

from .conftest import VENDOR

pytestmark = pytest.mark.django_db

URL = "/search/"


def test_the_url():
    assert reverse("portal:search") == URL


def test_without_a_query_the_page_invites_one(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html and 'class="empty"' in html
    assert "search-results" not in html
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html


def test_results_with_highlights_links_counts_and_groups(client, publish, item_in, column):
    item = publish("六横镇召开防汛工作会议", body="部署今年防汛防台工作。")
    item_in(ItemStatus.DRAFT, title="防汛草稿")
    response = client.get(URL, {"q": "防汛"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/gk/liuheng/items/{item.pk}/"' in html
    assert "六横镇召开<mark>防汛</mark>工作会议" in html
    assert "部署今年<mark>防汛</mark>防台工作。" in html
    assert "防汛草稿" not in html
    assert f"column={column.pk}" in html  # the group as a filter link
    assert response.context["results"].total == 1
    assert response.context["query"] == "防汛"  # the masthead's search box keeps it


def test_titles_are_escaped_on_the_page(client, publish):
    publish("<img src=x onerror=alert(1)>防汛通知")
    html = client.get(URL, {"q": "防汛"}).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;<mark>防汛</mark>通知" in html


def test_filters_from_the_query_string(client, publish, other_town, column):
    publish("六横镇防汛会议")
    other_town("桃花镇防汛会议")
    both = client.get(URL, {"q": "防汛"}).context["results"]
    assert both.total == 2
    only = client.get(URL, {"q": "防汛", "agency": "liuheng"})
    assert [hit.item.title for hit in only.context["results"].hits] == ["六横镇防汛会议"]
    # The agency's own site frames the page, and its search box stays within the agency.
    assert only.context["site"].agency.slug == "liuheng"
    assert 'name="agency" value="liuheng"' in only.content.decode()
    in_column = client.get(URL, {"q": "防汛", "column": column.pk}).context["results"]
    assert [hit.item.title for hit in in_column.hits] == ["六横镇防汛会议"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "防汛", "agency": "nowhere", "genre": "nonsense", "year": "abc", "sort": "x"},
        {"q": "防汛", "page": "-3", "column": "abc"},
        {"q": "防汛", "page": "999"},
        {"q": "“”‘’，。"},
        {"q": "防汛" * 500},
    ],
)
def test_bad_parameters_still_give_a_page(client, publish, params):
    publish("六横镇防汛会议")
    assert client.get(URL, params).status_code == 200


def test_pages(client, publish):
    for n in range(23):
        publish(f"防汛简报第{n:02d}期")
    first = client.get(URL, {"q": "防汛", "sort": "date"})
    html = first.content.decode()
    assert len(re.findall(r'class="search-hit"', html)) == 20
    assert 'rel="next"' in html and "page=2" in html and "sort=date" in html
    second = client.get(URL, {"q": "防汛", "sort": "date", "page": 2}).content.decode()
    assert len(re.findall(r'class="search-hit"', second)) == 3
    assert 'rel="prev"' in second and 'start="21"' in second


def test_no_results(client, publish):
    publish("六横镇防汛会议")
    response = client.get(URL, {"q": "台风"})
    assert response.status_code == 200
    assert response.context["results"].total == 0
    assert 'class="empty"' in response.content.decode()


@pytest.mark.parametrize("n", [1, 6])
def test_query_count_is_pinned(client, publish, django_assert_num_queries, n):
    items = [publish(f"防汛简报第{i}期", body="部署防汛工作。") for i in range(n)]
    client.get(URL, {"q": "防汛"})  # loads the dictionary's words once per process
    # agencies, platform site (masthead), dictionary version, counts per column, page, items;
    # on PostgreSQL also switching sequential scans off and back (backends/postgres.py)
    planner = 2 if VENDOR == "postgresql" else 0
    with django_assert_num_queries(6 + planner):
        assert client.get(URL, {"q": "防汛"}).status_code == 200
    # + the column and its tree
    with django_assert_num_queries(8 + planner):
        client.get(URL, {"q": "防汛", "column": items[0].column_id})
    with django_assert_num_queries(2):  # agencies, platform site
        client.get(URL)
