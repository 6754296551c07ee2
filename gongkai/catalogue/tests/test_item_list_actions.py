"""The staff item list: sorted by its column headers, filtered and searched (title, 索引号,
dates), several items submitted or withdrawn at once (each through its own guarded service,
failures reported item by item), and the filtered list as an Excel file."""

import io
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote, unquote, urlencode

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from gongkai.catalogue import selectors
from gongkai.catalogue.models import ItemStatus
from gongkai.core.models import AuditEvent, Task
from gongkai.core.tests.export_helpers import fetch_export

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(autouse=True)
def fixed_now(time_machine):
    time_machine.move_to(NOW)


def list_url(town, **query):
    from urllib.parse import urlencode

    base = reverse("catalogue:item-list", args=[town.slug])
    return base + ("?" + urlencode(query) if query else "")


def titles(response) -> list[str]:
    return [item.title for item, _clock in response.context["rows"]]


@pytest.fixture
def three(make_item):
    return [
        make_item(title="乙：防汛通知", formed_on=date(2026, 3, 2)),
        make_item(title="甲：森林防火", formed_on=date(2026, 5, 10)),
        make_item(title="丙：人事任免", formed_on=date(2026, 1, 15)),
    ]


def test_sorted_by_a_column_header_and_back(client, people, town, three):
    client.force_login(people.editor)
    default = client.get(list_url(town))
    assert titles(default) == ["甲：森林防火", "乙：防汛通知", "丙：人事任免"]  # newest first
    by_title = client.get(list_url(town, sort="title"))
    assert titles(by_title) == sorted(titles(default))
    reverse_title = client.get(list_url(town, sort="-title"))
    assert titles(reverse_title) == sorted(titles(default), reverse=True)
    headers = {h.key: h for h in by_title.context["headers"]}
    assert headers["title"].aria_sort == "ascending"
    assert "sort=-title" in headers["title"].query  # the header toggles
    assert headers["formed"].aria_sort == ""
    html = by_title.content.decode()
    assert 'aria-sort="ascending"' in html
    # an unknown sort is the default order, not an error
    assert titles(client.get(list_url(town, sort="password"))) == titles(default)


def test_headers_keep_the_filters(client, people, town, three):
    client.force_login(people.editor)
    response = client.get(list_url(town, status="draft", q="通知"))
    for header in response.context["headers"]:
        if header.key:
            assert "status=draft" in header.query and "q=" in header.query


def test_search_by_title_or_index_number(client, people, town, three, advance):
    client.force_login(people.editor)
    assert titles(client.get(list_url(town, q="森林"))) == ["甲：森林防火"]
    published = advance(three[2], ItemStatus.PUBLISHED)
    assert published.index_number
    found = client.get(list_url(town, q=published.index_number[-6:]))
    assert titles(found) == ["丙：人事任免"]


def test_filter_by_formation_dates(client, people, town, three):
    client.force_login(people.editor)
    response = client.get(list_url(town, formed_from="2026-02-01", formed_to="2026-04-30"))
    assert titles(response) == ["乙：防汛通知"]


# --- bulk actions ------------------------------------------------------------------------------


def bulk(client, town, items, action, **more):
    data = {"items": [i.pk for i in items], "action": action, **more}
    return client.post(reverse("catalogue:item-bulk", args=[town.slug]), data)


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_bulk_submit_reports_each_failure_and_does_the_rest(client, people, town, make_item):
    clean = make_item(title="会议通知")
    private = make_item(title="低保名单", body="<p>身份证号码11010519491231002X</p>")
    client.force_login(people.editor)
    response = bulk(client, town, [clean, private], "submit", next="status=draft")
    assert response.status_code == 302
    assert response["Location"] == list_url(town) + "?status=draft"
    clean.refresh_from_db()
    private.refresh_from_db()
    assert (clean.status, private.status) == (ItemStatus.PENDING, ItemStatus.DRAFT)
    messages = texts(response)
    # one message for what was done, one naming the item that failed
    assert len(messages) == 2
    assert sum("低保名单" in m for m in messages) == 1
    assert not any("会议通知" in m for m in messages)
    # one audit event per item done, as on its page
    assert AuditEvent.objects.filter(verb="item.submit", object_id=str(clean.pk)).count() == 1
    assert not AuditEvent.objects.filter(verb="item.submit", object_id=str(private.pk)).exists()


