"""Query values and cookies that are not what a page expects fall back to its default (or 404)
instead of failing: "²" passes str.isdigit() but not int(), NUL is refused by PostgreSQL."""

import pytest

from gongkai.api.services import api_token_create
from gongkai.catalogue.services import column_create
from gongkai.catalogue.taxonomy import ColumnType
from gongkai.core.models import Role
from gongkai.core.params import int_param
from gongkai.core.tests.crawl import like_postgresql
from gongkai.portal.context_processors import FONT_COOKIE
from gongkai.reports.services import report_start


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025", 2025),
        ("2000", 2000),
        ("2100", 2100),
        ("1999", None),
        ("2101", None),
        ("", None),
        (None, None),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: isdigit() and int() say yes
        ("２０２５", None),  # full-width digits, the same
        ("-5", None),
        ("1e20", None),
        (" 2025", None),
        ("99999999999999999999", None),
    ],
)
def test_int_param_takes_ascii_digits_in_range_only(raw, expected):
    assert int_param(raw, minimum=2000, maximum=2100) == expected


@pytest.fixture
def officer(client, town, make_member):
    user = make_member(town, Role.OFFICER)
    client.force_login(user)
    # a report and a column, so that ?version= and ?column= are looked up
    report_start(actor=user, agency=town, year=2025, fmt="2021")
    column_create(actor=None, agency=town, name="通知公告", column_type=ColumnType.NOTICE)
    return user


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/staff/operations/liuheng/meetings/?year=²", 200),
        ("/staff/operations/liuheng/?year=²", 200),
        ("/staff/operations/liuheng/complaints/?status=%3Cscript%3E", 200),
        ("/staff/reports/liuheng/2025/download/json/?version=²", 404),
        ("/gk/liuheng/catalogue/?column=²", 200),
        ("/gk/liuheng/catalogue/?year=²", 200),
    ],
)
def test_hostile_query_values(client, officer, path, status):
    with like_postgresql():
        assert client.get(path).status_code == status


def test_a_hostile_font_cookie_shows_the_default_size(client, town):
    client.cookies[FONT_COOKIE] = "²"
    assert client.get("/gk/liuheng/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/gk/liuheng/index/%00/",
        "/gk/liuheng/catalogue/?topic=%00",
        "/staff/catalogue/liuheng/items/?q=a%00b",
        "/staff/operations/liuheng/complaints/?status=%00",
        "/staff/operations/liuheng/accounts/?x%00=1",
        "/admin/core/agency/?q=%00",
        "/api/v1/matters/matters?agency=%00",
        "/api/v1/applications/?flag=%00",
        "/api/v1/reports/%00/2025/2021",
    ],
)
def test_nul_in_the_address_is_a_bad_request(client, officer, town, path):
    officer.is_superuser = officer.is_staff = True
    officer.save()
    _token, key = api_token_create(actor=None, user=officer, name="test")
    with like_postgresql():
        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 400
