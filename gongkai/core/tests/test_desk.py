"""The desk (工作台): each app's to-do card counts its rows for the user's roles and agencies
only, and links to a list that shows exactly those rows; the side menu and breadcrumbs."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext, override

from gongkai.applications.models import Application
from gongkai.catalogue.models import ItemReview, ItemStatus
from gongkai.catalogue.tests.factories import ColumnFactory, ItemFactory
from gongkai.core import desk
from gongkai.core.models import CalendarYear, Role
from gongkai.engagement.models import ErrorReport, Incident
from gongkai.reports.desk import missing_entries
from gongkai.reports.models import ReportEntry

TZ = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 6, 15, 12, 0, tzinfo=TZ)  # a Monday in a seeded year
HOME = reverse("core:staff-home")


def at(moment=NOON):
    return time_machine.travel(moment, tick=False)


def make_application(agency, n: int, **fields) -> Application:
    defaults = dict(
        agency=agency,
        number=f"D{agency.pk}-{n:04d}",
        year=2026,
        channel="in_person",
        applicant_type="natural_person",
        applicant_name="王小明",
        id_type="resident_id",
        id_number="330902199001011238",
        phone="13800138000",
        information="测试",
        delivery="email",
        status="processing",
    )
    return Application.objects.create(**{**defaults, **fields})


@pytest.fixture
def two_towns(agency_tree, make_member):
    """The same work waiting at the town and at the other town: only the user's is counted."""
    town, other = agency_tree["town"], agency_tree["other_town"]
    for agency in (town, other):
        n = iter(range(100))
        make_application(agency, next(n), flag="overdue")
        make_application(agency, next(n), flag="overdue")
        make_application(agency, next(n), flag="near_due")
        make_application(agency, next(n), status="registered")
        make_application(agency, next(n), status="correction")
        make_application(agency, next(n), status="concluded", flag="overdue")  # closed: not due
        for serial, status in enumerate(("submitted", "assigned", "assigned", "closed"), 1):
            ErrorReport.objects.create(
                agency=agency,
                reference=f"ZC{agency.pk}-{serial}",
                year=2026,
                serial=serial,
                error_type="typo",
                description="错别字",
                status=status,
            )
        for topic, status in (("海塘", "open"), ("渔船", "responded")):
            Incident.objects.create(
                agency=agency,
                topic=topic,
                source="weibo",
                first_seen_on=date(2026, 6, 1),
                status=status,
            )
    return town, other


def task_of(user, card: str, key: str, agency=None, *, today=date(2026, 6, 15)) -> desk.Task:
    found = desk.build_desk(user, today=today).task(card, key, agency)
    assert found is not None, (card, key)
    return found


# --- the registry ---------------------------------------------------------------------------


def test_every_app_declares_its_cards_and_section():
    cards = {spec.key for spec in desk.todo_cards()}
    assert {"calendar", "applications", "catalogue", "engagement", "annual_report"} <= cards
    namespaces = {section.namespace for section in desk.sections()}
    assert {"catalogue", "applications", "engagement", "matters", "reports", "operations"} <= (
        namespaces
    )
    dashboard = [spec.key for spec in desk.dashboard_cards()]
    # the dashboard's order: what the catalogue and the applications did first, the report last
    # of the original cards (an app may add its own after it)
    assert dashboard[:2] == ["catalogue", "applications"]
    assert dashboard.index("operations") < dashboard.index("annual_report")


def test_the_dashboard_reaches_no_app_through_importlib():
    from pathlib import Path

    source = (Path(desk.__file__).parent.parent / "operations" / "dashboard.py").read_text()
    assert "importlib" not in source and "getattr(" not in source


# --- applications ---------------------------------------------------------------------------


def test_application_tasks_count_the_user_s_agency_only(two_towns, make_member, client):
    town, other = two_towns
    officer = make_member(town, Role.OFFICER)
    with at():
        counts = {
            key: task_of(officer, "applications", key, town).count
            for key in ("overdue", "near_due", "registered", "correction")
        }
        assert counts == {"overdue": 2, "near_due": 1, "registered": 1, "correction": 1}
        # the link opens the queue showing exactly those rows
        client.force_login(officer)
        for key, count in counts.items():
            url = task_of(officer, "applications", key, town).url
            response = client.get(url)
            assert response.status_code == 200
            assert response.context["page"].paginator.count == count, key
    assert (
        desk.build_desk(officer, today=date(2026, 6, 15)).task("applications", "overdue", other)
        is None
    )


def test_application_tasks_are_for_the_office_that_handles_them(two_towns, make_member):
    town, _other = two_towns
    editor = make_member(town, Role.EDITOR)
    admin = make_member(town, Role.AGENCY_ADMIN)  # reads applications, does not handle them
    with at():
        assert (
            desk.build_desk(editor, today=date(2026, 6, 15)).task("applications", "overdue") is None
        )
        assert (
            desk.build_desk(admin, today=date(2026, 6, 15)).task("applications", "overdue") is None
        )


