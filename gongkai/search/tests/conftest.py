"""Fixtures of the search tests: the catalogue's (a town, its people, items moved through the
services) plus helpers to publish and to search. Every test runs on the database of the run:
SQLite (FTS5) by default, PostgreSQL with DATABASE_URL."""

from datetime import date, datetime

import pytest
from django.db import connection

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Item, ItemStatus
from gongkai.catalogue.taxonomy import ColumnType, Genre
from gongkai.catalogue.tests import conftest as catalogue_fixtures
from gongkai.core.models import Role
from gongkai.search import selectors
from gongkai.search.segment import get_segmenter

VENDOR = connection.vendor
ALL_CHECKS = catalogue_fixtures.ALL_CHECKS

# The catalogue's fixtures: a town with one user per role, a column, items in any status.
media_root = catalogue_fixtures.media_root
people = catalogue_fixtures.people
column = catalogue_fixtures.column
make_item = catalogue_fixtures.make_item
advance = catalogue_fixtures.advance
item_in = catalogue_fixtures.item_in


@pytest.fixture(autouse=True)
def fresh_segmenter():
    """Each test starts with the built-in dictionary only (staff words come from the database,
    which every test rolls back)."""
    get_segmenter().load_words([], loaded=None)
    yield
    get_segmenter().load_words([], loaded=None)


@pytest.fixture
def publish(item_in):
    """publish(title, body="", **fields) -> a public item published through the services."""

    def make(title: str, body: str = "", **fields) -> Item:
        return item_in(ItemStatus.PUBLISHED, title=title, body=f"<p>{body}</p>", **fields)

    return make


@pytest.fixture
def publish_on(item_in):
    """publish_on(when, title, body="", **fields) -> published by the system at a past date."""

    def make(when: datetime, title: str, body: str = "", **fields) -> Item:
        fields.setdefault("formed_on", date(when.year, 1, 1))
        item = item_in(ItemStatus.APPROVED, title=title, body=f"<p>{body}</p>", **fields)
        return catalogue_services.item_publish(actor=None, item=item, published_at=when)

    return make


@pytest.fixture
def other_town(agency_tree, make_member):
    """桃花镇 with an officer (author) and a reviewer, and a column."""
    agency = agency_tree["other_town"]
    author = make_member(agency, Role.OFFICER, "th-author")
    reviewer = make_member(agency, Role.REVIEWER, "th-reviewer")
    col = catalogue_services.column_create(
        actor=None, agency=agency, name="工作动态", column_type=ColumnType.NEWS
    )

    def publish(title: str, body: str = "") -> Item:
        item = catalogue_services.item_create(
            actor=author,
            agency=agency,
            column=col,
            title=title,
            body=f"<p>{body}</p>",
            formed_on=date(2026, 3, 2),
            genre=Genre.WORK_NEWS,
        )
        item = catalogue_services.item_submit(actor=author, item=item)
        item = catalogue_services.item_approve(actor=reviewer, item=item, checks=ALL_CHECKS)
        return catalogue_services.item_publish(actor=reviewer, item=item)

    return publish


def run_search(text: str, **options) -> selectors.SearchResults:
    return selectors.search(selectors.SearchQuery(text=text, **options))


def titles(text: str, **options) -> list[str]:
    return [hit.item.title for hit in run_search(text, **options).hits]


@pytest.fixture
def find():
    return titles
