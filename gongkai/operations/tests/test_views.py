"""Staff pages: scoped (another agency is a 404), create/edit through the services, query
counts pinned; the dashboard's numbers link to the records behind them."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.operations import services
from gongkai.operations.models import (
    Complaint,
    ComplaintChannel,
    ComplaintStatus,
    Meeting,
    MeetingKind,
    OfficeYear,
    Platform,
    PostCount,
)
from gongkai.operations.views import KINDS

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def url(name, agency, **kwargs):
    return reverse(f"operations:{name}", kwargs={"agency": agency.slug, **kwargs})


@pytest.fixture
def filled(town, other_town):
    """A few records of every type in both towns."""
    for agency in (town, other_town):
        services.office_year_create(
            actor=None, agency=agency, year=2026, units=1, full_time_staff=1
        )
        services.fund_create(
            actor=None, agency=agency, year=2026, amount_wan=Decimal("2"), purpose="建设"
        )
        account = services.account_create(
            actor=None, agency=agency, platform=Platform.WEIBO, name=f"{agency.short_name}发布"
        )
        for n in range(3):
            services.meeting_create(
                actor=None,
                agency=agency,
                held_on=date(2026, 3, n + 1),
                title=f"会{n}",
                kind=MeetingKind.WORK,
            )
            services.training_create(
                actor=None,
                agency=agency,
                held_on=date(2026, 4, n + 1),
                title=f"训{n}",
                attendees=10,
            )
            services.complaint_create(
                actor=None,
                agency=agency,
                received_on=date(2026, 5, n + 1),
                channel=ComplaintChannel.PHONE,
                summary=f"投诉{n}",
                complainant="王小明",
            )
            services.post_count_record(
                actor=None,
                account=account,
                period_start=date(2026, n + 1, 1),
                period_end=date(2026, n + 1, 28),
                count=10 + n,
            )


@pytest.mark.parametrize("kind", list(KINDS))
def test_lists_are_scoped_and_query_counts_pinned(
    client, town, other_town, people, filled, kind, django_assert_max_num_queries
):
    client.force_login(people.officer)
    with django_assert_max_num_queries(12):
        response = client.get(url(f"{kind}-list", town))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows
    agency_of = (
        (lambda obj: obj.account.agency_id) if kind == "posts" else (lambda obj: obj.agency_id)
    )
    assert {agency_of(obj) for obj, _cells in rows} == {town.pk}
    assert client.get(url(f"{kind}-list", other_town)).status_code == 404


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_record_form_opens(client, town, people, filled, kind):
    client.force_login(people.officer)
    obj, _cells = client.get(url(f"{kind}-list", town)).context["rows"][0]
    assert client.get(url(f"{kind}-edit", town, pk=obj.pk)).status_code == 200
    assert client.get(url(f"{kind}-create", town)).status_code == 200


def test_personal_data_is_masked_in_the_complaint_list(client, town, people, filled):
    client.force_login(people.officer)
    body = client.get(url("complaints-list", town)).content.decode()
    assert "王小明" not in body and "王*明" in body


def test_an_editor_sees_no_operations(client, town, people, filled):
    client.force_login(people.editor)
    assert client.get(url("meetings-list", town)).status_code == 404
    assert client.get(url("dashboard", town)).status_code == 404


def test_another_agencys_record_is_a_404(client, town, other_town, people, filled):
    client.force_login(people.officer)
    foreign = Meeting.objects.filter(agency=other_town).first()
    assert client.get(url("meetings-edit", town, pk=foreign.pk)).status_code == 404
    assert client.get(url("meetings-edit", other_town, pk=foreign.pk)).status_code == 404


def test_create_and_edit_through_the_services(client, town, people):
    client.force_login(people.officer)
    response = client.post(
        url("office-create", town),
        {"year": 2026, "name": "党政办", "units": 1, "full_time_staff": 1, "part_time_staff": 2},
    )
    assert response.status_code == 302
    office = OfficeYear.objects.get(agency=town, year=2026)
    response = client.post(
        url("office-edit", town, pk=office.pk),
        {"name": "党政办", "units": 1, "full_time_staff": 2, "part_time_staff": 2},
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.full_time_staff == 2
    # The same year again: the service's error is shown on the form, nothing is written.
    response = client.post(
        url("office-create", town),
        {"year": 2026, "units": 1, "full_time_staff": 1, "part_time_staff": 0},
    )
    assert response.status_code == 400
    assert OfficeYear.objects.filter(agency=town).count() == 1


def test_a_supervisor_reads_but_cannot_write(client, town, people, filled):
    client.force_login(people.supervisor)
    assert client.get(url("meetings-list", town)).status_code == 200
    assert client.get(url("meetings-create", town)).status_code == 403
    meeting = Meeting.objects.filter(agency=town).first()
    response = client.post(
        url("meetings-edit", town, pk=meeting.pk),
        {"held_on": "2026-03-09", "title": "改", "kind": "work"},
    )
    assert response.status_code == 403


def test_complaint_move(client, town, people, filled):
    client.force_login(people.officer)
    complaint = Complaint.objects.filter(agency=town).first()
    response = client.post(
        url("complaints-move", town, pk=complaint.pk),
        {"move-to": "closed", "move-handling": "已回复", "move-on": "2026-06-01"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and complaint.closed_on == date(2026, 6, 1)


def test_post_import_page(client, town, people, filled):
    client.force_login(people.officer)
    bad = SimpleUploadedFile(
        "posts.csv", "账号名称,开始日期,结束日期,发布数\n没有,2026-05-01,2026-05-31,3\n".encode()
    )
    response = client.post(url("posts-import", town), {"file": bad})
    assert response.status_code == 400
    assert response.context["errors"][0]["row"] == 2
    before = PostCount.objects.count()
    good = SimpleUploadedFile(
        "posts.csv",
        "账号名称,开始日期,结束日期,发布数\n六横镇发布,2026-05-01,2026-05-31,3\n".encode(),
    )
    response = client.post(url("posts-import", town), {"file": good})
    # a preview: nothing recorded until the confirmation, which queues the task
    assert response.status_code == 200 and response.context["confirm_form"] is not None
    assert PostCount.objects.count() == before


def test_overview_shows_the_rows(client, town, people, filled):
    client.force_login(people.officer)
    response = client.get(url("overview", town) + "?year=2026")
    rows = {row.key: row.value for row in response.context["rows"]}
    assert rows["九.一"] == 3 and rows["九.三"] == 30 and rows["六"] == 3
    assert rows["八.三"] == Decimal("2")


def test_fees_page(client, town, people, make_fee):
    make_fee(town, 1100, date(2026, 3, 2))
    client.force_login(people.officer)
    response = client.get(url("fees", town) + "?year=2026")
    assert response.context["total_wan"] == Decimal("0.11")
    assert len(response.context["fees"]) == 1


# --- the dashboard -------------------------------------------------------------------------


@pytest.fixture
def published(town, make_member):
    """Two items published this year in two columns, one also on a Weibo channel."""
    from gongkai.catalogue import services as catalogue

    editor = make_member(town, Role.EDITOR, "dash-editor")
    reviewer = make_member(town, Role.REVIEWER, "dash-reviewer")
    news = catalogue.column_create(actor=None, agency=town, name="工作动态", column_type="news")
    notices = catalogue.column_create(
        actor=None, agency=town, name="通知公告", column_type="notice"
    )
    weibo = catalogue.channel_create(actor=None, agency=town, kind="weibo", name="六横发布")
    checks = catalogue.ReviewChecks(secrecy=True, privacy=True, wording=True)
    items = []
    traveller = time_machine.travel(NOON, tick=False)
    traveller.start()
    for column, title in ((news, "动态一"), (notices, "公告一"), (notices, "公告二")):
        item = catalogue.item_create(
            actor=editor,
            agency=town,
            column=column,
            title=title,
            formed_on=date(2026, 6, 1),
            genre="notice",
        )
        item = catalogue.item_submit(actor=editor, item=item)
        items.append(
            catalogue.item_approve(actor=reviewer, item=item, checks=checks, publish_now=True)
        )
    catalogue.publication_record(
        actor=editor, item=items[0], channel=weibo, published_on=date(2026, 6, 15)
    )
    traveller.stop()
    return {"news": news, "notices": notices}


def _numbers(response):
    return {
        (card.key, number.key): number
        for card in response.context["d"].cards
        for number in card.numbers
    }


def test_dashboard_numbers_link_to_their_records(
    client, town, other_town, people, filled, published, django_assert_max_num_queries
):
    traveller = time_machine.travel(NOON, tick=False)
    traveller.start()
    client.force_login(people.officer)
    # 26, + 3 for the annual report card (its report, an imported report, the deadlines)
    with django_assert_max_num_queries(29):
        response = client.get(url("dashboard", town))
    assert response.status_code == 200
    numbers = _numbers(response)
    column = numbers[("columns", f"column-{published['notices'].pk}")]
    assert column.value == 2
    assert f"column={published['notices'].pk}" in column.url and "status=published" in column.url
    assert numbers[("channels", "weibo")].value == 1
    open_complaints = numbers[("operations", "complaints_open")]
    assert open_complaints.value == 3
    assert open_complaints.url == url("complaints-list", town) + "?status=open"
    # Following the link lists exactly the records counted.
    listed = client.get(open_complaints.url).context["rows"]
    assert len(listed) == 3
    posts = numbers[("operations", "posts")]
    assert posts.value == 33
    page = client.get(posts.url)
    assert sum(obj.count for obj, _cells in page.context["rows"]) == 33
    body = response.content.decode()
    for number in numbers.values():
        if number.url:
            assert f'href="{number.url.replace("&", "&amp;")}"' in body
    traveller.stop()


def test_dashboard_applications_card(client, town, people, make_fee):
    from gongkai.applications.models import Application

    fee = make_fee(town, 100, date(2026, 3, 1))
    Application.objects.filter(pk=fee.application_id).update(
        status="processing", flag="overdue", received_on=date(2026, 2, 27)
    )
    with time_machine.travel(NOON, tick=False):
        client.force_login(people.officer)
        numbers = _numbers(client.get(url("dashboard", town)))
    overdue = numbers[("applications", "overdue")]
    assert overdue.value == 1
    assert "flag=overdue" in overdue.url and overdue.url.startswith(
        reverse("applications:queue", kwargs={"agency": town.slug})
    )
    assert numbers[("applications", "open")].value == 1
    assert numbers[("applications", "processing")].value == 1


def test_dashboard_is_scoped(client, town, other_town, people, filled):
    client.force_login(people.officer)
    assert client.get(url("dashboard", other_town)).status_code == 404
    client.force_login(people.supervisor)
    response = client.get(url("dashboard", other_town))
    assert response.status_code == 200
    assert response.context["d"].agency == other_town


def test_staff_home_links_to_the_dashboard(client, town, people):
    client.force_login(people.officer)
    body = client.get(reverse("core:staff-home")).content.decode()
    assert url("dashboard", town) in body
    client.force_login(people.editor)
    body = client.get(reverse("core:staff-home")).content.decode()
    assert url("dashboard", town) not in body
    assert re.search("operations-links", body) is None


def test_dashboard_cards_of_the_other_apps_link_to_working_lists(client, town, people):
    with time_machine.travel(NOON, tick=False):
        client.force_login(people.officer)
        response = client.get(url("dashboard", town))
        cards = {card.key: card for card in response.context["d"].cards}
        assert {"columns", "channels", "applications", "operations"} <= set(cards)
        assert response.context["d"].left_out == [] or not {"engagement", "matters"} <= set(cards)
        for key in ("engagement", "matters"):
            for number in cards[key].numbers if key in cards else []:
                assert number.url and client.get(number.url).status_code == 200, number
