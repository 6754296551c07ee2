"""The desk card: the nightly snapshot's amber and red indicators of the user's agency, each a
link to the row of the agency's compliance page; other agencies' are never counted."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.taxonomy import ColumnType
from gongkai.catalogue.tests.factories import ColumnFactory, ItemFactory
from gongkai.compliance.services import snapshot_take
from gongkai.core import services as core_services
from gongkai.core.models import AgencyLevel, Role
from gongkai.core.tests.factories import AgencyFactory, UserFactory

desk = pytest.importorskip("gongkai.core.desk")
pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 30, 10, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def town_with_policy_column(slug: str, county):
    town = AgencyFactory(slug=slug, level=AgencyLevel.TOWNSHIP, parent=county)
    column = ColumnFactory(agency=town, name="政策文件", column_type=ColumnType.POLICY)
    ItemFactory(
        column=column,
        status=ItemStatus.PUBLISHED,
        published_at=datetime(2026, 1, 20, 9, tzinfo=SH),  # 5 months and 10 days ago
    )
    return town


def member(agency, role):
    user = UserFactory()
    core_services.membership_grant(actor=None, user=user, agency=agency, role=role)
    return user


def test_the_card_lists_the_indicators_near_and_over_their_threshold():
    county = AgencyFactory(slug="county", level=AgencyLevel.COUNTY)
    town = town_with_policy_column("town", county)
    other = town_with_policy_column("other", county)
    snapshot_take(agency=town, now=NOW)
    snapshot_take(agency=other, now=NOW)
    officer = member(town, Role.OFFICER)

    board = desk.build_desk(officer, today=NOW.date())
    task = board.task("compliance", "warning_notice_policy_column_stale", town)
    assert task is not None and task.count == 1 and task.level == desk.SOON
    assert task.url == reverse("compliance:agency", args=["town"]) + (
        "#rule-notice_policy_column_stale"
    )
    assert "政策文件" in task.note
    assert board.task("compliance", "warning_notice_policy_column_stale", other) is None
    assert [card.agency for card in board.cards() if card.key == "compliance"] == [town]

    # an editor records no checks: no card
    editor = member(town, Role.EDITOR)
    assert (
        desk.build_desk(editor, today=NOW.date()).task(
            "compliance", "warning_notice_policy_column_stale"
        )
        is None
    )


def test_an_old_snapshot_is_not_shown():
    county = AgencyFactory(slug="county", level=AgencyLevel.COUNTY)
    town = town_with_policy_column("town", county)
    snapshot_take(agency=town, now=NOW - timedelta(days=5))
    officer = member(town, Role.OFFICER)
    board = desk.build_desk(officer, today=date(2026, 6, 30))
    assert [card for card in board.cards() if card.key == "compliance"] == []
