"""The catalogue's staff pages: tenancy, columns, channels, the item lists and their query counts.

The workflow pages (detail, actions, attachments) are tested in test_views_workflow.py, which
uses the fixtures defined here; they are self-contained (they shadow the `town`, `people` and
`column` of conftest.py on purpose, so these tests don't move when those change). Assertions
avoid English UI text: the Chinese catalogue translates it.
"""

import io
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from django.urls import reverse

from gongkai.catalogue import services
from gongkai.catalogue.models import Channel, Column, Item, ItemStatus
from gongkai.catalogue.services import ReviewChecks
from gongkai.catalogue.taxonomy import ChannelKind, ColumnType, Genre
from gongkai.core import services as core_services
from gongkai.core.models import AuditEvent, Role

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=CST)  # a Thursday; 2026's schedule is in the calendar
ALL_CHECKS = ReviewChecks(secrecy=True, privacy=True, wording=True)


@pytest.fixture(autouse=True)
def fixed_now(time_machine):
    """The clock of 第二十六条 depends on today: pin it so the expectations hold in any year."""
    time_machine.move_to(NOW)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


@pytest.fixture
def people(agency_tree, make_member):
    town = agency_tree["town"]
    return SimpleNamespace(
        editor=make_member(town, Role.EDITOR, "lh_editor"),
        reviewer=make_member(town, Role.REVIEWER, "lh_reviewer"),
        officer=make_member(town, Role.OFFICER, "lh_officer"),
        admin=make_member(town, Role.AGENCY_ADMIN, "lh_admin"),
        supervisor=make_member(agency_tree["district"], Role.SUPERVISOR, "pt_supervisor"),
        stranger=make_member(agency_tree["other_town"], Role.OFFICER, "th_officer"),
    )


@pytest.fixture
def column(town):
    return services.column_create(
        actor=None, agency=town, name="通知公告", column_type=ColumnType.NOTICE
    )


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "张三"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_item(agency, column, author, **fields) -> Item:
    data = {
        "title": "关于开展秋冬季森林防火工作的通知",
        "formed_on": date(2026, 11, 20),
        "genre": Genre.NOTICE,
        "body": "<p>各村（社区）：请做好森林防火工作。</p>",
    }
    data.update(fields)
    return services.item_create(actor=author, agency=agency, column=column, **data)


def submitted(item, author) -> Item:
    return services.item_submit(actor=author, item=item)


def approved(item, author, reviewer) -> Item:
    submitted(item, author)
    return services.item_approve(actor=reviewer, item=item, checks=ALL_CHECKS)


def published(item, author, reviewer) -> Item:
    approved(item, author, reviewer)
    return services.item_publish(actor=reviewer, item=item)


@pytest.fixture
def item(town, column, people):
    return make_item(town, column, people.editor)


def url(name, agency, *args):
    return reverse(f"catalogue:{name}", args=[agency.slug, *args])


# --- tenancy: every page, every action ---------------------------------------------------


@pytest.fixture
def world(town, column, people, media):
    """One item of each kind the pages link to, and an attachment."""
    draft = make_item(town, column, people.editor)
    attachment = services.attachment_add(
        actor=people.editor, item=draft, name="通知.pdf", data=pdf_bytes()
    )
    return SimpleNamespace(item=draft, attachment=attachment, column=column)


def page_urls(agency, world):
    item, att = world.item.pk, world.attachment.pk
    return {
        "columns": url("columns", agency),
        "column-edit": url("column-edit", agency, world.column.pk),
        "item-list": url("item-list", agency),
        "item-create": url("item-create", agency),
        "overdue": url("overdue", agency),
        "review-queue": url("review-queue", agency),
        "channels": url("channels", agency),
        "item-detail": url("item-detail", agency, item),
        "item-edit": url("item-edit", agency, item),
        "attachment-download": url("attachment-download", agency, item, att),
    }


