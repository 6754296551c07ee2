"""The demo: 六横镇's 2018 as the seed reports it comes out of the selectors, row by row."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongkai.core.demo import load_demo
from gongkai.core.models import Agency
from gongkai.operations import selectors
from gongkai.operations.demo import load_operations_demo
from gongkai.operations.models import Platform, PostCount

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def liuheng():
    with time_machine.travel(TODAY, tick=False):
        load_demo()
        load_operations_demo()
    return Agency.objects.get(slug="liuheng")


def test_seed_2018_figures(liuheng):
    """统计表 (2018年度) 六–九 and 三（二）"用好“两微一端”新平台", figure by figure."""
    a, y = liuheng, 2018
    # 六、举报投诉数量 — blank in the seed
    assert selectors.complaints(a, y) == 0
    # 七、依申请公开信息收取的费用 (万元) — blank
    assert selectors.fees_collected_wan(a, y) == Decimal("0")
    # 八（一）政府信息公开工作专门机构数: 1个
    assert selectors.office_units(a, y) == 1
    # 八（二）1.专职人员数: 1人
    assert selectors.staff_full_time(a, y) == 1
    # 八（二）2.兼职人员数 — blank
    assert selectors.staff_part_time(a, y) == 0
    # 八（三）政府信息公开专项经费 (万元) — blank
    assert selectors.funds_wan(a, y) == Decimal("0")
    # 九（一）召开政府信息公开工作会议或专题会议数 — blank
    assert selectors.meetings(a, y) == 0
    # 九（二）举办各类培训班数 — blank
    assert selectors.training_sessions(a, y) == 0
    # 九（三）接受培训人员数 (人次) — blank
    assert selectors.training_attendance(a, y) == 0
    # "六横共有微博2个，微信公众号6个，全年共发布信息518条"
    assert selectors.weibo_accounts(a, y) == 2
    assert selectors.weixin_accounts(a, y) == 6
    assert selectors.posts(a, y) == 518
    # 统计表 一（二）2.政务微博 200条, 3.政务微信 318条
    assert selectors.posts(a, y, Platform.WEIBO) == 200
    assert selectors.posts(a, y, Platform.WECHAT) == 318
    assert selectors.accounts(a, y, Platform.DOUYIN) == 0


def test_legacy_rows_2018(liuheng):
    values = {row.key: row.value for row in selectors.legacy_rows(liuheng, 2018)}
    assert values == {
        "六": 0,
        "七": Decimal("0"),
        "八.一": 1,
        "八.二.1": 1,
        "八.二.2": 0,
        "八.三": Decimal("0"),
        "九.一": 0,
        "九.二": 0,
        "九.三": 0,
    }


def test_a_lighter_2025_and_2026(liuheng):
    a = liuheng
    assert selectors.meetings(a, 2025) == 2 and selectors.training_attendance(a, 2025) == 60
    assert selectors.funds_wan(a, 2025) == Decimal("2.5")
    assert selectors.complaints(a, 2025) == 1 and selectors.complaints(a, 2026) == 1
    assert selectors.weixin_accounts(a, 2025) == 5  # 六横文旅 closed in 2024
    assert selectors.accounts(a, 2025, Platform.DOUYIN) == 1
    assert selectors.posts(a, 2025) > 0 and selectors.posts(a, 2026) > 0
    # Nothing is dated after "today" (2026-11-26): Q4 2026 is not there yet.
    assert not PostCount.objects.filter(period_end__gt=date(2026, 11, 26)).exists()


def test_the_demo_is_idempotent(liuheng):
    before = PostCount.objects.count()
    with time_machine.travel(TODAY, tick=False):
        result = load_operations_demo()
    assert sum(result.created.values()) == 0
    assert PostCount.objects.count() == before
    assert selectors.posts(liuheng, 2018) == 518
