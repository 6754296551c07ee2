"""Searching, on the backend of the database the tests run on (SQLite FTS5 or PostgreSQL)."""

from datetime import UTC, datetime

import pytest
from django.db import transaction

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Item, ItemStatus, Publication
from gongkai.catalogue.taxonomy import ColumnType, DisclosureMode, Genre, Scope
from gongkai.search import indexing
from gongkai.search.models import SearchDocument

from .conftest import run_search, titles

pytestmark = pytest.mark.django_db


# --- words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("公示", ["关于2026年部门预算的公示"]),
        ("预算", ["关于2026年部门预算的公示"]),
        ("通知", ["关于做好春节期间安全工作的通知"]),
        ("会议", ["六横镇召开防汛工作会议"]),
        ("政府", ["六横镇人民政府工作报告"]),  # a bigram inside the word 人民政府
        ("受理", ["推行无差别受理改革"]),  # inside a dictionary word
    ],
)
def test_two_character_words_find_items(publish, word, expected):
    publish("关于2026年部门预算的公示")
    publish("关于做好春节期间安全工作的通知")
    publish("六横镇召开防汛工作会议")
    publish("六横镇人民政府工作报告")
    publish("推行无差别受理改革")
    assert titles(word) == expected


def test_words_in_the_body_summary_and_document_number_are_found(publish):
    publish(
        "一份文件",
        body="全镇渔船开展安全检查",
        summary="台风季节",
        document_number="普政发〔2026〕7号",
    )
    assert titles("渔船") == ["一份文件"]
    assert titles("台风") == ["一份文件"]
    assert titles("普政发") == ["一份文件"]


def test_place_name_from_the_user_dictionary(publish, other_town):
    publish("六横镇召开防汛工作会议")
    other_town("桃花镇召开防汛工作会议")
    document = SearchDocument.objects.get(title_seg__contains="六横镇")
    assert "六横镇" in document.title_seg.split()
    assert titles("六横镇") == ["六横镇召开防汛工作会议"]
    assert titles("桃花镇") == ["桃花镇召开防汛工作会议"]
    assert titles("六横") == ["六横镇召开防汛工作会议"]  # part of the word: its bigram
    assert titles("防汛 会议", sort="date") == [
        "桃花镇召开防汛工作会议",
        "六横镇召开防汛工作会议",
    ]


def test_phrase_matches_adjacent_words_only(publish):
    publish("六横镇召开安全生产工作会议")
    publish("六横镇安全检查与生产调度会议")
    assert titles('"安全生产"') == ["六横镇召开安全生产工作会议"]
    assert titles("“安全生产”") == ["六横镇召开安全生产工作会议"]
    assert sorted(titles("安全 生产")) == [
        "六横镇召开安全生产工作会议",
        "六横镇安全检查与生产调度会议",
    ]
    assert titles('"生产 调度"') == ["六横镇安全检查与生产调度会议"]
    assert titles('"调度生产"') == []


def test_terms_are_anded(publish):
    publish("六横镇召开防汛工作会议")
    publish("六横镇防汛物资检查")
    publish("六横镇召开安全生产工作会议")
    assert titles("防汛 会议") == ["六横镇召开防汛工作会议"]
    assert sorted(titles("防汛")) == ["六横镇召开防汛工作会议", "六横镇防汛物资检查"]
    assert titles("防汛 会议 台风") == []


def test_unknown_names_are_found_whole_and_in_part(publish):
    publish("登步岛开展渔船安全检查")
    publish("步行街改造")
    assert titles("登步岛") == ["登步岛开展渔船安全检查"]
    assert titles("步岛") == ["登步岛开展渔船安全检查"]


# --- filters, sorting, groups, pages ------------------------------------------------------------


