"""Issue 17 (3): the queue searches by number, name or phone, filters by state and handler,
sorts by whitelisted column keys with a pinned number of queries; the application page puts
the next legal step first and folds the rest; names in the log read as written (陈公开)."""

from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from gongkai.applications import services
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.applications.tests.conftest import person
from gongkai.core.models import Role

pytestmark = pytest.mark.django_db

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=CST)  # a Monday


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def in_person(office, **overrides) -> Application:
    return services.application_submit(
        agency=office["agency"],
        data=person(**overrides),
        channel="in_person",
        actor=office["officer"],
    ).application


def queue_numbers(client, user, agency, query: str = "") -> list[str]:
    client.force_login(user)
    response = client.get(reverse("applications:queue", args=[agency.slug]) + query)
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.content)
    return [
        row.get("data-number")
        for row in tree.xpath("//table[contains(@class, 'applications')]//tr[@data-number]")
    ]


def test_search_by_number_name_and_phone_as_written(client, office):
    wang = in_person(office, applicant_name="王小明", phone="13800138000")
    chen = in_person(office, applicant_name="陈晓燕", phone="0580-6081234")
    officer, agency = office["officer"], office["agency"]
    assert queue_numbers(client, officer, agency, "?q=晓燕") == [chen.number]
    assert queue_numbers(client, officer, agency, f"?q={wang.number}") == [wang.number]
    # the phone matches whatever spaces or dashes either side wrote
    assert queue_numbers(client, officer, agency, "?q=138+0013+8000") == [wang.number]
    assert queue_numbers(client, officer, agency, "?q=0580608") == [chen.number]
    assert queue_numbers(client, officer, agency, "?q=8000") == [wang.number]


def test_the_list_masks_the_phone_and_only_the_office_searches_by_it(client, office, make_member):
    wang = in_person(office, phone="13800138000")
    client.force_login(office["officer"])
    page = client.get(reverse("applications:queue", args=[office["agency"].slug]))
    assert b"138****8000" in page.content and b"13800138000" not in page.content
    # the agency administrator sees phones masked: a phone search must not confirm a number
    admin = make_member(office["agency"], Role.AGENCY_ADMIN)
    assert queue_numbers(client, admin, office["agency"], "?q=13800138000") == []
    assert queue_numbers(client, admin, office["agency"], "?q=王小明") == [wang.number]


def test_filter_by_handler_and_unassigned(client, office):
    officer, head = office["officer"], office["head"]
    mine = in_person(office)
    theirs = in_person(office)
    nobody = in_person(office)
    services.application_assign(actor=officer, application=mine, handler=officer)
    services.application_assign(actor=officer, application=theirs, handler=head)
    agency = office["agency"]
    assert queue_numbers(client, officer, agency, f"?handler={head.pk}") == [theirs.number]
    assert queue_numbers(client, officer, agency, "?handler=none") == [nobody.number]
    assert queue_numbers(client, officer, agency, "?status=all&handler=none") == [nobody.number]


def test_sorts_by_whitelisted_keys_only(client, office, frozen):
    officer, agency = office["officer"], office["agency"]
    first = in_person(office, applicant_name="赵一")
    frozen.move_to(NOW + timedelta(days=1), tick=False)
    second = in_person(office, applicant_name="安二")
    client.force_login(officer)
    assert queue_numbers(client, officer, agency, "?sort=submitted") == [
        first.number,
        second.number,
    ]
    assert queue_numbers(client, officer, agency, "?sort=-submitted") == [
        second.number,
        first.number,
    ]
    by_name = queue_numbers(client, officer, agency, "?sort=applicant")
    assert by_name == sorted(
        by_name, key=lambda n: {first.number: "赵一", second.number: "安二"}[n]
    )
    # anything else in ?sort= is refused by the form: no order_by() from the query string
    assert queue_numbers(client, officer, agency, "?sort=query_code_hash") == queue_numbers(
        client, officer, agency
    )
    # the header links carry the reversed sort and aria-sort says which way it runs
    page = client.get(reverse("applications:queue", args=[agency.slug]) + "?sort=due")
    tree = lxml_html.fromstring(page.content)
    due = tree.xpath("//th[contains(@class, 'col-due')]")[0]
    assert due.get("aria-sort") == "ascending"
    assert "sort=-due" in due.xpath(".//a")[0].get("href")


def test_queue_queries_are_pinned_with_search_sort_and_filters(
    client, office, django_assert_max_num_queries
):
    officer = office["officer"]
    path = reverse("applications:queue", args=[office["agency"].slug])
    query = f"?q=1380013&sort=-handler&handler={officer.pk}&status=all"
    client.force_login(officer)

    def queries(rows: int) -> int:
        for n in range(rows):
            app = in_person(office, applicant_name=f"王{n}", phone=f"1380013{n:04d}")
            services.application_assign(actor=officer, application=app, handler=officer)
        client.get(path + query)  # warm the session and the calendar cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path + query).status_code == 200
        return len(captured)

    few = queries(2)
    assert queries(10) == few  # the same with 12 rows as with 2
    with django_assert_max_num_queries(18):
        client.get(path + query)


def _detail(client, user, app):
    client.force_login(user)
    response = client.get(reverse("applications:detail", args=[app.agency.slug, app.pk]))
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def test_the_next_legal_step_comes_first_and_the_rest_is_folded(client, office):
    officer = office["officer"]
    online = services.application_submit(agency=office["agency"], data=person()).application
    tree = _detail(client, officer, online)
    step = tree.xpath("//*[@data-next-step]")[0]
    assert step.get("data-next-step") == "confirm_receipt"
    assert step.xpath(".//form[@id='action-confirm_receipt']")
    folded = tree.xpath("//details[contains(@class, 'more-actions')]")[0]
    assert folded.get("open") is None  # folded
    assert folded.xpath(".//form[@id='action-withdraw']")
    assert not folded.xpath(".//form[@id='action-confirm_receipt']")  # never twice

    received = in_person(office)  # registered in person: received, the reply is next
    tree = _detail(client, officer, received)
    assert tree.xpath("//*[@data-next-step]")[0].get("data-next-step") == "reply"
    folded = tree.xpath("//details[contains(@class, 'more-actions')]")[0]
    assert folded.xpath(".//form[@id='action-request_correction']")
    assert folded.xpath(".//form[@id='action-fee_notify']")


def test_a_refused_folded_action_opens_the_fold(client, office):
    app = in_person(office)
    client.force_login(office["officer"])
    url = reverse("applications:action", args=[app.agency.slug, app.pk, "request_correction"])
    response = client.post(url, {"request_correction-items": ""})
    assert response.status_code == 400
    tree = lxml_html.fromstring(response.content)
    assert tree.xpath("//details[contains(@class, 'more-actions')]")[0].get("open") is not None


def test_names_in_the_log_read_as_written(client, office):
    officer = office["officer"]
    officer.last_name, officer.first_name = "陈", "公开"
    officer.save()
    assert officer.get_full_name() == "陈公开"
    app = in_person(office)
    services.application_assign(actor=officer, application=app, handler=officer)
    event = ApplicationEvent.objects.filter(application=app).order_by("-id").first()
    assert "陈公开" in event.text and "公开 陈" not in event.text
    tree = _detail(client, officer, app)
    timeline = tree.xpath("//section[@aria-labelledby='timeline-title']")[0].text_content()
    assert "陈公开" in timeline and "公开 陈" not in timeline


def test_latin_names_keep_their_order(office):
    officer = office["officer"]
    officer.last_name, officer.first_name = "Smith", "Anna"
    assert officer.get_full_name() == "Anna Smith"
