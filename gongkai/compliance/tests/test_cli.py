"""`gongkai compliance rules` and `gongkai compliance check`, at a frozen time."""

import json
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.taxonomy import ColumnType
from gongkai.catalogue.tests.factories import ColumnFactory, ItemFactory
from gongkai.compliance.rules import RULES
from gongkai.core.models import AgencyLevel
from gongkai.core.tests.factories import AgencyFactory
from gongkai.portal.models import PortalSettings
from gongkai.reports.models import Report, ReportStatus

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 30, 10, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def run(*args) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("compliance", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return out.getvalue(), err.getvalue(), exc.code
    return out.getvalue(), err.getvalue(), 0


def test_rules_json_lists_every_rule():
    out, _err, status = run("rules", "--json")
    data = json.loads(out)
    assert status == 0
    assert [row["id"] for row in data] == [rule.id for rule in RULES]
    homepage = data[0]
    assert homepage["title"] == "首页不更新" and homepage["veto"] is True
    assert "监测 2 周，首页无信息更新的，即单项否决。" in homepage["basis"]
    assert set(homepage) >= {"id", "title", "veto", "basis", "threshold"}


def test_rules_table():
    out, _err, _status = run("rules")
    assert "空白栏目" in out


@pytest.fixture
def district(db):
    county = AgencyFactory(slug="putuo", level=AgencyLevel.COUNTY)
    Report.objects.create(
        agency=county, year=2025, format="2021", status=ReportStatus.PUBLISHED, version=1
    )
    town = AgencyFactory(slug="liuheng", level=AgencyLevel.TOWNSHIP, parent=county)
    Report.objects.create(
        agency=town, year=2025, format="2021", status=ReportStatus.PUBLISHED, version=1
    )
    news = ColumnFactory(agency=town, name="镇街动态", column_type=ColumnType.NEWS)
    ItemFactory(
        column=news,
        status=ItemStatus.PUBLISHED,
        published_at=NOW - timedelta(days=20),
    )
    for n, each in enumerate((county, town), start=1):
        PortalSettings.objects.create(
            agency=each, site_code=f"330903000{n}", icp_record=f"浙ICP备00000000号-{n}"
        )
    county_news = ColumnFactory(agency=county, name="要闻", column_type=ColumnType.NEWS)
    ItemFactory(column=county_news, status=ItemStatus.PUBLISHED, published_at=NOW)
    return county, town


def test_check_json_for_one_agency(district):
    out, _err, status = run("check", "--agency", "liuheng", "--json")
    rows = json.loads(out)
    assert status == 1  # a red finding
    by_rule = {row["rule"]: row for row in rows}
    assert set(by_rule) == {"homepage_not_updated", "news_column_stale"}
    assert by_rule["news_column_stale"] == {
        "agency": "liuheng",
        "rule": "news_column_stale",
        "severity": "error",
        "message": by_rule["news_column_stale"]["message"],
        "object": "镇街动态",
        "url": by_rule["news_column_stale"]["url"],
        "since": (date(2026, 6, 10)).isoformat(),
    }
    assert "/staff/catalogue/liuheng/columns/" in by_rule["news_column_stale"]["url"]


def test_check_clean_agency_exits_zero(district):
    out, _err, status = run("check", "--agency", "putuo")
    assert status == 0
    assert out.strip()  # "no findings", translated or not


def test_check_all_writes_xlsx_with_chinese_headers(district, tmp_path):
    path = tmp_path / "check.xlsx"
    _out, err, status = run("check", "--agency", "putuo", "--all", "--xlsx", str(path))
    assert status == 1
    assert "2/2" in err  # progress over the two agencies
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("单位", "指标编号", "指标", "单项否决", "程度", "问题")
    body = [row for row in rows[1:] if row and row[1]]
    assert {row[1] for row in body} == {"homepage_not_updated", "news_column_stale"}
    assert all(row[0] == str(district[1]) for row in body)
    homepage = next(row for row in body if row[1] == "homepage_not_updated")
    assert homepage[3] == "是" and homepage[4] == "红"


def test_check_unknown_agency(db):
    with pytest.raises(CommandError):
        call_command("compliance", "check", "--agency", "nowhere", stdout=StringIO())


# --- nightly, links, probe ------------------------------------------------------------------


def test_rules_json_has_twelve_indicators_five_vetoes_each_with_its_basis():
    data = json.loads(run("rules", "--json")[0])
    assert len(data) >= 12
    assert sum(row["veto"] for row in data) >= 5
    assert all(row["basis"] and row["threshold"] for row in data)


@pytest.mark.django_db
def test_nightly_records_a_snapshot_per_agency_and_is_rerunnable():
    from gongkai.compliance.models import CheckSnapshot

    county = AgencyFactory(slug="county-n", level=AgencyLevel.COUNTY)
    town = AgencyFactory(slug="town-n", level=AgencyLevel.TOWNSHIP, parent=county)
    for n in range(5):
        ColumnFactory(agency=town, name=f"空{n}")
    out, err, status = run("nightly")
    assert status == 0 and "2" in out
    snapshot = CheckSnapshot.objects.get(agency=town)
    assert snapshot.statuses["columns_empty"] == "error"
    run("nightly", "--agency", "town-n")
    assert CheckSnapshot.objects.count() == 2  # the day's snapshots replaced, not added


@pytest.mark.django_db
def test_the_nightly_task_is_registered_and_queues_the_link_check():
    from gongkai.compliance.models import CheckSnapshot
    from gongkai.core.models import Task
    from gongkai.core.tasks import lookup

    AgencyFactory(slug="alone")
    progress = []
    lookup("compliance.check_all")({}, progress.append)
    assert CheckSnapshot.objects.filter(agency__slug="alone").exists()
    assert progress and progress[-1].endswith("alone")
    assert Task.objects.filter(name="compliance.check_links").exists()
    lookup("compliance.check_links")
    lookup("compliance.probe_sites")


@pytest.mark.django_db
def test_links_command_lists_the_broken_links(settings):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_HEAD(self):
            self.send_response(200 if self.path == "/ok" else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_HEAD  # the checker asks again with GET after an error status

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.GONGKAI_LINKCHECK_HOST_DELAY = 0
    try:
        town = AgencyFactory(slug="links-town")
        item = ItemFactory(
            column=ColumnFactory(agency=town),
            status=ItemStatus.PUBLISHED,
            published_at=NOW - timedelta(days=1),
            body=f'<a href="{base}/ok">a</a><a href="{base}/gone">b</a>',
        )
        out, _err, status = run("links", "--agency", "links-town", "--json")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert status == 0
    assert json.loads(out) == [
        {
            "agency": "links-town",
            "url": f"{base}/gone",
            "status": 404,
            "error": "",
            "items": [item.pk],
        }
    ]


@pytest.mark.django_db
def test_probe_needs_the_public_address(settings):
    settings.GONGKAI_PUBLIC_BASE_URL = ""
    with pytest.raises(CommandError):
        run("probe")
