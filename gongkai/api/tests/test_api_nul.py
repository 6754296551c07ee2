"""A NUL character anywhere in the input is refused with 400; PostgreSQL can neither store nor
compare one, and answered 500 (found by test_api_fuzz.py on PostgreSQL). In a JSON body the
field is named; in the address the whole request is refused before it reaches the API."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from gongkai.core.models import Role

with translation.override(settings.LANGUAGE_CODE):
    # Django's message, in the site's language (pages and answers are in it whatever is asked).
    NUL_MESSAGE = [gettext("Null characters are not allowed.")]


@pytest.fixture
def key(agency_tree, make_member):
    from gongkai.api import services

    user = make_member(agency_tree["town"], Role.OFFICER, "lh_officer")
    return services.api_token_create(actor=None, user=user, name="nul")[1]


def post(client, url, body, **headers):
    return client.post(
        url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers
    )


def test_in_a_body_field(client, agency_tree):
    response = post(
        client,
        "/api/v1/applications/public/status",
        {"agency": "liu\x00heng", "number": "1", "query_code": "2"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"agency": NUL_MESSAGE}


def test_in_a_long_text_that_would_be_stored(client, agency_tree):
    response = post(
        client,
        "/api/v1/engagement/public/liuheng/error-reports",
        {"error_type": "typo", "description": "首页有错别字\x00。"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"description": NUL_MESSAGE}


def test_in_the_address(client, key, agency_tree):
    public = client.get("/api/v1/catalogue/public/items", {"agency": "liuheng\x00"})
    staff = client.get(
        "/api/v1/applications/", {"q": "海塘\x00"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    path = post(
        client,
        "/api/v1/engagement/public/liu%00heng/error-reports/status",
        {"reference": "x", "check_code": "y"},
    )
    assert public.status_code == staff.status_code == 400
    assert path.status_code in (400, 404)  # the URL pattern may not match it at all


def test_other_text_passes(client, agency_tree):
    response = post(
        client,
        "/api/v1/applications/public/status",
        {"agency": "liuheng", "number": "1", "query_code": "2"},
    )
    assert response.status_code == 404  # no such application: the input itself was fine