def action_urls(agency, world):
    item, att = world.item.pk, world.attachment.pk
    return {
        "column-create": url("column-create", agency),
        "column-edit": url("column-edit", agency, world.column.pk),
        "item-create": url("item-create", agency),
        "channel-create": url("channel-create", agency),
        "item-edit": url("item-edit", agency, item),
        "attachment-add": url("attachment-add", agency, item),
        "attachment-remove": url("attachment-remove", agency, item, att),
        "item-mask": url("item-mask", agency, item),
        "item-submit": url("item-submit", agency, item),
        "item-return": url("item-return", agency, item),
        "item-approve": url("item-approve", agency, item),
        "item-publish": url("item-publish", agency, item),
        "item-withdraw": url("item-withdraw", agency, item),
        "publication-record": url("publication-record", agency, item),
    }


PAGES = [
    "columns",
    "column-edit",
    "item-list",
    "item-create",
    "overdue",
    "review-queue",
    "channels",
    "item-detail",
    "item-edit",
    "attachment-download",
]
ACTIONS = [
    "column-create",
    "column-edit",
    "item-create",
    "channel-create",
    "item-edit",
    "attachment-add",
    "attachment-remove",
    "item-mask",
    "item-submit",
    "item-return",
    "item-approve",
    "item-publish",
    "item-withdraw",
    "publication-record",
]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_answers_200_for_a_member(client, town, people, world, name):
    client.force_login(people.officer)
    response = client.get(page_urls(town, world)[name])
    assert response.status_code == 200
    if name != "attachment-download":
        assert response.context["agency"] == town


@pytest.mark.parametrize("name", PAGES)
def test_every_page_answers_404_to_another_agency(client, town, people, world, name):
    client.force_login(people.stranger)
    response = client.get(page_urls(town, world)[name])
    assert response.status_code == 404
    assert world.item.title not in response.content.decode()


@pytest.mark.parametrize("name", ACTIONS)
def test_every_action_answers_404_to_another_agency(client, town, people, world, name):
    client.force_login(people.stranger)
    before = AuditEvent.objects.count()
    response = client.post(action_urls(town, world)[name], {"name": "x", "comment": "x"})
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before
    world.item.refresh_from_db()
    assert world.item.status == ItemStatus.DRAFT


@pytest.mark.parametrize("name", ["item-detail", "item-edit", "attachment-download"])
def test_an_item_is_404_under_another_agencys_address(
    client, agency_tree, people, world, make_member, name
):
    """The agency in the URL and the item must match, even for a user who sees both: 六横镇's
    item can't be reached under 桃花镇's address (nor its actions run there)."""
    other = agency_tree["other_town"]
    both = make_member(agency_tree["town"], Role.OFFICER, "both_towns")
    core_services.membership_grant(actor=None, user=both, agency=other, role=Role.OFFICER)
    client.force_login(both)
    assert client.get(page_urls(agency_tree["town"], world)[name]).status_code == 200
    assert client.get(page_urls(other, world)[name]).status_code == 404
    assert client.post(url("item-submit", other, world.item.pk)).status_code == 404
    world.item.refresh_from_db()
    assert world.item.status == ItemStatus.DRAFT


def test_the_agency_can_be_named_by_its_primary_key(client, town, people, world):
    client.force_login(people.officer)
    response = client.get(reverse("catalogue:item-list", args=[str(town.pk)]))
    assert response.status_code == 200
    assert response.context["agency"] == town
    client.force_login(people.stranger)
    assert client.get(reverse("catalogue:item-list", args=[str(town.pk)])).status_code == 404


def test_a_supervisor_reads_every_page_but_gets_no_write_forms(client, town, people, world, column):
    client.force_login(people.supervisor)
    urls = page_urls(town, world)
    for name in ["columns", "item-list", "overdue", "review-queue", "channels", "item-detail"]:
        assert client.get(urls[name]).status_code == 200, name
    assert client.get(urls["columns"]).context["form"] is None
    assert client.get(urls["channels"]).context["form"] is None
    assert client.get(urls["item-create"]).status_code == 403
    assert client.get(urls["item-edit"]).status_code == 403
    assert client.get(urls["column-edit"]).status_code == 403
    detail = client.get(urls["item-detail"])
    assert not detail.context["any_action"] and not detail.context["can"]["edit"]
    response = client.post(
        url("column-create", town), {"name": "督查", "column_type": "other", "position": 0}
    )
    assert response.status_code == 403
    assert not Column.objects.filter(name="督查").exists()


