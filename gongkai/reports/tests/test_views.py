"""Staff pages (scoped, entered figures, lint, lifecycle, downloads) and the public 年度报告
pages (published versions only)."""

from io import BytesIO
from urllib.parse import quote

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.core.models import AuditEvent, Role
from gongkai.core.tests.export_helpers import fetch_export
from gongkai.reports.importers.docx import import_docx
from gongkai.reports.models import Report, ReportEntry, ReportStatus
from gongkai.reports.services import report_start, report_transition

pytestmark = pytest.mark.django_db
NOW = "2026-03-10 10:00 +0800"
PERMIT = "行政许可|本年处理决定数量"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def town(agency_tree):
    return agency_tree["town"]


@pytest.fixture
def people(agency_tree, make_member):
    return {
        "officer": make_member(agency_tree["town"], Role.OFFICER),
        "head": make_member(agency_tree["town"], Role.OFFICE_HEAD),
        "editor": make_member(agency_tree["town"], Role.EDITOR),
        "other": make_member(agency_tree["other_town"], Role.OFFICER),
    }


def staff(client, user):
    client.force_login(user)
    return client


def _published(town, people, year=2025):
    report = report_start(actor=people["officer"], agency=town, year=year, fmt="2021")
    report = report_transition(actor=people["officer"], report=report, action="submit")
    return report_transition(actor=people["head"], report=report, action="publish")


