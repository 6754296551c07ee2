"""Catalogue reads: the 第二十六条 clock, overdue items, counts for the report, scoping."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongkai.catalogue import selectors
from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.selectors import PublicationClock
from gongkai.catalogue.taxonomy import ChannelKind, DisclosureMode, Scope
from gongkai.core.selectors import current_work_calendar
from gongkai.core.tests.factories import UserFactory

from .factories import ChannelFactory, ColumnFactory, ItemFactory, PublicationFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = date.fromisoformat
# Formed on Monday 2026-09-28; with National Day (10-01..10-08 off, Sat 10-10 worked) the 20th
# working day after it is Friday 2026-10-30 (the same example as the calendar's own tests).
FORMED = D("2026-09-28")
DUE = D("2026-10-30")


@pytest.fixture
def calendar(db):
    """The working-day calendar as seeded from the official schedules (no hand-made years)."""
    return current_work_calendar()


def at(day: str, hour: int = 10):
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


# --- publication_clock -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "days_left"),
    [
        ("2026-09-28", 20),  # the day it was formed does not count
        ("2026-09-30", 18),
        ("2026-10-08", 17),  # National Day (10-01..10-07) used no working days
        ("2026-10-28", 2),
        ("2026-10-30", 0),  # the last day: not yet overdue
        ("2026-10-31", 0),  # Saturday: no working day has passed since the due date
        ("2026-11-02", -1),
        ("2026-11-26", -19),
    ],
)
def test_clock_of_an_unpublished_item(today, days_left, calendar, town):
    item = ItemFactory(column=ColumnFactory(agency=town), formed_on=FORMED)
    with time_machine.travel(at(today), tick=False):
        clock = selectors.publication_clock(item, calendar=calendar)
    assert clock == PublicationClock(due=DUE, days_left=days_left)
    assert clock.overdue is (days_left < 0)


@pytest.mark.django_db
def test_clock_of_a_published_item_stops_at_publication(calendar, town):
    on_time = ItemFactory(
        column=ColumnFactory(agency=town),
        formed_on=FORMED,
        status=ItemStatus.PUBLISHED,
        published_at=at("2026-10-30", hour=23),  # 15:00 UTC: still the 30th in Shanghai
    )
    late = ItemFactory(
        column=on_time.column,
        formed_on=FORMED,
        status=ItemStatus.PUBLISHED,
        published_at=at("2026-11-03"),
    )
    today = D("2027-06-01")  # long after: a published item's clock no longer runs
    assert selectors.publication_clock(on_time, calendar=calendar, today=today) == PublicationClock(
        due=DUE, days_left=0
    )
    late_clock = selectors.publication_clock(late, calendar=calendar, today=today)
    assert (late_clock.days_left, late_clock.overdue) == (-2, True)


@pytest.mark.django_db
def test_clock_in_a_missing_calendar_year_is_pending_with_a_provisional_date(
    schedule_missing, town
):
    # 20 working days after mid-December 2026 reach into 2027, whose schedule is not entered.
    calendar = current_work_calendar()
    item = ItemFactory(column=ColumnFactory(agency=town), formed_on=D("2026-12-15"))
    clock = selectors.publication_clock(item, calendar=calendar, today=D("2026-12-20"))
    assert clock.pending_year == 2027
    # 12 working days left in December (12-16..12-31), the rest at most in the first weekdays.
    assert D("2027-01-01") <= clock.due <= D("2027-01-12")
    assert clock.days_left == 9  # 12-21..12-31, known; nothing of 2027 is counted as elapsed
    assert not clock.overdue
    # Past the provisional date is not known to be overdue either.
    later = selectors.publication_clock(item, calendar=calendar, today=D("2027-01-25"))
    assert later.days_left < 0 and not later.overdue


# --- overdue_items ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_overdue_items_are_unpublished_proactive_items_past_the_limit(
    calendar, town, agency_tree, people
):
    column = ColumnFactory(agency=town)

    def item(title, **fields):
        return ItemFactory(column=column, title=title, **{"formed_on": FORMED, **fields})

    overdue = {
        item("草稿", status=ItemStatus.DRAFT),
        item("待审核", status=ItemStatus.PENDING),
        item("已通过", status=ItemStatus.APPROVED),
    }
    item("按时形成", formed_on=D("2026-11-10"), status=ItemStatus.DRAFT)
    item("已发布", status=ItemStatus.PUBLISHED, published_at=at("2026-11-03"))
    item("已撤回", status=ItemStatus.WITHDRAWN)
    item("依申请公开", disclosure_mode=DisclosureMode.ON_REQUEST)
    item("不予公开", disclosure_mode=DisclosureMode.NOT_PUBLIC, non_disclosure_ground="process")
    ItemFactory(column=ColumnFactory(agency=agency_tree["other_town"]), formed_on=FORMED)

    today = D("2026-11-26")
    found = selectors.overdue_items(people.officer, agency=town, calendar=calendar, today=today)
    assert {item for item, _clock in found} == overdue
    assert all(clock.days_left == -19 for _item, clock in found)
    # Scoped: someone without a role at the town sees none of them.
    assert (
        selectors.overdue_items(people.outsider, agency=town, calendar=calendar, today=today) == []
    )
    supervised = selectors.overdue_items(
        people.supervisor, agency=town, calendar=calendar, today=today
    )
    assert {item for item, _clock in supervised} == overdue


# --- counts for the annual report ---------------------------------------------------------------


@pytest.fixture
def channels(town):
    return {
        "website": ChannelFactory(agency=town, kind=ChannelKind.WEBSITE, name="六横镇人民政府"),
        "weibo": ChannelFactory(agency=town, kind=ChannelKind.WEIBO, name="六横发布"),
        "weibo2": ChannelFactory(agency=town, kind=ChannelKind.WEIBO, name="六横应急"),
        "wechat": ChannelFactory(agency=town, kind=ChannelKind.WECHAT, name="六横发布"),
    }


@pytest.mark.django_db
def test_an_item_on_several_channels_counts_once(channels, town, agency_tree):
    item = ItemFactory(column=ColumnFactory(agency=town), status=ItemStatus.PUBLISHED)
    for name in ("website", "weibo", "weibo2", "wechat"):
        PublicationFactory(item=item, channel=channels[name], published_on=D("2026-03-03"))
    website_only = ItemFactory(column=item.column, status=ItemStatus.PUBLISHED)
    PublicationFactory(item=website_only, channel=channels["website"], published_on=D("2026-03-04"))
    # Outside the period, and another agency's publication, do not count.
    old = ItemFactory(column=item.column, status=ItemStatus.PUBLISHED)
    PublicationFactory(item=old, channel=channels["weibo"], published_on=D("2025-12-31"))
    PublicationFactory(published_on=D("2026-03-03"))  # another agency

    year = (D("2026-01-01"), D("2026-12-31"))
    assert selectors.distinct_items_published(town, *year) == 2
    assert selectors.publications_per_channel_kind(town, *year) == {
        ChannelKind.WEBSITE: 2,
        ChannelKind.WEIBO: 1,  # two Weibo accounts carried the same item: one item
        ChannelKind.WECHAT: 1,
    }
    assert selectors.distinct_items_published(town, D("2025-01-01"), D("2026-12-31")) == 3
    assert selectors.distinct_items_published(town, D("2026-03-04"), D("2026-03-04")) == 1


# --- columns -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_column_tree_is_depth_first_by_position(town, agency_tree):
    public = ColumnFactory(agency=town, name="政府信息公开", position=2)
    key = ColumnFactory(agency=town, name="重点领域", position=1)
    news = ColumnFactory(agency=town, name="工作动态", parent=public, position=3)
    policy = ColumnFactory(agency=town, name="政策文件", parent=public, position=1)
    normative = ColumnFactory(agency=town, name="行政规范性文件", parent=policy, position=1)
    budget = ColumnFactory(agency=town, name="财政预决算", parent=key, position=1)
    ColumnFactory(agency=agency_tree["other_town"], name="工作动态")
    assert selectors.column_tree(town) == [
        (key, 0),
        (budget, 1),
        (public, 0),
        (policy, 1),
        (normative, 2),
        (news, 1),
    ]


# --- scoping ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_items_visible_to_follows_roles_and_the_tree(town, agency_tree, people, make_member):
    ours = ItemFactory(column=ColumnFactory(agency=town))
    theirs = ItemFactory(column=ColumnFactory(agency=agency_tree["other_town"]))
    office = ItemFactory(column=ColumnFactory(agency=agency_tree["department"]))
    department_editor = make_member(agency_tree["department"], "editor", "dzb-editor")

    def visible(user):
        return set(selectors.items_visible_to(user))

    assert visible(people.editor) == {ours}
    assert visible(people.outsider) == {theirs}
    assert visible(people.supervisor) == {ours, theirs, office}
    assert visible(department_editor) == {office}
    assert visible(UserFactory()) == set()
    assert visible(UserFactory(username="root", is_superuser=True)) == {ours, theirs, office}
    inactive = make_member(town, "officer", "left-the-office")
    inactive.is_active = False
    inactive.save()
    assert visible(inactive) == set()


@pytest.mark.django_db
def test_public_items_are_published_proactive_items_for_everyone(town):
    column = ColumnFactory(agency=town)
    public = ItemFactory(column=column, status=ItemStatus.PUBLISHED)
    for status in (ItemStatus.DRAFT, ItemStatus.PENDING, ItemStatus.APPROVED, ItemStatus.WITHDRAWN):
        ItemFactory(column=column, status=status)
    ItemFactory(
        column=column, status=ItemStatus.PUBLISHED, disclosure_mode=DisclosureMode.ON_REQUEST
    )
    ItemFactory(
        column=column,
        status=ItemStatus.PUBLISHED,
        disclosure_mode=DisclosureMode.NOT_PUBLIC,
        non_disclosure_ground="process",
    )
    ItemFactory(column=column, status=ItemStatus.PUBLISHED, scope=Scope.SPECIFIC)
    assert list(selectors.public_items()) == [public]