# --- catalogue ------------------------------------------------------------------------------


@pytest.fixture
def items(agency_tree, make_member):
    town, other = agency_tree["town"], agency_tree["other_town"]
    author = make_member(town, Role.EDITOR, "author")
    reviewer = make_member(town, Role.REVIEWER, "reviewer")
    made = {}
    for agency in (town, other):
        column = ColumnFactory(agency=agency)
        # formed in March: far past the 20 working days by June
        made[agency.slug, "old"] = ItemFactory(
            column=column, created_by=author, formed_on=date(2026, 3, 2)
        )
        made[agency.slug, "fresh"] = ItemFactory(
            column=column, created_by=author, formed_on=date(2026, 6, 12)
        )
        pending = ItemFactory(
            column=column,
            created_by=author,
            status=ItemStatus.PENDING,
            formed_on=date(2026, 6, 12),
            submitted_by=author,
        )
        made[agency.slug, "pending"] = pending
        returned = made[agency.slug, "fresh"]
        ItemReview.objects.create(
            item=returned, reviewer=reviewer, decision=ItemReview.Decision.REJECT, comment="改"
        )
    return town, other, author, reviewer


def test_catalogue_tasks(items, client):
    town, other, author, reviewer = items
    with at():
        overdue = task_of(author, "catalogue", "overdue", town)
        assert overdue.count == 1 and overdue.level == desk.OVERDUE
        assert overdue.url == reverse("catalogue:overdue", kwargs={"agency": town.slug})
        returned = task_of(author, "catalogue", "returned", town)
        assert returned.count == 1
        review = task_of(reviewer, "catalogue", "review", town)
        assert review.count == 1
        # the editor reviews nothing; the reviewer writes nothing
        assert desk.build_desk(author, today=date(2026, 6, 15)).task("catalogue", "review") is None
        assert (
            desk.build_desk(reviewer, today=date(2026, 6, 15)).task("catalogue", "returned") is None
        )
        client.force_login(author)
        listed = client.get(returned.url).context["page"]
        assert [item.pk for item in listed] == [items_fresh_pk(town)]
        assert len(client.get(overdue.url).context["rows"]) == 1
        client.force_login(reviewer)
        assert client.get(review.url).context["page"].paginator.count == 1


def items_fresh_pk(town):
    from gongkai.catalogue.models import Item

    return Item.objects.get(agency=town, formed_on=date(2026, 6, 12), status="draft").pk


# --- engagement -----------------------------------------------------------------------------


def test_engagement_tasks(two_towns, make_member, client):
    town, _other = two_towns
    officer = make_member(town, Role.OFFICER)
    with at():
        submitted = task_of(officer, "engagement", "errors_submitted", town)
        assigned = task_of(officer, "engagement", "errors_assigned", town)
        incidents = task_of(officer, "engagement", "incidents_open", town)
        assert (submitted.count, assigned.count, incidents.count) == (1, 2, 1)
        client.force_login(officer)
        for task in (submitted, assigned, incidents):
            assert client.get(task.url).context["page"].paginator.count == task.count, task.key


# --- annual report --------------------------------------------------------------------------


def test_report_task_names_the_deadline_and_the_missing_cells(town, make_member):
    officer = make_member(town, Role.OFFICER)
    with at(datetime(2026, 1, 20, 9, 0, tzinfo=TZ)):
        report = task_of(officer, "annual_report", "report", town, today=date(2026, 1, 20))
        missing = task_of(
            officer, "annual_report", "missing_entries", town, today=date(2026, 1, 20)
        )
    assert report.level == desk.SOON and "2026-01-31" in report.note
    assert report.url == reverse("reports:report", kwargs={"agency": town.slug, "year": 2025})
    assert missing.count == missing_entries(town, 2025) > 0
    assert missing.url.endswith("#entries")
    ReportEntry.objects.create(
        agency=town,
        year=2025,
        format="2021",
        cell_key=_first_entered_cell(),
        value=3,
        entered_by=officer,
    )
    with at(datetime(2026, 2, 2, 9, 0, tzinfo=TZ)):
        late = task_of(officer, "annual_report", "report", town, today=date(2026, 2, 2))
        fewer = task_of(officer, "annual_report", "missing_entries", town, today=date(2026, 2, 2))
    assert late.level == desk.OVERDUE
    assert fewer.count == missing.count - 1


def _first_entered_cell() -> str:
    from gongkai.reports.formats import get

    fmt = get("2021")
    row = fmt.entered_rows()[0]
    return fmt.cells_of(row)[0][1]


# --- the calendar ---------------------------------------------------------------------------


