"""The supervisor's batch check as a service, a background task and staff pages: an uploaded
ZIP or the published reports under an agency, checked in the background; scoped to the agency
that ran it; hostile archives refused with the safe reader's Chinese message."""

import io
import zipfile
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gongkai.core.models import AuditEvent, Role, Task, TaskStatus
from gongkai.reports import batch, services_batch
from gongkai.reports.importers import import_file
from gongkai.reports.models import (
    CheckBatchSource,
    CheckBatchStatus,
    ImportedReport,
    ReportCheckBatch,
)

from .batch_files import DISAGREEING, TAOHUA, small_zip

pytestmark = pytest.mark.django_db
NOW = "2026-03-10 10:00 +0800"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(scope="module")
def upload() -> bytes:
    return small_zip()


@pytest.fixture
def people(agency_tree, make_member):
    return {
        "supervisor": make_member(agency_tree["district"], Role.SUPERVISOR),
        "district_editor": make_member(agency_tree["district"], Role.EDITOR),
        "town_officer": make_member(agency_tree["town"], Role.OFFICER),
        "other_officer": make_member(agency_tree["other_town"], Role.OFFICER),
    }


def _start(capture, **kwargs) -> ReportCheckBatch:
    with capture(execute=True):  # the task runs when the transaction commits (eager mode)
        started = services_batch.report_check_start(**kwargs)
    started.refresh_from_db()
    return started


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.txt", b"0" * (20 * 2**20))
    return out.getvalue()


def test_upload_is_checked_in_the_background(
    agency_tree, people, upload, django_capture_on_commit_callbacks
):
    started = _start(
        django_capture_on_commit_callbacks,
        actor=people["supervisor"],
        agency=agency_tree["district"],
        upload_name="全区年报.zip",
        upload=upload,
    )
    assert started.status == CheckBatchStatus.DONE
    assert started.source == CheckBatchSource.UPLOAD
    assert started.task.status == TaskStatus.DONE
    assert started.task.progress.endswith("reports/broken.pdf")  # the last file's progress
    reports = {entry["file"]: entry for entry in started.results["reports"]}
    assert set(reports) == {
        "reports/shili-town-2022.docx",
        "reports/shili-town-2023.html",
        "reports/broken.pdf",
    }
    later = reports["reports/shili-town-2023.html"]
    assert later["agency"] == DISAGREEING and later["year"] == 2023
    assert [f["code"] for f in later["findings"] if f["severity"] == "error"] == [
        "cross_year",
        "cross_year",
    ]
    assert [f["code"] for f in reports["reports/broken.pdf"]["findings"]] == [batch.IMPORT_ERROR]
    assert "reports/broken.pdf" in reports["reports/broken.pdf"]["findings"][0]["message"]
    assert (started.report_count, started.error_count) == (3, 3)
    # kept privately, under a name of its own (never the uploader's)
    assert started.upload_name == "全区年报.zip"
    assert started.upload.name.startswith(f"report-checks/{agency_tree['district'].pk}/")
    assert "全区" not in started.upload.name
    with pytest.raises(ValueError):
        started.upload.url  # noqa: B018 — a private file has no URL
    verbs = list(
        AuditEvent.objects.filter(object_id=str(started.pk), verb__startswith="report.check")
        .order_by("id")
        .values_list("verb", "actor_id")
    )
    assert verbs == [
        ("report.check_start", people["supervisor"].pk),
        ("report.check_done", None),
    ]