def test_pages_need_staff_and_are_scoped(client, town, people):
    url = reverse("reports:report-list", args=["liuheng"])
    assert client.get(url).status_code == 302  # login
    staff(client, people["other"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:report", args=["liuheng", 2025])).status_code == 404
    download = reverse("reports:report-download", args=["liuheng", 2025, "docx"])
    assert client.get(download).status_code == 404
    response = client.get(reverse("reports:index"))
    assert "桃花镇人民政府" in response.content.decode()
    assert "六横镇人民政府" not in response.content.decode()


def test_list_shows_years_formats_status(client, town, people, django_assert_max_num_queries):
    for year in (2021, 2022, 2023):
        report_start(actor=people["officer"], agency=town, year=year, fmt="2021")
    _published(town, people, 2024)
    staff(client, people["officer"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:report-list", args=["liuheng"]))
    text = response.content.decode()
    assert response.status_code == 200
    for year in (2021, 2022, 2023, 2024):
        assert reverse("reports:report", args=["liuheng", year]) in text
    assert str(ReportStatus.PUBLISHED.label) in text and str(ReportStatus.DRAFT.label) in text
    for year in range(2010, 2021):
        Report.objects.create(agency=town, year=year, format="2019")
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:report-list", args=["liuheng"]))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:index")).status_code == 200


def test_start_a_report_then_enter_a_figure(client, town, people):
    staff(client, people["officer"])
    response = client.post(
        reverse("reports:report-start", args=["liuheng"]), {"year": "2025", "fmt": ""}
    )
    assert response.url == reverse("reports:report", args=["liuheng", 2025])
    report = Report.objects.get(agency=town, year=2025)
    assert report.format == "2021" and report.status == ReportStatus.DRAFT
    page = client.get(response.url).content.decode()
    assert '<th rowspan="8">（三）不予公开</th>' in page
    assert "applications.outcome" in page  # the source of the cells
    assert 'name="cell_key" value="行政许可|本年处理决定数量"' in page
    assert "csrfmiddlewaretoken" in page
    entry_url = reverse("reports:entry-set", args=["liuheng", 2025])
    client.post(entry_url, {"cell_key": PERMIT, "value": "23", "note": "审批系统"})
    entry = ReportEntry.objects.get(agency=town, year=2025, cell_key=PERMIT)
    assert entry.value == 23 and entry.note == "审批系统"
    assert AuditEvent.objects.filter(verb="report.entry_set").exists()
    page = client.get(response.url).content.decode()
    assert 'class="num entered"' in page and ">23</td>" in page
    # bad input: a clear message, nothing changed
    response = client.post(entry_url, {"cell_key": PERMIT, "value": "-4"}, follow=True)
    assert _("Enter a number that is not negative.") in response.content.decode()
    response = client.post(
        entry_url, {"cell_key": "一、本年新收政府信息公开申请数量|总计", "value": "4"}, follow=True
    )
    assert (
        _("This figure is computed from the records and cannot be entered.")
        in response.content.decode()
    )
    assert ReportEntry.objects.get(agency=town, year=2025, cell_key=PERMIT).value == 23


def test_an_editor_cannot_enter_figures(client, town, people):
    staff(client, people["editor"])
    page = client.get(reverse("reports:report", args=["liuheng", 2025])).content.decode()
    assert 'name="cell_key"' not in page
    client.post(
        reverse("reports:entry-set", args=["liuheng", 2025]), {"cell_key": PERMIT, "value": "1"}
    )
    assert not ReportEntry.objects.exists()


def test_lint_findings_are_shown(client, town, people):
    staff(client, people["editor"])  # no entry forms: what is on the page are the findings
    page = client.get(reverse("reports:report", args=["liuheng", 2025])).content.decode()
    assert _("Checks") in page
    missing = _("The table “%(table)s” has no figures.") % {"table": "第二十条第（五）项"}
    assert missing in page  # nobody entered 行政许可 yet


def test_lifecycle_through_the_buttons(client, town, people):
    report_start(actor=people["officer"], agency=town, year=2025, fmt="2021")
    url = reverse("reports:report-transition", args=["liuheng", 2025])
    staff(client, people["officer"])
    page = client.get(reverse("reports:report", args=["liuheng", 2025])).content.decode()
    assert 'value="submit"' in page and 'value="publish"' not in page
    client.post(url, {"action": "submit"})
    assert Report.objects.get().status == ReportStatus.IN_REVIEW
    response = client.post(url, {"action": "publish"}, follow=True)  # four eyes
    assert Report.objects.get().status == ReportStatus.IN_REVIEW
    assert _("You may not do that.") in response.content.decode()
    staff(client, people["head"])
    client.post(url, {"action": "publish"})
    report = Report.objects.get()
    assert report.status == ReportStatus.PUBLISHED and report.version == 1
    response = client.post(url, {"action": "reopen", "correction_note": ""}, follow=True)
    assert Report.objects.get().status == ReportStatus.PUBLISHED
    client.post(url, {"action": "reopen", "correction_note": "更正行政许可数"})
    assert Report.objects.get().status == ReportStatus.DRAFT
    response = client.post(url, {"action": "bogus"}, follow=True)
    assert _("Unknown action.") in response.content.decode()


def test_staff_downloads(client, town, people):
    staff(client, people["officer"])
    for kind in ("docx", "pdf", "xlsx", "html", "json"):
        if kind in ("docx", "pdf"):  # built in the background, then fetched from its page
            started = client.post(reverse("reports:report-export", args=["liuheng", 2025, kind]))
            response = fetch_export(client, started).response
            # no longer built in the request
            direct = reverse("reports:report-download", args=["liuheng", 2025, kind])
            assert client.get(direct).status_code == 404
        else:
            response = client.get(reverse("reports:report-download", args=["liuheng", 2025, kind]))
        assert response.status_code == 200, kind
        # The report's title, RFC 5987-encoded (Chinese names survive every browser).
        name = quote(f"{town.name}2025年政府信息公开工作年度报告.{kind}")
        assert f"filename*=utf-8''{name}" in response["Content-Disposition"]
    started = client.post(reverse("reports:report-export", args=["liuheng", 2018, "docx"]))
    imported = import_docx(BytesIO(fetch_export(client, started).content))
    assert imported.format == "pre2019"
    bad = client.get(reverse("reports:report-download", args=["liuheng", 2025, "exe"]))
    assert bad.status_code == 404
    _published(town, people)
    version = reverse("reports:report-download", args=["liuheng", 2025, "json"]) + "?version=1"
    assert client.get(version).json()["year"] == 2025
    assert client.get(version.replace("=1", "=9")).status_code == 404
    export = reverse("reports:report-export", args=["liuheng", 2025, "pdf"])
    assert client.post(export + "?version=9").status_code == 404
    assert client.post(export.replace("/pdf/", "/json/")).status_code == 404
    assert client.get(export).status_code == 405


# --- public ------------------------------------------------------------------------------------


def test_public_pages_show_published_versions_only(client, town, people):
    report_start(actor=people["officer"], agency=town, year=2024, fmt="2021")  # a draft
    listing = client.get(reverse("portal:annual-reports", args=["liuheng"]))
    assert listing.status_code == 200
    assert _("No annual report has been published yet.") in listing.content.decode()
    assert client.get(reverse("portal:annual-report", args=["liuheng", 2024])).status_code == 404
    _published(town, people)
    text = client.get(reverse("portal:annual-reports", args=["liuheng"])).content.decode()
    assert reverse("portal:annual-report", args=["liuheng", 2025]) in text
    assert reverse("portal:annual-report", args=["liuheng", 2024]) not in text
    page = client.get(reverse("portal:annual-report", args=["liuheng", 2025]))
    body = page.content.decode()
    assert "六横镇人民政府2025年政府信息公开工作年度报告" in body
    assert '<th rowspan="8">（三）不予公开</th>' in body
    assert "csrfmiddlewaretoken" not in body
    for kind in ("docx", "pdf", "xlsx"):
        link = reverse("portal:annual-report-download", args=["liuheng", 2025, kind])
        assert link in body
        response = client.get(link)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/")
    assert (
        client.get(
            reverse("portal:annual-report-download", args=["liuheng", 2025, "json"])
        ).status_code
        == 404
    )
    assert client.get(reverse("portal:annual-report", args=["taohua", 2025])).status_code == 404


def test_public_page_shows_the_latest_version_with_its_correction(client, town, people):
    report = _published(town, people)
    report_transition(
        actor=people["officer"], report=report, action="reopen", correction_note="更正行政许可数"
    )
    staff(client, people["officer"])
    client.post(
        reverse("reports:entry-set", args=["liuheng", 2025]), {"cell_key": PERMIT, "value": "5"}
    )
    client.logout()
    body = client.get(reverse("portal:annual-report", args=["liuheng", 2025])).content.decode()
    assert "更正说明" not in body  # version 1 is still what the public sees
    report = Report.objects.get()
    report = report_transition(actor=people["officer"], report=report, action="submit")
    report_transition(actor=people["head"], report=report, action="publish")
    body = client.get(reverse("portal:annual-report", args=["liuheng", 2025])).content.decode()
    assert "更正说明" in body and "更正行政许可数" in body
    docx = client.get(reverse("portal:annual-report-download", args=["liuheng", 2025, "docx"]))
    assert import_docx(BytesIO(docx.content)).cells[PERMIT] == 5


def test_public_list_query_count(client, town, people, django_assert_max_num_queries):
    for year in (2022, 2023, 2024, 2025):
        _published(town, people, year)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("portal:annual-reports", args=["liuheng"]))
    text = response.content.decode()
    assert all(f"六横镇人民政府{year}年" in text for year in (2022, 2023, 2024, 2025))


def test_the_portal_links_the_section(town):
    from gongkai.core.sites import optional_url

    assert optional_url("portal:annual-reports", town) == "/gk/liuheng/reports/"