def test_next_year_missing_is_on_every_desk_from_november(town, make_member):
    CalendarYear.objects.filter(year=2027).delete()
    officer = make_member(town, Role.OFFICER)
    assert (
        desk.build_desk(officer, today=date(2026, 10, 31)).task("calendar", "next_year_missing")
        is None
    )
    task = desk.build_desk(officer, today=date(2026, 11, 2)).task("calendar", "next_year_missing")
    assert task is not None and task.note == "2027"
    assert task.url == reverse("core:calendar") + "#notice"


# --- the page -------------------------------------------------------------------------------


@pytest.mark.parametrize("crowded", [False, True], ids=["small", "crowded"])
def test_desk_query_count(
    client, two_towns, items, make_member, django_assert_max_num_queries, crowded
):
    town, other = two_towns[0], two_towns[1]
    officer = make_member(town, Role.OFFICER, "desk-officer")
    if crowded:  # more work waiting, at the user's agency and elsewhere: the same queries
        for n in range(200, 230):
            make_application(town, n, flag="overdue")
            make_application(other, n, flag="near_due")
    CalendarYear.objects.filter(year=2027).delete()
    with at(datetime(2026, 12, 7, 9, 0, tzinfo=TZ)):
        client.force_login(officer)
        client.get(HOME)  # the calendar cache is warm, as it is on a running server
        # 25 whatever the rows: session and user (2), the memberships (1, read once for the
        # request by the staff check, the role checks, the side menu and every card's scoped
        # selector: core/memo.py), the calendar (3), each card's counts (1-3 each), the staff
        # home's agency lists
        with django_assert_max_num_queries(25):
            response = client.get(HOME)
    assert response.status_code == 200
    body = response.content.decode()
    overdue = response.context["desk"].task("applications", "overdue", town)
    assert overdue.count == (32 if crowded else 2)
    assert f'href="{overdue.url.replace("&", "&amp;")}"' in body


def test_desk_page_shows_the_counts_with_their_links(client, two_towns, make_member):
    town, _other = two_towns
    officer = make_member(town, Role.OFFICER)
    with at():
        client.force_login(officer)
        body = client.get(HOME).content.decode()
    card = re.search(r'data-card="applications".*?</section>', body, re.S).group(0)
    assert re.search(
        r'data-task="overdue"><a href="[^"]*flag=overdue[^"]*"><span class="count">2<', card
    )


# --- side menu and breadcrumbs --------------------------------------------------------------


def test_side_menu_lists_the_sections_of_the_user_s_agencies(client, agency_tree, make_member):
    town, other = agency_tree["town"], agency_tree["other_town"]
    officer = make_member(town, Role.OFFICER)
    editor = make_member(town, Role.EDITOR)
    with at():
        client.force_login(officer)
        body = client.get(HOME).content.decode()
        menu = re.search(r'<nav class="side-menu".*?</nav>', body, re.S).group(0)
        for name in (
            "catalogue:item-list",
            "applications:queue",
            "engagement:overview",
            "matters:matter-list",
            "reports:report-list",
            "operations:dashboard",
        ):
            assert reverse(name, kwargs={"agency": town.slug}) in menu, name
            assert reverse(name, kwargs={"agency": other.slug}) not in menu, name
        client.force_login(editor)
        menu = re.search(
            r'<nav class="side-menu".*?</nav>', client.get(HOME).content.decode(), re.S
        ).group(0)
        assert reverse("catalogue:item-list", kwargs={"agency": town.slug}) in menu
        assert reverse("applications:queue", kwargs={"agency": town.slug}) not in menu


def test_annual_reports_appear_once_in_the_side_menu(client, agency_tree, make_member):
    town, district = agency_tree["town"], agency_tree["district"]
    reports = reverse("reports:report-list", kwargs={"agency": town.slug})
    with at():
        client.force_login(make_member(town, Role.OFFICER))
        menu = re.search(
            r'<nav class="side-menu".*?</nav>', client.get(HOME).content.decode(), re.S
        ).group(0)
        # the town's own reports, and not the overview under the same name again
        assert menu.count("年度报告") == 1 and reports in menu
        assert f'href="{reverse("reports:index")}"' not in menu
        # a supervisor above gets the overview of the agencies below, named as such
        client.force_login(make_member(district, Role.SUPERVISOR))
        menu = re.search(
            r'<nav class="side-menu".*?</nav>', client.get(HOME).content.decode(), re.S
        ).group(0)
        with override("zh-hans"):
            label = gettext("Annual reports of all agencies")
        assert f'<a href="{reverse("reports:index")}">{label}</a>' in menu


def test_public_pages_have_no_side_menu(client, agency_tree, make_member):
    client.force_login(make_member(agency_tree["town"], Role.OFFICER))
    body = client.get(reverse("core:login")).content.decode()
    assert "side-menu" not in body and 'class="breadcrumbs"' not in body