def test_hostile_and_useless_uploads_are_refused(agency_tree, people):
    district = agency_tree["district"]
    with pytest.raises(ValidationError) as refused:
        services_batch.report_check_start(
            actor=people["supervisor"], agency=district, upload_name="bomb.zip", upload=_bomb()
        )
    assert "压缩" in refused.value.messages[0]  # the safe reader's Chinese message
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("../../evil.txt", b"x")
    with pytest.raises(ValidationError):
        services_batch.report_check_start(
            actor=people["supervisor"],
            agency=district,
            upload_name="evil.zip",
            upload=out.getvalue(),
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.xlsx", b"x")
    with pytest.raises(ValidationError):
        services_batch.report_check_start(
            actor=people["supervisor"], agency=district, upload_name="x.zip", upload=out.getvalue()
        )
    with pytest.raises(ValidationError):
        services_batch.report_check_start(
            actor=people["supervisor"], agency=district, upload_name="r.rar", upload=b"Rar!"
        )
    with pytest.raises(ValidationError):  # this year is not over
        services_batch.report_check_start(actor=people["supervisor"], agency=district, year=2026)
    assert not ReportCheckBatch.objects.exists()
    assert not Task.objects.exists()


def test_only_roles_at_the_agency_itself_start_a_check(agency_tree, people, upload):
    district = agency_tree["district"]
    for user in (people["district_editor"], people["town_officer"]):
        with pytest.raises(PermissionDenied):
            services_batch.report_check_start(
                actor=user, agency=district, upload_name="a.zip", upload=upload
            )
    assert not ReportCheckBatch.objects.exists()


def _imported(agency, year, cells, user):
    return ImportedReport.objects.create(
        agency=agency, year=year, format="2021", cells=cells, imported_by=user
    )


def test_published_reports_of_the_agencies_under_it(
    agency_tree, people, django_capture_on_commit_callbacks
):
    """The town's 2024 and 2025 reports disagree on the carry-over; the other town has none;
    the town's internal office owes none."""
    base = import_file(TAOHUA).as_dict()["cells"]
    carried = dict(base)
    new_key = next(k for k in base if k.startswith("一、本年新收") and k.endswith("|自然人"))
    new_total = next(k for k in base if k.startswith("一、本年新收") and k.endswith("|总计"))
    in_key = next(k for k in base if k.startswith("二、上年结转") and k.endswith("|自然人"))
    in_total = next(k for k in base if k.startswith("二、上年结转") and k.endswith("|总计"))
    for key in (in_key, in_total):
        carried[key] += 1
    for key in (new_key, new_total):
        carried[key] -= 1
    town, department = agency_tree["town"], agency_tree["department"]
    department.publishes_annual_report = False
    department.save(update_fields=["publishes_annual_report"])
    _imported(town, 2024, base, people["supervisor"])
    _imported(town, 2025, carried, people["supervisor"])
    started = _start(
        django_capture_on_commit_callbacks,
        actor=people["supervisor"],
        agency=agency_tree["district"],
        year=2025,
    )
    assert started.status == CheckBatchStatus.DONE
    reports = {entry["agency"]: entry for entry in started.results["reports"]}
    assert set(reports) == {"六横镇人民政府", "桃花镇人民政府"}
    carry = [f for f in reports["六横镇人民政府"]["findings"] if f["code"] == "cross_year"]
    assert {(f["expected"], f["actual"]) for f in carry} == {(1, 2)}
    assert [f["code"] for f in reports["桃花镇人民政府"]["findings"]] == ["no_report"]
    assert reports["六横镇人民政府"]["cells"] == 199


# --- the pages -------------------------------------------------------------------------------


def test_supervisor_uploads_and_reads_the_results(
    client, agency_tree, people, upload, django_capture_on_commit_callbacks
):
    client.force_login(people["supervisor"])
    page = client.get(reverse("reports:check-list", args=["putuo"]))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:check-start", args=["putuo"]),
            {"archive": _file("年报.zip", upload)},
        )
    started = ReportCheckBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:check", args=["putuo", started.pk])
    detail = client.get(response["Location"])
    assert "Refresh" not in detail  # finished: no reloading
    html = detail.content.decode()
    assert DISAGREEING in html and "reports/broken.pdf" in html
    assert str(batch.STATUS_LABELS[batch.HAS_ERRORS]) in html
    download = client.get(reverse("reports:check-xlsx", args=["putuo", started.pk]))
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
    book = load_workbook(BytesIO(download.content))
    summary = book[_("Batch summary")]
    assert summary.max_row == 4
    assert {row[0] for row in summary.iter_rows(min_row=2, values_only=True)} == {
        DISAGREEING,
        None,  # the broken file: no agency
    }


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_hostile_zip_on_the_page_shows_the_chinese_refusal(client, agency_tree, people):
    client.force_login(people["supervisor"])
    response = client.post(
        reverse("reports:check-start", args=["putuo"]),
        {"archive": _file("bomb.zip", _bomb())},
        follow=True,
    )
    html = response.content.decode()
    assert "bomb.zip" in html and "压缩" in html
    assert not ReportCheckBatch.objects.exists()


