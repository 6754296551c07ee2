"""The seed's 2018 figures for 回应解读 and 找错, one by one, from the demo records of 六横镇.

The report text quotes two figures ("及时有效处置网络舆情30起", "今年及时解决网民政府网站找错1起");
its 统计表 二、回应解读情况 leaves every row empty, which the records give as 0.
"""

from datetime import date

import pytest
import time_machine

from gongkai.core.demo import load_demo
from gongkai.core.models import Agency
from gongkai.engagement import selectors
from gongkai.engagement.demo import load_engagement_demo

START, END = date(2018, 1, 1), date(2018, 12, 31)

SEED_FIGURES = [
    # (what the seed says, selector, figure)
    ("及时有效处置网络舆情30起", selectors.incidents_handled, 30),
    ("今年及时解决网民政府网站找错1起", selectors.error_reports_resolved, 1),
    ("(一)回应公众关注热点或重大舆情数(…) — empty", selectors.hot_topics_responded, 0),
    ("1.参加或举办新闻发布会总次数 — empty", selectors.press_conferences, 0),
    ("其中:主要负责同志参加新闻发布会次数 — empty", selectors.principal_press_conferences, 0),
    ("2.政策解读稿件发布数 — empty", selectors.interpretations_published, 0),
    ("3.微博微信回应事件数 — empty", selectors.weibo_wechat_responses, 0),
    ("4.其他方式回应事件数 — empty", selectors.other_channel_responses, 0),
]


@pytest.fixture
def liuheng(db):
    with time_machine.travel("2026-11-26 10:00 +0800", tick=False):
        load_demo()
        load_engagement_demo()
    return Agency.objects.get(slug="liuheng")


def test_seed_figures_one_by_one(liuheng):
    for said, count, figure in SEED_FIGURES:
        assert count(liuheng, START, END) == figure, said


def test_seed_table_rows_in_order(liuheng):
    rows = selectors.response_rows(liuheng, START, END)
    assert [row.label for row in rows] == [
        "(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)",
        "1.参加或举办新闻发布会总次数",
        "其中:主要负责同志参加新闻发布会次数",
        "2.政策解读稿件发布数",
        "3.微博微信回应事件数",
        "4.其他方式回应事件数",
    ]
    assert [row.value for row in rows] == [0, 0, 0, 0, 0, 0]


def test_2018_error_report_was_received_and_resolved_in_2018(liuheng):
    assert selectors.error_reports_received(liuheng, START, END) == 1
