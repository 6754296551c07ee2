"""Fixtures of the catalogue tests: a town with one user per role, a column, items in any status."""

from dataclasses import dataclass
from datetime import date

import pytest

from gongkai.catalogue import services
from gongkai.catalogue.models import Item, ItemStatus
from gongkai.catalogue.taxonomy import ColumnType, Genre
from gongkai.core.models import Role, User

ALL_CHECKS = services.ReviewChecks(secrecy=True, privacy=True, wording=True)
# The order an item passes through the statuses on the way to each of them.
PATH = [
    ItemStatus.DRAFT,
    ItemStatus.PENDING,
    ItemStatus.APPROVED,
    ItemStatus.PUBLISHED,
    ItemStatus.WITHDRAWN,
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Attachments go to a per-test directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass(frozen=True)
class People:
    editor: User
    reviewer: User
    officer: User
    outsider: User  # an officer of the neighbouring town
    supervisor: User  # reads the whole district


@pytest.fixture
def people(agency_tree, make_member) -> People:
    town = agency_tree["town"]
    return People(
        editor=make_member(town, Role.EDITOR, "lh-editor"),
        reviewer=make_member(town, Role.REVIEWER, "lh-reviewer"),
        officer=make_member(town, Role.OFFICER, "lh-officer"),
        outsider=make_member(agency_tree["other_town"], Role.OFFICER, "th-officer"),
        supervisor=make_member(agency_tree["district"], Role.SUPERVISOR, "pt-supervisor"),
    )


@pytest.fixture
def column(town):
    return services.column_create(
        actor=None, agency=town, name="工作动态", column_type=ColumnType.NEWS
    )


@pytest.fixture
def make_item(people, column):
    """make_item(**fields) -> a draft created by the editor through item_create."""

    def make(**overrides) -> Item:
        fields = {
            "title": "六横镇召开安全生产工作会议",
            "formed_on": date(2026, 3, 2),
            "genre": Genre.WORK_NEWS,
            "body": "<p>会议部署了当前安全生产重点工作。</p>",
        }
        fields.update(overrides)
        actor = fields.pop("actor", people.editor)
        target_column = fields.pop("column", column)
        return services.item_create(
            actor=actor, agency=target_column.agency, column=target_column, **fields
        )

    return make


@pytest.fixture
def attach(make_item, people):
    """attach(name, data, item=None, actor=None) -> an attachment added through attachment_add
    by the editor (or `actor`) to `item`, or to a new draft (its `.item`)."""

    def add(name: str, data: bytes, *, item: Item | None = None, actor: User | None = None):
        return services.attachment_add(
            actor=actor or people.editor,
            item=item if item is not None else make_item(),
            name=name,
            data=data,
        )

    return add


@pytest.fixture
def advance(people):
    """advance(item, status) -> the item moved through the services up to `status`."""
    steps = {
        ItemStatus.PENDING: lambda item: services.item_submit(actor=people.editor, item=item),
        ItemStatus.APPROVED: lambda item: services.item_approve(
            actor=people.reviewer, item=item, checks=ALL_CHECKS
        ),
        ItemStatus.PUBLISHED: lambda item: services.item_publish(actor=people.reviewer, item=item),
        ItemStatus.WITHDRAWN: lambda item: services.item_withdraw(
            actor=people.reviewer, item=item, reason="内容已过时"
        ),
    }

    def move(item: Item, status: str) -> Item:
        for step in PATH[PATH.index(item.status) + 1 : PATH.index(status) + 1]:
            item = steps[step](item)
        assert item.status == status
        return item

    return move


@pytest.fixture
def item_in(make_item, advance):
    """item_in(status, **fields) -> a new item brought to `status` through the services."""

    def make(status: str, **fields) -> Item:
        return advance(make_item(**fields), status)

    return make
