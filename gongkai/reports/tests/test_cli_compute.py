"""`gongkai report compute` and the report JSON API."""

import json
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from gongkai.api.services import api_token_create
from gongkai.core.models import Agency, User
from gongkai.reports.formats import get

pytestmark = pytest.mark.django_db
NOW = "2026-11-26 10:00 +0800"


@pytest.fixture
def demo(monkeypatch):
    # The demo without its published 2025 report: these tests make and publish their own.
    monkeypatch.setattr("gongkai.reports.demo.load_reports_demo", lambda: False)
    with time_machine.travel(NOW, tick=False):
        call_command("demo", stdout=StringIO())
        yield Agency.objects.get(slug="liuheng")


def _run(*args) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_compute_prints_the_table_and_the_json(demo):
    text = _run("compute", "--agency", "六横镇", "--year", "2018", "--format", "pre2019")
    assert "1.政府网站公开政府信息数" in text and "614" in text and "1132" in text
    data = json.loads(
        _run("compute", "--agency", demo.uscc, "--year", "2018", "--format", "pre2019", "--json")
    )
    assert set(data) == {"format", "year", "agency", "cells", "narrative", "findings"}
    assert data["format"] == "pre2019" and data["year"] == 2018
    assert list(data["cells"]) == get("pre2019").cell_keys()
    assert data["cells"]["3.政务微信公开政府信息数|统计数"] == 318
    data = json.loads(
        _run("compute", "--agency", "liuheng", "--year", "2025", "--format", "2021", "--json")
    )
    assert data["cells"]["行政许可|本年处理决定数量"] is None


def test_unknown_agency_is_a_clear_error(db):
    with pytest.raises(CommandError):
        _run("compute", "--agency", "nowhere", "--year", "2025", "--format", "2021")


def test_api_gives_the_report_to_staff_of_the_agency_only(demo, client):
    officer = User.objects.get(username="lh_officer")
    _token, key = api_token_create(actor=None, user=officer, name="t")
    response = client.get(
        "/api/v1/reports/liuheng/2018/pre2019", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200
    assert (
        response.json()["cells"][
            "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）|统计数"
        ]
        == 1132
    )
    assert client.get("/api/v1/reports/liuheng/2018/pre2019").status_code == 401
    other = client.get(
        "/api/v1/reports/taohua/2018/pre2019", headers={"Authorization": f"Bearer {key}"}
    )
    assert other.status_code == 404
    assert client.get("/api/v1/reports/public/liuheng/2025").status_code == 404