def test_filters_agency_column_with_subcolumns_genre_and_year(
    publish, publish_on, other_town, town, column
):
    child = catalogue_services.column_create(
        actor=None, agency=town, name="镇级会议", column_type=ColumnType.NEWS, parent=column
    )
    elsewhere = catalogue_services.column_create(
        actor=None, agency=town, name="通知公告", column_type=ColumnType.NOTICE
    )
    publish("防汛会议一", column=column)
    publish("防汛会议二", column=child)
    publish("防汛通告", column=elsewhere, genre=Genre.NOTICE)
    publish_on(datetime(2025, 6, 1, 2, 0, tzinfo=UTC), "防汛旧闻", column=column)
    other_town("桃花镇防汛会议")

    assert sorted(titles("防汛", agency=town.pk)) == [
        "防汛会议一",
        "防汛会议二",
        "防汛旧闻",
        "防汛通告",
    ]
    assert sorted(titles("防汛", column=column.pk)) == ["防汛会议一", "防汛会议二", "防汛旧闻"]
    assert titles("防汛", column=child.pk) == ["防汛会议二"]
    assert titles("防汛", genre=Genre.NOTICE) == ["防汛通告"]
    assert titles("防汛", year=2025) == ["防汛旧闻"]
    assert titles("防汛", column=999_999) == []


def test_year_is_the_year_of_publication_in_china(publish_on):
    # 2025-12-31 17:00 UTC is 2026-01-01 01:00 in China.
    publish_on(datetime(2025, 12, 31, 17, 0, tzinfo=UTC), "跨年值班安排")
    assert titles("值班", year=2026) == ["跨年值班安排"]
    assert titles("值班", year=2025) == []


def test_sort_by_relevance_or_by_date(publish_on):
    publish_on(
        datetime(2025, 3, 1, 2, 0, tzinfo=UTC),
        "防汛防台工作部署",
        body="防汛。防汛物资。防汛演练。",
    )
    publish_on(datetime(2026, 3, 1, 2, 0, tzinfo=UTC), "春季植树活动", body="顺带提及防汛。")
    assert titles("防汛") == ["防汛防台工作部署", "春季植树活动"]
    assert titles("防汛", sort="date") == ["春季植树活动", "防汛防台工作部署"]
    ranks = [hit.rank for hit in run_search("防汛").hits]
    assert ranks[0] > ranks[1]


def test_results_are_grouped_by_column_with_counts(publish, town, column):
    notices = catalogue_services.column_create(
        actor=None, agency=town, name="通知公告", column_type=ColumnType.NOTICE
    )
    for n in range(3):
        publish(f"防汛会议第{n}次", column=column)
    publish("防汛通告", column=notices)
    publish("植树活动", column=notices)

    results = run_search("防汛")
    assert results.total == 4 and results.total_exact
    assert [(g.column_id, g.column_name, g.agency_name, g.count) for g in results.groups] == [
        (column.pk, "工作动态", "六横镇", 3),
        (notices.pk, "通知公告", "六横镇", 1),
    ]
    # With a column chosen, the total is that column's; the groups still offer the others.
    in_notices = run_search("防汛", column=notices.pk)
    assert in_notices.total == 1
    assert [g.count for g in in_notices.groups] == [3, 1]


def test_pagination(publish):
    for n in range(12):
        publish(f"防汛简报第{n:02d}期")
    pages = [run_search("防汛", sort="date", page=p, page_size=5) for p in (1, 2, 3)]
    assert [r.num_pages for r in pages] == [3, 3, 3]
    assert [len(r.hits) for r in pages] == [5, 5, 2]
    seen = [hit.item.title for r in pages for hit in r.hits]
    assert len(set(seen)) == 12
    assert seen == sorted(seen, reverse=True)  # published one after the other
    assert pages[0].has_next and not pages[0].has_previous and pages[2].start_index == 11
    beyond = run_search("防汛", sort="date", page=99, page_size=5)
    assert beyond.page == 3 and len(beyond.hits) == 2