def test_anonymous_users_are_sent_to_login(client, town, world):
    for name, target in page_urls(town, world).items():
        response = client.get(target)
        assert response.status_code == 302, name
        assert response.headers["Location"].startswith(reverse("core:login")), name


def test_actions_are_post_only(client, town, people, world):
    client.force_login(people.officer)
    for name in ACTIONS:
        if name in {"column-edit", "item-create", "item-edit"}:
            continue  # these are also forms, shown by GET
        assert client.get(action_urls(town, world)[name]).status_code == 405, name
    for name in ["columns", "item-list", "item-detail", "review-queue", "channels", "overdue"]:
        assert client.post(page_urls(town, world)[name]).status_code == 405, name


# --- columns -----------------------------------------------------------------------------


def test_column_tree_shows_depth_and_item_counts(client, town, people, column):
    child = services.column_create(
        actor=None, agency=town, name="防汛防台", column_type=ColumnType.EMERGENCY, parent=column
    )
    make_item(town, column, people.editor)
    make_item(town, child, people.editor)
    make_item(town, child, people.editor)
    client.force_login(people.editor)
    response = client.get(url("columns", town))
    assert response.status_code == 200
    assert [(c.name, depth, n) for c, depth, n in response.context["tree"]] == [
        ("通知公告", 0, 1),
        ("防汛防台", 1, 2),
    ]
    assert response.context["total"] == 3
    assert response.context["can_manage"] is False  # an editor does not manage columns
    assert url("column-create", town) not in response.content.decode()


