"""Fixtures shared by every app's tests."""

import pytest

from gongkai.core import services
from gongkai.core.models import AgencyLevel, Role
from gongkai.core.tests.factories import PASSWORD, AgencyFactory, UserFactory


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def agency_tree(db):
    """普陀区 → {六横镇 → 党政办, 桃花镇}: two sibling towns under one district."""
    district = AgencyFactory(
        name="舟山市普陀区人民政府", short_name="普陀区", slug="putuo", level=AgencyLevel.COUNTY
    )
    town = AgencyFactory(
        name="六横镇人民政府", short_name="六横镇", slug="liuheng", parent=district
    )
    department = AgencyFactory(
        name="六横镇党政综合办公室",
        short_name="党政办",
        slug="liuheng-dzb",
        level=AgencyLevel.DEPARTMENT,
        parent=town,
    )
    other_town = AgencyFactory(
        name="桃花镇人民政府", short_name="桃花镇", slug="taohua", parent=district
    )
    return {"district": district, "town": town, "department": department, "other_town": other_town}


@pytest.fixture
def make_member(db):
    """make_member(agency, role, username=None) -> a user holding `role` at `agency`."""

    def make(agency, role=Role.OFFICER, username=None):
        user = UserFactory(**({"username": username} if username else {}))
        services.membership_grant(actor=None, user=user, agency=agency, role=role)
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


@pytest.fixture
def other_town(agency_tree):
    return agency_tree["other_town"]
