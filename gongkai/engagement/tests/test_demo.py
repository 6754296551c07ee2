"""The engagement demo: loads on top of the core and catalogue demos, idempotently, with the
2025–2026 records linked to the catalogue's policies; the `demo` command runs it."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from gongkai.catalogue.demo import load_catalogue_demo
from gongkai.core.demo import load_demo
from gongkai.core.models import Agency
from gongkai.core.selectors import current_work_calendar
from gongkai.engagement import selectors
from gongkai.engagement.demo import load_engagement_demo
from gongkai.engagement.models import (
    ErrorReport,
    Incident,
    IncidentResponse,
    Interpretation,
    PressConference,
)
from gongkai.engagement.taxonomy import ErrorStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-26 10:00 +0800", tick=False):
        yield


def counts():
    return (
        Incident.objects.count(),
        IncidentResponse.objects.count(),
        PressConference.objects.count(),
        Interpretation.objects.count(),
        ErrorReport.objects.count(),
    )


def test_demo_is_idempotent_and_linked_to_the_catalogue():
    load_demo()
    load_catalogue_demo()
    created = load_engagement_demo()
    assert created["incidents"] == 37 and created["interpretations"] == 4
    first = counts()
    assert load_engagement_demo() == {}
    assert counts() == first
    liuheng = Agency.objects.get(slug="liuheng")
    year = (date(2025, 1, 1), date(2025, 12, 31))
    assert selectors.press_conferences(liuheng, *year) == 2
    assert selectors.principal_press_conferences(liuheng, *year) == 1
    assert selectors.hot_topics_responded(liuheng, *year) == 3
    assert selectors.weibo_wechat_responses(liuheng, *year) == 2
    assert selectors.other_channel_responses(liuheng, *year) == 2  # website, media
    assert selectors.error_reports_resolved(liuheng, *year) == 1
    # Every state of the queue shows in 2026.
    assert set(ErrorReport.objects.filter(year=2026).values_list("status", flat=True)) == {
        ErrorStatus.REPLIED,
        ErrorStatus.SUBMITTED,
    }
    from gongkai.core.models import User

    officer = User.objects.get(username="lh_officer")
    checks = selectors.normative_interpretation_checks(
        officer, agency=liuheng, calendar=current_work_calendar()
    )
    flagged = {c.policy.title for c in checks if c.late}
    in_time = {c.policy.title for c in checks if not c.late}
    assert "六横镇人民政府关于印发《六横镇渔业安全生产管理办法》的通知" in in_time
    assert "六横镇人民政府关于印发《六横镇临时救助实施办法》的通知" in in_time
    assert "六横镇人民政府关于印发《六横镇农村生活垃圾分类管理办法》的通知" in flagged


def test_demo_command_loads_the_engagement_records():
    out = StringIO()
    call_command("demo", stdout=out)
    assert Incident.objects.filter(agency__slug="liuheng").count() == 37
    call_command("demo", stdout=StringIO())
    assert Incident.objects.filter(agency__slug="liuheng").count() == 37