def test_counting_stops_at_the_cap(publish, settings):
    for n in range(5):
        publish(f"防汛简报第{n}期")
    settings.GONGKAI_SEARCH_COUNT_CAP = 3
    settings.GONGKAI_SEARCH_MAX_RESULTS = 4
    results = run_search("防汛", page_size=2)
    assert results.total == 3 and not results.total_exact
    assert results.num_pages == 2
    last = run_search("防汛", page_size=2, page=2)
    assert len(last.hits) == 1  # only the first 3 (capped) results are reachable


# --- highlighting ---------------------------------------------------------------------------------


def test_highlighting_escapes_html_in_titles_and_snippets(publish):
    item = publish(
        '<script>alert("防汛")</script>防汛通知',
        body="请注意 &lt;b&gt;防汛&lt;/b&gt; 安全",
    )
    hit = run_search("防汛").hits[0]
    assert hit.item == item
    assert "<script>" not in hit.title_html
    assert "&lt;script&gt;" in hit.title_html
    assert "<mark>防汛</mark>通知" in hit.title_html
    assert "&lt;b&gt;<mark>防汛</mark>&lt;/b&gt;" in hit.snippet_html
    assert "<b>" not in hit.snippet_html


def test_snippet_from_an_attachment_when_only_it_matches(make_item, advance, people):
    from gongkai.catalogue.tests.factories import make_docx

    item = make_item(title="一份报告", body="<p>正文</p>")
    catalogue_services.attachment_add(
        actor=people.editor,
        item=item,
        name="附件.docx",
        data=make_docx("附件写明了登步岛的渔港改造", author="六横镇"),
    )
    advance(item, ItemStatus.PUBLISHED)
    hit = run_search("渔港").hits[0]
    assert hit.item.pk == item.pk
    assert "<mark>渔港</mark>" in hit.snippet_html


def test_title_only_match_shows_the_beginning_of_the_text(publish):
    publish("防汛通知", body="请各村做好准备。")
    hit = run_search("防汛").hits[0]
    assert hit.snippet_html == "请各村做好准备。"


# --- what never appears ---------------------------------------------------------------------------


def test_no_leakage_of_items_that_are_not_public(item_in, publish):
    public = publish("台风蓝色预警")
    hidden = [
        item_in(ItemStatus.DRAFT, title="台风蓝色预警（草稿）"),
        item_in(ItemStatus.PENDING, title="台风蓝色预警（待审）"),
        item_in(ItemStatus.APPROVED, title="台风蓝色预警（已通过未发布）"),
        item_in(ItemStatus.WITHDRAWN, title="台风蓝色预警（已撤回）"),
        item_in(
            ItemStatus.PUBLISHED,
            title="台风蓝色预警（依申请公开）",
            disclosure_mode=DisclosureMode.ON_REQUEST,
        ),
        item_in(ItemStatus.PUBLISHED, title="台风蓝色预警（特定对象）", scope=Scope.SPECIFIC),
    ]
    assert titles("台风") == [public.title]
    assert titles('"蓝色预警"') == [public.title]
    assert run_search("台风").total == 1
    assert not SearchDocument.objects.filter(item__in=hidden).exists()
    indexing.reindex()
    assert titles("台风") == [public.title]
    assert SearchDocument.objects.count() == 1


def test_a_withdrawn_item_disappears_at_once(publish, people):
    item = publish("台风蓝色预警")
    assert titles("台风") == ["台风蓝色预警"]
    catalogue_services.item_withdraw(actor=people.reviewer, item=item, reason="已解除")
    assert titles("台风") == []
    assert not SearchDocument.objects.filter(item=item).exists()


def test_a_rolled_back_publication_leaves_no_document(item_in, people):
    item = item_in(ItemStatus.APPROVED, title="台风蓝色预警")

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        catalogue_services.item_publish(actor=people.reviewer, item=item)
        assert titles("台风") == ["台风蓝色预警"]  # visible inside the transaction
        raise Abort
    assert titles("台风") == []
    assert not SearchDocument.objects.filter(item=item).exists()
    assert Item.objects.get(pk=item.pk).status == ItemStatus.APPROVED


