"""Issue 17 (5): a compound the dictionary holds as one word (财政预算) finds the items where
its words stand apart (a 部门预算 item that mentions 财政), the whole word ranking first; and
the public search page sorts by relevance unless asked otherwise. On the database of the run
(SQLite FTS5, or PostgreSQL with DATABASE_URL)."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from gongkai.search.segment import AllOf, AnyOf, Term, get_segmenter, segment_query

from .conftest import titles

pytestmark = pytest.mark.django_db


def test_a_compound_query_word_is_also_its_parts():
    assert get_segmenter().split_word("财政预算") == ("财政", "预算")
    (clause,) = segment_query("财政预算").clauses
    assert clause == AnyOf((Term("财政预算"), AllOf((Term("财政"), Term("预算")))))
    # two-character words and the project's terms stay whole; a quoted phrase is a phrase
    assert get_segmenter().split_word("预算") == ()
    assert segment_query("无差别受理").clauses == (Term("无差别受理"),)
    assert not any(isinstance(c, AnyOf) for c in segment_query('"财政预算"').clauses)


def test_finds_budget_items_where_the_words_are_apart_and_ranks_the_whole_word_first(
    publish_on,
):
    publish_on(
        datetime(2026, 3, 1, 2, 0, tzinfo=UTC),
        "六横镇2026年部门预算",
        body="本镇财政收支安排如下。",
    )
    publish_on(datetime(2025, 3, 1, 2, 0, tzinfo=UTC), "2025年财政预算执行情况")
    publish_on(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), "部门预算说明", body="不涉及其他内容。")
    found = titles("财政预算")
    # the older item holding the whole word first, then the one with both words apart;
    # the item with 预算 but no 财政 is not found
    assert found == ["2025年财政预算执行情况", "六横镇2026年部门预算"]
    assert titles("财政预算", sort="date") == ["六横镇2026年部门预算", "2025年财政预算执行情况"]


def test_the_search_page_sorts_by_relevance_by_default(client, publish_on):
    newer = publish_on(
        datetime(2026, 3, 2, 2, 0, tzinfo=UTC), "春季植树活动", body="顺带提及防汛。"
    )
    older = publish_on(
        datetime(2025, 6, 1, 2, 0, tzinfo=UTC), "防汛防台工作部署", body="防汛物资到位。"
    )
    html = client.get(reverse("portal:search"), {"q": "防汛"}).content.decode()
    link = "/gk/{}/items/{}/"
    assert html.index(link.format(older.agency.slug, older.pk)) < html.index(
        link.format(newer.agency.slug, newer.pk)
    )
    assert '<option value="relevance" selected>' in html
