"""The supervisor's pages of issue 15 part 4: the matrix and its workbook (who may see them, the
query count), which agencies publish their own report, the dates of the 乡镇/街道, and a report
published elsewhere uploaded and stored."""

import tempfile
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gongkai.core.models import Agency, AgencyLevel, AuditEvent, Role
from gongkai.core.tests.factories import AgencyFactory
from gongkai.reports.models import ImportedReport, ReportDeadline
from gongkai.reports.tests.test_matrix import NEW, publish

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "fixtures" / "2023_taohua-town-2021-format.html"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        yield


@pytest.fixture
def tree(agency_tree):
    tree = dict(agency_tree)
    tree["department"].publishes_annual_report = False
    tree["department"].save()
    publish(tree["town"], 2025, {NEW: 10})
    tree["elsewhere"] = AgencyFactory(
        name="舟山市定海区人民政府", short_name="定海区", slug="dinghai", level=AgencyLevel.COUNTY
    )
    return tree


def signed_in(client, user):
    client.force_login(user)
    return client


def matrix_url(agency, year=2025, **query):
    url = reverse("reports:matrix", args=[agency.slug, year])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_supervisor_sees_the_matrix_with_the_overdue_town_marked(client, tree, make_member):
    signed_in(client, make_member(tree["district"], Role.SUPERVISOR))
    response = client.get(matrix_url(tree["district"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert tree["other_town"].name in page
    assert str(_("Overdue, not published")) in page
    assert tree["department"].name not in page  # an internal office is not expected
    assert "本年新收申请" in page
    rows = {row.agency.slug: row for row in response.context["matrix"].rows}
    assert rows["taohua"].is_overdue and rows["liuheng"].has_figures


def test_compare_adds_the_previous_year(client, tree, make_member):
    publish(tree["town"], 2024, {NEW: 4})
    signed_in(client, make_member(tree["district"], Role.SUPERVISOR))
    response = client.get(matrix_url(tree["district"], compare=1))
    assert response.context["matrix"].compare
    assert str(_("Change")) in response.content.decode()


@pytest.mark.parametrize("who", ["town_officer", "town_admin", "other_district"])
def test_others_cannot_see_the_districts_matrix(client, tree, make_member, who):
    user = {
        "town_officer": lambda: make_member(tree["town"], Role.OFFICER),
        "town_admin": lambda: make_member(tree["town"], Role.AGENCY_ADMIN),
        "other_district": lambda: make_member(tree["elsewhere"], Role.SUPERVISOR),
    }[who]()
    signed_in(client, user)
    assert client.get(matrix_url(tree["district"])).status_code == 404
    url = reverse("reports:matrix-xlsx", args=[tree["district"].slug, 2025])
    assert client.get(url).status_code == 404


def test_a_town_sees_its_own_matrix_only(client, tree, make_member):
    signed_in(client, make_member(tree["town"], Role.OFFICER))
    response = client.get(matrix_url(tree["town"]))
    assert [row.agency.slug for row in response.context["matrix"].rows] == ["liuheng"]


def test_anonymous_is_sent_to_sign_in(client, tree):
    response = client.get(matrix_url(tree["district"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_workbook_download_through_the_same_selector(client, tree, make_member):
    publish(tree["town"], 2024, {NEW: 4})
    signed_in(client, make_member(tree["district"], Role.SUPERVISOR))
    url = reverse("reports:matrix-xlsx", args=[tree["district"].slug, 2025]) + "?compare=1"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    name = quote(f"{tree['district'].name}2025年度报告统计矩阵（同比）.xlsx")
    assert f"filename*=utf-8''{name}" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = [r[0] for r in rows[2:-1]]
    assert names == [tree["district"].name, tree["town"].name, tree["other_town"].name]
    assert rows[3][1] == _("Published")
    assert rows[4][1] == _("Overdue, not published")
    assert rows[-1][0] == _("Total")
    assert rows[-1][3:6] == (None, None, None)  # 规章制发 (the first indicator): nobody gave it
    headers = list(rows[1])
    at = headers.index(_("%(name)s %(year)s") % {"name": "本年新收申请（件）", "year": 2025})
    assert rows[-1][at : at + 3] == (10, 4, 6)


def test_page_query_count_does_not_grow_with_the_agencies(
    client, tree, make_member, django_assert_max_num_queries
):
    signed_in(client, make_member(tree["district"], Role.SUPERVISOR))
    client.get(matrix_url(tree["district"], compare=1))  # the session and roles, once
    with CaptureQueriesContext(connection) as few:
        client.get(matrix_url(tree["district"], compare=1))
    for n in range(15):
        town = AgencyFactory(name=f"第{n}镇人民政府", slug=f"town-{n}", parent=tree["district"])
        if n % 2:
            publish(town, 2025, {NEW: n})
    with django_assert_max_num_queries(len(few)) as many:
        response = client.get(matrix_url(tree["district"], compare=1))
    assert len(many) == len(few) <= 17
    assert len(response.context["matrix"].rows) == 18
    url = reverse("reports:matrix-xlsx", args=[tree["district"].slug, 2025]) + "?compare=1"
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


# --- which agencies publish their own report -------------------------------------------------


def test_district_admin_sets_that_an_office_owes_no_report(client, tree, make_member):
    admin = make_member(tree["district"], Role.AGENCY_ADMIN)
    signed_in(client, admin)
    url = reverse("reports:publishing", args=[tree["district"].slug])
    page = client.get(url)
    assert page.status_code == 200
    assert tree["department"].name in page.content.decode()
    response = client.post(url, {"target": tree["other_town"].pk, "value": "0"})
    assert response.status_code == 302
    assert not Agency.objects.get(pk=tree["other_town"].pk).publishes_annual_report
    event = AuditEvent.objects.get(verb="agency.publishes_annual_report_set")
    assert event.actor == admin and event.after == {"publishes_annual_report": False}
    rows = client.get(matrix_url(tree["district"])).context["matrix"].rows
    assert "taohua" not in [row.agency.slug for row in rows]


def test_a_town_cannot_exempt_itself_nor_a_supervisor_anyone(client, tree, make_member):
    url = reverse("reports:publishing", args=[tree["town"].slug])
    signed_in(client, make_member(tree["town"], Role.AGENCY_ADMIN))
    response = client.post(url, {"target": tree["town"].pk, "value": "0"}, follow=True)
    assert str(_("You do not have permission to do this.")) in response.content.decode()
    assert Agency.objects.get(pk=tree["town"].pk).publishes_annual_report
    signed_in(client, make_member(tree["district"], Role.SUPERVISOR))
    client.post(url, {"target": tree["department"].pk, "value": "1"})
    assert not Agency.objects.get(pk=tree["department"].pk).publishes_annual_report
    assert not AuditEvent.objects.filter(verb="agency.publishes_annual_report_set").exists()


def test_a_target_outside_the_pages_subtree_is_not_found(client, tree, make_member):
    signed_in(client, make_member(tree["district"], Role.AGENCY_ADMIN))
    url = reverse("reports:publishing", args=[tree["town"].slug])
    response = client.post(url, {"target": tree["other_town"].pk, "value": "0"})
    assert response.status_code == 404
    assert Agency.objects.get(pk=tree["other_town"].pk).publishes_annual_report


# --- the dates of the 乡镇/街道 ---------------------------------------------------------------


def test_district_admin_sets_the_towns_date_and_the_matrix_follows(client, tree, make_member):
    signed_in(client, make_member(tree["district"], Role.AGENCY_ADMIN))
    url = reverse("reports:deadlines", args=[tree["district"].slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"level": "township", "month": "4", "day": "30"})
    assert response.status_code == 302
    row = ReportDeadline.objects.get(agency=tree["district"], applies_to_level="township")
    assert (row.month, row.day) == (4, 30)
    assert AuditEvent.objects.filter(verb="report.deadline_set").exists()
    page = client.get(url).content.decode()
    assert "2026-04-30" in page
    rows = {
        r.agency.slug: r for r in client.get(matrix_url(tree["district"])).context["matrix"].rows
    }
    assert not rows["taohua"].is_overdue


def test_deadline_refused_to_a_supervisor_and_a_bad_date(client, tree, make_member):
    url = reverse("reports:deadlines", args=[tree["district"].slug])
    signed_in(client, make_member(tree["district"], Role.SUPERVISOR))
    client.post(url, {"level": "township", "month": "4", "day": "30"})
    assert not ReportDeadline.objects.exists()
    signed_in(client, make_member(tree["district"], Role.AGENCY_ADMIN))
    response = client.post(url, {"level": "township", "month": "2", "day": "30"}, follow=True)
    assert str(_("Enter a date that exists every year.")) in response.content.decode()
    assert not ReportDeadline.objects.exists()


# --- a report published elsewhere ---------------------------------------------------------------


def upload(name="桃花镇2023年报.html"):
    return SimpleUploadedFile(name, FIXTURE.read_bytes(), content_type="text/html")


def test_district_admin_uploads_a_report_published_elsewhere(client, tree, make_member):
    signed_in(client, make_member(tree["district"], Role.AGENCY_ADMIN))
    url = reverse("reports:import", args=[tree["district"].slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"target": tree["other_town"].pk, "year": "2023", "fmt": "", "file": upload()}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:matrix", args=["putuo", 2023])
    row = ImportedReport.objects.get(agency=tree["other_town"], year=2023)
    assert row.format == "2021" and row.source_name == "桃花镇2023年报.html"
    assert row.cells[NEW] == 12
    rows = {r.agency.slug: r for r in client.get(response["Location"]).context["matrix"].rows}
    assert rows["taohua"].status == "imported"


def test_upload_of_another_years_report_is_refused(client, tree, make_member):
    signed_in(client, make_member(tree["district"], Role.AGENCY_ADMIN))
    url = reverse("reports:import", args=[tree["district"].slug])
    response = client.post(
        url,
        {"target": tree["other_town"].pk, "year": "2024", "file": upload()},
        follow=True,
    )
    assert "2023" in response.content.decode()
    assert not ImportedReport.objects.exists()


def test_upload_refused_to_a_supervisor_and_another_towns_officer(client, tree, make_member):
    url = reverse("reports:import", args=[tree["district"].slug])
    data = {"target": tree["other_town"].pk, "year": "2023"}
    for role in (Role.SUPERVISOR, Role.OFFICER):  # the district's officer sees the district only
        signed_in(client, make_member(tree["district"], role))
        response = client.post(url, {**data, "file": upload()}, follow=True)
        assert str(_("You do not have permission to do this.")) in response.content.decode()
    signed_in(client, make_member(tree["town"], Role.OFFICER))
    town_url = reverse("reports:import", args=[tree["town"].slug])
    client.post(town_url, {**data, "file": upload()})
    assert not ImportedReport.objects.exists()


def test_upload_of_an_unreadable_file_says_so(client, tree, make_member):
    signed_in(client, make_member(tree["other_town"], Role.OFFICER))
    url = reverse("reports:import", args=[tree["other_town"].slug])
    bad = SimpleUploadedFile("report.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"target": tree["other_town"].pk, "year": "2023", "file": bad})
    assert response.status_code == 200
    assert str(_("Upload a DOCX, PDF, HTML or text file.")) in response.content.decode()
    assert not ImportedReport.objects.exists()


def test_upload_that_cannot_be_read_names_the_file_not_the_servers_folder(
    client, tree, make_member
):
    signed_in(client, make_member(tree["other_town"], Role.OFFICER))
    url = reverse("reports:import", args=[tree["other_town"].slug])
    bad = SimpleUploadedFile("年报.txt", b"\xff\xfe\x00\x81", content_type="text/plain")
    response = client.post(
        url, {"target": tree["other_town"].pk, "year": "2023", "file": bad}, follow=True
    )
    page = response.content.decode()
    assert "年报.txt" in page
    assert tempfile.gettempdir() not in page
    assert not ImportedReport.objects.exists()


def test_upload_of_a_notice_says_it_is_no_annual_report(client, tree, make_member):
    from html import escape

    signed_in(client, make_member(tree["other_town"], Role.OFFICER))
    url = reverse("reports:import", args=[tree["other_town"].slug])
    notice = "关于2024年春节放假安排的通知\n各村（社区）：\n现将放假安排通知如下。\n".encode()
    bad = SimpleUploadedFile("通知.txt", notice, content_type="text/plain")
    response = client.post(
        url, {"target": tree["other_town"].pk, "year": "2023", "file": bad}, follow=True
    )
    message = _(
        "This is not an annual report on government information disclosure: none of "
        "the report's tables, sections or headings was found in it."
    )
    assert escape(str(message)) in response.content.decode()
    assert not ImportedReport.objects.exists()