def test_a_running_check_shows_progress_and_reloads(client, agency_tree, people, upload):
    started = services_batch.report_check_start(  # no commit callbacks run: still queued
        actor=people["supervisor"],
        agency=agency_tree["district"],
        upload_name="a.zip",
        upload=upload,
    )
    Task.objects.filter(pk=started.task_id).update(progress="已检查 1/3：x.docx")
    client.force_login(people["supervisor"])
    detail = client.get(reverse("reports:check", args=["putuo", started.pk]))
    assert detail["Refresh"] == "2"
    assert "已检查 1/3：x.docx" in detail.content.decode()
    assert client.get(reverse("reports:check-xlsx", args=["putuo", started.pk])).status_code == 404


def test_another_agency_cannot_see_a_batch(client, agency_tree, people, upload):
    started = services_batch.report_check_start(
        actor=people["supervisor"],
        agency=agency_tree["district"],
        upload_name="a.zip",
        upload=upload,
    )
    urls = [
        reverse("reports:check-list", args=["putuo"]),
        reverse("reports:check", args=["putuo", started.pk]),
        reverse("reports:check-xlsx", args=["putuo", started.pk]),
    ]
    # below (a town officer: reads its own town only), beside, and an editor of the district
    for user in (people["town_officer"], people["other_officer"], people["district_editor"]):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("reports:check-start", args=["putuo"])).status_code == 404
    # a batch of the district is not found under the town's pages either
    client.force_login(people["town_officer"])
    assert client.get(reverse("reports:check", args=["liuheng", started.pk])).status_code == 404
    from gongkai.reports.selectors import report_checks_visible_to

    assert not report_checks_visible_to(people["town_officer"]).exists()
    assert list(report_checks_visible_to(people["supervisor"])) == [started]


def test_batch_list_queries_are_pinned(
    client, agency_tree, people, upload, django_assert_max_num_queries
):
    district = agency_tree["district"]
    for index in range(3):
        services_batch.report_check_start(
            actor=people["supervisor"], agency=district, upload_name=f"{index}.zip", upload=upload
        )
    client.force_login(people["supervisor"])
    url = reverse("reports:check-list", args=["putuo"])
    client.get(url)  # the session, the roles cached
    with django_assert_max_num_queries(10) as few:
        assert client.get(url).status_code == 200
    for index in range(3, 10):
        services_batch.report_check_start(
            actor=people["supervisor"], agency=district, upload_name=f"{index}.zip", upload=upload
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 1 + 10


def test_the_report_list_links_to_the_check_for_those_who_may_run_it(client, agency_tree, people):
    url = reverse("reports:report-list", args=["putuo"])
    client.force_login(people["supervisor"])
    assert reverse("reports:check-list", args=["putuo"]) in client.get(url).content.decode()
    client.force_login(people["district_editor"])
    assert reverse("reports:check-list", args=["putuo"]) not in client.get(url).content.decode()


def test_a_failing_check_is_marked_failed(
    agency_tree, people, upload, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(batch, "check_sources", broken)
    started = _start(
        django_capture_on_commit_callbacks,
        actor=people["supervisor"],
        agency=agency_tree["district"],
        upload_name="a.zip",
        upload=upload,
    )
    assert started.status == CheckBatchStatus.FAILED
    assert started.error == _("The check failed; the administrators have the details.")
    assert started.results == {"reports": []}
    assert started.task.status == TaskStatus.FAILED and "disk gone" in started.task.error
    assert AuditEvent.objects.filter(verb="report.check_fail", object_id=str(started.pk)).exists()
