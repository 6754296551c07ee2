"""The staff page per agency, the supervisor's matrix and its XLSX, recording a check: what
they show, to whom, and in how many queries."""

from datetime import date, datetime, timedelta
from io import BytesIO
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.catalogue.models import ItemStatus
from gongkai.catalogue.taxonomy import ColumnType
from gongkai.catalogue.tests.factories import ColumnFactory, ItemFactory
from gongkai.compliance.models import CheckSnapshot, LinkCheck
from gongkai.compliance.rules import RULES
from gongkai.compliance.services import url_hash
from gongkai.core import services as core_services
from gongkai.core.models import AgencyLevel, AuditEvent, Role
from gongkai.core.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 30, 10, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    county = AgencyFactory(slug="county", level=AgencyLevel.COUNTY, short_name="普陀区")
    town = AgencyFactory(slug="town", level=AgencyLevel.TOWNSHIP, parent=county)
    other = AgencyFactory(slug="other", level=AgencyLevel.TOWNSHIP, parent=county)
    policy = ColumnFactory(agency=town, name="政策文件", column_type=ColumnType.POLICY)
    item = ItemFactory(
        column=policy,
        status=ItemStatus.PUBLISHED,
        published_at=datetime(2026, 1, 10, 9, tzinfo=SH),
        title="关于印发某办法的通知",
    )
    for n in range(5):
        ColumnFactory(agency=town, name=f"空栏目{n}")
    link = LinkCheck.objects.create(
        agency=town,
        url="http://127.0.0.1:9/gone",
        url_hash=url_hash("http://127.0.0.1:9/gone"),
        checked_at=NOW,
        ok=False,
        status=404,
    )
    link.items.add(item)

    def member(name, agency, role):
        user = UserFactory(username=name)
        core_services.membership_grant(actor=None, user=user, agency=agency, role=role)
        return user

    return {
        "county": county,
        "town": town,
        "other": other,
        "item": item,
        "officer": member("officer", town, Role.OFFICER),
        "editor": member("editor", town, Role.EDITOR),
        "supervisor": member("supervisor", county, Role.SUPERVISOR),
        "foreign": member("foreign", other, Role.OFFICER),
    }


def test_agency_page_groups_findings_by_rule(client, world, django_assert_max_num_queries):
    client.force_login(world["editor"])
    url = reverse("compliance:agency", args=["town"])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for rule in RULES:
        assert f'data-rule="{rule.id}"' in html
    assert 'data-rule="columns_empty" data-status="error"' in html
    assert 'data-rule="notice_policy_column_stale" data-status="warning"' in html
    assert 'data-rule="site_unreachable" data-status="ok"' in html
    assert "rag-red" in html and "rag-green" in html  # colour classes beside the words
    assert f'data-item="{world["item"].pk}"' in html and "http://127.0.0.1:9/gone" in html
    assert 'id="check-now"' not in html  # an editor does not record checks


def test_agency_page_queries_do_not_grow(
    client, world, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(world["officer"])
    url = reverse("compliance:agency", args=["town"])
    client.get(url)
    client.get(url)  # the frame's caches (calendar, menu) warm, as on a running server
    # the page's own: the check (15, 3 of them the wording check's, gongkai.wording.monitor),
    # broken links (2), link counts (1), trend (1), the scoped agency; the rest is the frame's
    # (session, user, roles, menu), which other apps change: bounded here, pinned below
    with django_assert_max_num_queries(35) as context:
        client.get(url)
    first = len(context.captured_queries)
    for n in range(10):
        column = ColumnFactory(agency=world["town"], name=f"栏目{n}", column_type=ColumnType.NEWS)
        item = ItemFactory(
            column=column, status=ItemStatus.PUBLISHED, published_at=NOW - timedelta(days=n)
        )
        link = LinkCheck.objects.create(
            agency=world["town"],
            url=f"http://127.0.0.1:9/{n}",
            url_hash=url_hash(f"http://127.0.0.1:9/{n}"),
            checked_at=NOW,
            ok=False,
            status=500,
        )
        link.items.add(item)
    with django_assert_num_queries(first):
        client.get(url)


def test_another_agencys_page_does_not_exist_for_its_staff(client, world):
    client.force_login(world["foreign"])
    assert client.get(reverse("compliance:agency", args=["town"])).status_code == 404
    assert client.get(reverse("compliance:matrix", args=["town"])).status_code == 404


def test_officer_records_todays_check(client, world):
    client.force_login(world["officer"])
    response = client.post(reverse("compliance:check", args=["town"]))
    assert response.status_code == 302
    snapshot = CheckSnapshot.objects.get(agency=world["town"], day=date(2026, 6, 30))
    assert snapshot.statuses["columns_empty"] == "error" and snapshot.errors >= 2
    event = AuditEvent.objects.get(verb="compliance.check", agency=world["town"])
    assert event.actor == world["officer"]


def test_supervisor_may_not_record_a_check(client, world):
    client.force_login(world["supervisor"])
    response = client.post(reverse("compliance:check", args=["county"]), {"all": "1"})
    assert response.status_code == 403
    assert not CheckSnapshot.objects.exists()


def test_matrix_and_xlsx_for_the_supervisor(
    client, world, django_assert_num_queries, django_assert_max_num_queries
):
    CheckSnapshot.objects.create(
        agency=world["town"],
        day=date(2026, 5, 31),
        checked_at=datetime(2026, 5, 31, 2, tzinfo=SH),
        statuses={"columns_empty": "error"},
        errors=4,
        warnings=1,
    )
    CheckSnapshot.objects.create(
        agency=world["town"],
        day=date(2026, 6, 30),
        checked_at=datetime(2026, 6, 30, 2, tzinfo=SH),
        statuses={rule.id: "ok" for rule in RULES} | {"columns_empty": "error"},
        errors=2,
        warnings=0,
    )
    client.force_login(world["supervisor"])
    url = reverse("compliance:matrix", args=["county"])
    client.get(url)
    client.get(url)
    # the page's own: the scoped agency look-up, the agencies, two snapshot reads; the rest is
    # the frame's (session, user, roles, menu), which other apps change: bounded, then pinned
    with django_assert_max_num_queries(20) as context:
        response = client.get(url)
    first = len(context.captured_queries)
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ("county", "town", "other"):
        assert f'data-agency="{slug}"' in html
    assert 'data-rule="columns_empty" data-status="error"' in html
    assert "4/1" in html and "2/0" in html  # May and June
    for n in range(8):  # more agencies, the same queries
        AgencyFactory(slug=f"extra-{n}", level=AgencyLevel.TOWNSHIP, parent=world["county"])
    with django_assert_num_queries(first):
        client.get(url)

    response = client.get(reverse("compliance:matrix-xlsx", args=["county"]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "普陀区网站检查矩阵-20260630.xlsx"
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    body = {row[0]: row for row in rows[2:]}
    town = body[world["town"].name]
    column = header.index(next(h for h in header if h and h.startswith("空白栏目")))
    assert town[column] == "红"
    assert town[header.index("红")] == 2
    assert town[-1] == "2/0" and town[-2] == "4/1"
    assert body[world["other"].name][column] == "—"  # never checked
