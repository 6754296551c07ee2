"""The 严重表述错误 indicator of the compliance monitor, computed from the wording findings of
published items."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.tests.factories import ColumnFactory, ItemFactory
from gongkai.compliance.check import ERROR, WARNING, check_agency
from gongkai.compliance.rules import RULES_BY_ID
from gongkai.core.audit import audit_record
from gongkai.core.models import AgencyLevel
from gongkai.core.tests.factories import AgencyFactory
from gongkai.wording.monitor import published_findings

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 30, 10, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def column():
    county = AgencyFactory(slug="putuo-w", level=AgencyLevel.COUNTY)
    town = AgencyFactory(slug="liuheng-w", level=AgencyLevel.TOWNSHIP, parent=county)
    return ColumnFactory(agency=town)


def published(column, title, body="", status=ItemStatus.PUBLISHED):
    return ItemFactory(
        column=column,
        title=title,
        body=body,
        status=status,
        published_at=NOW if status == ItemStatus.PUBLISHED else None,
    )


def wording(findings):
    return [f for f in findings if f.rule == "serious_wording_error"]


def test_the_indicator_is_a_veto_with_its_basis():
    rule = RULES_BY_ID["serious_wording_error"]
    assert rule.veto
    assert "出现严重表述错误" in rule.basis and "国办秘函〔2019〕19号" in rule.basis


def test_a_published_miswriting_is_red(column):
    item = published(column, "关于开展扫黑险恶专项斗争的通知", "<p>依据《政府公开信息条例》。</p>")
    published(column, "六横镇召开安全生产工作会议", "<p>会议部署了当前工作。</p>")
    published(column, "习近平新时期中国特色社会主义思想学习", status=ItemStatus.DRAFT)
    (finding,) = wording(check_agency(column.agency, now=NOW))
    assert finding.severity == ERROR
    assert "扫黑险恶→扫黑除恶" in finding.message
    assert "政府公开信息条例→政府信息公开条例" in finding.message
    assert finding.url.endswith(f"/items/{item.pk}/")


def test_one_the_reviewer_confirmed_is_amber(column):
    item = published(column, "关于“扫黑险恶”错字更正的说明")
    audit_record(
        actor=None,
        verb="item.approve",
        obj=item,
        after={
            "status": "approved",
            "wording": [{"found": "扫黑险恶", "suggestion": "扫黑除恶"}],
            "wording_acknowledged": True,
        },
    )
    (finding,) = wording(check_agency(column.agency, now=NOW))
    assert finding.severity == WARNING


def test_attachments_are_read_and_the_query_count_does_not_grow(column, django_assert_num_queries):
    for n in range(30):
        published(column, f"六横镇工作动态第{n}期", "<p>贯彻落实党的二十大精神。</p>")
    with django_assert_num_queries(3):
        assert published_findings(column.agency) == []
    published(column, "人民检查院通报")
    with django_assert_num_queries(4):  # and the approvals' acknowledgements
        (row,) = published_findings(column.agency)
    assert row.found == (("人民检查院", "人民检察院"),) and not row.acknowledged