def test_a_failing_index_write_fails_the_publication(item_in, people, monkeypatch):
    """Never lost: the publication and its document commit together or not at all."""
    item = item_in(ItemStatus.APPROVED, title="台风蓝色预警")

    def broken(self, rows):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr("gongkai.search.backends.base.SearchBackend.write_rows", broken)
    monkeypatch.setattr("gongkai.search.backends.postgres.PostgresBackend.write_rows", broken)
    with pytest.raises(RuntimeError):
        catalogue_services.item_publish(actor=people.reviewer, item=item)
    assert Item.objects.get(pk=item.pk).status == ItemStatus.APPROVED
    assert not Publication.objects.filter(item=item).exists()


def test_a_stale_document_never_shows_an_item_that_is_not_public(publish):
    item = publish("台风蓝色预警")
    Item.objects.filter(pk=item.pk).update(status=ItemStatus.WITHDRAWN)  # behind the services
    results = run_search("台风")
    assert results.hits == []
    report = indexing.reindex(stale_only=True)
    assert report.removed == 1
    assert run_search("台风").total == 0


# --- reindexing -----------------------------------------------------------------------------------


def test_reindex_is_idempotent(publish):
    publish("六横镇召开防汛工作会议", body="部署防汛工作。")
    publish("台风蓝色预警", body="渔船回港避风。")

    def state():
        return sorted(SearchDocument.objects.values_list("item_id", "title_seg", "body_seg"))

    before = state()
    first = indexing.reindex()
    assert first.indexed == 2 and first.removed == 0 and first.remaining == 0
    assert state() == before
    second = indexing.reindex()
    assert second.indexed == 2 and second.version == first.version + 1
    assert state() == before
    assert indexing.reindex(stale_only=True).indexed == 0
    assert titles("防汛") == ["六横镇召开防汛工作会议"]


def test_reindex_picks_up_items_loaded_without_the_services(column, people):
    from gongkai.catalogue.tests.factories import ItemFactory

    loaded = ItemFactory(
        column=column,
        title="历史资料：防汛档案",
        status=ItemStatus.PUBLISHED,
        published_at=datetime(2020, 5, 1, tzinfo=UTC),
        created_by=people.editor,
    )
    ItemFactory(column=column, title="防汛草稿", status=ItemStatus.DRAFT, created_by=people.editor)
    assert titles("防汛") == []
    report = indexing.reindex(stale_only=True)
    assert report.indexed == 1
    assert titles("防汛") == [loaded.title]
    assert titles("防汛", year=2020) == [loaded.title]


def test_bulk_indexing(column, people, monkeypatch):
    from gongkai.catalogue.tests.factories import ItemFactory
    from gongkai.search.bulk import index_items_bulk

    items = [
        ItemFactory(
            column=column,
            title=f"防汛简报第{n}期",
            status=ItemStatus.PUBLISHED,
            published_at=datetime(2026, 1, 1, tzinfo=UTC),
            created_by=people.editor,
        )
        for n in range(5)
    ]
    draft = ItemFactory(column=column, title="防汛草稿", created_by=people.editor)
    seen = []
    assert index_items_bulk([*items, draft], batch_size=2, progress=seen.append) == 5
    assert sum(seen) == 6
    assert run_search("防汛").total == 5
    # Again, in worker processes (and through COPY on PostgreSQL): replaced in place.
    monkeypatch.setattr("gongkai.search.backends.postgres.COPY_THRESHOLD", 1)
    assert index_items_bulk(items, batch_size=3, workers=2) == 5
    assert SearchDocument.objects.count() == 5
    assert run_search("防汛").total == 5
    assert titles("第3期") == ["防汛简报第3期"]
