"""Fixtures for the API tests: two towns' catalogues and staff with tokens."""

from datetime import date

import pytest

from gongkai.api import services as api_services
from gongkai.catalogue import services
from gongkai.catalogue.taxonomy import ColumnType, Genre
from gongkai.core.models import Role

CHECKS = services.ReviewChecks(secrecy=True, privacy=True, wording=True)


class Staff:
    """A user with a token, and the header that sends it."""

    def __init__(self, user, key):
        self.user = user
        self.key = key
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def staff(agency_tree, make_member):
    """make staff(agency, role) -> Staff with a fresh token."""

    def make(agency, role, username=None):
        user = make_member(agency, role, username)
        _token, key = api_services.api_token_create(actor=None, user=user, name="test")
        return Staff(user, key)

    return make


@pytest.fixture
def editor(staff, town):
    return staff(town, Role.EDITOR, "lh_editor")


@pytest.fixture
def reviewer(staff, town):
    return staff(town, Role.REVIEWER, "lh_reviewer")


@pytest.fixture
def other_editor(staff, other_town):
    return staff(other_town, Role.EDITOR, "th_editor")


@pytest.fixture
def columns(town, other_town):
    root = services.column_create(
        actor=None, agency=town, name="政府信息公开", column_type=ColumnType.OTHER
    )
    return {
        "root": root,
        "policy": services.column_create(
            actor=None, agency=town, name="政策文件", column_type=ColumnType.POLICY, parent=root
        ),
        "notice": services.column_create(
            actor=None, agency=town, name="通知公告", column_type=ColumnType.NOTICE
        ),
        "other": services.column_create(
            actor=None, agency=other_town, name="通知公告", column_type=ColumnType.NOTICE
        ),
    }


@pytest.fixture
def make_item(editor, reviewer, columns):
    """make_item(status="draft", **fields) -> an item moved through the real services."""

    def make(status="draft", *, author=None, approver=None, column=None, **fields):
        author = author or editor.user
        approver = approver or reviewer.user
        column = column or columns["policy"]
        fields.setdefault("title", "关于印发六横镇防汛工作方案的通知")
        fields.setdefault("formed_on", date(2026, 3, 2))
        fields.setdefault("genre", Genre.OTHER_DOCUMENT)
        item = services.item_create(actor=author, agency=column.agency, column=column, **fields)
        if status == "draft":
            return item
        item = services.item_submit(actor=author, item=item)
        if status == "pending":
            return item
        item = services.item_approve(
            actor=approver, item=item, checks=CHECKS, publish_now=status != "approved"
        )
        if status in ("approved", "published"):
            return item
        assert status == "withdrawn"
        return services.item_withdraw(actor=approver, item=item, reason="内容已过时")

    return make