def test_bulk_withdraw_needs_a_reason_and_the_right(client, people, town, item_in):
    first = item_in(ItemStatus.PUBLISHED, title="旧通知一")
    second = item_in(ItemStatus.PUBLISHED, title="旧通知二")
    client.force_login(people.reviewer)
    bulk(client, town, [first, second], "withdraw")  # no reason: nothing done
    first.refresh_from_db()
    assert first.status == ItemStatus.PUBLISHED
    bulk(client, town, [first, second], "withdraw", reason="已过时")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == ItemStatus.WITHDRAWN
    assert AuditEvent.objects.filter(verb="item.withdraw").count() == 2


def test_an_editor_cannot_withdraw_through_the_bulk_form(client, people, town, item_in):
    published = item_in(ItemStatus.PUBLISHED, title="旧通知")
    client.force_login(people.editor)
    response = bulk(client, town, [published], "withdraw", reason="已过时")
    published.refresh_from_db()
    assert published.status == ItemStatus.PUBLISHED
    assert any("旧通知" in m for m in texts(response))


def test_bulk_is_scoped_to_the_agency(client, people, town, make_item, agency_tree, make_member):
    from gongkai.core.models import Role

    mine = make_item(title="本镇草稿")
    neighbour = agency_tree["other_town"]
    outsider_editor = make_member(neighbour, Role.EDITOR, "th-editor")
    client.force_login(outsider_editor)
    assert bulk(client, town, [mine], "submit").status_code == 404
    # through their own agency's URL, another agency's item does not exist
    bulk(client, neighbour, [mine], "submit")
    mine.refresh_from_db()
    assert mine.status == ItemStatus.DRAFT
    client.force_login(people.supervisor)
    assert bulk(client, town, [mine], "submit").status_code == 403


# --- export ------------------------------------------------------------------------------------


def test_export_is_the_filtered_list_in_its_order(client, people, town, three):
    from openpyxl import load_workbook

    client.force_login(people.supervisor)  # anyone who may read the list
    url = (
        reverse("catalogue:item-export", args=[town.slug])
        + "?"
        + urlencode({"sort": "title", "q": "：", "page": "2"})
    )
    fetched = fetch_export(client, client.post(url))
    assert fetched.task.payload["params"] == {"query": urlencode({"sort": "title", "q": "："})}
    response = fetched.response
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    name = unquote(disposition.split("''", 1)[1])
    assert town.name in name and name.endswith("2026-11-26.xlsx")
    sheet = load_workbook(io.BytesIO(fetched.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4 and len(rows[0]) == 9
    assert [r[1] for r in rows[1:]] == ["丙：人事任免", "乙：防汛通知", "甲：森林防火"]
    assert rows[1][7].date() == date(2026, 1, 15)  # 成文日期 as a date
    assert {r[2] for r in rows[1:]} == {three[0].column.name}


def test_export_of_an_empty_selection_has_the_header_row(client, people, town, three):
    from openpyxl import load_workbook

    client.force_login(people.editor)
    url = reverse("catalogue:item-export", args=[town.slug]) + "?q=" + quote("不存在")
    fetched = fetch_export(client, client.post(url))
    assert fetched.task.progress == "0 / 0"
    assert len(list(load_workbook(io.BytesIO(fetched.content)).active.iter_rows())) == 1


def test_export_is_started_with_a_post_only(client, people, town, three):
    client.force_login(people.editor)
    url = reverse("catalogue:item-export", args=[town.slug])
    assert client.get(url).status_code == 405
    assert not Task.objects.exists()


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["", "title", "-column", "status"])
def test_list_queries_do_not_grow_with_the_items(client, people, town, make_item, sort):
    """Sorted, filtered and searched, the list makes the same queries for 2 items or 35 (the
    page's rows, their column and agency are read with the page)."""

    def count(n):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for i in range(n):
            make_item(title=f"通知{i}")
        client.get(list_url(town))  # the calendar cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(list_url(town, sort=sort, q="通知", formed_from="2026-01-01"))
        assert response.status_code == 200
        return len(captured)

    client.force_login(people.editor)
    few = count(2)
    many = count(33)
    assert few == many
    # pinned: what test_views.test_item_list_query_count lists, for the unfiltered list
    assert many <= 24


def test_item_ordering_is_total():
    assert selectors.item_ordering("title") == ["title", "id"]
    assert selectors.item_ordering("-formed") == ["-formed_on", "-id"]
    assert selectors.item_ordering("nonsense") == ["-formed_on", "-id"]
