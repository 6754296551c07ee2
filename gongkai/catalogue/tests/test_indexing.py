"""索引号: the pattern, and a gap-free serial per agency and year (RULES A.9, C §7.3)."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from gongkai.catalogue import indexing, services
from gongkai.catalogue.models import DEFAULT_INDEX_PATTERN, CatalogueSettings, IndexSequence, Item
from gongkai.catalogue.models import ItemStatus as S
from gongkai.catalogue.taxonomy import ColumnType
from gongkai.core.models import Role, User

from .conftest import ALL_CHECKS

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = datetime(2026, 3, 5, 10, 0, tzinfo=SHANGHAI)


def approve(item, people):
    return services.item_approve(actor=people.reviewer, item=item, checks=ALL_CHECKS)


def serials(agency, year):
    return list(
        Item.objects.filter(agency=agency, index_year=year)
        .order_by("index_serial")
        .values_list("index_serial", flat=True)
    )


# --- the pattern -----------------------------------------------------------------------------


def test_default_pattern_formats_like_gov_cn():
    number = indexing.format_index_number(
        DEFAULT_INDEX_PATTERN, uscc="11330903002570101X", year=2026, serial=42
    )
    assert number == "11330903002570101X/2026-00042"


@pytest.mark.django_db
def test_approval_gives_the_default_index_number(item_in, town, people):
    with time_machine.travel(MARCH, tick=False):
        item = item_in(S.APPROVED)
    assert item.index_number == f"{town.uscc}/2026-00001"
    assert (item.index_year, item.index_serial) == (2026, 1)
    item.refresh_from_db()
    assert item.index_number == f"{town.uscc}/2026-00001"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("LH-{YYYY}-{NNN}", "LH-2026-001"),
        ("{统一社会信用代码}-{YYYY}{NNNNNN}", "{uscc}-2026000001"),
        ("{NN}", "01"),
    ],
)
def test_a_custom_pattern_is_used(pattern, expected, item_in, town, people):
    services.catalogue_settings_update(actor=people.officer, agency=town, index_pattern=pattern)
    with time_machine.travel(MARCH, tick=False):
        item = item_in(S.APPROVED)
    assert item.index_number == expected.replace("{uscc}", town.uscc)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pattern",
    [
        "{统一社会信用代码}/{YYYY}",  # no serial
        "{YYYY}-{NNN}-{NNNN}",  # two serials
        "{YYYY}-{MM}-{NNNNN}",  # unknown token
        "{YYYY}-{NNNNN",  # unclosed
        "LH-{YYYY}-{NNNNN}}",  # stray brace
        "",
    ],
)
def test_invalid_patterns_are_rejected(pattern, town, people):
    with pytest.raises(ValidationError):
        services.catalogue_settings_update(actor=people.officer, agency=town, index_pattern=pattern)
    assert not CatalogueSettings.objects.filter(agency=town).exists()
    assert indexing.agency_index_pattern(town) == DEFAULT_INDEX_PATTERN


# --- the serial ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_serials_are_gap_free_and_unique_per_agency_and_year(item_in, town, people):
    with time_machine.travel(MARCH, tick=False):
        items = [item_in(S.APPROVED, title=f"信息{n}") for n in range(5)]
    assert [i.index_serial for i in items] == [1, 2, 3, 4, 5]
    assert len({i.index_number for i in items}) == 5
    assert serials(town, 2026) == [1, 2, 3, 4, 5]
    assert IndexSequence.objects.get(agency=town, year=2026).last_value == 5


@pytest.mark.django_db
def test_publication_and_withdrawal_keep_the_number(item_in, people):
    item = item_in(S.APPROVED)
    number = item.index_number
    for status in (S.PUBLISHED, S.WITHDRAWN):
        item = (
            services.item_publish(actor=people.reviewer, item=item)
            if status == S.PUBLISHED
            else services.item_withdraw(actor=people.reviewer, item=item, reason="已废止")
        )
        item.refresh_from_db()
        assert item.index_number == number


@pytest.mark.django_db
def test_each_agency_has_its_own_sequence(item_in, make_member, agency_tree, town, people):
    other = agency_tree["other_town"]
    other_column = services.column_create(
        actor=None, agency=other, name="工作动态", column_type=ColumnType.NEWS
    )
    other_editor = make_member(other, Role.EDITOR, "th-editor")
    with time_machine.travel(MARCH, tick=False):
        ours = [item_in(S.APPROVED, title=f"六横{n}") for n in range(3)]
        theirs = services.item_create(
            actor=other_editor,
            agency=other,
            column=other_column,
            title="桃花镇工作动态",
            formed_on=MARCH.date(),
            genre="work_news",
        )
        services.item_submit(actor=other_editor, item=theirs)
        theirs = services.item_approve(actor=people.outsider, item=theirs, checks=ALL_CHECKS)
    assert [i.index_serial for i in ours] == [1, 2, 3]
    assert theirs.index_serial == 1
    assert theirs.index_number == f"{other.uscc}/2026-00001"


@pytest.mark.django_db
def test_each_year_has_its_own_sequence_by_local_date(item_in, town, people):
    with time_machine.travel(datetime(2026, 12, 31, 23, 50, tzinfo=SHANGHAI), tick=False):
        december = [item_in(S.APPROVED, title=f"年末{n}") for n in range(2)]
    # 2027-01-01 00:10 in Shanghai is still 2026 in UTC: the year is the agency's local one.
    with time_machine.travel(datetime(2027, 1, 1, 0, 10, tzinfo=SHANGHAI), tick=False):
        january = [item_in(S.APPROVED, title=f"年初{n}") for n in range(2)]
    assert [(i.index_year, i.index_serial) for i in december] == [(2026, 1), (2026, 2)]
    assert [(i.index_year, i.index_serial) for i in january] == [(2027, 1), (2027, 2)]
    assert january[0].index_number == f"{town.uscc}/2027-00001"


@pytest.mark.django_db
def test_a_rolled_back_approval_gives_its_number_back(item_in, town, people, monkeypatch):
    first = item_in(S.PENDING, title="发布失败的信息")
    second = item_in(S.PENDING, title="下一条信息")

    def broken_website(agency):
        raise RuntimeError("storage unavailable")

    # Approve-and-publish fails after the serial was taken: the whole approval rolls back.
    # _publish (services.review) looks the website up
    monkeypatch.setattr(services.review, "website_channel", broken_website)
    with pytest.raises(RuntimeError):
        services.item_approve(
            actor=people.reviewer, item=first, checks=ALL_CHECKS, publish_now=True
        )
    monkeypatch.undo()
    first.refresh_from_db()
    assert (first.status, first.index_number, first.index_serial) == (S.PENDING, "", None)

    # A caller's transaction that rolls back gives the number back too.
    with pytest.raises(RuntimeError), transaction.atomic():
        approve(second, people)
        raise RuntimeError("the caller changed its mind")
    second.refresh_from_db()
    assert (second.status, second.index_serial) == (S.PENDING, None)

    second = approve(second, people)
    assert approve(first, people).index_serial == 2
    assert second.index_serial == 1
    assert serials(town, second.index_year) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_take_serial_refuses_to_run_outside_a_transaction(town):
    # In autocommit the lock would end with the statement and the number could be reused.
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError):
        indexing.take_serial(town, 2026)
    assert not IndexSequence.objects.exists()


# --- concurrency (PostgreSQL) ------------------------------------------------------------------

THREADS = 10


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks and lets one writer in at a time, so "
    "concurrent approvals cannot race there (CI runs this in its PostgreSQL pass)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_take_serials_one_to_n(item_in, town, people):
    """Approvals in separate connections at once: serials are exactly 1..N, no gap, no repeat."""
    items = [item_in(S.PENDING, title=f"并发审核{n}") for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def approve_in_own_connection(pk: int) -> None:
        try:
            reviewer = User.objects.get(pk=people.reviewer.pk)
            item = Item.objects.get(pk=pk)
            barrier.wait(timeout=30)  # everyone starts the approval together
            services.item_approve(actor=reviewer, item=item, checks=ALL_CHECKS)
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=approve_in_own_connection, args=(i.pk,)) for i in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an approval hung"
    assert errors == []
    approved = Item.objects.filter(pk__in=[i.pk for i in items])
    assert set(approved.values_list("status", flat=True)) == {S.APPROVED}
    year = approved.first().index_year
    assert serials(town, year) == list(range(1, THREADS + 1))
    assert approved.values("index_number").distinct().count() == THREADS
    assert IndexSequence.objects.get(agency=town, year=year).last_value == THREADS