def test_officer_creates_and_renames_a_column(client, town, people, column):
    client.force_login(people.officer)
    assert client.get(url("columns", town)).context["can_manage"] is True
    response = client.post(
        url("column-create", town),
        {
            "name": "人事信息",
            "column_type": ColumnType.PERSONNEL,
            "parent": column.pk,
            "position": 2,
        },
    )
    assert response.status_code == 302
    created = Column.objects.get(agency=town, name="人事信息")
    assert created.parent == column and created.position == 2
    assert AuditEvent.objects.filter(verb="column.create", object_id=str(created.pk)).exists()

    response = client.post(
        url("column-edit", town, created.pk),
        {"name": "人事任免", "column_type": ColumnType.PERSONNEL, "position": 3, "is_active": "on"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.name, created.position, created.is_active) == ("人事任免", 3, True)


def test_column_errors_from_the_service_are_shown(client, town, people, column):
    client.force_login(people.officer)
    response = client.post(
        url("column-create", town),
        {"name": "通知公告", "column_type": ColumnType.NOTICE, "position": 0},
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert Column.objects.filter(agency=town, name="通知公告").count() == 1


def test_parent_column_of_another_agency_is_not_accepted(client, agency_tree, people, column):
    other_column = services.column_create(
        actor=None, agency=agency_tree["other_town"], name="桃花栏目", column_type="other"
    )
    client.force_login(people.officer)
    response = client.post(
        url("column-create", agency_tree["town"]),
        {"name": "子栏目", "column_type": "other", "parent": other_column.pk, "position": 0},
    )
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    assert not Column.objects.filter(name="子栏目").exists()


def test_editor_cannot_create_a_column(client, town, people):
    client.force_login(people.editor)
    response = client.post(
        url("column-create", town), {"name": "新栏目", "column_type": "other", "position": 0}
    )
    assert response.status_code == 403
    assert not Column.objects.filter(name="新栏目").exists()


# --- channels ----------------------------------------------------------------------------


def test_officer_adds_channels(client, town, people):
    client.force_login(people.officer)
    response = client.post(
        url("channel-create", town),
        {"kind": ChannelKind.WECHAT, "name": "六横发布", "account": "liuheng_fabu", "url": ""},
    )
    assert response.status_code == 302
    channel = Channel.objects.get(agency=town, name="六横发布")
    assert channel.kind == ChannelKind.WECHAT
    page = client.get(url("channels", town))
    assert list(page.context["channels"]) == [channel]
    assert "六横发布" in page.content.decode()


def test_a_second_website_channel_is_refused(client, town, people):
    services.channel_create(actor=None, agency=town, kind=ChannelKind.WEBSITE, name="六横镇网站")
    client.force_login(people.officer)
    response = client.post(
        url("channel-create", town), {"kind": ChannelKind.WEBSITE, "name": "另一个网站"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert Channel.objects.filter(agency=town).count() == 1


def test_editor_cannot_add_a_channel(client, town, people):
    client.force_login(people.editor)
    assert client.get(url("channels", town)).context["form"] is None
    response = client.post(url("channel-create", town), {"kind": "weibo", "name": "六横微博"})
    assert response.status_code == 403
    assert not Channel.objects.exists()


# --- the item list and its filters -------------------------------------------------------


def listed(response) -> list[str]:
    return [item.title for item, _clock in response.context["rows"]]


def test_list_shows_the_columns_the_brief_asks_for(client, town, column, people):
    draft = make_item(town, column, people.editor, title="草稿通知")
    done = published(
        make_item(town, column, people.editor, title="已发布通知"), people.editor, people.reviewer
    )
    client.force_login(people.editor)
    response = client.get(url("item-list", town))
    assert response.status_code == 200
    html = response.content.decode()
    assert listed(response) == ["已发布通知", "草稿通知"]  # same 成文日期: newest first
    assert done.index_number and done.index_number in html
    assert "2026-11-20" in html  # 成文日期
    assert done.published_at.astimezone(CST).strftime("%Y-%m-%d") in html  # 发布日期
    assert 'data-clock="due"' in html  # the draft: days left
    assert 'data-clock="on_time"' in html  # published in time
    clocks = {item.pk: clock for item, clock in response.context["rows"]}
    # Formed Friday 20 November; due 20 working days later, on Friday 18 December.
    assert clocks[draft.pk].due == date(2026, 12, 18)
    assert clocks[draft.pk].days == 16  # 27 Nov … 18 Dec


def test_list_filters(client, town, column, people):
    child = services.column_create(
        actor=None, agency=town, name="子栏目", column_type="other", parent=column
    )
    other_column = services.column_create(
        actor=None, agency=town, name="政策文件", column_type=ColumnType.POLICY
    )
    make_item(town, column, people.editor, title="甲", formed_on=date(2025, 3, 2))
    make_item(town, child, people.editor, title="乙", genre=Genre.WORK_NEWS)
    submitted(make_item(town, other_column, people.editor, title="丙"), people.editor)
    client.force_login(people.editor)

    def titles(**query):
        response = client.get(url("item-list", town), query)
        assert response.status_code == 200
        return sorted(listed(response))

    assert titles() == ["丙", "乙", "甲"]
    assert titles(column=column.pk) == ["乙", "甲"]  # with its sub-column
    assert titles(column=child.pk) == ["乙"]
    assert titles(status=ItemStatus.PENDING) == ["丙"]
    assert titles(year=2025) == ["甲"]
    assert titles(genre=Genre.WORK_NEWS) == ["乙"]
    assert titles(year=2026, genre=Genre.NOTICE) == ["丙"]
    # Filters that are not understood are ignored, not a server error.
    assert titles(year="abc", status="nonsense") == ["丙", "乙", "甲"]


def test_overdue_filter_and_overdue_page(client, town, column, people):
    late = make_item(town, column, people.editor, title="超期草稿", formed_on=date(2026, 10, 9))
    make_item(town, column, people.editor, title="未超期草稿", formed_on=date(2026, 11, 20))
    published(
        make_item(town, column, people.editor, title="已发布旧文", formed_on=date(2026, 9, 1)),
        people.editor,
        people.reviewer,
    )
    client.force_login(people.editor)
    response = client.get(url("item-list", town), {"overdue": "on"})
    assert listed(response) == ["超期草稿"]
    response = client.get(url("overdue", town))
    assert response.status_code == 200
    [(item, clock)] = response.context["rows"]
    assert item == late
    assert clock.state == "overdue"
    # 20 working days after Friday 9 October, counting the make-up Saturday 10 October: due
    # Thursday 5 November; by today, Thursday 26 November, 15 working days have passed.
    assert clock.due == date(2026, 11, 5)
    assert clock.days == 15
    assert 'data-clock="overdue"' in response.content.decode()


def test_a_limit_in_a_missing_calendar_year_is_estimated_not_guessed(
    client, town, column, people, time_machine, schedule_missing
):
    time_machine.move_to(datetime(2026, 12, 28, 10, 0, tzinfo=CST))
    make_item(town, column, people.editor, title="年底通知", formed_on=date(2026, 12, 21))
    client.force_login(people.editor)
    response = client.get(url("item-list", town))
    [(item, clock)] = response.context["rows"]
    assert (clock.state, clock.year) == ("pending", 2027)
    # 8 working days in December after 12-21; the other 12 at the earliest in January.
    assert date(2027, 1, 1) <= clock.due <= date(2027, 1, 19)
    html = response.content.decode()
    assert 'data-clock="pending"' in html
    assert clock.due.isoformat() in html and "2027" in html


def test_list_is_paginated_and_keeps_the_filters(client, town, column, people):
    for n in range(33):
        make_item(town, column, people.editor, title=f"通知{n:02d}")
    client.force_login(people.editor)
    first = client.get(url("item-list", town), {"status": "draft"})
    assert len(first.context["rows"]) == 30
    assert "status=draft&amp;page=2" in first.content.decode()
    second = client.get(url("item-list", town), {"status": "draft", "page": 2})
    assert len(second.context["rows"]) == 3


# --- query counts ------------------------------------------------------------------------
# Measured on SQLite and PostgreSQL: session, user, staff check, the agency (memberships +
# agency), the filter form's years and columns, the calendar's version check (two aggregates),
# the count and the page (each re-reading the user's memberships for the scope), the role check
# for the "new item" link and the rolling session save. The count must not grow with the items.


@pytest.mark.parametrize("n", [2, 40], ids=["few", "many"])
def test_item_list_query_count(client, town, column, people, django_assert_max_num_queries, n):
    for i in range(n):
        item = make_item(town, column, people.editor, title=f"通知{i}")
        if i % 3 == 0:
            published(item, people.editor, people.reviewer)
    client.force_login(people.editor)
    client.get(url("item-list", town))  # warm the process-wide calendar cache
    with django_assert_max_num_queries(18):
        response = client.get(url("item-list", town), {"status": "", "year": 2026})
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(n, 30)


@pytest.mark.parametrize("n", [2, 40], ids=["few", "many"])
def test_review_queue_query_count(client, town, column, people, django_assert_max_num_queries, n):
    for i in range(n):
        submitted(make_item(town, column, people.editor, title=f"待审{i}"), people.editor)
    client.force_login(people.reviewer)
    client.get(url("review-queue", town))
    with django_assert_max_num_queries(15):
        response = client.get(url("review-queue", town))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(n, 30)
    assert response.context["rows"][0][0].submitted_by == people.editor


# --- review queue ------------------------------------------------------------------------


def test_review_queue_lists_what_this_user_may_review(client, town, column, people):
    by_editor = submitted(make_item(town, column, people.editor, title="编辑提交"), people.editor)
    by_officer = submitted(
        make_item(town, column, people.officer, title="专员提交"), people.officer
    )
    make_item(town, column, people.editor, title="草稿")

    def queue(user):
        client.force_login(user)
        response = client.get(url("review-queue", town))
        assert response.status_code == 200
        return {item for item, _clock in response.context["rows"]}

    assert queue(people.reviewer) == {by_editor, by_officer}
    assert queue(people.officer) == {by_editor}  # four eyes: not its own submission
    assert queue(people.editor) == set()  # no review role
    assert queue(people.supervisor) == set()  # reads, never reviews


# --- staff home --------------------------------------------------------------------------


def test_staff_home_links_the_catalogue_of_each_visible_agency(client, agency_tree, people):
    client.force_login(people.officer)
    html = client.get(reverse("core:staff-home")).content.decode()
    town, other = agency_tree["town"], agency_tree["other_town"]
    for name in ["columns", "item-list", "overdue", "review-queue", "channels"]:
        assert url(name, town) in html
        assert url(name, other) not in html
    client.force_login(people.supervisor)
    html = client.get(reverse("core:staff-home")).content.decode()
    for agency in agency_tree.values():
        assert url("item-list", agency) in html
