"""我为政府网站找错: the public form, reference numbers and check codes, honeypot, rate limit,
the staff queue and workflow, the reporter reading the reply, counts and tenancy."""

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.core.models import AuditEvent
from gongkai.engagement import selectors, services
from gongkai.engagement.models import ErrorReport
from gongkai.engagement.taxonomy import ErrorOutcome, ErrorStatus, ErrorType

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-06-30 10:00 +0800", tick=False) as traveller:
        yield traveller


def submit(agency, ip="203.0.113.7", **fields):
    fields.setdefault("error_type", ErrorType.LINK)
    fields.setdefault("description", "附件链接打不开")
    return services.error_report_submit(agency=agency, ip=ip, **fields)


# --- services ----------------------------------------------------------------------------


def test_reference_numbers_are_gap_free_per_agency_and_year(town, other_town, frozen):
    first = submit(town, ip="198.51.100.1")
    second = submit(town, ip="198.51.100.2")
    theirs = submit(other_town, ip="198.51.100.3")
    assert [first.report.reference, second.report.reference] == ["ZC-2026-0001", "ZC-2026-0002"]
    assert theirs.report.reference == "ZC-2026-0001"
    frozen.move_to("2027-01-04 09:00 +0800")
    assert submit(town, ip="198.51.100.4").report.reference == "ZC-2027-0001"


def test_check_code_is_stored_hashed(town):
    submitted = submit(town)
    code = submitted.check_code
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code)
    report = submitted.report
    assert code not in report.check_code_hash
    assert services.check_code_matches(report, code)
    assert services.check_code_matches(report, code.lower())
    assert not services.check_code_matches(report, "AAAAAAAA")


def test_honeypot_decoy_saves_nothing_and_is_recorded(town):
    """A robot is answered like a person (gongkai.core.intake), never told it was caught."""
    decoy = services.error_report_decoy(agency=town, ip="203.0.113.7")
    assert re.fullmatch(r"ZC-2026-\d{4}", decoy.number)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", decoy.code)
    assert not ErrorReport.objects.exists()
    event = AuditEvent.objects.get(verb="intake.decoy")
    assert event.agency == town and event.after["form"] == "engagement.errorreport"
    assert "203.0.113.7" not in str(event.after)


def test_rate_limit_per_network(town, other_town, frozen):
    for _ in range(services.REPORTS_PER_IP_PER_HOUR):
        submit(town)
    with pytest.raises(services.RateLimited):
        submit(other_town)  # the limit is per network, whatever the agency
    submit(town, ip="203.0.113.99")  # another network is not affected
    frozen.shift(3601)
    submit(town)  # an hour later it opens again
    assert ErrorReport.objects.count() == services.REPORTS_PER_IP_PER_HOUR + 2


def test_same_token_twice_gives_the_first_report(town):
    first = submit(town, submission_token="t-1")
    again = submit(town, submission_token="t-1")
    assert again.report == first.report and not again.created and again.check_code == ""
    assert ErrorReport.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"description": " "}, "description"),
        ({"error_type": "nonsense"}, "error_type"),
        ({"page_url": "javascript:alert(1)"}, "page_url"),
        ({"description": "x" * 2001}, "description"),
    ],
)
def test_bad_input_is_refused_with_the_field(town, fields, field):
    with pytest.raises(ValidationError) as info:
        submit(town, **fields)
    assert field in info.value.message_dict
    assert not ErrorReport.objects.exists()


def test_audit_masks_the_contact(town):
    submit(town, contact=MOBILE, description=f"请回电 {MOBILE}")
    event = AuditEvent.objects.get(verb="error_report.submit")
    assert MOBILE not in str(event.after)
    assert event.after["contact"] == "139****5678"


