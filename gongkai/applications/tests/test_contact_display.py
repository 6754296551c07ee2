"""Who sees an applicant's full telephone, e-mail and address: the disclosure office that
handles the application contacts the applicant; the agency administrator and the supervisor
read the case with the contact details masked. Names are shown isolated and without bidi
controls; names and file names lose them when they come in."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from gongkai.api import services as api_services
from gongkai.applications import masking, services
from gongkai.applications.tests.conftest import person
from gongkai.applications.tests.test_views import xlsx_with
from gongkai.core.models import Role

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PHONE = "13800138000"
EMAIL = "wang@example.com"
ADDRESS = "浙江省舟山市普陀区六横镇龙山路18号"
MASKED_PHONE = "138****8000"
MASKED_EMAIL = "w***@example.com"
MASKED_ADDRESS = "浙江省舟山市****"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def application(office):
    return services.application_submit(
        agency=office["agency"],
        data=person(phone=PHONE, email=EMAIL, address=ADDRESS, postcode="316131"),
        channel="in_person",
        actor=office["officer"],
    ).application


@pytest.fixture
def agency_admin(office, make_member):
    return make_member(office["agency"], Role.AGENCY_ADMIN)


def detail_html(client, user, application) -> str:
    client.force_login(user)
    response = client.get(
        reverse("applications:detail", args=[application.agency.slug, application.pk])
    )
    assert response.status_code == 200
    return response.content.decode()


def test_masks():
    assert masking.masked_email(EMAIL) == MASKED_EMAIL
    assert masking.masked_address(ADDRESS) == MASKED_ADDRESS
    assert masking.masked_address("") == ""


@pytest.mark.parametrize("role", ["officer", "head"])
def test_the_handling_office_sees_the_contact_details_in_full(client, office, application, role):
    html = detail_html(client, office[role], application)
    assert PHONE in html and EMAIL in html and ADDRESS in html and "316131" in html
    assert 'data-testid="contact-masked"' not in html


@pytest.mark.parametrize("who", ["agency_admin", "supervisor"])
def test_readers_who_do_not_contact_the_applicant_see_them_masked(
    client, office, application, agency_admin, who
):
    user = agency_admin if who == "agency_admin" else office["supervisor"]
    html = detail_html(client, user, application)
    assert MASKED_PHONE in html and MASKED_EMAIL in html and MASKED_ADDRESS in html
    assert PHONE not in html and EMAIL not in html and "龙山路" not in html
    assert "316131" not in html
    assert 'data-testid="contact-masked"' in html


def api_detail(client, user, application) -> dict:
    _token, key = api_services.api_token_create(actor=None, user=user, name="test")
    response = client.get(
        f"/api/v1/applications/{application.pk}", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_the_api_follows_the_same_rule(client, office, application):
    full = api_detail(client, office["officer"], application)
    assert (full["phone"], full["email"], full["address"]) == (PHONE, EMAIL, ADDRESS)
    masked = api_detail(client, office["supervisor"], application)
    assert (masked["phone"], masked["email"], masked["address"]) == (
        MASKED_PHONE,
        MASKED_EMAIL,
        MASKED_ADDRESS,
    )
    assert ADDRESS not in json.dumps(masked, ensure_ascii=False)


# --- bidi controls and zero-width characters ----------------------------------------------

RLO = "\u202e"


def test_names_lose_bidi_controls_and_zero_width_characters(office):
    application = services.application_submit(
        agency=office["agency"],
        data=person(applicant_name=f"王\u200b小{RLO}明\u2066", contact_person="\ufeff李四"),
        channel="in_person",
        actor=office["officer"],
    ).application
    application.refresh_from_db()
    assert application.applicant_name == "王小明"
    assert application.contact_person == "李四"


def test_file_names_lose_bidi_controls_and_zero_width_characters(office, application):
    # An override in a file name reverses what follows it on every page that shows the name.
    stored = services.application_file_add(
        actor=office["officer"],
        application=application,
        name=f"清单\u200b{RLO}.xlsx",
        data=xlsx_with("工程清单"),
    )
    assert stored.original_name == "清单.xlsx"


def test_names_stored_with_controls_are_shown_isolated_and_neutralised(client, office, application):
    # Data from before the cleaning (or written around it) is neutralised when shown.
    type(application).objects.filter(pk=application.pk).update(applicant_name=f"王{RLO}明小")
    html = detail_html(client, office["officer"], application)
    assert RLO not in html
    assert '<bdi dir="auto">王明小</bdi>' in html
    client.force_login(office["officer"])
    queue = client.get(reverse("applications:queue", args=[application.agency.slug]))
    assert RLO not in queue.content.decode()
    assert '<bdi dir="auto">王明小</bdi>' in queue.content.decode()