def test_workflow_assign_reply_close(town, people):
    report = submit(town).report
    services.error_report_assign(actor=people.officer, report=report, assignee=people.editor)
    report.refresh_from_db()
    assert (report.status, report.assignee) == (ErrorStatus.ASSIGNED, people.editor)
    services.error_report_reply(actor=people.editor, report=report, reply="已修复，感谢指正。")
    with pytest.raises(services.WorkflowError):
        services.error_report_assign(actor=people.officer, report=report, assignee=people.editor)
    services.error_report_close(
        actor=people.officer, report=report, outcome=ErrorOutcome.FIXED, closed_on=date(2026, 6, 30)
    )
    report.refresh_from_db()
    assert (report.status, report.outcome) == (ErrorStatus.CLOSED, ErrorOutcome.FIXED)
    verbs = list(
        AuditEvent.objects.filter(object_type="engagement.errorreport", object_id=str(report.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "error_report.submit",
        "error_report.assign",
        "error_report.reply",
        "error_report.close",
    ]


def test_cannot_close_before_reply_nor_assign_an_outsider(town, people):
    report = submit(town).report
    with pytest.raises(services.WorkflowError):
        services.error_report_close(actor=people.officer, report=report, outcome="fixed")
    with pytest.raises(ValidationError):
        services.error_report_assign(actor=people.officer, report=report, assignee=people.outsider)
    with pytest.raises(PermissionDenied):
        services.error_report_reply(actor=people.outsider, report=report, reply="x")
    with pytest.raises(PermissionDenied):
        services.error_report_reply(actor=people.supervisor, report=report, reply="x")


def test_rework_after_reply(town, people):
    report = submit(town).report
    services.error_report_reply(actor=people.officer, report=report, reply="初步答复")
    services.error_report_rework(actor=people.officer, report=report)
    report.refresh_from_db()
    assert report.status == ErrorStatus.ASSIGNED and report.assignee == people.officer


def test_counts(town, other_town, people):
    fixed = submit(town, ip="1.1.1.1").report
    services.error_report_reply(actor=None, report=fixed, reply="已更正")
    services.error_report_close(actor=None, report=fixed, outcome=ErrorOutcome.FIXED)
    no_error = submit(town, ip="1.1.1.2").report
    services.error_report_reply(actor=None, report=no_error, reply="经核实无误")
    services.error_report_close(actor=None, report=no_error, outcome=ErrorOutcome.NO_ERROR)
    submit(town, ip="1.1.1.3")
    submit(other_town, ip="1.1.1.4")
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert selectors.error_reports_received(town, *year) == 3
    assert selectors.error_reports_resolved(town, *year) == 1
    assert selectors.error_reports_open(town) == 1


def test_masked_contact():
    assert services.masked_contact(MOBILE) == "139****5678"
    assert services.masked_contact("li.demo@example.cn") == "l***@example.cn"
    assert services.masked_contact("QQ 12345") == "Q******5"
    assert services.masked_contact("") == ""


# --- the public pages ----------------------------------------------------------------------


def form_url(agency="liuheng"):
    return reverse("portal:report-error", kwargs={"agency": agency})


def status_url(agency="liuheng"):
    return reverse("portal:report-error-status", kwargs={"agency": agency})


def token_of(response) -> str:
    return re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode()).group(1)


def post_report(client, agency="liuheng", **fields):
    page = client.get(form_url(agency))
    data = {
        "page_url": "http://testserver/gk/liuheng/items/1/",
        "error_type": "typo",
        "description": "第二段“部暑”应为“部署”",
        "contact": MOBILE,
        "website": "",
        "token": token_of(page),
        **fields,
    }
    return client.post(form_url(agency), data, REMOTE_ADDR="192.0.2.10")


def test_form_prefills_the_page_from_query_or_referer(town):
    client = Client()
    response = client.get(form_url() + "?page=/gk/liuheng/catalogue/")
    assert 'value="http://testserver/gk/liuheng/catalogue/"' in response.content.decode()
    response = client.get(form_url(), HTTP_REFERER="http://testserver/gk/liuheng/guide/")
    assert 'value="http://testserver/gk/liuheng/guide/"' in response.content.decode()
    response = client.get(form_url(), HTTP_REFERER="http://evil.example/page")
    assert "evil.example" not in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_unknown_agency_is_404(town):
    assert Client().get(form_url("nowhere")).status_code == 404


def test_public_flow_submit_reply_read(town, people):
    visitor = Client()
    response = post_report(visitor)
    assert response.status_code == 200
    page = response.content.decode()
    reference = re.search(r"data-reference>([^<]+)<", page).group(1)
    code = re.search(r"data-check-code>([^<]+)<", page).group(1)
    assert reference == "ZC-2026-0001"

    # Before the reply: the status, no reply yet.
    response = visitor.post(status_url(), {"reference": reference, "code": code})
    assert response.status_code == 200
    assert 'data-status="submitted"' in response.content.decode()

    staff = Client()
    staff.force_login(people.officer)
    report = ErrorReport.objects.get()
    detail = reverse("engagement:error-detail", args=["liuheng", report.pk])
    assert (
        staff.post(detail + "reply/", {"reply": "错别字已更正，感谢您的指正。"}).status_code == 302
    )
    assert (
        staff.post(detail + "close/", {"outcome": "fixed", "closed_on": "2026-06-30"}).status_code
        == 302
    )

    response = visitor.post(status_url(), {"reference": reference.lower(), "code": code})
    page = response.content.decode()
    assert "错别字已更正，感谢您的指正。" in page and 'data-status="closed"' in page


def test_wrong_code_or_other_agency_reads_nothing(town, other_town, people):
    submitted = submit(town)
    services.error_report_reply(actor=None, report=submitted.report, reply="秘密答复")
    visitor = Client()
    wrong = visitor.post(status_url(), {"reference": "ZC-2026-0001", "code": "AAAAAAAA"})
    assert wrong.status_code == 400 and "秘密答复" not in wrong.content.decode()
    elsewhere = visitor.post(
        status_url("taohua"), {"reference": "ZC-2026-0001", "code": submitted.check_code}
    )
    assert elsewhere.status_code == 400 and "秘密答复" not in elsewhere.content.decode()


def test_honeypot_and_rate_limit_through_the_form(town):
    visitor = Client()
    decoy = post_report(visitor, website="http://spam.example")
    assert decoy.status_code == 200  # the same answer as a person's report
    assert re.search(r"data-reference>ZC-2026-\d{4}<", decoy.content.decode())
    assert re.search(r"data-check-code>[A-HJ-NP-Z2-9]{8}<", decoy.content.decode())
    assert not ErrorReport.objects.exists()
    assert AuditEvent.objects.filter(verb="intake.decoy").count() == 1
    for _ in range(services.REPORTS_PER_IP_PER_HOUR):
        assert post_report(visitor).status_code == 200
    assert post_report(visitor).status_code == 429
    assert ErrorReport.objects.count() == services.REPORTS_PER_IP_PER_HOUR


def test_status_lookups_are_refused_after_repeated_failures(town, frozen):
    """Finding 7 of issue 13: the 找错 status look-up was not limited, so a check code could be
    guessed. Now, as for applications, failures from one network close it for an hour."""
    submitted = submit(town)
    reference = submitted.report.reference
    visitor = Client()

    def look_up(code, address="192.0.2.20"):
        return visitor.post(
            status_url(), {"reference": reference, "code": code}, REMOTE_ADDR=address
        )

    for _ in range(services.LOOKUP_FAILURES_PER_HOUR):
        assert look_up("AAAAAAAA").status_code == 400
    refused = look_up(submitted.check_code)  # even the right code
    assert refused.status_code == 429
    assert 'data-status="submitted"' not in refused.content.decode()
    assert look_up(submitted.check_code, address="192.0.2.21").status_code == 200
    frozen.shift(3601)
    assert look_up(submitted.check_code).status_code == 200


def test_resubmitting_the_same_form_creates_one_report(town):
    visitor = Client()
    page = visitor.get(form_url())
    data = {"error_type": "link", "description": "链接错误", "token": token_of(page)}
    visitor.post(form_url(), data)
    again = visitor.post(form_url(), data)
    assert "ZC-2026-0001" in again.content.decode()
    assert ErrorReport.objects.count() == 1


def test_footer_links_the_form(town):
    from gongkai.core.sites import site_for

    assert site_for(town).report_error_url == form_url()


# --- the staff queue -----------------------------------------------------------------------


def test_staff_queue_masks_contacts_and_is_scoped(
    town, other_town, people, django_assert_max_num_queries
):
    for n in range(12):
        submit(town, ip=f"10.0.0.{n}", contact=f"1391234{n:04d}")
    submit(other_town, ip="10.0.1.1", description="桃花镇的问题")
    staff = Client()
    staff.force_login(people.officer)
    url = reverse("engagement:error-list", args=["liuheng"])
    with django_assert_max_num_queries(12):
        response = staff.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "139****0000" in page and "13912340000" not in page
    assert "ZC-2026-0012" in page
    outsider = Client()
    outsider.force_login(people.outsider)
    assert outsider.get(url).status_code == 404
    report = ErrorReport.objects.filter(agency=town).first()
    detail = reverse("engagement:error-detail", args=["liuheng", report.pk])
    assert outsider.get(detail).status_code == 404
    other_report = ErrorReport.objects.get(agency=other_town)
    assert (
        staff.get(reverse("engagement:error-detail", args=["liuheng", other_report.pk])).status_code
        == 404
    )


def test_staff_assign_through_the_page(town, people):
    report = submit(town).report
    staff = Client()
    staff.force_login(people.officer)
    detail = reverse("engagement:error-detail", args=["liuheng", report.pk])
    page = staff.get(detail)
    assert page.status_code == 200
    assert staff.post(detail + "assign/", {"assignee": people.editor.pk}).status_code == 302
    report.refresh_from_db()
    assert report.assignee == people.editor
    # A reviewer may read the queue but not act.
    reviewer = Client()
    reviewer.force_login(people.reviewer)
    assert reviewer.post(detail + "reply/", {"reply": "x"}).status_code == 403
